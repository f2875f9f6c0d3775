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
	StatusChanged When
	// PurgeAfter is when a closed account's data may be deleted.
	PurgeAfter string
	Created    When
	UsersTotal string
	// UsersByStatus holds a Label (the status) and Value (how many) each.
	UsersByStatus  []Choice
	Admins         []OperatorAdmin
	MFAPolicy      string
	PasswordPreset string
	LastSignIn     When
	LastActivity   string
	Invitation     *OperatorInvitation
	// License says who has accepted the agreement in force; LicenseHref
	// lists who has not. Both "" when no agreement is in force.
	License     string
	LicenseHref string
	Actions     []Link
	BackURL     string
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
	Sent    When
	Expires When
	Expired bool
}

// LicenseVersionsPage lists the published versions of the agreement.
type LicenseVersionsPage struct {
	Versions []LicenseVersionRow
}

// LicenseVersionRow is one published version.
type LicenseVersionRow struct {
	Version     string
	Title       string
	Effective   string
	Published   When
	PublishedBy string
	// State is "In force", "Scheduled" or "Replaced".
	State string
}

// LicenseFormPage is the form that publishes a new version.
type LicenseFormPage struct {
	Version   string
	Title     string
	Text      string
	Effective string
	// Translations are the optional title and text in each other
	// language, in the order offered.
	Translations []LicenseTranslationFields
	Errors       Errors
}

// LicenseTranslationFields are one language's title and text on the form
// that publishes an agreement.
type LicenseTranslationFields struct {
	Language string // the language's code
	Name     string // the language's name, in English
	Title    string
	Text     string
}

// LicenseVersionPage shows one version's text to an operator.
type LicenseVersionPage struct {
	Agreement Agreement
	// Translations are the languages it was also published in, by name.
	Translations []string
}

// NotAcceptedPage lists who in a customer account has not accepted the
// agreement in force.
type NotAcceptedPage struct {
	AccountID     string
	AccountName   string
	AccountNumber string
	Version       string
	Users         []NotAcceptedRow
}

// NotAcceptedRow is one such user.
type NotAcceptedRow struct {
	Name       string
	Username   string
	Status     string
	LastSignIn When
}

// AcceptedAgreementsPage shows a user the agreement versions they accepted,
// the latest one's text in full.
type AcceptedAgreementsPage struct {
	Latest   *Agreement
	Accepted []AcceptedRow
}

// AcceptedRow is one acceptance.
type AcceptedRow struct {
	Version  string
	Accepted When
}

// ProviderLogPage is the provider's own audit log.
type ProviderLogPage struct {
	Rows     []AuditRow
	OlderURL string
}
