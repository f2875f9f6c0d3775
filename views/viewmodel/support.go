package viewmodel

// SupportSearchPage finds a customer account by number or company name.
type SupportSearchPage struct {
	Query    string
	Accounts []SupportAccount
	Errors   Errors
}

// SupportAccount is one account a search found.
type SupportAccount struct {
	Href   string
	Number string
	Name   string
}

// SupportPage is the verification console for one account.
type SupportPage struct {
	Number string
	Name   string
	// AccountNotice tells the agent the account is suspended or closed.
	AccountNotice string
	// Action is where the verification form posts; Self is the page.
	Action string
	Self   string
	Admins []SupportCaller
	// Lookup is the user a username search found, when there was one.
	Lookup         *SupportCaller
	LookupUsername string
	Areas          []Choice
	CallerID       string
	// CodeValidFor is how long a support code works, in words.
	CodeValidFor string
	Result       *SupportResult
	Errors       Errors
}

// SupportCaller is one person of the account, with what they may ask.
type SupportCaller struct {
	ID       string
	Name     string
	Username string
	Primary  bool
	Admin    bool
	// Suspended callers are listed so the agent learns why they cannot act.
	Suspended     bool
	HasPassphrase bool
	Areas         []string
	Checked       bool
}

// SupportResult is the answer to one verification.
type SupportResult struct {
	Outcome  string
	Verified bool
	Heading  string
	Message  string
	Caller   string
	Area     string
	// MayRequest are the areas a verified caller may ask about.
	MayRequest []string
	// Holders are who may ask about the area, when the caller may not.
	Holders []string
}

// SupportCodePage is where an admin makes a one-time support code.
type SupportCodePage struct {
	// Code is set just after it was made: it is shown once.
	Code      string
	ExpiresAt string
	ValidFor  string
}

// SupportEvent is one verification of the user, on My Profile.
type SupportEvent struct {
	When    When
	Agent   string
	Area    string
	Outcome string
}
