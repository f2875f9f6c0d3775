package mail_test

import (
	"fmt"
	"log/slog"
	"strings"
	"testing"

	"accountportal/app/mail"
)

func TestParseSMTPURL(t *testing.T) {
	tests := []struct {
		raw  string
		want mail.SMTPConfig
	}{
		{"smtp://mail.example.com", mail.SMTPConfig{Host: "mail.example.com", Port: 587, TLS: mail.TLSRequired}},
		{"smtp://mail.example.com:2525", mail.SMTPConfig{Host: "mail.example.com", Port: 2525, TLS: mail.TLSRequired}},
		{"smtp://mail.example.com/", mail.SMTPConfig{Host: "mail.example.com", Port: 587, TLS: mail.TLSRequired}},
		{"smtp://mail.example.com?tls=required", mail.SMTPConfig{Host: "mail.example.com", Port: 587, TLS: mail.TLSRequired}},
		{"smtp://mail.example.com?tls=opportunistic", mail.SMTPConfig{Host: "mail.example.com", Port: 587, TLS: mail.TLSOpportunistic}},
		{"smtp://127.0.0.1:1025?tls=none", mail.SMTPConfig{Host: "127.0.0.1", Port: 1025, TLS: mail.TLSNone}},
		{"smtps://mail.example.com", mail.SMTPConfig{Host: "mail.example.com", Port: 465, TLS: mail.TLSImplicit}},
		{"smtps://mail.example.com:4650", mail.SMTPConfig{Host: "mail.example.com", Port: 4650, TLS: mail.TLSImplicit}},
		{"smtp://apikey@mail.example.com", mail.SMTPConfig{Host: "mail.example.com", Port: 587, Username: "apikey", TLS: mail.TLSRequired}},
		{"smtp://ann:secret@mail.example.com", mail.SMTPConfig{Host: "mail.example.com", Port: 587, Username: "ann", Password: "secret", TLS: mail.TLSRequired}},
		{"smtps://ann%40example.com:p%40ss%3Aw%2Fo%20rd%25@mail.example.com",
			mail.SMTPConfig{Host: "mail.example.com", Port: 465, Username: "ann@example.com", Password: "p@ss:w/o rd%", TLS: mail.TLSImplicit}},
		{"smtp://ann:@mail.example.com", mail.SMTPConfig{Host: "mail.example.com", Port: 587, Username: "ann", TLS: mail.TLSRequired}},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			got, err := mail.ParseSMTPURL(tt.raw)
			if err != nil {
				t.Fatalf("ParseSMTPURL(%q): %v", tt.raw, err)
			}
			if got != tt.want {
				t.Fatalf("ParseSMTPURL(%q) = %#v, want %#v", tt.raw, got, tt.want)
			}
		})
	}
}

func TestParseSMTPURLRejects(t *testing.T) {
	tests := []struct {
		raw, wantErr string
	}{
		{"", "scheme"},
		{"mail.example.com:587", "scheme"},
		{"http://mail.example.com", "scheme"},
		{"SMTP://mail.example.com", ""}, // url.Parse lowercases the scheme: accepted
		{"smtp://", "missing host"},
		{"smtp://:587", "missing host"},
		{"smtp:mail.example.com", "missing host"},
		{"smtp://ann:pw@", "missing host"},
		{"smtp://[::1]:25", "IPv6"},
		{"smtp://mail.example.com:0", "port"},
		{"smtp://mail.example.com:65536", "port"},
		{"smtp://mail.example.com:smtp", "valid URL"},
		{"smtp://mail.example.com/relay", "path"},
		{"smtp://mail.example.com#x", "fragment"},
		{"smtp://mail.example.com?tls=yes", "tls="},
		{"smtp://mail.example.com?tls=", "tls="},
		{"smtp://mail.example.com?tls=none&tls=required", "more than once"},
		{"smtp://mail.example.com?starttls=1", "unknown parameter"},
		{"smtp://mail.example.com?tls=%zz", "query"},
		{"smtps://mail.example.com?tls=none", "implicit TLS"},
		{"smtp://:hunter2@mail.example.com", "needs a user"},
		{"smtp://ann:hunter2%zz@mail.example.com", "valid URL"},
		{"smtp://ann:hun ter2@mail.example.com", "valid URL"},
	}
	for _, tt := range tests {
		t.Run(tt.raw, func(t *testing.T) {
			_, err := mail.ParseSMTPURL(tt.raw)
			if tt.wantErr == "" {
				if err != nil {
					t.Fatalf("ParseSMTPURL(%q): %v", tt.raw, err)
				}
				return
			}
			if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
				t.Fatalf("ParseSMTPURL(%q) error = %v, want one mentioning %q", tt.raw, err, tt.wantErr)
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Fatalf("error leaks the password: %v", err)
			}
		})
	}
}

func TestSMTPConfigNeverShowsPassword(t *testing.T) {
	cfg, err := mail.ParseSMTPURL("smtp://ann:hunter2@mail.example.com:2525?tls=opportunistic")
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cfg.Redacted(), "smtp://ann@mail.example.com:2525?tls=opportunistic"; got != want {
		t.Fatalf("Redacted() = %q, want %q", got, want)
	}
	var logged strings.Builder
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("smtp", "config", cfg)
	for _, shown := range []string{fmt.Sprint(cfg), fmt.Sprintf("%+v", cfg), logged.String()} {
		if strings.Contains(shown, "hunter2") || !strings.Contains(shown, "mail.example.com") {
			t.Fatalf("printed config %q shows the password or hides the host", shown)
		}
	}
	implicit, _ := mail.ParseSMTPURL("smtps://mail.example.com")
	if got, want := implicit.Redacted(), "smtps://mail.example.com:465"; got != want {
		t.Fatalf("Redacted() = %q, want %q", got, want)
	}
}
