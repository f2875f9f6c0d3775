package admin

import (
	"context"
	"errors"
	"strings"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// Who may act on whom. Every action an administrator takes on another user
// — from the users console, the roles pages or a bulk action — asks
// mayActOn first, so a lower admin can never weaken the protections of a
// higher one: whoever can reset a user's second factor, clear their
// question, change their email or deactivate them can take their place.

// Why an actor may not act on a user, in words a bulk result row and a
// refusal page both use.
const (
	refuseOtherAccount = "not a user of your account"
	refusePrimary      = "only the Primary Admin acts on the Primary Admin"
	refuseOffered      = "only the Primary Admin acts on a user who is being asked to become the Primary Admin"
	// An API token never acts on its owner or its creator (who may still
	// hold the secret after the Primary Admin adopted it), nor on the
	// Primary Admin or the transfer's target.
	refuseTokenOwn     = "an API token never acts on the admin who owns or created it"
	refuseTokenPrimary = "an API token never acts on the Primary Admin"
	refuseTokenOffered = "an API token never acts on a user who is being asked to become the Primary Admin"
)

// standing is what the rule needs to know about a user besides their row.
type standing struct {
	// perms are the user's effective permissions; loaded only when the
	// actor is neither the Primary Admin nor the user.
	perms []string
	// offered says the account's pending Primary Admin transfer names them.
	offered bool
	// resetBlocked says wrong security answers block their password reset;
	// loaded only for the send-reset action.
	resetBlocked bool
}

// mayActOn returns why actor may not act on u, or "" when they may: the
// Primary Admin acts on everyone of the account; anyone acts on themselves
// (each action then has its own rule about that); nobody else acts on the
// Primary Admin or on the user a pending transfer names; and an admin acts
// on another only when every privilege the other holds is theirs too (a
// user with none is within anyone's).
func mayActOn(actor *identity.Principal, u *models.User, st standing) string {
	switch {
	case u.AccountID != actor.Account.ID:
		return refuseOtherAccount
	case actor.APIToken != "":
		return tokenMayActOn(actor, u, st)
	case actor.User.IsPrimaryAdmin || u.ID == actor.User.ID:
		return ""
	case u.IsPrimaryAdmin:
		return refusePrimary
	case st.offered:
		return refuseOffered
	}
	return beyondActor(actor, st)
}

// beyondActor says which privileges of the user (st.perms) the actor
// lacks, or "" when they hold them all.
func beyondActor(actor *identity.Principal, st standing) string {
	var beyond []string
	for _, p := range st.perms {
		if !actor.Can(p) {
			beyond = append(beyond, p)
		}
	}
	if len(beyond) > 0 {
		return "they hold privileges you do not: " + labels(beyond)
	}
	return ""
}

// tokenMayActOn is mayActOn for an API token's principal, which is never
// the Primary Admin (see TokenActor).
func tokenMayActOn(actor *identity.Principal, u *models.User, st standing) string {
	switch {
	case u.ID == actor.User.ID || u.ID == actor.APITokenCreatorID:
		return refuseTokenOwn
	case u.IsPrimaryAdmin:
		return refuseTokenPrimary
	case st.offered:
		return refuseTokenOffered
	}
	return beyondActor(actor, st)
}

// refused turns a mayActOn reason into the error a single action returns:
// 404 for another account's user (as if it did not exist), else 403.
func refused(why string) error {
	if why == refuseOtherAccount {
		return ErrNoSuchUser
	}
	return apperr.New(apperr.Forbidden, "You cannot do that: "+why+".")
}

// standingsOf loads what mayActOn needs about each of users, in two
// queries whatever their number.
func (s *core) standingsOf(ctx context.Context, store *models.Store, actor *identity.Principal, users []models.User) (map[int64]standing, error) {
	if len(users) == 0 {
		return map[int64]standing{}, nil
	}
	offeredTo, err := s.offeredTo(ctx, store, actor.Account.ID)
	if err != nil {
		return nil, err
	}
	return s.standingsWith(ctx, store, actor, users, offeredTo, nil)
}

// standingsWith is standingsOf for a caller that already knows the user
// the account's pending transfer is offered to (0: none) and perhaps the
// users' effective permissions (effective; nil: read here).
func (s *core) standingsWith(ctx context.Context, store *models.Store, actor *identity.Principal, users []models.User,
	offeredTo int64, effective map[int64][]string) (map[int64]standing, error) {
	out := make(map[int64]standing, len(users))
	var ids []int64
	for _, u := range users {
		out[u.ID] = standing{offered: u.ID == offeredTo}
		if !actor.User.IsPrimaryAdmin && (u.ID != actor.User.ID || actor.APIToken != "") {
			ids = append(ids, u.ID)
		}
	}
	if effective == nil {
		var err error
		if effective, err = store.Privileges.EffectiveOf(ctx, ids); err != nil {
			return nil, err
		}
	}
	// Only the users mayActOn weighs permissions of: the Primary Admin
	// outranks everyone, and an actor's own row is decided otherwise.
	for _, id := range ids {
		if p, ok := effective[id]; ok {
			st := out[id]
			st.perms = p
			out[id] = st
		}
	}
	return out, nil
}

// needsEffective reports whether standingsWith weighs the effective
// permissions of anyone actor acts on.
func needsEffective(actor *identity.Principal) bool { return !actor.User.IsPrimaryAdmin }

// offeredTo returns the id of the user the account's pending, unexpired
// Primary Admin transfer names, or 0.
func (s *core) offeredTo(ctx context.Context, store *models.Store, accountID int64) (int64, error) {
	t, err := store.Transfers.Pending(ctx, accountID)
	if errors.Is(err, models.ErrNotFound) {
		return 0, nil
	}
	if err != nil || !s.now().Before(t.ExpiresAt) {
		return 0, err
	}
	return t.ToUserID, nil
}

// checkActOn loads u's standing and returns the refusal error when actor
// may not act on them.
func (s *core) checkActOn(ctx context.Context, store *models.Store, actor *identity.Principal, u *models.User) error {
	st, err := s.standingsOf(ctx, store, actor, []models.User{*u})
	if err != nil {
		return err
	}
	if why := mayActOn(actor, u, st[u.ID]); why != "" {
		return refused(why)
	}
	return nil
}

// sentence capitalises a reason for a page that shows it on its own.
func sentence(why string) string {
	if why == "" {
		return ""
	}
	return strings.ToUpper(why[:1]) + why[1:] + "."
}
