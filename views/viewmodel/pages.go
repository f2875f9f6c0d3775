package viewmodel

// SetupPage is the first-run setup form.
type SetupPage struct {
	CompanyName    string
	DisplayName    string
	Email          string
	Username       string
	QuestionChoice string
	CustomQuestion string
	Questions      []string
	Rules          []Rule
	Errors         Errors
}

// QuestionCustom is the QuestionChoice value meaning "write my own".
const QuestionCustom = "custom"

// LoginPage is either step of sign-in: the username, then the password.
type LoginPage struct {
	Username string
	Errors   Errors
}

// AgreementPage asks the user to accept the license agreement.
type AgreementPage struct {
	Version     string
	DisplayName string
}

// SuspendedPage tells a user their account is suspended.
type SuspendedPage struct {
	// Terminated says a live session was just ended because of it.
	Terminated bool
}

// HomePage greets the signed-in user.
type HomePage struct {
	DisplayName    string
	AccountName    string
	AccountNumber  string
	IsPrimaryAdmin bool
	Links          []Link
}

// Link is a titled link with a sentence about where it goes.
type Link struct {
	Href        string
	Title       string
	Description string
}

// ErrorPage explains a failed request.
type ErrorPage struct {
	Status  int
	Heading string
	Message string
	// RetryAt says, for 429, when to try again (already formatted).
	RetryAt string
	// Back is where the page's one link goes.
	Back      Link
	RequestID string
}
