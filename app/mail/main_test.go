package mail_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"sync"
	"testing"
	"time"

	"accountportal/app/mail"
	"accountportal/app/mail/mailtest"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestMain(m *testing.M) { modelstest.Main(m) }

const from = "Account Portal <no-reply@portal.example>"

var t0 = time.Date(2026, 11, 23, 12, 0, 0, 0, time.UTC)

// clock is a settable time source shared by the store and the worker.
type clock struct {
	mu  sync.Mutex
	now time.Time
}

func newClock() *clock { return &clock{now: t0} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.now = c.now.Add(d)
}

// senderTo returns an SMTPSender for rcv, authenticating as mailer.
func senderTo(t *testing.T, rcv *mailtest.Receiver) *mail.SMTPSender {
	t.Helper()
	cfg, err := mail.ParseSMTPURL("smtp://mailer:s3cr%40t%20pw@" + rcv.Addr() + "?tls=none")
	if err != nil {
		t.Fatal(err)
	}
	return mail.NewSMTPSender(cfg, 5*time.Second)
}

// enqueue writes msgs to the outbox in one transaction.
func enqueue(t *testing.T, s *models.Store, now time.Time, msgs ...mail.Message) {
	t.Helper()
	err := s.InTx(context.Background(), func(tx *models.Store) error {
		for _, m := range msgs {
			if err := mail.Enqueue(context.Background(), tx, m, nil, now); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatalf("enqueue: %v", err)
	}
}

func simple(i int) mail.Message {
	return mail.Message{To: fmt.Sprintf("user%d@example.com", i), Subject: fmt.Sprintf("Message %d", i),
		Text: fmt.Sprintf("Body of message %d.", i)}
}

// newToken creates an account, a user and a reset token for that user.
func newToken(t *testing.T, s *models.Store, now time.Time) *models.Token {
	t.Helper()
	ctx := context.Background()
	a := &models.Account{Number: "12345678", Name: "Acme Ltd", PasswordPreset: "classic", MFAPolicy: models.MFAOff}
	if err := s.Accounts.Create(ctx, a); err != nil {
		t.Fatalf("create account: %v", err)
	}
	u := &models.User{AccountID: a.ID, Username: "ann", UsernameKey: "ann", Email: "ann@example.com",
		EmailKey: "ann@example.com", DisplayName: "Ann Example", Status: models.StatusActive,
		IsPrimaryAdmin: true, PasswordHash: "$argon2id$x"}
	if err := s.Users.Create(ctx, u); err != nil {
		t.Fatalf("create user: %v", err)
	}
	digest := make([]byte, 32)
	_, _ = rand.Read(digest)
	tok := &models.Token{UserID: u.ID, Purpose: models.PurposeReset, SHA256: digest, CreatedAt: now,
		ExpiresAt: now.Add(time.Hour)}
	if err := s.Tokens.Create(ctx, tok); err != nil {
		t.Fatalf("create token: %v", err)
	}
	return tok
}

// outbox returns every row, oldest first.
func outbox(t *testing.T, s *models.Store) []models.OutboxMessage {
	t.Helper()
	rows, err := s.Outbox.Recent(context.Background(), 1000)
	if err != nil {
		t.Fatal(err)
	}
	for i, j := 0, len(rows)-1; i < j; i, j = i+1, j-1 {
		rows[i], rows[j] = rows[j], rows[i]
	}
	return rows
}
