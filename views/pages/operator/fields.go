package operator

// The onboarding form's field names: its inputs' names and ids, the keys
// of its error messages, and the tags of the web layer's form struct.
const (
	FieldCompanyName = "company_name"
	FieldAdminName   = "admin_name"
	FieldAdminEmail  = "admin_email"
)

// OnboardFields lists the onboarding form's fields top to bottom.
var OnboardFields = []string{FieldCompanyName, FieldAdminName, FieldAdminEmail}
