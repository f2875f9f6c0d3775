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
	// Action and Scope are the bulk bar's choices, kept when it is
	// answered with Errors.
	Action string
	Scope  string
	Errors Errors
}

// UserListRow is one user of the list.
type UserListRow struct {
	ID         string
	Name       string
	Username   string
	Email      string
	Status     string
	Privileges []string
	LastSignIn When
	MFA        bool
	// Offers says which actions its options menu lists: those the viewer
	// may take on the user (admin.Permits).
	Offers RowOffers
}

// RowOffers are the actions a users list row's options menu offers.
type RowOffers struct {
	ResetMFA, Deactivate, Delete bool
}

// UserFormPage creates a user.
type UserFormPage struct {
	DisplayName string
	Email       string
	Username    string
	Roles       []Choice
	Errors      Errors
	// AskSameEmail shows the "Create the user anyway" box, after the
	// warning that another user of the account has the email address;
	// SameEmailOK ticks it.
	AskSameEmail bool
	SameEmailOK  bool
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
	LastSignIn  When
	Created     When
	Sessions    []UserSessionRow
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
	// Why says, for each action of the page the viewer may not take, why
	// not; "" offers the action. It holds the service's own rule
	// (admin.Permits).
	Why UserWhyNot
}

// UserWhyNot says why each action of a user's page is not offered, or is
// "" for an offered one.
type UserWhyNot struct {
	SendReset, Unblock, ClearQuestion, ResetMFA, Deactivate, Reactivate, SignOut, VoidLink, Delete, Edit string
}

// UserConfirmPage asks an administrator to confirm an action on a user that
// locks them out or removes a factor, naming the person and the
// consequences, with a button naming the action.
type UserConfirmPage struct {
	UserID       string
	Heading      string
	Consequences []string
	// Action is where the form posts; Hidden are its hidden fields (Label
	// is the name).
	Action string
	Hidden []Choice
	Button string
	// AskReason adds the reason field the audit log records.
	AskReason bool
	Reason    string
	Errors    Errors
	// TestID names the form for tests.
	TestID string
}

// UserSessionRow is one session on a user's page.
type UserSessionRow struct {
	Handle, Device, IP  string
	Started, LastActive When
}

// LinkRow is one emailed link in a user's ledger.
type LinkRow struct {
	ID   string
	Kind string
	// KindLink names the link for a screen reader: "Password reset link".
	KindLink string
	SentBy   string
	Created  When
	// Sent is when the email went; zero while it is queued.
	Sent    When
	Expires When
	State   string
	// Used is when the link was used, shown after State ("Used").
	Used      When
	Cancelled bool
	Live      bool
	// Confirm says voiding the link locks the user out (it is their only
	// way in), so it asks first.
	Confirm bool
}

// BulkPage previews or reports a bulk action.
type BulkPage struct {
	Action string
	Label  string
	// Scope is "selected" or "matching"; IDs carry the selection, Filter
	// the users list's filter (the selection when Scope is "matching").
	Scope  string
	IDs    []string
	Filter []Choice
	// ListURL is the users list with the same filter, for Cancel.
	ListURL string
	// Names lists the first users the action applies to; Skipped the
	// first it will skip, with why.
	Names   []string
	Skipped []SkipRow
	// Total is how many users the selection holds; Acts how many of them
	// the action is expected to change; SkipCount how many it skips.
	Total     int64
	Acts      int64
	SkipCount int64
	// More is how many of Acts Names leaves out; Unchecked how many users
	// beyond the first batch are checked only as the action runs.
	More         int64
	Unchecked    int64
	Reason       string
	AskAdminCode bool
	Errors       Errors
}

// SkipRow is one user a bulk action will skip, and why.
type SkipRow struct {
	Name string
	Why  string
}
