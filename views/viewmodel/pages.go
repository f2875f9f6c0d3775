package viewmodel

import (
	"html/template"
	"time"
)

// SetupPage is the first-run setup form.
type SetupPage struct {
	SetupCode   string
	CompanyName string
	DisplayName string
	Email       string
	Username    string
	Credentials
}

// Credentials is the part of a form where a Primary Admin chooses their
// password, support passphrase and optional security question: first-run
// setup's and an operator's invitation's. Errors are the whole form's.
type Credentials struct {
	QuestionChoice string
	CustomQuestion string
	Questions      []string
	Rules          []Rule
	Errors         Errors
}

// InvitationPage is the form of an invited Primary Admin: the account an
// operator onboarded for them, and their credentials to choose.
type InvitationPage struct {
	Company       string
	AccountNumber string
	DisplayName   string
	Email         string
	Username      string
	Credentials
}

// QuestionCustom is the QuestionChoice value meaning "write my own".
const QuestionCustom = "custom"

// LoginPage is either step of sign-in: the username, then the password.
type LoginPage struct {
	Username string
	Errors   Errors
}

// AgreementPage asks the user to accept the license agreement.
type AgreementPage struct {
	DisplayName string
	Agreement   Agreement
}

// Agreement is one version of the license agreement, its text already
// rendered and sanitized.
type Agreement struct {
	Version string
	Title   string
	Body    template.HTML
	// Effective is the day it came into force.
	Effective time.Time
	// Lang is the language Title and Body are in, when it is not the
	// page's; Translated says they are a translation of the English text,
	// which is the one that applies.
	Lang       string
	Translated bool
}

// QuestionStepPage asks a user whose account requires a security question,
// and who has none, to set one while signing in.
type QuestionStepPage struct {
	DisplayName    string
	Questions      []string
	QuestionChoice string
	CustomQuestion string
	Errors         Errors
}

// SuspendedPage tells a user their account is suspended.
type SuspendedPage struct {
	// Terminated says a live session was just ended because of it.
	Terminated bool
	// ByProvider says the provider suspended or closed the whole customer
	// account, rather than an administrator the user.
	ByProvider bool
}

// HomePage greets the signed-in user.
type HomePage struct {
	DisplayName    string
	AccountName    string
	AccountNumber  string
	IsPrimaryAdmin bool
	// Privileges are the labels of the user's admin privileges.
	Privileges []string
	// Attention lists what waits on the user, most personal first; empty
	// when nothing does.
	Attention []AttentionItem
	Links     []Link
}

// AttentionItem is one thing waiting on the user: a sentence and a link to
// where they deal with it. Key names it for tests.
type AttentionItem struct {
	Key      string
	Message  string
	Href     string
	LinkText string
}

// Link is a titled link with a sentence about where it goes.
type Link struct {
	Href        string
	Title       string
	Description string
}

// ErrorPage explains a failed request.
type ErrorPage struct {
	Status  int
	Heading string
	Message string
	// RetryAt says, for 429, when to try again (already formatted).
	RetryAt string
	// Back is where the page's one link goes.
	Back      Link
	RequestID string
}

// ForgotPage is the forgot-password or forgot-username form.
type ForgotPage struct {
	Value  string
	Errors Errors
}

// MessagePage is a page that says one thing and offers one link.
type MessagePage struct {
	Heading string
	Message string
	Link    Link
}

// ResetQuestionPage asks the security question during a reset.
type ResetQuestionPage struct {
	Question string
	Errors   Errors
}

// ResetPasswordPage asks for the new password during a reset.
type ResetPasswordPage struct {
	// Welcome says a new user is choosing their first password.
	Welcome           bool
	Username          string
	Rules             []Rule
	SignOutEverywhere bool
	Errors            Errors
}

// MailboxPage lists the mail the portal kept in development.
type MailboxPage struct {
	Messages []MailSummary
}

// MailSummary is one line of the dev mailbox.
type MailSummary struct {
	ID      int64
	To      string
	Subject string
	Created When
	Status  string
}

// MailPage shows one kept message's text, with its links clickable.
type MailPage struct {
	MailSummary
	Text []TextPart
}

// TextPart is a run of plain text, or a link when Href is set.
type TextPart struct {
	Text string
	Href string
}

// MFASummary is a user's two-step verification at a glance.
type MFASummary struct {
	Enrolled bool
	// Since is when the authenticator was set up, when Enrolled.
	Since     When
	CodesLeft int64
	// Required says the account's policy makes the user keep it on.
	Required bool
	// Offered is false when the account's policy turned it off.
	Offered bool
}

// SessionRow is one of the user's sessions.
type SessionRow struct {
	Handle     string
	Device     string
	IP         string
	Started    string
	LastActive string
	ThisDevice bool
}

// PassphrasePage shows the passphrase and the form to change it.
type PassphrasePage struct {
	// Passphrase is the current passphrase when it is shown, else "".
	Passphrase string
	// HasPassphrase says one is set, shown or not (a rejected change
	// re-renders the form without revealing it again).
	HasPassphrase bool
	Errors        Errors
}

// ConfirmPage asks for the password again before a sensitive step.
type ConfirmPage struct {
	Next string
	// Cancel is the page above Next, where the Cancel link goes.
	Cancel string
	Errors Errors
}
