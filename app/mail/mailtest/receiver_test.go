package mailtest_test

import (
	"errors"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/emersion/go-sasl"
	"github.com/emersion/go-smtp"

	"accountportal/app/mail/mailtest"
)

// raw sends data as one message with go-smtp's own client, so the parser
// is tested against messages go-mail would never write.
func raw(t *testing.T, r *mailtest.Receiver, auth sasl.Client, data string) error {
	t.Helper()
	data = strings.ReplaceAll(data, "\n", "\r\n")
	// Not smtp.SendMail: it insists on STARTTLS, which the receiver lacks.
	c, err := smtp.Dial(r.Addr())
	if err != nil {
		return err
	}
	defer c.Close()
	if auth != nil {
		if err := c.Auth(auth); err != nil {
			return err
		}
	}
	err = c.SendMail("sender@example.com", []string{"ann@example.com", "bob@example.com"}, strings.NewReader(data))
	if err != nil {
		return err
	}
	return c.Quit()
}

func TestReceiverParses(t *testing.T) {
	tests := []struct {
		name, data, subject, text, html string
	}{
		{"plain 7bit", "Subject: Hi\n\nHello\nthere\n", "Hi", "Hello\nthere", ""},
		{"encoded subject", "Subject: =?UTF-8?q?R=C3=A9initialiser?= =?UTF-8?b?IGxl?= mot\n\nx\n",
			"Réinitialiser le mot", "x", ""},
		{"base64 single part", "Subject: B\nContent-Type: text/plain; charset=utf-8\nContent-Transfer-Encoding: base64\n\n" +
			"aMOpbGxvCmh0dHBzOi8vZXhhbXBsZS5jb20vYQ==\n", "B", "héllo\nhttps://example.com/a", ""},
		{"nested multipart with both encodings",
			"Subject: M\nMIME-Version: 1.0\nContent-Type: multipart/mixed; boundary=outer\n\n" +
				"--outer\nContent-Type: multipart/alternative; boundary=inner\n\n" +
				"--inner\nContent-Type: text/plain; charset=UTF-8\nContent-Transfer-Encoding: quoted-printable\n\n" +
				"A long line that was soft =\nbroken, caf=C3=A9.\n" +
				"--inner\nContent-Type: text/html; charset=UTF-8\nContent-Transfer-Encoding: base64\n\n" +
				"PHA+Y2Fmw6k8L3A+\n" +
				"--inner--\n" +
				"--outer\nContent-Type: application/pdf\nContent-Transfer-Encoding: base64\n\nJVBERg==\n" +
				"--outer--\n",
			"M", "A long line that was soft broken, café.", "<p>café</p>"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := mailtest.NewReceiver(t)
			if err := raw(t, r, nil, tt.data); err != nil {
				t.Fatal(err)
			}
			got := r.WaitFor(1, 5*time.Second)[0]
			if got.Subject != tt.subject || got.Text != tt.text || got.HTML != tt.html {
				t.Fatalf("parsed %q / %q / %q, want %q / %q / %q", got.Subject, got.Text, got.HTML, tt.subject, tt.text, tt.html)
			}
			if got.From != "sender@example.com" || !slices.Equal(got.To, []string{"ann@example.com", "bob@example.com"}) ||
				got.AuthUser != "" || len(got.Raw) == 0 {
				t.Fatalf("envelope or auth: %+v", got)
			}
		})
	}
}

func TestReceiverRefusesWhatItCannotParse(t *testing.T) {
	r := mailtest.NewReceiver(t)
	err := raw(t, r, nil, "Subject: x\nContent-Type: multipart/mixed\n\nno boundary\n")
	if err == nil || !strings.Contains(err.Error(), "boundary") {
		t.Fatalf("unparsable message: %v, want a refusal naming the problem", err)
	}
	if n := len(r.Messages()); n != 0 {
		t.Fatalf("kept %d unparsable messages", n)
	}
}

func TestReceiverAcceptsAnyPlainLogin(t *testing.T) {
	r := mailtest.NewReceiver(t)
	if err := raw(t, r, sasl.NewPlainClient("", "ann", "pw"), "Subject: a\n\nb\n"); err != nil {
		t.Fatal(err)
	}
	if got := r.WaitFor(1, 5*time.Second)[0]; got.AuthUser != "ann" || got.AuthPassword != "pw" {
		t.Fatalf("auth recorded as %q / %q", got.AuthUser, got.AuthPassword)
	}
}

func TestReceiverStopAndStart(t *testing.T) {
	r := mailtest.NewReceiver(t)
	addr := r.Addr()
	if !strings.HasPrefix(r.URL(), "smtp://"+addr) || !strings.HasSuffix(r.URL(), "?tls=none") {
		t.Fatalf("URL %q does not match Addr %q", r.URL(), addr)
	}
	r.Stop()
	r.Stop() // stopping twice is harmless
	if err := raw(t, r, nil, "Subject: lost\n\nx\n"); !errors.Is(err, syscall.ECONNREFUSED) {
		t.Fatalf("send while stopped: %v, want connection refused", err)
	}
	r.Start()
	if r.Addr() != addr {
		t.Fatalf("restarted on %s, want %s", r.Addr(), addr)
	}
	if err := raw(t, r, nil, "Subject: back\n\nx\n"); err != nil {
		t.Fatal(err)
	}
	if got := r.WaitFor(1, 5*time.Second); len(got) != 1 || got[0].Subject != "back" {
		t.Fatalf("after restart received %v", got)
	}
}

func TestLinks(t *testing.T) {
	text := "Reset: https://portal.example/reset/abc123.\n" +
		"(or http://localhost:8080/x?y=1&z=2) and <https://a.example/b>, not ftp://c.example or https://"
	got := mailtest.Links(mailtest.Received{Text: text, HTML: `<a href="https://html.example/">`})
	want := []string{"https://portal.example/reset/abc123", "http://localhost:8080/x?y=1&z=2", "https://a.example/b"}
	if !slices.Equal(got, want) {
		t.Fatalf("Links = %q, want %q", got, want)
	}
}
