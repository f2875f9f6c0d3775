package admin

import (
	"context"
	"errors"
	"maps"
	"strings"

	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
)

// ErrTokenRefused is wrapped by every reason a bearer token does not
// authenticate (unknown, revoked, expired): the API answers 401.
var ErrTokenRefused = errors.New("api token refused")

// TokenRefusal says why a token was refused, in words the API shows.
type TokenRefusal struct{ Detail string }

func (e *TokenRefusal) Error() string { return e.Detail }

// Unwrap makes every refusal an ErrTokenRefused.
func (e *TokenRefusal) Unwrap() error { return ErrTokenRefused }

// TokenActor is who a presented token acts as.
type TokenActor struct {
	Token models.APIToken
	// Principal acts for the token: a copy of its owner that is never the
	// Primary Admin, holding exactly the token's effective permissions. Nil
	// when the whole token is paused (PausedWhy says why).
	Principal *identity.Principal
	// Paused lists the token's permissions its owner no longer holds.
	Paused    []string
	PausedWhy string
}

// Holds reports whether the token acts with perm now; reading users
// comes with managing them.
func (a *TokenActor) Holds(perm string) bool {
	if a.Principal == nil {
		return false
	}
	if perm == identity.PermUsersRead {
		return a.Principal.Permissions[identity.PermUsersRead] || a.Principal.Permissions[identity.PermUsersManage]
	}
	return a.Principal.Permissions[perm]
}

// HoldsOnToken reports whether the token was given perm, working or paused.
func (a *TokenActor) HoldsOnToken(perm string) bool {
	for _, p := range a.Token.Perms() {
		if p == perm || (perm == identity.PermUsersRead && p == identity.PermUsersManage) {
			return true
		}
	}
	return false
}

// Reader returns the principal the users console's read methods are
// called with for a token that may read users: the console has no
// read-only privilege, so it holds "Manage users" for them. Only read
// methods may be called with it.
func (a *TokenActor) Reader() *identity.Principal {
	p := *a.Principal
	p.Permissions = maps.Clone(p.Permissions)
	p.Permissions[identity.PermUsersManage] = true
	return &p
}

// Authenticate finds the token whose secret is presented, records its use
// from ip (at most once a minute) and returns who it acts as. Unknown,
// revoked and expired tokens are TokenRefusal errors; a token of a
// suspended or closed account is refused the same way.
func (s *APITokens) Authenticate(ctx context.Context, secret, ip string) (*TokenActor, error) {
	if !strings.HasPrefix(secret, APITokenPrefix) || len(secret) > 200 {
		return nil, &TokenRefusal{"The token is not valid."}
	}
	t, err := s.store.APITokens.ByDigest(ctx, security.Digest(secret))
	if errors.Is(err, models.ErrNotFound) {
		return nil, &TokenRefusal{"The token is not valid."}
	}
	if err != nil {
		return nil, err
	}
	now := s.now()
	switch {
	case t.RevokedAt != nil:
		return nil, &TokenRefusal{"The token was revoked."}
	case t.Expired(now):
		return nil, &TokenRefusal{"The token expired."}
	}
	if t.LastUsedAt == nil || now.Sub(*t.LastUsedAt) >= models.APITokenTouchEvery {
		if err := s.store.APITokens.Touch(ctx, t.ID, ip, now); err != nil {
			return nil, err
		}
	}
	var owner *identity.Principal
	if t.OwnerID != nil {
		if owner, err = identity.PrincipalOf(ctx, s.store, *t.OwnerID, now); err != nil && !errors.Is(err, models.ErrNotFound) {
			return nil, err
		}
	}
	if owner != nil && !owner.Account.Usable() {
		return nil, &TokenRefusal{"The account is suspended or closed."}
	}
	a := &TokenActor{Token: *t}
	effective, paused := effectiveOf(t, owner)
	a.Paused = paused
	switch {
	case owner == nil:
		a.PausedWhy = "The token is paused: its owner was deleted. The Primary Admin can adopt it."
		return a, nil
	case owner.User.Status != models.StatusActive:
		a.PausedWhy = "The token is paused: its owner is deactivated. The Primary Admin can adopt it."
		return a, nil
	}
	a.Principal = tokenPrincipal(owner, t.Name, effective)
	if t.CreatedByID != nil {
		a.Principal.APITokenCreatorID = *t.CreatedByID
	}
	return a, nil
}

// tokenPrincipal makes the principal a token acts as: its owner's row with
// IsPrimaryAdmin false, so Principal.Can and mayActOn treat it as an admin
// holding exactly effective, never as the Primary Admin.
func tokenPrincipal(owner *identity.Principal, name string, effective []string) *identity.Principal {
	u := *owner.User
	u.IsPrimaryAdmin = false
	p := &identity.Principal{User: &u, Account: owner.Account, Permissions: make(map[string]bool, len(effective)),
		HasPassphrase: owner.HasPassphrase, APIToken: name}
	for _, k := range effective {
		p.Permissions[k] = true
	}
	return p
}
