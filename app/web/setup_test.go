package web_test

import (
	"context"

	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestSetupCreatesAccountAndSignsIn(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		e := apptest.Start(t, d, apptest.Options{})
		admin := apptest.DefaultAdmin()
		c := e.Setup(admin)

		home := c.Get("/")
		if home.Status != http.StatusOK {
			t.Fatalf("home after setup: %d", home.Status)
		}
		if got := home.Doc.Find("[data-testid=greeting]").Text(); got != "Welcome, Ada Admin" {
			t.Errorf("greeting %q", got)
		}
		number := home.Doc.Find("[data-testid=home-account-number]").Text()
		if len(number) != 8 || strings.Trim(number, "0123456789") != "" {
			t.Errorf("account number %q is not 8 digits", number)
		}
		if got := home.Doc.Find("[data-testid=flash]").Text(); !strings.Contains(got, "Primary Admin") {
			t.Errorf("flash %q", got)
		}
		// The Primary Admin's first page leads to everything they hold.
		for _, href := range []string{"/profile", "/admin/privileges", "/admin/roles", "/admin/users", "/admin/security", "/admin/audit"} {
			if home.Doc.Find(".card-list a[href='"+href+"']").Length() != 1 {
				t.Errorf("home does not lead to %s", href)
			}
		}

		u := e.User("ada")
		if !u.IsPrimaryAdmin || u.Status != models.StatusActive || u.Email != admin.Email ||
			!strings.HasPrefix(u.PasswordHash, "$argon2id$") || strings.Contains(u.PasswordHash, admin.Password) {
			t.Fatalf("admin user: %+v", u)
		}
		ctx := context.Background()
		sec, err := e.Store().Secrets.Of(ctx, u.ID, models.SecretPassphrase)
		if err != nil || strings.Contains(string(sec.Ciphertext), admin.Passphrase) {
			t.Fatalf("passphrase not stored sealed: %v", err)
		}
		events, _ := e.Store().Audit.ForAccount(ctx, u.AccountID, 10)
		if len(events) != 1 || events[0].Action != "account.setup" || strings.Contains(events[0].Details, admin.Passphrase) {
			t.Fatalf("audit after setup: %+v", events)
		}
	})
}

func TestSetupClosesAfterFirstAccount(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	e.Setup(apptest.DefaultAdmin())
	other := e.Client()
	if res := other.Get("/setup"); res.Status != http.StatusNotFound {
		t.Fatalf("GET /setup after setup: %d", res.Status)
	}
	// A form fetched before setup finished cannot create a second account.
	page := other.Get("/login")
	res := other.Post("/setup", formOf(page, map[string]string{"company_name": "Evil"}))
	if res.Status != http.StatusNotFound {
		t.Fatalf("POST /setup after setup: %d", res.Status)
	}
	if n, _ := e.Store().Accounts.Count(context.Background()); n != 1 {
		t.Fatalf("%d accounts", n)
	}
}

func TestSetupUsernameDefaultsToEmail(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := apptest.DefaultAdmin()
	a.Username = ""
	e.Setup(a)
	if u := e.User("ada@example.com"); u.Username != "ada@example.com" {
		t.Fatalf("username %q", u.Username)
	}
}

func TestSetupFieldErrors(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	good := map[string]string{
		"setup_code": e.App.Setup.Code(), "company_name": "Acme Telecom Ltd", "display_name": "Ada Admin", "email": "ada@example.com",
		"username": "ada", "password": "Zebra+Lamp7x", "password_confirm": "Zebra+Lamp7x",
		"passphrase": "blue harbour lantern",
	}
	cases := []struct {
		name    string
		change  map[string]string
		field   string
		message string
	}{
		{"setup code missing", map[string]string{"setup_code": ""}, "setup_code", "Enter the setup code printed in the portal's log"},
		{"setup code wrong", map[string]string{"setup_code": "AAAA-BBBB-CCCC"}, "setup_code", "Enter the setup code printed in the portal's log"},
		{"company missing", map[string]string{"company_name": " "}, "company_name", "Enter the company name"},
		{"company too long", map[string]string{"company_name": strings.Repeat("a", 101)}, "company_name", "100 characters or fewer"},
		{"name missing", map[string]string{"display_name": ""}, "display_name", "Enter your name"},
		{"email missing", map[string]string{"email": ""}, "email", "Enter an email address"},
		{"email malformed", map[string]string{"email": "ada@"}, "email", "correct format"},
		{"username bad characters", map[string]string{"username": "ada lovelace"}, "username", "can only contain"},
		{"username too short", map[string]string{"username": "ab"}, "username", "3 to 64"},
		{"password too short", map[string]string{"password": "Ab1+", "password_confirm": "Ab1+"}, "password", "8 to 25 characters"},
		{"password no special", map[string]string{"password": "ZebraLamp7x", "password_confirm": "ZebraLamp7x"}, "password", "one of ~ @ #"},
		{"password common", map[string]string{"password": "Password1!", "password_confirm": "Password1!"}, "password", "common"},
		{"password is username", map[string]string{"username": "Zebra+Lamp7x", "password": "zebra+lamp7X", "password_confirm": "zebra+lamp7X"}, "password", "not your username"},
		{"confirm differs", map[string]string{"password_confirm": "Zebra+Lamp7y"}, "password_confirm", "do not match"},
		{"passphrase missing", map[string]string{"passphrase": ""}, "passphrase", "Enter a passphrase"},
		{"passphrase short", map[string]string{"passphrase": "short"}, "passphrase", "8 to 64"},
		{"passphrase is password", map[string]string{"passphrase": "zebra+lamp7x"}, "passphrase", "different from your password"},
		{"passphrase is email", map[string]string{"passphrase": "ADA@example.com"}, "passphrase", "not be your username"},
		{"answer without question", map[string]string{"security_answer": "Rex the dog"}, "security_question", "Choose or write"},
		{"question without answer", map[string]string{"security_question": "In what city were you born?"}, "security_answer", "Enter an answer"},
		{"own question empty", map[string]string{"security_question": "custom", "security_answer": "Rex"}, "security_question_custom", "Choose or write"},
		{"answer too short", map[string]string{"security_question": "In what city were you born?", "security_answer": "ab"}, "security_answer", "at least 3"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := e.Client()
			fields := map[string]string{}
			for k, v := range good {
				fields[k] = v
			}
			for k, v := range tc.change {
				fields[k] = v
			}
			res := c.Submit(c.Get("/setup"), "form[data-testid=setup-form]", fields)
			if res.Status != http.StatusUnprocessableEntity {
				t.Fatalf("status %d, want 422", res.Status)
			}
			summary := res.Doc.Find("[data-testid=error-summary] a[href='#" + tc.field + "']").Text()
			if !strings.Contains(summary, tc.message) {
				t.Errorf("error summary link for %s = %q, want it to contain %q", tc.field, summary, tc.message)
			}
			fieldErr := res.Doc.Find("[data-testid=error-" + tc.field + "]").Text()
			if !strings.Contains(fieldErr, tc.message) {
				t.Errorf("field error for %s = %q", tc.field, fieldErr)
			}
			if id, _ := res.Doc.Find("#" + tc.field).Attr("aria-describedby"); !strings.Contains(id, tc.field+"-error") {
				t.Errorf("field %s not described by its error (%q)", tc.field, id)
			}
			// Typed values come back; secrets never do.
			if v, _ := res.Doc.Find("#company_name").Attr("value"); v != fields["company_name"] {
				t.Errorf("company name not kept: %q", v)
			}
			for _, secret := range []string{"password", "password_confirm", "passphrase", "security_answer"} {
				if v, ok := res.Doc.Find("#" + secret).Attr("value"); ok && v != "" {
					t.Errorf("%s echoed back", secret)
				}
			}
		})
	}
	if n, _ := e.Store().Accounts.Count(context.Background()); n != 0 {
		t.Fatalf("invalid forms created %d accounts", n)
	}
}

func TestSetupChecklistMarksFailedRules(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	c := e.Client()
	res := c.Submit(c.Get("/setup"), "form[data-testid=setup-form]", map[string]string{
		"setup_code": e.App.Setup.Code(), "company_name": "Acme", "display_name": "Ada", "email": "ada@example.com",
		"password": "lowercase only", "password_confirm": "lowercase only", "passphrase": "blue harbour lantern",
	})
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("status %d", res.Status)
	}
	var failed []string
	res.Doc.Find("li.rule-failed").Each(func(_ int, s *goquery.Selection) {
		failed = append(failed, s.AttrOr("data-rule", ""))
	})
	want := []string{"upper", "digit", "special", "nospace"}
	if strings.Join(failed, ",") != strings.Join(want, ",") {
		t.Fatalf("failed rules %v, want %v", failed, want)
	}
}

// Until the first account exists, only someone who can read the server's
// log (where the setup code is printed) can claim the Primary Admin.
func TestSetupNeedsTheCodeFromTheLog(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	code := e.App.Setup.Code()
	if len(code) != 14 || strings.Count(code, "-") != 2 {
		t.Fatalf("setup code %q is not three groups of four", code)
	}
	a := apptest.DefaultAdmin()
	fields := map[string]string{
		"company_name": a.Company, "display_name": a.DisplayName, "email": a.Email, "username": a.Username,
		"password": a.Password, "password_confirm": a.Password, "passphrase": a.Passphrase,
	}
	c := e.Client()
	res := c.Submit(c.Get("/setup"), "form[data-testid=setup-form]", fields)
	if res.Status != http.StatusUnprocessableEntity {
		t.Fatalf("setup without the code: %d", res.Status)
	}
	if n, _ := e.Store().Accounts.Count(context.Background()); n != 0 {
		t.Fatalf("setup without the code created %d accounts", n)
	}
	// Typed from a terminal: any case, spaces for dashes.
	fields["setup_code"] = strings.ToLower(strings.ReplaceAll(code, "-", " "))
	if res := c.Submit(res, "form[data-testid=setup-form]", fields); res.Status != http.StatusSeeOther {
		t.Fatalf("setup with the code: %d", res.Status)
	}
}

// A fresh install leads its first visitor to setup rather than to a
// sign-in page nobody can pass; once set up, sign-in is back.
func TestFreshInstallLeadsToSetup(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	c := e.Client()
	if res := c.Get("/"); res.Status != http.StatusSeeOther || res.Location != "/login" {
		t.Fatalf("GET / on a fresh install: %d %q", res.Status, res.Location)
	}
	if res := c.Get("/login"); res.Status != http.StatusSeeOther || res.Location != "/setup" {
		t.Fatalf("GET /login on a fresh install: %d %q", res.Status, res.Location)
	}
	e.Setup(apptest.DefaultAdmin())
	if res := e.Client().Get("/login"); res.Status != http.StatusOK {
		t.Fatalf("GET /login after setup: %d", res.Status)
	}
}

// The checklist's script asks the same estimator the form uses whether a
// password is a common one; the answer needs the page's CSRF token and
// holds nothing but that verdict.
func TestPasswordCheckAnswersTheCommonRule(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	c := e.Client()
	page := c.Get("/setup")
	ask := func(token string, fields map[string]string) *apptest.Response {
		v := url.Values{}
		for k, val := range fields {
			v.Set(k, val)
		}
		return c.Request(http.MethodPost, "/password/check", v, func(r *http.Request) {
			if token != "" {
				r.Header.Set("X-CSRF-Token", token)
			}
		})
	}
	if res := ask("", map[string]string{"password": "Password1!"}); res.Status != http.StatusForbidden {
		t.Fatalf("without the CSRF token: %d", res.Status)
	}
	token := apptest.CSRF(page)
	for _, tc := range []struct {
		fields map[string]string
		want   string
	}{
		{map[string]string{"password": "Password1!"}, `{"common":true}`},
		{map[string]string{"password": "Zebra+Lamp7x"}, `{"common":false}`},
		{map[string]string{"password": "Adalovelace1+", "username": "adalovelace"}, `{"common":true}`},
		{map[string]string{"password": ""}, `{"common":false}`},
	} {
		res := ask(token, tc.fields)
		got := strings.TrimSpace(res.Doc.Text())
		if res.Status != http.StatusOK || got != tc.want || !strings.HasPrefix(res.Header.Get("Content-Type"), "application/json") {
			t.Errorf("%v: %d %q (%s), want %s", tc.fields, res.Status, got, res.Header.Get("Content-Type"), tc.want)
		}
	}
}
