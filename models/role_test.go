package models_test

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestRolesAndPermissions(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "66666666")
		b := newAccount(t, s, "66666667")
		ann := newUser(t, s, a.ID, "ann", true)
		bob := newUser(t, s, a.ID, "bob", false)
		zed := newUser(t, s, b.ID, "zed", false)

		roles, err := s.Roles.Of(ctx, a.ID)
		if err != nil || len(roles) != 3 {
			t.Fatalf("built-in roles: %v %v", roles, err)
		}
		want := map[string]int{"Company Admin": 9, "IT Admin": 6, "Billing Admin": 4}
		for _, r := range roles {
			if r.AccountID != nil || len(r.Permissions) != want[r.Name] {
				t.Errorf("%s has %d permissions, want %d", r.Name, len(r.Permissions), want[r.Name])
			}
		}
		billing, _ := s.Roles.Builtin(ctx, "billing_admin")
		custom := &models.Role{AccountID: &a.ID, Name: "Phones", CreatedAt: t0, UpdatedAt: t0}
		if err := s.Roles.Create(ctx, custom, []string{"phone.system", "audit.view"}); err != nil {
			t.Fatal(err)
		}
		dup := &models.Role{AccountID: &a.ID, Name: "PHONES", CreatedAt: t0, UpdatedAt: t0}
		if err := s.Roles.Create(ctx, dup, nil); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("duplicate name in one account: %v", err)
		}
		elsewhere := &models.Role{AccountID: &b.ID, Name: "Phones", CreatedAt: t0, UpdatedAt: t0}
		if err := s.Roles.Create(ctx, elsewhere, []string{"phone.system"}); err != nil {
			t.Fatalf("same name in another account: %v", err)
		}
		for _, ur := range []models.UserRole{{UserID: bob.ID, RoleID: billing.ID}, {UserID: bob.ID, RoleID: custom.ID}, {UserID: zed.ID, RoleID: billing.ID}} {
			ur.AssignedAt = t0
			if err := s.Roles.Assign(ctx, &ur); err != nil {
				t.Fatal(err)
			}
		}
		if err := s.Privileges.Grant(ctx, &models.UserPermission{UserID: bob.ID, Permission: "billing.info", GrantedAt: t0}); err != nil {
			t.Fatal(err)
		}
		perms, err := s.Privileges.Effective(ctx, bob.ID)
		if err != nil || strings.Join(perms, ",") != "account.info,audit.view,billing.changes,billing.info,billing.inquiries,phone.system" {
			t.Fatalf("effective: %v %v", perms, err)
		}
		principalPermissions := func(id int64) []string {
			t.Helper()
			p, err := s.Users.PrincipalByID(ctx, id, t0)
			if err != nil {
				t.Fatal(err)
			}
			return slices.Sorted(slices.Values(p.Permissions()))
		}
		if got := principalPermissions(bob.ID); !slices.Equal(got, perms) {
			t.Fatalf("a request's principal has %v, want %v", got, perms)
		}
		if got := principalPermissions(ann.ID); len(got) != 0 {
			t.Fatalf("Primary Admin's principal permissions: %v", got)
		}
		if perms, _ := s.Privileges.Effective(ctx, ann.ID); len(perms) != 0 {
			t.Fatalf("Primary Admin's stored permissions: %v", perms)
		}
		roles, _ = s.Roles.Of(ctx, a.ID)
		names, err := s.Roles.NamesOf(ctx, a.ID)
		if err != nil || len(names) != len(roles) {
			t.Fatalf("role names: %d of %d (%v)", len(names), len(roles), err)
		}
		for i := range names {
			if names[i].ID != roles[i].ID || names[i].Name != roles[i].Name || names[i].ID == elsewhere.ID {
				t.Fatalf("role names[%d] = %d %q, want %d %q", i, names[i].ID, names[i].Name, roles[i].ID, roles[i].Name)
			}
		}
		for _, r := range roles {
			if r.Name == "Billing Admin" && r.Members != 1 {
				t.Fatalf("member count crosses accounts: %d", r.Members)
			}
		}
		if _, err := s.Roles.InAccount(ctx, b.ID, custom.ID); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("another account's role visible: %v", err)
		}
		if err := s.Roles.Delete(ctx, a.ID, custom.ID); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("deleting a role with members: %v", err)
		}
		admins, err := s.Privileges.AdminsWithGrants(ctx, a.ID)
		if err != nil || len(admins) != 2 || admins[0].ID != ann.ID || len(admins[0].RoleIDs)+len(admins[0].Direct) != 0 ||
			!slices.Equal(admins[1].RoleIDs, []int64{billing.ID, custom.ID}) || !slices.Equal(admins[1].Direct, []string{"billing.info"}) {
			t.Fatalf("privileged users: %+v %v", admins, err)
		}
		if err := s.Privileges.RemoveAll(ctx, bob.ID); err != nil {
			t.Fatal(err)
		}
		if perms, _ := s.Privileges.Effective(ctx, bob.ID); len(perms) != 0 {
			t.Fatalf("after removing all: %v", perms)
		}
		if got := principalPermissions(bob.ID); len(got) != 0 {
			t.Fatalf("principal after removing all: %v", got)
		}
		if err := s.Roles.Delete(ctx, a.ID, custom.ID); err != nil {
			t.Fatalf("deleting an unused role: %v", err)
		}
	})
}

func TestTransfersKeepOnePrimaryAdmin(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, fixedNow)
		a := newAccount(t, s, "99999999")
		ann := newUser(t, s, a.ID, "ann", true)
		bob := newUser(t, s, a.ID, "bob", false)
		mk := func() *models.PrimaryTransfer {
			return &models.PrimaryTransfer{AccountID: a.ID, FromUserID: ann.ID, ToUserID: bob.ID, CreatedAt: t0, ExpiresAt: t0.Add(time.Hour)}
		}
		first := mk()
		if err := s.Transfers.Create(ctx, first); err != nil {
			t.Fatal(err)
		}
		if err := s.Transfers.Create(ctx, mk()); !errors.Is(err, models.ErrConflict) {
			t.Fatalf("second pending transfer: %v", err)
		}
		if err := s.Transfers.Decide(ctx, first.ID, models.TransferAccepted, t0.Add(2*time.Hour)); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("accepting an expired transfer: %v", err)
		}
		if err := s.Transfers.Decide(ctx, first.ID, models.TransferAccepted, t0); err != nil {
			t.Fatal(err)
		}
		if err := s.Transfers.Decide(ctx, first.ID, models.TransferAccepted, t0); !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("deciding twice: %v", err)
		}
		err := s.InTx(ctx, func(tx *models.Store) error { return tx.Transfers.SetPrimaryAdmin(ctx, a.ID, ann.ID, bob.ID, t0) })
		if err != nil {
			t.Fatal(err)
		}
		err = s.InTx(ctx, func(tx *models.Store) error { return tx.Transfers.SetPrimaryAdmin(ctx, a.ID, ann.ID, bob.ID, t0) })
		if !errors.Is(err, models.ErrNotFound) {
			t.Fatalf("moving a flag the user no longer has: %v", err)
		}
		if pa, err := s.Users.PrimaryAdminOf(ctx, a.ID); err != nil || pa.ID != bob.ID {
			t.Fatalf("primary admin: %+v %v", pa, err)
		}
		if err := s.Transfers.Create(ctx, mk()); err != nil {
			t.Fatalf("new transfer after a decided one: %v", err)
		}
	})
}
