package provider

import (
	"context"
	"time"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/models"
)

// Operator actions, each recorded in the provider's (staff account's) log
// and in the customer account's own.
const (
	ActionAccountOnboarded   = "provider.account_onboarded"
	ActionInvitationResent   = "provider.invitation_resent"
	ActionInvitationVoided   = "provider.invitation_voided"
	ActionAccountSuspended   = "provider.account_suspended"
	ActionAccountReactivated = "provider.account_reactivated"
	ActionAccountClosed      = "provider.account_closed"
	ActionAccountPurged      = "provider.account_purged"
	ActionPrimaryMFAReset    = "provider.primary_mfa_reset"
	ActionPrimaryResetSent   = "provider.primary_reset_sent"
)

// OperatorParty names the operator as a customer reads it in their log:
// "the provider's operator Olga Ops".
func OperatorParty(op *identity.Principal) *audit.Party {
	return &audit.Party{ID: op.User.ID, Name: "the provider's operator " + op.User.DisplayName}
}

// recordTwice writes e in the customer account's log, with the operator
// named as the customer reads them, and in the provider's log, naming the
// customer account in the details. Call it inside the transaction that
// made the change.
func recordTwice(ctx context.Context, tx *models.Store, at time.Time, op *identity.Principal,
	customer *models.Account, e audit.Entry) error {
	own := e
	own.AccountID = customer.ID
	own.Actor = OperatorParty(op)
	if err := audit.Record(ctx, tx, at, own); err != nil {
		return err
	}
	theirs := e
	theirs.AccountID = op.Account.ID
	theirs.Actor = audit.PartyOf(op.User)
	theirs.Details = make(map[string]any, len(e.Details)+2)
	for k, v := range e.Details {
		theirs.Details[k] = v
	}
	theirs.Details["account_number"] = customer.Number
	theirs.Details["account_name"] = customer.Name
	return audit.Record(ctx, tx, at, theirs)
}

// ProviderLogPage is one page of the provider's own audit log.
type ProviderLogPage struct {
	Events []models.AuditEvent
	// Older is the cursor of the next, older page; 0 when there is none.
	Older int64
}

// providerLogSize is how many events a page of the provider's log shows.
const providerLogSize = 50

// ProviderLog returns the provider's audit log (the staff account's: what
// operators and the command line did, with the customer account named in
// each entry's details), newest first, from before the event id before
// (0 for the newest).
func (s *Service) ProviderLog(ctx context.Context, op *identity.Principal, before int64) (*ProviderLogPage, error) {
	if !op.IsOperator() {
		return nil, ErrNotOperator
	}
	events, err := s.store.Audit.Page(ctx, models.AuditFilter{AccountID: op.Account.ID}, before, 0, providerLogSize+1)
	if err != nil {
		return nil, err
	}
	page := &ProviderLogPage{Events: events}
	if len(events) > providerLogSize {
		page.Events = events[:providerLogSize]
		page.Older = page.Events[providerLogSize-1].ID
	}
	return page, nil
}
