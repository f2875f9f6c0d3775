package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/support"
	"accountportal/models"
)

func TestSupportChecksAreSeenByCallerAndAuditors(t *testing.T) {
	k := newDesk(t, models.SQLite)
	k.verify("bill", identity.PermBillingChanges, billPassphrase, "")
	k.verify("bill", identity.PermPhoneSystem, "wrong phrase here", "")
	bill := k.e.Client()
	bill.SignIn("bill", deskPassword)
	rows := texts(bill.Get("/profile"), "[data-testid=verification-row]")
	if len(rows) != 2 || !strings.Contains(rows[0], "passphrase or code did not match") || !strings.Contains(rows[1], "Billing changes") ||
		!strings.Contains(rows[1], "Sam Support") {
		t.Fatalf("My Profile rows %q", rows)
	}
	// When, in the tables' short form, in full in the title.
	bill.Get("/profile").Doc.Find("[data-testid=verification-row] td:first-child").Each(func(_ int, td *goquery.Selection) {
		if when := td.Find("time"); when.Length() != 1 || strings.Contains(when.Text(), "UTC") || !strings.HasSuffix(when.AttrOr("title", ""), "UTC") {
			t.Errorf("when: %q", td.Text())
		}
	})
	ada := k.e.Client()
	ada.SignIn("ada", k.admin.Password)
	all := ada.Get("/admin/audit?view=support")
	if all.Status != http.StatusOK || all.Doc.Find("[data-testid=audit-table] [data-testid=audit-row]").Length() != 2 {
		t.Fatalf("support view: %d, %d rows", all.Status, all.Doc.Find("[data-testid=audit-table] [data-testid=audit-row]").Length())
	}
	mism := ada.Get("/admin/audit?view=support&action=support.mismatch")
	if n := mism.Doc.Find("[data-testid=audit-table] [data-testid=audit-row]").Length(); n != 1 {
		t.Fatalf("mismatches: %d rows", n)
	}
	row := mism.Doc.Find("[data-testid=audit-table] [data-testid=audit-row]")
	if got := row.Find("[data-testid=audit-sentence]").Text(); got != "Support agent Sam Support could not verify User bill: the passphrase or code did not match" {
		t.Errorf("mismatch sentence %q", got)
	}
	if got := auditDetails(row); !slices.Contains(got, "Proof: passphrase") {
		t.Errorf("mismatch details %q", got)
	}
	if opts := mism.Doc.Find("select#action option").Length(); opts != len(support.Outcomes())+1 {
		t.Fatalf("outcome filter has %d options", opts)
	}
}

// TestSupportNeverShowsPassphrase scans every page the agent saw, the
// portal's log at debug level, the audit log and the outbox for the
// passphrase.
func TestSupportNeverShowsPassphrase(t *testing.T) {
	k := newDesk(t, models.SQLite)
	var bodies []string
	see := func(res *apptest.Response) { bodies = append(bodies, res.Body) }
	see(k.agent.Get("/support"))
	see(k.agent.Get(k.consolePath()))
	see(k.agent.Get(k.consolePath() + "?username=bill"))
	for _, area := range []string{identity.PermBillingChanges, identity.PermPhoneSystem} {
		see(k.verify("bill", area, billPassphrase, ""))
	}
	for range 6 {
		see(k.verify("bill", identity.PermBillingChanges, billPassphrase+"x", ""))
	}
	k.e.Drain()
	events, err := k.e.Store().Audit.Page(context.Background(), models.AuditFilter{AccountID: k.account.ID}, 0, 0, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		bodies = append(bodies, ev.Action+ev.ActorName+ev.TargetName+ev.Details)
	}
	for _, m := range k.e.Outbox() {
		bodies = append(bodies, m.Subject+m.TextBody+m.HTMLBody)
	}
	logged := k.log.String()
	bodies = append(bodies, logged)
	for i, b := range bodies {
		if strings.Contains(strings.ToLower(b), "copper kettle") {
			t.Fatalf("the passphrase appears in item %d:\n%s", i, b)
		}
	}
	if len(events) < 8 || !strings.Contains(logged, "/support/accounts/:id/verify") {
		t.Fatalf("scanned %d events and %d bytes of log: too little to mean anything", len(events), len(logged))
	}
}
