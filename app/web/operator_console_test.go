package web_test

import (
	"cmp"
	"context"
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// console is a portal with first-run setup's account and an operator
// signed in.
type console struct {
	e     *apptest.Env
	admin apptest.Admin
	ops   *apptest.Client
}

func newConsole(t *testing.T, d models.Dialect) *console {
	t.Helper()
	e := apptest.Start(t, d, apptest.Options{})
	a := apptest.DefaultAdmin()
	e.Setup(a)
	e.AddOperator("Olga Ops", "olga@provider.example", deskPassword)
	ops := e.Client()
	if _, res := ops.SignInEnrolling("olga@provider.example", deskPassword, e.Clock); res.Location != "/" {
		t.Fatalf("operator sign-in ended at %q", res.Location)
	}
	return &console{e: e, admin: a, ops: ops}
}

// account creates a customer account directly, in any status, created at.
func (k *console) account(t *testing.T, number, name, status string, created time.Time) *models.Account {
	t.Helper()
	a := &models.Account{Number: number, Name: name, Status: status, PasswordPreset: "classic", MFAPolicy: models.MFAOff,
		CreatedAt: created.UTC(), UpdatedAt: created.UTC()}
	if status == models.AccountSuspended || status == models.AccountClosed {
		at := created.UTC().Add(time.Hour)
		a.StatusReason, a.StatusChangedAt = "Unpaid invoices since March", &at
	}
	if err := k.e.Store().Accounts.Create(context.Background(), a); err != nil {
		t.Fatal(err)
	}
	return a
}

// listed is one row of the accounts list.
type listed struct{ number, name, status, users, href string }

func rowsOf(res *apptest.Response) []listed {
	var out []listed
	res.Doc.Find("[data-testid=account-row]").Each(func(_ int, s *goquery.Selection) {
		link := s.Find("[data-testid=account-link]")
		href, _ := link.Attr("href")
		status, _ := s.Find("[data-testid=account-status]").Attr("data-status")
		out = append(out, listed{number: s.Find("[data-testid=account-number]").Text(), name: link.Text(), status: status,
			users: s.Find("[data-testid=account-users]").Text(), href: href})
	})
	return out
}

func numbersOf(rows []listed) []string {
	out := []string{}
	for _, r := range rows {
		out = append(out, r.number)
	}
	return out
}

// TestOperatorAccountsSearchFilterAndSort: the list shows customer
// accounts only, finds them by part of the name in any case or by the
// whole number, filters by status, sorts each way, counts users and links
// each account and the onboarding page.
func TestOperatorAccountsSearchFilterAndSort(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		k := newConsole(t, d)
		now := k.e.Clock.Now()
		globex := k.account(t, "20000001", "Globex Corporation", models.AccountPending, now.Add(-48*time.Hour))
		k.account(t, "20000002", "Initech", models.AccountSuspended, now.Add(-72*time.Hour))
		k.account(t, "20000003", "Hooli", models.AccountClosed, now.Add(-24*time.Hour))
		holdings, _ := k.e.AddAccount("20000004", "ACME Holdings", "holly", deskPassword)
		k.e.AddUser(holdings.ID, "holly2", deskPassword, models.StatusActive)
		k.e.AddUser(holdings.ID, "holly3", deskPassword, models.StatusSuspended)
		staff, err := k.e.Store().Accounts.Staff(context.Background())
		if err != nil {
			t.Fatal(err)
		}

		all := k.ops.Get("/operator")
		if all.Status != http.StatusOK {
			t.Fatalf("list: %d", all.Status)
		}
		if href, _ := all.Doc.Find("[data-testid=onboard-account]").Attr("href"); href != "/operator/accounts/new" {
			t.Errorf("onboard link: %q", href)
		}
		rows := rowsOf(all)
		if len(rows) != 5 {
			t.Fatalf("listed %d accounts, want the 5 customers: %v", len(rows), rows)
		}
		for _, r := range rows {
			if r.number == staff.Number {
				t.Fatal("the staff account is listed")
			}
			if r.number == "20000004" && (r.users != "3" || r.href != "/operator/accounts/"+apptest.Itoa(holdings.ID)) {
				t.Errorf("ACME Holdings row: %+v", r)
			}
		}
		pending := all.Doc.Find("[data-status=pending]")
		if got := strings.TrimSpace(pending.Text()); got != "Waiting for the Primary Admin" {
			t.Errorf("pending account's status reads %q", got)
		}

		searches := []struct {
			query string
			want  []string
		}{
			{"acme", []string{"20000004", k.setupNumber(t)}},
			{"  ACME  ", []string{"20000004", k.setupNumber(t)}},
			{"telecom", []string{k.setupNumber(t)}},
			{"20000001", []string{"20000001"}},
			{staff.Number, []string{}},
			{"2000000", []string{}},
			{"zzz", []string{}},
		}
		for _, s := range searches {
			res := k.ops.Get("/operator?" + url.Values{"q": {s.query}}.Encode())
			got := numbersOf(rowsOf(res))
			slices.Sort(got)
			slices.Sort(s.want)
			if res.Status != http.StatusOK || !slices.Equal(got, s.want) {
				t.Errorf("search %q: %d %v, want %v", s.query, res.Status, got, s.want)
			}
			if len(s.want) == 0 && res.Doc.Find("[data-testid=no-accounts]").Length() != 1 {
				t.Errorf("search %q: no 'No customer accounts match'", s.query)
			}
		}
		if res := k.ops.Get("/operator?q=20000001"); res.Doc.Find("[data-testid=search-by-number]").Length() != 1 {
			t.Error("a number search does not say it looked up the number")
		}
		if res := k.ops.Get("/operator?q=" + url.QueryEscape("2000-0001")); res.Doc.Find("[data-testid=search-by-number]").Length() != 1 {
			t.Error("a number typed with a hyphen is not looked up as the number")
		}

		for status, want := range map[string][]string{"pending": {globex.Number}, "suspended": {"20000002"}, "closed": {"20000003"},
			"active": {"20000004", k.setupNumber(t)}, "all": numbersOf(rows)} {
			res := k.ops.Get("/operator?status=" + status)
			got := numbersOf(rowsOf(res))
			slices.Sort(got)
			slices.Sort(want)
			if !slices.Equal(got, want) {
				t.Errorf("status %s: %v, want %v", status, got, want)
			}
			if sel, _ := res.Doc.Find("select[name=status] option[selected]").Attr("value"); sel != status {
				t.Errorf("status %s: the filter shows %q", status, sel)
			}
		}

		for _, sort := range []string{"name", "number", "created"} {
			for _, order := range []string{"asc", "desc"} {
				got := rowsOf(k.ops.Get("/operator?sort=" + sort + "&order=" + order))
				want := k.sorted(t, got, sort, order)
				if !slices.Equal(numbersOf(got), want) {
					t.Errorf("sort %s %s: %v, want %v", sort, order, numbersOf(got), want)
				}
			}
		}
	})
}

func (k *console) setupNumber(t *testing.T) string {
	t.Helper()
	a, err := k.e.Store().Accounts.ByID(context.Background(), k.e.User("ada").AccountID)
	if err != nil {
		t.Fatal(err)
	}
	return a.Number
}

// sorted orders rows as the list should, reading each account's name and
// creation from the database.
func (k *console) sorted(t *testing.T, rows []listed, sort, order string) []string {
	t.Helper()
	accounts := make([]*models.Account, len(rows))
	for i, r := range rows {
		a, err := k.e.Store().Accounts.ByNumber(context.Background(), r.number)
		if err != nil {
			t.Fatal(err)
		}
		accounts[i] = a
	}
	slices.SortFunc(accounts, func(a, b *models.Account) int {
		var c int
		switch sort {
		case "number":
			c = cmp.Compare(a.Number, b.Number)
		case "created":
			c = a.CreatedAt.Compare(b.CreatedAt)
		default:
			c = cmp.Compare(strings.ToLower(a.Name), strings.ToLower(b.Name))
		}
		if c == 0 {
			c = cmp.Compare(a.ID, b.ID)
		}
		if order == "desc" {
			return -c
		}
		return c
	})
	out := []string{}
	for _, a := range accounts {
		out = append(out, a.Number)
	}
	return out
}

// TestOperatorAccountsKeysetPages: across 130 accounts, with names and
// creation times that tie, "Next" from the first page and "Previous" from
// the last visit every account once, in order, 50 to a page.
func TestOperatorAccountsKeysetPages(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		k := newConsole(t, d)
		base := k.e.Clock.Now().Add(-1000 * time.Hour)
		for i := range 130 {
			status := models.AccountPending
			if i%4 == 0 {
				status = models.AccountActive
			}
			// Every name is shared by two accounts, every creation time by five.
			k.account(t, fmt.Sprintf("3%07d", 130-i), fmt.Sprintf("Company %03d", i/2), status, base.Add(time.Duration(i/5)*time.Hour))
		}
		for _, q := range []string{"sort=name&order=asc", "sort=created&order=desc", "sort=number&order=desc", "status=pending&sort=name&order=desc",
			"q=OMPANY+0&status=pending&sort=created&order=asc"} {
			t.Run(q, func(t *testing.T) {
				first := k.ops.Get("/operator?" + q)
				if first.Doc.Find("[data-testid=prev-page]").Length() != 0 || first.Doc.Find("[data-testid=first-page]").Length() != 0 {
					t.Error("the first page offers a previous page")
				}
				forward := k.walk(t, first, "next-page", func(rows []listed, acc []string) []string { return append(acc, numbersOf(rows)...) })
				total := k.countMatching(t, q)
				if len(forward) != total {
					t.Fatalf("Next visited %d accounts, want %d", len(forward), total)
				}
				if !slices.Equal(forward, k.sorted(t, rowsFromNumbers(forward), param(q, "sort"), param(q, "order"))) {
					t.Fatalf("Next visited them out of order: %v", forward)
				}
				lastHref, ok := first.Doc.Find("[data-testid=last-page]").Attr("href")
				if !ok {
					t.Fatal("the first page of more than 50 offers no last page")
				}
				last := k.ops.Get(lastHref)
				if last.Doc.Find("[data-testid=next-page]").Length() != 0 {
					t.Error("the last page offers a next page")
				}
				backward := k.walk(t, last, "prev-page", func(rows []listed, acc []string) []string { return append(numbersOf(rows), acc...) })
				if !slices.Equal(backward, forward) {
					t.Fatalf("Previous from the last page: %v\nNext from the first: %v", backward, forward)
				}
			})
		}
	})
}

func param(q, key string) string {
	v, _ := url.ParseQuery(q)
	if s := v.Get(key); s != "" {
		return s
	}
	return map[string]string{"sort": "name", "order": "asc"}[key]
}

func rowsFromNumbers(numbers []string) []listed {
	out := make([]listed, len(numbers))
	for i, n := range numbers {
		out[i].number = n
	}
	return out
}

// walk follows the link with testid from page to the end, checking each
// page holds at most 50 accounts and none twice.
func (k *console) walk(t *testing.T, page *apptest.Response, testid string, add func([]listed, []string) []string) []string {
	t.Helper()
	var out []string
	seen := map[string]bool{}
	for range 20 {
		if page.Status != http.StatusOK {
			t.Fatalf("page: %d", page.Status)
		}
		rows := rowsOf(page)
		if len(rows) == 0 || len(rows) > 50 {
			t.Fatalf("a page of %d accounts", len(rows))
		}
		for _, r := range rows {
			if seen[r.number] {
				t.Fatalf("account %s shown twice", r.number)
			}
			seen[r.number] = true
		}
		out = add(rows, out)
		href, ok := page.Doc.Find("[data-testid=" + testid + "]").Attr("href")
		if !ok {
			return out
		}
		page = k.ops.Get(href)
	}
	t.Fatal("the pages do not end")
	return nil
}

// countMatching counts the customer accounts the query's filter keeps,
// from the database.
func (k *console) countMatching(t *testing.T, q string) int {
	t.Helper()
	v, _ := url.ParseQuery(q)
	f := models.AccountFilter{Status: v.Get("status"), NameContains: v.Get("q")}
	rows, err := k.e.Store().Accounts.List(context.Background(), f, models.AccountPage{Limit: 100000})
	if err != nil {
		t.Fatal(err)
	}
	return len(rows)
}

// TestOperatorAccountsBadQueries: a query the page cannot have made gets
// a 400 page saying what is wrong, never a 500; text the portal refuses
// everywhere (a NUL, bytes that are no UTF-8) is dropped from the query
// as on every page, so the list shows unfiltered.
func TestOperatorAccountsBadQueries(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		k := newConsole(t, d)
		k.account(t, "20000009", "Second Co", models.AccountActive, k.e.Clock.Now())
		numberCursor := b64(`{"k":"20000009","i":1}`)
		cases := []struct {
			query, message string
		}{
			{"sort=size", "cannot be sorted that way"},
			{"sort=name%3B+DROP+TABLE+accounts", "cannot be sorted that way"},
			{"order=up", "asc (ascending) or desc"},
			{"status=deleted", "no such status"},
			{"status=ACTIVE", "no such status"},
			{"after=not-a-cursor", "broken or out of date"},
			{"before=%21%21%21", "broken or out of date"},
			{"after=" + b64(`{"k":"x","i":0}`), "broken or out of date"},
			{"after=" + b64(`{"k":"x"`), "broken or out of date"},
			{"sort=created&after=" + b64(`{"k":"yesterday","i":4}`), "broken or out of date"},
			{"sort=number&after=" + b64(`{"k":"1 OR 1=1","i":4}`), "broken or out of date"},
			{"after=" + strings.Repeat("A", 5000), "broken or out of date"},
			{"sort=number&after=" + numberCursor + "&before=" + numberCursor, "one page at a time"},
			{"last=1&after=" + numberCursor + "&sort=number", "one page at a time"},
			{"q=" + strings.Repeat("a", 101), "search is too long"},
			{"q=" + strings.Repeat("x", 10000), "search is too long"},
		}
		for _, c := range cases {
			res := k.ops.Get("/operator?" + c.query)
			page := res.Doc.Find("[data-testid=error-page]").Text()
			if res.Status != http.StatusBadRequest || !strings.Contains(page, c.message) {
				t.Errorf("%.80s: %d %q, want 400 saying %q", c.query, res.Status, strings.TrimSpace(page), c.message)
			}
			if href, _ := res.Doc.Find("[data-testid=error-page] a").Attr("href"); href != "/operator" {
				t.Errorf("%.80s: the 400 page links to %q", c.query, href)
			}
		}
		for _, q := range []string{"q=%00", "q=%FF%FE", "q=a%00b", "status=%00", "after=%00"} {
			res := k.ops.Get("/operator?" + q)
			if res.Status != http.StatusOK || len(rowsOf(res)) != 2 {
				t.Errorf("%s: %d with %d rows, want the whole list", q, res.Status, len(rowsOf(res)))
			}
		}
		past := k.ops.Get("/operator?sort=number&after=" + b64(`{"k":"99999998","i":1}`))
		if href, _ := past.Doc.Find("[data-testid=first-page]").Attr("href"); past.Status != http.StatusOK ||
			past.Doc.Find("[data-testid=no-accounts]").Length() != 1 || href != "/operator?order=asc&sort=number&status=all" {
			t.Errorf("a page past the end: %d, first page link %q", past.Status, href)
		}
		if res := k.ops.Get("/operator?q=" + url.QueryEscape("100% _\\")); res.Status != http.StatusOK || len(rowsOf(res)) != 0 {
			t.Errorf("wildcards: %d %d rows", res.Status, len(rowsOf(res)))
		}
	})
}

func b64(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }
