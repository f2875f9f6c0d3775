package admin

import (
	"strconv"
	"strings"

	"accountportal/views/components"
	"accountportal/views/viewmodel"
)

func itoa(n int) string { return strconv.Itoa(n) }

func summary(j viewmodel.BulkJobRow) string {
	return Thousands(j.Done) + " done, " + Thousands(j.Skipped) + " skipped, " + Thousands(j.Failed) + " failed."
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
	return Thousands(handled(j)) + " of " + UserCount(j.Total) + " handled (" + percent(j) + ")"
}

func outcomeFilters() []viewmodel.Choice {
	return []viewmodel.Choice{{Label: "All", Value: ""}, {Label: "Done", Value: "done"},
		{Label: "Skipped", Value: "skipped"}, {Label: "Failed", Value: "failed"}}
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

func outcomeText(o viewmodel.JobOutcome) string {
	switch o.Outcome {
	case "done":
		return "done"
	case "skipped":
		return "skipped: " + o.Why
	}
	return "failed, " + o.Why
}

// BulkAction is one action of the users list's "More" menu with the words
// of its button, its preview's title and its result's title; {n} stands
// for whom ("3 users").
type BulkAction struct {
	Value, Label, Button, Title, Done string
}

// BulkActions are the "More" menu's actions, in its order; their values
// are the bulk actions of app/admin.
var BulkActions = []BulkAction{
	{Value: "reset", Label: "Send password reset", Button: "Send password reset to {n}",
		Title: "Send a password reset link to {n}?", Done: "Password reset link sent to {n}"},
	{Value: "deactivate", Label: "Deactivate", Button: "Deactivate {n}", Title: "Deactivate {n}?", Done: "{n} deactivated"},
	{Value: "reactivate", Label: "Reactivate", Button: "Reactivate {n}", Title: "Reactivate {n}?", Done: "{n} reactivated"},
	{Value: "signout", Label: "Sign out everywhere", Button: "Sign out {n} everywhere",
		Title: "Sign out {n} everywhere?", Done: "{n} signed out everywhere"},
	{Value: "mfa", Label: "Reset user multi-factor authentication", Button: "Reset MFA for {n}",
		Title: "Reset multi-factor authentication for {n}?", Done: "Multi-factor authentication reset for {n}"},
}

// bulkWords fills the words of action picked by pick with n users.
func bulkWords(action string, n int64, pick func(BulkAction) string) string {
	for _, a := range BulkActions {
		if a.Value == action {
			return strings.Replace(pick(a), "{n}", UserCount(n), 1)
		}
	}
	return action
}

// BulkButton names a bulk action and its count: "Deactivate 3 users".
func BulkButton(action string, n int64) string {
	return bulkWords(action, n, func(a BulkAction) string { return a.Button })
}

// BulkTitle asks the preview's question: "Deactivate 3 users?".
func BulkTitle(action string, n int64) string {
	return bulkWords(action, n, func(a BulkAction) string { return a.Title })
}

// JobTitle says what a bulk action did, or is doing: "3 users
// deactivated", "Deactivate 100,000 users: in progress".
func JobTitle(j viewmodel.BulkJobRow) string {
	switch j.Status {
	case "done":
		done := bulkWords(j.Code, j.Done, func(a BulkAction) string { return a.Done })
		return strings.ToUpper(done[:1]) + done[1:]
	case "failed":
		return "Stopped: " + strings.TrimSuffix(BulkTitle(j.Code, j.Total), "?")
	}
	return strings.TrimSuffix(BulkTitle(j.Code, j.Total), "?") + ": in progress"
}

// UserCount is "1 user", "3 users", "100,000 users".
func UserCount(n int64) string {
	if n == 1 {
		return "1 user"
	}
	return Thousands(n) + " users"
}

// Thousands writes n with commas between groups of three digits.
func Thousands(n int64) string {
	s := strconv.FormatInt(n, 10)
	if n < 0 {
		return "-" + Thousands(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return s
}

// percent is how much of a job is handled, rounded down.
func percent(j viewmodel.BulkJobRow) string {
	if j.Total == 0 {
		return "100%"
	}
	return strconv.FormatInt(handled(j)*100/j.Total, 10) + "%"
}

// bulkCount says whom a previewed bulk action changes.
func bulkCount(m viewmodel.BulkPage) string {
	s := "It changes " + UserCount(m.Acts)
	if m.SkipCount > 0 && m.Scope == "matching" {
		s += " of the " + Thousands(m.Total) + " matching the filter"
	} else if m.SkipCount > 0 {
		s += " of the " + Thousands(m.Total) + " chosen"
	}
	if m.More > 0 {
		return s + ": the first are listed below, and " + Thousands(m.More) + " more."
	}
	if m.Acts <= 0 {
		return s + "."
	}
	return s + ":"
}

// skipHeading counts the users a bulk action will skip.
func skipHeading(n int64) string {
	if n == 1 {
		return "1 user will be skipped"
	}
	return UserCount(n) + " will be skipped"
}

// accountLanguageOptions are the account's default language choices: none
// (each user's browser language), then the portal's languages.
func accountLanguageOptions(m viewmodel.SecurityPage) []components.Option {
	out := []components.Option{{Value: "", Label: "Each user's browser language"}}
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
