package profile

// The field names of My Profile's forms and of the passphrase and "confirm
// it's you" pages: their inputs' names and ids, the keys of their error
// messages, and the tags of the web layer's form structs. No form asks for
// the current password: the pages that change a credential are served only
// within the recent sign-in window, after "confirm it's you".
const (
	FieldDisplayName     = "display_name"
	FieldPassword        = "password"
	FieldPasswordConfirm = "password_confirm"
	FieldSignOutOthers   = "sign_out_others"
	FieldQuestion        = "security_question"
	// FieldCustomQuestion is the free-text question, where a question
	// error shows when the user chose to write their own.
	FieldCustomQuestion = "security_question_custom"
	FieldAnswer         = "security_answer"
	FieldNewEmail       = "new_email"
	FieldPassphrase     = "passphrase"
	// FieldNext is the hidden field of "confirm it's you" saying where to
	// go afterwards.
	FieldNext = "next"
	// FieldSession is the hidden field naming the session to sign out.
	FieldSession  = "session"
	FieldLanguage = "language"
	FieldTimeZone = "time_zone"
)

// LanguageFields are the language form's fields, in order.
var LanguageFields = []string{FieldLanguage, FieldTimeZone}

// checklistUsername is the id of the hidden input holding the username,
// which the password checklist's script compares the password with.
const checklistUsername = "username"

// The fields of each form that show errors, top to bottom, in the order
// of its error summary.
var (
	DetailsFields    = []string{FieldDisplayName}
	PasswordFields   = []string{FieldPassword, FieldPasswordConfirm}
	QuestionFields   = []string{FieldQuestion, FieldCustomQuestion, FieldAnswer}
	EmailFields      = []string{FieldNewEmail}
	PassphraseFields = []string{FieldPassphrase}
	ConfirmFields    = []string{FieldPassword}
)
