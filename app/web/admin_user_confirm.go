package web

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/models"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

// The confirmation pages of the actions of a user's page that lock the
// user out or remove one of their factors. Each GET names the person and
// what will happen, and posts to the action's own address; an action the
// viewer may not take shows the user's page saying why instead.

func (h userHandlers) deactivateForm(c echo.Context) error {
	return h.renderConfirm(c, http.StatusOK, admin.DoDeactivate, "", nil)
}

func (h userHandlers) clearQuestionForm(c echo.Context) error {
	return h.renderConfirm(c, http.StatusOK, admin.DoClearQuestion, "", nil)
}

func (h userHandlers) signOutForm(c echo.Context) error {
	return h.renderConfirm(c, http.StatusOK, admin.DoSignOut, "", nil)
}

func (h userHandlers) voidLinkForm(c echo.Context) error {
	return h.renderConfirm(c, http.StatusOK, admin.DoVoidLink, "", nil)
}

// renderConfirm shows the confirmation of action on the user of the path,
// with a rejected reason and its errors.
func (h userHandlers) renderConfirm(c echo.Context, status int, action, reason string, errs map[string]string) error {
	d, err := h.detail(c)
	if err != nil {
		return err
	}
	if !d.Permits.May(action) {
		return h.refused(c, d.Permits[action])
	}
	m, err := confirmPage(c, d, action)
	if err != nil {
		return h.refused(c, err)
	}
	m.Reason, m.Errors = reason, viewmodel.NewErrors(errs, apages.FieldReason)
	return render(c, status, apages.ConfirmUserAction(h.page(c, m.Heading), m))
}

// confirmPage words the confirmation of action on d's user.
func confirmPage(c echo.Context, d *admin.UserDetail, action string) (viewmodel.UserConfirmPage, error) {
	u := &d.User
	id, name := itoa(u.ID), u.DisplayName
	base := "/admin/users/" + id
	m := viewmodel.UserConfirmPage{UserID: id}
	switch action {
	case admin.DoDeactivate:
		m.Heading, m.Button, m.Action, m.TestID = "Deactivate "+name+"?", "Deactivate "+name, base+"/status", "deactivate-form"
		m.Hidden = []viewmodel.Choice{{Label: apages.FieldAction, Value: admin.BulkDeactivate}}
		m.AskReason = true
		m.Consequences = []string{
			name + " will be signed out at once and cannot sign in until reactivated.",
			"The links we emailed them stop working.",
			"You can reactivate them later from this page.",
		}
	case admin.DoClearQuestion:
		m.Heading, m.Button, m.Action, m.TestID = "Clear the security question of "+name+"?", "Clear security question of "+name, base+"/question/clear", "clear-question-form"
		m.Consequences = []string{
			name + "'s security question and answer are removed for good.",
			"A password reset will not ask a security question until they set a new one in My Profile.",
			"We email them (" + u.Email + ") to say so.",
		}
	case admin.DoSignOut:
		m.Heading, m.Button, m.Action, m.TestID = "Sign out "+name+" everywhere?", "Sign out "+name+" everywhere", base+"/sessions/signout", "signout-all-form"
		m.Consequences = []string{
			name + " will be signed out at once on every device (" + sessionCount(d.SessionsTotal) + ").",
			"They can sign in again with their password.",
		}
	case admin.DoVoidLink:
		link, err := strconv.ParseInt(c.Param("link"), 10, 64)
		if err != nil {
			return m, echo.ErrNotFound
		}
		kind := ""
		for _, t := range d.Links {
			if row := linkRow(t, d); t.ID == link && row.Live {
				kind = strings.ToLower(row.Kind) + " link"
			}
		}
		if kind == "" {
			return m, errLinkGone
		}
		m.Heading, m.Button, m.Action, m.TestID = "Void the "+kind+" sent to "+name+"?", "Void the link sent to "+name, base+"/links/"+itoa(link)+"/void", "void-link-form"
		m.Consequences = []string{"The link stops working at once."}
		if u.Status == models.StatusInvited {
			m.Consequences = append(m.Consequences, name+" has not chosen a password yet, so they cannot sign in until you resend the welcome email.")
		}
	}
	return m, nil
}

// errLinkGone answers voiding a link that no longer works (or never did).
var errLinkGone = apperr.New(apperr.NotFound, "That link was already used, voided or expired.")

// sessionCount says how many sessions a user has.
func sessionCount(n int64) string {
	if n == 1 {
		return "1 session"
	}
	return strconv.FormatInt(n, 10) + " sessions"
}
