// Package provider is what the provider's operators do to customer
// accounts: list and look into them, onboard new ones, suspend, reactivate
// and close them, and help a locked-out Primary Admin back in. Operators
// never see a passphrase, a TOTP seed or a backup code, and never act as a
// customer's user; every action is audited in the provider's log and in
// the customer account's.
package provider

import (
	"log/slog"
	"net/url"
	"time"

	"accountportal/models"
)

// Service runs the operator console.
type Service struct {
	store     *models.Store
	now       func() time.Time
	log       *slog.Logger
	publicURL *url.URL
	mailWake  func()
}

// NewService returns the operator console's service.
func NewService(store *models.Store, now func() time.Time, log *slog.Logger, publicURL *url.URL, mailWake func()) *Service {
	if mailWake == nil {
		mailWake = func() {}
	}
	return &Service{store: store, now: now, log: log, publicURL: publicURL, mailWake: mailWake}
}
