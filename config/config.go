// Package config reads the portal's settings from the environment.
//
// Every setting has a default that suits a developer's machine; production
// (PORTAL_ENV=prod) refuses the few defaults that would be unsafe there.
package config

import (
	"errors"
	"fmt"
	"net/mail"
	"net/netip"
	"net/url"
	"os"
	"runtime"
	"strconv"
	"strings"
	"time"
)

// Env names the kind of deployment.
type Env string

// The two deployments the portal knows.
const (
	EnvDev  Env = "dev"
	EnvProd Env = "prod"
)

// Config holds every setting of the portal. Build it with Load.
type Config struct {
	Env    Env
	Listen string
	// MetricsListen is the metrics listener's address, or "" for none.
	MetricsListen string
	// MaxInFlight bounds the requests worked on at once; QueueWait is how
	// long others wait for a turn before a 503.
	MaxInFlight    int
	QueueWait      time.Duration
	PublicURL      *url.URL
	DatabaseURL    string
	SecretKeysFile string
	AutoMigrate    bool
	DBMaxOpenConns int

	SessionIdle     time.Duration
	SessionAbsolute time.Duration

	Argon2          Argon2
	HashConcurrency int

	TrustedProxies []netip.Prefix

	LogLevel  string
	LogFormat string

	SMTPURL  string
	MailFrom string
	ResetTTL time.Duration

	// JobTimeout bounds one background job (a batch of a bulk action); a
	// job still running after twice as long is taken as lost with its
	// replica and worked again by another. JobPoll is how often an idle
	// replica looks for jobs.
	JobTimeout time.Duration
	JobPoll    time.Duration
	// InstanceName names this replica in the job queue's rows and logs.
	InstanceName string
	// AccountRetention is how long a closed account's data is kept before
	// `accountportal accounts purge` may remove it.
	AccountRetention time.Duration
	// APIRateLimit is how many requests one API token may make a minute.
	APIRateLimit int
}

// DevMailbox reports whether mail is kept for the development mailbox
// instead of being sent: in dev, when no SMTP server is configured.
func (c *Config) DevMailbox() bool { return c.Env == EnvDev && c.SMTPURL == "" }

// Argon2 holds the argon2id cost parameters for new password hashes.
type Argon2 struct {
	MemoryKiB   uint32
	Iterations  uint32
	Parallelism uint8
}

// Var describes one environment variable: its name, default and meaning.
// The README's configuration table is checked against this list.
type Var struct {
	Name    string
	Default string
	Help    string
}

// Vars lists every environment variable the portal reads.
func Vars() []Var {
	return []Var{
		{"PORTAL_ENV", "dev", "dev or prod. prod requires HTTPS public URL and an existing key file, sends HSTS, uses the __Host- cookie and JSON logs."},
		{"PORTAL_LISTEN", "127.0.0.1:8080 in dev, :8080 in prod", "Address the HTTP server listens on. Dev listens on loopback only."},
		{"PORTAL_PUBLIC_URL", "http://localhost:8080", "The address users reach the portal at; emailed links are built from it, never from the Host header."},
		{"PORTAL_DATABASE_URL", "sqlite://./data/portal.db", "sqlite://PATH for SQLite, postgres://... for PostgreSQL."},
		{"PORTAL_SECRET_KEYS_FILE", "./data/keys.json (dev only)", "Key file for session cookies and encrypted secrets. Created with mode 0600 in dev; required in prod and refused if group or world can read it."},
		{"PORTAL_AUTO_MIGRATE", "true", "Run database migrations when serve starts."},
		{"PORTAL_DB_MAX_OPEN_CONNS", "20", "PostgreSQL connection pool size per process (SQLite always uses one)."},
		{"PORTAL_SESSION_IDLE_TIMEOUT", "30m", "Sign a session out after this long without a request (an account may set its own)."},
		{"PORTAL_SESSION_ABSOLUTE_TIMEOUT", "12h", "Sign a session out this long after sign-in, active or not (an account may set its own)."},
		{"PORTAL_ARGON2_MEMORY_KIB", "19456", "argon2id memory for new password hashes, in KiB."},
		{"PORTAL_ARGON2_ITERATIONS", "2", "argon2id passes for new password hashes."},
		{"PORTAL_ARGON2_PARALLELISM", "1", "argon2id lanes for new password hashes."},
		{"PORTAL_HASH_CONCURRENCY", "number of CPUs", "Password hashes computed at once; more wait briefly, then get 503."},
		{"PORTAL_TRUSTED_PROXIES", "(none)", "Comma-separated IPs or CIDRs of reverse proxies whose X-Forwarded-For is believed."},
		{"PORTAL_LOG_LEVEL", "info", "debug, info, warn or error."},
		{"PORTAL_LOG_FORMAT", "text in dev, json in prod", "text or json."},
		{"PORTAL_SMTP_URL", "(none: dev keeps mail at /dev/mailbox)", "smtp://user:pass@host:587 (STARTTLS required; ?tls=opportunistic or ?tls=none to relax) or smtps://host:465. Required in prod."},
		{"PORTAL_MAIL_FROM", "Account Portal <no-reply@HOST of the public URL>", "The From address of every email."},
		{"PORTAL_RESET_LINK_TTL", "60m", "How long an emailed password reset link works."},
		{"PORTAL_MAX_IN_FLIGHT", "64", "Requests (besides health checks and static files) worked on at once; more wait for a turn."},
		{"PORTAL_QUEUE_WAIT", "500ms", "How long a request waits for a turn before it is answered 503 with Retry-After."},
		{"PORTAL_METRICS_LISTEN", "(none: metrics off)", "Address of a separate listener serving Prometheus metrics at /metrics, such as 127.0.0.1:9090. Keep it off the public network."},
		{"PORTAL_JOB_TIMEOUT", "2m", "Longest one background job (a batch of a bulk action) may run; one running twice as long is taken as lost with its replica and run again by another."},
		{"PORTAL_JOB_POLL", "1s", "How often an idle replica looks for background jobs."},
		{"PORTAL_INSTANCE_NAME", "host name and process id", "Names this replica in the job queue's rows and logs."},
		{"PORTAL_ACCOUNT_RETENTION", "2160h", "How long a closed account's data is kept (90 days) before accounts purge may remove it."},
		{"PORTAL_API_RATE_LIMIT", "300", "Requests one API token may make a minute (1 to 100000); more are answered 429 with Retry-After."},
	}
}

// Load reads the configuration through getenv and validates it. The error
// names the first variable with a bad value, in one line.
func Load(getenv func(string) string) (*Config, error) {
	r := reader{getenv: getenv}
	c := &Config{
		Env:             Env(r.str("PORTAL_ENV", "dev")),
		DatabaseURL:     r.str("PORTAL_DATABASE_URL", "sqlite://./data/portal.db"),
		AutoMigrate:     r.boolean("PORTAL_AUTO_MIGRATE", true),
		DBMaxOpenConns:  r.integer("PORTAL_DB_MAX_OPEN_CONNS", 20, 1, 1000),
		SessionIdle:     r.duration("PORTAL_SESSION_IDLE_TIMEOUT", 30*time.Minute),
		SessionAbsolute: r.duration("PORTAL_SESSION_ABSOLUTE_TIMEOUT", 12*time.Hour),
		Argon2: Argon2{
			MemoryKiB:   uint32(r.integer("PORTAL_ARGON2_MEMORY_KIB", 19456, 8, 4<<20)),
			Iterations:  uint32(r.integer("PORTAL_ARGON2_ITERATIONS", 2, 1, 100)),
			Parallelism: uint8(r.integer("PORTAL_ARGON2_PARALLELISM", 1, 1, 64)),
		},
		HashConcurrency: r.integer("PORTAL_HASH_CONCURRENCY", runtime.NumCPU(), 1, 1024),
		TrustedProxies:  r.prefixes("PORTAL_TRUSTED_PROXIES"),
		LogLevel:        r.str("PORTAL_LOG_LEVEL", "info"),
	}
	// In dev the portal listens on loopback only: first-run setup and the
	// dev mailbox need no sign-in, so nobody else on the network may reach
	// them during a trial.
	defaultListen := "127.0.0.1:8080"
	if c.Env == EnvProd {
		defaultListen = ":8080"
	}
	c.Listen = r.str("PORTAL_LISTEN", defaultListen)
	c.PublicURL = r.url("PORTAL_PUBLIC_URL", "http://localhost:8080")
	c.SecretKeysFile = r.str("PORTAL_SECRET_KEYS_FILE", "")
	if c.SecretKeysFile == "" && c.Env == EnvDev {
		c.SecretKeysFile = "./data/keys.json"
	}
	defaultFormat := "text"
	if c.Env == EnvProd {
		defaultFormat = "json"
	}
	c.LogFormat = r.str("PORTAL_LOG_FORMAT", defaultFormat)
	c.SMTPURL = r.str("PORTAL_SMTP_URL", "")
	c.MailFrom = r.str("PORTAL_MAIL_FROM", "Account Portal <no-reply@"+c.PublicURL.Hostname()+">")
	c.ResetTTL = r.duration("PORTAL_RESET_LINK_TTL", 60*time.Minute)
	c.MetricsListen = r.str("PORTAL_METRICS_LISTEN", "")
	c.MaxInFlight = r.integer("PORTAL_MAX_IN_FLIGHT", 64, 1, 100000)
	c.QueueWait = r.duration("PORTAL_QUEUE_WAIT", 500*time.Millisecond)
	c.JobTimeout = r.duration("PORTAL_JOB_TIMEOUT", 2*time.Minute)
	c.JobPoll = r.duration("PORTAL_JOB_POLL", time.Second)
	c.InstanceName = r.str("PORTAL_INSTANCE_NAME", defaultInstanceName())
	c.AccountRetention = r.duration("PORTAL_ACCOUNT_RETENTION", 90*24*time.Hour)
	c.APIRateLimit = r.integer("PORTAL_API_RATE_LIMIT", 300, 1, 100000)
	if r.err != nil {
		return nil, r.err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return c, nil
}

// Validate checks the values that depend on each other or on the environment.
func (c *Config) Validate() error {
	switch {
	case c.Env != EnvDev && c.Env != EnvProd:
		return fmt.Errorf("PORTAL_ENV: %q is not dev or prod", c.Env)
	case c.Env == EnvProd && c.PublicURL.Scheme != "https":
		return errors.New("PORTAL_PUBLIC_URL: must be https:// when PORTAL_ENV=prod")
	case c.Env == EnvProd && c.SecretKeysFile == "":
		return errors.New("PORTAL_SECRET_KEYS_FILE: required when PORTAL_ENV=prod")
	case !strings.HasPrefix(c.DatabaseURL, "sqlite://") && !strings.HasPrefix(c.DatabaseURL, "postgres://") && !strings.HasPrefix(c.DatabaseURL, "postgresql://"):
		return fmt.Errorf("PORTAL_DATABASE_URL: must start with sqlite:// or postgres://")
	case c.SessionIdle < time.Minute:
		return errors.New("PORTAL_SESSION_IDLE_TIMEOUT: must be at least 1m")
	case c.SessionAbsolute < c.SessionIdle:
		return errors.New("PORTAL_SESSION_ABSOLUTE_TIMEOUT: must not be shorter than the idle timeout")
	case c.LogLevel != "debug" && c.LogLevel != "info" && c.LogLevel != "warn" && c.LogLevel != "error":
		return fmt.Errorf("PORTAL_LOG_LEVEL: %q is not debug, info, warn or error", c.LogLevel)
	case c.LogFormat != "text" && c.LogFormat != "json":
		return fmt.Errorf("PORTAL_LOG_FORMAT: %q is not text or json", c.LogFormat)
	case c.Env == EnvProd && c.SMTPURL == "":
		return errors.New("PORTAL_SMTP_URL: required when PORTAL_ENV=prod (emails must go somewhere)")
	case c.SMTPURL != "" && !strings.HasPrefix(c.SMTPURL, "smtp://") && !strings.HasPrefix(c.SMTPURL, "smtps://"):
		return errors.New("PORTAL_SMTP_URL: must start with smtp:// or smtps://")
	case c.ResetTTL < 5*time.Minute || c.ResetTTL > 24*time.Hour:
		return errors.New("PORTAL_RESET_LINK_TTL: must be from 5m to 24h")
	case c.JobTimeout < time.Second || c.JobTimeout > time.Hour:
		return errors.New("PORTAL_JOB_TIMEOUT: must be from 1s to 1h")
	case c.JobPoll < 10*time.Millisecond || c.JobPoll > time.Minute:
		return errors.New("PORTAL_JOB_POLL: must be from 10ms to 1m")
	case c.AccountRetention < 0 || c.AccountRetention > 10*366*24*time.Hour:
		return errors.New("PORTAL_ACCOUNT_RETENTION: must be from 0h (purge at once) to 87840h (10 years)")
	}
	if addr, err := mail.ParseAddress(c.MailFrom); err != nil || strings.ContainsAny(c.MailFrom, "\r\n") || addr.Address == "" {
		return fmt.Errorf("PORTAL_MAIL_FROM: %q is not an email address such as Portal <no-reply@example.com>", c.MailFrom)
	}
	return nil
}

// defaultInstanceName is the host name and process id, which tell replicas
// apart.
func defaultInstanceName() string {
	host, err := os.Hostname()
	if err != nil {
		host = "portal"
	}
	return host + "-" + strconv.Itoa(os.Getpid())
}

// Production reports whether the portal runs in production mode.
func (c *Config) Production() bool { return c.Env == EnvProd }

// reader parses variables and keeps the first error.
type reader struct {
	getenv func(string) string
	err    error
}

func (r *reader) fail(name, format string, args ...any) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...))
	}
}

func (r *reader) str(name, def string) string {
	if v := strings.TrimSpace(r.getenv(name)); v != "" {
		return v
	}
	return def
}

func (r *reader) boolean(name string, def bool) bool {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	b, err := strconv.ParseBool(v)
	if err != nil {
		r.fail(name, "%q is not true or false", v)
	}
	return b
}

func (r *reader) integer(name string, def, lo, hi int) int {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		r.fail(name, "%q is not a whole number from %d to %d", v, lo, hi)
		return def
	}
	return n
}

func (r *reader) duration(name string, def time.Duration) time.Duration {
	v := r.getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil || d <= 0 {
		r.fail(name, "%q is not a positive duration such as 30m or 12h", v)
		return def
	}
	return d
}

func (r *reader) url(name, def string) *url.URL {
	v := strings.TrimRight(r.str(name, def), "/")
	u, err := url.Parse(v)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.RawQuery != "" || u.Fragment != "" {
		r.fail(name, "%q is not an absolute http(s) URL without query", v)
		u, _ = url.Parse(def)
	}
	return u
}

func (r *reader) prefixes(name string) []netip.Prefix {
	var out []netip.Prefix
	for _, part := range strings.Split(r.getenv(name), ",") {
		part = strings.TrimSpace(part)
		if part == "" {
			continue
		}
		if p, err := netip.ParsePrefix(part); err == nil {
			out = append(out, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(part)
		if err != nil {
			r.fail(name, "%q is not an IP address or CIDR", part)
			continue
		}
		out = append(out, netip.PrefixFrom(a.Unmap(), a.Unmap().BitLen()))
	}
	return out
}
