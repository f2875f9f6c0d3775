package apptest

import (
	"context"
	"net/http"
	"net/url"
	"regexp"
	"time"

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
	msgs, err := e.Store().Outbox.Recent(context.Background(), 1000)
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

// RunBulk sends a bulk action through the console as c (form holds the
// preview's fields), follows the answer to the job's page and waits there,
// as an administrator would, until the job queue has finished it. It
// returns the job's last page, or the refusal when the form was refused.
func (c *Client) RunBulk(form url.Values) *Response {
	c.t.Helper()
	form.Set("csrf_token", CSRF(c.Get("/forgot/password")))
	res := c.Post("/admin/users/bulk/run", form)
	if res.Status != http.StatusSeeOther {
		return res
	}
	return c.WaitForJob(res.Location)
}

// WaitForJob reloads a bulk action's page until it no longer refreshes
// itself (the job finished), for at most 30 seconds.
func (c *Client) WaitForJob(path string) *Response {
	c.t.Helper()
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		page := c.Get(path)
		if page.Status != http.StatusOK || page.Doc.Find("meta[http-equiv=refresh]").Length() == 0 {
			return page
		}
		if time.Now().After(deadline) {
			c.t.Fatalf("bulk action %s still running: %s", path, page.Doc.Find("[data-testid=job-status]").Text())
		}
	}
}
