package login

// The sign-in forms' field names: their inputs' names and ids, the keys of
// their error messages, and the tags of the web layer's form structs.
const (
	FieldUsername = "username"
	FieldPassword = "password"
	FieldQuestion = "security_question"
	// FieldCustomQuestion is the free-text question, where a question
	// error shows when the user chose to write their own.
	FieldCustomQuestion = "security_question_custom"
	FieldAnswer         = "security_answer"
)

// The fields of each step's form, top to bottom: the order of its error
// summary.
var (
	UsernameFields = []string{FieldUsername}
	PasswordFields = []string{FieldPassword}
	QuestionFields = []string{FieldQuestion, FieldCustomQuestion, FieldAnswer}
)
