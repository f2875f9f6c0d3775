// Package mail sends the portal's email through a transactional outbox:
// services write messages with Enqueue inside the transaction that made the
// change, and a Worker delivers them over SMTP with retries and backoff, so
// an SMTP outage delays mail but loses none.
package mail

import (
	"context"
	"errors"
	"fmt"
	netmail "net/mail"
	"strings"
	"time"

	"accountportal/models"
)

// ErrInvalidMessage is wrapped by every error Validate returns.
var ErrInvalidMessage = errors.New("mail: invalid message")

// Message is one email to one recipient. Text is required; HTML is an
// optional alternative rendering of the same content.
type Message struct {
	To      string
	Subject string
	Text    string
	HTML    string
	// AccountID is the customer account of the user the message is for.
	// While that account is suspended or closed the message is withheld,
	// even when it was queued before. Zero for mail outside any account
	// (the provider's own notices, which must reach a suspended account).
	AccountID int64
}

// Validate reports whether m can be sent safely. It returns an error
// wrapping ErrInvalidMessage when To or Subject contains a line break (a
// line break there would let the value inject headers), when Subject or Text
// is empty, or when To is not exactly one bare address such as
// "ann@example.com". The error never repeats the address.
func (m Message) Validate() error {
	if strings.ContainsAny(m.To, "\r\n") {
		return fmt.Errorf("%w: recipient contains a line break", ErrInvalidMessage)
	}
	if strings.ContainsAny(m.Subject, "\r\n") {
		return fmt.Errorf("%w: subject contains a line break", ErrInvalidMessage)
	}
	if strings.TrimSpace(m.Subject) == "" {
		return fmt.Errorf("%w: subject is empty", ErrInvalidMessage)
	}
	if strings.TrimSpace(m.Text) == "" {
		return fmt.Errorf("%w: text is empty", ErrInvalidMessage)
	}
	return validateRecipient(m.To)
}

// validateRecipient insists on a bare address: a display name, angle
// brackets, comments or a list would make the stored recipient differ from
// the one the SMTP envelope is given.
func validateRecipient(to string) error {
	a, err := netmail.ParseAddress(to)
	if err != nil || a.Name != "" || a.Address != to {
		return fmt.Errorf("%w: recipient is not a single bare email address", ErrInvalidMessage)
	}
	return nil
}

// Enqueue validates m and writes it to the outbox, due at now, carrying
// tokenID (nil when the message carries no token) so that sending it stamps
// the token's sent_at. Call it with the transaction that made the change the
// message reports, so the message exists exactly when the change does. It
// returns Validate's error for an invalid message, or the Store's error.
func Enqueue(ctx context.Context, tx *models.Store, m Message, tokenID *int64, now time.Time) error {
	if err := m.Validate(); err != nil {
		return err
	}
	row := &models.OutboxMessage{
		ToAddr: m.To, Subject: m.Subject, TextBody: m.Text, HTMLBody: m.HTML,
		TokenID: tokenID, CreatedAt: now, NextAttemptAt: now,
	}
	if m.AccountID != 0 {
		row.AccountID = &m.AccountID
	}
	if err := tx.Outbox.Enqueue(ctx, row); err != nil {
		return fmt.Errorf("enqueue mail: %w", err)
	}
	return nil
}
