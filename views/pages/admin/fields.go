package admin

// The admin forms' field names: their inputs' names and ids, the keys of
// their error messages, and the tags of the web layer's form structs.

// The user forms: create a user, a user's details, status, deletion and
// second-factor reset, and bulk actions on users.
const (
	FieldUserName     = "display_name"
	FieldUserEmail    = "email"
	FieldUserUsername = "username"
	FieldUserRole     = "role"
	// FieldSameEmailOK is the box an administrator ticks to create a user
	// although another user of the account has the email address.
	FieldSameEmailOK = "same_email_ok"
	// FieldAction is the hidden or chosen action of the status and bulk
	// forms, and of a role's membership buttons.
	FieldAction = "action"
	FieldReason = "reason"
	// FieldDeleteConfirm is where the administrator types the username of
	// the user they delete.
	FieldDeleteConfirm = "confirm"
	// FieldAdminCode is the administrator's own second-factor code.
	FieldAdminCode = "admin_code"
	// FieldSession is the hidden field naming a session to sign out.
	FieldSession = "session"
	// FieldScope and FieldUserID say which users a bulk action is for.
	FieldScope  = "scope"
	FieldUserID = "id"
)

// The role form and a role's members.
const (
	FieldRoleName        = "name"
	FieldRoleDescription = "description"
	// FieldRolePermission is each privilege's checkbox; FieldRolePermissions
	// the group of them, which shows their one error.
	FieldRolePermission  = "permission"
	FieldRolePermissions = "permissions"
	// FieldMember is the hidden id of the member a Remove button relieves
	// of the role; FieldMemberUsername is where the admin types the
	// username of the user they give it to.
	FieldMember         = "user_id"
	FieldMemberUsername = "member_username"
	// RoleAssign is the part of a role's page that gives the role, or says
	// why the viewer may not: a refused change of members links to it.
	RoleAssign = "role-assign"
)

// The privileges page, and the page where a user accepts becoming the
// Primary Admin.
const (
	// FieldAdmin is the hidden id of an admin's row; FieldAdminUsername
	// where the Primary Admin types the username of a user to make a
	// secondary admin, and FieldTransferUser that of the user to offer the
	// Primary Admin role.
	FieldAdmin            = "user_id"
	FieldAdminUsername    = "admin_username"
	FieldArea             = "area"
	FieldTransferUser     = "transfer_username"
	FieldTransferPassword = "transfer_password"
	FieldDecision         = "decision"
	FieldAcceptPassword   = "password"
	FieldAcceptPassphrase = "passphrase"
)

// The account security form.
const (
	FieldMFAPolicy       = "mfa_policy"
	FieldPasswordPreset  = "password_preset"
	FieldIntegrationSafe = "integration_safe"
	FieldRequireQuestion = "require_security_question"
	// FieldAppPasswords is "on" or "off".
	FieldAppPasswords    = "app_passwords"
	FieldIdleMinutes     = "idle_minutes"
	FieldAbsoluteMinutes = "absolute_minutes"
	FieldAccountLanguage = "language"
	FieldAccountTimeZone = "time_zone"
)

// The users list's filter and order: query parameters of the list, and,
// after FilterCopy, hidden fields of the bulk form, which acts on
// everyone matching the filter.
const (
	FilterSearch     = "q"
	FilterStatus     = "status"
	FilterRole       = "role"
	FilterPrivileged = "privileged"
	FilterMFA        = "mfa"
	ListSort         = "sort"
	ListSize         = "size"
	FilterCopy       = "f_"
)

// The audit log's filter and position: query parameters of the log and
// its CSV export, and the names of the filter form's fields.
const (
	AuditActor  = "actor"
	AuditTarget = "target"
	AuditAction = "action"
	AuditFrom   = "from"
	AuditTo     = "to"
	AuditSize   = "size"
	AuditView   = "view"
	AuditBefore = "before"
	AuditAfter  = "after"
)

// AuditFields are the audit filter's fields that show errors, in order.
var AuditFields = []string{AuditActor, AuditTarget, AuditFrom, AuditTo}

// UserFilters lists the users list's filter parameters.
var UserFilters = []string{FilterSearch, FilterStatus, FilterRole, FilterPrivileged, FilterMFA}

// The fields of each form that show errors, top to bottom: the order of
// its error summary. UserPageFields covers every form of a user's pages.
var (
	NewUserFields    = []string{FieldUserName, FieldUserEmail, FieldSameEmailOK, FieldUserUsername}
	UserPageFields   = []string{FieldUserName, FieldUserEmail, FieldUserUsername, FieldAdminCode, FieldReason, FieldDeleteConfirm}
	BulkFields       = []string{FieldReason, FieldAdminCode}
	RoleFields       = []string{FieldRoleName, FieldRoleDescription, FieldRolePermissions}
	RoleMemberFields = []string{FieldMemberUsername}
	PrivilegesFields = []string{FieldAdminUsername, FieldTransferUser, FieldTransferPassword}
	AcceptFields     = []string{FieldAcceptPassword, FieldAcceptPassphrase}
	SecurityFields   = []string{FieldMFAPolicy, FieldPasswordPreset, FieldIdleMinutes, FieldAbsoluteMinutes, FieldAccountLanguage, FieldAccountTimeZone}
)

// The API token form.
const (
	FieldTokenName = "name"
	// FieldTokenPermission is each permission's checkbox, FieldTokenPermissions
	// the group that shows their one error.
	FieldTokenPermission  = "permission"
	FieldTokenPermissions = "permissions"
	FieldTokenDays        = "expires_in_days"
)
