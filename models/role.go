package models

import (
	"context"
	"fmt"
	"time"

	"gorm.io/gorm"
	"gorm.io/gorm/clause"
)

// Role is a named set of permissions: built in (AccountID nil, Key set)
// or an account's own.
type Role struct {
	ID          int64
	AccountID   *int64
	Key         *string
	Name        string
	Description string
	CreatedAt   time.Time
	UpdatedAt   time.Time
}

// RolePermission is one permission of a role.
type RolePermission struct {
	RoleID     int64  `gorm:"primaryKey"`
	Permission string `gorm:"primaryKey"`
}

// UserRole is a role held by a user.
type UserRole struct {
	UserID         int64 `gorm:"primaryKey"`
	RoleID         int64 `gorm:"primaryKey"`
	AccountID      int64 // the user's; Assign sets it
	AssignedAt     time.Time
	AssignedByName string
}

// RoleWithCount is a role with its permissions and number of members.
type RoleWithCount struct {
	Role
	Permissions []string `gorm:"-"`
	Members     int64
}

// Of returns the built-in roles and the account's own, built-in first,
// each with its permissions and member count (members of the account only).
func (s RoleStore) Of(ctx context.Context, accountID int64) ([]RoleWithCount, error) {
	var roles []RoleWithCount
	err := s.visibleTo(ctx, accountID).Table("roles").
		Select("roles.*, (SELECT count(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id "+
			"WHERE ur.role_id = roles.id AND u.account_id = ?) AS members", accountID).Scan(&roles).Error
	if err != nil {
		return nil, translate(err)
	}
	ids := make([]int64, len(roles))
	for i := range roles {
		ids[i] = roles[i].ID
	}
	perms, err := s.permissionsOf(ctx, ids)
	for i := range roles {
		roles[i].Permissions = perms[roles[i].ID]
	}
	return roles, err
}

// NamesOf returns the built-in roles and the account's own in Of's
// order, without member counts or permissions: what a filter needs.
func (s RoleStore) NamesOf(ctx context.Context, accountID int64) ([]Role, error) {
	var out []Role
	err := s.visibleTo(ctx, accountID).Find(&out).Error
	return out, translate(err)
}

// visibleTo scopes a query to the built-in roles and the account's
// own, built-in first.
func (s RoleStore) visibleTo(ctx context.Context, accountID int64) *gorm.DB {
	return s.q(ctx).Where("roles.account_id IS NULL OR roles.account_id = ?", accountID).
		Order("roles.account_id IS NOT NULL, roles.id")
}

func (s RoleStore) permissionsOf(ctx context.Context, ids []int64) (map[int64][]string, error) {
	var rows []RolePermission
	cond, arg := s.inIDs("role_id", ids)
	err := s.q(ctx).Where(cond, arg).Order("role_id, permission").Find(&rows).Error
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.RoleID] = append(out[r.RoleID], r.Permission)
	}
	return out, translate(err)
}

// InAccount returns a role visible to the account (built in, or its
// own) with its permissions, or ErrNotFound.
func (s RoleStore) InAccount(ctx context.Context, accountID, roleID int64) (*RoleWithCount, error) {
	roles, err := s.Of(ctx, accountID)
	if err != nil {
		return nil, err
	}
	for i := range roles {
		if roles[i].ID == roleID {
			return &roles[i], nil
		}
	}
	return nil, ErrNotFound
}

// Create inserts a custom role with its permissions. It returns
// ErrConflict when the account already has a role of that name.
func (s RoleStore) Create(ctx context.Context, r *Role, permissions []string) error {
	if err := s.q(ctx).Create(r).Error; err != nil {
		return translate(err)
	}
	return s.setPermissions(ctx, r.ID, permissions)
}

// Update changes a custom role's name, description and permissions.
func (s RoleStore) Update(ctx context.Context, r *Role, permissions []string) error {
	res := s.q(ctx).Model(&Role{}).Where("id = ? AND account_id = ?", r.ID, r.AccountID).
		Updates(map[string]any{"name": r.Name, "description": r.Description, "updated_at": r.UpdatedAt})
	if err := affectedOne(res.Error, res.RowsAffected); err != nil {
		return err
	}
	return s.setPermissions(ctx, r.ID, permissions)
}

func (s RoleStore) setPermissions(ctx context.Context, roleID int64, permissions []string) error {
	if err := s.q(ctx).Where("role_id = ?", roleID).Delete(&RolePermission{}).Error; err != nil {
		return translate(err)
	}
	if len(permissions) == 0 {
		return nil
	}
	rows := make([]RolePermission, len(permissions))
	for i, p := range permissions {
		rows[i] = RolePermission{RoleID: roleID, Permission: p}
	}
	return translate(s.q(ctx).Create(&rows).Error)
}

// Delete deletes a custom role of the account. It returns ErrConflict
// while the role has members.
func (s RoleStore) Delete(ctx context.Context, accountID, roleID int64) error {
	res := s.q(ctx).Where("id = ? AND account_id = ?", roleID, accountID).Delete(&Role{})
	return affectedOne(res.Error, res.RowsAffected)
}

// Assign gives the user a role; holding it already is no error.
func (s RoleStore) Assign(ctx context.Context, ur *UserRole) error {
	if err := s.setAccountOf(ctx, ur.UserID, &ur.AccountID); err != nil {
		return err
	}
	return translate(s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(ur).Error)
}

// Unassign takes a role from the user of the account and reports whether
// they held it.
func (s RoleStore) Unassign(ctx context.Context, accountID, userID, roleID int64) (bool, error) {
	res := s.q(ctx).Where("account_id = ? AND user_id = ? AND role_id = ?", accountID, userID, roleID).Delete(&UserRole{})
	return res.RowsAffected == 1, translate(res.Error)
}

// IDsOfUser returns the ids of the user's roles.
func (s RoleStore) IDsOfUser(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := s.q(ctx).Model(&UserRole{}).Where("user_id = ?", userID).Order("role_id").Pluck("role_id", &ids).Error
	return ids, translate(err)
}

// LockMembers holds, until the transaction ends, the right to change who
// of the account holds the role: on PostgreSQL a transaction-level
// advisory lock keyed on the account and the role (a built-in role's row
// is shared by every account, so its row lock would serialise them all).
// Take it before locking any of the users, so that two changes of one
// role's members lock them one after the other, in the same order.
// SQLite runs one writing transaction at a time already.
func (s RoleStore) LockMembers(ctx context.Context, accountID, roleID int64) error {
	if s.dialect != Postgres {
		return nil
	}
	key := fmt.Sprintf("role members %d %d", accountID, roleID)
	return translate(s.q(ctx).Exec("SELECT pg_advisory_xact_lock(hashtextextended(?, 0))", key).Error)
}

// Members returns the users of the account holding the role.
func (s RoleStore) Members(ctx context.Context, accountID, roleID int64) ([]User, error) {
	var out []User
	err := s.q(ctx).Where("account_id = ? AND id IN (?)", accountID,
		s.q(ctx).Model(&UserRole{}).Select("user_id").Where("role_id = ?", roleID)).
		Order("display_name, id").Find(&out).Error
	return out, translate(err)
}

// Builtin returns the built-in role with key, or ErrNotFound.
func (s RoleStore) Builtin(ctx context.Context, key string) (*Role, error) {
	var r Role
	if err := s.q(ctx).Where("key = ?", key).First(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}
