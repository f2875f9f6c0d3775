package operator

// The accounts list's query parameters: its filter form's field names and
// the pager's cursors.
const (
	FieldSearch = "q"
	FieldStatus = "status"
	FieldSort   = "sort"
	FieldOrder  = "order"
	// ParamAfter and ParamBefore carry a cursor; ParamLast asks for the
	// last page.
	ParamAfter  = "after"
	ParamBefore = "before"
	ParamLast   = "last"
)

// The onboarding form's field names: its inputs' names and ids, the keys
// of its error messages, and the tags of the web layer's form struct.
const (
	FieldCompanyName = "company_name"
	FieldAdminName   = "admin_name"
	FieldAdminEmail  = "admin_email"
	FieldLanguage    = "language"
)

// OnboardFields lists the onboarding form's fields top to bottom.
var OnboardFields = []string{FieldCompanyName, FieldLanguage, FieldAdminName, FieldAdminEmail}
