package web_test

import (
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// TestAuditLogAuthorization: only holders of "View the audit log" (the
// Primary Admin holds everything) may see the page or download the CSV.
func TestAuditLogAuthorization(t *testing.T) {
	w := newWorld(t, models.SQLite)
	want := map[string]int{anon: see, plain: deny, company: ok, itAdmin: ok, billing: deny, custom: ok,
		oneArea: deny, primary: ok, otherAcc: ok, agent: deny, operator: deny}
	for _, persona := range personas {
		c := w.client(t, persona)
		for _, path := range []string{"/admin/audit", "/admin/audit.csv", "/admin/audit?view=support"} {
			if res := c.Get(path); res.Status != want[persona] {
				t.Errorf("%s as %s: %d, want %d", path, persona, res.Status, want[persona])
			}
		}
	}
}

// auditEnv is a portal whose Primary Admin's account has 120 events more
// than setup wrote, and a second account with events of its own.
type auditEnv struct {
	e       *apptest.Env
	pa      *apptest.Client
	account *models.Account
}

func newAuditEnv(t *testing.T, d models.Dialect) *auditEnv {
	t.Helper()
	e := apptest.Start(t, d, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	ctx := context.Background()
	acct, err := e.Store().Accounts.ByID(ctx, e.User("ada").AccountID)
	if err != nil {
		t.Fatal(err)
	}
	other, _ := e.AddAccount("23232323", "Other Co", "oscar", personaPassword)
	for i := range 120 {
		action := "role.created"
		if i%3 == 0 {
			action = "user.suspended"
		}
		appendAudit(t, e, &models.AuditEvent{At: e.Clock.Now().Add(time.Duration(i) * time.Second), AccountID: &acct.ID,
			ActorName: "Ada Admin (ada)", Action: action, TargetName: fmt.Sprintf("T%03d", i)})
		if i%10 == 0 {
			appendAudit(t, e, &models.AuditEvent{At: e.Clock.Now(), AccountID: &other.ID,
				ActorName: "Oscar Other (oscar)", Action: action, TargetName: "Secret Other"})
		}
	}
	return &auditEnv{e: e, pa: pa, account: acct}
}

func appendAudit(t *testing.T, e *apptest.Env, ev *models.AuditEvent) {
	t.Helper()
	if err := e.Store().Audit.Append(context.Background(), ev); err != nil {
		t.Fatal(err)
	}
}

// targets returns whom each event of an audit page is about, as its raw
// entry says.
func targets(res *apptest.Response) []string {
	var out []string
	for _, e := range rawEntries(res) {
		target, _ := e["target"].(string)
		out = append(out, target)
	}
	return out
}

// rawEntries reads the raw entry behind each event's disclosure.
func rawEntries(res *apptest.Response) []map[string]any {
	var out []map[string]any
	res.Doc.Find("[data-testid=audit-row] [data-testid=audit-raw]").Each(func(_ int, s *goquery.Selection) {
		var e map[string]any
		if err := json.Unmarshal([]byte(s.Text()), &e); err != nil {
			panic(err)
		}
		out = append(out, e)
	})
	return out
}

// walk follows the link with testid from page to page, collecting targets.
func walk(t *testing.T, c *apptest.Client, start, testid string) (pages [][]string, last *apptest.Response) {
	t.Helper()
	res := c.Get(start)
	for range 20 {
		if res.Status != http.StatusOK {
			t.Fatalf("%s: %d", start, res.Status)
		}
		pages = append(pages, targets(res))
		next, ok := res.Doc.Find("[data-testid=" + testid + "]").Attr("href")
		if !ok {
			return pages, res
		}
		start = next
		res = c.Get(next)
	}
	t.Fatal("too many pages")
	return nil, nil
}

// The Primary Admin walks the whole log with Older and back with Newer,
// seeing their own account's events once each and nobody else's.
func TestAuditLogPages(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		a := newAuditEnv(t, d)
		all, err := a.e.Store().Audit.ForAccount(context.Background(), a.account.ID, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for _, ev := range all {
			want = append(want, ev.TargetName)
		}
		pages, last := walk(t, a.pa, "/admin/audit", "audit-older")
		if len(pages) != (len(want)+49)/50 || len(pages[0]) != 50 || !slices.Equal(slices.Concat(pages...), want) {
			t.Fatalf("older: %d pages, %d events, want %d", len(pages), len(slices.Concat(pages...)), len(want))
		}
		if strings.Contains(last.Body, "Secret Other") || strings.Contains(last.Body, "oscar") {
			t.Fatal("another account's events shown")
		}
		href, _ := last.Doc.Find("[data-testid=audit-newer]").Attr("href")
		back, first := walk(t, a.pa, href, "audit-newer")
		slices.Reverse(back)
		if !slices.Equal(slices.Concat(back...), slices.Concat(pages[:len(pages)-1]...)) {
			t.Fatalf("newer pages differ: %v", back)
		}
		if first.Doc.Find("[data-testid=audit-older]").Length() != 1 {
			t.Fatal("no Older link on the newest page")
		}
	})
}

func TestAuditLogFilters(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		a := newAuditEnv(t, d)
		res := a.pa.Get("/admin/audit?action=user.suspended&actor=ADA+admin&size=25")
		rows := res.Doc.Find("[data-testid=audit-row]")
		if res.Status != http.StatusOK || rows.Length() != 25 {
			t.Fatalf("filtered: %d, %d rows", res.Status, rows.Length())
		}
		for i, e := range rawEntries(res) {
			sentence := rows.Eq(i).Find("[data-testid=audit-sentence]").Text()
			if e["action"] != "user.suspended" || sentence != "Ada Admin deactivated "+e["target"].(string) {
				t.Errorf("%v (%q) in a filtered page", e["action"], sentence)
			}
		}
		if v, _ := res.Doc.Find("select#action option[selected]").Attr("value"); v != "user.suspended" {
			t.Fatalf("selected action %q", v)
		}
		older, _ := res.Doc.Find("[data-testid=audit-older]").Attr("href")
		for _, part := range []string{"action=user.suspended", "actor=ADA+admin", "size=25", "before="} {
			if !strings.Contains(older, part) {
				t.Fatalf("older link %q lacks %s", older, part)
			}
		}
		pages, _ := walk(t, a.pa, "/admin/audit?action=user.suspended&actor=ADA+admin&size=25", "audit-older")
		if n := len(slices.Concat(pages...)); n != 40 {
			t.Fatalf("%d suspended events, want 40", n)
		}
		if csv, _ := res.Doc.Find("[data-testid=audit-csv]").Attr("href"); csv != "/admin/audit.csv?action=user.suspended&actor=ADA+admin" {
			t.Fatalf("csv link %q", csv)
		}
		if n := a.pa.Get("/admin/audit?actor=oscar").Doc.Find("[data-testid=audit-row]").Length(); n != 0 {
			t.Fatalf("filtering by another account's actor shows %d rows", n)
		}
		today := a.e.Clock.Now().Format("2006-01-02")
		if n := a.pa.Get("/admin/audit?from=" + today + "&to=" + today + "&target=t11").Doc.Find("[data-testid=audit-row]").Length(); n != 10 {
			t.Fatalf("date and target filter: %d rows, want 10 (T110-T119)", n)
		}
	})
}

func TestAuditLogInvalidDates(t *testing.T) {
	a := newAuditEnv(t, models.SQLite)
	res := a.pa.Get("/admin/audit?from=2026-13-01&to=2026-11-01&action=role.created")
	if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-summary]").Length() != 1 ||
		res.Doc.Find("[data-testid=error-from]").Length() != 1 || res.Doc.Find("[data-testid=audit-table]").Length() != 0 {
		t.Fatalf("bad date: %d\n%s", res.Status, res.Body)
	}
	if v, _ := res.Doc.Find("input#from").Attr("value"); v != "2026-13-01" {
		t.Fatalf("the typed date was not kept: %q", v)
	}
	res = a.pa.Get("/admin/audit?from=2026-11-24&to=2026-11-23")
	if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-to]").Length() != 1 {
		t.Fatalf("end before start: %d", res.Status)
	}
}

// An event shows a sentence and where it came from, its IP and browser in
// a few words; the raw entry, behind its disclosure, has the stored
// details and the user agent shortened, never the whole fingerprint.
func TestAuditLogRow(t *testing.T) {
	a := newAuditEnv(t, models.SQLite)
	ua := "Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/131.0.0.0 Safari/537.36 Fingerprint"
	appendAudit(t, a.e, &models.AuditEvent{At: a.e.Clock.Now(), AccountID: &a.account.ID, ActorName: "Ada Admin (ada)",
		Action: "role.deleted", IP: "192.0.2.9", UserAgent: ua, Details: `{"name":"Night <shift>"}`})
	row := a.pa.Get("/admin/audit").Doc.Find("[data-testid=audit-row]").First()
	if got := row.Find("[data-testid=audit-origin]").Text(); got != "from 192.0.2.9 (Chrome on Linux)" {
		t.Fatalf("origin %q", got)
	}
	shown, _ := row.Find("[data-testid=audit-raw]").Html()
	if !strings.Contains(shown, ua[:59]+"…") {
		t.Fatalf("user agent in the raw entry: %q", shown)
	}
	if html, _ := row.Html(); strings.Contains(html, "Fingerprint") {
		t.Fatal("the whole user agent is in the page")
	}
	if got := row.Find("[data-testid=audit-sentence]").Text(); got != "Ada Admin deleted the role Night <shift>" {
		t.Fatalf("sentence %q", got)
	}
	if got := row.Find("details pre[data-testid=audit-raw]").Text(); !strings.Contains(got, `"name": "Night <shift>"`) {
		t.Fatalf("raw entry %q", got)
	}
}

func TestAuditLogCSV(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		a := newAuditEnv(t, d)
		ua := strings.Repeat("UA", 60)
		appendAudit(t, a.e, &models.AuditEvent{At: a.e.Clock.Now(), AccountID: &a.account.ID, ActorName: "Ada Admin (ada)",
			Action: "user.renamed", TargetName: `=HYPERLINK("http://evil.example","click")`, UserAgent: ua})
		res, err := a.pa.HTTP.Get(a.e.URL + "/admin/audit.csv?action=user.renamed")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		body, _ := io.ReadAll(res.Body)
		name := "audit-" + a.account.Number + "-" + a.e.Clock.Now().Format("2006-01-02") + ".csv"
		if res.StatusCode != http.StatusOK || res.Header.Get("Content-Type") != "text/csv; charset=utf-8" ||
			res.Header.Get("Content-Disposition") != `attachment; filename="`+name+`"` {
			t.Fatalf("csv: %d %v", res.StatusCode, res.Header)
		}
		rows, err := csv.NewReader(strings.NewReader(string(body))).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) != 2 || strings.Join(rows[0], ",") != "time,actor,action,target,ip,user agent,details,description" {
			t.Fatalf("rows %q", rows)
		}
		if rows[1][3] != `'=HYPERLINK("http://evil.example","click")` || rows[1][5] != ua || rows[1][0] != "2026-11-23T09:00:00Z" ||
			rows[1][7] != `Ada Admin did user.renamed to =HYPERLINK("http://evil.example","click")` {
			t.Fatalf("row %q", rows[1])
		}
		all, err := a.pa.HTTP.Get(a.e.URL + "/admin/audit.csv")
		if err != nil {
			t.Fatal(err)
		}
		defer all.Body.Close()
		text, _ := io.ReadAll(all.Body)
		if strings.Contains(string(text), "Secret Other") || !strings.Contains(string(text), "T119") {
			t.Fatal("the whole CSV has another account's events or misses this one's")
		}
		if bad := a.pa.Get("/admin/audit.csv?from=nope"); bad.Status != http.StatusUnprocessableEntity ||
			bad.Header.Get("Content-Disposition") != "" {
			t.Fatalf("bad filter: %d %v", bad.Status, bad.Header)
		}
	})
}

// The "What" filter offers each action by its label, with its code as the
// value, so the address and the CSV filter by code as before.
func TestAuditLogFilterOffersActionsByLabel(t *testing.T) {
	a := newAuditEnv(t, models.SQLite)
	res := a.pa.Get("/admin/audit?action=user.suspended")
	if res.Status != http.StatusOK {
		t.Fatalf("status %d", res.Status)
	}
	got := map[string]string{}
	res.Doc.Find("select#action option").Each(func(_ int, o *goquery.Selection) {
		got[o.AttrOr("value", "")] = o.Text()
	})
	want := map[string]string{"": "All actions", "account.setup": "Account set up",
		"role.created": "Role created", "user.suspended": "User deactivated"}
	for value, label := range want {
		if got[value] != label {
			t.Errorf("option %q reads %q, want %q", value, got[value], label)
		}
	}
	for value, label := range got {
		if value != "" && (label == value || strings.Contains(label, ".")) {
			t.Errorf("option %q is offered by its code: %q", value, label)
		}
	}
	if sel := res.Doc.Find("select#action option[selected]"); sel.AttrOr("value", "") != "user.suspended" || sel.Text() != "User deactivated" {
		t.Errorf("selected: %q %q", sel.AttrOr("value", ""), sel.Text())
	}
}
