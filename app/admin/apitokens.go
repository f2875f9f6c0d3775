package admin

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/app/textinput"
	"accountportal/models"
)

// API tokens let an account's integrations call the JSON API. An admin
// with "Manage users" creates one with permissions they hold themselves;
// the secret is shown once and only its SHA-256 is kept. A token acts as
// its owner (at first its creator) within the token's permissions and the
// owner's current ones: when the owner loses a privilege, is deactivated or
// deleted, the token is paused for what they lost until the Primary Admin
// adopts it. Whatever its owner, a token never holds the Primary Admin's
// standing: it is refused on the Primary Admin and on a pending transfer's
// target like any other admin.

// Audit actions of API tokens.
const (
	ActionAPITokenCreated = "api_token.created"
	ActionAPITokenRevoked = "api_token.revoked"
	ActionAPITokenAdopted = "api_token.adopted"
)

// APITokenPrefix starts every API token's secret, so secret scanners and
// people can tell one.
const APITokenPrefix = "ap_"

// Subjects of the token form's problems.
const (
	TokenFieldName   apperr.Subject = "name"
	TokenFieldPerms  apperr.Subject = "permissions"
	TokenFieldExpiry apperr.Subject = "expires_in_days"
)

// ErrNoSuchToken refuses a token id that is not a live token of the
// actor's account.
var ErrNoSuchToken = apperr.New(apperr.NotFound, "No such API token in this account, or it was revoked already.")

// TokenPermissions lists what a token may be given, in display order: the
// read-only users permission, then the console's areas.
func TokenPermissions() []identity.Permission {
	out := []identity.Permission{{Key: identity.PermUsersRead, Label: "Read users",
		Help: "List and read users through the API; change nothing.", Group: identity.GroupConsole}}
	for _, p := range identity.Permissions() {
		if p.Group == identity.GroupConsole {
			out = append(out, p)
		}
		if p.Key == identity.PermUsersManage {
			out = append(out, mfaResetPermission)
		}
	}
	return out
}

// mfaResetPermission is the token permission that resets second factors.
var mfaResetPermission = identity.Permission{Key: identity.PermUsersMFAReset, Label: "Reset second factors",
	Help:  "Reset users' two-step verification through the API, with “Manage users”. Giving it asks your own authenticator code, when you have one.",
	Group: identity.GroupConsole}

// TokenPermissionLabel names a token permission for people.
func TokenPermissionLabel(key string) string {
	switch key {
	case identity.PermUsersRead:
		return "Read users"
	case identity.PermUsersMFAReset:
		return mfaResetPermission.Label
	}
	return identity.PermissionLabel(key)
}

// holdsForToken reports whether p holds perm as far as tokens go: reading
// users and resetting their second factors come with managing them.
func holdsForToken(p *identity.Principal, perm string) bool {
	if perm == identity.PermUsersRead || perm == identity.PermUsersMFAReset {
		return p.Can(identity.PermUsersManage)
	}
	return p.Can(perm)
}

// APITokens creates, lists, revokes and adopts API tokens, and tells who
// a presented token acts as.
type APITokens struct {
	core
	factors MFAChecker
}

// NewAPITokens returns the API tokens' service. factors check the
// creator's own code when a token is given "Reset second factors".
func NewAPITokens(sh Shared, factors MFAChecker) *APITokens {
	return &APITokens{core: newCore(sh), factors: factors}
}

// NewTokenRequest is the token form.
type NewTokenRequest struct {
	Name        string
	Permissions []string
	// ExpiresInDays is 0 for a token that does not expire.
	ExpiresInDays int
	// AdminCode is the creator's own second-factor code, asked when the
	// token is given "Reset second factors".
	AdminCode string
}

// nameTakenMsg refuses a name another live token of the account has: the
// audit log names tokens by name.
func nameTakenMsg(name string) string {
	return "Another token of the account is named " + name + "; choose another name"
}

// MaxTokenDays bounds a token's expiry.
const MaxTokenDays = 3650

func (s *APITokens) checkManager(actor *identity.Principal) error {
	if actor.APIToken != "" || !actor.Can(identity.PermUsersManage) {
		return ErrNoUsersManage
	}
	return nil
}

// Create makes a token for the actor's account and returns its secret,
// which is never shown again. It refuses permissions the actor does not
// hold (ErrBeyondOwn's message, as a problem of the permissions field).
func (s *APITokens) Create(ctx context.Context, actor *identity.Principal, req NewTokenRequest, from audit.Origin) (string, *models.APIToken, error) {
	if err := s.checkManager(actor); err != nil {
		return "", nil, err
	}
	problems := map[apperr.Subject]string{}
	name := strings.TrimSpace(req.Name)
	switch {
	case textinput.CheckName(req.Name) != "":
		problems[TokenFieldName] = textinput.CheckName(req.Name)
	case name == "":
		problems[TokenFieldName] = "Enter a name for the token, such as the integration that uses it"
	case utf8.RuneCountInString(name) > 100:
		problems[TokenFieldName] = "Name must be 100 characters or fewer"
	}
	// The token's permissions in display order, once each.
	var perms, beyond []string
	for _, tp := range TokenPermissions() {
		if !slices.Contains(req.Permissions, tp.Key) {
			continue
		}
		perms = append(perms, tp.Key)
		if !holdsForToken(actor, tp.Key) {
			beyond = append(beyond, tp.Label)
		}
	}
	for _, p := range req.Permissions {
		if !slices.Contains(perms, p) {
			problems[TokenFieldPerms] = "Choose permissions from the list"
		}
	}
	if len(beyond) > 0 && problems[TokenFieldPerms] == "" {
		problems[TokenFieldPerms] = "You can only give permissions you hold yourself; you do not hold: " + strings.Join(beyond, ", ")
	}
	if problems[TokenFieldPerms] == "" && slices.Contains(perms, identity.PermUsersMFAReset) && !slices.Contains(perms, identity.PermUsersManage) {
		problems[TokenFieldPerms] = "“Reset second factors” needs “Manage users” on the same token"
	}
	if req.ExpiresInDays < 0 || req.ExpiresInDays > MaxTokenDays {
		problems[TokenFieldExpiry] = "Enter a number of days from 1 to 3650, or leave it empty for no expiry"
	}
	if len(problems) == 0 {
		// Asked before the code below, which a failed form must not spend;
		// the unique index still refuses a clash that races past it.
		taken, err := s.store.APITokens.NameLive(ctx, actor.Account.ID, name)
		if err != nil {
			return "", nil, err
		}
		if taken {
			problems[TokenFieldName] = nameTakenMsg(name)
		}
	}
	if len(problems) > 0 {
		return "", nil, apperr.Problems(problems)
	}
	// The console asks the admin's own code for each reset of a second
	// factor, so a stolen session cannot lock people out of theirs; the
	// token's secret is shown once, here, so the code is asked here.
	if slices.Contains(perms, identity.PermUsersMFAReset) {
		if err := s.factors.CheckAdminCode(ctx, actor, req.AdminCode, from); err != nil {
			return "", nil, err
		}
	}
	raw, _ := security.NewToken()
	secret := APITokenPrefix + raw
	now := s.now()
	tok := &models.APIToken{AccountID: actor.Account.ID, Name: name, SHA256: security.Digest(secret),
		Permissions: strings.Join(perms, " "), OwnerID: &actor.User.ID, OwnerName: audit.PartyOf(actor.User).Name,
		CreatedByID: &actor.User.ID, CreatedByName: audit.PartyOf(actor.User).Name, CreatedAt: now}
	if req.ExpiresInDays > 0 {
		exp := now.AddDate(0, 0, req.ExpiresInDays)
		tok.ExpiresAt = &exp
	}
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.APITokens.Create(ctx, tok); err != nil {
			if errors.Is(err, models.ErrConflict) {
				// The audit log names tokens by name, so live ones differ.
				return apperr.Problems(map[apperr.Subject]string{TokenFieldName: nameTakenMsg(name)})
			}
			return err
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionAPITokenCreated, Origin: from,
			Details: map[string]any{"token": name, "permissions": perms, "expires_at": tok.ExpiresAt}})
	})
	if err != nil {
		return "", nil, err
	}
	return secret, tok, nil
}

// TokenRow is one token of the list, with whether it works now.
type TokenRow struct {
	Token models.APIToken
	// Paused lists the token's permissions its owner no longer holds (all
	// of them when the owner is gone or deactivated).
	Paused []string
	// MayRevoke and MayAdopt say which actions the actor may take.
	MayRevoke, MayAdopt bool
}

// List returns the account's tokens, newest first.
func (s *APITokens) List(ctx context.Context, actor *identity.Principal) ([]TokenRow, error) {
	if err := s.checkManager(actor); err != nil {
		return nil, err
	}
	toks, err := s.store.APITokens.List(ctx, actor.Account.ID)
	if err != nil {
		return nil, err
	}
	owners := map[int64]*identity.Principal{}
	rows := make([]TokenRow, len(toks))
	for i := range toks {
		t := &toks[i]
		row := TokenRow{Token: *t}
		if t.RevokedAt == nil {
			var owner *identity.Principal
			if t.OwnerID != nil {
				if owner = owners[*t.OwnerID]; owner == nil {
					if owner, err = identity.PrincipalOf(ctx, s.store, *t.OwnerID, s.now()); err != nil && !errors.Is(err, models.ErrNotFound) {
						return nil, err
					}
					owners[*t.OwnerID] = owner
				}
			}
			_, row.Paused = effectiveOf(t, owner)
			row.MayRevoke = mayRevoke(actor, t, owner != nil && owner.User.IsPrimaryAdmin)
			row.MayAdopt = actor.User.IsPrimaryAdmin && (t.OwnerID == nil || *t.OwnerID != actor.User.ID)
		}
		rows[i] = row
	}
	return rows, nil
}

// mayRevoke: the token's owner, the Primary Admin, or anyone holding all
// its permissions unless the Primary Admin owns it (ownerIsPrimary): as in
// the console, nobody else acts on what is the Primary Admin's.
func mayRevoke(actor *identity.Principal, t *models.APIToken, ownerIsPrimary bool) bool {
	switch {
	case t.OwnerID != nil && *t.OwnerID == actor.User.ID, actor.User.IsPrimaryAdmin:
		return true
	case ownerIsPrimary:
		return false
	}
	for _, p := range t.Perms() {
		if !holdsForToken(actor, p) {
			return false
		}
	}
	return true
}

// effectiveOf returns the permissions token t acts with for owner (nil:
// gone), and those it holds that are paused.
func effectiveOf(t *models.APIToken, owner *identity.Principal) (effective, paused []string) {
	usable := owner != nil && owner.User.Status == models.StatusActive && owner.Account.Usable()
	for _, p := range t.Perms() {
		if usable && holdsForToken(owner, p) {
			effective = append(effective, p)
		} else {
			paused = append(paused, p)
		}
	}
	return effective, paused
}

// liveToken returns the actor's account's token id, or ErrNoSuchToken when
// there is none or it was revoked.
func liveToken(ctx context.Context, tx *models.Store, actor *identity.Principal, id int64) (*models.APIToken, error) {
	t, err := tx.APITokens.InAccount(ctx, actor.Account.ID, id)
	switch {
	case errors.Is(err, models.ErrNotFound):
		return nil, ErrNoSuchToken
	case err != nil:
		return nil, err
	case t.RevokedAt != nil:
		return nil, ErrNoSuchToken
	}
	return t, nil
}

// Revoke ends the account's token id at once: every request reads the
// token's row, so no replica honours it after this commits.
func (s *APITokens) Revoke(ctx context.Context, actor *identity.Principal, id int64, from audit.Origin) error {
	if err := s.checkManager(actor); err != nil {
		return err
	}
	return s.store.InTx(ctx, func(tx *models.Store) error {
		t, err := liveToken(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		ownerIsPrimary := false
		if t.OwnerID != nil {
			owner, err := tx.Users.InAccount(ctx, actor.Account.ID, *t.OwnerID)
			if err != nil && !errors.Is(err, models.ErrNotFound) {
				return err
			}
			ownerIsPrimary = owner != nil && owner.IsPrimaryAdmin
		}
		if !mayRevoke(actor, t, ownerIsPrimary) {
			return apperr.New(apperr.Forbidden, "You can only revoke your own tokens and tokens whose permissions you all hold; only the Primary Admin revokes the Primary Admin's tokens.")
		}
		now := s.now()
		if err := tx.APITokens.Revoke(ctx, actor.Account.ID, id, audit.PartyOf(actor.User).Name, now); err != nil {
			return ErrNoSuchToken
		}
		return audit.Record(ctx, tx, now, audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionAPITokenRevoked, Origin: from, Details: map[string]any{"token": t.Name}})
	})
}

// Adopt makes the Primary Admin the owner of the account's token id, so a
// token paused by what its owner lost works again within the Primary
// Admin's privileges (never on the Primary Admin, as every token).
func (s *APITokens) Adopt(ctx context.Context, actor *identity.Principal, id int64, from audit.Origin) error {
	if actor.APIToken != "" || !actor.User.IsPrimaryAdmin {
		return ErrNotPrimary
	}
	return s.store.InTx(ctx, func(tx *models.Store) error {
		t, err := liveToken(ctx, tx, actor, id)
		if err != nil {
			return err
		}
		if t.OwnerID != nil && *t.OwnerID == actor.User.ID {
			return apperr.New(apperr.Conflict, "You already own this token.")
		}
		if err := tx.APITokens.Adopt(ctx, actor.Account.ID, id, actor.User.ID, audit.PartyOf(actor.User).Name); err != nil {
			return ErrNoSuchToken
		}
		return audit.Record(ctx, tx, s.now(), audit.Entry{AccountID: actor.Account.ID, Actor: audit.PartyOf(actor.User),
			Action: ActionAPITokenAdopted, Origin: from, Details: map[string]any{"token": t.Name, "from": t.OwnerName}})
	})
}

// ClaimIdempotency starts answering the token's POST with an
// Idempotency-Key (see models.APITokenStore.ClaimIdempotency); keys older
// than a day are forgotten first.
func (s *APITokens) ClaimIdempotency(ctx context.Context, tokenID int64, key string, hash []byte) (*models.APIIdempotency, error) {
	now := s.now()
	if err := s.store.APITokens.ExpireIdempotency(ctx, tokenID, now.Add(-IdempotencyKeptFor)); err != nil {
		return nil, err
	}
	return s.store.APITokens.ClaimIdempotency(ctx, tokenID, key, hash, now)
}

// FinishIdempotency keeps the answer to the token's request with key.
func (s *APITokens) FinishIdempotency(ctx context.Context, tokenID int64, key string, status int, body, location string) error {
	return s.store.APITokens.FinishIdempotency(ctx, tokenID, key, status, body, location)
}

// ForgetIdempotency drops the key of a request that failed for no fault
// of its own, so that a retry acts.
func (s *APITokens) ForgetIdempotency(ctx context.Context, tokenID int64, key string) error {
	return s.store.APITokens.ForgetIdempotency(ctx, tokenID, key)
}

// IdempotencyKeptFor is how long the answer to a request with an
// Idempotency-Key is kept.
const IdempotencyKeptFor = 24 * time.Hour

// MayGiveToken reports whether p may give a token perm: they hold it
// (reading users comes with managing them).
func MayGiveToken(p *identity.Principal, perm string) bool { return holdsForToken(p, perm) }
