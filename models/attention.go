package models

import "context"

// adminCondition keeps the users who are admins: the Primary Admin and
// holders of any permission, direct or through a role.
const adminCondition = "(users.is_primary_admin OR users.id IN (SELECT user_id FROM user_permissions) " +
	"OR users.id IN (SELECT user_id FROM user_roles))"

// ActiveAdminsWithoutPassphrase counts the account's active admins who have
// no support passphrase, in one query: the support desk will not act on
// their word until they set one.
func (s PrivilegeStore) ActiveAdminsWithoutPassphrase(ctx context.Context, accountID int64) (int64, error) {
	var n int64
	err := s.q(ctx).Table("users").
		Where("users.account_id = ? AND users.status = ? AND "+adminCondition, accountID, StatusActive).
		Where("NOT EXISTS (SELECT 1 FROM secrets s WHERE s.user_id = users.id AND s.kind = ?)", SecretPassphrase).
		Count(&n).Error
	return n, translate(err)
}

// Unfinished counts the account's bulk jobs that are queued or running.
func (s BulkJobStore) Unfinished(ctx context.Context, accountID int64) (int64, error) {
	var n int64
	err := s.q(ctx).Model(&BulkJob{}).Where("account_id = ? AND status IN ?", accountID, []string{BulkQueued, BulkRunning}).
		Count(&n).Error
	return n, translate(err)
}
