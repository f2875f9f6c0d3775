package admin

import (
	"context"

	"accountportal/app/identity"
	"accountportal/models"
)

// Attention is what in the account waits on an admin, for their home page.
// Each count covers only what the admin's privileges let them see and act
// on; the rest stay zero.
type Attention struct {
	// AdminsWithoutPassphrase counts active admins the support desk will
	// not act for (seen by those who see the privileges page).
	AdminsWithoutPassphrase int64
	// UsersWithoutMFA counts active users the account's policy requires a
	// second factor of who have none (seen by holders of "Manage users");
	// MFAFilter is the users list's filter that shows them.
	UsersWithoutMFA int64
	MFAFilter       models.UserFilter
	// Invited counts users who never chose a password ("Manage users").
	Invited int64
	// BulkUnfinished counts bulk actions queued or running ("Manage users").
	BulkUnfinished int64
	// TransferByMe is the Primary Admin's own open request to hand the role
	// over, or nil.
	TransferByMe *PendingTransfer
}

// Attention counts what waits on actor: one query per item it may see, each
// a count over the account's rows, whatever the number of users.
func (s *Privileges) Attention(ctx context.Context, actor *identity.Principal) (*Attention, error) {
	acct := actor.Account.ID
	a := &Attention{}
	var err error
	if actor.User.IsPrimaryAdmin || actor.Can(identity.PermRolesManage) {
		if a.AdminsWithoutPassphrase, err = s.store.Privileges.ActiveAdminsWithoutPassphrase(ctx, acct); err != nil {
			return nil, err
		}
	}
	if actor.Can(identity.PermUsersManage) {
		if err = s.countUsers(ctx, actor, a); err != nil {
			return nil, err
		}
	}
	if actor.User.IsPrimaryAdmin {
		t, err := s.Pending(ctx, acct)
		if err != nil {
			return nil, err
		}
		if t != nil && t.From.ID == actor.User.ID {
			a.TransferByMe = t
		}
	}
	return a, nil
}

// countUsers fills the counts a holder of "Manage users" sees.
func (s *Privileges) countUsers(ctx context.Context, actor *identity.Principal, a *Attention) error {
	acct := actor.Account.ID
	var err error
	if f, ok := mfaOwedFilter(actor.Account); ok {
		a.MFAFilter = f
		if a.UsersWithoutMFA, err = s.store.Users.Count(ctx, f); err != nil {
			return err
		}
	}
	if a.Invited, err = s.store.Users.Count(ctx, models.UserFilter{AccountID: acct, Status: models.StatusInvited}); err != nil {
		return err
	}
	a.BulkUnfinished, err = s.store.BulkJobs.Unfinished(ctx, acct)
	return err
}

// mfaOwedFilter selects the active users the account's policy requires a
// second factor of who have none; ok is false when the policy requires it
// of nobody.
func mfaOwedFilter(acct *models.Account) (models.UserFilter, bool) {
	no, yes := false, true
	f := models.UserFilter{AccountID: acct.ID, Status: models.StatusActive, MFA: &no}
	switch acct.MFAPolicy {
	case models.MFAEveryone:
		return f, true
	case models.MFAAdmins:
		f.Privileged = &yes
		return f, true
	}
	return f, false
}
