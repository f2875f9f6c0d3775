package admin

import "accountportal/app/apperr"

// The subjects of the admin services' problems. The web layer shows each on
// the field of the form that asked.
const (
	UserName           apperr.Subject = "admin.user_name"
	UserEmail          apperr.Subject = "admin.user_email"
	UserUsername       apperr.Subject = "admin.user_username"
	Reason             apperr.Subject = "admin.reason"
	DeleteConfirmation apperr.Subject = "admin.delete_confirmation"
	RoleName           apperr.Subject = "admin.role_name"
	RoleDescription    apperr.Subject = "admin.role_description"
	RolePermissions    apperr.Subject = "admin.role_permissions"
	// AdminUsername and MemberUsername are the username typed to add a
	// secondary admin and to give a role; TransferUser the one typed to
	// offer the Primary Admin role.
	AdminUsername    apperr.Subject = "admin.admin_username"
	MemberUsername   apperr.Subject = "admin.member_username"
	TransferUser     apperr.Subject = "admin.transfer_user"
	TransferPassword apperr.Subject = "admin.transfer_password"
	AcceptPassword   apperr.Subject = "admin.accept_password"
	AcceptPassphrase apperr.Subject = "admin.accept_passphrase"
	// SameEmail is the warning that another user of the account has the
	// new user's email address, which the administrator confirms.
	SameEmail apperr.Subject = "admin.same_email"
)

// The subjects each service can report a problem with. Bulk actions and a
// second-factor reset also report the MFA checker's subject for the
// administrator's own code.
var (
	UserSubjects     = []apperr.Subject{UserName, UserEmail, UserUsername}            // UpdateUser
	CreateSubjects   = []apperr.Subject{UserName, UserEmail, UserUsername, SameEmail} // CreateUser
	StatusSubjects   = []apperr.Subject{Reason}                                       // SetStatus
	DeleteSubjects   = []apperr.Subject{DeleteConfirmation}                           // DeleteUser
	BulkSubjects     = []apperr.Subject{Reason}                                       // StartBulk, besides the code
	RoleSubjects     = []apperr.Subject{RoleName, RoleDescription, RolePermissions}
	AddAdminSubjects = []apperr.Subject{AdminUsername}  // AddAdmin
	GiveRoleSubjects = []apperr.Subject{MemberUsername} // GiveRole
	TransferSubjects = []apperr.Subject{TransferUser, TransferPassword}
	AcceptSubjects   = []apperr.Subject{AcceptPassword, AcceptPassphrase}
)
