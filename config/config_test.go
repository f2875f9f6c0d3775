package config_test

import (
	"net/netip"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"

	"accountportal/config"
)

// env turns a map into a getenv, so tests never touch the process
// environment and can run in parallel with anything.
func env(vars map[string]string) func(string) string {
	return func(name string) string { return vars[name] }
}

func mustLoad(t *testing.T, vars map[string]string) *config.Config {
	t.Helper()
	c, err := config.Load(env(vars))
	if err != nil {
		t.Fatalf("Load(%v): %v", vars, err)
	}
	return c
}

var prodVars = map[string]string{
	"PORTAL_ENV":              "prod",
	"PORTAL_SMTP_URL":         "smtp://mail.example.com:587",
	"PORTAL_PUBLIC_URL":       "https://portal.example.com",
	"PORTAL_SECRET_KEYS_FILE": "/etc/portal/keys.json",
}

// with returns base plus the given name=value pairs.
func with(base map[string]string, kv ...string) map[string]string {
	out := map[string]string{}
	for k, v := range base {
		out[k] = v
	}
	for i := 0; i+1 < len(kv); i += 2 {
		out[kv[i]] = kv[i+1]
	}
	return out
}

func TestLoadEmptyEnvironmentGivesDevDefaults(t *testing.T) {
	c := mustLoad(t, nil)
	for _, tc := range []struct {
		field     string
		got, want any
	}{
		{"Env", c.Env, config.EnvDev},
		{"Listen", c.Listen, "127.0.0.1:8080"},
		{"PublicURL", c.PublicURL.String(), "http://localhost:8080"},
		{"DatabaseURL", c.DatabaseURL, "sqlite://./data/portal.db"},
		{"SecretKeysFile", c.SecretKeysFile, "./data/keys.json"},
		{"AutoMigrate", c.AutoMigrate, true},
		{"DBMaxOpenConns", c.DBMaxOpenConns, 20},
		{"SessionIdle", c.SessionIdle, 30 * time.Minute},
		{"SessionAbsolute", c.SessionAbsolute, 12 * time.Hour},
		{"Argon2", c.Argon2, config.Argon2{MemoryKiB: 19456, Iterations: 2, Parallelism: 1}},
		{"HashConcurrency", c.HashConcurrency, runtime.NumCPU()},
		{"TrustedProxies", len(c.TrustedProxies), 0},
		{"LogLevel", c.LogLevel, "info"},
		{"LogFormat", c.LogFormat, "text"},
		{"Production()", c.Production(), false},
	} {
		if tc.got != tc.want {
			t.Errorf("%s = %v, want %v", tc.field, tc.got, tc.want)
		}
	}
}

// Dev serves first-run setup and the mailbox without sign-in, so it must not
// be reachable from the network unless someone asks for that.
func TestLoadListensOnLoopbackInDevOnly(t *testing.T) {
	if c := mustLoad(t, nil); c.Listen != "127.0.0.1:8080" {
		t.Errorf("dev: Listen %q, want 127.0.0.1:8080", c.Listen)
	}
	if c := mustLoad(t, prodVars); c.Listen != ":8080" {
		t.Errorf("prod: Listen %q, want :8080", c.Listen)
	}
	if c := mustLoad(t, map[string]string{"PORTAL_LISTEN": ":9000"}); c.Listen != ":9000" {
		t.Errorf("dev with PORTAL_LISTEN: Listen %q, want :9000", c.Listen)
	}
}

func TestLoadProdDefaultsToJSONLogs(t *testing.T) {
	c := mustLoad(t, prodVars)
	if c.LogFormat != "json" || !c.Production() {
		t.Errorf("prod: LogFormat %q, Production() %v; want json, true", c.LogFormat, c.Production())
	}
	if c := mustLoad(t, with(prodVars, "PORTAL_LOG_FORMAT", "text")); c.LogFormat != "text" {
		t.Errorf("prod with PORTAL_LOG_FORMAT=text: LogFormat %q", c.LogFormat)
	}
}

func TestLoadReadsEachVariable(t *testing.T) {
	c := mustLoad(t, map[string]string{
		"PORTAL_LISTEN":                   "127.0.0.1:9000",
		"PORTAL_PUBLIC_URL":               "https://portal.example.com/acct/",
		"PORTAL_DATABASE_URL":             "postgres://db/portal",
		"PORTAL_SECRET_KEYS_FILE":         " /tmp/k.json ",
		"PORTAL_AUTO_MIGRATE":             "false",
		"PORTAL_DB_MAX_OPEN_CONNS":        "5",
		"PORTAL_SESSION_IDLE_TIMEOUT":     "15m",
		"PORTAL_SESSION_ABSOLUTE_TIMEOUT": "1h",
		"PORTAL_ARGON2_MEMORY_KIB":        "65536",
		"PORTAL_ARGON2_ITERATIONS":        "3",
		"PORTAL_ARGON2_PARALLELISM":       "4",
		"PORTAL_HASH_CONCURRENCY":         "7",
		"PORTAL_LOG_LEVEL":                "debug",
		"PORTAL_LOG_FORMAT":               "json",
		"PORTAL_SMTP_URL":                 "smtps://mail.example.com",
		"PORTAL_MAIL_FROM":                "Portal <portal@example.com>",
		"PORTAL_RESET_LINK_TTL":           "30m",
		"PORTAL_METRICS_LISTEN":           "127.0.0.1:9090",
		"PORTAL_MAX_IN_FLIGHT":            "16",
		"PORTAL_QUEUE_WAIT":               "250ms",
		"PORTAL_JOB_TIMEOUT":              "30s",
		"PORTAL_JOB_POLL":                 "200ms",
		"PORTAL_INSTANCE_NAME":            "replica-a",
		"PORTAL_ACCOUNT_RETENTION":        "720h",
		"PORTAL_API_RATE_LIMIT":           "60",
	})
	want := config.Config{
		Env: config.EnvDev, Listen: "127.0.0.1:9000", PublicURL: c.PublicURL,
		DatabaseURL: "postgres://db/portal", SecretKeysFile: "/tmp/k.json", AutoMigrate: false,
		DBMaxOpenConns: 5, SessionIdle: 15 * time.Minute, SessionAbsolute: time.Hour,
		Argon2: config.Argon2{MemoryKiB: 65536, Iterations: 3, Parallelism: 4}, HashConcurrency: 7,
		LogLevel: "debug", LogFormat: "json",
		SMTPURL: "smtps://mail.example.com", MailFrom: "Portal <portal@example.com>", ResetTTL: 30 * time.Minute,
		MetricsListen: "127.0.0.1:9090", MaxInFlight: 16, QueueWait: 250 * time.Millisecond,
		JobTimeout: 30 * time.Second, JobPoll: 200 * time.Millisecond, InstanceName: "replica-a",
		AccountRetention: 30 * 24 * time.Hour, APIRateLimit: 60,
	}
	if !reflect.DeepEqual(*c, want) {
		t.Errorf("Load =\n%+v\nwant\n%+v", *c, want)
	}
	// The trailing slash goes so that links can append "/path" safely.
	if got := c.PublicURL.String(); got != "https://portal.example.com/acct" {
		t.Errorf("PublicURL = %q, want https://portal.example.com/acct", got)
	}
}

func TestLoadRejectsBadValuesNamingTheVariable(t *testing.T) {
	for _, tc := range []struct {
		name string
		vars map[string]string
		want string // the variable the message must start with
	}{
		{"unknown env", with(nil, "PORTAL_ENV", "staging"), "PORTAL_ENV"},
		{"ftp public URL", with(nil, "PORTAL_PUBLIC_URL", "ftp://x"), "PORTAL_PUBLIC_URL"},
		{"public URL without scheme", with(nil, "PORTAL_PUBLIC_URL", "localhost"), "PORTAL_PUBLIC_URL"},
		{"public URL with query", with(nil, "PORTAL_PUBLIC_URL", "http://x/?q=1"), "PORTAL_PUBLIC_URL"},
		{"public URL with fragment", with(nil, "PORTAL_PUBLIC_URL", "http://x/#top"), "PORTAL_PUBLIC_URL"},
		{"auto migrate maybe", with(nil, "PORTAL_AUTO_MIGRATE", "maybe"), "PORTAL_AUTO_MIGRATE"},
		{"argon2 memory zero", with(nil, "PORTAL_ARGON2_MEMORY_KIB", "0"), "PORTAL_ARGON2_MEMORY_KIB"},
		{"argon2 memory not a number", with(nil, "PORTAL_ARGON2_MEMORY_KIB", "abc"), "PORTAL_ARGON2_MEMORY_KIB"},
		{"argon2 iterations over 100", with(nil, "PORTAL_ARGON2_ITERATIONS", "101"), "PORTAL_ARGON2_ITERATIONS"},
		{"argon2 parallelism zero", with(nil, "PORTAL_ARGON2_PARALLELISM", "0"), "PORTAL_ARGON2_PARALLELISM"},
		{"hash concurrency negative", with(nil, "PORTAL_HASH_CONCURRENCY", "-1"), "PORTAL_HASH_CONCURRENCY"},
		{"db connections zero", with(nil, "PORTAL_DB_MAX_OPEN_CONNS", "0"), "PORTAL_DB_MAX_OPEN_CONNS"},
		{"no requests in flight", with(nil, "PORTAL_MAX_IN_FLIGHT", "0"), "PORTAL_MAX_IN_FLIGHT"},
		{"queue wait not a duration", with(nil, "PORTAL_QUEUE_WAIT", "soon"), "PORTAL_QUEUE_WAIT"},
		{"idle timeout below a minute", with(nil, "PORTAL_SESSION_IDLE_TIMEOUT", "10s"), "PORTAL_SESSION_IDLE_TIMEOUT"},
		{"idle timeout negative", with(nil, "PORTAL_SESSION_IDLE_TIMEOUT", "-5m"), "PORTAL_SESSION_IDLE_TIMEOUT"},
		{"idle timeout without unit", with(nil, "PORTAL_SESSION_IDLE_TIMEOUT", "30"), "PORTAL_SESSION_IDLE_TIMEOUT"},
		{"absolute shorter than idle", with(nil, "PORTAL_SESSION_IDLE_TIMEOUT", "2h", "PORTAL_SESSION_ABSOLUTE_TIMEOUT", "1h"), "PORTAL_SESSION_ABSOLUTE_TIMEOUT"},
		{"absolute shorter than default idle", with(nil, "PORTAL_SESSION_ABSOLUTE_TIMEOUT", "10m"), "PORTAL_SESSION_ABSOLUTE_TIMEOUT"},
		{"trusted proxies with nonsense", with(nil, "PORTAL_TRUSTED_PROXIES", "10.0.0.0/8,nonsense"), "PORTAL_TRUSTED_PROXIES"},
		{"log level loud", with(nil, "PORTAL_LOG_LEVEL", "loud"), "PORTAL_LOG_LEVEL"},
		{"log format xml", with(nil, "PORTAL_LOG_FORMAT", "xml"), "PORTAL_LOG_FORMAT"},
		{"mysql database", with(nil, "PORTAL_DATABASE_URL", "mysql://x"), "PORTAL_DATABASE_URL"},
		{"prod with http public URL", with(prodVars, "PORTAL_PUBLIC_URL", "http://portal.example.com"), "PORTAL_PUBLIC_URL"},
		{"prod with default public URL", with(prodVars, "PORTAL_PUBLIC_URL", ""), "PORTAL_PUBLIC_URL"},
		{"prod without key file", with(prodVars, "PORTAL_SECRET_KEYS_FILE", ""), "PORTAL_SECRET_KEYS_FILE"},
		{"prod without SMTP", with(prodVars, "PORTAL_SMTP_URL", ""), "PORTAL_SMTP_URL"},
		{"SMTP URL of another scheme", with(nil, "PORTAL_SMTP_URL", "http://mail"), "PORTAL_SMTP_URL"},
		{"mail from not an address", with(nil, "PORTAL_MAIL_FROM", "portal"), "PORTAL_MAIL_FROM"},
		{"mail from with a newline", with(nil, "PORTAL_MAIL_FROM", "a@example.com\nBcc: x@evil.example"), "PORTAL_MAIL_FROM"},
		{"reset TTL too short", with(nil, "PORTAL_RESET_LINK_TTL", "1m"), "PORTAL_RESET_LINK_TTL"},
		{"negative retention", with(nil, "PORTAL_ACCOUNT_RETENTION", "-1h"), "PORTAL_ACCOUNT_RETENTION"},
		// A newline in a value must not let the message span lines.
		{"value with newline", with(nil, "PORTAL_LOG_LEVEL", "info\nFAKE: injected"), "PORTAL_LOG_LEVEL"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := config.Load(env(tc.vars))
			if err == nil {
				t.Fatalf("Load accepted %v: %+v", tc.vars, c)
			}
			msg := err.Error()
			if !strings.HasPrefix(msg, tc.want+":") {
				t.Errorf("error %q does not start with %q", msg, tc.want+":")
			}
			if strings.Contains(msg, "\n") {
				t.Errorf("error %q spans several lines", msg)
			}
		})
	}
}

func TestLoadParsesTrustedProxiesAsPrefixes(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want []string
	}{
		{"", nil},
		{"10.0.0.0/8, 192.0.2.7", []string{"10.0.0.0/8", "192.0.2.7/32"}},
		{" 2001:db8::1 ,,", []string{"2001:db8::1/128"}},
		// Host bits are dropped, so the prefix matches what the operator meant.
		{"10.1.2.3/8", []string{"10.0.0.0/8"}},
		// An IPv4-mapped address must match the IPv4 peer address.
		{"::ffff:192.0.2.7", []string{"192.0.2.7/32"}},
	} {
		c := mustLoad(t, with(nil, "PORTAL_TRUSTED_PROXIES", tc.in))
		var want []netip.Prefix
		for _, s := range tc.want {
			want = append(want, netip.MustParsePrefix(s))
		}
		if !slices.Equal(c.TrustedProxies, want) {
			t.Errorf("PORTAL_TRUSTED_PROXIES=%q gave %v, want %v", tc.in, c.TrustedProxies, want)
		}
	}
}

func TestVarsListsExactlyTheVariablesLoadReads(t *testing.T) {
	var documented []string
	for _, v := range config.Vars() {
		if v.Help == "" || v.Default == "" {
			t.Errorf("%s has no help text or default in Vars()", v.Name)
		}
		documented = append(documented, v.Name)
	}
	slices.Sort(documented)
	// Prod reads a different branch of the code, so both are recorded.
	for _, base := range []map[string]string{nil, prodVars} {
		seen := map[string]bool{}
		_, _ = config.Load(func(name string) string {
			seen[name] = true
			return base[name]
		})
		var read []string
		for name := range seen {
			read = append(read, name)
		}
		slices.Sort(read)
		if !slices.Equal(read, documented) {
			t.Errorf("Load read %v\nVars() lists %v", read, documented)
		}
	}
}

func TestVarsDefaultsMatchWhatLoadUses(t *testing.T) {
	defaults := mustLoad(t, nil)
	for _, v := range config.Vars() {
		// Defaults such as "number of CPUs" describe rather than state a
		// value; only literal ones can be fed back in.
		if strings.ContainsAny(v.Default, " ()") {
			continue
		}
		t.Run(v.Name, func(t *testing.T) {
			c := mustLoad(t, with(nil, v.Name, v.Default))
			if !reflect.DeepEqual(c, defaults) {
				t.Errorf("setting %s to its documented default %q changed the config:\n%+v\nwant\n%+v", v.Name, v.Default, *c, *defaults)
			}
		})
	}
}
