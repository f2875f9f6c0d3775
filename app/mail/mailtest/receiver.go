// Package mailtest gives tests a real SMTP server that keeps what it
// receives, so mail can be tested end to end through the same SMTP client
// production uses.
package mailtest

import (
	"io"
	"log"
	"net"
	"net/textproto"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"
)

// Received is one message as the server saw it.
type Received struct {
	// From and To are the SMTP envelope (MAIL FROM and RCPT TO).
	From string
	To   []string
	// Subject is the decoded Subject header.
	Subject string
	// Text and HTML are the first decoded text/plain and text/html parts,
	// with CRLF line ends turned into LF and without the line break SMTP
	// adds to the end of a message.
	Text string
	HTML string
	// Header holds every header of the message as sent.
	Header textproto.MIMEHeader
	// AuthUser and AuthPassword are the PLAIN credentials the client
	// authenticated with, empty when it did not authenticate.
	AuthUser     string
	AuthPassword string
	// Raw is the DATA exactly as received.
	Raw []byte
}

// Receiver is an SMTP server on 127.0.0.1 without TLS. Clients may
// authenticate with any PLAIN credentials, or not at all. It is safe for
// concurrent use.
type Receiver struct {
	t testing.TB

	mu   sync.Mutex
	addr string
	msgs []Received
	// delay is how long accepting each message takes, like a busy relay.
	delay time.Duration
	srv   *smtp.Server
	ln    net.Listener
	done  chan struct{} // closed when the current server's Serve returns
}

// NewReceiver starts a Receiver on a free port and stops it when the test
// ends. It fails the test if it cannot listen.
func NewReceiver(t testing.TB) *Receiver {
	t.Helper()
	r := &Receiver{t: t}
	if err := r.listen("127.0.0.1:0"); err != nil {
		t.Fatalf("mailtest: listen: %v", err)
	}
	t.Cleanup(r.Stop)
	return r
}

// SetDelay makes the server take d to accept each message.
func (r *Receiver) SetDelay(d time.Duration) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.delay = d
}

// Addr returns host:port of the server.
func (r *Receiver) Addr() string {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.addr
}

// URL returns the SMTP URL of the server for mail.ParseSMTPURL.
func (r *Receiver) URL() string { return "smtp://" + r.Addr() + "?tls=none" }

// Stop closes the listener and every open connection, so that sends fail
// with "connection refused" as during an outage. Stopping a stopped
// Receiver does nothing.
func (r *Receiver) Stop() {
	r.mu.Lock()
	srv, ln, done := r.srv, r.ln, r.done
	r.srv, r.ln, r.done = nil, nil, nil
	r.mu.Unlock()
	if srv == nil {
		return
	}
	_ = srv.Close()
	// Closing the listener ourselves too covers a Close that ran before
	// Serve registered it with the server.
	_ = ln.Close()
	<-done
}

// Start listens again on the same port after Stop. It fails the test if
// the port cannot be had; call it from the test's goroutine. Starting a
// running Receiver does nothing.
func (r *Receiver) Start() {
	r.t.Helper()
	r.mu.Lock()
	running := r.srv != nil
	r.mu.Unlock()
	if running {
		return
	}
	if err := r.listen(r.Addr()); err != nil {
		r.t.Fatalf("mailtest: listen again on %s: %v", r.Addr(), err)
	}
}

// listen binds addr and serves on it with a fresh server: a go-smtp Server
// cannot serve again once closed.
func (r *Receiver) listen(addr string) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := smtp.NewServer(smtp.BackendFunc(func(*smtp.Conn) (smtp.Session, error) {
		return &session{r: r}, nil
	}))
	srv.Domain = "localhost"
	srv.AllowInsecureAuth = true
	srv.ReadTimeout, srv.WriteTimeout = 10*time.Second, 10*time.Second
	srv.MaxMessageBytes = 10 << 20
	// Its default logger writes to stderr, and Stop cuts connections on
	// purpose; the test reads outcomes from the client side instead.
	srv.ErrorLog = log.New(io.Discard, "", 0)
	done := make(chan struct{})
	go func() {
		defer close(done)
		_ = srv.Serve(ln)
	}()
	r.mu.Lock()
	r.srv, r.ln, r.done, r.addr = srv, ln, done, ln.Addr().String()
	r.mu.Unlock()
	return nil
}

// Messages returns a copy of what has arrived, in arrival order.
func (r *Receiver) Messages() []Received {
	r.mu.Lock()
	defer r.mu.Unlock()
	return slices.Clone(r.msgs)
}

// WaitFor polls until at least n messages have arrived and returns them
// all. On timeout it fails the test, listing what did arrive; call it from
// the test's goroutine.
func (r *Receiver) WaitFor(n int, timeout time.Duration) []Received {
	r.t.Helper()
	deadline := time.Now().Add(timeout)
	for {
		msgs := r.Messages()
		if len(msgs) >= n {
			return msgs
		}
		if time.Now().After(deadline) {
			r.t.Fatalf("mailtest: waited %s for %d messages, %d arrived:%s", timeout, n, len(msgs), summary(msgs))
		}
		time.Sleep(10 * time.Millisecond)
	}
}

func summary(msgs []Received) string {
	var b strings.Builder
	for _, m := range msgs {
		b.WriteString("\n  to " + strings.Join(m.To, ",") + ": " + m.Subject)
	}
	return b.String()
}

func (r *Receiver) add(m Received) {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.msgs = append(r.msgs, m)
}

// session is one SMTP connection. go-smtp calls it from that connection's
// goroutine only, so its fields need no lock.
type session struct {
	r        *Receiver
	from     string
	to       []string
	user     string
	password string
}

func (s *session) AuthMechanisms() []string { return []string{sasl.Plain} }

func (s *session) Auth(string) (sasl.Server, error) {
	return sasl.NewPlainServer(func(_, user, password string) error {
		s.user, s.password = user, password
		return nil
	}), nil
}

func (s *session) Mail(from string, _ *smtp.MailOptions) error {
	s.from = from
	return nil
}

func (s *session) Rcpt(to string, _ *smtp.RcptOptions) error {
	s.to = append(s.to, to)
	return nil
}

// Data refuses a message it cannot parse, so that a malformed message
// shows up as a failed send rather than as missing fields later.
func (s *session) Data(r io.Reader) error {
	s.r.mu.Lock()
	delay := s.r.delay
	s.r.mu.Unlock()
	time.Sleep(delay)
	raw, err := io.ReadAll(r)
	if err != nil {
		return err
	}
	m, err := parse(raw)
	if err != nil {
		return &smtp.SMTPError{Code: 554, EnhancedCode: smtp.EnhancedCode{5, 6, 0}, Message: "mailtest: " + err.Error()}
	}
	m.From, m.To, m.AuthUser, m.AuthPassword = s.from, slices.Clone(s.to), s.user, s.password
	s.r.add(m)
	return nil
}

func (s *session) Reset() { s.from, s.to = "", nil }

func (s *session) Logout() error { return nil }
