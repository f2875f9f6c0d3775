package viewmodel

// BulkJobRow is one bulk action as lists and its page show it.
type BulkJobRow struct {
	ID      string
	Action  string
	Actor   string
	Reason  string
	Created string
	// Finished is when it ended, or "".
	Finished string
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
