// Package emails holds the portal's emails: an HTML part as a templ
// component and a plain-text part, for each message, with the data each needs.
package emails

// Reset is the data of a password reset email.
type Reset struct {
	DisplayName string
	Username    string
	Link        string
	ValidFor    string
	// RequestedBy names the administrator who asked; "" when the user did.
	RequestedBy string
	// ByProvider says RequestedBy is the phone service provider's operator,
	// acting on a call to its support desk, not the account's administrator.
	ByProvider bool
}

// Subject is the reset email's subject line.
func (d Reset) Subject() string {
	if d.ByProvider {
		return "Your phone service provider sent you a password reset link"
	}
	if d.RequestedBy != "" {
		return "Your administrator asked you to reset your password"
	}
	return "Password Reset Request"
}

// PasswordChanged is the data of the password-changed notice.
type PasswordChanged struct {
	DisplayName string
	Username    string
	When        string
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
	// Account names the company: "Acme Ltd (account 12345678)".
	Account string
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
	Subject     string
	DisplayName string
	// What says what changed, as the start of a sentence: "Your support
	// passphrase was changed".
	What string
	When string
	IP   string
}

// ConfirmEmail asks the owner of a new address to confirm it.
type ConfirmEmail struct {
	DisplayName string
	Username    string
	Link        string
	ValidFor    string
}

// Info is a plain message of a few paragraphs and an optional link.
type Info struct {
	Subject     string
	DisplayName string
	Lines       []string
	Link        string
	LinkLabel   string
}
