package viewmodel

// OperatorAccounts is the operator console's list of customer accounts.
type OperatorAccounts struct {
	Rows []OperatorAccountRow
}

// OperatorAccountRow is one customer account in the list.
type OperatorAccountRow struct {
	Number string
	Name   string
	Status string
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
	Published   string
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
	Errors    Errors
}

// LicenseVersionPage shows one version's text to an operator.
type LicenseVersionPage struct {
	Agreement Agreement
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
	LastSignIn string
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
	Accepted string
}
