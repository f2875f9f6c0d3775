package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/models"
	"accountportal/views/i18n"
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
	m.Reason, m.Errors = reason, viewmodel.NewErrors(localErrors(c, errs), apages.FieldReason)
	return render(c, status, apages.ConfirmUserAction(h.page(c, m.Heading), m))
}

// confirmPage words the confirmation of action on d's user.
func confirmPage(c echo.Context, d *admin.UserDetail, action string) (viewmodel.UserConfirmPage, error) {
	u := &d.User
	id, name := itoa(u.ID), u.DisplayName
	who := map[string]any{"Name": name}
	ctx := c.Request().Context()
	base := "/admin/users/" + id
	m := viewmodel.UserConfirmPage{UserID: id}
	switch action {
	case admin.DoDeactivate:
		m.Heading, m.Button, m.Action, m.TestID = tr(c, "users.confirm.deactivate_title", who), tr(c, "users.confirm.deactivate_button", who),
			base+"/status", "deactivate-form"
		m.Hidden = []viewmodel.Choice{{Label: apages.FieldAction, Value: admin.BulkDeactivate}}
		m.AskReason = true
		m.Consequences = []string{
			tr(c, "users.confirm.deactivate_signed_out", who),
			tr(c, "users.confirm.deactivate_links"),
			tr(c, "users.confirm.deactivate_later"),
		}
	case admin.DoClearQuestion:
		m.Heading, m.Button, m.Action, m.TestID = tr(c, "users.confirm.question_title", who), tr(c, "users.confirm.question_button", who),
			base+"/question/clear", "clear-question-form"
		m.Consequences = []string{
			tr(c, "users.confirm.question_removed", who),
			tr(c, "users.confirm.question_reset"),
			tr(c, "users.confirm.we_email", map[string]any{"Email": u.Email}),
		}
	case admin.DoSignOut:
		m.Heading, m.Button, m.Action, m.TestID = tr(c, "users.confirm.signout_title", who), tr(c, "users.confirm.signout_button", who),
			base+"/sessions/signout", "signout-all-form"
		m.Consequences = []string{
			i18n.N(ctx, "users.confirm.signout_every_device", int(d.SessionsTotal), who),
			tr(c, "users.confirm.signout_again"),
		}
	case admin.DoVoidLink:
		link, err := strconv.ParseInt(c.Param("link"), 10, 64)
		if err != nil {
			return m, echo.ErrNotFound
		}
		var live *models.Token
		for i, t := range d.Links {
			if t.ID == link && linkRow(t, d).Live {
				live = &d.Links[i]
			}
		}
		if live == nil {
			return m, errLinkGone
		}
		m.Heading, m.Button, m.Action, m.TestID = voidTitle(c, live.Purpose, name), tr(c, "users.confirm.void_button", who),
			base+"/links/"+itoa(link)+"/void", "void-link-form"
		m.Consequences = []string{tr(c, "users.confirm.void_stops")}
		if u.Status == models.StatusInvited {
			m.Consequences = append(m.Consequences, tr(c, "users.confirm.void_invited", who))
		}
	}
	return m, nil
}

// voidTitle asks whether to void the link of purpose sent to name.
func voidTitle(c echo.Context, purpose, name string) string {
	who := map[string]any{"Name": name}
	switch purpose {
	case models.PurposeWelcome:
		return tr(c, "users.confirm.void_title_welcome", who)
	case models.PurposeInvitation:
		return tr(c, "users.confirm.void_title_invitation", who)
	}
	return tr(c, "users.confirm.void_title_reset", who)
}

// errLinkGone answers voiding a link that no longer works (or never did).
var errLinkGone = apperr.New(apperr.NotFound, "That link was already used, voided or expired.")
