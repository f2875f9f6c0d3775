package web_test

import (
	"context"
	"net/http"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

// A body naming a member twice is refused, where Go's decoder would act on
// the last: 422 naming the member, and nothing done. SCIM refuses it as
// invalidSyntax, at any depth.
func TestAPIDuplicateMembers(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "All", "", identity.PermUsersManage, identity.PermRolesManage))
	json := map[string]string{"Content-Type": "application/json"}
	for _, tc := range []struct {
		name, field string
		c           call
	}{
		{"create", "email", call{method: http.MethodPost, path: "/api/v1/users", header: json,
			body: []byte(`{"display_name":"Nora New","email":"nora@example.com","email":"evil@example.com"}`)}},
		{"edit", "username", call{method: http.MethodPatch, path: w.tessP, header: json,
			body: []byte(`{"username":"tess2","username":"tess3"}`)}},
		{"deactivate", "reason", call{method: http.MethodPost, path: w.tessP + "/deactivate", header: json,
			body: []byte(`{"reason":"left","reason":"fired"}`)}},
		{"role member", "user_id", call{method: http.MethodPost, path: "/api/v1/roles/" + apptest.Itoa(w.managersRole) + "/members", header: json,
			body: []byte(`{"user_id":` + apptest.Itoa(w.tess.ID) + `,"user_id":` + apptest.Itoa(w.tess.ID) + `}`)}},
		// Go's decoder matches names by Unicode simple folding: U+017F
		// (long s) is s and U+212A (Kelvin sign) is k to it. The
		// description knows no such member, so it refuses these too.
		{"edit, long s", "uſername", call{method: http.MethodPatch, path: w.tessP, header: json, invalid: true,
			body: []byte(`{"username":"tess2","uſername":"tess3"}`)}},
		{"create, long s", "diſplay_name", call{method: http.MethodPost, path: "/api/v1/users", header: json, invalid: true,
			body: []byte(`{"display_name":"Nora New","diſplay_name":"Evil Name","email":"nora@example.com","username":"nora"}`)}},
		{"deactivate, long s", "reaſon", call{method: http.MethodPost, path: w.tessP + "/deactivate", header: json, invalid: true,
			body: []byte(`{"reason":"left","reaſon":"fired"}`)}},
		{"role member, long s", "uſer_id", call{method: http.MethodPost, path: "/api/v1/roles/" + apptest.Itoa(w.managersRole) + "/members", header: json, invalid: true,
			body: []byte(`{"user_id":` + apptest.Itoa(w.tess.ID) + `,"uſer_id":` + apptest.Itoa(w.cora.ID) + `}`)}},
		{"create, role_ids with long s", "role_idſ", call{method: http.MethodPost, path: "/api/v1/users", header: json, invalid: true,
			body: []byte(`{"display_name":"Nora New","email":"nora@example.com","role_ids":[],"role_idſ":[` + apptest.Itoa(w.managersRole) + `]}`)}},
	} {
		res := api.do(tc.c)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422: %s", tc.name, res.Status, res.Body)
			continue
		}
		errs, _ := res.problem(t)["errors"].([]any)
		want := tc.field + " is given twice; send each member once."
		if len(errs) != 1 || errs[0].(map[string]any)["field"] != tc.field || errs[0].(map[string]any)["detail"] != want {
			t.Errorf("%s: errors %v, want %s: %s", tc.name, errs, tc.field, want)
		}
	}
	if u := w.e.User("tess"); u.Status != models.StatusActive || u.Username != "tess" {
		t.Errorf("tess after the refused bodies: %+v", u)
	}
	if u := w.e.User("cora"); u.Status != models.StatusActive {
		t.Errorf("cora after the refused bodies: %+v", u)
	}
	if u, err := w.e.Store().Users.ByUsernameKey(context.Background(), identity.UsernameKey("nora")); err == nil {
		t.Errorf("nora was created: %+v", u)
	}
	var tess struct{ Roles []string }
	if api.get(w.tessP).decode(t, &tess); len(tess.Roles) != 0 {
		t.Errorf("tess's roles after the refused member: %v", tess.Roles)
	}

	c := w.scim(t, createToken(t, w.ada, "Entra", "", identity.PermUsersManage))
	const user = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]`
	for body, detail := range map[string]string{
		`{` + user + `,"userName":"n@example.com","userName":"m@example.com"}`:                                   "userName is given twice; send each member once.",
		`{` + user + `,"userName":"n@example.com","USERNAME":"m@example.com"}`:                                   "USERNAME is given twice; send each member once.",
		`{` + user + `,"userName":"n@example.com","name":{"givenName":"N","givenName":"M"}}`:                     "name.givenName is given twice; send each member once.",
		`{` + user + `,"userName":"n@example.com","emails":[{"value":"n@example.com","value":"m@example.com"}]}`: "emails[0].value is given twice; send each member once.",
		`{` + user + `,"userName":"n@example.com","uſerName":"m@example.com"}`:                                   "uſerName is given twice; send each member once.",
		`{` + user + `,"userName":"n@example.com","name":{"givenName":"N","\u212a":1,"k":2}}`:                    "name.k is given twice; send each member once.",
	} {
		res := c.do(http.MethodPost, "/scim/v2/Users", body)
		if res.Status != http.StatusBadRequest || res.scimType() != "invalidSyntax" || res.JSON["detail"] != detail {
			t.Errorf("%s: %d %q %v, want 400 invalidSyntax %q", body, res.Status, res.scimType(), res.JSON["detail"], detail)
		}
	}
	patch := `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"active","value":true,"value":false}]}`
	if res := c.do(http.MethodPatch, "/scim/v2/Users/"+apptest.Itoa(w.tess.ID), patch); res.Status != http.StatusBadRequest ||
		res.JSON["detail"] != "Operations[0].value is given twice; send each member once." {
		t.Errorf("PATCH: %d %s", res.Status, res.Body)
	}
	if u := w.e.User("tess"); u.Status != models.StatusActive {
		t.Errorf("tess after the refused PATCH: %s", u.Status)
	}
	if u, err := w.e.Store().Users.ByUsernameKey(context.Background(), identity.UsernameKey("n@example.com")); err == nil {
		t.Errorf("a user was created: %+v", u)
	}
}

// An escaped half of a surrogate pair without its other half is no
// character; Go's decoder would keep U+FFFD in its place. The API refuses
// it with 422 naming the member, SCIM with 400 invalidValue, and nothing
// is stored. kin-openapi decodes it as Go does, so the description cannot
// tell; a whole pair is a character like any other.
func TestAPILoneSurrogates(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "All", "", identity.PermUsersManage))
	json := map[string]string{"Content-Type": "application/json"}
	const half = ` holds an escaped half of a UTF-16 surrogate pair (\uD800 to \uDFFF) without its other half, which is no character; send the character itself or both halves.`
	for _, tc := range []struct {
		name, field string
		c           call
	}{
		{"edit, high half", "display_name", call{method: http.MethodPatch, path: w.tessP, header: json, body: []byte(`{"display_name":"Tess\ud800"}`)}},
		{"edit, low half", "display_name", call{method: http.MethodPatch, path: w.tessP, header: json, body: []byte(`{"display_name":"Tess\uDC00"}`)}},
		{"edit, two highs", "display_name", call{method: http.MethodPatch, path: w.tessP, header: json, body: []byte(`{"display_name":"\ud83d\ud83d\ude00"}`)}},
		{"create", "email", call{method: http.MethodPost, path: "/api/v1/users", header: json,
			body: []byte(`{"display_name":"Nora New","email":"nora\udfff@example.com"}`)}},
		{"deactivate", "reason", call{method: http.MethodPost, path: w.tessP + "/deactivate", header: json, body: []byte(`{"reason":"left\ud800"}`)}},
	} {
		res := api.do(tc.c)
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422: %s", tc.name, res.Status, res.Body)
			continue
		}
		errs, _ := res.problem(t)["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["field"] != tc.field || errs[0].(map[string]any)["detail"] != tc.field+half {
			t.Errorf("%s: errors %v, want %s: %s", tc.name, errs, tc.field, tc.field+half)
		}
	}
	if u := w.e.User("tess"); u.Status != models.StatusActive || u.DisplayName != "User tess" {
		t.Errorf("tess after the refused bodies: %+v", u)
	}
	if u, err := w.e.Store().Users.ByUsernameKey(context.Background(), identity.UsernameKey("nora")); err == nil {
		t.Errorf("nora was created: %+v", u)
	}
	if res := api.do(call{method: http.MethodPatch, path: w.tessP, header: json, body: []byte(`{"display_name":"Tess \ud83d\ude00"}`)}); res.Status != http.StatusOK ||
		w.e.User("tess").DisplayName != "Tess 😀" {
		t.Errorf("a whole pair: %d %s", res.Status, res.Body)
	}

	c := w.scim(t, createToken(t, w.ada, "Entra", "", identity.PermUsersManage))
	const user = `"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"]`
	tessP := "/scim/v2/Users/" + apptest.Itoa(w.tess.ID)
	for _, tc := range []struct{ method, path, body, member string }{
		{http.MethodPut, tessP, `{` + user + `,"userName":"tess","displayName":"Tess\ud800"}`, "displayName"},
		{http.MethodPost, "/scim/v2/Users", `{` + user + `,"userName":"n@example.com","name":{"givenName":"\udc00N"}}`, "name.givenName"},
		{http.MethodPatch, tessP, `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","path":"displayName","value":"X\ud800"}]}`, "Operations[0].value"},
	} {
		res := c.do(tc.method, tc.path, tc.body)
		if res.Status != http.StatusBadRequest || res.scimType() != "invalidValue" || res.JSON["detail"] != tc.member+half {
			t.Errorf("%s %s: %d %q %v, want 400 invalidValue %q", tc.method, tc.body, res.Status, res.scimType(), res.JSON["detail"], tc.member+half)
		}
	}
	if u := w.e.User("tess"); u.DisplayName != "Tess 😀" {
		t.Errorf("tess after the refused SCIM bodies: %+v", u)
	}
	if u, err := w.e.Store().Users.ByUsernameKey(context.Background(), identity.UsernameKey("n@example.com")); err == nil {
		t.Errorf("a user was created through SCIM: %+v", u)
	}
}
