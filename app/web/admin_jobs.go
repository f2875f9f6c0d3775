package web

import (
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/models"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

// jobsShown is how many recent bulk actions the list shows; outcomesShown
// how many users one page of a bulk action lists.
const (
	jobsShown     = 50
	outcomesShown = 100
)

// jobs lists the account's recent bulk actions.
func (h bulkHandlers) jobs(c echo.Context) error {
	list, err := h.bulk.BulkJobs(c.Request().Context(), state(c).principal, jobsShown)
	if err != nil {
		return err
	}
	m := viewmodel.BulkJobsPage{}
	for _, j := range list {
		m.Jobs = append(m.Jobs, jobRow(j, h.now()))
	}
	return render(c, http.StatusOK, apages.Jobs(h.page(c, tr(c, "jobs.title")).Widened(), m))
}

// job shows one bulk action's progress and a page of its outcomes.
func (h bulkHandlers) job(c echo.Context) error {
	id, err := jobID(c)
	if err != nil {
		return err
	}
	outcome := c.QueryParam("outcome")
	switch outcome {
	case models.OutcomeDone, models.OutcomeSkipped, models.OutcomeFailed:
	default:
		outcome = ""
	}
	after, _ := atoi(c.QueryParam("after"))
	page, err := h.bulk.BulkJob(c.Request().Context(), state(c).principal, id, outcome, after, outcomesShown)
	if err != nil {
		return err
	}
	m := viewmodel.BulkJobPage{Job: jobRow(page.Job, h.now()), Outcome: outcome, ListURL: "/admin/users",
		Working: page.Job.Status == models.BulkQueued || page.Job.Status == models.BulkRunning}
	m.Job.Failure = localProblem(c, m.Job.Failure)
	if list := listFilter(c.QueryParam(listParam)); list != "" {
		m.ListURL += "?" + list
		m.Query = url.Values{listParam: {list}}.Encode()
	}
	for _, r := range page.Results {
		m.Outcomes = append(m.Outcomes, viewmodel.JobOutcome{Name: r.DisplayName + " (" + r.Username + ")", Outcome: r.Outcome, Why: outcomeWhy(c, r.Why)})
	}
	if page.Next != 0 {
		q := url.Values{"after": {itoa(page.Next)}}
		if outcome != "" {
			q.Set("outcome", outcome)
		}
		if m.Query != "" {
			q.Set(listParam, c.QueryParam(listParam))
		}
		m.NextURL = "/admin/users/jobs/" + itoa(id) + "?" + q.Encode()
	}
	return render(c, http.StatusOK, apages.Job(h.page(c, apages.JobTitle(c.Request().Context(), m.Job)), m))
}

// jobCSV downloads every outcome of one bulk action.
func (h bulkHandlers) jobCSV(c echo.Context) error {
	id, err := jobID(c)
	if err != nil {
		return err
	}
	p := state(c).principal
	if _, err := h.bulk.BulkJob(c.Request().Context(), p, id, "", 0, 1); err != nil {
		return err
	}
	r := c.Response()
	r.Header().Set(echo.HeaderContentType, "text/csv; charset=utf-8")
	r.Header().Set(echo.HeaderContentDisposition, `attachment; filename="bulk-action-`+itoa(id)+`.csv"`)
	r.WriteHeader(http.StatusOK)
	return h.bulk.ExportBulkResults(c.Request().Context(), p, id, r)
}

func jobID(c echo.Context) (int64, error) {
	id, err := atoi(c.Param("job"))
	if err != nil {
		return 0, admin.ErrNoSuchJob
	}
	return id, nil
}

// listParam carries, on a bulk action's page, the users list's filter it
// was started from, for the link back.
const listParam = "list"

// listFilter reads the users list's filter from a listParam value, keeping
// only the list's own parameters; "" when there is none.
func listFilter(raw string) string {
	vals, err := url.ParseQuery(raw)
	if err != nil {
		return ""
	}
	_, q := filterFrom(vals.Get, "")
	return q.Encode()
}

// jobRow turns a bulk job into its row on the pages.
func jobRow(j models.BulkJob, now time.Time) viewmodel.BulkJobRow {
	return viewmodel.BulkJobRow{ID: itoa(j.ID), Code: j.Action, Action: admin.BulkName(j.Action), Actor: j.ActorName, Reason: j.Reason,
		Created: viewmodel.At(j.CreatedAt, now), Finished: viewmodel.AtPtr(j.FinishedAt, now), Status: j.Status, Failure: j.Failure,
		Total: j.Total, Done: j.DoneCount, Skipped: j.SkippedCount, Failed: j.FailedCount}
}

// batchFailed starts why a user's outcome failed when their whole batch
// did (admin's workBatch).
const batchFailed = "nothing changed for this batch: "

// outcomeWhy is why a bulk action skipped or failed a user, in the
// reader's language.
func outcomeWhy(c echo.Context, why string) string {
	if rest, ok := strings.CutPrefix(why, batchFailed); ok {
		return tr(c, "jobs.batch_failed", map[string]any{"Why": localProblem(c, rest)})
	}
	return localProblem(c, why)
}
