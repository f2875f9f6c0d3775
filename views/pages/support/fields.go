package support

// The support console's field names: its inputs' names and ids, the keys
// of their error messages, the query parameters of its search and lookup
// forms, and the tags of the web layer's verification form struct.
const (
	// FieldQuery is the account search's account number or company name.
	FieldQuery = "q"
	// FieldUsername is the lookup of a caller who is not an admin.
	FieldUsername   = "username"
	FieldCaller     = "caller"
	FieldArea       = "area"
	FieldPassphrase = "passphrase"
	FieldCode       = "code"
)

// The fields of each form, top to bottom: the order of its error summary.
var (
	SearchFields = []string{FieldQuery}
	LookupFields = []string{FieldUsername}
	VerifyFields = []string{FieldCaller, FieldArea, FieldPassphrase, FieldCode}
)
