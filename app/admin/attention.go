package admin

import (
	"context"
	"time"

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
	TransferByMe *OwnTransfer
}

// OwnTransfer is the Primary Admin's undecided request that another user
// take the role, as their home page tells it.
type OwnTransfer struct {
	ToName    string
	ExpiresAt time.Time
	Expired   bool
}

// Attention counts what waits on actor in one statement whatever the
// number of users, asking only for the items actor may see: the rest are
// neither read nor shown.
func (s *Privileges) Attention(ctx context.Context, actor *identity.Principal) (*Attention, error) {
	ask := models.AttentionAsk{AccountID: actor.Account.ID,
		AdminsWithoutPassphrase: actor.User.IsPrimaryAdmin || actor.Can(identity.PermRolesManage)}
	a := &Attention{}
	if actor.Can(identity.PermUsersManage) {
		if f, ok := mfaOwedFilter(actor.Account); ok {
			a.MFAFilter = f
			ask.MFAOwed = &f
		}
		ask.Invited, ask.BulkUnfinished = true, true
	}
	if actor.User.IsPrimaryAdmin {
		ask.TransferFrom = actor.User.ID
	}
	n, err := s.store.Privileges.Attention(ctx, ask)
	if err != nil {
		return nil, err
	}
	a.AdminsWithoutPassphrase, a.UsersWithoutMFA, a.Invited, a.BulkUnfinished =
		n.AdminsWithoutPassphrase, n.UsersWithoutMFA, n.Invited, n.BulkUnfinished
	if n.TransferID != nil && n.TransferToName != nil && n.TransferExpiresAt != nil {
		a.TransferByMe = &OwnTransfer{ToName: *n.TransferToName, ExpiresAt: *n.TransferExpiresAt,
			Expired: !s.now().Before(*n.TransferExpiresAt)}
	}
	return a, nil
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
