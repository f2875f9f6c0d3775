package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// TestProviderLogShowsOperatorActions: what an operator does to a
// customer account is in the provider's own log, naming the account, and
// nothing of a customer's own log is; it pages back 50 at a time.
func TestProviderLogShowsOperatorActions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newStatusWorld(t, d)
		w.change(w.acme, "suspend", "Unpaid invoices")
		page := w.ops.Get("/operator/audit")
		if page.Status != http.StatusOK {
			t.Fatalf("the provider's log: %d", page.Status)
		}
		first := page.Doc.Find("[data-testid=provider-log] [data-testid=audit-row]").First()
		if got := first.Find("[data-testid=audit-sentence]").Text(); got != "Olga Ops suspended the account "+w.account.Name {
			t.Errorf("newest entry: %q", got)
		}
		details := auditDetails(first)
		if want := []string{"Status: active → suspended", "Account number: " + w.account.Number,
			"Reason: Unpaid invoices"}; !slices.Equal(details, want) {
			t.Errorf("details %q, want %q", details, want)
		}
		if !strings.Contains(first.Find("details pre").Text(), provider.ActionAccountSuspended) {
			t.Error("the raw entry lacks the action's code")
		}
		if strings.Contains(page.Body, "account.setup") || strings.Contains(page.Body, "Ada Admin") {
			t.Error("a customer's own entries are in the provider's log")
		}

		staff := staffAccountID(t, w.e)
		var many []models.AuditEvent
		for range 60 {
			many = append(many, models.AuditEvent{At: w.e.Clock.Now(), AccountID: &staff, Action: "provider.test_entry", Details: "{}"})
		}
		if err := w.e.Store().Audit.AppendMany(context.Background(), many); err != nil {
			t.Fatal(err)
		}
		page = w.ops.Get("/operator/audit")
		if n := page.Doc.Find("[data-testid=provider-log] [data-testid=audit-row]").Length(); n != 50 {
			t.Fatalf("%d rows on the first page, want 50", n)
		}
		older, _ := page.Doc.Find("[data-testid=provider-log-older]").Attr("href")
		next := w.ops.Get(older)
		if !strings.Contains(next.Doc.Find("[data-testid=provider-log]").Text(), "Olga Ops suspended the account") {
			t.Error("the older page lacks the suspension")
		}
		for _, bad := range []string{"/operator/audit?before=abc", "/operator/audit?before=-1"} {
			if res := w.ops.Get(bad); res.Status != http.StatusBadRequest {
				t.Errorf("%s: %d, want 400", bad, res.Status)
			}
		}
	})
}
