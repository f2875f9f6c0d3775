package web

import (
	"net/http"
	"regexp"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/models"
	"accountportal/views/pages/devmail"
	"accountportal/views/viewmodel"
)

type mailboxHandlers struct {
	pages
	mail *models.OutboxStore
}

func summary(m *models.OutboxMessage, now time.Time) viewmodel.MailSummary {
	status := "waiting"
	if m.SentAt != nil {
		status = "kept"
	}
	return viewmodel.MailSummary{ID: m.ID, To: m.ToAddr, Subject: m.Subject,
		Created: viewmodel.At(m.CreatedAt, now), Status: status}
}

// list shows the newest 200 messages.
func (h mailboxHandlers) list(c echo.Context) error {
	msgs, err := h.mail.Recent(c.Request().Context(), 200)
	if err != nil {
		return err
	}
	m := viewmodel.MailboxPage{}
	for i := range msgs {
		m.Messages = append(m.Messages, summary(&msgs[i], h.now()))
	}
	return render(c, http.StatusOK, devmail.List(h.page(c, "Development mailbox").Widened(), m))
}

// show shows one message's text part with clickable links.
func (h mailboxHandlers) show(c echo.Context) error {
	msg, err := h.message(c)
	if err != nil {
		return err
	}
	m := viewmodel.MailPage{MailSummary: summary(msg, h.now()), Text: linkify(msg.TextBody)}
	return render(c, http.StatusOK, devmail.Show(h.page(c, msg.Subject), m))
}

// html serves a message's HTML part as the mail client would see it. Its
// own policy lets the email's inline styles apply and nothing run.
func (h mailboxHandlers) html(c echo.Context) error {
	msg, err := h.message(c)
	if err != nil {
		return err
	}
	c.Response().Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src data:; sandbox allow-popups allow-top-navigation-by-user-activation")
	return c.HTMLBlob(http.StatusOK, []byte(msg.HTMLBody))
}

func (h mailboxHandlers) message(c echo.Context) (*models.OutboxMessage, error) {
	id, err := atoi(c.Param("id"))
	if err != nil {
		return nil, echo.ErrNotFound
	}
	msg, err := h.mail.ByID(c.Request().Context(), id)
	if err != nil {
		return nil, echo.ErrNotFound
	}
	return msg, nil
}

var urlPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// linkify splits text into plain runs and links.
func linkify(text string) []viewmodel.TextPart {
	var parts []viewmodel.TextPart
	last := 0
	for _, loc := range urlPattern.FindAllStringIndex(text, -1) {
		if loc[0] > last {
			parts = append(parts, viewmodel.TextPart{Text: text[last:loc[0]]})
		}
		parts = append(parts, viewmodel.TextPart{Text: text[loc[0]:loc[1]], Href: text[loc[0]:loc[1]]})
		last = loc[1]
	}
	if last < len(text) {
		parts = append(parts, viewmodel.TextPart{Text: text[last:]})
	}
	return parts
}
