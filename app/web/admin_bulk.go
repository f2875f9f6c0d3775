package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/mfa"
	"accountportal/app/textinput"
	"accountportal/models"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

// bulkHandlers are the users console's bulk actions and their jobs.
type bulkHandlers struct {
	pages
	bulk *admin.Bulk
}

// bulkFields shows a bulk action's problems on the preview's form.
var bulkFields = formFields{admin.Reason: apages.FieldReason, mfa.AdminCode: apages.FieldAdminCode}

// bulkForm is the "More" menu's form and the preview's form; its tags are
// field names of views/pages/admin.
type bulkForm struct {
	Action    string   `form:"action"`
	Scope     string   `form:"scope"`
	IDs       []string `form:"id"`
	Reason    string   `form:"reason"`
	AdminCode string   `form:"admin_code"`
}

// previewLimit is how many names the preview lists.
const previewLimit = 100

// selection reads which users a bulk form means.
func selection(c echo.Context, f bulkForm) (admin.Selection, []viewmodel.Choice, error) {
	if f.Scope == "matching" {
		get := c.Request().PostFormValue
		if !filterValid(get, apages.FilterCopy) {
			return admin.Selection{}, nil, errBadBulkFilter
		}
		filter, _ := filterFrom(get, apages.FilterCopy)
		var fields []viewmodel.Choice
		for _, k := range []string{"f_q", "f_status", "f_role", "f_privileged", "f_mfa"} {
			fields = append(fields, viewmodel.Choice{Label: k, Value: c.Request().PostFormValue(k)})
		}
		return admin.Selection{Matching: &filter}, fields, nil
	}
	var sel admin.Selection
	for _, s := range f.IDs {
		id, err := atoi(s)
		if err != nil {
			return sel, nil, admin.ErrNoSuchUser
		}
		sel.IDs = append(sel.IDs, id)
	}
	if len(sel.IDs) == 0 {
		return sel, nil, apperr.New(apperr.Invalid, "Select at least one user, or choose everyone matching the filter.")
	}
	return sel, nil, nil
}

// errBadBulkFilter refuses a bulk action whose filter has a value the users
// list does not offer: dropping it would widen the action, perhaps to
// everyone.
var errBadBulkFilter = apperr.New(apperr.Invalid,
	"The filter has a value the users list does not offer, so the action was not started. Go back to the users list and choose the filter again.")

// filterValid reports whether every filter value is one the users list
// offers (or empty).
func filterValid(get func(string) string, prefix string) bool {
	if textinput.Check(get(prefix+apages.FilterSearch)) != "" {
		return false
	}
	switch get(prefix + apages.FilterStatus) {
	case "", models.StatusActive, models.StatusSuspended, models.StatusInvited:
	default:
		return false
	}
	if role := get(prefix + apages.FilterRole); role != "" {
		if id, err := strconv.ParseInt(role, 10, 64); err != nil || id <= 0 {
			return false
		}
	}
	for _, k := range []string{apages.FilterPrivileged, apages.FilterMFA} {
		if v := get(prefix + k); v != "" && v != "yes" && v != "no" {
			return false
		}
	}
	return true
}

// preview lists who a bulk action will touch and asks for a reason.
func (h bulkHandlers) preview(c echo.Context) error {
	var f bulkForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	return h.renderPreview(c, http.StatusOK, f, nil)
}

func (h bulkHandlers) renderPreview(c echo.Context, status int, f bulkForm, errs map[string]string) error {
	label := admin.BulkLabel(f.Action)
	if label == "" {
		return apperr.New(apperr.Invalid, "Choose an action from the More menu.")
	}
	sel, fields, err := selection(c, f)
	if err != nil {
		return err
	}
	users, total, err := h.bulk.BulkPreview(c.Request().Context(), state(c).principal, sel, previewLimit)
	if err != nil {
		return err
	}
	m := viewmodel.BulkPage{Action: f.Action, Label: label, Scope: f.Scope, IDs: f.IDs, Filter: fields, Total: total,
		More: max(total-int64(len(users)), 0), Reason: f.Reason, Errors: viewmodel.NewErrors(errs, apages.BulkFields...),
		AskAdminCode: f.Action == admin.BulkResetMFA && state(c).principal.User.MFAEnrolledAt != nil}
	if m.Scope != "matching" {
		m.Scope = "selected"
	}
	for _, u := range users {
		m.Names = append(m.Names, u.DisplayName+" ("+u.Username+")")
	}
	return render(c, status, apages.Bulk(h.page(c, "Check before you go ahead"), m))
}

// run records a previewed bulk action as a job and shows its page, where
// its progress and each user's outcome appear as the job queue works it.
func (h bulkHandlers) run(c echo.Context) error {
	var f bulkForm
	if err := bindForm(c, &f); err != nil {
		if errs, ok := fieldErrors(err); ok {
			return h.renderPreview(c, http.StatusUnprocessableEntity, f, errs)
		}
		return err
	}
	sel, _, err := selection(c, f)
	if err != nil {
		return err
	}
	id, err := h.bulk.StartBulk(c.Request().Context(), state(c).principal,
		admin.BulkRequest{Action: f.Action, Selection: sel, Reason: f.Reason, AdminCode: f.AdminCode}, origin(c))
	if errs, ok := bulkFields.errors(err); ok && len(errs) > 0 {
		return h.renderPreview(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return c.Redirect(http.StatusSeeOther, "/admin/users/jobs/"+itoa(id))
}
