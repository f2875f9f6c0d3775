package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"

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
	// list re-renders the users list when the bulk bar is answered with
	// nothing chosen.
	list userHandlers
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

// selection reads which users a bulk form means; with none chosen it
// returns errNoneChosen.
func selection(c echo.Context, f bulkForm) (admin.Selection, error) {
	if f.Scope == "matching" {
		get := c.Request().PostFormValue
		if !filterValid(get, apages.FilterCopy) {
			return admin.Selection{}, errBadBulkFilter
		}
		filter, _ := filterFrom(get, apages.FilterCopy)
		return admin.Selection{Matching: &filter}, nil
	}
	var sel admin.Selection
	for _, s := range f.IDs {
		id, err := atoi(s)
		if err != nil {
			return sel, admin.ErrNoSuchUser
		}
		sel.IDs = append(sel.IDs, id)
	}
	if len(sel.IDs) == 0 {
		return sel, errNoneChosen
	}
	return sel, nil
}

// errNoneChosen is a bulk form with no user ticked.
var errNoneChosen = apperr.New(apperr.Invalid, "Select at least one user, or choose everyone matching the filter")

// filterCopies are the users list's filter as the bulk forms carry it.
func filterCopies(c echo.Context) []viewmodel.Choice {
	var fields []viewmodel.Choice
	for _, k := range apages.UserFilters {
		fields = append(fields, viewmodel.Choice{Label: apages.FilterCopy + k, Value: c.Request().PostFormValue(apages.FilterCopy + k)})
	}
	return fields
}

// listURL is the users list with the filter a bulk form carries.
func listURL(c echo.Context) string {
	_, q := filterFrom(c.Request().PostFormValue, apages.FilterCopy)
	if len(q) == 0 {
		return "/admin/users"
	}
	return "/admin/users?" + q.Encode()
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

// preview lists whom a bulk action will change and skip, and asks for a
// reason. An action or selection missing re-renders the users list with
// the problem (422), where the bulk bar can be answered again.
func (h bulkHandlers) preview(c echo.Context) error {
	var f bulkForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	errs := map[string]string{}
	if admin.BulkLabel(f.Action) == "" {
		errs[apages.FieldAction] = tr(c, "bulk.refuse_action")
	}
	if _, err := selection(c, f); err == errNoneChosen {
		errs[apages.FieldScope] = tr(c, "bulk.refuse_scope")
	}
	if len(errs) > 0 {
		return h.list.renderList(c, http.StatusUnprocessableEntity,
			listState{get: c.Request().PostFormValue, prefix: apages.FilterCopy, action: f.Action, scope: f.Scope, errs: errs})
	}
	return h.renderPreview(c, http.StatusOK, f, nil)
}

func (h bulkHandlers) renderPreview(c echo.Context, status int, f bulkForm, errs map[string]string) error {
	label := admin.BulkLabel(f.Action)
	if label == "" {
		return apperr.New(apperr.Invalid, "Choose an action from the More menu.")
	}
	sel, err := selection(c, f)
	if err != nil {
		return err
	}
	pre, err := h.bulk.BulkPreview(c.Request().Context(), state(c).principal, f.Action, sel, previewLimit)
	if err != nil {
		return err
	}
	ctx := c.Request().Context()
	m := viewmodel.BulkPage{Action: f.Action, Label: apages.BulkLead(ctx, f.Action), Scope: f.Scope, IDs: f.IDs, Filter: filterCopies(c), ListURL: listURL(c),
		Total: pre.Total, Acts: pre.Acts(), SkipCount: pre.SkipCount, More: max(pre.Acts()-int64(len(pre.Acting)), 0),
		Unchecked: pre.Total - pre.Checked, Reason: f.Reason, Errors: viewmodel.NewErrors(localErrors(c, errs), apages.BulkFields...),
		AskAdminCode: f.Action == admin.BulkResetMFA && state(c).principal.User.MFAEnrolledAt != nil}
	if m.Scope != "matching" {
		m.Scope = "selected"
	}
	for _, u := range pre.Acting {
		m.Names = append(m.Names, u.DisplayName+" ("+u.Username+")")
	}
	for _, o := range pre.Skipped {
		m.Skipped = append(m.Skipped, viewmodel.SkipRow{Name: o.User.DisplayName + " (" + o.User.Username + ")", Why: skipWhy(c, o.Why)})
	}
	title := apages.BulkTitle(ctx, f.Action, m.Acts)
	if m.Acts <= 0 {
		title = tr(c, "bulk.nothing_title")
	}
	return render(c, status, apages.Bulk(h.page(c, title), m))
}

// run records a previewed bulk action as a job and shows its page, where
// its progress and each user's outcome appear as the job queue works it.
// The job page keeps the users list's filter, for the way back.
func (h bulkHandlers) run(c echo.Context) error {
	var f bulkForm
	if err := bindForm(c, &f); err != nil {
		if errs, ok := fieldErrors(err); ok {
			return h.renderPreview(c, http.StatusUnprocessableEntity, f, errs)
		}
		return err
	}
	sel, err := selection(c, f)
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
	to := "/admin/users/jobs/" + itoa(id)
	if _, q := filterFrom(c.Request().PostFormValue, apages.FilterCopy); len(q) > 0 {
		to += "?" + url.Values{listParam: {q.Encode()}}.Encode()
	}
	return c.Redirect(http.StatusSeeOther, to)
}

// skipWhy is why the preview skips a user ("skipped: already suspended") in
// the reader's language.
func skipWhy(c echo.Context, why string) string {
	if reason, ok := strings.CutPrefix(why, "skipped: "); ok {
		return tr(c, "jobs.outcome_skipped", map[string]any{"Why": localProblem(c, reason)})
	}
	return localProblem(c, why)
}
