package web_test

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

// auditDetails reads an event's labelled details as a sighted reader
// sees them, "Label: value" or "Label: before → after".
func auditDetails(row *goquery.Selection) []string {
	var out []string
	row.Find("[data-testid=audit-details] > div").Each(func(_ int, d *goquery.Selection) {
		dd := d.Find("dd").Clone()
		dd.Find(".visually-hidden").Remove()
		out = append(out, d.Find("dt").Text()+": "+strings.Join(strings.Fields(dd.Text()), " "))
	})
	return out
}

// eventSaying is the event of a page whose sentence is sentence; the test
// fails when there is not exactly one.
func eventSaying(t *testing.T, res *apptest.Response, list, sentence string) *goquery.Selection {
	t.Helper()
	rows := res.Doc.Find("[data-testid=" + list + "] [data-testid=audit-row]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find("[data-testid=audit-sentence]").Text() == sentence
	})
	if rows.Length() != 1 {
		var all []string
		res.Doc.Find("[data-testid=audit-sentence]").Each(func(_ int, s *goquery.Selection) { all = append(all, s.Text()) })
		t.Fatalf("%d events say %q; the page says %q", rows.Length(), sentence, all)
	}
	return rows
}

// noRawJSON fails when the row shows JSON outside its "Raw entry"
// disclosure, or the disclosure lacks the entry's code.
func noRawJSON(t *testing.T, row *goquery.Selection, action string) {
	t.Helper()
	shown := row.Clone()
	shown.Find("details").Remove()
	if text := shown.Text(); strings.ContainsAny(text, "{}") || strings.Contains(text, action) {
		t.Errorf("raw JSON or the action code in the row: %q", text)
	}
	raw := row.Find("details.audit-raw")
	if raw.Find("summary").Text() != "Raw entry" || !strings.Contains(raw.Find("pre").Text(), `"action": "`+action+`"`) {
		t.Errorf("raw entry: %q", raw.Text())
	}
}

// The audit log and the user's recent activity say what an admin did as
// sentences, with the details labelled and a change as before → after;
// the JSON is only behind the disclosure.
func TestAuditLogSaysEventsAsSentences(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	if res := post(pa, "/admin/users", url.Values{"display_name": {"Sam Second"}, "email": {"sam@example.com"},
		"username": {"sam"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d", res.Status)
	}
	sam := apptest.Itoa(e.User("sam").ID)
	if res := post(pa, "/admin/privileges/areas", url.Values{"user_id": {sam},
		"area": {identity.PermBillingChanges}}); res.Status != http.StatusSeeOther {
		t.Fatalf("grant: %d", res.Status)
	}

	log := pa.Get("/admin/audit")
	created := eventSaying(t, log, "audit-table", "Ada Admin created user Sam Second")
	if got := auditDetails(created); !slices.Equal(got, []string{"Email address: sam@example.com"}) {
		t.Errorf("details of the creation: %q", got)
	}
	noRawJSON(t, created, "user.created")
	granted := eventSaying(t, log, "audit-table", "Ada Admin changed the admin privileges of Sam Second")
	if got := auditDetails(granted); !slices.Equal(got, []string{"Admin privileges: none → Billing changes"}) {
		t.Errorf("details of the grant: %q", got)
	}
	noRawJSON(t, granted, "privileges.areas_changed")
	if when := granted.Find("time"); when.AttrOr("datetime", "") == "" || !strings.HasSuffix(when.AttrOr("title", ""), "UTC") {
		t.Errorf("when: %v", when.Nodes)
	}
	if log.Doc.Find(".table-scroll").Length() != 0 {
		t.Error("the log scrolls sideways")
	}

	user := pa.Get("/admin/users/" + sam)
	for sentence, action := range map[string]string{"Ada Admin created user Sam Second": "user.created",
		"Ada Admin changed the admin privileges of Sam Second": "privileges.areas_changed"} {
		noRawJSON(t, eventSaying(t, user, "user-events", sentence), action)
	}
}

// What the provider's operator does to an account is in its own log by
// name, "Olga Ops (the provider's operator)", and the operator's account
// page says its last activity as a sentence.
func TestAuditLogNamesTheProvidersOperator(t *testing.T) {
	w := newStatusWorld(t, models.SQLite)
	w.change(w.acme, "suspend", "Unpaid invoices")
	w.change(w.acme, "reactivate", "Paid in full")
	page := w.ops.Get(w.acme)
	if got := strings.Join(strings.Fields(page.Doc.Find("[data-testid=account-last-activity]").Text()), " "); !strings.HasSuffix(got,
		": Olga Ops (the provider's operator) reactivated the account") {
		t.Errorf("last activity: %q", got)
	}

	log := w.signedIn(t, "ada").Get("/admin/audit")
	suspended := eventSaying(t, log, "audit-table", "Olga Ops (the provider's operator) suspended the account")
	if got := auditDetails(suspended); !slices.Equal(got, []string{"Status: active → suspended", "Reason: Unpaid invoices"}) {
		t.Errorf("details: %q", got)
	}
	noRawJSON(t, suspended, "provider.account_suspended")
	eventSaying(t, log, "audit-table", "Olga Ops (the provider's operator) reactivated the account")
}

// A change of the security settings shows each setting's values in the
// Security page's words ("Off → Optional"), never the
// stored codes.
func TestAuditLogSaysSecuritySettingsAsTheSecurityPage(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	// Requiring MFA of admins would send Ada to set it up: "optional"
	// changes the policy and leaves her in.
	for _, preset := range []string{"classic", "nist"} {
		if res := post(pa, "/admin/security", url.Values{"mfa_policy": {"optional"}, "password_preset": {preset},
			"idle_minutes": {"15"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("save %s: %d", preset, res.Status)
		}
	}
	page := pa.Get("/admin/security")
	var offered []string
	page.Doc.Find("label[for^=mfa_policy-]").Each(func(_ int, l *goquery.Selection) {
		l = l.Clone()
		l.Find(".hint-inline").Remove()
		offered = append(offered, strings.TrimSpace(l.Text()))
	})
	if !slices.Contains(offered, "Optional") || !slices.Contains(offered, "Required for admins") {
		t.Fatalf("the Security page offers %q", offered)
	}
	log := pa.Get("/admin/audit")
	rows := log.Doc.Find("[data-testid=audit-row]").FilterFunction(func(_ int, s *goquery.Selection) bool {
		return s.Find("[data-testid=audit-sentence]").Text() == "Ada Admin changed the account's security settings"
	})
	var all []string
	rows.Each(func(_ int, r *goquery.Selection) { all = append(all, auditDetails(r)...) })
	for _, want := range []string{"Multi-factor authentication: Off → Optional",
		"Password rules: Classic → Length first (NIST)", "Idle timeout (minutes): Portal default → 15"} {
		if !slices.Contains(all, want) {
			t.Errorf("no %q in %q", want, all)
		}
	}
}

// An admin who changes their own details reads "their own", not their
// name twice.
func TestAuditLogSaysSelfEditsAsTheirOwn(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	ada := e.User("ada")
	if res := post(pa, "/admin/users/"+apptest.Itoa(ada.ID), url.Values{"display_name": {"Ada Admin"},
		"email": {ada.Email}, "username": {"ada2"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("update: %d %s", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
	}
	row := eventSaying(t, pa.Get("/admin/audit"), "audit-table", "Ada Admin changed their own details")
	noRawJSON(t, row, "user.updated")
}
