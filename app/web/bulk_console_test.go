package web_test

import (
	"encoding/csv"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// Continue on the bulk bar with nothing chosen, or with no action, shows
// the users list again (422) with what to do, and keeps the filter; it is
// never a "check your answers" page with nothing to check.
func TestBulkWithNothingChosen(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	amy := e.AddUser(e.User("ada").AccountID, "amy", personaPassword, models.StatusActive)
	list := pa.Get("/admin/users?q=amy")
	res := pa.Submit(list, "form[data-testid=bulk-form]", map[string]string{"action": "deactivate"})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("nothing chosen: %d", res.Status)
	}
	if title := strings.Join(strings.Fields(res.Doc.Find("title").Text()), " "); !strings.HasPrefix(title, "Error: Users") {
		t.Errorf("title %q", title)
	}
	summary := res.Doc.Find("[data-testid=error-summary]")
	if !strings.Contains(summary.Text(), "Select at least one user") || summary.Find("a[href='#scope']").Length() != 1 {
		t.Errorf("error summary %q", summary.Text())
	}
	if res.Doc.Find("#scope").Length() != 1 || res.Doc.Find("[data-testid=user-row]").Length() != 1 ||
		res.Doc.Find("input[name=q]").AttrOr("value", "") != "amy" {
		t.Errorf("the list is not shown again with its filter: %s", res.Doc.Find("main").Text())
	}
	if res.Doc.Find("select[name=action] option[selected]").AttrOr("value", "") != "deactivate" {
		t.Error("the chosen action is not kept")
	}
	// A user chosen but no action.
	res = pa.Submit(list, "form[data-testid=bulk-form]", map[string]string{"id": apptest.Itoa(amy.ID)})
	if res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(res.Doc.Find("[data-testid=error-summary] a[href='#action']").Text(), "Choose an action") {
		t.Fatalf("no action: %d %q", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
	}
}

// The preview counts whom the action changes in its title and button,
// lists whom it skips with the job's reasons, and the job's page, titled
// by what happened, counts the outcomes and leads back to the list with
// the filter the action was started from.
func TestBulkPreviewAndResultKeepTheFilter(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	ids := map[string]string{"ada": apptest.Itoa(e.User("ada").ID)}
	for _, n := range []string{"amy", "ben"} {
		ids[n] = apptest.Itoa(e.AddUser(acct, n, personaPassword, models.StatusActive).ID)
	}
	list := pa.Get("/admin/users?q=a&status=active")
	preview := post(pa, "/admin/users/bulk", url.Values{"action": {"signout"}, "scope": {"selected"},
		"id": {ids["ada"], ids["amy"], ids["ben"]}, "f_q": {"a"}, "f_status": {"active"}})
	if list.Status != http.StatusOK || preview.Status != http.StatusOK {
		t.Fatalf("list %d, preview %d", list.Status, preview.Status)
	}
	if title := preview.Doc.Find("title").Text(); !strings.HasPrefix(strings.TrimSpace(title), "Sign out 2 users everywhere?") {
		t.Errorf("preview title %q", title)
	}
	if got := preview.Doc.Find("[data-testid=bulk-run]").Text(); got != "Sign out 2 users everywhere" {
		t.Errorf("button %q", got)
	}
	skip := preview.Doc.Find("[data-testid=bulk-skip]")
	if skip.Length() != 1 || !strings.Contains(skip.Text(), "Ada Admin (ada)") || !strings.Contains(skip.Text(), "skipped: that is you") {
		t.Errorf("skipped rows %q", skip.Text())
	}
	if href := preview.Doc.Find("[data-testid=bulk-cancel]").AttrOr("href", ""); href != "/admin/users?q=a&status=active" {
		t.Errorf("cancel leads to %q", href)
	}
	run := pa.Submit(preview, "form[data-testid=bulk-run-form]", map[string]string{"reason": "new laptops"})
	if run.Status != http.StatusSeeOther {
		t.Fatalf("run: %d", run.Status)
	}
	job := pa.WaitForJob(run.Location)
	if got := job.Doc.Find("[data-testid=job-title]").Text(); got != "2 users signed out everywhere" {
		t.Errorf("result title %q", got)
	}
	if !strings.HasPrefix(strings.TrimSpace(job.Doc.Find("title").Text()), "2 users signed out everywhere") {
		t.Errorf("result page title %q", job.Doc.Find("title").Text())
	}
	if got := job.Doc.Find("[data-testid=bulk-summary]").Text(); got != "2 done, 1 skipped, 0 failed." {
		t.Errorf("counts %q", got)
	}
	if got := job.Doc.Find("[data-testid=job-status]").Text(); !strings.Contains(got, "3 of 3 users handled (100%)") {
		t.Errorf("progress %q", got)
	}
	if p := job.Doc.Find("progress[data-testid=job-progress]"); p.AttrOr("value", "") != "3" || p.AttrOr("max", "") != "3" {
		t.Errorf("progress %v %v", p.AttrOr("value", ""), p.AttrOr("max", ""))
	}
	back := job.Doc.Find("[data-testid=job-back]").AttrOr("href", "")
	if back != "/admin/users?q=a&status=active" {
		t.Fatalf("back to %q", back)
	}
	if res := pa.Get(back); res.Status != http.StatusOK || res.Doc.Find("input[name=q]").AttrOr("value", "") != "a" {
		t.Errorf("back: %d", res.Status)
	}
	// Only the list's own parameters travel back.
	jobPath, _, _ := strings.Cut(run.Location, "?")
	if got := pa.Get(jobPath+"?list="+url.QueryEscape("q=b&next=//evil.example")).Doc.Find("[data-testid=job-back]").AttrOr("href", ""); got != "/admin/users?q=b" {
		t.Errorf("a forged list parameter leads to %q", got)
	}
}

// The users CSV has each user's roles, admin areas, multi-factor
// authentication and last sign-in, and keeps formulas harmless.
func TestUsersCSVColumns(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		pa := e.Setup(apptest.DefaultAdmin())
		acct := e.User("ada").AccountID
		mia := e.AddUser(acct, "mia", personaPassword, models.StatusActive)
		e.GiveRoleID(mia.ID, e.AddRole(acct, "Auditor", identity.PermAuditView))
		e.SetMFAPolicy(acct, models.MFAEveryone)
		e.Client().SignInEnrolling("mia", personaPassword, e.Clock)
		e.SetMFAPolicy(acct, models.MFAOptional)
		e.AddUser(acct, "nia", personaPassword, models.StatusActive)

		res, body := pa.Raw("/admin/users.csv?q=ia")
		if res.StatusCode != http.StatusOK {
			t.Fatalf("csv: %d", res.StatusCode)
		}
		rows, err := csv.NewReader(strings.NewReader(body)).ReadAll()
		if err != nil {
			t.Fatal(err)
		}
		want := "name,username,email,status,primary admin,roles,admin areas,multi-factor authentication,last sign-in (UTC),created (UTC)"
		if got := strings.Join(rows[0], ","); got != want {
			t.Fatalf("header %q", got)
		}
		byName := map[string][]string{}
		for _, r := range rows[1:] {
			byName[r[1]] = r
		}
		m, n := byName["mia"], byName["nia"]
		if len(byName) != 2 || m == nil || n == nil {
			t.Fatalf("rows %v", rows)
		}
		if m[5] != "Auditor" || m[6] != "View the audit log" || m[7] != "set up" || m[8] != e.User("mia").LastSignInAt.UTC().Format("2006-01-02 15:04") {
			t.Errorf("mia: %q", m)
		}
		if n[5] != "" || n[6] != "" || n[7] != "not set up" || n[8] != "" {
			t.Errorf("nia: %q", n)
		}
	})
}

// A filter that matches nobody offers to clear it.
func TestUsersListEmptyOffersClearFilters(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	res := pa.Get("/admin/users?q=nobody-at-all")
	if res.Status != http.StatusOK || res.Doc.Find("[data-testid=no-users] a[data-testid=clear-filters]").AttrOr("href", "") != "/admin/users" {
		t.Fatalf("empty result: %d %q", res.Status, res.Doc.Find("[data-testid=no-users]").Text())
	}
	if pa.Get("/admin/users").Doc.Find("[data-testid=clear-filters]").Length() != 0 {
		t.Error("Clear filters offered with no filter")
	}
}

// A preview whose every chosen user would be skipped offers no button,
// only the way back: the action could change nobody.
func TestBulkPreviewWithNobodyToChange(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	res := post(pa, "/admin/users/bulk", url.Values{"action": {"deactivate"}, "scope": {"selected"},
		"id": {apptest.Itoa(e.User("ada").ID)}, "f_status": {"active"}})
	if res.Status != http.StatusOK || res.Doc.Find("[data-testid=bulk-run-form]").Length() != 0 ||
		res.Doc.Find("[data-testid=bulk-nothing]").Length() != 1 {
		t.Fatalf("nobody to change: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	if !strings.Contains(res.Doc.Find("[data-testid=bulk-skip]").Text(), "skipped: that is you") ||
		res.Doc.Find("[data-testid=bulk-back]").AttrOr("href", "") != "/admin/users?status=active" {
		t.Errorf("skip %q, back %q", res.Doc.Find("[data-testid=bulk-skip]").Text(), res.Doc.Find("[data-testid=bulk-back]").AttrOr("href", ""))
	}
}
