package emails

import "fmt"

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
	// Expires is when the link stops working, as emails write times.
	Expires string
	// Again says this replaces an earlier invitation, which stopped working.
	Again bool
}

// Subject is the invitation's subject line.
func (d Invitation) Subject() string {
	return "Set up the Account Portal account of " + d.Company
}

// intro is the invitation's first sentence.
func (d Invitation) intro() string {
	if d.Again {
		return fmt.Sprintf("%s, of your phone service provider, sent you a new invitation to set up the Account Portal account of %s "+
			"(account number %s): the one you had before no longer works.", d.InvitedBy, d.Company, d.AccountNumber)
	}
	return fmt.Sprintf("%s, of your phone service provider, opened an Account Portal account for %s (account number %s) "+
		"and invited you to be its Primary Admin.", d.InvitedBy, d.Company, d.AccountNumber)
}

// steps says what the link leads to.
const invitationSteps = "Follow the link to choose your password and your support passphrase (the Primary Admin's passphrase is set " +
	"during this initial setup), and, if you like, a security question; then accept the license agreement and you are signed in."

// InvitationText is the plain-text part of the invitation.
func InvitationText(d Invitation) string {
	return fmt.Sprintf("Hello %s,\n\n%s\n\nYour username is: %s\n\n%s\n\nSet up the account here:\n%s\n\n"+
		"The link works once and expires on %s.\n", d.DisplayName, d.intro(), d.Username, invitationSteps, d.Link, d.Expires) + textFooter
}
