package viewmodel

// UsersPage is the users console's list.
type UsersPage struct {
	Search     string
	Status     string
	Role       string
	Privileged string
	MFA        string
	Sort       string
	Size       int
	Roles      []Choice
	Rows       []UserListRow
	// NextURL and PrevURL keep the filter; "" when there is no such page.
	NextURL string
	PrevURL string
	// Query is the filter as a query string, for the CSV link.
	Query string
}

// UserListRow is one user of the list.
type UserListRow struct {
	ID         string
	Name       string
	Username   string
	Email      string
	Status     string
	Privileges []string
	LastSignIn string
	MFA        bool
}

// UserFormPage creates a user.
type UserFormPage struct {
	DisplayName string
	Email       string
	Username    string
	Roles       []Choice
	Errors      Errors
}

// UserPage is one user's page in the console.
type UserPage struct {
	ID          string
	DisplayName string
	Username    string
	Email       string
	Status      string
	IsPrimary   bool
	HasQuestion bool
	Privileges  []string
	LastSignIn  string
	Created     string
	Sessions    []SessionRow
	Links       []LinkRow
	Events      []AuditRow
	// Refusal says why the viewer may not act on this user; the page then
	// shows it and offers no action.
	Refusal    string
	CanDelete  bool
	CanSuspend bool
	MFA        bool
	// AskAdminCode says the viewer has a second factor and must confirm
	// resets of others' with a code.
	AskAdminCode bool
	Errors       Errors
	// SessionsNotListed counts the user's live sessions left out of
	// Sessions.
	SessionsNotListed int64
	// ResetBlockedUntil, when not "", says until when wrong security
	// answers block the user's password reset.
	ResetBlockedUntil string
	// MFAOffPolicy says the account turned two-step verification off, so
	// a reset user signs in with the password alone.
	MFAOffPolicy bool
	// Self says the viewer is looking at their own page.
	Self bool
}

// LinkRow is one emailed link in a user's ledger.
type LinkRow struct {
	ID        string
	Kind      string
	SentBy    string
	Created   string
	Sent      string
	Expires   string
	State     string
	Cancelled bool
	Live      bool
}

// BulkPage previews or reports a bulk action.
type BulkPage struct {
	Action string
	Label  string
	// Scope is "selected" or "matching"; IDs or Filter carry the selection.
	Scope        string
	IDs          []string
	Filter       []Choice
	Names        []string
	Total        int64
	More         int64
	Reason       string
	AskAdminCode bool
	Errors       Errors
}
