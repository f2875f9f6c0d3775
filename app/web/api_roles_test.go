package web_test

import (
	"context"
	"net/http"
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
