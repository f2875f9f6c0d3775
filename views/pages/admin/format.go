package admin

import (
	"strconv"

	"accountportal/views/viewmodel"
)

func itoa(n int) string { return strconv.Itoa(n) }

func summary(j viewmodel.BulkJobRow) string {
	return strconv.FormatInt(j.Done, 10) + " done, " + strconv.FormatInt(j.Skipped, 10) + " skipped, " +
		strconv.FormatInt(j.Failed, 10) + " failed."
}

func countText(m viewmodel.BulkPage) string {
	s := strconv.FormatInt(m.Total, 10) + " users"
	if m.Total == 1 {
		s = "1 user"
	}
	if m.More > 0 {
		return s + ": the first are listed below, and " + strconv.FormatInt(m.More, 10) + " more."
	}
	return s + ":"
}

func statusText(j viewmodel.BulkJobRow) string {
	switch j.Status {
	case "queued":
		return "Waiting to start"
	case "running":
		return "In progress"
	case "done":
		return "Finished"
	}
	return "Stopped"
}

func progress(j viewmodel.BulkJobRow) string {
	handled := j.Done + j.Skipped + j.Failed
	return strconv.FormatInt(handled, 10) + " of " + strconv.FormatInt(j.Total, 10) + " users handled"
}

func outcomeFilters() []viewmodel.Choice {
	return []viewmodel.Choice{{Label: "All", Value: ""}, {Label: "Done", Value: "done"},
		{Label: "Skipped", Value: "skipped"}, {Label: "Failed", Value: "failed"}}
}

func jobFilterURL(id, outcome string) string {
	if outcome == "" {
		return "/admin/users/jobs/" + id
	}
	return "/admin/users/jobs/" + id + "?outcome=" + outcome
}

func outcomeText(o viewmodel.JobOutcome) string {
	switch o.Outcome {
	case "done":
		return "done"
	case "skipped":
		return "skipped: " + o.Why
	}
	return "failed, " + o.Why
}
