package mfa

// The multi-factor authentication forms' field names: their inputs' names and
// ids, the keys of their error messages, and the tags of the web layer's
// form structs.
const (
	FieldCode = "code"
	// FieldPassword is the password of the backup codes form.
	FieldPassword = "password"
	// FieldRemovePassword is the password of the change-or-remove form.
	FieldRemovePassword = "remove_password"
	// FieldThen is the change-or-remove form's buttons, saying which.
	FieldThen = "then"
)

// The fields of each form that show errors, top to bottom. StatusFields,
// those of both forms of the status page, orders its error summary.
var (
	CodeFields   = []string{FieldCode}
	CodesFields  = []string{FieldPassword}
	RemoveFields = []string{FieldRemovePassword, FieldCode}
	StatusFields = []string{FieldPassword, FieldRemovePassword, FieldCode}
)
