// Package apptest starts the whole portal for tests: a fresh database of
// either dialect, the real router behind an httptest server, a clock the
// test moves, and keys that never touch the disk.
package apptest

import (
	"context"
	"io"
	"log/slog"
	"net/http/httptest"
	"strconv"
	"sync"
	"testing"
	"time"

	"accountportal/app"
	"accountportal/app/account"
	"accountportal/app/identity"
	"accountportal/app/mail/mailtest"
	"accountportal/app/recovery"
	"accountportal/app/security"
	"accountportal/app/support"
	"accountportal/config"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// Clock is a settable time source shared by the portal and the test. A
// real clock follows the wall clock (for tools outside the test, such as
// oathtool, that read it too), plus whatever Advance added.
type Clock struct {
	mu     sync.Mutex
	now    time.Time
	real   bool
	offset time.Duration
}

// NewClock returns a clock stopped at t.
func NewClock(t time.Time) *Clock { return &Clock{now: t} }

// Now returns the clock's time.
func (c *Clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.real {
		return time.Now().UTC().Add(c.offset)
	}
	return c.now
}

// Advance moves the clock forward by d.
func (c *Clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
	c.offset += d
}

// Env is one running portal.
type Env struct {
	T      testing.TB
	App    *app.App
	Server *httptest.Server
	Clock  *Clock
	URL    string
	// Mail is the SMTP server mail goes to when Options.SMTP is set.
	Mail *mailtest.Receiver
}

// Options adjust the portal a test starts.
type Options struct {
	// Env adds or overrides PORTAL_* variables.
	Env map[string]string
	// SignIn replaces the sign-in limits.
	SignIn *identity.SignInConfig
	// Log receives the portal's log; nil discards it.
	Log io.Writer
	// SMTP sends mail to a real SMTP server in the test (Env.Mail) instead
	// of keeping it for the development mailbox.
	SMTP bool
	// Recovery replaces the recovery limits.
	Recovery *recovery.Config
	// RealTime makes the clock follow the wall clock.
	RealTime bool
	// Debug logs everything down to debug level (SQL included) to Log.
	Debug bool
	// Support replaces the support desk's limits.
	Support *support.Config
	// ManualJobs starts no job queue worker: the test works bulk batches
	// itself (by default the first queued job starts one).
	ManualJobs bool
	// ReadTimeout bounds how long the test server waits for a request,
	// as serve's does; zero waits for ever.
	ReadTimeout time.Duration
}

// Start runs a portal on dialect d for the test's lifetime.
func Start(t testing.TB, d models.Dialect, opt Options) *Env {
	t.Helper()
	srv := httptest.NewUnstartedServer(nil)
	srv.Config.ReadTimeout = opt.ReadTimeout
	srv.Start()
	t.Cleanup(srv.Close)
	vars := map[string]string{
		"PORTAL_DATABASE_URL":      modelstest.NewURL(t, d),
		"PORTAL_PUBLIC_URL":        srv.URL,
		"PORTAL_ARGON2_MEMORY_KIB": "64",
		"PORTAL_ARGON2_ITERATIONS": "1",
		"PORTAL_SECRET_KEYS_FILE":  "unused-in-tests",
		"PORTAL_LOG_LEVEL":         "warn",
		"PORTAL_JOB_POLL":          "20ms",
	}
	var receiver *mailtest.Receiver
	if opt.SMTP {
		receiver = mailtest.NewReceiver(t)
		vars["PORTAL_SMTP_URL"] = receiver.URL()
	}
	for k, v := range opt.Env {
		vars[k] = v
	}
	cfg, err := config.Load(func(k string) string { return vars[k] })
	if err != nil {
		t.Fatalf("config: %v", err)
	}
	keys, err := security.NewMemoryKeyRing()
	if err != nil {
		t.Fatal(err)
	}
	w := opt.Log
	if w == nil {
		w = io.Discard
	}
	clock := NewClock(time.Date(2026, 11, 23, 9, 0, 0, 0, time.UTC))
	clock.real = opt.RealTime
	signIn := opt.SignIn
	if signIn == nil {
		def := identity.DefaultSignInConfig()
		signIn = &def
	}
	level := slog.LevelWarn
	if opt.Debug {
		level = slog.LevelDebug
	}
	log := slog.New(slog.NewTextHandler(w, &slog.HandlerOptions{Level: level}))
	a, err := app.Build(context.Background(), cfg, log, app.Options{Now: clock.Now, Keys: keys, SignIn: signIn, Recovery: opt.Recovery,
		Support: opt.Support, JobsOnDemand: !opt.ManualJobs})
	if err != nil {
		t.Fatalf("build: %v", err)
	}
	t.Cleanup(func() { _ = a.Close() })
	if _, err := a.Store.Migrate(context.Background()); err != nil {
		t.Fatalf("migrate: %v", err)
	}
	srv.Config.Handler = a.Handler
	return &Env{T: t, App: a, Server: srv, Clock: clock, URL: srv.URL, Mail: receiver}
}

// Store returns the portal's database.
func (e *Env) Store() *models.Store { return e.App.Store }

// Admin describes the account and Primary Admin made by Setup.
type Admin struct {
	Company     string
	DisplayName string
	Email       string
	Username    string
	Password    string
	Passphrase  string
	// Question and Answer set a security question when Question is not "".
	Question string
	Answer   string
}

// DefaultAdmin is the Primary Admin most tests create.
func DefaultAdmin() Admin {
	return Admin{Company: "Acme Telecom Ltd", DisplayName: "Ada Admin", Email: "ada@example.com",
		Username: "ada", Password: "Zebra+Lamp7x", Passphrase: "blue harbour lantern"}
}

// Setup completes first-run setup through the real page with a and returns
// the signed-in client.
func (e *Env) Setup(a Admin) *Client {
	e.T.Helper()
	c := e.Client()
	page := c.Get("/setup")
	res := c.Submit(page, "form[data-testid=setup-form]", map[string]string{
		"setup_code": e.App.Setup.Code(), "company_name": a.Company, "display_name": a.DisplayName, "email": a.Email, "username": a.Username,
		"password": a.Password, "password_confirm": a.Password, "passphrase": a.Passphrase,
		"security_question": a.Question, "security_answer": a.Answer,
	})
	if res.Status != 303 || res.Location != "/" {
		e.T.Fatalf("setup: status %d location %q\n%s", res.Status, res.Location, res.Body)
	}
	return c
}

// SetupCodeOf returns the first-run setup code of a portal started as a
// separate process with the key file at path.
func SetupCodeOf(t testing.TB, keyFile string) string {
	t.Helper()
	keys, err := security.LoadKeyRing(keyFile, false, false)
	if err != nil {
		t.Fatal(err)
	}
	return account.NewSetup(nil, nil, keys, nil, nil).Code()
}

// Itoa formats an id for URLs and form values.
func Itoa(n int64) string { return strconv.FormatInt(n, 10) }
