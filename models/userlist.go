package models

import (
	"context"
	"errors"
	"strings"

	"gorm.io/gorm"
)

// User list sort orders.
const (
	SortName     = "name"
	SortUsername = "username"
	SortEmail    = "email"
)

// UserFilter selects users of one account for the console and for bulk
// actions "on everyone matching".
type UserFilter struct {
	AccountID int64
	// Search matches name, username or email containing it (any case).
	Search string
	// Status is "" for any.
	Status string
	// RoleID, when not zero, keeps holders of that role.
	RoleID int64
	// Privileged, when set, keeps users with (true) or without (false) any
	// permission, direct or through a role.
	Privileged *bool
	// MFA, when set, keeps users with (true) or without (false) a second
	// factor.
	MFA *bool
	// Match, when set, keeps users matching an expression of exact
	// comparisons (the SCIM filters of identity providers).
	Match *UserMatch
}

// The fields a UserMatch compares, each served by an index of users that
// starts with account_id.
const (
	MatchUsernameKey = "username_key"
	MatchEmailKey    = "email_key"
	MatchExternalID  = "external_id"
	MatchID          = "id"
	// MatchActive compares with a bool: not suspended (true) or suspended.
	MatchActive = "active"
)

// UserMatch is an expression over a user's row: And or Or of its Parts,
// Always or Never, or Field equal to Value (a string; an int64 for
// MatchID; a bool for MatchActive).
type UserMatch struct {
	And, Or       bool
	Always, Never bool
	Parts         []UserMatch
	Field         string
	Value         any
}

// errBadMatch refuses a UserMatch the store cannot translate; callers
// build them from a fixed set of fields, so it is a programming error.
var errBadMatch = errors.New("models: unknown user match")

// Condition returns the expression's SQL condition and its arguments, or
// an error for a match the store cannot run. Every column is one of the
// constants above, never from input.
func (m *UserMatch) Condition() (string, []any, error) {
	switch {
	case m.Always:
		return "1 = 1", nil, nil
	case m.Never:
		return "1 = 0", nil, nil
	case m.And || m.Or:
		if len(m.Parts) == 0 {
			return "", nil, errBadMatch
		}
		join := " AND "
		if m.Or {
			join = " OR "
		}
		conds := make([]string, 0, len(m.Parts))
		var args []any
		for i := range m.Parts {
			c, a, err := m.Parts[i].Condition()
			if err != nil {
				return "", nil, err
			}
			conds = append(conds, "("+c+")")
			args = append(args, a...)
		}
		return strings.Join(conds, join), args, nil
	}
	switch m.Field {
	case MatchUsernameKey, MatchEmailKey, MatchExternalID:
		v, ok := m.Value.(string)
		if !ok {
			return "", nil, errBadMatch
		}
		return m.Field + " = ?", []any{v}, nil
	case MatchID:
		v, ok := m.Value.(int64)
		if !ok {
			return "", nil, errBadMatch
		}
		return "id = ?", []any{v}, nil
	case MatchActive:
		v, ok := m.Value.(bool)
		if !ok {
			return "", nil, errBadMatch
		}
		if v {
			return "status <> ?", []any{StatusSuspended}, nil
		}
		return "status = ?", []any{StatusSuspended}, nil
	}
	return "", nil, errBadMatch
}

// UserCursor is a position in a sorted list: the sort key and id of a row.
type UserCursor struct {
	Key string
	ID  int64
}

// UserPage asks for one page: after (forward) or before (backward) a
// cursor, or the first page when both are nil.
type UserPage struct {
	Sort   string
	After  *UserCursor
	Before *UserCursor
	Limit  int
}

// sortKey is the expression a sort order walks, per dialect. Names sort
// without regard to case.
func sortKey(sort string) string {
	switch sort {
	case SortUsername:
		return "username_key"
	case SortEmail:
		return "email_key"
	}
	return "lower(display_name)"
}

// SortKeyOf returns u's value of the sort key, for building cursors.
func SortKeyOf(u *User, sort string) string {
	switch sort {
	case SortUsername:
		return u.UsernameKey
	case SortEmail:
		return u.EmailKey
	}
	return strings.ToLower(u.DisplayName)
}

func (s UserStore) filtered(ctx context.Context, f UserFilter) *gorm.DB {
	q := s.q(ctx).Model(&User{}).Where("account_id = ?", f.AccountID)
	if f.Search != "" {
		q = q.Where("search_text LIKE ? ESCAPE '\\'", "%"+likeEscape(strings.ToLower(f.Search))+"%")
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	if f.RoleID != 0 {
		q = q.Where("id IN (SELECT user_id FROM user_roles WHERE role_id = ?)", f.RoleID)
	}
	if f.Privileged != nil {
		cond := "(is_primary_admin OR id IN (SELECT user_id FROM user_permissions) OR id IN (SELECT user_id FROM user_roles))"
		if !*f.Privileged {
			cond = "NOT " + cond
		}
		q = q.Where(cond)
	}
	if f.Match != nil {
		cond, args, err := f.Match.Condition()
		if err != nil {
			_ = q.AddError(err)
			return q
		}
		q = q.Where("("+cond+")", args...)
	}
	if f.MFA != nil {
		if *f.MFA {
			q = q.Where("mfa_enrolled_at IS NOT NULL")
		} else {
			q = q.Where("mfa_enrolled_at IS NULL")
		}
	}
	return q
}

// likeEscape escapes LIKE's wildcards in text a user typed.
func likeEscape(s string) string {
	return strings.NewReplacer("\\", "\\\\", "%", "\\%", "_", "\\_").Replace(s)
}

// List returns one page of the filtered users in sort order (always
// ascending), using the sort index from a cursor rather than OFFSET, so
// the last page costs what the first does. It fetches one row more than
// the limit so the caller knows whether another page follows.
func (s UserStore) List(ctx context.Context, f UserFilter, p UserPage) ([]User, error) {
	return s.page(s.filtered(ctx, f), p)
}

// page applies a page's cursor, order and limit to q and runs it.
func (s UserStore) page(q *gorm.DB, p UserPage) ([]User, error) {
	key := sortKey(p.Sort)
	switch {
	case p.After != nil:
		q = q.Where("("+key+", id) > (?, ?)", p.After.Key, p.After.ID).Order(key + ", id")
	case p.Before != nil:
		q = q.Where("("+key+", id) < (?, ?)", p.Before.Key, p.Before.ID).Order(key + " DESC, id DESC")
	default:
		q = q.Order(key + ", id")
	}
	var out []User
	if err := q.Limit(p.Limit + 1).Find(&out).Error; err != nil {
		return nil, translate(err)
	}
	if p.Before != nil {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

// MatchingIDs returns up to limit ids of filtered users with id above
// afterID, in id order: bulk actions walk a selection in batches this way.
func (s UserStore) MatchingIDs(ctx context.Context, f UserFilter, afterID int64, limit int) ([]int64, error) {
	var ids []int64
	err := s.filtered(ctx, f).Where("id > ?", afterID).Order("id").Limit(limit).Pluck("id", &ids).Error
	return ids, translate(err)
}

// ListByID returns up to limit filtered users in id order, skipping the
// first offset: SCIM's startIndex paging, whose identity providers ask
// for small pages of few matches (the list's pages use cursors instead).
func (s UserStore) ListByID(ctx context.Context, f UserFilter, offset, limit int) ([]User, error) {
	var out []User
	q := s.filtered(ctx, f).Order("id")
	if offset > 0 {
		// The page's first id is found reading ids alone, which an index
		// gives without the rows (an index-only scan where the table is
		// vacuumed): OFFSET over whole rows read every skipped row.
		first := s.filtered(ctx, f).Select("id").Order("id").Offset(offset).Limit(1)
		q = q.Where("id >= (?)", first)
	}
	err := q.Limit(limit).Find(&out).Error
	return out, translate(err)
}

// Count counts the filtered users (for bulk previews, not every page).
func (s UserStore) Count(ctx context.Context, f UserFilter) (int64, error) {
	var n int64
	return n, translate(s.filtered(ctx, f).Count(&n).Error)
}
