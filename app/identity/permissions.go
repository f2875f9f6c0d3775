package identity

import "slices"

// Permission keys: stable, stored, named in code. The first group are the
// support areas a caller may ask the support desk to act in; the second
// are the admin console's areas.
const (
	PermAccountInfo      = "account.info"
	PermPhoneSystem      = "phone.system"
	PermBillingInquiries = "billing.inquiries"
	PermBillingChanges   = "billing.changes"
	PermBillingInfo      = "billing.info"

	PermUsersManage    = "users.manage"
	PermRolesManage    = "roles.manage"
	PermSecurityManage = "security.manage"
	PermAuditView      = "audit.view"
)

// PermOperator makes a user of the provider's staff account an operator:
// they onboard, suspend and close customer accounts. It is granted only by
// `accountportal operator create`, is not a customer's privilege area, and
// so is absent from Permissions.
const PermOperator = "staff.operator"

// PermUsersRead is given to API tokens only: it reads the users console's
// list and users (GET /api/v1/users...) and changes nothing. Whoever holds
// PermUsersManage may give it; a person never holds it, so it is not in
// Permissions.
const PermUsersRead = "users.read"

// PermUsersMFAReset is given to API tokens only: it resets users' second
// factors (POST /api/v1/users/{id}/mfa-reset). The console confirms each
// reset with the admin's own code; a token cannot type one, so the code is
// asked once, when the token is given this permission. Whoever holds
// PermUsersManage may give it, beside "Manage users" on the same token.
const PermUsersMFAReset = "users.mfa_reset"

// Groups of permissions.
const (
	GroupSupport = "support"
	GroupConsole = "console"
)

// Permission describes a permission for people.
type Permission struct {
	Key   string
	Label string
	Help  string
	Group string
}

// Permissions lists every permission in display order.
func Permissions() []Permission {
	return []Permission{
		{PermAccountInfo, "Account-specific information", "Ask the support desk about the account's details and services.", GroupSupport},
		{PermPhoneSystem, "Phone system changes", "Ask the support desk to change numbers, extensions and call routing.", GroupSupport},
		{PermBillingInquiries, "Billing inquiries", "Ask the support desk about invoices and charges.", GroupSupport},
		{PermBillingChanges, "Billing changes", "Ask the support desk to change plans, services and what is billed.", GroupSupport},
		{PermBillingInfo, "Updates to billing information", "Ask the support desk to change payment details and the billing address.", GroupSupport},
		{PermUsersManage, "Manage users", "Create, edit, suspend and delete users; send password resets.", GroupConsole},
		{PermRolesManage, "View and create roles", "See admins' privileges; create roles and assign them, within your own privileges.", GroupConsole},
		{PermSecurityManage, "Account security settings", "Password policy, security questions, MFA and session timeouts.", GroupConsole},
		{PermAuditView, "View the audit log", "See who did what in the account, and the support desk's verifications.", GroupConsole},
	}
}

// KnownPermission reports whether key names a permission.
func KnownPermission(key string) bool {
	for _, p := range Permissions() {
		if p.Key == key {
			return true
		}
	}
	return false
}

// PermissionLabel returns the human label of a permission key.
func PermissionLabel(key string) string {
	for _, p := range Permissions() {
		if p.Key == key {
			return p.Label
		}
	}
	return key
}

// SupportAreas are the permissions a caller asks the support desk about,
// in display order.
func SupportAreas() []Permission {
	var out []Permission
	for _, p := range Permissions() {
		if p.Group == GroupSupport {
			out = append(out, p)
		}
	}
	return out
}

// IsSupportArea reports whether key names a support area.
func IsSupportArea(key string) bool {
	return slices.ContainsFunc(SupportAreas(), func(p Permission) bool { return p.Key == key })
}
