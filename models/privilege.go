package models

import (
	"context"
	"time"

	"gorm.io/gorm/clause"
)

// UserPermission is an admin privilege area granted to a user directly.
type UserPermission struct {
	UserID        int64  `gorm:"primaryKey"`
	Permission    string `gorm:"primaryKey"`
	AccountID     int64  // the user's; Grant sets it
	GrantedAt     time.Time
	GrantedByName string
}

// Grant gives the user a privilege area; granting one they hold
// is no error.
func (s PrivilegeStore) Grant(ctx context.Context, p *UserPermission) error {
	if err := s.setAccountOf(ctx, p.UserID, &p.AccountID); err != nil {
		return err
	}
	return translate(s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(p).Error)
}

// Revoke takes a privilege area from the user of the account and reports whether
// they held it.
func (s PrivilegeStore) Revoke(ctx context.Context, accountID, userID int64, permission string) (bool, error) {
	res := s.q(ctx).Where("account_id = ? AND user_id = ? AND permission = ?", accountID, userID, permission).Delete(&UserPermission{})
	return res.RowsAffected == 1, translate(res.Error)
}

// Direct returns the areas granted to the user directly, sorted.
func (s PrivilegeStore) Direct(ctx context.Context, userID int64) ([]string, error) {
	var out []string
	err := s.q(ctx).Model(&UserPermission{}).Where("user_id = ?", userID).Order("permission").Pluck("permission", &out).Error
	return out, translate(err)
}

// Effective returns the union of the user's direct grants and
// their roles' permissions, sorted. (The Primary Admin's "everything" is the
// caller's rule, not stored.)
func (s PrivilegeStore) Effective(ctx context.Context, userID int64) ([]string, error) {
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

// MarkChanged stamps the user so their sessions get a new ID at
// their next request.
func (s PrivilegeStore) MarkChanged(ctx context.Context, userID int64, at time.Time) error {
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

// AdminsWithGrants returns the account's Primary Admin and Secondary Admins,
// Primary Admin first then by name, with their direct grants and roles:
// three queries however many admins there are.
func (s PrivilegeStore) AdminsWithGrants(ctx context.Context, accountID int64) ([]PrivilegedUser, error) {
	out, err := s.Admins(ctx, accountID)
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

// RemoveAll deletes the user's direct grants and roles.
func (s PrivilegeStore) RemoveAll(ctx context.Context, userID int64) error {
	if err := s.q(ctx).Where("user_id = ?", userID).Delete(&UserPermission{}).Error; err != nil {
		return translate(err)
	}
	return translate(s.q(ctx).Where("user_id = ?", userID).Delete(&UserRole{}).Error)
}

// Admins returns the account's Primary Admin and Secondary Admins,
// Primary Admin first then by name, in one query: without the direct
// grants and roles that AdminsWithGrants adds.
func (s PrivilegeStore) Admins(ctx context.Context, accountID int64) ([]PrivilegedUser, error) {
	var out []PrivilegedUser
	err := s.q(ctx).Table("users").
		Select("users.*, EXISTS (SELECT 1 FROM secrets s WHERE s.user_id = users.id AND s.kind = ?) AS has_passphrase", SecretPassphrase).
		Where("users.account_id = ? AND (users.is_primary_admin OR users.id IN (SELECT user_id FROM user_permissions) "+
			"OR users.id IN (SELECT user_id FROM user_roles))", accountID).
		Order("users.is_primary_admin DESC, users.display_name, users.id").Scan(&out).Error
	return out, translate(err)
}

// EffectiveOf returns the effective permissions (direct and
// through roles) of each of the users with ids, in one query.
func (s PrivilegeStore) EffectiveOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
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

// Privileges of users for a page of the list: role names and direct areas.
type Privileges struct {
	Roles map[int64][]string
	Areas map[int64][]string
	// OfferedTo is the one of the users the account's undecided, unexpired
	// Primary Admin transfer names, or 0; Effective holds the users'
	// effective permissions (direct and through roles), as EffectiveOf.
	// Only ListedOf reads them, Effective only when asked.
	OfferedTo int64
	Effective map[int64][]string
	// Locked holds which of ListedAsk.LockedKeys are throttle keys locked
	// at Now.
	Locked map[string]bool
}

// Of returns the role names and direct areas of the given users, in one
// statement.
func (s PrivilegeStore) Of(ctx context.Context, userIDs []int64) (Privileges, error) {
	return s.privilegesOf(ctx, userIDs, nil)
}

// ListedAsk is what ListedOf reads besides roles and direct areas: the
// account's transfer pending at Now, and effective permissions when
// Effective is set.
type ListedAsk struct {
	AccountID int64
	Now       time.Time
	Effective bool
	// LockedKeys are throttle keys, one per user, whose locks decide a
	// row's options (wrong security answers block a password reset).
	LockedKeys []string
}

// ListedOf is Of with OfferedTo, Locked and, when asked, Effective, for
// the users list: what decides each row's labels and options comes in one
// statement rather than five.
func (s PrivilegeStore) ListedOf(ctx context.Context, ask ListedAsk, userIDs []int64) (Privileges, error) {
	return s.privilegesOf(ctx, userIDs, &ask)
}

// privilegesOf reads roles, direct areas and, when listed is set, the
// pending transfer's target among the users and perhaps their effective
// permissions, as one UNION ALL whose first column says what each row is.
func (s PrivilegeStore) privilegesOf(ctx context.Context, userIDs []int64, listed *ListedAsk) (Privileges, error) {
	out := Privileges{Roles: map[int64][]string{}, Areas: map[int64][]string{}}
	if listed != nil && listed.Effective {
		out.Effective = map[int64][]string{}
	}
	if len(userIDs) == 0 {
		return out, nil
	}
	inRoles, a1 := s.inIDs("ur.user_id", userIDs)
	inAreas, a2 := s.inIDs("up.user_id", userIDs)
	sql := "SELECT 'role' AS kind, ur.user_id, r.name AS value FROM user_roles ur JOIN roles r ON r.id = ur.role_id WHERE " + inRoles +
		" UNION ALL SELECT 'area', up.user_id, up.permission FROM user_permissions up WHERE " + inAreas
	args := []any{a1, a2}
	if listed != nil {
		inOffer, a3 := s.inIDs("pt.to_user_id", userIDs)
		sql += " UNION ALL SELECT 'offered', pt.to_user_id, '' FROM primary_transfers pt" +
			" WHERE pt.account_id = ? AND pt.decided_at IS NULL AND pt.expires_at > ? AND " + inOffer
		args = append(args, listed.AccountID, listed.Now, a3)
	}
	if listed != nil && listed.Effective {
		// UNION inside, so a permission held directly and through a role,
		// or through two roles, comes once.
		direct, a4 := s.inIDs("user_id", userIDs)
		viaRoles, a5 := s.inIDs("ur.user_id", userIDs)
		sql += " UNION ALL SELECT 'effective', e.user_id, e.permission FROM (SELECT user_id, permission FROM user_permissions WHERE " +
			direct + " UNION SELECT ur.user_id, rp.permission FROM user_roles ur JOIN role_permissions rp ON rp.role_id = ur.role_id WHERE " +
			viaRoles + ") e"
		args = append(args, a4, a5)
	}
	if listed != nil && len(listed.LockedKeys) > 0 {
		out.Locked = map[string]bool{}
		sql += " UNION ALL SELECT 'locked', 0, key FROM throttles WHERE key IN ? AND locked_until > ?"
		args = append(args, listed.LockedKeys, listed.Now)
	}
	var rows []struct {
		Kind   string
		UserID int64
		Value  string
	}
	if err := s.q(ctx).Raw(sql+" ORDER BY 1, 2, 3", args...).Scan(&rows).Error; err != nil {
		return out, translate(err)
	}
	for _, r := range rows {
		switch r.Kind {
		case "role":
			out.Roles[r.UserID] = append(out.Roles[r.UserID], r.Value)
		case "area":
			out.Areas[r.UserID] = append(out.Areas[r.UserID], r.Value)
		case "offered":
			out.OfferedTo = r.UserID
		case "effective":
			out.Effective[r.UserID] = append(out.Effective[r.UserID], r.Value)
		case "locked":
			out.Locked[r.Value] = true
		}
	}
	return out, nil
}

// directAreasOf returns the areas granted directly to each of the users,
// sorted, in one query.
func (s PrivilegeStore) directAreasOf(ctx context.Context, userIDs []int64) (map[int64][]string, error) {
	out := map[int64][]string{}
	cond, arg := s.inIDs("user_id", userIDs)
	var areas []UserPermission
	if err := s.q(ctx).Where(cond, arg).Order("user_id, permission").Find(&areas).Error; err != nil {
		return out, translate(err)
	}
	for _, a := range areas {
		out[a.UserID] = append(out[a.UserID], a.Permission)
	}
	return out, nil
}

// Holders returns the ids of the account's users granted permission
// directly, in one query.
func (s PrivilegeStore) Holders(ctx context.Context, accountID int64, permission string) (map[int64]bool, error) {
	var ids []int64
	err := s.q(ctx).Model(&UserPermission{}).Where("account_id = ? AND permission = ?", accountID, permission).
		Pluck("user_id", &ids).Error
	out := make(map[int64]bool, len(ids))
	for _, id := range ids {
		out[id] = true
	}
	return out, translate(err)
}
