package admin

import (
	"context"
	"encoding/csv"
	"errors"
	"io"

	"accountportal/app/identity"
	"accountportal/models"
)

// BulkPreview returns the first limit users of a selection and how many
// it holds in all, for the page that asks "are you sure?".
func (s *Service) BulkPreview(ctx context.Context, actor *identity.Principal, sel Selection, limit int) ([]models.User, int64, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, 0, ErrNoUsersManage
	}
	if sel.Matching == nil {
		ids := dedupeIDs(sel.IDs)
		users, err := s.store.UsersByIDs(ctx, actor.Account.ID, ids[:min(len(ids), s.batch)])
		if err != nil {
			return nil, 0, err
		}
		total := int64(len(users))
		if len(ids) > s.batch {
			total = int64(len(ids))
		}
		return users[:min(len(users), limit)], total, nil
	}
	f := *sel.Matching
	f.AccountID = actor.Account.ID
	total, err := s.store.CountUsers(ctx, f)
	if err != nil {
		return nil, 0, err
	}
	ids, err := s.store.MatchingUserIDs(ctx, f, 0, limit)
	if err != nil {
		return nil, 0, err
	}
	users, err := s.store.UsersByIDs(ctx, actor.Account.ID, ids)
	return users, total, err
}

// ExportUsers writes the users matching f as CSV, in batches, so a large
// account never sits in memory.
func (s *Service) ExportUsers(ctx context.Context, actor *identity.Principal, f models.UserFilter, w io.Writer) error {
	if !actor.Can(identity.PermUsersManage) {
		return ErrNoUsersManage
	}
	f.AccountID = actor.Account.ID
	cw := csv.NewWriter(w)
	if err := cw.Write([]string{"name", "username", "email", "status", "primary admin", "last sign-in (UTC)", "created (UTC)"}); err != nil {
		return err
	}
	var after int64
	for {
		ids, err := s.store.MatchingUserIDs(ctx, f, after, s.batch)
		if err != nil || len(ids) == 0 {
			cw.Flush()
			return errors.Join(err, cw.Error())
		}
		users, err := s.store.UsersByIDs(ctx, actor.Account.ID, ids)
		if err != nil {
			return err
		}
		for _, u := range users {
			last := ""
			if u.LastSignInAt != nil {
				last = u.LastSignInAt.UTC().Format("2006-01-02 15:04")
			}
			rec := []string{u.DisplayName, u.Username, u.Email, u.Status, yesNo(u.IsPrimaryAdmin), last, u.CreatedAt.UTC().Format("2006-01-02 15:04")}
			for i := range rec {
				rec[i] = csvSafe(rec[i])
			}
			if err := cw.Write(rec); err != nil {
				return err
			}
		}
		after = ids[len(ids)-1]
	}
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
