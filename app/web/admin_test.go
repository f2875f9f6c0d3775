package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"accountportal/app/admin"
	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// post sends a form with c's CSRF token.
func post(c *apptest.Client, path string, form url.Values) *apptest.Response {
	form.Set("csrf_token", apptest.CSRF(c.Get("/forgot/password")))
	return c.Post(path, form)
}

func permissionsOf(t *testing.T, e *apptest.Env, username string) string {
	t.Helper()
	perms, err := e.Store().Privileges.Effective(context.Background(), e.User(username).ID)
	if err != nil {
		t.Fatal(err)
	}
	return strings.Join(perms, ",")
}

func TestPrimaryAdminGrantsAreas(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newWorld(t, d)
		e := w.e
		pa := w.client(t, primary)
		page := pa.Get("/admin/privileges")
		res := pa.Submit(page, "form[data-testid=add-admin-form]", map[string]string{"admin_username": "tess"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("empty add: %d", res.Status)
		}
		form := url.Values{"user_id": {w.targetID}, "area": {identity.PermBillingChanges, identity.PermBillingInquiries}}
		if res := post(pa, "/admin/privileges/areas", form); res.Status != http.StatusSeeOther {
			t.Fatalf("grant: %d", res.Status)
		}
		if got := permissionsOf(t, e, "tess"); got != "billing.changes,billing.inquiries" {
			t.Fatalf("tess holds %q", got)
		}
		page = pa.Get("/admin/privileges")
		row := page.Doc.Find("[data-testid=admin-tess]")
		if row.Length() != 1 || row.Find("[data-testid=passphrase-pending]").Length() != 1 ||
			row.Find("input[value='billing.changes'][checked]").Length() != 1 {
			t.Fatalf("matrix row: %s", row.Text())
		}
		e.Drain()
		msgs := e.MailTo("tess@example.com")
		if len(msgs) != 1 || msgs[0].Subject != "Your admin privileges changed" || !strings.Contains(msgs[0].TextBody, "Billing changes") {
			t.Fatalf("mail: %+v", msgs)
		}
		events, _ := e.Store().Audit.ForAccount(context.Background(), e.User("ada").AccountID, 5)
		var details struct{ Before, After []string }
		if err := json.Unmarshal([]byte(events[0].Details), &details); err != nil || events[0].Action != admin.ActionAreasChanged ||
			len(details.Before) != 0 || strings.Join(details.After, ",") != "billing.changes,billing.inquiries" {
			t.Fatalf("audit: %+v (%v)", events[0], err)
		}
	})
}

func TestPrivilegeChangeRenewsTargetSession(t *testing.T) {
	w := newWorld(t, models.SQLite)
	olga := w.client(t, oneArea)
	before := olga.Cookie("portal").Value
	w.e.Clock.Advance(time.Second)
	pa := w.client(t, primary)
	olgaID := apptest.Itoa(w.e.User("olga").ID)
	post(pa, "/admin/privileges/areas", url.Values{"user_id": {olgaID}, "area": {identity.PermBillingInfo}})
	if res := olga.Get("/"); res.Status != http.StatusOK {
		t.Fatalf("target after change: %d", res.Status)
	}
	if olga.Cookie("portal").Value == before {
		t.Fatal("the target's session kept its ID across a privilege change")
	}
	if got := olga.Get("/").Doc.Find("[data-testid=home-privileges]").Text(); !strings.Contains(got, "Updates to billing information") {
		t.Fatalf("home privileges %q", got)
	}
}

// Every escalation is refused with 403 and changes nothing.
func TestEscalationsRefused(t *testing.T) {
	w := newWorld(t, models.SQLite)
	e := w.e
	acct := e.User("ada").AccountID
	adaID := apptest.Itoa(e.User("ada").ID)
	ivanID := apptest.Itoa(e.User("ivan").ID)
	companyRole := "1"
	if r, err := e.Store().Roles.Builtin(context.Background(), "company_admin"); err == nil {
		companyRole = apptest.Itoa(r.ID)
	}
	// A Secondary Admin with roles.manage but without billing areas.
	limited := e.AddRole(acct, "Helpdesk", identity.PermRolesManage, identity.PermUsersManage)
	hank := e.AddUser(acct, "hank", personaPassword, models.StatusActive)
	e.GiveRoleID(hank.ID, limited)
	w.username["hank"] = "hank"

	cases := []struct {
		name, who, path string
		form            url.Values
		want            int
	}{
		{"Primary Admin grants themselves an area", primary, "/admin/privileges/areas", url.Values{"user_id": {adaID}, "area": {"billing.info"}}, http.StatusForbidden},
		{"IT Admin grants an area directly", itAdmin, "/admin/privileges/areas", url.Values{"user_id": {w.targetID}, "area": {"billing.info"}}, http.StatusForbidden},
		{"IT Admin gives themselves a role", itAdmin, "/admin/roles/" + w.roleID + "/members", url.Values{"user_id": {ivanID}, "action": {"add"}}, http.StatusForbidden},
		{"IT Admin assigns Company Admin", itAdmin, "/admin/roles/" + companyRole + "/members", url.Values{"user_id": {w.targetID}, "action": {"add"}}, http.StatusForbidden},
		{"role manager creates a role beyond their own", "hank", "/admin/roles", url.Values{"name": {"Biller"}, "permission": {"billing.changes"}}, http.StatusForbidden},
		{"editing a built-in role", primary, "/admin/roles/" + companyRole, url.Values{"name": {"Everything"}, "permission": {"audit.view"}}, http.StatusForbidden},
		{"giving the Primary Admin a role", itAdmin, "/admin/roles/" + w.roleID + "/members", url.Values{"user_id": {adaID}, "action": {"add"}}, http.StatusForbidden},
		{"stripping the Primary Admin", primary, "/admin/privileges/remove", url.Values{"user_id": {adaID}}, http.StatusForbidden},
		{"a console privilege slipped into the areas form", primary, "/admin/privileges/areas", url.Values{"user_id": {w.targetID}, "area": {"users.manage"}}, http.StatusForbidden},
		{"an unknown privilege in the role form (bad input, not an escalation)", primary, "/admin/roles", url.Values{"name": {"X"}, "permission": {"root"}}, http.StatusUnprocessableEntity},
		{"another account's role", otherAcc, "/admin/roles/" + w.roleID + "/members", url.Values{"user_id": {w.targetID}, "action": {"add"}}, http.StatusNotFound},
		{"another account's user", otherAcc, "/admin/privileges/areas", url.Values{"user_id": {w.targetID}, "area": {"billing.info"}}, http.StatusNotFound},
	}
	snapshot := func() string {
		var b strings.Builder
		for _, name := range []string{"ada", "ivan", "hank", "tess", "cleo"} {
			b.WriteString(name + "=" + permissionsOf(t, e, name) + ";")
		}
		roles, _ := e.Store().Roles.Of(context.Background(), acct)
		for _, r := range roles {
			b.WriteString(r.Name + ":" + strings.Join(r.Permissions, ","))
		}
		return b.String()
	}
	before := snapshot()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := w.e.Client()
			pw := personaPassword
			if tc.who == primary {
				pw = w.admin.Password
			}
			c.SignIn(w.username[tc.who], pw)
			if res := post(c, tc.path, tc.form); res.Status != tc.want {
				t.Fatalf("status %d, want %d: %s", res.Status, tc.want, res.Doc.Find("[data-testid=error-page] p").First().Text())
			}
		})
	}
	if after := snapshot(); after != before {
		t.Fatalf("privileges changed:\nbefore %s\nafter  %s", before, after)
	}
	// Extra fields are not bound: a role lands in the actor's account.
	cora := w.client(t, company)
	other, _ := e.Store().Accounts.ByNumber(context.Background(), "23232323")
	res := post(cora, "/admin/roles", url.Values{"name": {"Mass"}, "permission": {"audit.view"}, "account_id": {apptest.Itoa(other.ID)}})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("create: %d", res.Status)
	}
	theirs, _ := e.Store().Roles.Of(context.Background(), other.ID)
	for _, r := range theirs {
		if r.Name == "Mass" {
			t.Fatal("role created in another account")
		}
	}
}

func TestRolesLifecycle(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		a := apptest.DefaultAdmin()
		pa := e.Setup(a)
		acct := e.User("ada").AccountID
		e.AddUser(acct, "tess", personaPassword, models.StatusActive)
		tessID := apptest.Itoa(e.User("tess").ID)

		list := pa.Get("/admin/roles")
		if n := list.Doc.Find("[data-testid=role-row]").Length(); n != 3 {
			t.Fatalf("%d roles listed, want the 3 built-in", n)
		}
		res := pa.Submit(pa.Get("/admin/roles/new"), "form[data-testid=role-form]", map[string]string{"name": ""})
		if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-permissions]").Length() != 1 {
			t.Fatalf("empty role: %d", res.Status)
		}
		res = post(pa, "/admin/roles", url.Values{"name": {"Night shift"}, "description": {"Phones after hours"}, "permission": {"phone.system", "account.info"}})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("create: %d", res.Status)
		}
		roleURL := res.Location
		if dup := post(pa, "/admin/roles", url.Values{"name": {"NIGHT SHIFT"}, "permission": {"phone.system"}}); dup.Status != http.StatusUnprocessableEntity {
			t.Fatalf("duplicate name: %d", dup.Status)
		}
		if res := post(pa, roleURL+"/members", url.Values{"user_id": {tessID}, "action": {"add"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("assign: %d", res.Status)
		}
		detail := pa.Get(roleURL)
		if !strings.Contains(detail.Doc.Find("[data-testid=members]").Text(), "tess") {
			t.Fatal("member not listed")
		}
		if got := permissionsOf(t, e, "tess"); got != "account.info,phone.system" {
			t.Fatalf("tess holds %q", got)
		}
		del := post(pa, roleURL+"/delete", url.Values{})
		if del.Status != http.StatusConflict || !strings.Contains(del.Body, "1 user holds this role") {
			t.Fatalf("delete with members: %d", del.Status)
		}
		if res := post(pa, roleURL, url.Values{"name": {"Night shift"}, "permission": {"phone.system"}}); res.Status != http.StatusSeeOther {
			t.Fatalf("edit: %d", res.Status)
		}
		if got := permissionsOf(t, e, "tess"); got != "phone.system" {
			t.Fatalf("after edit tess holds %q", got)
		}
		post(pa, roleURL+"/members", url.Values{"user_id": {tessID}, "action": {"remove"}})
		if got := permissionsOf(t, e, "tess"); got != "" {
			t.Fatalf("after unassign tess holds %q", got)
		}
		if res := post(pa, roleURL+"/delete", url.Values{}); res.Status != http.StatusSeeOther {
			t.Fatalf("delete: %d", res.Status)
		}
		if res := pa.Get(roleURL); res.Status != http.StatusNotFound {
			t.Fatalf("deleted role: %d", res.Status)
		}
	})
}

func TestPrimaryAdminTransfer(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		a := apptest.DefaultAdmin()
		pa := e.Setup(a)
		acct := e.User("ada").AccountID
		e.AddUser(acct, "tess", personaPassword, models.StatusActive)

		res := post(pa, "/admin/privileges/transfer", url.Values{"transfer_username": {"tess"}, "transfer_password": {"wrong"}})
		if res.Status != http.StatusUnprocessableEntity || res.Doc.Find("[data-testid=error-transfer_password]").Length() != 1 {
			t.Fatalf("wrong password: %d", res.Status)
		}
		if res := post(pa, "/admin/privileges/transfer", url.Values{"transfer_username": {"tess"}, "transfer_password": {a.Password}}); res.Status != http.StatusSeeOther {
			t.Fatalf("start: %d", res.Status)
		}
		if res := post(pa, "/admin/privileges/transfer", url.Values{"transfer_username": {"tess"}, "transfer_password": {a.Password}}); res.Status != http.StatusConflict {
			t.Fatalf("second transfer while one is pending: %d", res.Status)
		}
		tess := e.Client()
		tess.SignIn("tess", personaPassword)
		if got := tess.Get("/").Doc.Find("[data-testid=banner]").Text(); !strings.Contains(got, "Primary Admin") {
			t.Fatalf("no notice for the chosen user: %q\n%s", got, tess.Get("/").Body)
		}
		offer := tess.Get("/admin/transfer")
		res = tess.Submit(offer, "form[data-testid=transfer-accept-form]", map[string]string{"password": personaPassword, "passphrase": "Tide pools at noon"})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("accept: %d", res.Status)
		}
		ada, newPA := e.User("ada"), e.User("tess")
		if ada.IsPrimaryAdmin || !newPA.IsPrimaryAdmin {
			t.Fatal("flag did not move")
		}
		if got := permissionsOf(t, e, "ada"); !strings.Contains(got, "users.manage") || !strings.Contains(got, "billing.changes") {
			t.Fatalf("former Primary Admin holds %q, want Company Admin", got)
		}
		if res := pa.Get("/admin/privileges"); res.Status != http.StatusOK || res.Doc.Find("[data-testid=read-only]").Length() != 1 {
			t.Fatalf("former Primary Admin sees the page read-only: %d", res.Status)
		}
		if res := tess.Get("/admin/transfer"); res.Status != http.StatusNotFound {
			t.Fatalf("offer after acceptance: %d", res.Status)
		}
	})
}

func TestTransferDeclineCancelExpire(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	pa := e.Setup(a)
	acct := e.User("ada").AccountID
	e.AddUser(acct, "tess", personaPassword, models.StatusActive)
	start := func() {
		if res := post(pa, "/admin/privileges/transfer", url.Values{"transfer_username": {"tess"}, "transfer_password": {a.Password}}); res.Status != http.StatusSeeOther {
			t.Fatalf("start: %d", res.Status)
		}
	}
	tess := e.Client()
	tess.SignIn("tess", personaPassword)

	start()
	if res := post(tess, "/admin/transfer", url.Values{"decision": {"decline"}}); res.Status != http.StatusSeeOther {
		t.Fatalf("decline: %d", res.Status)
	}
	start()
	if res := post(pa, "/admin/privileges/transfer/cancel", url.Values{}); res.Status != http.StatusSeeOther {
		t.Fatalf("cancel: %d", res.Status)
	}
	if res := post(tess, "/admin/transfer", url.Values{"decision": {"accept"}}); res.Status != http.StatusNotFound {
		t.Fatalf("accept after cancel: %d", res.Status)
	}
	start()
	e.Clock.Advance(73 * time.Hour)
	tess.SignIn("tess", personaPassword)
	if res := post(tess, "/admin/transfer", url.Values{"decision": {"accept"}}); res.Status != http.StatusNotFound {
		t.Fatalf("accept after 72 hours: %d", res.Status)
	}
	if !e.User("ada").IsPrimaryAdmin {
		t.Fatal("Primary Admin lost the role")
	}
	pa.SignIn("ada", a.Password)
	start() // an expired request does not block a new one
}

// Racing transfers and acceptances leave exactly one Primary Admin.
func TestTransferRaces(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{Env: map[string]string{"PORTAL_HASH_CONCURRENCY": "16"}})
		a := apptest.DefaultAdmin()
		pa := e.Setup(a)
		acct := e.User("ada").AccountID
		for _, n := range []string{"tess", "theo"} {
			e.AddUser(acct, n, personaPassword, models.StatusActive)
		}
		var wg sync.WaitGroup
		statuses := make(chan int, 2)
		for _, n := range []string{"tess", "theo"} {
			form := url.Values{"transfer_username": {n}, "transfer_password": {a.Password}, "csrf_token": {apptest.CSRF(pa.Get("/forgot/password"))}}
			wg.Go(func() { statuses <- pa.Post("/admin/privileges/transfer", form).Status })
		}
		wg.Wait()
		close(statuses)
		got := map[int]int{}
		for s := range statuses {
			got[s]++
		}
		if got[http.StatusSeeOther] != 1 || got[http.StatusConflict] != 1 {
			t.Fatalf("two transfers at once: %v", got)
		}
		pending, _ := e.Store().Transfers.Pending(context.Background(), acct)
		chosen, _ := e.Store().Users.ByIDAnyAccount(context.Background(), pending.ToUserID)
		clients := make([]*apptest.Client, 4)
		forms := make([]url.Values, 4)
		for i := range clients {
			clients[i] = e.Client()
			clients[i].SignIn(chosen.Username, personaPassword)
			forms[i] = url.Values{"decision": {"accept"}, "password": {personaPassword}, "passphrase": {"Tide pools at noon"},
				"csrf_token": {apptest.CSRF(clients[i].Get("/forgot/password"))}}
		}
		results := make([]int, 4)
		for i := range clients {
			wg.Go(func() { results[i] = clients[i].Post("/admin/transfer", forms[i]).Status })
		}
		wg.Wait()
		won := 0
		for _, s := range results {
			if s == http.StatusSeeOther {
				won++
			} else if s != http.StatusNotFound {
				t.Errorf("accept answered %d", s)
			}
		}
		if won != 1 {
			t.Fatalf("%d acceptances took effect", won)
		}
		var primaries int
		for _, n := range []string{"ada", "tess", "theo"} {
			if e.User(n).IsPrimaryAdmin {
				primaries++
			}
		}
		if primaries != 1 {
			t.Fatalf("%d Primary Admins", primaries)
		}
	})
}
