package recovery

// The recovery forms' field names: their inputs' names and ids, the keys
// of their error messages, and the tags of the web layer's form structs.
const (
	FieldUsername        = "username"
	FieldEmail           = "email"
	FieldAnswer          = "answer"
	FieldPassword        = "password"
	FieldPasswordConfirm = "password_confirm"
	FieldSignOut         = "sign_out_everywhere"
)

// checklistUsername is the id of the hidden input holding the username,
// which the password checklist's script compares the password with.
const checklistUsername = "username"

// The fields of each form that show errors, top to bottom: the order of
// its error summary. The new-password form's FieldSignOut checkbox shows
// none.
var (
	ForgotPasswordFields = []string{FieldUsername}
	ForgotUsernameFields = []string{FieldEmail}
	QuestionFields       = []string{FieldAnswer}
	NewPasswordFields    = []string{FieldPassword, FieldPasswordConfirm}
)
