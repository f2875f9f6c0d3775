package models

import (
	"context"
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
	AssignedAt     time.Time
	AssignedByName string
}

// RoleWithCount is a role with its permissions and number of members.
type RoleWithCount struct {
	Role
	Permissions []string `gorm:"-"`
	Members     int64
}

// RolesOf returns the built-in roles and the account's own, built-in first,
// each with its permissions and member count (members of the account only).
func (s *Store) RolesOf(ctx context.Context, accountID int64) ([]RoleWithCount, error) {
	var roles []RoleWithCount
	err := s.rolesVisibleTo(ctx, accountID).Table("roles").
		Select("roles.*, (SELECT count(*) FROM user_roles ur JOIN users u ON u.id = ur.user_id "+
			"WHERE ur.role_id = roles.id AND u.account_id = ?) AS members", accountID).Scan(&roles).Error
	if err != nil {
		return nil, translate(err)
	}
	ids := make([]int64, len(roles))
	for i := range roles {
		ids[i] = roles[i].ID
	}
	perms, err := s.permissionsOfRoles(ctx, ids)
	for i := range roles {
		roles[i].Permissions = perms[roles[i].ID]
	}
	return roles, err
}

// RoleNamesOf returns the built-in roles and the account's own in RolesOf's
// order, without member counts or permissions: what a filter needs.
func (s *Store) RoleNamesOf(ctx context.Context, accountID int64) ([]Role, error) {
	var out []Role
	err := s.rolesVisibleTo(ctx, accountID).Find(&out).Error
	return out, translate(err)
}

// rolesVisibleTo scopes a query to the built-in roles and the account's
// own, built-in first.
func (s *Store) rolesVisibleTo(ctx context.Context, accountID int64) *gorm.DB {
	return s.q(ctx).Where("roles.account_id IS NULL OR roles.account_id = ?", accountID).
		Order("roles.account_id IS NOT NULL, roles.id")
}

func (s *Store) permissionsOfRoles(ctx context.Context, ids []int64) (map[int64][]string, error) {
	var rows []RolePermission
	cond, arg := s.inIDs("role_id", ids)
	err := s.q(ctx).Where(cond, arg).Order("role_id, permission").Find(&rows).Error
	out := map[int64][]string{}
	for _, r := range rows {
		out[r.RoleID] = append(out[r.RoleID], r.Permission)
	}
	return out, translate(err)
}

// RoleInAccount returns a role visible to the account (built in, or its
// own) with its permissions, or ErrNotFound.
func (s *Store) RoleInAccount(ctx context.Context, accountID, roleID int64) (*RoleWithCount, error) {
	roles, err := s.RolesOf(ctx, accountID)
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

// CreateRole inserts a custom role with its permissions. It returns
// ErrConflict when the account already has a role of that name.
func (s *Store) CreateRole(ctx context.Context, r *Role, permissions []string) error {
	if err := s.q(ctx).Create(r).Error; err != nil {
		return translate(err)
	}
	return s.setRolePermissions(ctx, r.ID, permissions)
}

// UpdateRole changes a custom role's name, description and permissions.
func (s *Store) UpdateRole(ctx context.Context, r *Role, permissions []string) error {
	res := s.q(ctx).Model(&Role{}).Where("id = ? AND account_id = ?", r.ID, r.AccountID).
		Updates(map[string]any{"name": r.Name, "description": r.Description, "updated_at": r.UpdatedAt})
	if err := affectedOne(res.Error, res.RowsAffected); err != nil {
		return err
	}
	return s.setRolePermissions(ctx, r.ID, permissions)
}

func (s *Store) setRolePermissions(ctx context.Context, roleID int64, permissions []string) error {
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

// DeleteRole deletes a custom role of the account. It returns ErrConflict
// while the role has members.
func (s *Store) DeleteRole(ctx context.Context, accountID, roleID int64) error {
	res := s.q(ctx).Where("id = ? AND account_id = ?", roleID, accountID).Delete(&Role{})
	return affectedOne(res.Error, res.RowsAffected)
}

// AssignRole gives the user a role; holding it already is no error.
func (s *Store) AssignRole(ctx context.Context, ur *UserRole) error {
	return translate(s.q(ctx).Clauses(clause.OnConflict{DoNothing: true}).Create(ur).Error)
}

// UnassignRole takes a role from the user and reports whether they held it.
func (s *Store) UnassignRole(ctx context.Context, userID, roleID int64) (bool, error) {
	res := s.q(ctx).Where("user_id = ? AND role_id = ?", userID, roleID).Delete(&UserRole{})
	return res.RowsAffected == 1, translate(res.Error)
}

// RoleIDsOfUser returns the ids of the user's roles.
func (s *Store) RoleIDsOfUser(ctx context.Context, userID int64) ([]int64, error) {
	var ids []int64
	err := s.q(ctx).Model(&UserRole{}).Where("user_id = ?", userID).Order("role_id").Pluck("role_id", &ids).Error
	return ids, translate(err)
}

// MembersOfRole returns the users of the account holding the role.
func (s *Store) MembersOfRole(ctx context.Context, accountID, roleID int64) ([]User, error) {
	var out []User
	err := s.q(ctx).Where("account_id = ? AND id IN (?)", accountID,
		s.q(ctx).Model(&UserRole{}).Select("user_id").Where("role_id = ?", roleID)).
		Order("display_name, id").Find(&out).Error
	return out, translate(err)
}

// BuiltinRole returns the built-in role with key, or ErrNotFound.
func (s *Store) BuiltinRole(ctx context.Context, key string) (*Role, error) {
	var r Role
	if err := s.q(ctx).Where("key = ?", key).First(&r).Error; err != nil {
		return nil, translate(err)
	}
	return &r, nil
}
