package viewmodel

// AuditPage is the audit log: its filter, one page of events and the links
// to the pages around it and to the CSV of the whole filter.
type AuditPage struct {
	// Support is set on the support desk's verifications.
	Support bool
	Filter  AuditFilter
	// Actions are the choices of the action filter; Sizes of the page size.
	Actions []Choice
	Sizes   []Choice
	Rows    []AuditRow
	// NewerHref and OlderHref are "" when there is no such page; CSVHref
	// is "" while the filter is invalid.
	NewerHref string
	OlderHref string
	CSVHref   string
	Errors    Errors
}

// AuditFilter is the filter form's values as the user typed them.
type AuditFilter struct {
	Actor  string
	Target string
	Action string
	From   string
	To     string
	Size   string
}

// AuditRow is one event of the audit log as people read it: a sentence,
// when and from where, its details as labelled values, and the raw entry
// for whoever needs the codes.
type AuditRow struct {
	Sentence string
	At       When
	// Origin is where it came from, "from 192.0.2.1 (Firefox on Linux)",
	// or "" when nothing was recorded.
	Origin  string
	Details []AuditDetail
	// Raw is the stored entry as indented JSON.
	Raw string
	// JobURL, when set, opens the bulk action the event belongs to.
	JobURL string
}

// AuditDetail is one labelled value of an event; a change shows Before →
// After instead of Value.
type AuditDetail struct {
	Label  string
	Value  string
	Before string
	After  string
	Change bool
}
