package mail

import (
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"strconv"
	"strings"
)

// TLSMode says how the connection to the SMTP server is encrypted.
type TLSMode string

// The TLS modes. TLSRequired is the default of smtp:// URLs; TLSImplicit is
// what smtps:// URLs mean.
const (
	// TLSRequired upgrades the connection with STARTTLS and refuses to
	// send when the server does not offer it.
	TLSRequired TLSMode = "required"
	// TLSOpportunistic uses STARTTLS when offered and sends in the clear
	// otherwise.
	TLSOpportunistic TLSMode = "opportunistic"
	// TLSNone never encrypts: for a relay on the same host or in tests.
	TLSNone TLSMode = "none"
	// TLSImplicit speaks TLS from the first byte (smtps, port 465).
	TLSImplicit TLSMode = "implicit"
)

// Default ports of the two URL schemes.
const (
	DefaultSubmissionPort = 587
	DefaultSMTPSPort      = 465
)

// SMTPConfig is where and how to send mail. Build it with ParseSMTPURL.
// Its String, Redacted and LogValue never show the password, so it is safe
// to log.
type SMTPConfig struct {
	Host     string
	Port     int
	Username string
	Password string
	TLS      TLSMode
}

// ParseSMTPURL reads smtp://[user[:pass]@]host[:port][?tls=required|opportunistic|none]
// (STARTTLS, port 587 and tls=required by default) or
// smtps://[user[:pass]@]host[:port] (implicit TLS, port 465). The user and
// password are percent-decoded. It returns an error naming the problem for
// any other scheme, a missing host, an IPv6 literal host, a bad port, a
// path, fragment or unknown query parameter, an unknown tls value, or a
// password without a user. Errors never contain the password.
func ParseSMTPURL(raw string) (SMTPConfig, error) {
	u, err := url.Parse(raw)
	if err != nil {
		// url.Parse's error quotes the whole URL, password included.
		return SMTPConfig{}, errors.New("SMTP URL: not a valid URL (percent-encode special characters in the user and password)")
	}
	if err := checkShape(u); err != nil {
		return SMTPConfig{}, err
	}
	cfg := SMTPConfig{Host: u.Hostname()}
	if cfg.Port, err = parsePort(u); err != nil {
		return SMTPConfig{}, err
	}
	if cfg.TLS, err = parseTLS(u); err != nil {
		return SMTPConfig{}, err
	}
	if u.User != nil {
		cfg.Username = u.User.Username()
		cfg.Password, _ = u.User.Password()
	}
	if cfg.Username == "" && cfg.Password != "" {
		return SMTPConfig{}, errors.New("SMTP URL: a password needs a user name")
	}
	return cfg, nil
}

func checkShape(u *url.URL) error {
	switch {
	case u.Scheme != "smtp" && u.Scheme != "smtps":
		return fmt.Errorf("SMTP URL: scheme must be smtp:// or smtps://, not %q", u.Scheme)
	case u.Opaque != "" || u.Host == "" || u.Hostname() == "":
		return errors.New("SMTP URL: missing host (write smtp://host:port)")
	case strings.Contains(u.Hostname(), ":"):
		return errors.New("SMTP URL: IPv6 literal hosts are not supported; use a host name")
	case u.Path != "" && u.Path != "/":
		return errors.New("SMTP URL: must not have a path")
	case u.Fragment != "":
		return errors.New("SMTP URL: must not have a #fragment")
	}
	return nil
}

func parsePort(u *url.URL) (int, error) {
	p := u.Port()
	if p == "" {
		if u.Scheme == "smtps" {
			return DefaultSMTPSPort, nil
		}
		return DefaultSubmissionPort, nil
	}
	n, err := strconv.Atoi(p)
	if err != nil || n < 1 || n > 65535 {
		return 0, fmt.Errorf("SMTP URL: port %q is not a number from 1 to 65535", p)
	}
	return n, nil
}

func parseTLS(u *url.URL) (TLSMode, error) {
	q, err := url.ParseQuery(u.RawQuery)
	if err != nil {
		return "", errors.New("SMTP URL: the query is not valid (percent-encode special characters)")
	}
	for k := range q {
		if k != "tls" {
			return "", fmt.Errorf("SMTP URL: unknown parameter %q (only tls is known)", k)
		}
	}
	if u.Scheme == "smtps" {
		if q.Has("tls") {
			return "", errors.New("SMTP URL: smtps:// always uses implicit TLS; remove ?tls=")
		}
		return TLSImplicit, nil
	}
	if len(q["tls"]) > 1 {
		return "", errors.New("SMTP URL: tls is given more than once")
	}
	if !q.Has("tls") {
		return TLSRequired, nil
	}
	switch v := TLSMode(q.Get("tls")); v {
	case TLSRequired, TLSOpportunistic, TLSNone:
		return v, nil
	default:
		return "", fmt.Errorf("SMTP URL: tls=%q is not one of required, opportunistic, none", string(v))
	}
}

// Redacted returns the configuration as a URL without the password, for
// logs and error messages.
func (c SMTPConfig) Redacted() string {
	u := url.URL{Scheme: "smtp", Host: c.Host + ":" + strconv.Itoa(c.Port)}
	if c.Username != "" {
		u.User = url.User(c.Username)
	}
	if c.TLS == TLSImplicit {
		u.Scheme = "smtps"
	} else {
		u.RawQuery = "tls=" + string(c.TLS)
	}
	return u.String()
}

// String returns Redacted, so that printing a config cannot leak the
// password.
func (c SMTPConfig) String() string { return c.Redacted() }

// LogValue returns Redacted, so that slog (whose JSON handler would
// otherwise print every field) cannot leak the password.
func (c SMTPConfig) LogValue() slog.Value { return slog.StringValue(c.Redacted()) }
