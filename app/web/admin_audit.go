package web

import (
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/support"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

type auditHandlers struct {
	pages
	svc *admin.Audit
}

// list shows one page of the log. A filter the handler cannot read or the
// service refuses shows the form again with its problems, and no events.
func (h auditHandlers) list(c echo.Context) error {
	q := readAuditForm(c.QueryParam)
	f, fields := q.filter()
	page, err := h.svc.AuditLog(c.Request().Context(), state(c).principal, f)
	if err != nil && (page == nil || !addAuditProblems(err, fields)) {
		return err
	}
	status := http.StatusOK
	if len(fields) > 0 {
		status = http.StatusUnprocessableEntity
	}
	title := tr(c, "nav.audit")
	if q.support() {
		title = tr(c, "admin.audit.support_title")
	}
	return render(c, status, apages.Audit(h.page(c, title).Widened(), auditView(c, q, page, fields, h.now())))
}

// auditView builds the page's view model; fields are the filter's errors
// and now is when the page is shown, for its dates.
func auditView(c echo.Context, q auditForm, page *admin.AuditPage, fields map[string]string, now time.Time) viewmodel.AuditPage {
	size := strconv.Itoa(page.Size)
	m := viewmodel.AuditPage{
		Filter: viewmodel.AuditFilter{Actor: q.Actor, Target: q.Target, Action: q.Action, From: q.From, To: q.To, Size: size},
		Errors: viewmodel.NewErrors(fields, apages.AuditFields...),
	}
	actions := page.Actions
	m.Support = q.support()
	if q.Action != "" && !slices.Contains(actions, q.Action) {
		// Keep an action typed into the address selected, so the form
		// shows the filter the table obeys.
		actions = append(slices.Clone(actions), q.Action)
	}
	for _, a := range actions {
		// The code stays the value, so the address and the CSV filter
		// as before; people read the label.
		label := audit.ActionLabel(a)
		if m.Support {
			label = support.OutcomeLabel(a)
		}
		m.Actions = append(m.Actions, viewmodel.Choice{Value: a, Label: localProblem(c, label)})
	}
	for _, n := range admin.AuditPageSizes() {
		m.Sizes = append(m.Sizes, viewmodel.Choice{Value: strconv.Itoa(n), Label: strconv.Itoa(n)})
	}
	if m.Errors.Any() {
		return m
	}
	m.Rows = localAuditRows(c, page.Events, now)
	filter := auditFilterValues(q, page.Size)
	// The CSV has every matching event, so the page size means nothing to it.
	m.CSVHref = auditHref("/admin/audit.csv", filter, apages.AuditSize, "")
	if !page.Prev.IsZero() {
		key, value := auditCursorParam(page.Prev)
		m.NewerHref = auditHref("/admin/audit", filter, key, value)
	}
	if !page.Next.IsZero() {
		key, value := auditCursorParam(page.Next)
		m.OlderHref = auditHref("/admin/audit", filter, key, value)
	}
	return m
}

// auditFilterValues is the filter (never the position) as a query string;
// the default page size is left out to keep addresses short.
func auditFilterValues(q auditForm, size int) url.Values {
	v := url.Values{}
	for k, val := range map[string]string{apages.AuditActor: q.Actor, apages.AuditTarget: q.Target,
		apages.AuditAction: q.Action, apages.AuditFrom: q.From, apages.AuditTo: q.To,
		apages.AuditView: q.View} {
		if val != "" {
			v.Set(k, val)
		}
	}
	if size != admin.DefaultAuditPageSize {
		v.Set(apages.AuditSize, strconv.Itoa(size))
	}
	return v
}

// auditHref is path with the filter, where key is set to value (a cursor),
// or left out when value is "".
func auditHref(path string, filter url.Values, key, value string) string {
	v := url.Values{}
	for k, vs := range filter {
		v[k] = vs
	}
	v.Del(key)
	if value != "" {
		v.Set(key, value)
	}
	if len(v) == 0 {
		return path
	}
	return path + "?" + v.Encode()
}

// csv downloads everything the filter matches. Headers are written with
// the first byte, so a refusal before it still gets the usual error page.
func (h auditHandlers) csv(c echo.Context) error {
	p := state(c).principal
	f, fields := readAuditForm(c.QueryParam).filter()
	if len(fields) > 0 {
		return apperr.Fields(fields)
	}
	name := "audit-" + p.Account.Number + "-" + h.now().UTC().Format("2006-01-02") + ".csv"
	err := h.svc.ExportAudit(c.Request().Context(), p, f, &csvAttachment{c: c, filename: name})
	if addAuditProblems(err, fields) {
		return apperr.Fields(fields)
	}
	return err
}

// csvAttachment writes a CSV download, sending its headers on the first Write.
type csvAttachment struct {
	c        echo.Context
	filename string
	started  bool
}

func (a *csvAttachment) Write(b []byte) (int, error) {
	res := a.c.Response()
	if !a.started {
		a.started = true
		res.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
		res.Header().Set(echo.HeaderContentDisposition, `attachment; filename="`+a.filename+`"`)
		// The log names people and addresses: no shared cache may keep it.
		res.Header().Set("Cache-Control", "no-store")
		res.WriteHeader(http.StatusOK)
	}
	return res.Write(b)
}
