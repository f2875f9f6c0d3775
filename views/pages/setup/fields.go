package setup

// The setup form's field names: its inputs' names and ids, the keys of its
// error messages, and the tags of the web layer's form struct.
const (
	FieldSetupCode       = "setup_code"
	FieldCompanyName     = "company_name"
	FieldDisplayName     = "display_name"
	FieldEmail           = "email"
	FieldUsername        = "username"
	FieldPassword        = "password"
	FieldPasswordConfirm = "password_confirm"
	FieldPassphrase      = "passphrase"
	FieldQuestion        = "security_question"
	// FieldCustomQuestion is the free-text question, where a question
	// error shows when the user chose to write their own.
	FieldCustomQuestion = "security_question_custom"
	FieldAnswer         = "security_answer"
)

// FieldOrder lists the form's fields top to bottom, the order of its error
// summary.
var FieldOrder = []string{
	FieldSetupCode, FieldCompanyName, FieldDisplayName, FieldEmail, FieldUsername,
	FieldPassword, FieldPasswordConfirm, FieldPassphrase,
	FieldQuestion, FieldCustomQuestion, FieldAnswer,
}

// InvitationFieldOrder lists the invitation form's fields top to bottom:
// the credentials only, since the operator gave the rest.
var InvitationFieldOrder = []string{
	FieldPassword, FieldPasswordConfirm, FieldPassphrase,
	FieldQuestion, FieldCustomQuestion, FieldAnswer,
}

// The ids of the invitation form's hidden inputs that hold the username
// and email address for the password checklist; they have no name, so the
// form does not send them.
const (
	checklistUsername = "invitee-username"
	checklistEmail    = "invitee-email"
)
