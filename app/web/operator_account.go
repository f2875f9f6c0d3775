package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/provider"
	"accountportal/models"
	"accountportal/views/pages/operator"
	"accountportal/views/viewmodel"
)

// account shows one customer account to an operator. Ids that are not
// numbers, unknown ids and the staff account's id are all 404.
func (h operatorHandlers) account(c echo.Context) error {
	id, err := accountParam(c)
	if err != nil {
		return err
	}
	d, err := h.provider.Account(c.Request().Context(), state(c).principal, id)
	if err != nil {
		return err
	}
	a := &d.Account
	label, class := accountStatus(a.Status)
	m := viewmodel.OperatorAccountPage{Number: a.Number, Name: a.Name, Status: a.Status, StatusLabel: label, StatusClass: class,
		Created: viewmodel.At(a.CreatedAt, h.now()), UsersTotal: strconv.FormatInt(d.UsersTotal, 10), MFAPolicy: models.MFAPolicyLabel(a.MFAPolicy),
		PasswordPreset: presetLabel(a), LastSignIn: viewmodel.AtPtr(d.LastSignIn, h.now()), LastActivity: lastActivity(d),
		Actions: accountActions(a), BackURL: operatorPath}
	if a.Status == models.AccountSuspended || a.Status == models.AccountClosed {
		m.StatusReason = a.StatusReason
		if a.StatusChangedAt != nil {
			m.StatusChanged = viewmodel.At(*a.StatusChangedAt, h.now())
		}
		if a.PurgeAfter != nil {
			m.PurgeAfter = a.PurgeAfter.UTC().Format("2 January 2006")
		}
	}
	for _, s := range []string{models.StatusActive, models.StatusInvited, models.StatusSuspended} {
		if n := d.Users[s]; n > 0 {
			m.UsersByStatus = append(m.UsersByStatus, viewmodel.Choice{Label: s, Value: strconv.FormatInt(n, 10)})
		}
	}
	for _, ad := range d.Admins {
		m.Admins = append(m.Admins, adminView(ad))
	}
	if d.License != "" && a.Usable() {
		m.License = notAcceptedSentence(d.NotAccepted, d.License)
		m.LicenseHref = operatorAccountPath(a.ID) + "/agreement"
	}
	if inv := d.Invitation; inv != nil {
		m.Invitation = &viewmodel.OperatorInvitation{Sent: viewmodel.AtPtr(inv.SentAt, h.now()), Expires: viewmodel.At(inv.ExpiresAt, h.now()),
			Expired: !inv.ExpiresAt.After(h.now())}
	}
	return render(c, http.StatusOK, operator.Account(h.page(c, "Customer account: "+a.Name), m))
}

// adminView shows an admin's areas by where they come from, and only
// whether they have a passphrase.
func adminView(a provider.AdminSummary) viewmodel.OperatorAdmin {
	v := viewmodel.OperatorAdmin{Name: a.User.DisplayName, Username: a.User.Username, Email: a.User.Email,
		Primary: a.User.IsPrimaryAdmin, Suspended: a.User.Status == models.StatusSuspended, HasPassphrase: a.HasPassphrase}
	v.Direct = permissionLabels(a.Direct)
	for _, r := range a.Roles {
		v.Roles = append(v.Roles, viewmodel.OperatorRole{Name: r.Name, Areas: permissionLabels(r.Areas)})
	}
	return v
}

func permissionLabels(keys []string) []string {
	out := make([]string, len(keys))
	for i, k := range keys {
		out[i] = identity.PermissionLabel(k)
	}
	return out
}

// accountActions are the operator's next steps for an account in its
// status; a closed account has none.
func accountActions(a *models.Account) []viewmodel.Link {
	self := operatorAccountPath(a.ID)
	var out []viewmodel.Link
	add := func(action, title, description string) {
		out = append(out, viewmodel.Link{Href: self + action, Title: title, Description: description})
	}
	switch a.Status {
	case models.AccountPending:
		add(actionInvitation, "Resend or void the invitation", "The Primary Admin has not accepted it yet.")
	case models.AccountActive:
		add(actionSuspend, "Suspend the account", "Every user is signed out and refused until it is reactivated.")
		add(actionPrimaryAdmin, "Help the Primary Admin back in", "After the support desk verified them: reset their multi-factor authentication or send a password reset link.")
	case models.AccountSuspended:
		add(actionReactivate, "Reactivate the account", "Each user gets back the state they had.")
	}
	if a.Status != models.AccountClosed {
		add(actionClose, "Close the account", "Suspended for good; its data is removed after the retention period.")
	}
	return out
}

func presetLabel(a *models.Account) string {
	label := models.PasswordPresetLabel(a.PasswordPreset)
	if a.IntegrationSafe {
		label += ", without & < > (integration-safe)"
	}
	return label
}

// lastActivity is the later of the latest sign-in and the latest audit
// entry, with what it was in words.
func lastActivity(d *provider.AccountDetail) string {
	e := d.LastEvent
	switch {
	case e == nil && d.LastSignIn == nil:
		return "None yet"
	case e == nil || d.LastSignIn != nil && d.LastSignIn.After(e.At):
		return stamp(*d.LastSignIn) + ": a user signed in"
	}
	return stamp(e.At) + ": " + audit.Describe(*e, identity.PermissionLabel).Sentence
}

// notAcceptedSentence says how many users have yet to accept version.
func notAcceptedSentence(n int64, version string) string {
	switch n {
	case 0:
		return "Everyone who can sign in has accepted version " + version + "."
	case 1:
		return "1 user has not accepted version " + version + " yet."
	}
	return strconv.FormatInt(n, 10) + " users have not accepted version " + version + " yet."
}
