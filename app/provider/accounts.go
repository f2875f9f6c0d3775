package provider

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// PageSize is how many accounts one page of the list shows.
const PageSize = 50

// MaxSearch is the longest search the list accepts, in characters: as
// long as a company name may be.
const MaxSearch = identity.DisplayNameMax

// Statuses the list filters by; StatusAll (or nothing) shows every one.
const StatusAll = "all"

// Sort directions.
const (
	Ascending  = "asc"
	Descending = "desc"
)

// ErrNotOperator refuses anyone but the provider's operators.
var ErrNotOperator = apperr.New(apperr.Forbidden, "Only the provider's operators may do this.")

// BadQuery is a list request the page cannot have made: an unknown sort
// or status, a broken cursor, a search too long. Message says which, in
// words an operator can act on.
type BadQuery struct{ Message string }

func (e *BadQuery) Error() string { return "bad accounts query: " + e.Message }

// ListQuery is the accounts list as the page asks for it; every field is
// text from the request, checked by ListAccounts.
type ListQuery struct {
	// Search is part of a company name, or an 8-digit account number.
	Search string
	Status string
	Sort   string
	Order  string
	// After and Before are opaque cursors from a previous page; Last asks
	// for the last page.
	After, Before string
	Last          bool
}

// AccountRow is one account of the list with its number of users.
type AccountRow struct {
	Account models.Account
	Users   int64
}

// AccountList is one page of accounts and the cursors to its neighbours.
type AccountList struct {
	Rows []AccountRow
	// Next and Prev are cursors, "" when there is no such page.
	Next, Prev string
	// The query as understood, with defaults filled in.
	Search, Status, Sort, Order string
	// ByNumber says the search was taken as an account number.
	ByNumber bool
}

var accountNumber = regexp.MustCompile(`^[0-9]{8}$`)

// ListAccounts returns one page of customer accounts. Pages move by
// cursor, never OFFSET, and no total is counted, so every page costs the
// same at 100,000 accounts. It returns ErrNotOperator for anyone but an
// operator and a *BadQuery for parameters the page does not make.
func (s *Service) ListAccounts(ctx context.Context, op *identity.Principal, q ListQuery) (*AccountList, error) {
	if !op.IsOperator() {
		return nil, ErrNotOperator
	}
	f, page, list, err := parseList(q)
	if err != nil {
		return nil, err
	}
	rows, err := s.store.Accounts.List(ctx, f, page)
	if err != nil {
		return nil, err
	}
	more := len(rows) > PageSize
	backward := page.Before != nil || page.Last
	if more && backward {
		rows = rows[1:]
	} else if more {
		rows = rows[:PageSize]
	}
	if len(rows) > 0 {
		first, last := &rows[0], &rows[len(rows)-1]
		if more && !backward || page.Before != nil {
			list.Next = encodeCursor(models.CursorOf(last, list.Sort))
		}
		if page.After != nil || more && backward {
			list.Prev = encodeCursor(models.CursorOf(first, list.Sort))
		}
	}
	return list, s.fillCounts(ctx, list, rows)
}

func (s *Service) fillCounts(ctx context.Context, list *AccountList, rows []models.ListedAccount) error {
	ids := make([]int64, len(rows))
	for i := range rows {
		ids[i] = rows[i].ID
	}
	counts, err := s.store.Accounts.UserCounts(ctx, ids)
	if err != nil {
		return err
	}
	for _, r := range rows {
		list.Rows = append(list.Rows, AccountRow{Account: r.Account, Users: counts[r.ID]})
	}
	return nil
}

// parseList checks the query and turns it into the store's filter and page.
func parseList(q ListQuery) (models.AccountFilter, models.AccountPage, *AccountList, error) {
	var f models.AccountFilter
	list := &AccountList{Search: strings.TrimSpace(q.Search), Status: q.Status, Sort: q.Sort, Order: q.Order}
	if utf8.RuneCountInString(list.Search) > MaxSearch {
		return f, models.AccountPage{}, nil, &BadQuery{"The search is too long: company names have at most " + strconv.Itoa(MaxSearch) + " characters. Type part of the name, or the 8-digit account number."}
	}
	if digits := numberTyped(list.Search); accountNumber.MatchString(digits) {
		f.Number, list.ByNumber = digits, true
	} else {
		f.NameContains = list.Search
	}
	switch list.Status {
	case "", StatusAll:
		list.Status = StatusAll
	case models.AccountPending, models.AccountActive, models.AccountSuspended, models.AccountClosed:
		f.Status = list.Status
	default:
		return f, models.AccountPage{}, nil, &BadQuery{"There is no such status. Choose pending, active, suspended, closed or all."}
	}
	switch list.Sort {
	case "":
		list.Sort = models.AccountsByName
	case models.AccountsByName, models.AccountsByNumber, models.AccountsByCreated:
	default:
		return f, models.AccountPage{}, nil, &BadQuery{"The list cannot be sorted that way. Sort by name, number or created."}
	}
	switch list.Order {
	case "":
		list.Order = Ascending
	case Ascending, Descending:
	default:
		return f, models.AccountPage{}, nil, &BadQuery{"The order must be asc (ascending) or desc (descending)."}
	}
	page := models.AccountPage{Sort: list.Sort, Desc: list.Order == Descending, Limit: PageSize, Last: q.Last}
	var err error
	if page.After, err = decodeCursor(q.After, list.Sort); err != nil {
		return f, page, nil, err
	}
	if page.Before, err = decodeCursor(q.Before, list.Sort); err != nil {
		return f, page, nil, err
	}
	if n := btoi(page.After != nil) + btoi(page.Before != nil) + btoi(page.Last); n > 1 {
		return f, page, nil, &BadQuery{"Ask for one page at a time: the next, the previous or the last."}
	}
	return f, page, list, nil
}

func btoi(b bool) int {
	if b {
		return 1
	}
	return 0
}

// cursor is a page boundary as it travels in a link: the sort key
// (a name's key, a number, or a creation time) and the row's id.
type cursor struct {
	Key string `json:"k"`
	ID  int64  `json:"i"`
}

func encodeCursor(c models.AccountCursor) string {
	key := c.Key
	if !c.At.IsZero() {
		key = c.At.UTC().Format(time.RFC3339Nano)
	}
	raw, _ := json.Marshal(cursor{Key: key, ID: c.ID})
	return base64.RawURLEncoding.EncodeToString(raw)
}

// errBadCursor refuses a cursor this list did not make (or made for
// another sort order).
var errBadCursor = &BadQuery{"This page link is broken or out of date. Start again from the first page."}

// decodeCursor reads a cursor of the list sorted by sort; "" is none.
func decodeCursor(s, sort string) (*models.AccountCursor, error) {
	if s == "" {
		return nil, nil
	}
	if len(s) > 1024 {
		return nil, errBadCursor
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	var c cursor
	if err != nil || json.Unmarshal(raw, &c) != nil || c.ID <= 0 || !utf8.ValidString(c.Key) || strings.ContainsRune(c.Key, 0) {
		return nil, errBadCursor
	}
	out := &models.AccountCursor{Key: c.Key, ID: c.ID}
	switch sort {
	case models.AccountsByCreated:
		if out.At, err = time.Parse(time.RFC3339Nano, c.Key); err != nil {
			return nil, errBadCursor
		}
		out.Key = ""
	case models.AccountsByNumber:
		if !accountNumber.MatchString(c.Key) {
			return nil, errBadCursor
		}
	}
	return out, nil
}

// numberTyped is search without the spaces and hyphens people type
// within a number read out on the phone ("1234 5678", "1234-5678"), when
// what is left is digits; else search unchanged.
func numberTyped(search string) string {
	digits := strings.Map(func(r rune) rune {
		if r == ' ' || r == '-' {
			return -1
		}
		return r
	}, search)
	if accountNumber.MatchString(digits) {
		return digits
	}
	return search
}
