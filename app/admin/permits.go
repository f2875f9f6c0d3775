package admin

import (
	"context"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// The actions of a user's page. Permits says which of them an actor may
// take on a user and why not; the page offers what it allows and each
// action's service method refuses what it does not (managedFor), so the
// page never offers what would be refused.
const (
	DoSendReset     = "send_reset"
	DoUnblockReset  = "unblock_reset"
	DoClearQuestion = "clear_question"
	DoResetMFA      = "reset_mfa"
	DoDeactivate    = "deactivate"
	DoReactivate    = "reactivate"
	DoSignOut       = "sign_out"
	DoVoidLink      = "void_link"
	DoDelete        = "delete"
	DoEditDetails   = "edit_details"
)

// userActions lists every action Permits decides.
var userActions = []string{DoSendReset, DoUnblockReset, DoClearQuestion, DoResetMFA, DoDeactivate,
	DoReactivate, DoSignOut, DoVoidLink, DoDelete, DoEditDetails}

// Permits maps each action of a user's page to the error its service
// method returns when the actor may not take it (nil when they may): its
// message is the sentence the page shows instead of the action.
type Permits map[string]*apperr.Error

// May reports whether the actor may take action.
func (p Permits) May(action string) bool { return p[action] == nil }

// Why says why the actor may not take action, or is "".
func (p Permits) Why(action string) string {
	if e := p[action]; e != nil {
		return e.Message
	}
	return ""
}

// refusal is why an actor may not take an action, and whether that is
// about who they are (Forbidden) or the user's state (Conflict).
type refusal struct {
	code apperr.Code
	why  string
}

// whyNot decides one action for the actor on u, whose standing st must
// include resetBlocked.
func whyNot(actor *identity.Principal, u *models.User, st standing, action string) refusal {
	if why := mayActOn(actor, u, st); why != "" {
		return refusal{apperr.Forbidden, "You cannot do that: " + why + "."}
	}
	self := u.ID == actor.User.ID
	forbid := func(why string) refusal { return refusal{apperr.Forbidden, why} }
	conflict := func(why string) refusal { return refusal{apperr.Conflict, why} }
	switch action {
	case DoSendReset:
		switch {
		case u.Status == models.StatusSuspended:
			return conflict("Suspended users get no links. Reactivate them first.")
		case u.Status == models.StatusActive && st.resetBlocked:
			return conflict(sentence(resetBlockedWhy))
		}
	case DoUnblockReset:
		if !st.resetBlocked {
			return conflict(ErrResetNotBlocked.Message)
		}
	case DoClearQuestion:
		switch {
		case self:
			return forbid(ErrOwnQuestion.Message)
		case u.SecurityAnswerHash == "":
			return conflict("They have no security question to clear.")
		}
	case DoResetMFA:
		switch {
		case self:
			return forbid("Change your own authenticator app in My Profile, under Multi-factor authentication.")
		case u.MFAEnrolledAt == nil:
			return conflict("They have not set up multi-factor authentication, so there is nothing to reset.")
		}
	case DoDeactivate:
		switch {
		case self:
			return forbid("You cannot deactivate yourself.")
		case u.Status == models.StatusSuspended:
			return conflict("They are already deactivated.")
		}
	case DoReactivate:
		if u.Status != models.StatusSuspended {
			return conflict("They are not deactivated.")
		}
	case DoSignOut:
		if self {
			return forbid("Sign out your own sessions in My Profile.")
		}
	case DoDelete:
		if why := cannotDelete(actor, u); why != "" {
			return forbid(why)
		}
	}
	return refusal{}
}

// permitsOf decides every action for the actor on u.
func permitsOf(actor *identity.Principal, u *models.User, st standing) Permits {
	p := make(Permits, len(userActions))
	for _, a := range userActions {
		if r := whyNot(actor, u, st, a); r.why != "" {
			p[a] = apperr.New(r.code, r.why)
		}
	}
	return p
}

// standingFor loads u's standing, with whether their password reset is
// blocked, for whyNot.
func (s *Users) standingFor(ctx context.Context, store *models.Store, actor *identity.Principal, u *models.User) (standing, error) {
	sts, err := s.standingsOf(ctx, store, actor, []models.User{*u})
	if err != nil {
		return standing{}, err
	}
	st := sts[u.ID]
	blocked, err := s.resets.BlockedAmong(ctx, store, []int64{u.ID})
	if err != nil {
		return standing{}, err
	}
	st.resetBlocked = blocked[u.ID]
	return st, nil
}

// managedFor loads a user of the actor's account, locked, for one action
// of their page, and returns the error whyNot gives when the actor may not
// take it.
func (s *Users) managedFor(ctx context.Context, store *models.Store, actor *identity.Principal, userID int64, action string) (*models.User, error) {
	if !actor.Can(identity.PermUsersManage) {
		return nil, ErrNoUsersManage
	}
	// Locked first, so the check below sees a transfer to this user that
	// was being started meanwhile.
	u, err := lockUser(ctx, store, actor.Account.ID, userID)
	if err != nil {
		return nil, err
	}
	st, err := s.standingFor(ctx, store, actor, u)
	if err != nil {
		return nil, err
	}
	if why := mayActOn(actor, u, st); why == refuseOtherAccount {
		return nil, ErrNoSuchUser
	}
	if r := whyNot(actor, u, st, action); r.why != "" {
		return nil, apperr.New(r.code, r.why)
	}
	return u, nil
}

// permitRows decides the actions of each listed user, for the list's
// options menus, from what fillRows read of their privileges (privs),
// without a query of its own.
func (s *Users) permitRows(ctx context.Context, actor *identity.Principal, list *UserList, users []models.User, privs models.Privileges) error {
	sts, err := s.standingsWith(ctx, s.store, actor, users, privs.OfferedTo, privs.Effective)
	if err != nil {
		return err
	}
	for i := range list.Rows {
		u := &list.Rows[i].User
		st := sts[u.ID]
		st.resetBlocked = privs.Locked[s.resets.AnswerKey(u.ID)]
		list.Rows[i].Permits = permitsOf(actor, u, st)
	}
	return nil
}

// Visible returns a user of the actor's account, without their page's
// detail: the message after an action on them names them.
func (s *Users) Visible(ctx context.Context, actor *identity.Principal, userID int64) (*models.User, error) {
	return s.visible(ctx, s.store, actor, userID)
}
