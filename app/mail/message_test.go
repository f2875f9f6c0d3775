package mail_test

import (
	"context"
	"errors"
	"testing"

	"accountportal/app/mail"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestValidate(t *testing.T) {
	good := mail.Message{To: "ann@example.com", Subject: "Reset your password", Text: "Follow the link."}
	tests := []struct {
		name string
		edit func(m *mail.Message)
		ok   bool
	}{
		{"good message", func(*mail.Message) {}, true},
		{"good message with HTML", func(m *mail.Message) { m.HTML = "<p>Follow the link.</p>" }, true},
		{"non-ASCII subject", func(m *mail.Message) { m.Subject = "Réinitialiser" }, true},
		{"LF in To", func(m *mail.Message) { m.To = "ann@example.com\nBcc: eve@example.com" }, false},
		{"CR in To", func(m *mail.Message) { m.To = "ann@example.com\r" }, false},
		{"CRLF in Subject", func(m *mail.Message) { m.Subject = "Hi\r\nBcc: eve@example.com" }, false},
		{"LF in Subject", func(m *mail.Message) { m.Subject = "Hi\nthere" }, false},
		{"CR in Subject", func(m *mail.Message) { m.Subject = "Hi\rthere" }, false},
		{"empty subject", func(m *mail.Message) { m.Subject = "" }, false},
		{"blank subject", func(m *mail.Message) { m.Subject = "   " }, false},
		{"empty text", func(m *mail.Message) { m.Text = "" }, false},
		{"empty To", func(m *mail.Message) { m.To = "" }, false},
		{"display name", func(m *mail.Message) { m.To = "Ann <ann@example.com>" }, false},
		{"angle brackets", func(m *mail.Message) { m.To = "<ann@example.com>" }, false},
		{"two addresses", func(m *mail.Message) { m.To = "ann@example.com, eve@example.com" }, false},
		{"comment", func(m *mail.Message) { m.To = "ann@example.com (Ann)" }, false},
		{"no domain", func(m *mail.Message) { m.To = "ann" }, false},
		{"surrounding space", func(m *mail.Message) { m.To = " ann@example.com" }, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m := good
			tt.edit(&m)
			err := m.Validate()
			if tt.ok && err != nil {
				t.Fatalf("Validate(%+v) = %v, want nil", m, err)
			}
			if !tt.ok && !errors.Is(err, mail.ErrInvalidMessage) {
				t.Fatalf("Validate(%+v) = %v, want ErrInvalidMessage", m, err)
			}
		})
	}
}

func TestEnqueue(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, newClock().Now)
		bad := mail.Message{To: "Eve <eve@example.com>", Subject: "x", Text: "y"}
		if err := mail.Enqueue(ctx, s, bad, nil, t0); !errors.Is(err, mail.ErrInvalidMessage) {
			t.Fatalf("enqueue invalid: %v", err)
		}
		good := mail.Message{To: "ann@example.com", Subject: "Hello", Text: "Text", HTML: "<p>HTML</p>"}
		if err := mail.Enqueue(ctx, s, good, nil, t0); err != nil {
			t.Fatal(err)
		}
		rows := outbox(t, s)
		if len(rows) != 1 {
			t.Fatalf("outbox has %d rows, want 1 (the invalid message must not be written)", len(rows))
		}
		r := rows[0]
		if r.ToAddr != good.To || r.Subject != good.Subject || r.TextBody != good.Text || r.HTMLBody != good.HTML ||
			!r.CreatedAt.Equal(t0) || !r.NextAttemptAt.Equal(t0) || r.SentAt != nil || r.Attempts != 0 || r.TokenID != nil {
			t.Fatalf("row: %+v", r)
		}
	})
}
