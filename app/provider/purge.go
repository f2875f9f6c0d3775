package provider

import (
	"context"
	"errors"
	"time"

	"accountportal/app/audit"
	"accountportal/models"
)

// Purgeable returns the closed accounts whose retention has passed, with
// their user counts: what Purge would remove now.
func (s *Lifecycle) Purgeable(ctx context.Context) ([]models.PurgeCandidate, error) {
	return s.store.Accounts.Purgeable(ctx, s.now())
}

// Purge deletes the closed account c with its users and their data, and
// records it in the provider's log (and under the account's id, whose
// audit entries stay: they have no foreign key). It returns
// models.ErrNotFound when the account is no longer due (reopened, or
// purged by someone else meanwhile).
func (s *Lifecycle) Purge(ctx context.Context, c models.PurgeCandidate) error {
	return s.store.InTx(ctx, func(tx *models.Store) error {
		now := s.now()
		if err := tx.Accounts.Purge(ctx, c.ID, now); err != nil {
			return err
		}
		details := map[string]any{"account_number": c.Number, "account_name": c.Name, "users": c.Users,
			"by": "accountportal accounts purge"}
		if c.StatusChangedAt != nil {
			details["closed_at"] = c.StatusChangedAt.UTC().Format(time.RFC3339)
		}
		entry := audit.Entry{AccountID: c.ID, Action: ActionAccountPurged, Details: details}
		if err := audit.Record(ctx, tx, now, entry); err != nil {
			return err
		}
		staff, err := tx.Accounts.Staff(ctx)
		if errors.Is(err, models.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		entry.AccountID = staff.ID
		return audit.Record(ctx, tx, now, entry)
	})
}
