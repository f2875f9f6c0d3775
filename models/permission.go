package models

import (
	"context"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/clause"
	"gorm.io/gorm/schema"
)

// UserPermission is an admin privilege area granted to a user directly.
type UserPermission struct {
	UserID        int64  `gorm:"primaryKey"`
	Permission    string `gorm:"primaryKey"`
	GrantedAt     time.Time
	GrantedByName string
}

// GrantPermission gives the user a privilege area; granting one they hold
// is no error.
func (s *Store) GrantPermission(ctx context.Context, p *UserPermission) error {
	return translate(s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(p).Error)
}

// RevokePermission takes a privilege area from the user and reports whether
// they held it.
func (s *Store) RevokePermission(ctx context.Context, userID int64, permission string) (bool, error) {
	res := s.q(ctx).Where("user_id = ? AND permission = ?", userID, permission).Delete(&UserPermission{})
	return res.RowsAffected == 1, translate(res.Error)
}

// DirectPermissions returns the areas granted to the user directly, sorted.
func (s *Store) DirectPermissions(ctx context.Context, userID int64) ([]string, error) {
	var out []string
	err := s.q(ctx).Model(&UserPermission{}).Where("user_id = ?", userID).Order("permission").Pluck("permission", &out).Error
	return out, translate(err)
}

// EffectivePermissions returns the union of the user's direct grants and
// their roles' permissions, sorted. (The Primary Admin's "everything" is the
// caller's rule, not stored.)
func (s *Store) EffectivePermissions(ctx context.Context, userID int64) ([]string, error) {
	var out []string
	err := s.q(ctx).Raw(permissionsOfUser("?")+" ORDER BY 1", userID, userID).Scan(&out).Error
	return out, translate(err)
}

// permissionsOfUser is the query of one user's effective permissions: their
// direct grants and their roles' permissions. user is the user id's SQL
// expression, used twice (a placeholder, or a column of an outer query).
func permissionsOfUser(user string) string {
	return `SELECT permission FROM user_permissions WHERE user_id = ` + user + `
		UNION
		SELECT rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE ur.user_id = ` + user
}

// HasPassphrase reports whether the user has set a support passphrase.
func (s *Store) HasPassphrase(ctx context.Context, userID int64) (bool, error) {
	var n int64
	err := s.q(ctx).Model(&Secret{}).Where("user_id = ? AND kind = ?", userID, SecretPassphrase).Count(&n).Error
	return n > 0, translate(err)
}

// MarkPrivilegesChanged stamps the user so their sessions get a new ID at
// their next request.
func (s *Store) MarkPrivilegesChanged(ctx context.Context, userID int64, at time.Time) error {
	res := s.q(ctx).Model(&User{}).Where("id = ?", userID).Update("privileges_changed_at", at)
	return affectedOne(res.Error, res.RowsAffected)
}

// PrivilegedUser is the Primary Admin or a user who holds at least one
// permission, directly or through a role.
type PrivilegedUser struct {
	User
	Direct        []string `gorm:"-"`
	RoleIDs       []int64  `gorm:"-"`
	HasPassphrase bool
}

// PrivilegedUsers returns the account's Primary Admin and Secondary Admins,
// Primary Admin first then by name, with their direct grants and roles:
// three queries however many admins there are.
func (s *Store) PrivilegedUsers(ctx context.Context, accountID int64) ([]PrivilegedUser, error) {
	out, err := s.AdminsOf(ctx, accountID)
	if err != nil || len(out) == 0 {
		return out, err
	}
	at := make(map[int64]*PrivilegedUser, len(out))
	ids := make([]int64, len(out))
	for i := range out {
		at[out[i].ID], ids[i] = &out[i], out[i].ID
	}
	direct, err := s.directAreasOf(ctx, ids)
	if err != nil {
		return nil, err
	}
	for id, areas := range direct {
		at[id].Direct = areas
	}
	cond, arg := s.inIDs("user_id", ids)
	var roles []UserRole
	if err := s.q(ctx).Where(cond, arg).Order("user_id, role_id").Find(&roles).Error; err != nil {
		return nil, translate(err)
	}
	for _, r := range roles {
		at[r.UserID].RoleIDs = append(at[r.UserID].RoleIDs, r.RoleID)
	}
	return out, nil
}

// RemoveAllPrivileges deletes the user's direct grants and roles.
func (s *Store) RemoveAllPrivileges(ctx context.Context, userID int64) error {
	if err := s.q(ctx).Where("user_id = ?", userID).Delete(&UserPermission{}).Error; err != nil {
		return translate(err)
	}
	return translate(s.q(ctx).Where("user_id = ?", userID).Delete(&UserRole{}).Error)
}

// AdminsOf returns the account's Primary Admin and Secondary Admins,
// Primary Admin first then by name, in one query: without the direct
// grants and roles that PrivilegedUsers adds.
func (s *Store) AdminsOf(ctx context.Context, accountID int64) ([]PrivilegedUser, error) {
	var out []PrivilegedUser
	err := s.q(ctx).Table("users").
		Select("users.*, EXISTS (SELECT 1 FROM secrets s WHERE s.user_id = users.id AND s.kind = ?) AS has_passphrase", SecretPassphrase).
		Where("users.account_id = ? AND (users.is_primary_admin OR users.id IN (SELECT user_id FROM user_permissions) "+
			"OR users.id IN (SELECT user_id FROM user_roles))", accountID).
		Order("users.is_primary_admin DESC, users.display_name, users.id").Scan(&out).Error
	return out, translate(err)
}

// EffectivePermissionsOf returns the effective permissions (direct and
// through roles) of each of the users with ids, in one query.
func (s *Store) EffectivePermissionsOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	out := make(map[int64][]string, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	direct, arg := s.inIDs("user_id", ids)
	viaRoles, arg2 := s.inIDs("ur.user_id", ids)
	var rows []struct {
		UserID     int64
		Permission string
	}
	err := s.q(ctx).Raw(`SELECT user_id, permission FROM user_permissions WHERE `+direct+`
		UNION
		SELECT ur.user_id, rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE `+viaRoles+`
		ORDER BY 1, 2`, arg, arg2).Scan(&rows).Error
	if err != nil {
		return nil, translate(err)
	}
	for _, r := range rows {
		out[r.UserID] = append(out[r.UserID], r.Permission)
	}
	return out, nil
}

// PrincipalUser is a user with the facts every request needs about them.
type PrincipalUser struct {
	User
	HasPassphrase bool
	// TransferOffered says someone asked this user to become the Primary
	// Admin and the request is still open at the time asked about.
	TransferOffered bool
	// Account is the user's account.
	Account Account `gorm:"embedded;embeddedPrefix:acct_"`
	// PermissionList is the user's effective privilege areas (direct
	// grants and roles') joined by commas, as the database returns them;
	// nil when there are none.
	PermissionList *string
}

// Permissions returns the user's effective privilege areas, unsorted.
func (u *PrincipalUser) Permissions() []string {
	if u.PermissionList == nil {
		return nil
	}
	return strings.Split(*u.PermissionList, ",")
}

// PrincipalUserByID returns the user with id, their account and those facts
// in one query, or ErrNotFound: it runs on every signed-in request, so it
// costs one round trip to the database instead of four.
func (s *Store) PrincipalUserByID(ctx context.Context, id int64, now time.Time) (*PrincipalUser, error) {
	cols, err := accountColumns()
	if err != nil {
		return nil, err
	}
	joinPermissions := "string_agg(p.permission, ',')"
	if s.dialect == SQLite {
		joinPermissions = "group_concat(p.permission, ',')"
	}
	var out []PrincipalUser
	err = s.q(ctx).Table("users").
		Select(`users.*, `+cols+`,
			EXISTS (SELECT 1 FROM secrets s WHERE s.user_id = users.id AND s.kind = ?) AS has_passphrase,
			EXISTS (SELECT 1 FROM primary_transfers t WHERE t.account_id = users.account_id AND t.to_user_id = users.id
				AND t.decided_at IS NULL AND t.expires_at > ?) AS transfer_offered,
			(SELECT `+joinPermissions+` FROM (`+permissionsOfUser("users.id")+`) p) AS permission_list`, SecretPassphrase, now).
		Joins("JOIN accounts ON accounts.id = users.account_id").
		Where("users.id = ?", id).Limit(1).Scan(&out).Error
	if err != nil {
		return nil, translate(err)
	}
	if len(out) == 0 {
		return nil, ErrNotFound
	}
	return &out[0], nil
}

// accountColumns lists every column of accounts under the prefix acct_,
// taken from the Account struct so a new column cannot be forgotten.
var accountColumns = sync.OnceValues(func() (string, error) {
	sch, err := schema.Parse(&Account{}, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		return "", err
	}
	cols := make([]string, len(sch.DBNames))
	for i, name := range sch.DBNames {
		cols[i] = "accounts." + name + " AS acct_" + name
	}
	return strings.Join(cols, ", "), nil
})
