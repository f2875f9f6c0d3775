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

// AuditRow is one event of the audit log. UserAgent is already shortened:
// the table never shows it in full.
type AuditRow struct {
	// When is for people; WhenISO for the time element's datetime.
	When      string
	WhenISO   string
	Actor     string
	Action    string
	Target    string
	IP        string
	UserAgent string
	// Details is the event's JSON, "" when it has none.
	Details string
	// JobURL, when set, opens the bulk action the event belongs to.
	JobURL string
}
