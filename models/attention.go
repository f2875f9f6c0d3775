package models

import (
	"context"
	"strings"
	"time"

	"gorm.io/gorm"
)

// adminCondition keeps the users who are admins: the Primary Admin and
// holders of any permission, direct or through a role.
const adminCondition = "(users.is_primary_admin OR users.id IN (SELECT user_id FROM user_permissions) " +
	"OR users.id IN (SELECT user_id FROM user_roles))"

// AttentionAsk says which of an account's home page counts to take. The
// caller asks only for what the admin may see, so nothing else is read.
type AttentionAsk struct {
	AccountID int64
	// AdminsWithoutPassphrase counts the active admins with no support
	// passphrase.
	AdminsWithoutPassphrase bool
	// MFAOwed, when set, counts the users it selects.
	MFAOwed *UserFilter
	// Invited counts the users who never chose a password.
	Invited bool
	// BulkUnfinished counts the bulk jobs queued or running.
	BulkUnfinished bool
	// TransferFrom, when not 0, reads the account's undecided Primary Admin
	// transfer if this user asked for it.
	TransferFrom int64
}

// AttentionCounts answers an AttentionAsk; what was not asked stays zero.
type AttentionCounts struct {
	AdminsWithoutPassphrase int64 `gorm:"column:admins_without_passphrase"`
	UsersWithoutMFA         int64 `gorm:"column:users_without_mfa"`
	Invited                 int64 `gorm:"column:invited"`
	BulkUnfinished          int64 `gorm:"column:bulk_unfinished"`
	// The undecided transfer TransferFrom asked for: nil ID when there
	// is none.
	TransferID        *int64     `gorm:"column:transfer_id"`
	TransferToName    *string    `gorm:"column:transfer_to_name"`
	TransferExpiresAt *time.Time `gorm:"column:transfer_expires_at"`
}

// Attention takes what ask asks for in one statement, each count a scalar
// subquery over the account's rows, the transfer a join (a join keeps its
// column's type, which SQLite loses for a subquery's value). The statement
// reads the account's row, so it returns ErrNotFound for an unknown account.
func (s PrivilegeStore) Attention(ctx context.Context, ask AttentionAsk) (AttentionCounts, error) {
	var cols []string
	var vars []any
	add := func(name string, sub *gorm.DB) {
		cols = append(cols, "(?) AS "+name)
		vars = append(vars, sub.Select("count(*)"))
	}
	users := UserStore(s)
	if ask.AdminsWithoutPassphrase {
		add("admins_without_passphrase", s.q(ctx).Table("users").
			Where("users.account_id = ? AND users.status = ? AND "+adminCondition, ask.AccountID, StatusActive).
			Where("NOT EXISTS (SELECT 1 FROM secrets s WHERE s.user_id = users.id AND s.kind = ?)", SecretPassphrase))
	}
	if ask.MFAOwed != nil {
		add("users_without_mfa", users.filtered(ctx, *ask.MFAOwed))
	}
	if ask.Invited {
		add("invited", users.filtered(ctx, UserFilter{AccountID: ask.AccountID, Status: StatusInvited}))
	}
	if ask.BulkUnfinished {
		add("bulk_unfinished", s.q(ctx).Model(&BulkJob{}).
			Where("account_id = ? AND status IN ?", ask.AccountID, []string{BulkQueued, BulkRunning}))
	}
	q := s.q(ctx).Table("accounts")
	if ask.TransferFrom != 0 {
		cols = append(cols, "pt.id AS transfer_id, tu.display_name AS transfer_to_name, pt.expires_at AS transfer_expires_at")
		q = q.Joins("LEFT JOIN primary_transfers pt ON pt.account_id = accounts.id AND pt.decided_at IS NULL AND pt.from_user_id = ?", ask.TransferFrom).
			Joins("LEFT JOIN users tu ON tu.id = pt.to_user_id AND tu.account_id = pt.account_id")
	}
	var out AttentionCounts
	if len(cols) == 0 {
		return out, nil
	}
	res := q.Select(strings.Join(cols, ", "), vars...).Where("accounts.id = ?", ask.AccountID).Scan(&out)
	if res.Error == nil && res.RowsAffected == 0 {
		return out, ErrNotFound
	}
	return out, translate(res.Error)
}
