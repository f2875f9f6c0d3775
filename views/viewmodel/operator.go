package viewmodel

// OperatorAccounts is the operator console's list of customer accounts.
type OperatorAccounts struct {
	// The query as understood: search text, status ("all" for any), sort
	// (name, number, created) and order (asc, desc).
	Search string
	Status string
	Sort   string
	Order  string
	// ByNumber says the search was taken as an account number.
	ByNumber bool
	Rows     []OperatorAccountRow
	// The pager's links; "" when there is no such page.
	FirstURL, PrevURL, NextURL, LastURL string
	// OnboardURL is where a new account is onboarded.
	OnboardURL string
}

// OperatorAccountRow is one customer account in the list.
type OperatorAccountRow struct {
	Href   string
	Number string
	Name   string
	// Status is the stored status; StatusLabel says it in words ("Waiting
	// for the Primary Admin" for pending); StatusClass styles it.
	Status      string
	StatusLabel string
	StatusClass string
	Users       string
	Created     string
}

// OperatorAccountPage is one customer account as an operator sees it.
type OperatorAccountPage struct {
	Number      string
	Name        string
	Status      string
	StatusLabel string
	StatusClass string
	// StatusReason and StatusChanged say why and when the account was
	// suspended or closed; "" otherwise.
	StatusReason  string
	StatusChanged string
	Created       string
	UsersTotal    string
	// UsersByStatus holds a Label (the status) and Value (how many) each.
	UsersByStatus  []Choice
	Admins         []OperatorAdmin
	MFAPolicy      string
	PasswordPreset string
	LastSignIn     string
	LastActivity   string
	Invitation     *OperatorInvitation
	Actions        []Link
	BackURL        string
}

// OperatorAdmin is one admin of a customer account: their areas and
// whether they have a support passphrase, never the passphrase.
type OperatorAdmin struct {
	Name          string
	Username      string
	Email         string
	Primary       bool
	Suspended     bool
	Direct        []string
	Roles         []OperatorRole
	HasPassphrase bool
}

// OperatorRole is a role an admin holds and the areas it brings.
type OperatorRole struct {
	Name  string
	Areas []string
}

// OperatorInvitation is the Primary Admin's open invitation.
type OperatorInvitation struct {
	Sent    string
	Expires string
	Expired bool
}
