package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
	"accountportal/views/viewmodel"
)

// TestOperatorAccountPage: the account page shows the account's state,
// users, admins with where their areas come from and only whether each
// has a passphrase, its policies, last activity, and the actions its
// status allows.
func TestOperatorAccountPage(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		k := newConsole(t, d)
		a, pa := k.e.AddAccount("20000010", "Vandelay Industries", "vera", deskPassword)
		k.e.SetPassphrase(pa.ID, "purple elephant sunrise")
		sec := k.e.AddUser(a.ID, "sid", deskPassword, models.StatusActive)
		k.e.GiveRole(sec.ID, "company_admin")
		k.e.Grant(sec.ID, identity.PermBillingInquiries)
		k.e.SetPassphrase(sec.ID, "quiet meadow lantern")
		nop := k.e.AddUser(a.ID, "nora", deskPassword, models.StatusSuspended)
		k.e.Grant(nop.ID, identity.PermBillingInquiries)
		k.e.AddUser(a.ID, "ulla", deskPassword, models.StatusActive)
		k.e.SetMFAPolicy(a.ID, models.MFAAdmins)
		signedIn := k.e.Clock.Now().Add(-2 * time.Hour)
		if err := k.e.Store().Users.RecordSignIn(context.Background(), sec.ID, signedIn, ""); err != nil {
			t.Fatal(err)
		}

		res := k.ops.Get("/operator/accounts/" + apptest.Itoa(a.ID))
		if res.Status != http.StatusOK {
			t.Fatalf("account page: %d", res.Status)
		}
		text := func(id string) string {
			return strings.Join(strings.Fields(res.Doc.Find("[data-testid="+id+"]").Text()), " ")
		}
		for id, want := range map[string]string{"operator-account-name": "Vandelay Industries", "account-number": "20000010",
			"account-status": "Active", "account-users-total": "4", "account-mfa": "Required for admins", "account-preset": "Classic",
			"account-last-sign-in": viewmodel.At(signedIn, k.e.Clock.Now()).Short} {
			if got := text(id); got != want {
				t.Errorf("%s: %q, want %q", id, got, want)
			}
		}
		if got := text("account-users-by-status"); !strings.Contains(got, "active: 3") || !strings.Contains(got, "suspended: 1") {
			t.Errorf("users by status: %q", got)
		}
		if got := text("account-last-activity"); !strings.Contains(got, "a user signed in") {
			t.Errorf("last activity: %q", got)
		}
		admins := map[string][3]string{}
		res.Doc.Find("[data-testid=admin-row]").Each(func(_ int, s *goquery.Selection) {
			admins[s.Find("[data-testid=admin-name]").Text()] = [3]string{
				strings.Join(strings.Fields(s.Find("[data-testid=admin-areas]").Text()), " "),
				strings.TrimSpace(s.Find("[data-testid=admin-passphrase]").Text()),
				s.Find("[data-testid=admin-primary]").Text()}
		})
		if len(admins) != 3 {
			t.Fatalf("admins: %v", admins)
		}
		if got := admins["User vera"]; got != [3]string{"Every area", "Yes", "Primary Admin"} {
			t.Errorf("Primary Admin: %v", got)
		}
		billing := identity.PermissionLabel(identity.PermBillingInquiries)
		if got := admins["User sid"]; !strings.Contains(got[0], "Granted directly: "+billing) || !strings.Contains(got[0], "Role Company Admin:") ||
			got[1] != "Yes" || got[2] != "" {
			t.Errorf("Secondary Admin: %v", got)
		}
		if got := admins["User nora"]; got[0] != "Granted directly: "+billing || got[1] != "No" {
			t.Errorf("admin without passphrase: %v", got)
		}
		if strings.Contains(res.Body, "purple elephant") || strings.Contains(res.Body, "quiet meadow") {
			t.Fatal("the account page shows a passphrase")
		}
		if got := actionsOf(res); !slices.Equal(got, []string{"/suspend", "/primary-admin", "/close"}) {
			t.Errorf("active account's actions: %v", got)
		}
		if res.Doc.Find("[data-testid=account-invitation]").Length() != 0 {
			t.Error("an active account shows an invitation")
		}
	})
}

func actionsOf(res *apptest.Response) []string {
	out := []string{}
	res.Doc.Find("[data-testid=account-action]").Each(func(_ int, s *goquery.Selection) {
		href, _ := s.Attr("href")
		out = append(out, href[strings.LastIndex(href, "/"):])
	})
	return out
}

// TestOperatorAccountPageByStatus: a pending account shows its open
// invitation and "Waiting for the Primary Admin"; a suspended or closed
// one its reason and since when; each offers only the actions its status
// allows.
func TestOperatorAccountPageByStatus(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		k := newConsole(t, d)
		ctx := context.Background()
		now := k.e.Clock.Now()
		pending := k.account(t, "20000020", "Pending Co", models.AccountPending, now.Add(-time.Hour))
		pa := k.e.AddUser(pending.ID, "penny", deskPassword, models.StatusInvited)
		if err := k.e.Store().Transfers.MakePrimaryAdmin(ctx, pa.ID); err != nil {
			t.Fatal(err)
		}
		sent := now.Add(-30 * time.Minute).UTC()
		tok := &models.Token{UserID: pa.ID, Purpose: models.PurposeInvitation, SHA256: []byte("invitation-digest-0000000000000"),
			CreatedAt: sent, SentAt: &sent, ExpiresAt: sent.Add(72 * time.Hour)}
		if err := k.e.Store().Tokens.Create(ctx, tok); err != nil {
			t.Fatal(err)
		}
		res := k.ops.Get("/operator/accounts/" + apptest.Itoa(pending.ID))
		if got := strings.TrimSpace(res.Doc.Find("[data-testid=account-status]").Text()); got != "Waiting for the Primary Admin" {
			t.Errorf("pending status: %q", got)
		}
		inv := res.Doc.Find("[data-testid=account-invitation]")
		// Dates as the tables show them, in full in the title.
		if inv.Find("[data-testid=invitation-sent] time").Text() != viewmodel.At(sent, now).Short ||
			inv.Find("[data-testid=invitation-expires] time").AttrOr("title", "") != viewmodel.At(sent.Add(72*time.Hour), now).Full ||
			inv.Find("[data-testid=invitation-expired]").Length() != 0 {
			t.Errorf("invitation: %q", strings.Join(strings.Fields(inv.Text()), " "))
		}
		if got := actionsOf(res); !slices.Equal(got, []string{"/invitation", "/close"}) {
			t.Errorf("pending account's actions: %v", got)
		}
		if _, err := k.e.Store().Tokens.Void(ctx, pa.ID, "test", now, 0); err != nil {
			t.Fatal(err)
		}
		if res := k.ops.Get("/operator/accounts/" + apptest.Itoa(pending.ID)); res.Doc.Find("[data-testid=account-invitation]").Length() != 0 {
			t.Error("a voided invitation is shown as open")
		}
		late := now.Add(-80 * time.Hour).UTC()
		tok = &models.Token{UserID: pa.ID, Purpose: models.PurposeInvitation, SHA256: []byte("invitation-digest-1111111111111"),
			CreatedAt: late, SentAt: &late, ExpiresAt: late.Add(72 * time.Hour)}
		if err := k.e.Store().Tokens.Create(ctx, tok); err != nil {
			t.Fatal(err)
		}
		if res := k.ops.Get("/operator/accounts/" + apptest.Itoa(pending.ID)); res.Doc.Find("[data-testid=invitation-expired]").Length() != 1 {
			t.Error("an expired invitation is not marked expired")
		}

		for _, c := range []struct {
			number, status string
			actions        []string
		}{
			{"20000031", models.AccountSuspended, []string{"/reactivate", "/close"}},
			{"20000032", models.AccountClosed, []string{}},
		} {
			a := k.account(t, c.number, "Gone "+c.status, c.status, now.Add(-5*time.Hour))
			res := k.ops.Get("/operator/accounts/" + apptest.Itoa(a.ID))
			if got := res.Doc.Find("[data-testid=account-status-reason]").Text(); got != "Reason: Unpaid invoices since March" {
				t.Errorf("%s reason: %q", c.status, got)
			}
			if got := strings.Join(strings.Fields(res.Doc.Find("[data-testid=account-status-since]").Text()), " "); got != "since "+viewmodel.At(*a.StatusChangedAt, now).Short {
				t.Errorf("%s since: %q", c.status, got)
			}
			if got := actionsOf(res); !slices.Equal(got, c.actions) {
				t.Errorf("%s actions: %v, want %v", c.status, got, c.actions)
			}
			if got := res.Doc.Find("[data-testid=admin-row]").Length(); got != 0 || res.Doc.Find("[data-testid=no-admins]").Length() != 1 {
				t.Errorf("%s: %d admins shown", c.status, got)
			}
		}
		active := k.e.User("ada").AccountID
		if res := k.ops.Get("/operator/accounts/" + apptest.Itoa(active)); res.Doc.Find("[data-testid=account-status-reason]").Length() != 0 {
			t.Error("an active account shows a status reason")
		}
	})
}

// TestOperatorAccountPageRefusals: ids that are no customer account are
// 404 to an operator; agents and customers are refused the page.
func TestOperatorAccountPageRefusals(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		k := newConsole(t, d)
		staff, err := k.e.Store().Accounts.Staff(context.Background())
		if err != nil {
			t.Fatal(err)
		}
		customer := apptest.Itoa(k.e.User("ada").AccountID)
		for _, id := range []string{"999999", apptest.Itoa(staff.ID), "abc", "1e3", "-1", "0", "99999999999999999999", customer + "x", "%00"} {
			if res := k.ops.Get("/operator/accounts/" + id); res.Status != http.StatusNotFound {
				t.Errorf("/operator/accounts/%s: %d, want 404", id, res.Status)
			}
		}
		if res := k.ops.Get("/operator/accounts/" + customer); res.Status != http.StatusOK {
			t.Fatalf("customer account: %d", res.Status)
		}
		k.e.AddAgent("Sam Support", "sam@desk.example", deskPassword)
		agent := k.e.Client()
		agent.SignInEnrolling("sam@desk.example", deskPassword, k.e.Clock)
		admin := k.e.Client()
		admin.SignIn(k.admin.Username, k.admin.Password)
		for name, c := range map[string]*apptest.Client{"agent": agent, "Primary Admin": admin} {
			for _, path := range []string{"/operator", "/operator/accounts/" + customer} {
				if res := c.Get(path); res.Status != http.StatusForbidden {
					t.Errorf("%s on %s: %d, want 403", name, path, res.Status)
				}
			}
		}
	})
}
