package mail

import (
	"bytes"
	"context"
	"time"

	"github.com/a-h/templ"

	"accountportal/views/emails"
	"accountportal/views/i18n"
)

// Every email is rendered with the context it is given: the services give
// one speaking the recipient's language in their time zone (Reader).

// compose renders an email's HTML part and pairs it with its text part.
func compose(ctx context.Context, to, subject string, html templ.Component, text string) (Message, error) {
	var buf bytes.Buffer
	if err := html.Render(ctx, &buf); err != nil {
		return Message{}, err
	}
	m := Message{To: to, Subject: subject, Text: text, HTML: buf.String()}
	return m, m.Validate()
}

// ResetEmail is the password reset email ("Password Reset Request", or
// "Your administrator asked you to reset your password" when RequestedBy is
// set). It carries the link and no other secret.
type ResetEmail struct {
	To, DisplayName, Username, Link, RequestedBy string
	ValidFor                                     time.Duration
	// ByProvider says the provider's operator asked, not an administrator.
	ByProvider bool
}

// Message renders the email.
func (e ResetEmail) Message(ctx context.Context) (Message, error) {
	d := emails.Reset{DisplayName: e.DisplayName, Username: e.Username, Link: e.Link,
		ValidFor: e.ValidFor, RequestedBy: e.RequestedBy, ByProvider: e.ByProvider}
	return compose(ctx, e.To, d.Subject(ctx), emails.ResetHTML(d), emails.ResetText(ctx, d))
}

// PasswordChangedEmail tells a user their password changed, when and from where.
type PasswordChangedEmail struct {
	To, DisplayName, Username, IP string
	When                          time.Time
}

// Message renders the email.
func (e PasswordChangedEmail) Message(ctx context.Context) (Message, error) {
	d := emails.PasswordChanged{DisplayName: e.DisplayName, Username: e.Username, When: e.When, IP: e.IP}
	return compose(ctx, e.To, i18n.T(ctx, "email.password_changed.subject"), emails.PasswordChangedHTML(d),
		emails.PasswordChangedText(ctx, d))
}

// UsernamesEmail lists the usernames registered with an address.
type UsernamesEmail struct {
	To         string
	Usernames  []emails.AccountUsername
	SignInLink string
}

// Message renders the email.
func (e UsernamesEmail) Message(ctx context.Context) (Message, error) {
	d := emails.Usernames{Usernames: e.Usernames, SignInLink: e.SignInLink}
	return compose(ctx, e.To, i18n.T(ctx, "email.usernames.subject"), emails.UsernamesHTML(d), emails.UsernamesText(ctx, d))
}

// AnswerLockedEmail tells the Primary Admin a user is blocked from
// resetting their password by wrong security answers.
type AnswerLockedEmail struct {
	To, AdminName, UserDisplayName, Username, UserPage string
}

// Message renders the email.
func (e AnswerLockedEmail) Message(ctx context.Context) (Message, error) {
	d := emails.AnswerLocked{AdminName: e.AdminName, UserDisplayName: e.UserDisplayName, Username: e.Username, UserPage: e.UserPage}
	return compose(ctx, e.To, i18n.T(ctx, "email.answer_locked.subject"), emails.AnswerLockedHTML(d),
		emails.AnswerLockedText(ctx, d))
}

// NoticeEmail is a security notice: "Your support passphrase was changed",
// "Your security question was changed", "Your email address was changed".
type NoticeEmail struct {
	To, DisplayName, IP string
	// Subject and What are said in the reader's language; What starts
	// the sentence "… on <When> from the address <IP>.".
	Subject, What emails.Text
	When          time.Time
}

// Message renders the email.
func (e NoticeEmail) Message(ctx context.Context) (Message, error) {
	d := emails.Notice{Subject: e.Subject, DisplayName: e.DisplayName, What: e.What, When: e.When, IP: e.IP}
	return compose(ctx, e.To, e.Subject.In(ctx), emails.NoticeHTML(d), emails.NoticeText(ctx, d))
}

// ConfirmEmailEmail asks the owner of a new address to confirm it.
type ConfirmEmailEmail struct {
	To, DisplayName, Username, Link string
	ValidFor                        time.Duration
}

// Message renders the email.
func (e ConfirmEmailEmail) Message(ctx context.Context) (Message, error) {
	d := emails.ConfirmEmail{DisplayName: e.DisplayName, Username: e.Username, Link: e.Link, ValidFor: e.ValidFor}
	return compose(ctx, e.To, i18n.T(ctx, "email.confirm.subject"), emails.ConfirmEmailHTML(d), emails.ConfirmEmailText(ctx, d))
}

// InfoEmail is a plain message of a few paragraphs and an optional link.
type InfoEmail struct {
	To, DisplayName string
	Subject         emails.Text
	Lines           []emails.Text
	Link            string
	LinkLabel       emails.Text
}

// Message renders the email.
func (e InfoEmail) Message(ctx context.Context) (Message, error) {
	d := emails.Info{Subject: e.Subject, DisplayName: e.DisplayName, Lines: e.Lines, Link: e.Link, LinkLabel: e.LinkLabel}
	return compose(ctx, e.To, e.Subject.In(ctx), emails.InfoHTML(d), emails.InfoText(ctx, d))
}
