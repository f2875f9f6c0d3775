package mail

import (
	"context"
	"crypto/rand"
	"crypto/tls"
	"fmt"
	"net"
	"net/url"
	"strings"
	"time"

	gomail "github.com/wneessen/go-mail"
)

// DefaultSMTPTimeout bounds one delivery when NewSMTPSender is given none.
const DefaultSMTPTimeout = 30 * time.Second

// Sender delivers one message. Implementations must not put credentials
// in the errors they return: the Worker stores those errors in the outbox
// and logs them.
type Sender interface {
	Send(ctx context.Context, from string, m Message) error
}

// SMTPSender delivers messages to one SMTP server, opening a fresh
// connection for each message: simple, robust against servers that drop
// idle connections, and cheap at the portal's volumes. It is safe for
// concurrent use.
type SMTPSender struct {
	cfg     SMTPConfig
	timeout time.Duration
}

// NewSMTPSender returns a Sender for the server cfg describes. timeout
// bounds dialling plus the whole SMTP conversation of one message; zero or
// less means DefaultSMTPTimeout.
func NewSMTPSender(cfg SMTPConfig, timeout time.Duration) *SMTPSender {
	if timeout <= 0 {
		timeout = DefaultSMTPTimeout
	}
	return &SMTPSender{cfg: cfg, timeout: timeout}
}

// Send delivers m from the address from (which may carry a display name,
// as in "Account Portal <no-reply@example.com>"). It returns Validate's
// error for an invalid message, an error for an invalid from address, or
// the SMTP failure with the configured password removed from its text.
func (s *SMTPSender) Send(ctx context.Context, from string, m Message) error {
	if err := m.Validate(); err != nil {
		return err
	}
	msg, err := buildMsg(from, m)
	if err != nil {
		return err
	}
	d := &dialer{}
	if s.cfg.TLS == TLSImplicit {
		d.tls = &tls.Config{ServerName: s.cfg.Host, MinVersion: tls.VersionTLS12}
	}
	defer d.close()
	// A client per message: go-mail's Client keeps per-connection state
	// (and rewrites its auth choice while negotiating), so sharing one
	// across concurrent sends would race.
	client, err := gomail.NewClient(s.cfg.Host, append(s.clientOptions(), gomail.WithDialContextFunc(d.DialContext))...)
	if err != nil {
		return s.redact(fmt.Errorf("smtp client: %w", err))
	}
	if err := client.DialAndSendWithContext(ctx, msg); err != nil {
		return s.redact(fmt.Errorf("smtp %s:%d: %w", s.cfg.Host, s.cfg.Port, err))
	}
	return nil
}

// dialer opens the connection for go-mail and keeps hold of it: when the
// conversation fails before a message is sent (STARTTLS missing,
// authentication refused), go-mail returns without closing it.
type dialer struct {
	tls  *tls.Config // nil for a plain TCP connection
	conn net.Conn
}

// DialContext connects to addr, over TLS when d.tls is set. It returns the
// dial error.
func (d *dialer) DialContext(ctx context.Context, network, addr string) (net.Conn, error) {
	var err error
	if d.tls != nil {
		d.conn, err = (&tls.Dialer{Config: d.tls}).DialContext(ctx, network, addr)
	} else {
		d.conn, err = (&net.Dialer{}).DialContext(ctx, network, addr)
	}
	return d.conn, err
}

// close closes the connection if one was opened; after a successful send
// go-mail has closed it already, and the second close is harmless.
func (d *dialer) close() {
	if d.conn != nil {
		_ = d.conn.Close()
	}
}

// clientOptions maps the config onto go-mail. It sets the TLS policy and
// SSL flag rather than go-mail's "port policy" helpers, because those fall
// back to port 25 in the clear when the secure port does not answer.
func (s *SMTPSender) clientOptions() []gomail.Option {
	opts := []gomail.Option{gomail.WithPort(s.cfg.Port), gomail.WithTimeout(s.timeout)}
	switch s.cfg.TLS {
	case TLSImplicit:
		// With our dialer go-mail no longer dials TLS itself; the flag
		// still stops it from attempting STARTTLS inside TLS.
		opts = append(opts, gomail.WithSSL())
	case TLSOpportunistic:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSOpportunistic))
	case TLSNone:
		opts = append(opts, gomail.WithTLSPolicy(gomail.NoTLS))
	default:
		opts = append(opts, gomail.WithTLSPolicy(gomail.TLSMandatory))
	}
	if s.cfg.Username != "" {
		// go-mail's PLAIN and LOGIN refuse to send credentials over an
		// unencrypted connection except to localhost, which is what we want.
		opts = append(opts,
			gomail.WithOpportunisticSMTPAuth(gomail.SMTPAuthPlain, gomail.SMTPAuthLogin),
			gomail.WithUsername(s.cfg.Username), gomail.WithPassword(s.cfg.Password))
	}
	return opts
}

// buildMsg renders m as text/plain, or as multipart/alternative when it has
// an HTML part, with the headers receiving servers expect.
func buildMsg(from string, m Message) (*gomail.Msg, error) {
	// The default User-Agent names the library and its version: nothing a
	// recipient needs.
	msg := gomail.NewMsg(gomail.WithNoDefaultUserAgent())
	if err := msg.From(from); err != nil {
		return nil, fmt.Errorf("mail: sender address: %w", err)
	}
	if err := msg.To(m.To); err != nil {
		return nil, fmt.Errorf("%w: recipient: %w", ErrInvalidMessage, err)
	}
	msg.Subject(m.Subject)
	msg.SetDate()
	msg.SetMessageIDWithValue(messageID(msg.GetFrom()[0].Address))
	msg.SetBodyString(gomail.TypeTextPlain, m.Text)
	if m.HTML != "" {
		msg.AddAlternativeString(gomail.TypeTextHTML, m.HTML)
	}
	return msg, nil
}

// messageID is random at the sender's domain; go-mail's own uses the
// machine's host name, which means nothing outside a container.
func messageID(fromAddr string) string {
	domain := fromAddr[strings.LastIndexByte(fromAddr, '@')+1:]
	return rand.Text() + "@" + domain
}

// redact removes the password, raw and percent-encoded, from err's text.
func (s *SMTPSender) redact(err error) error {
	return redactError(err, s.cfg.Password)
}

// redactedError shows a cleaned message but still unwraps to the cause, so
// errors.Is keeps working for callers.
type redactedError struct {
	msg   string
	cause error
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.cause }

func redactError(err error, secret string) error {
	if err == nil || secret == "" {
		return err
	}
	msg := err.Error()
	for _, form := range []string{secret, url.QueryEscape(secret), url.PathEscape(secret)} {
		msg = strings.ReplaceAll(msg, form, "[redacted]")
	}
	return &redactedError{msg: msg, cause: err}
}
