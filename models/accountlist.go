package models

import (
	"context"
	"time"

	"gorm.io/gorm"
)

// Orders of the operator console's list of customer accounts.
const (
	AccountsByName    = "name"
	AccountsByNumber  = "number"
	AccountsByCreated = "created"
)

// AccountFilter selects customer accounts for the operator console.
type AccountFilter struct {
	// NameContains keeps accounts whose company name contains it, in any
	// case.
	NameContains string
	// Number, when not "", keeps the account with that number.
	Number string
	// Status is "" for any.
	Status string
}

// AccountCursor is a position in the sorted list: the row's sort key
// (Key for name and number, At for created) and its id.
type AccountCursor struct {
	Key string
	At  time.Time
	ID  int64
}

// AccountPage asks for one page of up to Limit accounts in the order Sort
// (Desc reverses it): the rows after After, or before Before, the last
// page when Last is set, else the first page.
type AccountPage struct {
	Sort   string
	Desc   bool
	After  *AccountCursor
	Before *AccountCursor
	Last   bool
	Limit  int
}

// ListedAccount is an account as the list shows it, with its name's sort
// key as the database computes it: a cursor built from Go's own lower
// case could disagree with SQL's lower() on names outside ASCII and skip
// or repeat rows.
type ListedAccount struct {
	Account
	NameKey string
}

// CursorOf returns a's position in the list sorted by sort.
func CursorOf(a *ListedAccount, sort string) AccountCursor {
	switch sort {
	case AccountsByNumber:
		return AccountCursor{Key: a.Number, ID: a.ID}
	case AccountsByCreated:
		return AccountCursor{At: a.CreatedAt, ID: a.ID}
	}
	return AccountCursor{Key: a.NameKey, ID: a.ID}
}

// accountSortKey is the column a sort order walks; every one of them
// leads an index after kind (and status).
func accountSortKey(sort string) string {
	switch sort {
	case AccountsByNumber:
		return "number"
	case AccountsByCreated:
		return "created_at"
	}
	return "lower(name)"
}

func (c *AccountCursor) value(sort string) any {
	if sort == AccountsByCreated {
		return c.At.UTC()
	}
	return c.Key
}

// List returns one page of the customer accounts matching f, in the
// page's order, walking an index from a cursor rather than using OFFSET.
// It fetches one row more than the limit, beyond the page's far end
// (before it for Before and Last), so the caller knows whether another
// page follows.
func (s AccountStore) List(ctx context.Context, f AccountFilter, p AccountPage) ([]ListedAccount, error) {
	q := s.q(ctx).Model(&Account{}).Select("accounts.*, lower(name) AS name_key").Where("kind = ?", KindCustomer)
	q = s.filterAccounts(q, f)
	cursor, backward := p.After, false
	switch {
	case p.Before != nil:
		cursor, backward = p.Before, true
	case p.Last:
		cursor, backward = nil, true
	}
	key := accountSortKey(p.Sort)
	ascending := p.Desc == backward
	dir, op := " DESC", "<"
	if ascending {
		dir, op = " ASC", ">"
	}
	if cursor != nil {
		q = q.Where("("+key+", id) "+op+" (?, ?)", cursor.value(p.Sort), cursor.ID)
	}
	var out []ListedAccount
	if err := q.Order(key + dir + ", id" + dir).Limit(p.Limit + 1).Find(&out).Error; err != nil {
		return nil, translate(err)
	}
	if backward {
		for i, j := 0, len(out)-1; i < j; i, j = i+1, j-1 {
			out[i], out[j] = out[j], out[i]
		}
	}
	return out, nil
}

func (s AccountStore) filterAccounts(q *gorm.DB, f AccountFilter) *gorm.DB {
	if f.Number != "" {
		q = q.Where("number = ?", f.Number)
	}
	if f.NameContains != "" {
		q = q.Where("lower(name) LIKE lower(?) ESCAPE '\\'", "%"+likeEscape(f.NameContains)+"%")
	}
	if f.Status != "" {
		q = q.Where("status = ?", f.Status)
	}
	return q
}

// UserCounts returns how many users each of the accounts with ids has, in
// one grouped query; an account without users is missing from the map.
func (s AccountStore) UserCounts(ctx context.Context, ids []int64) (map[int64]int64, error) {
	out := make(map[int64]int64, len(ids))
	if len(ids) == 0 {
		return out, nil
	}
	cond, arg := s.inIDs("account_id", ids)
	var rows []struct {
		AccountID int64
		N         int64
	}
	err := s.q(ctx).Model(&User{}).Select("account_id, count(*) AS n").Where(cond, arg).Group("account_id").Scan(&rows).Error
	for _, r := range rows {
		out[r.AccountID] = r.N
	}
	return out, translate(err)
}

// UsersByStatus returns how many users the account has of each status.
func (s AccountStore) UsersByStatus(ctx context.Context, accountID int64) (map[string]int64, error) {
	var rows []struct {
		Status string
		N      int64
	}
	err := s.q(ctx).Model(&User{}).Select("status, count(*) AS n").Where("account_id = ?", accountID).Group("status").Scan(&rows).Error
	out := make(map[string]int64, len(rows))
	for _, r := range rows {
		out[r.Status] = r.N
	}
	return out, translate(err)
}

// LastSignIn returns the latest sign-in of any of the account's users, or
// nil when none has signed in.
func (s AccountStore) LastSignIn(ctx context.Context, accountID int64) (*time.Time, error) {
	var u []User
	err := s.q(ctx).Select("last_sign_in_at").Where("account_id = ? AND last_sign_in_at IS NOT NULL", accountID).
		Order("last_sign_in_at DESC").Limit(1).Find(&u).Error
	if err != nil || len(u) == 0 {
		return nil, translate(err)
	}
	return u[0].LastSignInAt, nil
}
