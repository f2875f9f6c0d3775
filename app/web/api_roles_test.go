package web_test

import (
	"context"
	"net/http"
	"slices"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

// The roles through the API are the roles pages': listed and read with
// "View and create roles", given and taken away only within the token's
// permissions and to users it may act on, each change audited with the
// token's name and emailed to the user.
func TestAPIRoles(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	roles := createToken(t, w.ada, "Directory", "", identity.PermUsersManage, identity.PermRolesManage)
	api := w.api.with(roles)
	managers := "/api/v1/roles/" + apptest.Itoa(w.managersRole)

	var list struct {
		Data []struct {
			ID      int64
			Name    string
			BuiltIn bool `json:"built_in"`
			Members int64
			Perms   []string `json:"permissions"`
		}
	}
	res := api.get("/api/v1/roles")
	res.decode(t, &list)
	var mine, builtIn int
	for _, r := range list.Data {
		if r.BuiltIn {
			builtIn++
		}
		if r.ID == w.managersRole {
			mine++
			if r.Name != "User managers" || r.Members != 1 || strings.Join(r.Perms, ",") != identity.PermUsersManage {
				t.Errorf("the account's role: %+v", r)
			}
		}
	}
	if res.Status != http.StatusOK || mine != 1 || builtIn == 0 {
		t.Fatalf("roles: %d %s", res.Status, res.Body)
	}
	res = api.get(managers)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"username":"cora"`) {
		t.Errorf("the role: %d %s", res.Status, res.Body)
	}

	// Tess gets the role and loses it again.
	give := `{"user_id":` + apptest.Itoa(w.tess.ID) + `}`
	res = api.post(managers+"/members", give)
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"roles":["User managers"]`) {
		t.Fatalf("give: %d %s", res.Status, res.Body)
	}
	if again := api.post(managers+"/members", give); again.Status != http.StatusOK {
		t.Errorf("give a role she holds: %d %s", again.Status, again.Body)
	}
	res = api.do(call{method: http.MethodDelete, path: managers + "/members/" + apptest.Itoa(w.tess.ID)})
	if res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"roles":[]`) {
		t.Errorf("take away: %d %s", res.Status, res.Body)
	}
	events, err := w.e.Store().Audit.ForTarget(context.Background(), w.acct, w.tess.ID, 10)
	if err != nil {
		t.Fatal(err)
	}
	named := 0
	for _, ev := range events {
		if strings.HasPrefix(ev.Action, "role.") && strings.Contains(ev.Details, `"api_token":"Directory"`) {
			named++
		}
	}
	if named != 2 {
		t.Errorf("%d role changes audited with the token's name: %+v", named, events)
	}

	// Who may give what to whom.
	companyAdmin, err := w.e.Store().Roles.Builtin(context.Background(), "company_admin")
	if err != nil {
		t.Fatal(err)
	}
	otherRole := w.e.AddRole(w.oscar.AccountID, "Theirs", identity.PermUsersManage)
	for _, c := range []struct {
		name, path, body string
		want             int
	}{
		{"a role beyond the token", "/api/v1/roles/" + apptest.Itoa(companyAdmin.ID) + "/members", give, http.StatusForbidden},
		{"to the Primary Admin", managers + "/members", `{"user_id":` + apptest.Itoa(w.ada0.ID) + `}`, http.StatusForbidden},
		{"to a higher admin", managers + "/members", `{"user_id":` + apptest.Itoa(w.hank.ID) + `}`, http.StatusForbidden},
		{"to another account's user", managers + "/members", `{"user_id":` + apptest.Itoa(w.oscar.ID) + `}`, http.StatusNotFound},
		{"another account's role", "/api/v1/roles/" + apptest.Itoa(otherRole) + "/members", give, http.StatusNotFound},
	} {
		if res := api.post(c.path, c.body); res.Status != c.want {
			t.Errorf("%s: %d, want %d: %s", c.name, res.Status, c.want, res.Body)
		}
	}
	if res := api.get("/api/v1/roles/" + apptest.Itoa(otherRole)); res.Status != http.StatusNotFound {
		t.Errorf("another account's role: %d", res.Status)
	}
	// Without "View and create roles", nothing of it.
	usersOnly := w.api.with(createToken(t, w.ada, "Users only", "", identity.PermUsersManage))
	for _, res := range []*apiRes{usersOnly.get("/api/v1/roles"), usersOnly.get(managers), usersOnly.post(managers+"/members", give)} {
		if res.Status != http.StatusForbidden {
			t.Errorf("a token without roles.manage: %d %s", res.Status, res.Body)
		}
	}
}

// An id in a body is a JSON number whose value is whole, as the
// description's "type": "integer" says: 2.0 is the user 2, where Go alone
// would have refused it and the description accepted it. A fraction is
// refused by both.
func TestAPIIdsAreWholeNumbers(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "All", "", identity.PermUsersManage, identity.PermRolesManage))
	members := "/api/v1/roles/" + apptest.Itoa(w.managersRole) + "/members"
	json := map[string]string{"Content-Type": "application/json"}
	if res := api.do(call{method: http.MethodPost, path: members, header: json, invalid: true,
		body: []byte(`{"user_id":` + apptest.Itoa(w.tess.ID) + `.5}`)}); res.Status != http.StatusUnprocessableEntity ||
		!strings.Contains(string(res.Body), `"field":"body"`) {
		t.Errorf("user_id with a fraction: %d %s", res.Status, res.Body)
	}
	var tess struct{ Roles []string }
	if api.get(w.tessP).decode(t, &tess); len(tess.Roles) != 0 {
		t.Errorf("tess's roles after the refused member: %v", tess.Roles)
	}
	if res := api.do(call{method: http.MethodPost, path: members, header: json,
		body: []byte(`{"user_id":` + apptest.Itoa(w.tess.ID) + `.0}`)}); res.Status != http.StatusOK {
		t.Errorf("user_id written %d.0: %d %s", w.tess.ID, res.Status, res.Body)
	}
	if api.get(w.tessP).decode(t, &tess); !slices.Equal(tess.Roles, []string{"User managers"}) {
		t.Errorf("tess's roles after user_id %d.0: %v", w.tess.ID, tess.Roles)
	}
	res := api.do(call{method: http.MethodPost, path: "/api/v1/users", header: json,
		body: []byte(`{"display_name":"Nora New","email":"nora@example.com","role_ids":[` + apptest.Itoa(w.managersRole) + `e0]}`)})
	if res.Status != http.StatusCreated || !strings.Contains(string(res.Body), `"roles":["User managers"]`) {
		t.Errorf("role_ids written %de0: %d %s", w.managersRole, res.Status, res.Body)
	}
}
