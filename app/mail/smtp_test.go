package mail_test

import (
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"net"
	"strings"
	"testing"
	"time"

	"accountportal/app/mail"
	"accountportal/app/mail/mailtest"
)

var hello = mail.Message{To: "ann@example.com", Subject: "Hello", Text: "Hello, Ann."}

// sendVia sends hello to rcv through the URL built from rawURL, where
// ADDR stands for the receiver's address.
func sendVia(t *testing.T, rcv *mailtest.Receiver, rawURL string) error {
	t.Helper()
	return sendTo(t, strings.Replace(rawURL, "ADDR", rcv.Addr(), 1))
}

// sendTo sends hello through the server at rawURL.
func sendTo(t *testing.T, rawURL string) error {
	t.Helper()
	cfg, err := mail.ParseSMTPURL(rawURL)
	if err != nil {
		t.Fatal(err)
	}
	return mail.NewSMTPSender(cfg, 2*time.Second).Send(context.Background(), from, hello)
}

func TestSMTPSenderTLSModes(t *testing.T) {
	tests := []struct {
		url       string
		delivered bool
		errHas    string
	}{
		// The receiver offers no STARTTLS.
		{"smtp://ADDR", false, "STARTTLS"},
		{"smtp://ADDR?tls=required", false, "STARTTLS"},
		{"smtp://ADDR?tls=opportunistic", true, ""},
		{"smtp://ADDR?tls=none", true, ""},
		{"smtps://ADDR", false, "tls"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			rcv := mailtest.NewReceiver(t)
			err := sendVia(t, rcv, tt.url)
			if tt.delivered {
				if err != nil {
					t.Fatalf("send: %v", err)
				}
				rcv.WaitFor(1, 5*time.Second)
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.errHas) {
				t.Fatalf("send error %v, want one mentioning %q", err, tt.errHas)
			}
			t.Logf("refused as expected: %v", err)
			if n := len(rcv.Messages()); n != 0 {
				t.Fatalf("%d messages delivered despite the TLS policy", n)
			}
		})
	}
}

func TestSMTPSenderAuthOnlyWithUser(t *testing.T) {
	tests := []struct {
		url, user, password string
	}{
		{"smtp://ADDR?tls=none", "", ""},
		{"smtp://apikey@ADDR?tls=none", "apikey", ""},
		{"smtp://ann%40example.com:p%40ss%3Aword@ADDR?tls=none", "ann@example.com", "p@ss:word"},
	}
	for _, tt := range tests {
		t.Run(tt.url, func(t *testing.T) {
			rcv := mailtest.NewReceiver(t)
			if err := sendVia(t, rcv, tt.url); err != nil {
				t.Fatal(err)
			}
			got := rcv.WaitFor(1, 5*time.Second)[0]
			if got.AuthUser != tt.user || got.AuthPassword != tt.password {
				t.Fatalf("authenticated as %q / %q, want %q / %q", got.AuthUser, got.AuthPassword, tt.user, tt.password)
			}
		})
	}
}

func TestSMTPSenderTimesOut(t *testing.T) {
	// A server that accepts connections and never greets.
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			t.Cleanup(func() { _ = c.Close() })
		}
	}()
	cfg, _ := mail.ParseSMTPURL("smtp://" + ln.Addr().String() + "?tls=none")
	start := time.Now()
	err = mail.NewSMTPSender(cfg, 300*time.Millisecond).Send(context.Background(), from, hello)
	if err == nil || time.Since(start) > 5*time.Second {
		t.Fatalf("send to a silent server: %v after %s, want a timeout", err, time.Since(start))
	}
}

func TestSMTPSenderRefusesBadInput(t *testing.T) {
	rcv := mailtest.NewReceiver(t)
	cfg, _ := mail.ParseSMTPURL(rcv.URL())
	s := mail.NewSMTPSender(cfg, 0)
	bad := hello
	bad.Subject = "Hi\r\nBcc: eve@example.com"
	if err := s.Send(context.Background(), from, bad); !errors.Is(err, mail.ErrInvalidMessage) {
		t.Fatalf("header injection: %v, want ErrInvalidMessage", err)
	}
	if err := s.Send(context.Background(), "not an address", hello); err == nil {
		t.Fatal("bad from address accepted")
	}
	if n := len(rcv.Messages()); n != 0 {
		t.Fatalf("%d messages sent from bad input", n)
	}
}

func TestRedactError(t *testing.T) {
	cause := errors.New("535 auth failed")
	tests := []struct {
		name   string
		err    error
		secret string
		want   string
	}{
		{"raw", fmt.Errorf("login ann:p@ss w/rd: %w", cause), "p@ss w/rd", "login ann:[redacted]: 535 auth failed"},
		{"query escaped", fmt.Errorf("url smtp://ann:p%%40ss+w%%2Frd@h: %w", cause), "p@ss w/rd", "url smtp://ann:[redacted]@h: 535 auth failed"},
		{"path escaped", fmt.Errorf("url smtp://ann:p@ss%%20w%%2Frd@h: %w", cause), "p@ss w/rd", "url smtp://ann:[redacted]@h: 535 auth failed"},
		{"no secret", fmt.Errorf("dial: %w", cause), "", "dial: 535 auth failed"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := mail.RedactError(tt.err, tt.secret)
			if got.Error() != tt.want || !errors.Is(got, cause) {
				t.Fatalf("RedactError = %q (unwraps to cause: %v), want %q", got, errors.Is(got, cause), tt.want)
			}
		})
	}
	if mail.RedactError(nil, "x") != nil {
		t.Fatal("RedactError(nil) is not nil")
	}
}

// go-mail leaves the connection open when the conversation fails before
// sending (here: STARTTLS required but not offered); Send must close it.
func TestSMTPSenderClosesFailedConnections(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = ln.Close() })
	afterEHLO := make(chan error, 1)
	go func() {
		c, err := ln.Accept()
		if err != nil {
			afterEHLO <- err
			return
		}
		defer c.Close()
		br := bufio.NewReader(c)
		_, _ = c.Write([]byte("220 localhost ESMTP\r\n"))
		if _, err := br.ReadString('\n'); err != nil {
			afterEHLO <- err
			return
		}
		_, _ = c.Write([]byte("250 localhost\r\n")) // no STARTTLS on offer
		_ = c.SetReadDeadline(time.Now().Add(3 * time.Second))
		_, err = br.ReadString('\n')
		afterEHLO <- err
	}()
	cfg, _ := mail.ParseSMTPURL("smtp://" + ln.Addr().String())
	if err := mail.NewSMTPSender(cfg, 5*time.Second).Send(context.Background(), from, hello); err == nil {
		t.Fatal("send without STARTTLS succeeded under tls=required")
	}
	if err := <-afterEHLO; !errors.Is(err, io.EOF) {
		t.Fatalf("server read after the refusal: %v, want EOF (the client closing)", err)
	}
}
