package web

import (
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"
)

// SCIM's discovery endpoints (RFC 7644 section 4): what this service
// supports, said honestly: PATCH (of Users, and of Groups' members) and filters yes (filters: eq with and /
// or on the attributes scimFilter translates, at most scimMaxResults a
// page); bulk, password change and sorting no; ETags yes (weak, meta.version).

func scimMetaOf(base, resourceType, path string) map[string]any {
	return map[string]any{"resourceType": resourceType, "location": base + scimPrefix + path}
}

func scimServiceProviderConfig(base string) echo.HandlerFunc {
	body := map[string]any{
		"schemas":          []string{scimSPCURN},
		"documentationUri": base + "/", // the README's SCIM section ships with the portal
		"patch":            map[string]any{"supported": true},
		"bulk":             map[string]any{"supported": false, "maxOperations": 0, "maxPayloadSize": 0},
		"filter":           map[string]any{"supported": true, "maxResults": scimMaxResults},
		"changePassword":   map[string]any{"supported": false},
		"sort":             map[string]any{"supported": false},
		"etag":             map[string]any{"supported": true},
		"authenticationSchemes": []map[string]any{{
			"type": "oauthbearertoken", "name": "API token",
			"description": "An API token of the account (Admin → API tokens), sent as Authorization: Bearer ap_…; reading users needs Read users or Manage users, changing them Manage users; Groups need View and create roles.",
			"primary":     true,
		}},
		"meta": scimMetaOf(base, "ServiceProviderConfig", "/ServiceProviderConfig"),
	}
	return func(c echo.Context) error { return scimJSON(c, http.StatusOK, body) }
}

func scimUserResourceType(base string) map[string]any {
	return map[string]any{
		"schemas": []string{scimRTURN}, "id": "User", "name": "User", "endpoint": "/Users",
		"description": "A user of the account", "schema": scimUserURN, "schemaExtensions": []any{},
		"meta": scimMetaOf(base, "ResourceType", "/ResourceTypes/User"),
	}
}

func scimGroupResourceType(base string) map[string]any {
	return map[string]any{
		"schemas": []string{scimRTURN}, "id": "Group", "name": "Group", "endpoint": "/Groups",
		"description": "A role of the account; PATCH changes its members", "schema": scimGroupURN, "schemaExtensions": []any{},
		"meta": scimMetaOf(base, "ResourceType", "/ResourceTypes/Group"),
	}
}

func scimResourceTypes(base string) echo.HandlerFunc {
	user, group := scimUserResourceType(base), scimGroupResourceType(base)
	return func(c echo.Context) error {
		switch name := c.Param("name"); name {
		case "":
			return scimJSON(c, http.StatusOK, scimList{Schemas: []string{scimListURN}, TotalResults: 2, StartIndex: 1, ItemsPerPage: 2, Resources: []any{user, group}})
		case "User":
			return scimJSON(c, http.StatusOK, user)
		case "Group":
			return scimJSON(c, http.StatusOK, group)
		}
		return &scimErr{status: http.StatusNotFound, detail: "The resource types are User and Group."}
	}
}

func scimGroupSchema(base string) map[string]any {
	members := scimAttr("members", "complex", "The users holding the role; PATCH adds, removes and replaces them by the roles page's rules.",
		false, false, "readWrite", "none",
		scimAttr("value", "string", "The user's id.", true, false, "immutable", "none"),
		scimAttr("$ref", "reference", "The user's address; ignored when sent.", false, false, "readOnly", "none"),
		scimAttr("display", "string", "The user's display name; ignored when sent.", false, false, "readOnly", "none"))
	members["multiValued"] = true
	return map[string]any{
		"schemas": []string{scimSchemaURN}, "id": scimGroupURN, "name": "Group", "description": "A role of the account; PATCH changes its members",
		"attributes": []map[string]any{
			scimAttr("displayName", "string", "The role's name, changed in the console only (a PATCH that sends it unchanged is accepted).", true, false, "readOnly", "none"),
			members,
		},
		"meta": scimMetaOf(base, "Schema", "/Schemas/"+scimGroupURN),
	}
}

// scimAttr describes one attribute of the User schema.
func scimAttr(name, typ, desc string, required, caseExact bool, mutability, uniqueness string, subs ...map[string]any) map[string]any {
	a := map[string]any{"name": name, "type": typ, "multiValued": false, "description": desc, "required": required,
		"caseExact": caseExact, "mutability": mutability, "returned": "default", "uniqueness": uniqueness}
	if len(subs) > 0 {
		a["subAttributes"] = subs
	}
	return a
}

func scimUserSchema(base string) map[string]any {
	emails := scimAttr("emails", "complex", "The user's one email address (type work, primary); a list of several keeps the primary, else the work one.",
		true, false, "readWrite", "none",
		scimAttr("value", "string", "The email address.", true, false, "readWrite", "none"),
		scimAttr("type", "string", "Always work.", false, false, "readWrite", "none"),
		scimAttr("primary", "boolean", "Always true.", false, false, "readWrite", "none"))
	emails["multiValued"] = true
	return map[string]any{
		"schemas": []string{scimSchemaURN}, "id": scimUserURN, "name": "User", "description": "A user of the account",
		"attributes": []map[string]any{
			scimAttr("userName", "string", "The username people sign in with; unique across the service (any case).", true, false, "readWrite", "server"),
			scimAttr("name", "complex", "Kept as the display name: formatted, else givenName and familyName.", false, false, "readWrite", "none",
				scimAttr("formatted", "string", "The full name.", false, false, "readWrite", "none"),
				scimAttr("givenName", "string", "Written into the display name; not kept apart.", false, false, "writeOnly", "none"),
				scimAttr("familyName", "string", "Written into the display name; not kept apart.", false, false, "writeOnly", "none")),
			scimAttr("displayName", "string", "The name the portal shows.", false, false, "readWrite", "none"),
			emails,
			scimAttr("active", "boolean", "false suspends the user (sessions end, links are voided); true reactivates.", false, false, "readWrite", "none"),
			scimAttr("externalId", "string", "The identity provider's id of the user; unique in the account.", false, true, "readWrite", "server"),
		},
		"meta": scimMetaOf(base, "Schema", "/Schemas/"+scimUserURN),
	}
}

func scimSchemas(base string) echo.HandlerFunc {
	user, group := scimUserSchema(base), scimGroupSchema(base)
	return func(c echo.Context) error {
		switch urn := c.Param("urn"); {
		case urn == "":
			return scimJSON(c, http.StatusOK, scimList{Schemas: []string{scimListURN}, TotalResults: 2, StartIndex: 1, ItemsPerPage: 2, Resources: []any{user, group}})
		case strings.EqualFold(urn, scimUserURN):
			return scimJSON(c, http.StatusOK, user)
		case strings.EqualFold(urn, scimGroupURN):
			return scimJSON(c, http.StatusOK, group)
		}
		return &scimErr{status: http.StatusNotFound, detail: "The schemas are " + scimUserURN + " and " + scimGroupURN + "."}
	}
}
