package web

import (
	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/models"
)

// The other admin pages' words that are the portal's data rather than a
// page's: the built-in roles (stored by the migrations in English, known
// by their key), and the privileges' names (stated by app/identity in
// English, translated by their text under [problem.admin]).

// builtinRoleIDs are the catalog ids of each built-in role's name and
// description, by the role's key.
var builtinRoleIDs = map[string][2]string{
	"company_admin": {"admin.builtin.company_admin", "admin.builtin.company_admin_description"},
	"it_admin":      {"admin.builtin.it_admin", "admin.builtin.it_admin_description"},
	"billing_admin": {"admin.builtin.billing_admin", "admin.builtin.billing_admin_description"},
}

// builtinRoleKeys finds a built-in role by the English name the
// migrations give it, where a page has only the names of a user's roles.
var builtinRoleKeys = map[string]string{"Company Admin": "company_admin", "IT Admin": "it_admin", "Billing Admin": "billing_admin"}

// roleText is a role's name and description in the reader's language: a
// built-in role's from the catalogs, an account's own as its admins wrote
// them.
func roleText(c echo.Context, r models.Role) (name, description string) {
	if r.AccountID == nil && r.Key != nil {
		if ids, ok := builtinRoleIDs[*r.Key]; ok {
			return tr(c, ids[0]), tr(c, ids[1])
		}
	}
	return r.Name, r.Description
}

// roleNames says the names of a user's roles in the reader's language.
func roleNames(c echo.Context, names []string) []string {
	out := make([]string, len(names))
	for i, n := range names {
		out[i] = n
		if key, ok := builtinRoleKeys[n]; ok {
			out[i] = tr(c, builtinRoleIDs[key][0])
		}
	}
	return out
}

// permissionLabel is a privilege's name in the reader's language.
func permissionLabel(c echo.Context, key string) string {
	return localProblem(c, identity.PermissionLabel(key))
}
