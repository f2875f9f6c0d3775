package web_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"net/url"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/models"
)

const appPasswordsPage = "/profile/app-passwords"

var shownAppPassword = regexp.MustCompile(`^[a-hjkmnp-z2-9]{4}(-[a-hjkmnp-z2-9]{4}){3}$`)

// makeAppPassword creates an app password named name through the page and
// returns the secret the answer shows.
func makeAppPassword(t *testing.T, c *apptest.Client, name string) string {
	t.Helper()
	res := c.Submit(c.Get(appPasswordsPage), "form[data-testid=app-password-form]", map[string]string{"name": name})
	secret := strings.TrimSpace(res.Doc.Find("[data-testid=app-password-secret]").Text())
	if res.Status != http.StatusOK || !shownAppPassword.MatchString(secret) {
		t.Fatalf("create app password %q: %d, secret %q\n%s", name, res.Status, secret, res.Doc.Find("main").Text())
	}
	return secret
}

// basic sends an integration's request with the Authorization header auth
// ("" for none).
// basic calls the integration sign-in with the Authorization header auth
// ("" for none), and checks the call and its answer against the API's
// description.
func basic(t testing.TB, c *apptest.Client, method, path, auth string) *apptest.Response {
	t.Helper()
	var sent *http.Request
	res := c.Request(method, path, nil, func(r *http.Request) {
		if auth != "" {
			r.Header.Set("Authorization", auth)
		}
		sent = r
	})
	checkDescribed(t, sent, res)
	return res
}

// jsonOf is the text of a JSON answer (apptest parses every answer as
// HTML, which keeps the text as it was).
func jsonOf(res *apptest.Response) string { return strings.TrimSpace(res.Doc.Text()) }

func basicOf(username, password string) string {
	return "Basic " + base64.StdEncoding.EncodeToString([]byte(username+":"+password))
}

// wantProblem checks an RFC 9457 answer of status, with the Basic
// challenge on a 401.
func wantProblem(t *testing.T, what string, res *apptest.Response, status int) map[string]any {
	t.Helper()
	var p map[string]any
	if err := json.Unmarshal([]byte(jsonOf(res)), &p); err != nil || res.Status != status ||
		res.Header.Get("Content-Type") != "application/problem+json" || p["status"] != float64(status) || p["title"] == "" {
		t.Fatalf("%s: %d %q %s", what, res.Status, res.Header.Get("Content-Type"), res.Body)
	}
	challenge := res.Header.Get("WWW-Authenticate")
	if want := `Basic realm="Account Portal integrations", charset="UTF-8"`; (status == http.StatusUnauthorized) != (challenge == want) {
		t.Fatalf("%s: WWW-Authenticate %q", what, challenge)
	}
	return p
}

func TestAppPasswordsCreateUseRevoke(t *testing.T) {
	e, c, a := signedIn(t, models.SQLite)
	ada := e.User("ada")
	if href, _ := c.Get("/profile").Doc.Find("[data-testid=profile-app-passwords]").Attr("href"); href != appPasswordsPage {
		t.Fatalf("My Profile links app passwords at %q", href)
	}
	page := c.Get(appPasswordsPage)
	if page.Status != http.StatusOK || page.Doc.Find("[data-testid=no-app-passwords]").Length() != 1 {
		t.Fatalf("empty page: %d", page.Status)
	}
	for _, bad := range []struct{ name, want string }{
		{" ", "Enter a name"}, {strings.Repeat("n", 61), "60 characters or fewer"}, {"CRM\u202e", ""},
	} {
		res := c.Submit(page, "form[data-testid=app-password-form]", map[string]string{"name": bad.name})
		if msg := res.Doc.Find("[data-testid=error-name]").Text(); res.Status != http.StatusUnprocessableEntity ||
			!strings.Contains(msg, bad.want) || res.Doc.Find("[data-testid=app-password-secret]").Length() != 0 {
			t.Fatalf("name %q: %d %q", bad.name, res.Status, msg)
		}
	}

	res := c.Submit(page, "form[data-testid=app-password-form]", map[string]string{"name": "  ACT! on the laptop "})
	secret := strings.TrimSpace(res.Doc.Find("[data-testid=app-password-secret]").Text())
	if res.Status != http.StatusOK || !shownAppPassword.MatchString(secret) || res.Header.Get("Cache-Control") != "no-store" ||
		!strings.Contains(res.Doc.Find("[data-testid=app-password-created]").Text(), "not to sign in here") ||
		res.Doc.Find("[data-testid=app-password-username]").Text() != "ada" {
		t.Fatalf("created: %d %q %q", res.Status, secret, res.Header.Get("Cache-Control"))
	}
	// Shown once: never on the list again, and never stored.
	list := c.Get(appPasswordsPage)
	if strings.Contains(list.Body, secret) || list.Doc.Find("[data-testid=app-password-secret]").Length() != 0 ||
		list.Doc.Find("[data-testid=app-password-name]").Text() != "ACT! on the laptop" ||
		strings.TrimSpace(list.Doc.Find("[data-testid=app-password-last-used]").Text()) != "Never" {
		t.Fatalf("list after create:\n%s", list.Doc.Find("main").Text())
	}
	canonical := strings.ReplaceAll(secret, "-", "")
	if got := append(e.StoredText(secret), e.StoredText(canonical)...); len(got) != 0 {
		t.Fatalf("the secret is stored: %v", got)
	}
	e.Drain()
	if mail := e.MailTo(a.Email); len(mail) == 0 || !strings.Contains(mail[len(mail)-1].Subject, "app password") ||
		strings.Contains(mail[len(mail)-1].TextBody, canonical[:8]) {
		t.Fatalf("notice: %+v", mail)
	}
	if auditCount(t, e, ada.AccountID, profile.ActionAppPasswordCreated) != 1 {
		t.Fatal("creation not audited")
	}

	// The integration signs in with it, dashes or not, any case.
	api := e.Client()
	for _, typed := range []string{secret, canonical, strings.ToUpper(secret), " " + secret + " "} {
		res := basic(t, api, http.MethodGet, "/api/v1/me", basicOf("ADA", typed))
		var me struct {
			ID          int64  `json:"id"`
			Username    string `json:"username"`
			DisplayName string `json:"display_name"`
			Email       string `json:"email"`
			Account     struct{ Number, Name string }
		}
		if err := json.Unmarshal([]byte(jsonOf(res)), &me); err != nil || res.Status != http.StatusOK || me.ID != ada.ID ||
			me.Username != "ada" || me.DisplayName != a.DisplayName || me.Email != a.Email || me.Account.Name != a.Company ||
			len(me.Account.Number) != 8 || res.Header.Get("Content-Type") != "application/json" {
			t.Fatalf("/api/v1/me with %q: %d %s", typed, res.Status, res.Body)
		}
	}
	res = basic(t, api, http.MethodPost, "/api/v1/crm/sign-in", basicOf("ada", secret))
	var crm struct {
		User    struct{ Username string }
		Purpose string
	}
	if err := json.Unmarshal([]byte(jsonOf(res)), &crm); err != nil || res.Status != http.StatusOK || crm.User.Username != "ada" ||
		!strings.Contains(crm.Purpose, "CRM") {
		t.Fatalf("CRM sign-in: %d %s", res.Status, res.Body)
	}
	if got := c.Get(appPasswordsPage).Doc.Find("[data-testid=app-password-last-used]").Text(); !strings.Contains(got, "from 127.0.0.1") {
		t.Fatalf("last used %q", got)
	}

	// Never the console password here; never the app password at the console.
	wantProblem(t, "console password", basic(t, api, http.MethodGet, "/api/v1/me", basicOf("ada", a.Password)), http.StatusUnauthorized)
	console := e.Client()
	if res := console.SignIn("ada", secret); res.Status == http.StatusSeeOther && res.Location == "/" {
		t.Fatal("the console accepted an app password")
	}
	if res := console.SignIn("ada", canonical); res.Status == http.StatusSeeOther && res.Location == "/" {
		t.Fatal("the console accepted an app password without dashes")
	}

	// Revoke it from the list.
	list = c.Get(appPasswordsPage)
	res = c.Submit(list, "form:has([data-testid=app-password-revoke])", nil)
	if res.Status != http.StatusSeeOther || res.Location != appPasswordsPage {
		t.Fatalf("revoke: %d %q", res.Status, res.Location)
	}
	after := c.Get(appPasswordsPage)
	if !strings.Contains(after.Doc.Find("[data-testid=flash]").Text(), "ACT! on the laptop") ||
		after.Doc.Find("[data-testid=app-password-row]").Length() != 0 {
		t.Fatalf("after revoke:\n%s", after.Doc.Find("main").Text())
	}
	wantProblem(t, "revoked", basic(t, api, http.MethodGet, "/api/v1/me", basicOf("ada", secret)), http.StatusUnauthorized)
	if auditCount(t, e, ada.AccountID, profile.ActionAppPasswordRevoked) != 1 {
		t.Fatal("revocation not audited")
	}
	// Revoking it again, or an unknown one, says so.
	res = c.Submit(list, "form:has([data-testid=app-password-revoke])", nil)
	if res.Status != http.StatusSeeOther || !strings.Contains(c.Get(res.Location).Doc.Find("[data-testid=flash]").Text(), "already revoked") {
		t.Fatalf("revoke twice: %d", res.Status)
	}
	if res := c.Post(appPasswordsPage+"/revoke", url.Values{"app_password": {"1"}}); res.Status != http.StatusForbidden {
		t.Fatalf("revoke without a CSRF token: %d", res.Status)
	}
}

func TestAppPasswordsAreOneUsersOwn(t *testing.T) {
	e, ada, _ := signedIn(t, models.SQLite)
	acct := e.User("ada").AccountID
	e.AddUser(acct, "bob", "Bobcat+Jump7x", models.StatusActive)
	bob := e.Client()
	bob.SignIn("bob", "Bobcat+Jump7x")
	bobs := makeAppPassword(t, bob, "Bob's CRM")
	adas := makeAppPassword(t, ada, "Ada's CRM")
	api := e.Client()
	wantProblem(t, "bob's app password as ada", basic(t, api, http.MethodGet, "/api/v1/me", basicOf("ada", bobs)), http.StatusUnauthorized)
	wantProblem(t, "unknown user", basic(t, api, http.MethodGet, "/api/v1/me", basicOf("nobody", adas)), http.StatusUnauthorized)
	// Bob cannot revoke Ada's: the same answer as for one that is gone.
	var adaID string
	ada.Get(appPasswordsPage).Doc.Find("input[name=app_password]").Each(func(_ int, s *goquery.Selection) { adaID = s.AttrOr("value", "") })
	res := bob.Submit(bob.Get(appPasswordsPage), "form:has([data-testid=app-password-revoke])", map[string]string{"app_password": adaID})
	if res.Status != http.StatusSeeOther || !strings.Contains(bob.Get(res.Location).Doc.Find("[data-testid=flash]").Text(), "already revoked") {
		t.Fatalf("bob revoking ada's: %d", res.Status)
	}
	if res := basic(t, api, http.MethodGet, "/api/v1/me", basicOf("ada", adas)); res.Status != http.StatusOK {
		t.Fatalf("ada's after bob's attempt: %d", res.Status)
	}
}

func TestAppPasswordNeedsARecentPassword(t *testing.T) {
	e, c, a := signedIn(t, models.SQLite)
	e.Clock.Advance(identity.RecentPassword + time.Minute)
	page := c.Get(appPasswordsPage)
	if page.Status != http.StatusOK || page.Doc.Find("form[data-testid=app-password-form]").Length() != 0 ||
		page.Doc.Find("[data-testid=app-passwords-confirm-link]").AttrOr("href", "") != "/confirm?next=%2Fprofile%2Fapp-passwords" {
		t.Fatalf("page without a recent password: %d", page.Status)
	}
	res := c.Post(appPasswordsPage, formOf(page, map[string]string{"name": "CRM"}))
	if res.Status != http.StatusSeeOther || res.Location != "/confirm?next="+url.QueryEscape(appPasswordsPage) {
		t.Fatalf("create without a recent password: %d %q", res.Status, res.Location)
	}
	res = c.Submit(c.Get(res.Location), "form[data-testid=confirm-form]", map[string]string{"password": a.Password})
	if res.Status != http.StatusSeeOther || res.Location != appPasswordsPage {
		t.Fatalf("confirm: %d %q", res.Status, res.Location)
	}
	makeAppPassword(t, c, "CRM")
}

func TestAppPasswordLimitPerUser(t *testing.T) {
	e, c, _ := signedIn(t, models.SQLite)
	for i := range profile.MaxAppPasswords {
		makeAppPassword(t, c, "CRM "+apptest.Itoa(int64(i)))
	}
	page := c.Get(appPasswordsPage)
	if page.Doc.Find("[data-testid=app-passwords-full]").Length() != 1 || page.Doc.Find("form[data-testid=app-password-form]").Length() != 0 {
		t.Fatal("a full list still offers the form")
	}
	res := c.Post(appPasswordsPage, formOf(page, map[string]string{"name": "one more"}))
	if res.Status != http.StatusUnprocessableEntity || !strings.Contains(res.Doc.Find("[data-testid=app-passwords-full]").Text(), "the most allowed") {
		t.Fatalf("21st: %d\n%s", res.Status, res.Doc.Find("main").Text())
	}
	if n, _ := e.Store().AppPasswords().CountLive(context.Background(), e.User("ada").ID); n != profile.MaxAppPasswords {
		t.Fatalf("%d app passwords kept", n)
	}
}

// digestOf is the stored digest of a canonical app password.
func digestOf(canonical string) []byte { return security.AppPasswordDigest(canonical) }
