package app_test

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"net"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"accountportal/app"
	"accountportal/app/apptest"
	"accountportal/app/mail/mailtest"
	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/migrations"
	"accountportal/models"
)

// syncBuffer is a log the portal writes while the test reads it.
type syncBuffer = apptest.SyncBuffer

func env(vars map[string]string) func(string) string {
	return func(k string) string { return vars[k] }
}

func TestCommands(t *testing.T) {
	dir := t.TempDir()
	base := map[string]string{
		"PORTAL_DATABASE_URL":     "sqlite://" + filepath.Join(dir, "portal.db"),
		"PORTAL_SECRET_KEYS_FILE": filepath.Join(dir, "keys.json"),
	}
	count, latest := migrationCount(t), latestMigration(t)
	cases := []struct {
		name string
		args []string
		vars map[string]string
		code int
		out  string
	}{
		{"help", []string{"accountportal", "help"}, nil, 0, "accountportal serve"},
		{"no command prints help", []string{"accountportal"}, nil, 0, "Usage:"},
		{"version", []string{"accountportal", "version"}, nil, 0, "accountportal "},
		{"unknown", []string{"accountportal", "frobnicate"}, nil, 2, `unknown command "frobnicate"`},
		{"migrate", []string{"accountportal", "migrate"}, base, 0, fmt.Sprintf("applied %d migration(s); schema version %d", count, latest)},
		{"migrate again", []string{"accountportal", "migrate"}, base, 0, fmt.Sprintf("applied 0 migration(s); schema version %d", latest)},
		{"bad config names the variable", []string{"accountportal", "serve"},
			map[string]string{"PORTAL_SESSION_IDLE_TIMEOUT": "soon"}, 1, "PORTAL_SESSION_IDLE_TIMEOUT:"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var out bytes.Buffer
			code := app.Main(context.Background(), tc.args, env(tc.vars), &out)
			if code != tc.code || !strings.Contains(out.String(), tc.out) {
				t.Fatalf("exit %d, output:\n%s\nwant exit %d and %q", code, out.String(), tc.code, tc.out)
			}
			if tc.code == 1 && strings.Count(strings.TrimSpace(out.String()), "\n") != 0 {
				t.Fatalf("error is not one line: %q", out.String())
			}
		})
	}
}

func TestMailTestCommand(t *testing.T) {
	rcv := mailtest.NewReceiver(t)
	var out bytes.Buffer
	vars := map[string]string{"PORTAL_SMTP_URL": rcv.URL(), "PORTAL_MAIL_FROM": "Portal <portal@example.com>"}
	code := app.Main(context.Background(), []string{"accountportal", "mail", "test", "--to", "ops@example.com"}, env(vars), &out)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, out.String())
	}
	got := rcv.WaitFor(1, 5*time.Second)[0]
	if got.To[0] != "ops@example.com" || got.Subject != "Account Portal test message" || got.From != "portal@example.com" {
		t.Fatalf("received %+v", got)
	}
	for name, args := range map[string][]string{
		"header injection": {"accountportal", "mail", "test", "--to", "ops@example.com\r\nBcc: x@evil.example"},
		"no address":       {"accountportal", "mail", "test"},
		"no subcommand":    {"accountportal", "mail"},
	} {
		out.Reset()
		if code := app.Main(context.Background(), args, env(vars), &out); code != 1 {
			t.Errorf("%s: exit %d (%s)", name, code, out.String())
		}
	}
	out.Reset()
	if code := app.Main(context.Background(), []string{"accountportal", "mail", "test", "--to", "a@example.com"}, env(nil), &out); code != 1 ||
		!strings.Contains(out.String(), "PORTAL_SMTP_URL is not set") {
		t.Errorf("without SMTP: exit %d (%s)", code, out.String())
	}
}

func TestServeMigratesServesAndShutsDown(t *testing.T) {
	dir := t.TempDir()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	addr := ln.Addr().String()
	ln.Close()
	mln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	metricsAddr := mln.Addr().String()
	mln.Close()
	vars := map[string]string{
		"PORTAL_LISTEN":            addr,
		"PORTAL_METRICS_LISTEN":    metricsAddr,
		"PORTAL_DATABASE_URL":      "sqlite://" + filepath.Join(dir, "portal.db"),
		"PORTAL_SECRET_KEYS_FILE":  filepath.Join(dir, "keys.json"),
		"PORTAL_ARGON2_MEMORY_KIB": "64",
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	out := &syncBuffer{}
	done := make(chan int, 1)
	go func() { done <- app.Main(ctx, []string{"accountportal", "serve"}, env(vars), out) }()

	var res *http.Response
	for deadline := time.Now().Add(10 * time.Second); time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		if res, err = http.Get("http://" + addr + "/setup"); err == nil {
			break
		}
	}
	if err != nil {
		t.Fatalf("portal never answered: %v\n%s", err, out.String())
	}
	res.Body.Close()
	if res.StatusCode != http.StatusOK {
		t.Fatalf("GET /setup on a fresh portal: %d", res.StatusCode)
	}
	checkMetrics(t, addr, metricsAddr)
	checkProfiles(t, addr, metricsAddr)
	cancel()
	select {
	case code := <-done:
		if code != 0 {
			t.Fatalf("serve exited %d:\n%s", code, out.String())
		}
		if alive := runningWorkers(); len(alive) > 0 {
			t.Errorf("serve returned with workers running: %v", alive)
		}
	case <-time.After(25 * time.Second):
		t.Fatal("serve did not shut down")
	}
	log := out.String()
	for _, want := range []string{"database migrated", "serving", "shutting down", "route=/setup"} {
		if !strings.Contains(log, want) {
			t.Errorf("log lacks %q:\n%s", want, log)
		}
	}
	// The setup code is in the log, and the command prints the same one.
	code := apptest.SetupCodeOf(t, vars["PORTAL_SECRET_KEYS_FILE"])
	if !strings.Contains(log, "first-run setup") || !strings.Contains(log, "setup_code="+code) {
		t.Errorf("log lacks the setup code %s:\n%s", code, log)
	}
	var printed bytes.Buffer
	if rc := app.Main(context.Background(), []string{"accountportal", "setup-code"}, env(vars), &printed); rc != 0 ||
		!strings.Contains(printed.String(), "setup code: "+code) {
		t.Errorf("setup-code: exit %d, printed %q", rc, printed.String())
	}
}

func TestKeysCommands(t *testing.T) {
	dir := t.TempDir()
	vars := map[string]string{
		"PORTAL_DATABASE_URL":     "sqlite://" + filepath.Join(dir, "portal.db"),
		"PORTAL_SECRET_KEYS_FILE": filepath.Join(dir, "keys.json"),
	}
	run := func(args ...string) (int, string) {
		var out bytes.Buffer
		code := app.Main(context.Background(), append([]string{"accountportal"}, args...), env(vars), &out)
		return code, out.String()
	}
	// The key file is made as serve makes it in development; migrate
	// does not touch it.
	keys, err := security.LoadKeyRing(vars["PORTAL_SECRET_KEYS_FILE"], true, false)
	if err != nil {
		t.Fatal(err)
	}
	if code, out := run("migrate"); code != 0 {
		t.Fatalf("migrate: %s", out)
	}
	ctx := context.Background()
	store, err := models.Open(ctx, models.Options{URL: vars["PORTAL_DATABASE_URL"]})
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	a := &models.Account{Number: "12121212", Name: "A", PasswordPreset: "classic", MFAPolicy: "off"}
	_ = store.Accounts.Create(ctx, a)
	u := &models.User{AccountID: a.ID, Username: "u", UsernameKey: "u", Email: "u@x.io", EmailKey: "u@x.io", DisplayName: "U", Status: "active"}
	_ = store.Users.Create(ctx, u)
	sec, _ := secrets.NewSealer(keys).Seal(secrets.Passphrase, u.ID, "tall pine window", time.Now())
	if err := store.Secrets.Put(ctx, sec); err != nil {
		t.Fatal(err)
	}

	steps := []struct {
		args []string
		code int
		out  string
	}{
		{[]string{"keys", "list"}, 0, "key 1 (current) created"},
		{[]string{"keys", "retire", "1"}, 1, "current key cannot be retired"},
		{[]string{"keys", "rotate"}, 0, "key 2 is now current; re-encrypted 1 value(s)"},
		{[]string{"keys", "list"}, 0, "key 1 created"},
		{[]string{"keys", "retire", "1"}, 0, "retired key 1"},
		{[]string{"keys", "retire", "9"}, 1, "no data key 9"},
		{[]string{"keys", "spin"}, 1, "usage: accountportal keys"},
	}
	for _, s := range steps {
		code, out := run(s.args...)
		if code != s.code || !strings.Contains(out, s.out) {
			t.Fatalf("%v: exit %d\n%s\nwant exit %d and %q", s.args, code, out, s.code, s.out)
		}
	}
	again, err := security.LoadKeyRing(vars["PORTAL_SECRET_KEYS_FILE"], false, true)
	if err != nil {
		t.Fatalf("key file after rotation: %v", err)
	}
	sec, _ = store.Secrets.Of(ctx, u.ID, models.SecretPassphrase)
	if v, err := secrets.NewSealer(again).Open(sec); err != nil || v != "tall pine window" || sec.KeyID != 2 {
		t.Fatalf("value after rotation: %q key %d %v", v, sec.KeyID, err)
	}
}

func TestStaffCommands(t *testing.T) {
	for _, role := range []struct{ word, name string }{{"support-agent", "support agent"}, {"operator", "operator"}} {
		t.Run(role.word, func(t *testing.T) { testStaffCommand(t, role.word, role.name) })
	}
}

// testStaffCommand runs one staff command through its life; the other
// role's members are neither listed nor disabled by it.
func testStaffCommand(t *testing.T, word, name string) {
	dir := t.TempDir()
	vars := map[string]string{
		"PORTAL_DATABASE_URL":     "sqlite://" + filepath.Join(dir, "portal.db"),
		"PORTAL_SECRET_KEYS_FILE": filepath.Join(dir, "keys.json"),
		"PORTAL_PUBLIC_URL":       "https://portal.example.com",
	}
	runAs := func(cmd string, args ...string) (int, string) {
		var out bytes.Buffer
		code := app.Main(context.Background(), append([]string{"accountportal", cmd}, args...), env(vars), &out)
		return code, out.String()
	}
	run := func(args ...string) (int, string) { return runAs(word, args...) }
	if code, out := run("list"); code != 1 || !strings.Contains(out, "accountportal migrate") {
		t.Fatalf("before migrating: %d %s", code, out)
	}
	if code, out := app.Main(context.Background(), []string{"accountportal", "migrate"}, env(vars), io.Discard), ""; code != 0 {
		t.Fatalf("migrate: %d %s", code, out)
	}
	other := "operator"
	if word == "operator" {
		other = "support-agent"
	}
	if code, out := runAs(other, "create", "--email", "pat@desk.example", "--name", "Pat Other"); code != 0 {
		t.Fatalf("create the other role: %d %s", code, out)
	}
	cases := []struct {
		name string
		args []string
		code int
		out  string
	}{
		{"none yet", []string{"list"}, 0, "no " + name + "s yet"},
		{"create", []string{"create", "--email", "sam@desk.example", "--name", "Sam Staff"},
			0, "https://portal.example.com/welcome/"},
		{"create twice", []string{"create", "--email", "SAM@desk.example", "--name", "Sam Again"}, 1, "is taken"},
		{"bad email", []string{"create", "--email", "not-an-address", "--name", "Nobody"}, 1, "--email:"},
		{"no name", []string{"create", "--email", "kim@desk.example"}, 1, "--name:"},
		{"listed", []string{"list"}, 0, "sam@desk.example"},
		{"disable the other role", []string{"disable", "--email", "pat@desk.example"}, 1, "no " + name},
		{"reset the second factor", []string{"reset-mfa", "--email", "sam@desk.example"}, 0, "reset the multi-factor authentication of Sam Staff"},
		{"reset the other role's", []string{"reset-mfa", "--email", "pat@desk.example"}, 1, "no " + name},
		{"disable", []string{"disable", "--email", "sam@desk.example"}, 0, "disabled Sam Staff"},
		{"disabled shows", []string{"list"}, 0, "suspended"},
		{"disable a stranger", []string{"disable", "--email", "who@desk.example"}, 1, "no " + name},
		{"no subcommand", nil, 1, "usage: accountportal " + word},
		{"unknown flag", []string{"create", "--mail", "x"}, 1, "usage: accountportal " + word},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			code, out := run(tc.args...)
			if code != tc.code || !strings.Contains(out, tc.out) {
				t.Fatalf("exit %d, output:\n%s\nwant exit %d and %q", code, out, tc.code, tc.out)
			}
		})
	}
	if _, out := run("list"); strings.Contains(out, "pat@desk.example") {
		t.Fatalf("the other role is listed:\n%s", out)
	}
}

// checkMetrics reads /metrics on its own listener, and not on the public one.
func checkMetrics(t *testing.T, public, private string) {
	t.Helper()
	if res, err := http.Get("http://" + public + "/metrics"); err != nil || res.StatusCode != http.StatusNotFound {
		t.Fatalf("metrics on the public address: %v %v", err, res)
	}
	// A request is counted just after its answer is written, and its
	// count and its latency a moment apart, so the scrape may come before
	// both are there: read until every line is.
	want := []string{
		`portal_http_requests_total{method="GET",route="/setup",status="200"} 1`,
		`portal_http_request_duration_seconds_bucket{method="GET",route="/setup",status="200",le="+Inf"} 1`,
		`portal_outbox_pending 0`,
		`go_sql_max_open_connections{db_name="portal"} 1`,
		`go_goroutines`,
		`process_resident_memory_bytes`,
	}
	var body string
	missing := want
	for deadline := time.Now().Add(10 * time.Second); len(missing) > 0 && time.Now().Before(deadline); time.Sleep(20 * time.Millisecond) {
		res, err := http.Get("http://" + private + "/metrics")
		if err != nil {
			t.Fatal(err)
		}
		raw, _ := io.ReadAll(res.Body)
		res.Body.Close()
		body, missing = string(raw), nil
		for _, w := range want {
			if !strings.Contains(body, w) {
				missing = append(missing, w)
			}
		}
	}
	for _, w := range missing {
		t.Errorf("metrics lack %q:\n%s", w, body)
	}
}

// checkProfiles checks the runtime profiles are served beside the metrics
// and not on the public address.
func checkProfiles(t *testing.T, public, private string) {
	t.Helper()
	for _, tc := range []struct {
		addr, path, want string
		status           int
	}{
		{public, "/debug/pprof/", "", http.StatusNotFound},
		{public, "/debug/pprof/goroutine?debug=1", "", http.StatusNotFound},
		{private, "/debug/pprof/", "goroutine", http.StatusOK},
		{private, "/debug/pprof/goroutine?debug=1", "app.(*App).serveMetrics", http.StatusOK},
		{private, "/debug/pprof/profile?seconds=1", "", http.StatusOK},
	} {
		res, err := http.Get("http://" + tc.addr + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != tc.status || !strings.Contains(string(body), tc.want) {
			t.Errorf("GET %s%s: %d, body contains %q: %v", tc.addr, tc.path, res.StatusCode, tc.want, strings.Contains(string(body), tc.want))
		}
	}
}

// migrationCount is how many migrations the binary carries: one file per
// version in each dialect's folder.
func migrationCount(t *testing.T) int {
	t.Helper()
	dir, err := migrations.FS("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(dir, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	return len(files)
}

// latestMigration is the highest migration version: numbers are given out
// ahead of merging, so they may have gaps and exceed the count.
func latestMigration(t *testing.T) int {
	t.Helper()
	dir, err := migrations.FS("sqlite")
	if err != nil {
		t.Fatal(err)
	}
	files, err := fs.Glob(dir, "*.sql")
	if err != nil {
		t.Fatal(err)
	}
	latest := 0
	for _, f := range files {
		n, err := strconv.Atoi(strings.SplitN(f, "_", 2)[0])
		if err != nil {
			t.Fatalf("migration %s: %v", f, err)
		}
		latest = max(latest, n)
	}
	return latest
}
