package emails

import (
	"fmt"
	"strings"
)

// The plain-text parts. They say the same as the HTML parts, for mail
// clients and people who read plain text.

const textFooter = "\n-- \nAccount Portal. You received this email because of activity on your account.\nIf you did not expect it, tell your account administrator.\n"

// ResetText is the plain-text part of the reset email.
func ResetText(d Reset) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n", d.DisplayName)
	if d.ByProvider {
		fmt.Fprintf(&b, "After your call to our support desk, %s, an operator of your phone service provider, sent you this link "+
			"to choose a new password for your account %s.\n\n", d.RequestedBy, d.Username)
	} else if d.RequestedBy != "" {
		fmt.Fprintf(&b, "Your administrator, %s, asked you to choose a new password for your account %s.\n\n", d.RequestedBy, d.Username)
	} else {
		fmt.Fprintf(&b, "We received a request to reset the password of your account %s.\n\n", d.Username)
	}
	fmt.Fprintf(&b, "Choose a new password here:\n%s\n\n", d.Link)
	fmt.Fprintf(&b, "The link works once and expires in %s. Asking for another link makes this one stop working.\n", d.ValidFor)
	if d.RequestedBy == "" {
		b.WriteString("\nIf you did not ask for this, you can ignore this email: your password stays the same.\n")
	}
	return b.String() + textFooter
}

// PasswordChangedText is the plain-text part of the password-changed notice.
func PasswordChangedText(d PasswordChanged) string {
	return fmt.Sprintf("Hello %s,\n\nThe password of your account %s was changed on %s from the address %s.\n\n"+
		"If this was not you, contact your account administrator at once.\n", d.DisplayName, d.Username, d.When, d.IP) + textFooter
}

// UsernamesText is the plain-text part of the forgotten-username email.
func UsernamesText(d Usernames) string {
	var b strings.Builder
	if len(d.Usernames) == 1 {
		b.WriteString("The username registered with this email address is:\n\n")
	} else {
		b.WriteString("These usernames are registered with this email address:\n\n")
	}
	for _, u := range d.Usernames {
		fmt.Fprintf(&b, "  %s  at %s\n", u.Username, u.Account)
	}
	fmt.Fprintf(&b, "\nSign in here:\n%s\n\nIf you did not ask for this, you can ignore this email.\n", d.SignInLink)
	return b.String() + textFooter
}

// AnswerLockedText is the plain-text part of the notice to the Primary Admin.
func AnswerLockedText(d AnswerLocked) string {
	return fmt.Sprintf("Hello %s,\n\n%s (%s) gave the wrong answer to their security question five times while "+
		"resetting their password. Their reset link was cancelled and they cannot reset their password until tomorrow.\n\n"+
		"If they have forgotten the answer, you can help: in Account Portal, open their page (Users, then their name) and clear their security "+
		"question (or, if they remember the answer after all, choose \"Unblock password reset\"), then send them a "+
		"password reset link.\n\nOpen the user:\n%s\n", d.AdminName, d.UserDisplayName, d.Username, d.UserPage) + textFooter
}

// NoticeText is the plain-text part of a security notice.
func NoticeText(d Notice) string {
	return fmt.Sprintf("Hello %s,\n\n%s on %s from the address %s.\n\n"+
		"If this was not you, contact your account administrator at once.\n", d.DisplayName, d.What, d.When, d.IP) + textFooter
}

// ConfirmEmailText is the plain-text part of the new-address confirmation.
func ConfirmEmailText(d ConfirmEmail) string {
	return fmt.Sprintf("Hello %s,\n\nYou asked to use this address for your Account Portal account %s. "+
		"Confirm it while signed in to that account:\n%s\n\nThe link works once and expires in %s. "+
		"Until you confirm, we keep sending to your current address.\n\nIf you did not ask for this, ignore this email.\n",
		d.DisplayName, d.Username, d.Link, d.ValidFor) + textFooter
}

// InfoText is the plain-text part of a plain message.
func InfoText(d Info) string {
	var b strings.Builder
	fmt.Fprintf(&b, "Hello %s,\n\n", d.DisplayName)
	for _, line := range d.Lines {
		b.WriteString(line + "\n\n")
	}
	if d.Link != "" {
		fmt.Fprintf(&b, "%s:\n%s\n", d.LinkLabel, d.Link)
	}
	return b.String() + textFooter
}
