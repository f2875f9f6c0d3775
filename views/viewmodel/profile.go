package viewmodel

// ProfilePage is My Profile's summary: one row per thing the user keeps
// about themselves, each with a link to the page that changes it.
type ProfilePage struct {
	// AppPasswordsOff is true when the account's administrators turned
	// app passwords off.
	AppPasswordsOff bool
	DisplayName     string
	Username        string
	Email           string
	PendingEmail    string
	// PasswordChanged is when the password was last set (zero: never).
	PasswordChanged When
	HasPassphrase   bool
	Question        string
	MFA             MFASummary
	// SessionsTotal counts the user's live sessions; ThisDevice names the
	// device of this one.
	SessionsTotal int64
	ThisDevice    string
	// License is the newest license version the user accepted, if any.
	License *AcceptedLicense
	// Admin users may make a one-time support code.
	Admin bool
	// Verifications are the support desk's recent checks of the user.
	Verifications []SupportEvent
	// Language and TimeZone say what the user reads the portal in; Own
	// says they chose them, rather than taking the account's defaults.
	Language, TimeZone string
	// LanguageCode marks the language's name with its own language.
	LanguageCode string
	OwnLanguage  bool
}

// LanguagePage is the form that chooses the user's language and time
// zone; "" for either is the account's default (or the browser's
// language), which the Default* labels name.
type LanguagePage struct {
	Language, TimeZone               string
	DefaultLanguage, DefaultTimeZone string
	Languages                        []Choice
	Zones                            []string
	Errors                           Errors
}

// AcceptedLicense is a license version and when the user accepted it.
type AcceptedLicense struct {
	Version string
	At      When
}

// ProfileDetailsPage is the form that changes the user's name.
type ProfileDetailsPage struct {
	DisplayName string
	Errors      Errors
}

// ProfilePasswordPage is the form that changes the user's password.
type ProfilePasswordPage struct {
	// Username feeds the checklist's "not your username" rule.
	Username      string
	Rules         []Rule
	SignOutOthers bool
	Errors        Errors
}

// ProfileQuestionPage is the form that sets the user's security question.
type ProfileQuestionPage struct {
	// Question is the one set now, or "".
	Question       string
	Questions      []string
	QuestionChoice string
	CustomQuestion string
	Errors         Errors
}

// ProfileEmailPage is the form that asks to change the email address.
type ProfileEmailPage struct {
	Email        string
	PendingEmail string
	NewEmail     string
	Errors       Errors
}

// ProfileSession is one of the user's sessions on their own list.
type ProfileSession struct {
	Handle     string
	Device     string
	IP         string
	Started    When
	LastActive When
	ThisDevice bool
}

// ProfileSessionsPage lists where the user is signed in.
type ProfileSessionsPage struct {
	Sessions []ProfileSession
	// SessionsTotal counts the user's live sessions, of which Sessions
	// lists this device's and the most recently used others;
	// SessionsNotListed counts those left out. SessionLimit is how many a
	// user keeps at once.
	SessionsTotal     int64
	SessionsNotListed int64
	SessionLimit      int
}
