package web_test

import (
	"context"
	"encoding/json"
	"net/http"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// scimPatchOp is a PatchOp body of ops.
func scimPatchOp(ops ...map[string]any) map[string]any {
	return map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": ops}
}

// scimMembers is a PATCH value list of members by user id.
func scimMembers(ids ...int64) []any {
	out := make([]any, len(ids))
	for i, id := range ids {
		out[i] = map[string]any{"value": apptest.Itoa(id)}
	}
	return out
}

// roleMembers is the role's members' ids in the store, sorted.
func (w *apiWorld) roleMembers(t testing.TB, roleID int64) []int64 {
	t.Helper()
	members, err := w.e.Store().Roles.Members(context.Background(), w.acct, roleID)
	if err != nil {
		t.Fatal(err)
	}
	var out []int64
	for _, m := range members {
		out = append(out, m.ID)
	}
	slices.Sort(out)
	return out
}

// groupMembers is the members GET /Groups/{id} shows, sorted.
func groupMembers(t testing.TB, c *scimClient, roleID int64) []string {
	t.Helper()
	res := c.do(http.MethodGet, "/scim/v2/Groups/"+apptest.Itoa(roleID), nil)
	if res.Status != http.StatusOK {
		t.Fatalf("GET group: %d %s", res.Status, res.Body)
	}
	list, _ := res.JSON["members"].([]any)
	out := []string{}
	for _, m := range list {
		v, _ := at(m, "value")
		out = append(out, v.(string))
	}
	slices.Sort(out)
	return out
}

func ids(ids ...int64) []int64 { slices.Sort(ids); return ids }

func idStrings(ids []int64) []string {
	out := []string{}
	for _, id := range ids {
		out = append(out, apptest.Itoa(id))
	}
	slices.Sort(out)
	return out
}

// auditedRole reports whether the audit log has action (role.assigned or
// role.unassigned) on the user through the named token.
func (w *apiWorld) auditedRole(t testing.TB, userID int64, action, token string) bool {
	t.Helper()
	events, err := w.e.Store().Audit.ForTarget(context.Background(), w.acct, userID, 20)
	if err != nil {
		t.Fatal(err)
	}
	for _, ev := range events {
		var details struct {
			APIToken string `json:"api_token"`
			Role     string `json:"role"`
		}
		if err := json.Unmarshal([]byte(ev.Details), &details); err != nil {
			t.Fatalf("details %q: %v", ev.Details, err)
		}
		if ev.Action == action && details.APIToken == token && details.Role == "User managers" {
			return true
		}
	}
	return false
}

// Entra ID's and Okta's group membership requests (testdata/scim/groups),
// replayed on both databases: the role's members change in the store and
// in GET /Groups/{id}, and the audit log names the token.
func TestSCIMGroupMembershipSequences(t *testing.T) {
	want := map[string]struct {
		members    func(w *apiWorld) []int64
		reassigned bool // cora, removed, was given the role again
	}{
		"entra.json": {members: func(w *apiWorld) []int64 { return ids(w.tess.ID) }},
		"okta.json":  {members: func(w *apiWorld) []int64 { return ids(w.tess.ID, w.cora.ID) }, reassigned: true},
	}
	files, err := filepath.Glob("testdata/scim/groups/*.json")
	if err != nil || len(files) != len(want) {
		t.Fatalf("fixtures: %v %v", files, err)
	}
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		for _, file := range files {
			name := filepath.Base(file)
			t.Run(name, func(t *testing.T) {
				w := newAPIWorld(t, d, apptest.Options{})
				token := "Groups " + strings.TrimSuffix(name, ".json")
				c := w.scim(t, createToken(t, w.ada, token, "", identity.PermUsersManage, identity.PermRolesManage))
				replaySCIM(t, c, file, map[string]string{"{base}": w.e.URL, "{group}": apptest.Itoa(w.managersRole),
					"{tess}": apptest.Itoa(w.tess.ID), "{cora}": apptest.Itoa(w.cora.ID)})
				wantIDs := want[name].members(w)
				if got := w.roleMembers(t, w.managersRole); !slices.Equal(got, wantIDs) {
					t.Errorf("members in the store: %v, want %v", got, wantIDs)
				}
				if got := groupMembers(t, c, w.managersRole); !slices.Equal(got, idStrings(wantIDs)) {
					t.Errorf("members in GET: %v, want %v", got, idStrings(wantIDs))
				}
				if !w.auditedRole(t, w.tess.ID, "role.assigned", token) {
					t.Error("no audit entry of tess given the role through the token")
				}
				if !w.auditedRole(t, w.cora.ID, "role.unassigned", token) {
					t.Error("no audit entry of cora losing the role through the token")
				}
				if got := w.auditedRole(t, w.cora.ID, "role.assigned", token); got != want[name].reassigned {
					t.Errorf("cora given the role again through the token: %v", got)
				}
			})
		}
	})
}

// A lower admin's token changes a group's members only as the roles page
// lets its owner: the Primary Admin, a higher admin, the owner themselves
// and a pending transfer's target are refused (403), another account's
// user is no user (400) and another account's role no group (404); a
// refused member changes nobody, earlier members of the request included.
func TestSCIMGroupPatchWhoMay(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAPIWorld(t, d, apptest.Options{})
		lena := w.e.AddUser(w.acct, "lena", apiPassword, models.StatusActive)
		w.e.GiveRoleID(lena.ID, w.e.AddRole(w.acct, "Role admins", identity.PermUsersManage, identity.PermRolesManage))
		pete := w.e.AddUser(w.acct, "pete", apiPassword, models.StatusActive)
		c := w.scim(t, createToken(t, w.signInAs(t, "lena"), "Lena's", "", identity.PermUsersManage, identity.PermRolesManage))
		group := "/scim/v2/Groups/" + apptest.Itoa(w.managersRole)
		add := func(ids ...int64) map[string]any {
			return scimPatchOp(map[string]any{"op": "add", "path": "members", "value": scimMembers(ids...)})
		}
		offerTo(t, w.ada, "pete", apptest.DefaultAdmin().Password)
		security := w.e.AddRole(w.acct, "Security", identity.PermSecurityManage)
		otherRole := w.e.AddRole(w.oscar.AccountID, "Oscar's", identity.PermUsersManage)
		for _, tc := range []struct {
			who, path string
			body      map[string]any
			status    int
			scimType  string
			detail    string
		}{
			{"the Primary Admin", group, add(w.tess.ID, w.ada0.ID), 403, "", "Member " + apptest.Itoa(w.ada0.ID) + " was refused, so nothing was changed: "},
			{"a higher admin", group, add(w.tess.ID, w.hank.ID), 403, "", "Member " + apptest.Itoa(w.hank.ID) + " was refused, so nothing was changed: "},
			{"the token's owner", group, add(w.tess.ID, lena.ID), 403, "", "Member " + apptest.Itoa(lena.ID) +
				" was refused, so nothing was changed: You cannot do that: an API token never acts on the admin who owns or created it."},
			{"the transfer's target", group, add(w.tess.ID, pete.ID), 403, "", "Member " + apptest.Itoa(pete.ID) + " was refused"},
			{"another account's user", group, add(w.tess.ID, w.oscar.ID), 400, "invalidValue", "members: there is no user " + apptest.Itoa(w.oscar.ID) + " in this account"},
			{"no such user", group, add(w.tess.ID, 999999999), 400, "invalidValue", "members: there is no user 999999999 in this account"},
			{"replace dropping cora for the Primary Admin", group, scimPatchOp(map[string]any{"op": "replace", "path": "members",
				"value": scimMembers(w.tess.ID, w.ada0.ID)}), 403, "", "Member " + apptest.Itoa(w.ada0.ID)},
			{"a role beyond the token", "/scim/v2/Groups/" + apptest.Itoa(security), add(w.tess.ID), 403, "", "You can give or remove this role only if you hold all its privileges."},
			{"another account's role", "/scim/v2/Groups/" + apptest.Itoa(otherRole), add(w.tess.ID), 404, "", "No such group."},
		} {
			res := c.do(http.MethodPatch, tc.path, tc.body)
			detail, _ := res.JSON["detail"].(string)
			if res.Status != tc.status || res.scimType() != tc.scimType || !strings.Contains(detail, tc.detail) {
				t.Errorf("%s: %d %q %q, want %d %q %q", tc.who, res.Status, res.scimType(), detail, tc.status, tc.scimType, tc.detail)
			}
			if got := w.roleMembers(t, w.managersRole); !slices.Equal(got, ids(w.cora.ID)) {
				t.Fatalf("%s: members %v, want only cora: a refused request changed them", tc.who, got)
			}
		}
		if w.auditedRole(t, w.tess.ID, "role.assigned", "Lena's") {
			t.Error("a refused request left an audit entry")
		}
		// A token without "View and create roles" reaches no group.
		users := w.scim(t, createToken(t, w.ada, "Users only", "", identity.PermUsersManage))
		if res := users.do(http.MethodPatch, group, add(w.tess.ID)); res.Status != http.StatusForbidden {
			t.Errorf("token without roles: %d %s", res.Status, res.Body)
		}
		// What the token may do, it does; remove at members without a
		// value empties the group.
		if res := c.do(http.MethodPatch, group, add(w.tess.ID)); res.Status != http.StatusOK {
			t.Fatalf("add tess: %d %s", res.Status, res.Body)
		}
		if res := c.do(http.MethodPatch, group, scimPatchOp(map[string]any{"op": "remove", "path": "members"})); res.Status != http.StatusOK {
			t.Fatalf("remove every member: %d %s", res.Status, res.Body)
		}
		if got := w.roleMembers(t, w.managersRole); len(got) != 0 {
			t.Errorf("after removing every member: %v", got)
		}
	})
}

// If-Match names the group's version (its members included): another
// version is 412 and changes nothing.
func TestSCIMGroupETag(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) { testSCIMGroupETag(t, d) })
}

func testSCIMGroupETag(t *testing.T, d models.Dialect) {
	w := newAPIWorld(t, d, apptest.Options{})
	c := w.scim(t, createToken(t, w.ada, "Groups", "", identity.PermUsersManage, identity.PermRolesManage))
	group := "/scim/v2/Groups/" + apptest.Itoa(w.managersRole)
	before := c.do(http.MethodGet, group, nil).Header.Get("ETag")
	add := scimPatchOp(map[string]any{"op": "add", "path": "members", "value": scimMembers(w.tess.ID)})
	if res := c.do(http.MethodPatch, group, add, "If-Match", `W/"0000"`); res.Status != http.StatusPreconditionFailed ||
		res.JSON["detail"] != "The group changed since that version; read it again." {
		t.Errorf("stale If-Match: %d %s", res.Status, res.Body)
	}
	if got := w.roleMembers(t, w.managersRole); !slices.Equal(got, ids(w.cora.ID)) {
		t.Fatalf("members after a 412: %v", got)
	}
	res := c.do(http.MethodPatch, group, add, "If-Match", before)
	after := res.Header.Get("ETag")
	if res.Status != http.StatusOK || after == "" || after == before {
		t.Fatalf("current If-Match: %d %q %q %s", res.Status, before, after, res.Body)
	}
	if res := c.do(http.MethodPatch, group, add, "If-Match", before); res.Status != http.StatusPreconditionFailed {
		t.Errorf("the version before the change: %d", res.Status)
	}
}

// Bad PATCH bodies, unknown paths and groups' unsupported methods are
// clear 4xx (or 501) SCIM errors, never a 500, and change nothing.
func TestSCIMGroupBadInput(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) { testSCIMGroupBadInput(t, d) })
}

func testSCIMGroupBadInput(t *testing.T, d models.Dialect) {
	w := newAPIWorld(t, d, apptest.Options{})
	c := w.scim(t, createToken(t, w.ada, "Groups", "", identity.PermUsersManage, identity.PermRolesManage))
	group := "/scim/v2/Groups/" + apptest.Itoa(w.managersRole)
	one := func(op map[string]any) map[string]any { return scimPatchOp(op) }
	tess := apptest.Itoa(w.tess.ID)
	huge := make([]int64, 1001)
	for i := range huge {
		huge[i] = w.tess.ID
	}
	cases := []struct {
		name     string
		method   string
		path     string
		body     any
		status   int
		scimType string
	}{
		{"NUL in a member", "PATCH", group, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"add","path":"members","value":[{"value":"1\u0000"}]}]}`, 400, "invalidValue"},
		{"invalid UTF-8", "PATCH", group, []byte("{\"schemas\":[\"urn:ietf:params:scim:api:messages:2.0:PatchOp\"],\"Operations\":[{\"op\":\"add\",\"path\":\"members\",\"value\":[{\"value\":\"\xff\"}]}]}"), 400, "invalidSyntax"},
		{"unknown op", "PATCH", group, one(map[string]any{"op": "move", "path": "members", "value": scimMembers(w.tess.ID)}), 400, "invalidSyntax"},
		{"unknown path", "PATCH", group, one(map[string]any{"op": "add", "path": "owners", "value": scimMembers(w.tess.ID)}), 400, "invalidPath"},
		{"unknown attribute in a value", "PATCH", group, one(map[string]any{"op": "replace", "value": map[string]any{"owners": "x"}}), 400, "invalidPath"},
		{"unparsable path", "PATCH", group, one(map[string]any{"op": "remove", "path": "members[value eq"}), 400, "invalidPath"},
		{"another schema's path", "PATCH", group, one(map[string]any{"op": "add", "path": "urn:ietf:params:scim:schemas:core:2.0:User:members", "value": scimMembers(w.tess.ID)}), 400, "invalidPath"},
		{"a sub-attribute path", "PATCH", group, one(map[string]any{"op": "replace", "path": "members.display", "value": "x"}), 400, "invalidPath"},
		{"a filter on add", "PATCH", group, one(map[string]any{"op": "add", "path": `members[value eq "` + tess + `"]`, "value": scimMembers(w.tess.ID)}), 400, "invalidPath"},
		{"a filter on display", "PATCH", group, one(map[string]any{"op": "remove", "path": `members[display eq "x"]`}), 400, "invalidPath"},
		{"a filter on another attribute", "PATCH", group, one(map[string]any{"op": "remove", "path": `displayName[value eq "1"]`}), 400, "invalidPath"},
		{"a member not an id", "PATCH", group, one(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "abc"}}}), 400, "invalidValue"},
		{"a member id with a plus sign", "PATCH", group, one(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "+" + tess}}}), 400, "invalidValue"},
		{"a member id with leading zeros", "PATCH", group, one(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "000" + tess}}}), 400, "invalidValue"},
		{"a filter's member id with a leading zero", "PATCH", group, one(map[string]any{"op": "remove", "path": `members[value eq "0` + tess + `"]`}), 400, "invalidValue"},
		{"member id zero", "PATCH", group, one(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "0"}}}), 400, "invalidValue"},
		{"a member id as a number", "PATCH", group, one(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": w.tess.ID}}}), 400, "invalidValue"},
		{"a member without value", "PATCH", group, one(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"display": "Tess"}}}), 400, "invalidValue"},
		{"members not a list", "PATCH", group, one(map[string]any{"op": "add", "path": "members", "value": "x"}), 400, "invalidValue"},
		{"add without a value", "PATCH", group, one(map[string]any{"op": "add", "path": "members"}), 400, "invalidValue"},
		{"too many members", "PATCH", group, one(map[string]any{"op": "add", "path": "members", "value": scimMembers(huge...)}), 400, "tooMany"},
		{"too many over operations", "PATCH", group, scimPatchOp(map[string]any{"op": "add", "path": "members", "value": scimMembers(huge[:600]...)},
			map[string]any{"op": "remove", "path": "members", "value": scimMembers(huge[:401]...)}), 400, "tooMany"},
		{"a rename", "PATCH", group, one(map[string]any{"op": "replace", "path": "displayName", "value": "Renamed"}), 400, "mutability"},
		{"remove displayName", "PATCH", group, one(map[string]any{"op": "remove", "path": "displayName"}), 400, "mutability"},
		{"displayName not a string", "PATCH", group, one(map[string]any{"op": "replace", "path": "displayName", "value": 7}), 400, "invalidValue"},
		{"another id", "PATCH", group, one(map[string]any{"op": "replace", "value": map[string]any{"id": "1", "displayName": "User managers"}}), 400, "mutability"},
		{"meta", "PATCH", group, one(map[string]any{"op": "replace", "path": "meta", "value": map[string]any{}}), 400, "mutability"},
		{"remove without path", "PATCH", group, one(map[string]any{"op": "remove"}), 400, "noTarget"},
		{"no operations", "PATCH", group, scimPatchOp(), 400, "invalidSyntax"},
		{"not a PatchOp", "PATCH", group, map[string]any{"displayName": "x"}, 400, "invalidSyntax"},
		{"not an id", "PATCH", "/scim/v2/Groups/abc", scimPatchOp(), 404, ""},
		{"no such group", "PATCH", "/scim/v2/Groups/999999999", scimPatchOp(), 404, ""},
		{"create", "POST", "/scim/v2/Groups", map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "x"}, 501, ""},
		{"replace", "PUT", group, map[string]any{"schemas": []string{"urn:ietf:params:scim:schemas:core:2.0:Group"}, "displayName": "User managers"}, 501, ""},
		{"delete", "DELETE", group, nil, 501, ""},
		{"delete no such group", "DELETE", "/scim/v2/Groups/999999999", nil, 404, ""},
		{"replace another account's group", "PUT", "/scim/v2/Groups/" + apptest.Itoa(w.e.AddRole(w.oscar.AccountID, "Oscar's", identity.PermUsersManage)), map[string]any{}, 404, ""},
	}
	for _, tc := range cases {
		res := c.do(tc.method, tc.path, tc.body)
		if res.Status != tc.status || res.scimType() != tc.scimType {
			t.Errorf("%s: %d %q, want %d %q: %s", tc.name, res.Status, res.scimType(), tc.status, tc.scimType, res.Body)
		}
	}
	if got := w.roleMembers(t, w.managersRole); !slices.Equal(got, ids(w.cora.ID)) {
		t.Errorf("members after bad requests: %v", got)
	}
	plus := one(map[string]any{"op": "add", "path": "members", "value": []any{map[string]any{"value": "+" + tess}}})
	if res := c.do(http.MethodPatch, group, plus); res.JSON["detail"] != `members: "+`+tess+`" is not a user id.` {
		t.Errorf("member id with a plus sign: %s", res.Body)
	}
	if res := c.do(http.MethodPost, "/scim/v2/Groups", map[string]any{}); res.JSON["detail"] !=
		"Groups are the account's roles, created in the console (Admin → Roles); SCIM changes their members with PATCH /Groups/{id}." {
		t.Errorf("POST detail: %s", res.Body)
	}
}

// A member whose membership a step would not change is not checked
// (nothing happens to them): removing a non-member the token may not act
// on, or adding a member already there whom it may not act on, no longer
// refuses the whole request. Changing such a user still is refused, and a
// token naming its owner says so rather than "your own privileges".
func TestSCIMGroupNoOpMembersUnchecked(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAPIWorld(t, d, apptest.Options{})
		c := w.scim(t, createToken(t, w.ada, "Groups", "", identity.PermUsersManage, identity.PermRolesManage))
		role := w.e.AddRole(w.acct, "Helpdesk", identity.PermUsersManage)
		group := "/scim/v2/Groups/" + apptest.Itoa(role)
		w.e.GiveRoleID(w.tess.ID, role)
		lena := w.e.AddUser(w.acct, "lena", apiPassword, models.StatusActive)
		w.e.GiveRoleID(lena.ID, w.e.AddRole(w.acct, "Role admins", identity.PermUsersManage, identity.PermRolesManage))
		w.e.GiveRoleID(w.hank.ID, role) // hank holds more than lena's token
		lenas := w.scim(t, createToken(t, w.signInAs(t, "lena"), "Lena's", "", identity.PermUsersManage, identity.PermRolesManage))
		members := func(ids ...int64) map[string]any {
			return map[string]any{"path": "members", "value": scimMembers(ids...)}
		}
		op := func(name string, m map[string]any) map[string]any { m["op"] = name; return m }

		for _, tc := range []struct {
			what   string
			c      *scimClient
			body   map[string]any
			status int
			detail string
			want   []int64
		}{
			{"remove tess and the Primary Admin, no member", c, scimPatchOp(op("Remove", members(w.tess.ID, w.ada0.ID))),
				200, "", ids(w.hank.ID)},
			{"remove the Primary Admin by filter", c, scimPatchOp(map[string]any{"op": "remove", "path": `members[value eq "` + apptest.Itoa(w.ada0.ID) + `"]`}),
				200, "", ids(w.hank.ID)},
			{"lena's token adds cora and hank, a member already", lenas, scimPatchOp(op("add", members(w.cora.ID, w.hank.ID))),
				200, "", ids(w.hank.ID, w.cora.ID)},
			{"lena's token keeps hank in a replace", lenas, scimPatchOp(op("replace", members(w.hank.ID, w.tess.ID))),
				200, "", ids(w.hank.ID, w.tess.ID)},
			{"lena's token removes lena, no member", lenas, scimPatchOp(op("remove", members(lena.ID, w.tess.ID))),
				200, "", ids(w.hank.ID)},
			{"lena's token removes hank", lenas, scimPatchOp(op("remove", members(w.hank.ID))),
				403, "Member " + apptest.Itoa(w.hank.ID) + " was refused, so nothing was changed: You cannot do that: they hold privileges you do not", ids(w.hank.ID)},
			{"lena's token adds lena", lenas, scimPatchOp(op("add", members(lena.ID))),
				403, "Member " + apptest.Itoa(lena.ID) + " was refused, so nothing was changed: You cannot do that: an API token never acts on the admin who owns or created it.", ids(w.hank.ID)},
			{"the Primary Admin's token adds the Primary Admin", c, scimPatchOp(op("add", members(w.ada0.ID))),
				403, "Member " + apptest.Itoa(w.ada0.ID) + " was refused, so nothing was changed: You cannot do that: an API token never acts on the admin who owns or created it.", ids(w.hank.ID)},
			{"remove another account's user, no member", c, scimPatchOp(op("remove", members(w.oscar.ID))),
				400, "members: there is no user " + apptest.Itoa(w.oscar.ID) + " in this account, so nothing was changed.", ids(w.hank.ID)},
		} {
			res := tc.c.do(http.MethodPatch, group, tc.body)
			detail, _ := res.JSON["detail"].(string)
			if res.Status != tc.status || !strings.HasPrefix(detail, tc.detail) {
				t.Errorf("%s: %d %q, want %d %q", tc.what, res.Status, detail, tc.status, tc.detail)
			}
			if got := w.roleMembers(t, role); !slices.Equal(got, tc.want) {
				t.Errorf("%s: members %v, want %v", tc.what, got, tc.want)
			}
		}
	})
}
