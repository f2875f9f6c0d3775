package web

import (
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/models"
	"accountportal/views/i18n"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

type userHandlers struct {
	pages
	users *admin.Users
	roles *admin.Roles
}

// filterFrom reads the list's filter from query values; prefix is "" for
// the list's own query string and apages.FilterCopy for the copy a bulk
// form carries.
func filterFrom(get func(string) string, prefix string) (models.UserFilter, url.Values) {
	f := models.UserFilter{Search: get(prefix + apages.FilterSearch), Status: get(prefix + apages.FilterStatus)}
	switch f.Status {
	case models.StatusActive, models.StatusSuspended, models.StatusInvited:
	default:
		f.Status = ""
	}
	f.RoleID, _ = strconv.ParseInt(get(prefix+apages.FilterRole), 10, 64)
	f.Privileged = yesNoFilter(get(prefix + apages.FilterPrivileged))
	f.MFA = yesNoFilter(get(prefix + apages.FilterMFA))
	q := url.Values{}
	for _, k := range apages.UserFilters {
		if v := get(prefix + k); v != "" {
			q.Set(k, v)
		}
	}
	return f, q
}

// yesNoFilter reads "yes" or "no" as a filter; anything else is no filter.
func yesNoFilter(v string) *bool {
	switch v {
	case "yes":
		t := true
		return &t
	case "no":
		f := false
		return &f
	}
	return nil
}

func (h userHandlers) list(c echo.Context) error {
	return h.renderList(c, http.StatusOK, listState{get: c.QueryParam})
}

// listState is how the users list is asked for: its filter, sort and
// cursor from get (under prefix), and the bulk bar's choices and errors
// when it answers a bulk form.
type listState struct {
	get           func(string) string
	prefix        string
	action, scope string
	errs          map[string]string
}

// renderList renders the users list with status.
func (h userHandlers) renderList(c echo.Context, status int, ls listState) error {
	p := state(c).principal
	f, q := filterFrom(ls.get, ls.prefix)
	size, _ := strconv.Atoi(ls.get(apages.ListSize))
	list, err := h.users.ListUsers(c.Request().Context(), p, admin.ListQuery{Filter: f, Sort: ls.get(apages.ListSort),
		Size: size, After: ls.get("after"), Before: ls.get("before")})
	if err != nil {
		return err
	}
	roles, err := h.roles.RoleChoices(c.Request().Context(), p)
	if err != nil && !apperr.Is(err, apperr.Forbidden) {
		return err
	}
	m := viewmodel.UsersPage{Search: f.Search, Status: f.Status, Role: ls.get(ls.prefix + apages.FilterRole),
		Privileged: ls.get(ls.prefix + apages.FilterPrivileged), MFA: ls.get(ls.prefix + apages.FilterMFA),
		Sort: list.Sort, Size: list.Size, Query: q.Encode(), Action: ls.action, Scope: ls.scope,
		Errors: viewmodel.NewErrors(ls.errs, apages.FieldAction, apages.FieldScope)}
	for _, r := range roles {
		m.Roles = append(m.Roles, viewmodel.Choice{Value: itoa(r.ID), Label: roleName(c, r.Name)})
	}
	q.Set(apages.ListSort, list.Sort)
	q.Set(apages.ListSize, strconv.Itoa(list.Size))
	m.NextURL = pageURL("/admin/users", q, "after", list.Next)
	m.PrevURL = pageURL("/admin/users", q, "before", list.Prev)
	now := h.now()
	for _, r := range list.Rows {
		m.Rows = append(m.Rows, viewmodel.UserListRow{ID: itoa(r.User.ID), Name: r.User.DisplayName, Username: r.User.Username,
			Email: r.User.Email, Status: r.User.Status, Privileges: privilegeLabels(c, &r.User, r.Roles, r.Areas),
			LastSignIn: viewmodel.AtPtr(r.User.LastSignInAt, now), MFA: r.User.MFAEnrolledAt != nil,
			Offers: viewmodel.RowOffers{ResetMFA: r.Permits.May(admin.DoResetMFA),
				Deactivate: r.Permits.May(admin.DoDeactivate), Delete: r.Permits.May(admin.DoDelete)}})
	}
	return render(c, status, apages.Users(h.page(c, tr(c, "users.list.title")).Widened().WithScript("js/users-select.js"), m))
}

// pageURL is the address of path with q and one more parameter, or ""
// when value is "" (there is no such page): the pagers of the lists.
func pageURL(path string, q url.Values, key, value string) string {
	if value == "" {
		return ""
	}
	next := url.Values{}
	for k, v := range q {
		next[k] = v
	}
	next.Set(key, value)
	return path + "?" + next.Encode()
}

// privilegeLabels names a user's roles and support areas in the reader's
// language (a role an administrator named keeps its name).
func privilegeLabels(c echo.Context, u *models.User, roles, areas []string) []string {
	if u.IsPrimaryAdmin {
		return []string{tr(c, "users.primary_admin")}
	}
	out := make([]string, 0, len(roles)+len(areas))
	for _, r := range roles {
		out = append(out, roleName(c, r))
	}
	for _, a := range areas {
		out = append(out, permissionLabel(c, a))
	}
	return out
}

// roleName is a role's name in the reader's language: the built-in roles'
// names are the portal's words; a role an administrator made keeps theirs.
func roleName(c echo.Context, name string) string {
	switch name {
	case "Company Admin":
		return tr(c, "users.role.company_admin")
	case "IT Admin":
		return tr(c, "users.role.it_admin")
	case "Billing Admin":
		return tr(c, "users.role.billing_admin")
	}
	return name
}

func optionalStamp(t *time.Time) string {
	if t == nil {
		return "Never"
	}
	return stamp(*t)
}

// csv streams the users matching the list's filter.
func (h userHandlers) csv(c echo.Context) error {
	p := state(c).principal
	f, _ := filterFrom(c.QueryParam, "")
	r := c.Response()
	r.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	r.Header().Set(echo.HeaderContentDisposition, `attachment; filename="users-`+p.Account.Number+`.csv"`)
	r.WriteHeader(http.StatusOK)
	return h.users.ExportUsers(c.Request().Context(), p, f, r)
}

// The service's refusals that wrap a reason ("You cannot do that: only the
// Primary Admin acts on the Primary Admin.") and their catalog ids: the
// reason is said by its own [problem…] entry.
var wrappedWhy = []struct{ prefix, id string }{
	{"You cannot do that: ", "users.why.cannot"},
	{"Not sent: ", "users.why.not_sent"},
	{"Not done: ", "users.why.not_done"},
}

// localWhy is a service's reason for refusing an action on a user in the
// reader's language: as a message of its own, as one wrapping a reason,
// or as a reason made a sentence (capitalised, with a full stop).
func localWhy(c echo.Context, msg string) string {
	if l := localProblem(c, msg); l != msg || msg == "" || i18n.Lang(c.Request().Context()) == i18n.Default {
		return l
	}
	inner, ok := strings.CutSuffix(msg, ".")
	if !ok {
		return msg
	}
	for _, w := range wrappedWhy {
		if why, ok := strings.CutPrefix(inner, w.prefix); ok {
			return wrapWhy(c, w.id, localProblem(c, why))
		}
	}
	r, n := utf8.DecodeRuneInString(inner)
	reason := string(unicode.ToLower(r)) + inner[n:]
	if l := localProblem(c, reason); l != reason {
		r, n = utf8.DecodeRuneInString(l)
		return string(unicode.ToUpper(r)) + l[n:] + "."
	}
	return msg
}

// wrapWhy says a wrapped reason (wrappedWhy) with its catalog id.
func wrapWhy(c echo.Context, id, why string) string {
	data := map[string]any{"Why": why}
	switch id {
	case "users.why.not_sent":
		return tr(c, "users.why.not_sent", data)
	case "users.why.not_done":
		return tr(c, "users.why.not_done", data)
	}
	return tr(c, "users.why.cannot", data)
}
