package viewmodel

// BulkJobRow is one bulk action as lists and its page show it.
type BulkJobRow struct {
	ID string
	// Code is the bulk action (app/admin's Bulk*); Action names it.
	Code    string
	Action  string
	Actor   string
	Reason  string
	Created When
	// Finished is when it ended, or the zero When.
	Finished When
	// Status is queued, running, done or failed; Failure says why it failed.
	Status  string
	Failure string
	Total   int64
	Done    int64
	Skipped int64
	Failed  int64
}

// BulkJobPage is one bulk action's progress and a page of its users'
// outcomes.
type BulkJobPage struct {
	Job BulkJobRow
	// Outcome is the outcome the list shows ("" for every one).
	Outcome  string
	Outcomes []JobOutcome
	NextURL  string
	// Working says the job is not finished: the page refreshes itself.
	Working bool
	// ListURL is the users list, with the filter it was started from.
	ListURL string
	// Query carries ListURL's filter on the page's own links.
	Query string
}

// JobOutcome is what a bulk action did to one user.
type JobOutcome struct {
	Name    string
	Outcome string
	Why     string
}

// BulkJobsPage lists the account's recent bulk actions.
type BulkJobsPage struct {
	Jobs []BulkJobRow
}
