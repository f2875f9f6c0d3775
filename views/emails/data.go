// Package emails holds the portal's emails: an HTML part as a templ
// component and a plain-text part, for each message, with the data each
// needs. Every word comes from the catalogs ([email…] in
// views/i18n/locales), said in the language of the context the email is
// rendered with: the recipient's, which app/mail decides.
package emails

import (
	"context"
	"time"
)

// Reset is the data of a password reset email.
type Reset struct {
	DisplayName string
	Username    string
	Link        string
	ValidFor    time.Duration
	// RequestedBy names the administrator who asked; "" when the user did.
	RequestedBy string
	// ByProvider says RequestedBy is the phone service provider's operator,
	// acting on a call to its support desk, not the account's administrator.
	ByProvider bool
}

// Subject is the reset email's subject line.
func (d Reset) Subject(ctx context.Context) string {
	if d.ByProvider {
		return Say("email.reset.subject_provider").In(ctx)
	}
	if d.RequestedBy != "" {
		return Say("email.reset.subject_admin").In(ctx)
	}
	return Say("email.reset.subject").In(ctx)
}

// PasswordChanged is the data of the password-changed notice.
type PasswordChanged struct {
	DisplayName string
	Username    string
	When        time.Time
	IP          string
}

// Usernames is the data of the forgotten-username email.
type Usernames struct {
	Usernames  []AccountUsername
	SignInLink string
}

// AccountUsername is one username and the company account it belongs to:
// an address may be used in several customer accounts.
type AccountUsername struct {
	Username string
	// Account names the company: "Acme Ltd (account 12345678)"
	// (AccountName).
	Account Text
}

// AnswerLocked is the data of the notice to the Primary Admin.
type AnswerLocked struct {
	AdminName       string
	UserDisplayName string
	Username        string
	// UserPage is the link to the user's page in the users console.
	UserPage string
}

// Notice is a security notice about a change to the user's account.
type Notice struct {
	Subject     Text
	DisplayName string
	// What says what changed, as the start of a sentence: "Your support
	// passphrase was changed".
	What Text
	When time.Time
	IP   string
}

// ConfirmEmail asks the owner of a new address to confirm it.
type ConfirmEmail struct {
	DisplayName string
	Username    string
	Link        string
	ValidFor    time.Duration
}

// Info is a plain message of a few paragraphs and an optional link.
type Info struct {
	Subject     Text
	DisplayName string
	Lines       []Text
	Link        string
	LinkLabel   Text
}

// AccountName names a customer account beside a username: "Acme Ltd
// (account 12345678)".
func AccountName(name, number string) Text {
	return Say("email.usernames.account", map[string]any{"Name": name, "Number": number})
}
