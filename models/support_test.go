package models_test

import (
	"context"
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestStaffAccountIsOneAndApart(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		if _, err := s.Accounts.Staff(ctx); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("staff account before any: %v", err)
		}
		customer := newAccount(t, s, "71000001")
		if customer.Kind != models.KindCustomer {
			t.Fatalf("new account kind %q", customer.Kind)
		}
		// Operators adding the first agents at once share one account.
		var wg sync.WaitGroup
		ids := make([]int64, 4)
		for i := range ids {
			wg.Go(func() {
				a, err := s.Accounts.EnsureStaff(ctx, &models.Account{Number: "00000000", Name: "Acme Ltd",
					PasswordPreset: "nist", MFAPolicy: models.MFAEveryone}, t0)
				if err != nil {
					t.Error(err)
					return
				}
				ids[i] = a.ID
			})
		}
		wg.Wait()
		for _, id := range ids {
			if id != ids[0] || id == 0 {
				t.Fatalf("staff account ids %v", ids)
			}
		}
		second := &models.Account{Number: "00000001", Name: "Desk two", PasswordPreset: "nist", MFAPolicy: models.MFAOff, Kind: models.KindStaff}
		if err := s.Accounts.Create(ctx, second); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("a second staff account: %v", err)
		}
		// Both are named "Acme Ltd": searches by name find the customer only.
		found, err := s.Accounts.ByName(ctx, "acme ltd")
		if err != nil || len(found) != 1 || found[0].ID != customer.ID {
			t.Fatalf("by name: %v %+v", err, found)
		}
	})
}

func TestSupportEvents(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "71000001")
		bill, ada := newUser(t, s, a.ID, "bill", false), newUser(t, s, a.ID, "ada", true)
		add := func(action string, target *models.User) int64 {
			e := &models.AuditEvent{At: t0, AccountID: &a.ID, Action: action, TargetID: &target.ID, TargetName: target.DisplayName}
			if err := s.Audit.Append(ctx, e); err != nil {
				t.Fatal(err)
			}
			return e.ID
		}
		first := add("support.verified", bill)
		add("support.mismatch", ada)
		add("support_code.issued", bill) // not a verification
		add("supportXmismatch", bill)    // "." is no wildcard
		last := add("support.locked", bill)
		facts, err := s.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: bill.ID, AccountID: a.ID, Now: t0, SupportEvents: 10})
		if got := facts.SupportEvents; err != nil || len(got) != 2 || got[0].ID != last || got[1].ID != first {
			t.Fatalf("bill's verifications: %v %v", err, idsOf(got))
		}
		facts, err = s.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: bill.ID, AccountID: a.ID, Now: t0, SupportEvents: 1})
		if got := facts.SupportEvents; err != nil || len(got) != 1 || got[0].ID != last || !got[0].At.Equal(t0) || got[0].TargetName != bill.DisplayName {
			t.Fatalf("bill's newest verification: %v %+v", err, got)
		}
		// Another account's id finds nothing of bill's.
		other := newAccount(t, s, "71000002")
		facts, err = s.Users.ProfileFacts(ctx, models.ProfileAsk{UserID: bill.ID, AccountID: other.ID, Now: t0, SupportEvents: 10})
		if err != nil || len(facts.SupportEvents) != 0 {
			t.Fatalf("another account's verifications of bill: %v %v", err, idsOf(facts.SupportEvents))
		}
		page, err := s.Audit.Page(ctx, models.AuditFilter{AccountID: a.ID, ActionPrefix: models.SupportEventPrefix}, 0, 0, 10)
		if err != nil || len(page) != 3 {
			t.Fatalf("prefix filter: %v, %d events", err, len(page))
		}
		// The user's own % and _ match only themselves.
		page, err = s.Audit.Page(ctx, models.AuditFilter{AccountID: a.ID, ActionPrefix: "support_"}, 0, 0, 10)
		if err != nil || len(page) != 1 || page[0].Action != "support_code.issued" {
			t.Fatalf("escaped prefix: %v %+v", err, page)
		}
	})
}

func TestPrincipalUserByID(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "71000001")
		ada, bob := newUser(t, s, a.ID, "ada", true), newUser(t, s, a.ID, "bob", false)
		idle := 45
		if err := s.Accounts.SetSecurity(ctx, a.ID, models.AccountSecurity{PasswordPreset: a.PasswordPreset,
			MFAPolicy: a.MFAPolicy, SessionIdleMinutes: &idle}, t0); err != nil {
			t.Fatal(err)
		}
		check := func(what string, id int64, at time.Time, passphrase, offered bool) {
			t.Helper()
			p, err := s.Users.PrincipalByID(ctx, id, at)
			if err != nil || p.HasPassphrase != passphrase || p.TransferOffered != offered || p.ID != id {
				t.Fatalf("%s: %v %+v", what, err, p)
			}
			if p.Account.ID != a.ID || p.Account.Number != a.Number || p.Account.Kind != models.KindCustomer ||
				p.Account.MFAPolicy != a.MFAPolicy || p.Account.SessionIdleMinutes == nil || *p.Account.SessionIdleMinutes != 45 {
				t.Fatalf("%s: account %+v", what, p.Account)
			}
		}
		check("plain", bob.ID, t0, false, false)
		if err := s.Secrets.Put(ctx, &models.Secret{UserID: bob.ID, Kind: models.SecretPassphrase, KeyID: 1,
			Nonce: []byte("n"), Ciphertext: []byte("c"), UpdatedAt: t0}); err != nil {
			t.Fatal(err)
		}
		if err := s.Transfers.Create(ctx, &models.PrimaryTransfer{AccountID: a.ID, FromUserID: ada.ID, ToUserID: bob.ID,
			CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}); err != nil {
			t.Fatal(err)
		}
		check("offered", bob.ID, t0.Add(time.Minute), true, true)
		check("the offer expired", bob.ID, t0.Add(2*time.Hour), true, false)
		check("the one who offered", ada.ID, t0, false, false)
		if _, err := s.Users.PrincipalByID(ctx, 999999, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("unknown id: %v", err)
		}
	})
}

func TestAdminsOfAndEffectivePermissionsOf(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "71000001")
		ada, bob, cleo, pat := newUser(t, s, a.ID, "ada", true), newUser(t, s, a.ID, "bob", false),
			newUser(t, s, a.ID, "cleo", false), newUser(t, s, a.ID, "pat", false)
		role := &models.Role{AccountID: &a.ID, Name: "Phones", CreatedAt: t0, UpdatedAt: t0}
		if err := s.Roles.Create(ctx, role, []string{"phone.system", "billing.info"}); err != nil {
			t.Fatal(err)
		}
		if err := s.Roles.Assign(ctx, &models.UserRole{UserID: cleo.ID, RoleID: role.ID, AssignedAt: t0}); err != nil {
			t.Fatal(err)
		}
		for _, p := range []string{"billing.info", "audit.view"} {
			if err := s.Privileges.Grant(ctx, &models.UserPermission{UserID: bob.ID, Permission: p, GrantedAt: t0}); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Privileges.Grant(ctx, &models.UserPermission{UserID: cleo.ID, Permission: "billing.info", GrantedAt: t0}); err != nil {
			t.Fatal(err)
		}
		admins, err := s.Privileges.Admins(ctx, a.ID)
		if err != nil {
			t.Fatal(err)
		}
		var names []string
		for _, u := range admins {
			names = append(names, u.Username)
		}
		if strings.Join(names, ",") != "ada,bob,cleo" {
			t.Fatalf("admins %v", names)
		}
		got, err := s.Privileges.EffectiveOf(ctx, []int64{ada.ID, bob.ID, cleo.ID, pat.ID})
		if err != nil {
			t.Fatal(err)
		}
		want := map[int64]string{bob.ID: "audit.view,billing.info", cleo.ID: "billing.info,phone.system"}
		if len(got) != len(want) {
			t.Fatalf("permissions of %d users: %v", len(got), got)
		}
		for id, w := range want {
			if strings.Join(got[id], ",") != w {
				t.Errorf("user %d: %v, want %s", id, got[id], w)
			}
		}
	})
}
