package models

import "context"

// LatestFor returns the account's newest audit event of action about
// targetID, or ErrNotFound.
func (s AuditStore) LatestFor(ctx context.Context, accountID, targetID int64, action string) (*AuditEvent, error) {
	var e AuditEvent
	err := s.q(ctx).Where("account_id = ? AND target_id = ? AND action = ?", accountID, targetID, action).
		Order("id DESC").First(&e).Error
	if err != nil {
		return nil, translate(err)
	}
	return &e, nil
}
