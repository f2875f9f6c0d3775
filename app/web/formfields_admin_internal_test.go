package web

import (
	"slices"

	"github.com/a-h/templ"

	"accountportal/app/account"
	"accountportal/app/admin"
	"accountportal/app/mfa"
	"accountportal/app/support"
	apages "accountportal/views/pages/admin"
	spages "accountportal/views/pages/support"
	"accountportal/views/viewmodel"
)

// adminForms are the admin console's forms: a user's pages, bulk actions,
// roles, privileges and the Primary Admin transfer, and security settings.
func adminForms() []boundForm {
	choices := []viewmodel.Choice{{Value: "1", Label: "One"}}
	user := func(page func(viewmodel.Page, viewmodel.UserPage) templ.Component) func(viewmodel.Page, viewmodel.Errors) templ.Component {
		return func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
			return page(p, viewmodel.UserPage{ID: "7", Username: "sam", Status: "active", CanDelete: true, CanSuspend: true,
				MFA: true, AskAdminCode: true, Sessions: []viewmodel.UserSessionRow{{Handle: "h"}}, Errors: errs})
		}
	}
	// A suspended user's page has the reactivate form; the deactivate
	// confirmation asks the reason for deactivating.
	status := func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
		return templ.Join(apages.User(p, viewmodel.UserPage{ID: "7", Username: "sam", Status: "suspended", Errors: errs}),
			apages.ConfirmUserAction(p, viewmodel.UserConfirmPage{UserID: "7", AskReason: true, Action: "/admin/users/7/status",
				Hidden: []viewmodel.Choice{{Label: apages.FieldAction, Value: admin.BulkDeactivate}}, Errors: errs}))
	}
	privileges := func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
		return apages.Privileges(p, viewmodel.PrivilegesPage{CanEdit: true, Areas: choices,
			Admins: []viewmodel.AdminRow{{UserID: "5", Name: "Ann", Areas: []viewmodel.AreaCell{{Value: "x", Label: "X"}}}}, Errors: errs})
	}
	var copies []string
	for _, f := range apages.UserFilters {
		copies = append(copies, apages.FilterCopy+f)
	}
	return []boundForm{
		{name: "audit filter", order: apages.AuditFields, others: []string{apages.AuditAction, apages.AuditSize},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return apages.Audit(p, viewmodel.AuditPage{Errors: errs})
			}},
		{name: "users list filter", others: slices.Concat(apages.UserFilters, []string{apages.ListSort, apages.ListSize}, copies),
			render: func(p viewmodel.Page, _ viewmodel.Errors) templ.Component {
				return apages.Users(p, viewmodel.UsersPage{Size: 50})
			}},
		{name: "new user", subjects: admin.CreateSubjects, fields: newUserFields, body: newUserForm{},
			order: apages.NewUserFields, others: []string{apages.FieldUserRole},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return apages.NewUser(p, viewmodel.UserFormPage{Roles: choices, Errors: errs, AskSameEmail: true})
			}},
		{name: "user details", subjects: admin.UserSubjects, fields: userDetailsFields, order: []string{apages.FieldUserName, apages.FieldUserEmail, apages.FieldUserUsername},
			render: user(apages.User)},
		{name: "user status", subjects: admin.StatusSubjects, fields: userStatusFields, body: statusForm{},
			order: []string{apages.FieldReason}, others: []string{apages.FieldAction}, render: status},
		{name: "user session", body: sessionForm{}, others: []string{apages.FieldSession}, render: user(apages.User)},
		{name: "user delete", subjects: admin.DeleteSubjects, fields: userDeleteFields, body: deleteForm{},
			order: []string{apages.FieldDeleteConfirm}, render: user(apages.DeleteUser)},
		{name: "user MFA reset", subjects: mfa.AdminCodeSubjects, fields: userMFAResetFields, body: mfaResetForm{},
			order: []string{apages.FieldAdminCode}, render: user(apages.ResetMFA)},
		{name: "user page", order: apages.UserPageFields, render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
			// Every field of a user's pages, whose errors the three pages share.
			return templ.Join(user(apages.User)(p, errs), status(p, errs), user(apages.DeleteUser)(p, errs), user(apages.ResetMFA)(p, errs))
		}},
		{name: "bulk", subjects: slices.Concat(admin.BulkSubjects, mfa.AdminCodeSubjects), fields: bulkFields, body: bulkForm{},
			order: apages.BulkFields, others: []string{apages.FieldAction, apages.FieldScope, apages.FieldUserID},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return apages.Bulk(p, viewmodel.BulkPage{Action: admin.BulkResetMFA, Scope: "selected", IDs: []string{"1"}, Total: 1, Acts: 1, Names: []string{"Sam Second (sam)"},
					AskAdminCode: true, Errors: errs})
			}},
		{name: "role", subjects: admin.RoleSubjects, fields: roleFields, body: roleForm{}, order: apages.RoleFields,
			others: []string{apages.FieldRolePermission},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return apages.RoleForm(p, viewmodel.RoleFormPage{Groups: []viewmodel.ChoiceGroup{{Title: "g", Choices: choices}}, Errors: errs})
			}},
		{name: "role members", subjects: admin.GiveRoleSubjects, fields: giveRoleFields, body: membersForm{},
			order: apages.RoleMemberFields, others: []string{apages.FieldMember, apages.FieldAction},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return apages.Role(p, viewmodel.RolePage{Editable: true, Members: []viewmodel.Member{{UserID: "5"}}, Errors: errs})
			}},
		{name: "privilege areas", subjects: admin.AddAdminSubjects, fields: addAdminFields, body: areasForm{},
			order: []string{apages.FieldAdminUsername}, others: []string{apages.FieldAdmin, apages.FieldArea},
			render: privileges},
		{name: "remove privileges", body: userIDForm{}, others: []string{apages.FieldAdmin}, render: privileges},
		{name: "transfer", subjects: admin.TransferSubjects, fields: transferFields, body: transferForm{},
			order: []string{apages.FieldTransferUser, apages.FieldTransferPassword}, render: privileges},
		{name: "privileges page", order: apages.PrivilegesFields, render: privileges},
		{name: "accept transfer", subjects: admin.AcceptSubjects, fields: acceptFields, body: decisionForm{},
			order: apages.AcceptFields, others: []string{apages.FieldDecision},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return apages.Transfer(p, viewmodel.TransferNotice{AskPassphrase: true, Errors: errs})
			}},
		{name: "security", subjects: account.SecuritySubjects, fields: securityFields, body: securityForm{},
			order: apages.SecurityFields, others: []string{apages.FieldIntegrationSafe, apages.FieldRequireQuestion, apages.FieldAppPasswords},
			summaryOnly: []string{apages.FieldMFAPolicy, apages.FieldPasswordPreset},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return apages.Security(p, viewmodel.SecurityPage{Errors: errs})
			}},
	}
}

// supportForms are the support console's account search, caller lookup and
// verification forms.
func supportForms() []boundForm {
	console := func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
		return spages.Verify(p, viewmodel.SupportPage{Self: "/support/accounts/1", Action: "/support/accounts/1/verify",
			Admins: []viewmodel.SupportCaller{{ID: "5", Username: "ann"}}, Areas: []viewmodel.Choice{{Value: "phone", Label: "Phone"}},
			Errors: errs})
	}
	return []boundForm{
		{name: "support search", subjects: support.SearchSubjects, fields: supportSearchFields, order: spages.SearchFields,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return spages.Search(p, viewmodel.SupportSearchPage{Errors: errs})
			}},
		{name: "support lookup", subjects: support.LookupSubjects, fields: supportLookupFields, order: spages.LookupFields,
			render: console},
		{name: "support verify", subjects: support.VerifySubjects, fields: supportVerifyFields, body: verifyForm{},
			order: spages.VerifyFields, render: console},
	}
}
