package apptest

import (
	"context"
	"regexp"

	"accountportal/models"
)

// Drain does the background work a replica would: handles queued recovery
// requests, then sends (or keeps) queued mail, until nothing is left.
func (e *Env) Drain() {
	e.T.Helper()
	ctx := context.Background()
	for range 10 {
		n, err := e.App.Recovery.ProcessQueue(ctx)
		if err != nil {
			e.T.Fatalf("recovery queue: %v", err)
		}
		sent, failed, err := e.App.Mail.RunOnce(ctx)
		if err != nil {
			e.T.Fatalf("mail worker: %v", err)
		}
		if n == 0 && sent == 0 && failed == 0 {
			return
		}
	}
}

// Outbox returns every message the portal queued, oldest first.
func (e *Env) Outbox() []models.OutboxMessage {
	e.T.Helper()
	msgs, err := e.Store().RecentMail(context.Background(), 1000)
	if err != nil {
		e.T.Fatal(err)
	}
	for i, j := 0, len(msgs)-1; i < j; i, j = i+1, j-1 {
		msgs[i], msgs[j] = msgs[j], msgs[i]
	}
	return msgs
}

// MailTo returns the messages queued for an address, oldest first.
func (e *Env) MailTo(addr string) []models.OutboxMessage {
	var out []models.OutboxMessage
	for _, m := range e.Outbox() {
		if m.ToAddr == addr {
			out = append(out, m)
		}
	}
	return out
}

var linkPattern = regexp.MustCompile(`https?://[^\s<>"]+`)

// LinkIn returns the first link in text that starts with prefix, or "".
func LinkIn(text, prefix string) string {
	for _, l := range linkPattern.FindAllString(text, -1) {
		if len(l) >= len(prefix) && l[:len(prefix)] == prefix {
			return l
		}
	}
	return ""
}
