package viewmodel

// OnboardPage is the operator's form that onboards a customer account.
type OnboardPage struct {
	CompanyName string
	AdminName   string
	AdminEmail  string
	// Language is the company's language chosen, one of Languages.
	Language  string
	Languages []Choice
	Errors    Errors
}

// InvitationStatusPage is the state of a pending account's invitation, as
// an operator sees it.
type InvitationStatusPage struct {
	AccountNumber string
	Company       string
	AdminName     string
	Username      string
	SentTo        string
	// HasLink says an invitation was ever sent; the times below are its.
	HasLink   bool
	CreatedAt string
	// SentAt is when the mail worker handed the email over, or "Queued".
	SentAt    string
	ExpiresAt string
	SentBy    string
	// State is "Waiting for the Primary Admin", "Used ...", "Voided: ..."
	// or "Expired".
	State string
	// Live says the link still works, so it can be voided.
	Live         bool
	ResendAction string
	VoidAction   string
}
