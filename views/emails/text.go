package emails

import (
	"context"
	"strings"

	"accountportal/views/i18n"
)

// The plain-text parts. They say the same as the HTML parts, for mail
// clients and people who read plain text.

// textFooter ends every plain-text part.
func textFooter(ctx context.Context) string {
	return "\n-- \n" + i18n.T(ctx, "email.layout.text_footer") + "\n"
}

// text writes a plain-text part: the paragraphs, a blank line apart, then
// the footer.
func text(ctx context.Context, paragraphs ...string) string {
	return strings.Join(paragraphs, "\n\n") + "\n" + textFooter(ctx)
}

// linkText is a link in a plain-text part: "Choose a new password here:"
// and the address on the next line.
func linkText(label, link string) string { return label + "\n" + link }

// why is the reset email's first sentence: who asked.
func (d Reset) why() Text {
	data := map[string]any{"Username": d.Username, "By": d.RequestedBy}
	if d.ByProvider {
		return Say("email.reset.by_provider", data)
	}
	if d.RequestedBy != "" {
		return Say("email.reset.by_admin", data)
	}
	return Say("email.reset.by_self", data)
}

func (d Reset) expires() Text {
	return Say("email.reset.expires", map[string]any{"ValidFor": d.ValidFor})
}

// ResetText is the plain-text part of the reset email.
func ResetText(ctx context.Context, d Reset) string {
	parts := []string{hello(d.DisplayName).In(ctx), d.why().In(ctx),
		linkText(i18n.T(ctx, "email.reset.link"), d.Link), d.expires().In(ctx)}
	if d.RequestedBy == "" {
		parts = append(parts, i18n.T(ctx, "email.reset.ignore"))
	}
	return text(ctx, parts...)
}

func (d PasswordChanged) body() Text {
	return Say("email.password_changed.body", map[string]any{"Username": d.Username, "When": d.When, "IP": d.IP})
}

// PasswordChangedText is the plain-text part of the password-changed notice.
func PasswordChangedText(ctx context.Context, d PasswordChanged) string {
	return text(ctx, hello(d.DisplayName).In(ctx), d.body().In(ctx), i18n.T(ctx, "email.layout.not_you"))
}

// line is one username and its account: "ann at Acme Ltd (account 12345678)".
func (u AccountUsername) line() Text {
	return Say("email.usernames.line", map[string]any{"Username": u.Username, "Account": u.Account})
}

// UsernamesText is the plain-text part of the forgotten-username email.
func UsernamesText(ctx context.Context, d Usernames) string {
	var b strings.Builder
	if len(d.Usernames) == 1 {
		b.WriteString(i18n.T(ctx, "email.usernames.single"))
	} else {
		b.WriteString(i18n.T(ctx, "email.usernames.several"))
	}
	b.WriteString("\n\n")
	for _, u := range d.Usernames {
		// The username stands apart from the sentence, as in a column.
		before, after, name := split(ctx, u.line(), "Username")
		b.WriteString("  " + before + name + " " + after + "\n")
	}
	b.WriteString("\n" + linkText(i18n.T(ctx, "email.usernames.link"), d.SignInLink) + "\n\n" +
		i18n.T(ctx, "email.usernames.ignore") + "\n")
	return b.String() + textFooter(ctx)
}

func (d AnswerLocked) body() Text {
	return Say("email.answer_locked.body", map[string]any{"Name": d.UserDisplayName, "Username": d.Username})
}

// AnswerLockedText is the plain-text part of the notice to the Primary Admin.
func AnswerLockedText(ctx context.Context, d AnswerLocked) string {
	return text(ctx, hello(d.AdminName).In(ctx), d.body().In(ctx), i18n.T(ctx, "email.answer_locked.help"),
		linkText(i18n.T(ctx, "email.answer_locked.link"), d.UserPage))
}

func (d Notice) body() Text {
	return Say("email.notice.body", map[string]any{"What": d.What, "When": d.When, "IP": d.IP})
}

// NoticeText is the plain-text part of a security notice.
func NoticeText(ctx context.Context, d Notice) string {
	return text(ctx, hello(d.DisplayName).In(ctx), d.body().In(ctx), i18n.T(ctx, "email.layout.not_you"))
}

func (d ConfirmEmail) body() Text {
	return Say("email.confirm.body", map[string]any{"Username": d.Username})
}

func (d ConfirmEmail) expires() Text {
	return Say("email.confirm.expires", map[string]any{"ValidFor": d.ValidFor})
}

// ConfirmEmailText is the plain-text part of the new-address confirmation.
func ConfirmEmailText(ctx context.Context, d ConfirmEmail) string {
	return text(ctx, hello(d.DisplayName).In(ctx), linkText(d.body().In(ctx), d.Link), d.expires().In(ctx),
		i18n.T(ctx, "email.confirm.ignore"))
}

// InfoText is the plain-text part of a plain message.
func InfoText(ctx context.Context, d Info) string {
	var b strings.Builder
	b.WriteString(hello(d.DisplayName).In(ctx) + "\n\n")
	for _, line := range d.Lines {
		b.WriteString(line.In(ctx) + "\n\n")
	}
	if d.Link != "" {
		b.WriteString(i18n.T(ctx, "email.layout.link", map[string]any{"Label": d.LinkLabel.In(ctx)}) + "\n" + d.Link + "\n")
	}
	return b.String() + textFooter(ctx)
}
