package admin

import (
	"strings"
	"testing"

	"accountportal/app/identity"
	"accountportal/models"
)

// A token's principal is never the Primary Admin, even when the Primary
// Admin owns the token: Can answers by the token's permissions alone, and
// mayActOn refuses the Primary Admin (the owner included), the transfer's
// target and anyone holding more than the token.
func TestTokenPrincipalIsNeverThePrimaryAdmin(t *testing.T) {
	acct := &models.Account{ID: 1, Status: models.AccountActive}
	pa := &models.User{ID: 10, AccountID: 1, IsPrimaryAdmin: true, Status: models.StatusActive}
	owner := &identity.Principal{User: pa, Account: acct, Permissions: map[string]bool{}}
	tok := &models.APIToken{Permissions: identity.PermUsersManage + " " + identity.PermAuditView}
	effective, paused := effectiveOf(tok, owner)
	if len(effective) != 2 || len(paused) != 0 {
		t.Fatalf("effective %v paused %v", effective, paused)
	}
	p := tokenPrincipal(owner, "CRM", effective)
	// The Primary Admin adopted it from its creator, who may still hold
	// its secret.
	creator := &models.User{ID: 14, AccountID: 1}
	p.APITokenCreatorID = creator.ID
	switch {
	case p.User.IsPrimaryAdmin || !pa.IsPrimaryAdmin:
		t.Fatal("the principal shares or keeps the Primary Admin's standing")
	case !p.Can(identity.PermUsersManage) || p.Can(identity.PermRolesManage) || p.Can(identity.PermSecurityManage):
		t.Fatalf("Can: %v", p.Permissions)
	}
	plain := &models.User{ID: 11, AccountID: 1}
	higher := &models.User{ID: 12, AccountID: 1}
	other := &models.User{ID: 13, AccountID: 2}
	cases := []struct {
		name string
		u    *models.User
		st   standing
		want string
	}{
		{"a plain user", plain, standing{}, ""},
		{"within the token", plain, standing{perms: []string{identity.PermAuditView}}, ""},
		{"a higher admin", higher, standing{perms: []string{identity.PermRolesManage}}, "they hold privileges you do not: View and create roles"},
		{"the Primary Admin, its owner", pa, standing{}, refuseTokenOwn},
		{"its creator, holding nothing now", creator, standing{}, refuseTokenOwn},
		{"the transfer's target", plain, standing{offered: true}, refuseTokenOffered},
		{"another account's user", other, standing{}, refuseOtherAccount},
	}
	for _, c := range cases {
		if got := mayActOn(p, c.u, c.st); got != c.want {
			t.Errorf("%s: %q, want %q", c.name, got, c.want)
		}
	}
	// The same owner acting in person may do all of it but the last.
	if got := mayActOn(owner, higher, standing{perms: []string{identity.PermRolesManage}}); got != "" {
		t.Errorf("the Primary Admin in person: %q", got)
	}

	// A Secondary Admin's token acts on its owner only as on anyone.
	sam := &models.User{ID: 20, AccountID: 1, Status: models.StatusActive}
	samP := &identity.Principal{User: sam, Account: acct, Permissions: map[string]bool{identity.PermUsersManage: true, identity.PermAuditView: true}}
	eff, _ := effectiveOf(&models.APIToken{Permissions: identity.PermUsersManage}, samP)
	samTok := tokenPrincipal(samP, "sync", eff)
	if got := mayActOn(samTok, sam, standing{perms: []string{identity.PermUsersManage, identity.PermAuditView}}); got != refuseTokenOwn {
		t.Errorf("a token acting on its owner: %q", got)
	}
	if got := mayActOn(samTok, pa, standing{}); got != refuseTokenPrimary {
		t.Errorf("a Secondary Admin's token acting on the Primary Admin: %q", got)
	}
	// When the owner loses a privilege, the token loses it too.
	delete(samP.Permissions, identity.PermUsersManage)
	if eff, paused := effectiveOf(&models.APIToken{Permissions: identity.PermUsersManage}, samP); len(eff) != 0 || len(paused) != 1 {
		t.Errorf("after the owner lost it: %v %v", eff, paused)
	}
	sam.Status = models.StatusSuspended
	samP.Permissions[identity.PermAuditView] = true
	if eff, _ := effectiveOf(&models.APIToken{Permissions: identity.PermAuditView}, samP); len(eff) != 0 {
		t.Errorf("a deactivated owner's token acts with %v", eff)
	}
}

// A token's permissions pause when the owner stops holding what gives
// them: reading users and resetting second factors come with managing
// users, the rest with themselves.
func TestEffectivePermissionsFollowTheOwner(t *testing.T) {
	acct := &models.Account{ID: 1, Status: models.AccountActive}
	all := identity.PermUsersRead + " " + identity.PermUsersManage + " " + identity.PermUsersMFAReset + " " + identity.PermAuditView
	cases := []struct {
		name            string
		primary         bool
		status          string
		holds           []string
		effective, paus string
	}{
		{"Primary Admin", true, models.StatusActive, nil, all, ""},
		{"manages users", false, models.StatusActive, []string{identity.PermUsersManage},
			identity.PermUsersRead + " " + identity.PermUsersManage + " " + identity.PermUsersMFAReset, identity.PermAuditView},
		{"audit only", false, models.StatusActive, []string{identity.PermAuditView},
			identity.PermAuditView, identity.PermUsersRead + " " + identity.PermUsersManage + " " + identity.PermUsersMFAReset},
		{"deactivated", true, models.StatusSuspended, nil, "", all},
	}
	for _, tc := range cases {
		owner := &identity.Principal{User: &models.User{ID: 1, AccountID: 1, IsPrimaryAdmin: tc.primary, Status: tc.status},
			Account: acct, Permissions: map[string]bool{}}
		for _, p := range tc.holds {
			owner.Permissions[p] = true
		}
		effective, paused := effectiveOf(&models.APIToken{Permissions: all}, owner)
		if got := strings.Join(effective, " "); got != tc.effective {
			t.Errorf("%s: effective %q, want %q", tc.name, got, tc.effective)
		}
		if got := strings.Join(paused, " "); got != tc.paus {
			t.Errorf("%s: paused %q, want %q", tc.name, got, tc.paus)
		}
	}
}
