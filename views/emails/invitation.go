package emails

import (
	"context"
	"time"

	"accountportal/views/i18n"
)

// Invitation is the data of the email that invites an onboarded account's
// Primary Admin to set it up.
type Invitation struct {
	DisplayName   string
	Company       string
	AccountNumber string
	Username      string
	// InvitedBy names the provider's operator who onboarded the account.
	InvitedBy string
	Link      string
	// Expires is when the link stops working.
	Expires time.Time
	// Again says this replaces an earlier invitation, which stopped working.
	Again bool
}

// Subject is the invitation's subject line.
func (d Invitation) Subject() Text {
	return Say("email.invitation.subject", map[string]any{"Company": d.Company})
}

// intro is the invitation's first sentence.
func (d Invitation) intro() Text {
	data := map[string]any{"By": d.InvitedBy, "Company": d.Company, "Number": d.AccountNumber}
	if d.Again {
		return Say("email.invitation.again", data)
	}
	return Say("email.invitation.first", data)
}

// yourUsername is "Your username is: ann".
func yourUsername(username string) Text {
	return Say("email.layout.username", map[string]any{"Username": username})
}

// InvitationText is the plain-text part of the invitation.
func InvitationText(ctx context.Context, d Invitation) string {
	return text(ctx, hello(d.DisplayName).In(ctx), d.intro().In(ctx), yourUsername(d.Username).In(ctx),
		i18n.T(ctx, "email.invitation.steps"), linkText(i18n.T(ctx, "email.invitation.link"), d.Link),
		i18n.T(ctx, "email.invitation.expires", map[string]any{"Expires": Moment(ctx, d.Expires)}))
}
