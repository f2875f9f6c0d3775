package web_test

import (
	"net/http"
	"slices"
	"sort"
	"strings"
	"testing"

	"accountportal/app/admin"
	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/app/web"
	"accountportal/models"
)

// gateRow is one token route of the JSON API or SCIM: a request that
// passes every check after the route's permission (it names a user or
// role that does not exist, or sends an empty body), and so is answered
// with status exactly when the token holds what the route needs.
type gateRow struct {
	method, path, body string
	status             int
	needs              func(held map[string]bool) bool
	scim               bool
}

func anyOf(perms ...string) func(map[string]bool) bool {
	return func(held map[string]bool) bool {
		return slices.ContainsFunc(perms, func(p string) bool { return held[p] })
	}
}

func allOf(perms ...string) func(map[string]bool) bool {
	return func(held map[string]bool) bool {
		return !slices.ContainsFunc(perms, func(p string) bool { return !held[p] })
	}
}

func gateRows() map[string]gateRow {
	const none = "/999999"
	readers := anyOf(identity.PermUsersRead, identity.PermUsersManage)
	managers := anyOf(identity.PermUsersManage)
	roles := anyOf(identity.PermRolesManage)
	api := func(method, path, body string, status int, needs func(map[string]bool) bool) gateRow {
		return gateRow{method: method, path: "/api/v1" + path, body: body, status: status, needs: needs}
	}
	scim := func(method, path, body string, status int, needs func(map[string]bool) bool) gateRow {
		return gateRow{method: method, path: "/scim/v2" + path, body: body, status: status, needs: needs, scim: true}
	}
	reason := `{"reason":"gate"}`
	return map[string]gateRow{
		"GET /api/v1/users":                         api("GET", "/users", "", http.StatusOK, readers),
		"GET /api/v1/users/:id":                     api("GET", "/users"+none, "", http.StatusNotFound, readers),
		"POST /api/v1/users":                        api("POST", "/users", `{}`, http.StatusUnprocessableEntity, managers),
		"PATCH /api/v1/users/:id":                   api("PATCH", "/users"+none, `{"display_name":"Gate"}`, http.StatusNotFound, managers),
		"DELETE /api/v1/users/:id":                  api("DELETE", "/users"+none, "", http.StatusNotFound, managers),
		"POST /api/v1/users/:id/deactivate":         api("POST", "/users"+none+"/deactivate", reason, http.StatusNotFound, managers),
		"POST /api/v1/users/:id/reactivate":         api("POST", "/users"+none+"/reactivate", reason, http.StatusNotFound, managers),
		"POST /api/v1/users/:id/password-reset":     api("POST", "/users"+none+"/password-reset", "", http.StatusNotFound, managers),
		"POST /api/v1/users/:id/mfa-reset":          api("POST", "/users"+none+"/mfa-reset", "", http.StatusNotFound, allOf(identity.PermUsersManage, identity.PermUsersMFAReset)),
		"GET /api/v1/audit-events":                  api("GET", "/audit-events", "", http.StatusOK, anyOf(identity.PermAuditView)),
		"GET /api/v1/roles":                         api("GET", "/roles", "", http.StatusOK, roles),
		"GET /api/v1/roles/:id":                     api("GET", "/roles"+none, "", http.StatusNotFound, roles),
		"POST /api/v1/roles/:id/members":            api("POST", "/roles"+none+"/members", `{"user_id":1}`, http.StatusNotFound, roles),
		"DELETE /api/v1/roles/:id/members/:user_id": api("DELETE", "/roles"+none+"/members/1", "", http.StatusNotFound, roles),
		"GET /scim/v2/ServiceProviderConfig":        scim("GET", "/ServiceProviderConfig", "", http.StatusOK, readers),
		"GET /scim/v2/ResourceTypes":                scim("GET", "/ResourceTypes", "", http.StatusOK, readers),
		"GET /scim/v2/ResourceTypes/:name":          scim("GET", "/ResourceTypes/User", "", http.StatusOK, readers),
		"GET /scim/v2/Schemas":                      scim("GET", "/Schemas", "", http.StatusOK, readers),
		"GET /scim/v2/Schemas/:urn":                 scim("GET", "/Schemas/urn:ietf:params:scim:schemas:core:2.0:User", "", http.StatusOK, readers),
		"GET /scim/v2/Users":                        scim("GET", "/Users", "", http.StatusOK, readers),
		"GET /scim/v2/Users/:id":                    scim("GET", "/Users"+none, "", http.StatusNotFound, readers),
		"POST /scim/v2/Users":                       scim("POST", "/Users", `{}`, http.StatusBadRequest, managers),
		"PUT /scim/v2/Users/:id":                    scim("PUT", "/Users"+none, scimGateUser, http.StatusNotFound, managers),
		"PATCH /scim/v2/Users/:id":                  scim("PATCH", "/Users"+none, scimGatePatch, http.StatusNotFound, managers),
		"DELETE /scim/v2/Users/:id":                 scim("DELETE", "/Users"+none, "", http.StatusNotFound, managers),
		"GET /scim/v2/Groups":                       scim("GET", "/Groups", "", http.StatusOK, roles),
		"GET /scim/v2/Groups/:id":                   scim("GET", "/Groups"+none, "", http.StatusNotFound, roles),
		"PATCH /scim/v2/Groups/:id":                 scim("PATCH", "/Groups"+none, scimGateMembers, http.StatusNotFound, roles),
		"POST /scim/v2/Groups":                      scim("POST", "/Groups", `{}`, http.StatusNotImplemented, roles),
		"PUT /scim/v2/Groups/:id":                   scim("PUT", "/Groups"+none, `{}`, http.StatusNotFound, roles),
		"DELETE /scim/v2/Groups/:id":                scim("DELETE", "/Groups"+none, "", http.StatusNotFound, roles),
	}
}

const (
	scimGateUser    = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"gate","name":{"formatted":"Gate"},"emails":[{"value":"gate@example.com","type":"work","primary":true}],"active":true}`
	scimGateMembers = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"1"}]}]}`
	scimGatePatch   = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":false}]}`
)

// Routes of /api/v1 that take no API token: the description, and the
// integration sign-in's app passwords (TestIntegrationSignIn* cover them).
var gateExempt = []string{"GET /api/v1/openapi.json", "GET /api/v1/me", "POST /api/v1/crm/sign-in"}

// Every token route of the JSON API and SCIM, called with a token of every
// permission set a Primary Admin can give (each subset of the token
// permissions; "Reset second factors" only with "Manage users"), answers
// 403 exactly when the token lacks what the route needs. A route added
// without a row here fails the test.
func TestAPIPermissionGateOfEveryRouteAndTokenSet(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	rows := gateRows()
	requireGateRowsCoverRoutes(t, w, rows)

	var keys []string
	for _, p := range admin.TokenPermissions() {
		keys = append(keys, p.Key)
	}
	checks := 0
	for mask := 0; mask < 1<<len(keys); mask++ {
		held := map[string]bool{}
		var perms []string
		for i, k := range keys {
			if mask&(1<<i) != 0 {
				held[k], perms = true, append(perms, k)
			}
		}
		if held[identity.PermUsersMFAReset] && !held[identity.PermUsersManage] {
			continue // refused at creation: TestAPITokenForMFAResetAsksTheCreatorsCode
		}
		token := createToken(t, w.ada, "Set "+strings.Join(perms, " "), "", perms...)
		api, scim := w.api.with(token), w.scim(t, token)
		for key, r := range rows {
			want := http.StatusForbidden
			if r.needs(held) {
				want = r.status
			}
			var got int
			var body []byte
			if r.scim {
				var payload any
				if r.body != "" {
					payload = r.body
				}
				res := scim.do(r.method, r.path, payload)
				got, body = res.Status, res.Body
			} else {
				// An empty body to create a user breaks the description too.
				cl := call{method: r.method, path: r.path, header: map[string]string{"Content-Type": "application/json"},
					invalid: r.body == `{}`}
				if r.body != "" {
					cl.body = []byte(r.body)
				}
				res := api.do(cl)
				got, body = res.Status, res.Body
			}
			checks++
			if got != want {
				t.Errorf("token %v, %s: %d, want %d: %s", perms, key, got, want, body)
			}
		}
	}
	t.Logf("%d routes × token permission sets: %d checks", len(rows), checks)
}

// requireGateRowsCoverRoutes fails when a token route has no row, or a row
// no route.
func requireGateRowsCoverRoutes(t *testing.T, w *apiWorld, rows map[string]gateRow) {
	t.Helper()
	seen := map[string]bool{}
	var missing []string
	for _, r := range w.e.App.Handler.(*web.Server).Routes() {
		key := r.Method + " " + r.Path
		token := strings.HasPrefix(r.Path, "/api/v1/") || strings.HasPrefix(r.Path, "/scim/v2/")
		if !token || seen[key] || slices.Contains(gateExempt, key) {
			continue
		}
		seen[key] = true
		if _, ok := rows[key]; !ok {
			missing = append(missing, key)
		}
	}
	sort.Strings(missing)
	if len(missing) > 0 {
		t.Fatalf("token routes without a row in the gate matrix:\n%s", strings.Join(missing, "\n"))
	}
	for key := range rows {
		if !seen[key] {
			t.Errorf("gate row for a route that does not exist: %s", key)
		}
	}
}
