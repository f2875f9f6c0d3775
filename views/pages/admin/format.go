package admin

import (
	"context"
	"strconv"
	"strings"

	"github.com/a-h/templ"

	"accountportal/views/components"
	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

func itoa(n int) string { return strconv.Itoa(n) }

func summary(ctx context.Context, j viewmodel.BulkJobRow) string {
	return i18n.T(ctx, "jobs.summary", map[string]any{"Done": Thousands(ctx, j.Done), "Skipped": Thousands(ctx, j.Skipped),
		"Failed": Thousands(ctx, j.Failed)})
}

func statusText(ctx context.Context, j viewmodel.BulkJobRow) string {
	switch j.Status {
	case "queued":
		return i18n.T(ctx, "jobs.queued")
	case "running":
		return i18n.T(ctx, "jobs.running")
	case "done":
		return i18n.T(ctx, "jobs.done")
	}
	return i18n.T(ctx, "jobs.stopped")
}

func progress(ctx context.Context, j viewmodel.BulkJobRow) string {
	return i18n.N(ctx, "jobs.progress", int(j.Total), map[string]any{"Handled": Thousands(ctx, handled(j)),
		"Count": Thousands(ctx, j.Total), "Percent": percent(ctx, j)})
}

func outcomeFilters(ctx context.Context) []viewmodel.Choice {
	return []viewmodel.Choice{{Label: i18n.T(ctx, "jobs.filter_all"), Value: ""}, {Label: i18n.T(ctx, "jobs.filter_done"), Value: "done"},
		{Label: i18n.T(ctx, "jobs.filter_skipped"), Value: "skipped"}, {Label: i18n.T(ctx, "jobs.filter_failed"), Value: "failed"}}
}

// jobFilterURL is a bulk action's page showing one kind of outcome; query
// carries the users list's filter, or is "".
func jobFilterURL(id, outcome, query string) string {
	u := "/admin/users/jobs/" + id
	switch {
	case outcome != "" && query != "":
		return u + "?outcome=" + outcome + "&" + query
	case outcome != "":
		return u + "?outcome=" + outcome
	case query != "":
		return u + "?" + query
	}
	return u
}

// handled is how many users a job has reached.
func handled(j viewmodel.BulkJobRow) int64 { return j.Done + j.Skipped + j.Failed }

// outcomeText is what a bulk action did to one user; Why is the
// service's reason, said in the reader's language by the handler.
func outcomeText(ctx context.Context, o viewmodel.JobOutcome) string {
	switch o.Outcome {
	case "done":
		return i18n.T(ctx, "jobs.outcome_done")
	case "skipped":
		return i18n.T(ctx, "jobs.outcome_skipped", map[string]any{"Why": o.Why})
	}
	return i18n.T(ctx, "jobs.outcome_failed", map[string]any{"Why": o.Why})
}

// BulkAction is one action of the users list's "More" menu: its value is
// a bulk action of app/admin, and its words (the menu's label, its
// button's, its preview's title and its result's title, each with the
// count) are said in the reader's language by bulkWords.
type BulkAction struct {
	Value string
}

// BulkActions are the "More" menu's actions, in its order.
var BulkActions = []BulkAction{{"reset"}, {"deactivate"}, {"reactivate"}, {"signout"}, {"mfa"}}

// The words of a bulk action bulkWords gives.
const (
	wordLabel = iota
	wordButton
	wordTitle
	wordDone
	wordName
	wordLead
)

// bulkWords is one of the words of action (word*) for n users (ignored by
// the label, name and lead): the button and title name whom ({{.Whom}}:
// "3 users"), the result counts them. The button's words for the script
// are asked with n < 0: they keep {n} where the script writes whom ("3
// users", "everyone matching").
func bulkWords(ctx context.Context, action string, word int, n int64) string {
	ids, ok := bulkWordIDs[action]
	if !ok {
		return action
	}
	d := map[string]any{"Count": Thousands(ctx, n), "Whom": UserCount(ctx, n)}
	if n < 0 {
		d["Whom"] = "{n}"
	}
	if word == wordDone {
		return i18n.N(ctx, ids[word], int(n), d)
	}
	return i18n.T(ctx, ids[word], d)
}

// bulkWordIDs are each action's words' catalog ids, in word* order.
var bulkWordIDs = map[string][6]string{
	"reset":      {"bulk.reset.label", "bulk.reset.button", "bulk.reset.title", "bulk.reset.done", "bulk.reset.name", "bulk.reset.lead"},
	"deactivate": {"bulk.deactivate.label", "bulk.deactivate.button", "bulk.deactivate.title", "bulk.deactivate.done", "bulk.deactivate.name", "bulk.deactivate.lead"},
	"reactivate": {"bulk.reactivate.label", "bulk.reactivate.button", "bulk.reactivate.title", "bulk.reactivate.done", "bulk.reactivate.name", "bulk.reactivate.lead"},
	"signout":    {"bulk.signout.label", "bulk.signout.button", "bulk.signout.title", "bulk.signout.done", "bulk.signout.name", "bulk.signout.lead"},
	"mfa":        {"bulk.mfa.label", "bulk.mfa.button", "bulk.mfa.title", "bulk.mfa.done", "bulk.mfa.name", "bulk.mfa.lead"},
}

// Label is the action as the "More" menu names it.
func (a BulkAction) Label(ctx context.Context) string { return bulkWords(ctx, a.Value, wordLabel, 0) }

// Button is the words of the action's button with {n} for whom, for the
// script that names the count.
func (a BulkAction) Button(ctx context.Context) string {
	return bulkWords(ctx, a.Value, wordButton, -1)
}

// BulkButton names a bulk action and its count: "Deactivate 3 users".
func BulkButton(ctx context.Context, action string, n int64) string {
	return bulkWords(ctx, action, wordButton, n)
}

// BulkTitle asks the preview's question: "Deactivate 3 users?".
func BulkTitle(ctx context.Context, action string, n int64) string {
	return bulkWords(ctx, action, wordTitle, n)
}

// BulkName names a bulk action in a few words, for lists and headings:
// "Deactivate users".
func BulkName(ctx context.Context, action string) string { return bulkWords(ctx, action, wordName, 0) }

// BulkLead says what a bulk action does to each user, for its preview.
func BulkLead(ctx context.Context, action string) string { return bulkWords(ctx, action, wordLead, 0) }

// JobTitle says what a bulk action did, or is doing: "3 users
// deactivated", "Deactivate 100,000 users: in progress".
func JobTitle(ctx context.Context, j viewmodel.BulkJobRow) string {
	switch j.Status {
	case "done":
		return bulkWords(ctx, j.Code, wordDone, j.Done)
	case "failed":
		return i18n.T(ctx, "jobs.title_stopped", map[string]any{"Action": strings.TrimSuffix(BulkTitle(ctx, j.Code, j.Total), "?")})
	}
	return i18n.T(ctx, "jobs.title_running", map[string]any{"Action": strings.TrimSuffix(BulkTitle(ctx, j.Code, j.Total), "?")})
}

// UserCount is "1 user", "3 users", "100,000 users".
func UserCount(ctx context.Context, n int64) string {
	return i18n.N(ctx, "bulk.users", int(n), map[string]any{"Count": Thousands(ctx, n)})
}

// Thousands writes n as the reader's language writes numbers: "100,000",
// "100.000", "100 000".
func Thousands(ctx context.Context, n int64) string { return i18n.Number(ctx, int(n)) }

// percent is how much of a job is handled, rounded down.
func percent(ctx context.Context, j viewmodel.BulkJobRow) string {
	p := int64(100)
	if j.Total != 0 {
		p = handled(j) * 100 / j.Total
	}
	return i18n.T(ctx, "jobs.percent", map[string]any{"Percent": strconv.FormatInt(p, 10)})
}

// bulkCount says whom a previewed bulk action changes.
func bulkCount(ctx context.Context, m viewmodel.BulkPage) string {
	d := map[string]any{"Count": Thousands(ctx, m.Acts), "Total": Thousands(ctx, m.Total), "More": Thousands(ctx, m.More)}
	n := int(m.Acts)
	var s string
	switch {
	case m.SkipCount > 0 && m.Scope == "matching":
		s = i18n.N(ctx, "bulk.count_of_matching", n, d)
	case m.SkipCount > 0:
		s = i18n.N(ctx, "bulk.count_of_chosen", n, d)
	default:
		s = i18n.N(ctx, "bulk.count", n, d)
	}
	switch {
	case m.More > 0:
		return s + i18n.N(ctx, "bulk.count_more", int(m.More), d)
	case m.Acts <= 0:
		return s + i18n.T(ctx, "bulk.count_end")
	}
	return s + i18n.T(ctx, "bulk.count_list")
}

// statusIDs are the catalog ids of a status: as the console shows it
// ("active"), and as the filter offers it ("Active").
var statusIDs = map[string][2]string{
	"active":    {"users.status.active", "users.status.active_name"},
	"suspended": {"users.status.suspended", "users.status.suspended_name"},
	"invited":   {"users.status.invited", "users.status.invited_name"},
}

// StatusWord is a user's status as the console shows it: "active" in the
// reader's language.
func StatusWord(ctx context.Context, status string) string { return statusSaid(ctx, status, 0) }

// StatusName is a status as the filter offers it: "Active".
func StatusName(ctx context.Context, status string) string { return statusSaid(ctx, status, 1) }

func statusSaid(ctx context.Context, status string, form int) string {
	if ids, ok := statusIDs[status]; ok {
		return i18n.T(ctx, ids[form])
	}
	return status
}

// bulkScriptWords are the words the users list's script writes as the
// selection changes (static/js/users-select.js): the count, the button's
// words before a choice, whom the button names, in the reader's plural
// forms ({n} stands for the number).
func bulkScriptWords(ctx context.Context) templ.Attributes {
	n := map[string]any{"Count": "{n}"}
	return templ.Attributes{
		"data-words-lang":           i18n.Lang(ctx),
		"data-words-continue":       i18n.T(ctx, "bulk.continue"),
		"data-words-everyone":       i18n.T(ctx, "bulk.everyone"),
		"data-words-users-one":      i18n.N(ctx, "bulk.users", 1, n),
		"data-words-users-other":    i18n.N(ctx, "bulk.users", 2, n),
		"data-words-selected-one":   i18n.N(ctx, "bulk.selected", 1, n),
		"data-words-selected-other": i18n.N(ctx, "bulk.selected", 2, n),
	}
}

// accountLanguageOptions are the account's default language choices: none
// (each user's browser language), then the portal's languages, each named
// in itself.
func accountLanguageOptions(ctx context.Context, m viewmodel.SecurityPage) []components.Option {
	out := []components.Option{{Value: "", Label: i18n.T(ctx, "admin.security.browser_language")}}
	for _, c := range m.Languages {
		out = append(out, components.Option{Value: c.Value, Label: c.Label, Lang: c.Value})
	}
	return out
}

// accountZoneOptions are the account's default time zone choices; none is
// UTC.
func accountZoneOptions(m viewmodel.SecurityPage) []components.Option {
	out := []components.Option{{Value: "", Label: "UTC"}}
	for _, z := range m.Zones {
		if z != "UTC" {
			out = append(out, components.Option{Value: z, Label: z})
		}
	}
	return out
}
