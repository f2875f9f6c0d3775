package admin

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/csv"
	"encoding/json"
	"errors"
	"io"
	"strings"
	"time"

	"accountportal/app/identity"
	"accountportal/models"
)

// Users runs the users console: the list, one user's page and the actions
// on one user.
type Users struct {
	core
	resets ResetIssuer
	// bulk applies a status change or second-factor reset to one user by
	// the rules and statements of the bulk action.
	bulk *Bulk
}

// NewUsers returns the users console's service.
func NewUsers(sh Shared, resets ResetIssuer, bulk *Bulk) *Users {
	return &Users{core: newCore(sh), resets: resets, bulk: bulk}
}

// ListQuery is the users list as the page asks for it.
type ListQuery struct {
	Filter models.UserFilter
	Sort   string
	Size   int
	// After and Before are opaque cursors from a previous page.
	After, Before string
}

// UserRow is one user in the list.
type UserRow struct {
	User  models.User
	Roles []string
	Areas []string
	// Permits says which actions the actor may take on the user.
	Permits Permits
}

// UserList is one page of users and the cursors to its neighbours.
type UserList struct {
	Rows       []UserRow
	Next, Prev string
	Size       int
	Sort       string
}

// ListUsers returns one page of the actor's account's users. Pages move by
// cursor (the sort key and id of the last row seen), never OFFSET, and no
// total is counted.
func (s *Users) ListUsers(ctx context.Context, actor *identity.Principal, q ListQuery) (*UserList, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, ErrNoUsersManage
	}
	q.Filter.AccountID = actor.Account.ID
	if q.Sort != models.SortUsername && q.Sort != models.SortEmail {
		q.Sort = models.SortName
	}
	if !validSize(q.Size) {
		q.Size = 25
	}
	page := models.UserPage{Sort: q.Sort, Limit: q.Size, After: decodeCursor(q.After), Before: decodeCursor(q.Before)}
	if page.After != nil {
		page.Before = nil
	}
	users, err := s.store.Users.List(ctx, q.Filter, page)
	if err != nil {
		return nil, err
	}
	more := len(users) > q.Size
	if more && page.Before != nil {
		users = users[1:]
	} else if more {
		users = users[:q.Size]
	}
	list := &UserList{Size: q.Size, Sort: q.Sort}
	if len(users) > 0 {
		first, last := &users[0], &users[len(users)-1]
		if more || page.Before != nil {
			list.Next = encodeCursor(models.UserCursor{Key: models.SortKeyOf(last, q.Sort), ID: last.ID})
		}
		if page.After != nil || (page.Before != nil && more) {
			list.Prev = encodeCursor(models.UserCursor{Key: models.SortKeyOf(first, q.Sort), ID: first.ID})
		}
	}
	privs, err := s.fillRows(ctx, actor, list, users)
	if err != nil {
		return nil, err
	}
	return list, s.permitRows(ctx, actor, list, users, privs)
}

// validSize reports whether n is a page size the list offers.
func validSize(n int) bool { return n == 25 || n == 50 || n == 100 }

// fillRows adds users to the list with their roles and areas, and returns
// what else of their privileges permitRows needs (the user the pending
// transfer is offered to, effective permissions, whose password reset
// wrong answers block): one statement for all.
func (s *Users) fillRows(ctx context.Context, actor *identity.Principal, list *UserList, users []models.User) (models.Privileges, error) {
	ids := make([]int64, len(users))
	for i := range users {
		ids[i] = users[i].ID
	}
	ask := models.ListedAsk{AccountID: actor.Account.ID, Now: s.now(), Effective: needsEffective(actor), LockedKeys: make([]string, len(ids))}
	for i, id := range ids {
		ask.LockedKeys[i] = s.resets.AnswerKey(id)
	}
	privs, err := s.store.Privileges.ListedOf(ctx, ask, ids)
	if err != nil {
		return privs, err
	}
	for _, u := range users {
		list.Rows = append(list.Rows, UserRow{User: u, Roles: privs.Roles[u.ID], Areas: privs.Areas[u.ID]})
	}
	return privs, nil
}

// encodeCursor writes a cursor as URL-safe text. Names keep their <, >
// and & as they are (not \u003c): the cursor stays short in a link.
func encodeCursor(c models.UserCursor) string {
	var raw bytes.Buffer
	enc := json.NewEncoder(&raw)
	enc.SetEscapeHTML(false)
	_ = enc.Encode(c)
	return base64.RawURLEncoding.EncodeToString(bytes.TrimSuffix(raw.Bytes(), []byte("\n")))
}

// decodeCursor reads a cursor; anything malformed means "from the start".
func decodeCursor(s string) *models.UserCursor {
	if s == "" {
		return nil
	}
	raw, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return nil
	}
	var c models.UserCursor
	if json.Unmarshal(raw, &c) != nil || c.ID <= 0 {
		return nil
	}
	return &c
}

// usersCSVHeader names the columns of the users CSV.
var usersCSVHeader = []string{"name", "username", "email", "status", "primary admin", "roles", "admin areas",
	"multi-factor authentication", "last sign-in (UTC)", "created (UTC)"}

// ExportUsers writes the users matching f as CSV, in batches, so a large
// account never sits in memory. Every cell is CSVSafe: a name can be a
// spreadsheet formula.
func (s *Users) ExportUsers(ctx context.Context, actor *identity.Principal, f models.UserFilter, w io.Writer) error {
	if !actor.Can(identity.PermUsersManage) {
		return ErrNoUsersManage
	}
	f.AccountID = actor.Account.ID
	cw := csv.NewWriter(w)
	if err := cw.Write(usersCSVHeader); err != nil {
		return err
	}
	var after int64
	for {
		ids, err := s.store.Users.MatchingIDs(ctx, f, after, defaultBatch)
		if err != nil || len(ids) == 0 {
			cw.Flush()
			return errors.Join(err, cw.Error())
		}
		if err := s.exportBatch(ctx, actor, ids, cw); err != nil {
			return err
		}
		after = ids[len(ids)-1]
	}
}

// exportBatch writes one batch of users, their roles and areas read in a
// few queries whatever its size.
func (s *Users) exportBatch(ctx context.Context, actor *identity.Principal, ids []int64, cw *csv.Writer) error {
	users, err := s.store.Users.ByIDs(ctx, actor.Account.ID, ids)
	if err != nil {
		return err
	}
	privs, err := s.store.Privileges.Of(ctx, ids)
	if err != nil {
		return err
	}
	areas, err := s.store.Privileges.EffectiveOf(ctx, ids)
	if err != nil {
		return err
	}
	for _, u := range users {
		rec := []string{u.DisplayName, u.Username, u.Email, u.Status, yesNo(u.IsPrimaryAdmin),
			strings.Join(privs.Roles[u.ID], "; "), areaNames(&u, areas[u.ID]), mfaState(&u), csvTime(u.LastSignInAt), csvTime(&u.CreatedAt)}
		for i := range rec {
			rec[i] = CSVSafe(rec[i])
		}
		if err := cw.Write(rec); err != nil {
			return err
		}
	}
	return nil
}

// areaNames lists the admin areas a user may act in, by their labels.
func areaNames(u *models.User, perms []string) string {
	if u.IsPrimaryAdmin {
		return "every area"
	}
	names := make([]string, len(perms))
	for i, p := range perms {
		names[i] = identity.PermissionLabel(p)
	}
	return strings.Join(names, "; ")
}

// mfaState says whether a user has set up multi-factor authentication.
func mfaState(u *models.User) string {
	if u.MFAEnrolledAt == nil {
		return "not set up"
	}
	return "set up"
}

// csvTime writes a moment as the CSV's UTC minutes, or "" for none.
func csvTime(t *time.Time) string {
	if t == nil {
		return ""
	}
	return t.UTC().Format("2006-01-02 15:04")
}

func yesNo(b bool) string {
	if b {
		return "yes"
	}
	return "no"
}
