package web_test

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/recovery"
	"accountportal/app/security"
	"accountportal/models"
)

// TestSecurityScan is `make scan`, not part of `make test`: it starts the
// portal with demo data on loopback and runs sqlmap on every form and
// query parameter, then wapiti over the whole site, failing on any
// finding. SCAN=quick (CI) runs sqlmap at level 1 on the main forms only.
func TestSecurityScan(t *testing.T) {
	mode := os.Getenv("SCAN")
	if mode == "" {
		t.Skip("set SCAN=1 (make scan) or SCAN=quick")
	}
	for _, tool := range []string{"sqlmap", "wapiti"} {
		if _, err := exec.LookPath(tool); err != nil && (tool == "sqlmap" || mode != "quick") {
			t.Fatalf("%s is not installed (apt-get install sqlmap wapiti)", tool)
		}
	}
	d := models.SQLite
	if os.Getenv("TEST_DATABASE_URL") != "" {
		d = models.Postgres
	}
	// Scanners send thousands of requests: the limits that would lock them
	// out are raised, so that every request reaches the code under test.
	signIn := identity.DefaultSignInConfig()
	signIn.PerUsername.Max, signIn.PerIP.Max, signIn.Reauth.Max = 1<<30, 1<<30, 1<<30
	rec := recovery.DefaultConfig()
	rec.PerIdentifier.Max, rec.PerIP.Max, rec.Answers.Max = 1<<30, 1<<30, 1<<30
	e := apptest.Start(t, d, apptest.Options{SignIn: &signIn, Recovery: &rec, RealTime: true})
	k := demoData(t, e)

	type target struct {
		name, url, data, cookie string
		params                  []string
	}
	targets := []target{
		{"sign-in username", "/login", "username=ada", k.anonCookie(t, "/login"), []string{"username"}},
		{"sign-in password", "/login/password", "password=x", k.pendingCookie(t), []string{"password"}},
		{"forgot password", "/forgot/password", "username=pat", k.anonCookie(t, "/forgot/password"), []string{"username"}},
		{"forgot username", "/forgot/username", "email=pat%40example.com", k.anonCookie(t, "/forgot/username"), []string{"email"}},
		{"users search and filters", "/admin/users?q=pat&f_status=active&sort=name", "", k.admin, []string{"q", "f_status", "sort"}},
		{"support search", "/support?q=Acme", "", k.agent, []string{"q"}},
	}
	if mode != "quick" {
		targets = append(targets,
			target{"users filters", "/admin/users?f_role=1&f_privileged=yes&f_mfa=on&after=5", "", k.admin, []string{"f_role", "f_privileged", "f_mfa", "after"}},
			target{"audit filters", "/admin/audit?actor=ada&target=pat&action=sign_in.success&from=2026-01-01&to=2026-12-31&before=999", "", k.admin,
				[]string{"actor", "target", "action", "from", "to", "before"}},
			target{"support caller lookup", "/support/accounts/" + k.account + "?username=pat", "", k.agent, []string{"username"}},
			target{"support verify", "/support/accounts/" + k.account + "/verify", "caller=" + k.billID + "&area=billing.changes&passphrase=x&code=", k.agent,
				[]string{"caller", "area", "passphrase"}},
			target{"profile details", "/profile/details", "display_name=Ada", k.admin, []string{"display_name"}},
			target{"create user", "/admin/users", "display_name=Zed&email=zed%40example.com&username=", k.admin, []string{"display_name", "email", "username"}},
			// The link's token is in the path: sqlmap injects where the * is.
			target{"reset link", k.resetLink + "*", "", k.anonCookie(t, "/forgot/password"), nil},
			target{"reset security answer", "/reset/answer", "answer=Swansea", k.resetAnswer, []string{"answer"}},
			// A password the policy refuses, so no request completes the reset.
			target{"reset new password", "/reset/password", "password=short&password_confirm=short", k.resetPassword,
				[]string{"password", "password_confirm"}},
		)
	}
	out := t.TempDir()
	for _, tg := range targets {
		t.Run("sqlmap "+tg.name, func(t *testing.T) {
			level, risk := "3", "2"
			if mode == "quick" {
				level, risk = "1", "1"
			}
			args := []string{"-u", e.URL + tg.url, "--batch", "--flush-session", "--output-dir", out,
				"--level", level, "--risk", risk, "--cookie", tg.cookie,
				"--timeout", "10", "--retries", "1", "--disable-coloring"}
			if len(tg.params) > 0 {
				args = append(args, "-p", strings.Join(tg.params, ","))
			}
			if tg.data != "" {
				csrf := k.csrf[tg.cookie]
				args = append(args, "--data", tg.data+"&csrf_token="+url.QueryEscape(csrf), "--skip", "csrf_token")
			}
			cmd := exec.Command("sqlmap", args...)
			raw, err := cmd.CombinedOutput()
			text := string(raw)
			if err != nil {
				t.Fatalf("sqlmap failed: %v\n%s", err, text)
			}
			for _, sign := range []string{"is vulnerable", "appears to be injectable", "identified the following injection point", "might be injectable"} {
				if strings.Contains(text, sign) {
					t.Fatalf("sqlmap found an injection (%q):\n%s", sign, text)
				}
			}
			if os.Getenv("SCAN_VERBOSE") == "1" {
				t.Log(text)
			}
			if !strings.Contains(text, "does not seem to be injectable") && !strings.Contains(text, "all tested parameters do not appear to be injectable") {
				t.Fatalf("sqlmap did not test the parameters:\n%s", text)
			}
		})
	}
	if mode == "quick" {
		return
	}
	t.Run("wapiti", func(t *testing.T) { runWapiti(t, guarded(t, e, k.csrf[k.admin]), k, out) })
}

// guarded puts the portal behind a front that answers 404 to the forms
// that would end the scan's own session, so wapiti keeps attacking as a
// signed-in admin (wapiti 3.0.4's own --exclude fails on Python 3.11).
// Only submissions with the session's real CSRF token are held back: the
// portal itself answers the others, so wapiti's CSRF checks still meet it.
func guarded(t *testing.T, e *apptest.Env, token string) string {
	blocked := []string{"/logout", "/profile/sessions/signout", "/admin/users/bulk/run", "/admin/privileges/transfer",
		"/admin/privileges/remove", "/profile/password", "/profile/email"}
	front := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		r.Body = io.NopCloser(bytes.NewReader(body))
		form, _ := url.ParseQuery(string(body))
		ending := strings.HasSuffix(r.URL.Path, "/delete") || strings.HasSuffix(r.URL.Path, "/status")
		for _, p := range blocked {
			ending = ending || strings.HasPrefix(r.URL.Path, p)
		}
		if ending && r.Method == http.MethodPost && form.Get("csrf_token") == token {
			http.NotFound(w, r)
			return
		}
		e.App.Handler.ServeHTTP(w, r)
	}))
	t.Cleanup(front.Close)
	return front.URL
}

// runWapiti crawls and attacks the site as the Primary Admin.
func runWapiti(t *testing.T, base string, k *scanWorld, dir string) {
	report := filepath.Join(dir, "wapiti.json")
	args := []string{"-u", base + "/", "--scope", "folder", "--flush-session", "-f", "json", "-o", report,
		"-m", "sql,blindsql,xss,permanentxss,exec,file,crlf,redirect,csrf,ssrf,xxe",
		"-H", "Cookie: " + k.admin, "--max-scan-time", "900", "--max-attack-time", "120", "--verify-ssl", "0"}
	cmd := exec.Command("wapiti", args...)
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Minute)
	defer cancel()
	cmd = exec.CommandContext(ctx, cmd.Path, cmd.Args[1:]...)
	if raw, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("wapiti failed: %v\n%s", err, raw)
	}
	raw, err := os.ReadFile(report)
	if err != nil {
		t.Fatal(err)
	}
	var r struct {
		Vulnerabilities map[string][]struct {
			Path, Parameter, Info string
		} `json:"vulnerabilities"`
		Infos map[string]any `json:"infos"`
	}
	if err := json.Unmarshal(raw, &r); err != nil {
		t.Fatal(err)
	}
	for kind, found := range r.Vulnerabilities {
		for _, v := range found {
			t.Errorf("wapiti: %s at %s (%s): %s", kind, v.Path, v.Parameter, v.Info)
		}
	}
	t.Logf("wapiti report: %s (%v)", report, r.Infos)
}

// scanWorld is the demo data the scanners work on, and the cookies of
// its people.
type scanWorld struct {
	e               *apptest.Env
	admin, agent    string
	account, billID string
	// A reset link, and sessions that opened one at the security question
	// and at the new password.
	resetLink, resetAnswer, resetPassword string
	csrf                                  map[string]string
}

func demoData(t *testing.T, e *apptest.Env) *scanWorld {
	a := apptest.DefaultAdmin()
	ada := e.Setup(a)
	acct := e.User("ada").AccountID
	e.AddUser(acct, "pat", deskPassword, models.StatusActive)
	bill := e.AddUser(acct, "bill", deskPassword, models.StatusActive)
	e.GiveRole(bill.ID, "billing_admin")
	e.AddAgent("Sam Support", "sam@desk.example", deskPassword)
	agent := e.Client()
	agent.SignInEnrolling("sam@desk.example", deskPassword, e.Clock)
	k := &scanWorld{e: e, account: apptest.Itoa(acct), billID: apptest.Itoa(bill.ID), csrf: map[string]string{}}
	k.admin = k.cookieOf(ada, apptest.CSRF(ada.Get("/profile")))
	k.agent = k.cookieOf(agent, apptest.CSRF(agent.Get("/support")))
	rita := e.AddUser(acct, "rita", deskPassword, models.StatusActive)
	if err := e.Store().Users.SetSecurityQuestion(context.Background(), rita.ID, "In what city were you born?",
		apptest.HashPassword(t, security.Argon2Params{MemoryKiB: 64, Iterations: 1, Parallelism: 1}, "Port Talbot"), e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	e.AddUser(acct, "ron", deskPassword, models.StatusActive)
	k.resetLink, k.resetAnswer = k.openedReset(t, "rita")
	_, k.resetPassword = k.openedReset(t, "ron")
	return k
}

// openedReset emails username a reset link and opens it in a visitor's
// session; it returns the link's path and that session's cookie.
func (k *scanWorld) openedReset(t *testing.T, username string) (link, cookie string) {
	c := k.e.Client()
	link = resetLink(t, k.e, c, username, username+"@example.com")
	c.Get(link)
	return link, k.cookieOf(c, apptest.CSRF(c.Get("/reset")))
}

func (k *scanWorld) cookieOf(c *apptest.Client, csrf string) string {
	cookie := c.CookieHeader()
	k.csrf[cookie] = csrf
	return cookie
}

// anonCookie is a visitor's session that has seen the form at path.
func (k *scanWorld) anonCookie(t *testing.T, path string) string {
	c := k.e.Client()
	return k.cookieOf(c, apptest.CSRF(c.Get(path)))
}

// pendingCookie is a visitor's session past the username step.
func (k *scanWorld) pendingCookie(t *testing.T) string {
	c := k.e.Client()
	page := c.Get("/login")
	c.Submit(page, "form[data-testid=login-username-form]", map[string]string{"username": "ada"})
	return k.cookieOf(c, apptest.CSRF(page))
}
