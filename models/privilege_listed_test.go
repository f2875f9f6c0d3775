package models_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

// Of and ListedOf return each user's role names and direct areas, sorted;
// ListedOf also names the listed user the account's pending, unexpired
// transfer is offered to (no one once it expired or when the user is not
// among those asked about) and, when asked, their effective permissions.
func TestPrivilegesOfListedUsers(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "71000002")
		b := newAccount(t, s, "71000003")
		ada, bob, cleo, pat := newUser(t, s, a.ID, "ada", true), newUser(t, s, a.ID, "bob", false),
			newUser(t, s, a.ID, "cleo", false), newUser(t, s, a.ID, "pat", false)
		must := func(err error) {
			t.Helper()
			if err != nil {
				t.Fatal(err)
			}
		}
		for _, name := range []string{"Phones", "Billing"} {
			role := &models.Role{AccountID: &a.ID, Name: name, CreatedAt: t0, UpdatedAt: t0}
			must(s.Roles.Create(ctx, role, []string{"phone.system"}))
			must(s.Roles.Assign(ctx, &models.UserRole{UserID: cleo.ID, RoleID: role.ID, AssignedAt: t0}))
		}
		for _, p := range []string{"billing.info", "audit.view"} {
			must(s.Privileges.Grant(ctx, &models.UserPermission{UserID: bob.ID, Permission: p, GrantedAt: t0}))
		}
		must(s.Privileges.Grant(ctx, &models.UserPermission{UserID: cleo.ID, Permission: "billing.info", GrantedAt: t0}))
		must(s.Transfers.Create(ctx, &models.PrimaryTransfer{AccountID: a.ID, FromUserID: ada.ID, ToUserID: pat.ID,
			CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}))
		all := []int64{ada.ID, bob.ID, cleo.ID, pat.ID}
		listed := func(acct int64, now time.Time) models.ListedAsk {
			return models.ListedAsk{AccountID: acct, Now: now}
		}
		join := func(m map[int64][]string) map[int64]string {
			out := map[int64]string{}
			for id, v := range m {
				out[id] = strings.Join(v, ",")
			}
			return out
		}
		wantRoles := map[int64]string{cleo.ID: "Billing,Phones"}
		wantAreas := map[int64]string{bob.ID: "audit.view,billing.info", cleo.ID: "billing.info"}
		tests := []struct {
			name    string
			read    func() (models.Privileges, error)
			offered int64
		}{
			{"Of", func() (models.Privileges, error) { return s.Privileges.Of(ctx, all) }, 0},
			{"ListedOf", func() (models.Privileges, error) { return s.Privileges.ListedOf(ctx, listed(a.ID, t0), all) }, pat.ID},
			{"ListedOf, the offer expired", func() (models.Privileges, error) {
				return s.Privileges.ListedOf(ctx, listed(a.ID, t0.Add(time.Hour)), all)
			}, 0},
			{"ListedOf, another account", func() (models.Privileges, error) { return s.Privileges.ListedOf(ctx, listed(b.ID, t0), all) }, 0},
		}
		for _, tc := range tests {
			got, err := tc.read()
			if err != nil {
				t.Fatalf("%s: %v", tc.name, err)
			}
			roles, areas := join(got.Roles), join(got.Areas)
			if len(roles) != len(wantRoles) || roles[cleo.ID] != wantRoles[cleo.ID] {
				t.Errorf("%s: roles %v, want %v", tc.name, roles, wantRoles)
			}
			if len(areas) != len(wantAreas) || areas[bob.ID] != wantAreas[bob.ID] || areas[cleo.ID] != wantAreas[cleo.ID] {
				t.Errorf("%s: areas %v, want %v", tc.name, areas, wantAreas)
			}
			if got.OfferedTo != tc.offered {
				t.Errorf("%s: offered to %d, want %d", tc.name, got.OfferedTo, tc.offered)
			}
		}
		// Effective permissions, when asked, are EffectiveOf's: each once,
		// sorted, whether direct or through one role or two.
		eff, err := s.Privileges.ListedOf(ctx, models.ListedAsk{AccountID: a.ID, Now: t0, Effective: true}, all)
		must(err)
		want, err := s.Privileges.EffectiveOf(ctx, all)
		must(err)
		if got, w := join(eff.Effective), join(want); len(got) != 2 || len(got) != len(w) ||
			got[bob.ID] != w[bob.ID] || got[cleo.ID] != "billing.info,phone.system" || got[cleo.ID] != w[cleo.ID] {
			t.Errorf("effective %v, want %v", got, w)
		}
		if got, err := s.Privileges.ListedOf(ctx, listed(a.ID, t0), []int64{ada.ID, bob.ID}); err != nil || got.OfferedTo != 0 {
			t.Errorf("the offered user not listed: %d %v", got.OfferedTo, err)
		}
		if got, err := s.Privileges.ListedOf(ctx, listed(a.ID, t0), nil); err != nil || len(got.Roles)+len(got.Areas) != 0 {
			t.Errorf("no users: %+v %v", got, err)
		}
		// Locked keys: those asked about whose lock lasts beyond Now; a key
		// locked until Now exactly is free, as Limiter.LockedUntil sees it.
		lock := models.ThrottleLimit{Window: time.Hour, Max: 1, Lock: time.Minute}
		for _, k := range []string{"locked", "other-locked"} {
			_, err := s.Throttles.Take(ctx, k, t0, lock)
			must(err)
		}
		_, err = s.Throttles.Take(ctx, "ended", t0.Add(-time.Minute), lock)
		must(err)
		ask := models.ListedAsk{AccountID: a.ID, Now: t0, LockedKeys: []string{"locked", "ended", "never"}}
		got, err := s.Privileges.ListedOf(ctx, ask, all)
		must(err)
		if len(got.Locked) != 1 || !got.Locked["locked"] || got.OfferedTo != pat.ID || join(got.Roles)[cleo.ID] != wantRoles[cleo.ID] {
			t.Errorf("locked keys %v (offered to %d, roles %v)", got.Locked, got.OfferedTo, got.Roles)
		}
	})
}
