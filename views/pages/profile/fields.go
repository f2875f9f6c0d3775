package profile

// The field names of My Profile's forms and of the passphrase and "confirm
// it's you" pages: their inputs' names and ids, the keys of their error
// messages, and the tags of the web layer's form structs. Each of the
// profile's forms asks for the current password in a field of its own.
const (
	FieldDisplayName     = "display_name"
	FieldPwCurrent       = "pw_current_password"
	FieldPassword        = "password"
	FieldPasswordConfirm = "password_confirm"
	FieldSignOutOthers   = "sign_out_others"
	FieldQuestion        = "security_question"
	// FieldCustomQuestion is the free-text question, where a question
	// error shows when the user chose to write their own.
	FieldCustomQuestion  = "security_question_custom"
	FieldAnswer          = "security_answer"
	FieldQuestionCurrent = "question_current_password"
	FieldNewEmail        = "new_email"
	FieldEmailCurrent    = "email_current_password"
	FieldPassphrase      = "passphrase"
	// FieldNext is the hidden field of "confirm it's you" saying where to
	// go afterwards.
	FieldNext = "next"
	// FieldSession is the hidden field naming the session to sign out.
	FieldSession = "session"
)

// checklistUsername is the id of the hidden input holding the username,
// which the password checklist's script compares the password with.
const checklistUsername = "username"

// The fields of each form that show errors, top to bottom. PageFields, all
// of My Profile's in page order, orders its error summary.
var (
	DetailsFields    = []string{FieldDisplayName}
	PasswordFields   = []string{FieldPwCurrent, FieldPassword, FieldPasswordConfirm}
	QuestionFields   = []string{FieldQuestion, FieldCustomQuestion, FieldAnswer, FieldQuestionCurrent}
	EmailFields      = []string{FieldNewEmail, FieldEmailCurrent}
	PageFields       = concat(DetailsFields, PasswordFields, QuestionFields, EmailFields)
	PassphraseFields = []string{FieldPassphrase}
	ConfirmFields    = []string{FieldPassword}
)

func concat(lists ...[]string) []string {
	var all []string
	for _, l := range lists {
		all = append(all, l...)
	}
	return all
}
