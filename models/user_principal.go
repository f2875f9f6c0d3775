package models

import (
	"context"
	"strings"
	"sync"
	"time"

	"gorm.io/gorm/schema"
)

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

// PrincipalByID returns the user with id, their account and those facts
// in one query, or ErrNotFound: it runs on every signed-in request, so it
// costs one round trip to the database instead of four.
func (s UserStore) PrincipalByID(ctx context.Context, id int64, now time.Time) (*PrincipalUser, error) {
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
