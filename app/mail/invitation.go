package mail

import (
	"context"
	"time"

	"accountportal/views/emails"
)

// InvitationEmail invites the Primary Admin of an account an operator
// onboarded to set it up. It carries the link and no other secret.
type InvitationEmail struct {
	To, DisplayName, Company, AccountNumber, Username, InvitedBy, Link string
	Expires                                                            time.Time
	// Again says it replaces an earlier invitation.
	Again bool
}

// Message renders the email.
func (e InvitationEmail) Message(ctx context.Context) (Message, error) {
	d := emails.Invitation{DisplayName: e.DisplayName, Company: e.Company, AccountNumber: e.AccountNumber,
		Username: e.Username, InvitedBy: e.InvitedBy, Link: e.Link, Expires: e.Expires, Again: e.Again}
	return compose(ctx, e.To, d.Subject().In(ctx), emails.InvitationHTML(d), emails.InvitationText(ctx, d))
}
