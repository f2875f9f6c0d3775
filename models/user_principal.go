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
	sel, err := principalSelect(s.dialect)
	if err != nil {
		return nil, err
	}
	var out []PrincipalUser
	err = s.q(ctx).Table("users").Select(sel, SecretPassphrase, now).
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

// principalSelect is the column list of a PrincipalUser, for a query that
// joins users and accounts. Its two parameters are SecretPassphrase and the
// time asked about.
func principalSelect(d Dialect) (string, error) {
	cols, err := accountColumns()
	if err != nil {
		return "", err
	}
	joinPermissions := "string_agg(p.permission, ',')"
	if d == SQLite {
		joinPermissions = "group_concat(p.permission, ',')"
	}
	return `users.*, ` + cols + `,
			EXISTS (SELECT 1 FROM secrets s WHERE s.user_id = users.id AND s.kind = ?) AS has_passphrase,
			EXISTS (SELECT 1 FROM primary_transfers t WHERE t.account_id = users.account_id AND t.to_user_id = users.id
				AND t.decided_at IS NULL AND t.expires_at > ?) AS transfer_offered,
			(SELECT ` + joinPermissions + ` FROM (` + permissionsOfUser("users.id") + `) p) AS permission_list`, nil
}

// accountColumns lists every column of accounts under the prefix acct_,
// taken from the Account struct so a new column cannot be forgotten.
var accountColumns = sync.OnceValues(func() (string, error) { return prefixedColumns(&Account{}, "accounts", "acct_") })

// prefixedColumns lists the columns of model's table under a prefix, as
// GORM's embeddedPrefix expects them.
func prefixedColumns(model any, table, prefix string) (string, error) {
	sch, err := schema.Parse(model, &sync.Map{}, schema.NamingStrategy{})
	if err != nil {
		return "", err
	}
	cols := make([]string, len(sch.DBNames))
	for i, name := range sch.DBNames {
		cols[i] = table + "." + name + " AS " + prefix + name
	}
	return strings.Join(cols, ", "), nil
}
