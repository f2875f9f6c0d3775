package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// A second factor reset through the API keeps every promise of the
// console's: the user's authenticator and backup codes go, their signed-in
// devices are signed out and told why, they are emailed, and at their next
// sign-in they set up an authenticator again. Only a token given "Reset
// second factors" may do it, and never to the Primary Admin.
func TestAPIResetSecondFactor(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, bobKey, _ := mfaWorld(t, d, models.MFAOptional)
		e.Clock.Advance(30 * time.Second)
		bobLaptop := e.Client()
		if res := bobLaptop.SignInTOTP("bob", personaPassword, bobKey, e.Clock); res.Status != http.StatusSeeOther {
			t.Fatalf("bob signs in: %d", res.Status)
		}
		ada := e.Client()
		ada.SignIn("ada", apptest.DefaultAdmin().Password)
		bob, adaUser := e.User("bob"), e.User("ada")
		bobPath := "/api/v1/users/" + apptest.Itoa(bob.ID)
		api := newAPIClient(t, e, "")

		manager := api.with(createToken(t, ada, "HR feed", "", identity.PermUsersManage))
		res := manager.post(bobPath+"/mfa-reset", "")
		if res.Status != http.StatusForbidden || res.problem(t)["detail"] != "The token does not have the permission “Reset second factors”." {
			t.Fatalf("reset without the permission: %d %s", res.Status, res.Body)
		}

		helpdesk := api.with(createToken(t, ada, "Helpdesk", "", identity.PermUsersManage, identity.PermUsersMFAReset))
		res = helpdesk.post(bobPath+"/mfa-reset", "")
		var u struct {
			MFAEnrolled bool `json:"mfa_enrolled"`
		}
		res.decode(t, &u)
		if res.Status != http.StatusOK || u.MFAEnrolled {
			t.Fatalf("reset: %d %s", res.Status, res.Body)
		}
		ctx := context.Background()
		if _, err := e.Store().Secrets.Of(ctx, bob.ID, models.SecretTOTPSeed); err == nil {
			t.Error("bob's authenticator was kept")
		}
		if n, _ := e.Store().MFA.CountUnusedBackupCodes(ctx, bob.ID); n != 0 {
			t.Errorf("%d backup codes kept", n)
		}
		if res := bobLaptop.Get("/profile"); res.Status != http.StatusSeeOther || res.Location != "/login" {
			t.Fatalf("bob's laptop after the reset: %d %q", res.Status, res.Location)
		}
		if got := bobLaptop.Get("/login").Doc.Find("[data-testid=flash]").Text(); !strings.Contains(got, "An administrator reset your multi-factor authentication") {
			t.Errorf("bob's laptop is told %q", got)
		}
		e.Drain()
		msgs := e.MailTo("bob@example.com")
		if last := msgs[len(msgs)-1]; last.Subject != "Your multi-factor authentication was reset" ||
			!strings.Contains(last.TextBody, "set up an authenticator app again") {
			t.Errorf("bob is emailed %q:\n%s", last.Subject, last.TextBody)
		}
		c := e.Client()
		res2 := c.Submit(c.Get("/login"), "form[data-testid=login-username-form]", map[string]string{"username": "bob"})
		res2 = c.Submit(c.Get(res2.Location), "form[data-testid=login-password-form]", map[string]string{"password": personaPassword})
		if res2.Location != "/login/mfa/setup" {
			t.Errorf("bob's next sign-in went to %q, not to set up an authenticator", res2.Location)
		}
		row := eventSaying(t, ada.Get("/admin/audit"), "audit-table", "Ada Admin reset the multi-factor authentication of User bob")
		if got := strings.Join(auditDetails(row), "; "); !strings.Contains(got, "Through API token: Helpdesk") {
			t.Errorf("audit details: %q", got)
		}

		// Again: nothing to reset. The Primary Admin: never, whatever the
		// token; another account's user does not exist for it.
		if res := helpdesk.post(bobPath+"/mfa-reset", ""); res.Status != http.StatusConflict {
			t.Errorf("reset twice: %d %s", res.Status, res.Body)
		}
		if res := helpdesk.post("/api/v1/users/"+apptest.Itoa(adaUser.ID)+"/mfa-reset", ""); res.Status != http.StatusForbidden {
			t.Errorf("reset the Primary Admin: %d %s", res.Status, res.Body)
		}
		if res := helpdesk.post("/api/v1/users/999999/mfa-reset", ""); res.Status != http.StatusNotFound {
			t.Errorf("reset an unknown user: %d %s", res.Status, res.Body)
		}
	})
}

// The console asks an admin with a second factor for their own code at
// each reset; a token is asked it once, when it is given "Reset second
// factors", and only then. The permission needs "Manage users" beside it.
func TestAPITokenForMFAResetAsksTheCreatorsCode(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	e.SetMFAPolicy(e.User("ada").AccountID, models.MFAOptional)
	adaKey, _ := ada.Enrol(e.Clock)
	create := func(name, code string, perms ...string) *apptest.Response {
		t.Helper()
		page := ada.Get("/admin/api-tokens")
		if page.Doc.Find("input[name=admin_code]").Length() != 1 {
			t.Fatal("the token form asks no code of an admin with a second factor")
		}
		return ada.Post("/admin/api-tokens", url.Values{"csrf_token": {apptest.CSRF(page)}, "name": {name},
			"permission": perms, "admin_code": {code}})
	}
	fieldError := func(res *apptest.Response, field string) string {
		return strings.TrimPrefix(strings.TrimSpace(res.Doc.Find("[data-testid=error-"+field+"]").Text()), "Error: ")
	}
	cases := []struct {
		name, code string
		perms      []string
		status     int
		field, msg string
	}{
		{"alone", "", []string{identity.PermUsersMFAReset}, http.StatusUnprocessableEntity,
			"permissions", "“Reset second factors” needs “Manage users” on the same token"},
		{"no code", "", []string{identity.PermUsersManage, identity.PermUsersMFAReset}, http.StatusUnprocessableEntity,
			"admin_code", "Enter your own code from your authenticator app"},
		{"wrong code", "000000", []string{identity.PermUsersManage, identity.PermUsersMFAReset}, http.StatusUnprocessableEntity,
			"admin_code", "Your own code is not right"},
		{"no reset, no code", "", []string{identity.PermUsersManage}, http.StatusCreated, "", ""},
	}
	for _, tc := range cases {
		res := create(tc.name, tc.code, tc.perms...)
		if res.Status != tc.status {
			t.Errorf("%s: %d, want %d", tc.name, res.Status, tc.status)
			continue
		}
		if tc.field != "" {
			if got := fieldError(res, tc.field); got != tc.msg {
				t.Errorf("%s: %s says %q, want %q", tc.name, tc.field, got, tc.msg)
			}
			if res.Doc.Find("[data-testid=token-secret]").Length() != 0 {
				t.Errorf("%s: a secret was shown", tc.name)
			}
		}
	}
	e.Clock.Advance(30 * time.Second)
	if res := create("Helpdesk", apptest.TOTP(adaKey, e.Clock.Now()), identity.PermUsersManage, identity.PermUsersMFAReset); res.Status != http.StatusCreated {
		t.Fatalf("with her code: %d %s", res.Status, res.Doc.Find(".field-error").Text())
	}
	eventSaying(t, ada.Get("/admin/audit"), "audit-table", "Ada Admin created the API token Helpdesk")
	if got := tokenRowByName(t, ada.Get("/admin/api-tokens"), "Helpdesk").Find("[data-testid=token-permissions]").Text(); got != "Manage users, Reset second factors" {
		t.Errorf("the list shows %q", got)
	}
}

// A token form refused for its name does not spend the admin's code: the
// same code works when the form is sent again with another name.
func TestAPITokenFormRefusedForItsNameKeepsTheCode(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	ada := e.Setup(apptest.DefaultAdmin())
	e.SetMFAPolicy(e.User("ada").AccountID, models.MFAOptional)
	adaKey, _ := ada.Enrol(e.Clock)
	createToken(t, ada, "Helpdesk", "", identity.PermUsersManage)
	e.Clock.Advance(30 * time.Second)
	code := apptest.TOTP(adaKey, e.Clock.Now())
	send := func(name string) *apptest.Response {
		page := ada.Get("/admin/api-tokens")
		return ada.Post("/admin/api-tokens", url.Values{"csrf_token": {apptest.CSRF(page)}, "name": {name},
			"permission": {identity.PermUsersManage, identity.PermUsersMFAReset}, "admin_code": {code}})
	}
	res := send("HELPDESK")
	if got := strings.TrimSpace(res.Doc.Find("[data-testid=error-name]").Text()); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(got, "Another token of the account is named HELPDESK") {
		t.Fatalf("a taken name: %d %q", res.Status, got)
	}
	if res := send("Helpdesk 2"); res.Status != http.StatusCreated {
		t.Errorf("the same code with another name: %d %s", res.Status, res.Doc.Find(".field-error").Text())
	}
}

// A second factor is reset once: of 20 resets of one user sent at once,
// one is done and the others find nothing to reset (409).
func TestAPIResetSecondFactorUnderParallelRequests(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e, _, _ := mfaWorld(t, d, models.MFAOptional)
		ada := e.Client()
		ada.SignIn("ada", apptest.DefaultAdmin().Password)
		api := newAPIClient(t, e, createToken(t, ada, "Helpdesk", "", identity.PermUsersManage, identity.PermUsersMFAReset))
		path := "/api/v1/users/" + apptest.Itoa(e.User("bob").ID) + "/mfa-reset"
		const n = 20
		statuses := make(chan int, n)
		var start, done sync.WaitGroup
		start.Add(1)
		for range n {
			done.Add(1)
			go func() {
				defer done.Done()
				start.Wait()
				statuses <- api.post(path, "").Status
			}()
		}
		start.Done()
		done.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[http.StatusOK] != 1 || count[http.StatusConflict] != n-1 {
			t.Fatalf("statuses %v, want one 200 and %d 409", count, n-1)
		}
		e.Drain()
		resets := 0
		for _, m := range e.MailTo("bob@example.com") {
			if m.Subject == "Your multi-factor authentication was reset" {
				resets++
			}
		}
		if resets != 1 {
			t.Errorf("bob was emailed %d resets", resets)
		}
	})
}
