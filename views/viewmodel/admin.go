package viewmodel

// PrivilegesPage is the Account Manager view of admins and their areas.
type PrivilegesPage struct {
	CanEdit bool
	// Areas are the support areas; Checked marks those ticked on the add
	// form, shown again with its errors.
	Areas   []Choice
	Admins  []AdminRow
	Pending *TransferNotice
	// AdminUsername and TransferUsername are the usernames typed on the add
	// and transfer forms, shown again with their errors.
	AdminUsername    string
	TransferUsername string
	Errors           Errors
}

// Choice is a value with a label (and a longer hint) for pickers and
// checkbox lists.
type Choice struct {
	Value   string
	Label   string
	Hint    string
	Checked bool
}

// AdminRow is one admin in the privileges matrix.
type AdminRow struct {
	UserID            string
	Name              string
	Username          string
	IsPrimary         bool
	Self              bool
	Areas             []AreaCell
	Roles             []string
	Effective         []string
	PassphrasePending bool
}

// AreaCell is one area of an admin in the privileges matrix: whether it
// is granted directly (what the checkboxes edit) and the roles it comes
// with, if any.
type AreaCell struct {
	Value  string
	Label  string
	Direct bool
	// Through is "the Billing Admin role" or "the Auditor and Night shift
	// roles"; "" when no role of theirs gives the area.
	Through string
}

// TransferNotice describes a pending Primary Admin transfer.
type TransferNotice struct {
	ToName    string
	FromName  string
	Account   string
	ExpiresAt string
	Expired   bool
	// AskPassphrase says the chosen user has no support passphrase yet:
	// accepting sets one.
	AskPassphrase bool
	Errors        Errors
}

// RolesPage lists the account's roles.
type RolesPage struct {
	Roles []RoleRow
}

// RoleRow is one role in the list.
type RoleRow struct {
	ID          string
	Name        string
	Description string
	BuiltIn     bool
	Members     int64
	Permissions []string
}

// RoleFormPage creates or edits a custom role.
type RoleFormPage struct {
	// ID is "" for a new role.
	ID          string
	Name        string
	Description string
	Groups      []ChoiceGroup
	Errors      Errors
}

// ChoiceGroup is a titled group of checkboxes.
type ChoiceGroup struct {
	Title   string
	Choices []Choice
}

// RolePage shows one role, its members and the assign form.
type RolePage struct {
	RoleRow
	Editable bool
	// Deletable says the Delete button is offered; WhyNotDelete, for an
	// editable role that cannot be deleted yet, says why; WhyNotEdit, for
	// one the viewer may not change, says why not.
	Deletable    bool
	WhyNotDelete string
	WhyNotEdit   string
	Members      []Member
	// MemberUsername is the username typed on the assign form, shown again
	// with its error; CanSeeUsers says the viewer may open the Users page,
	// where usernames are found.
	MemberUsername string
	CanSeeUsers    bool
	// WhyNotAssign, when set, replaces the assign form and the Remove
	// buttons: the viewer may not give or take away this role.
	WhyNotAssign string
	// Errors holds why a change of members was refused, or what is wrong
	// with the username typed.
	Errors Errors
}

// Member is a user holding a role.
type Member struct {
	UserID   string
	Name     string
	Username string
	// Protected says the viewer may not change this member's roles.
	Protected bool
}

// ConfirmActionPage asks "are you sure?" before a destructive action.
type ConfirmActionPage struct {
	Heading string
	Message string
	Action  string
	Button  string
	Fields  []Choice
	Back    Link
}

// APITokensPage is the account's API tokens and the form that creates one.
type APITokensPage struct {
	Rows []APITokenRow
	// Choices are the permissions the viewer may give, checked as sent.
	Choices []Choice
	Name    string
	Days    string
	Errors  Errors
	// Secret is the token just created, shown this once; SecretName is
	// its name.
	Secret, SecretName string
	// Primary says the viewer is the Primary Admin, who may adopt tokens.
	Primary bool
	// AskAdminCode says the viewer has a second factor, whose code giving
	// "Reset second factors" asks for.
	AskAdminCode bool
}

// APITokenRow is one token of the list; never its secret.
type APITokenRow struct {
	ID          string
	Name        string
	Permissions string
	Owner       string
	CreatedBy   string
	Created     When
	LastUsed    When
	LastUsedIP  string
	Expires     When
	// State says whether it works: "Active", "Expired", "Revoked" or what
	// is paused and why.
	State     string
	Live      bool
	MayRevoke bool
	MayAdopt  bool
}
