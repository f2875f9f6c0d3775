package web_test

import (
	"context"
	"net/http"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

// One attribute under two spellings, the plain name and the URN-qualified
// one or a parent and its dotted sub-attribute, was accepted and which
// value won followed Go's map order: now 400 invalidSyntax naming both
// spellings, and the user or group is unchanged.
func TestSCIMAttributeGivenUnderTwoSpellings(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	c := w.scim(t, createToken(t, w.ada, "Okta", "", identity.PermUsersManage, identity.PermRolesManage))
	user := "/scim/v2/Users/" + apptest.Itoa(w.tess.ID)
	group := "/scim/v2/Groups/" + apptest.Itoa(w.managersRole)
	const urn = "urn:ietf:params:scim:schemas:core:2.0:User:"
	const put = `{"schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],`
	const patch = `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],"Operations":[{"op":"replace","value":`
	for _, tc := range []struct {
		what, method, path, body, detail string
	}{
		{"PUT userName", http.MethodPut, user, put + `"userName":"tess.one","` + urn + `userName":"tess.two"}`,
			"The attribute userName is given twice (as userName and as " + urn + "userName); send it once."},
		{"PUT displayName", http.MethodPut, user, put + `"userName":"tess","displayName":"One","` + urn + `displayName":"Two"}`,
			"The attribute displayName is given twice (as displayName and as " + urn + "displayName); send it once."},
		{"PUT emails and emails.value", http.MethodPut, user, put + `"userName":"tess","emails":[{"value":"one@example.com"}],"emails.value":"two@example.com"}`,
			"The attribute emails is given twice (as emails and as emails.value); send it once."},
		{"PUT name and name.givenName", http.MethodPut, user, put + `"userName":"tess","name":{"givenName":"One"},"` + urn + `name.givenName":"Two"}`,
			"The attribute name is given twice (as name and as " + urn + "name.givenName); send it once."},
		{"PATCH value displayName", http.MethodPatch, user, patch + `{"displayName":"One","` + urn + `displayName":"Two"}}]}`,
			"The attribute displayName is given twice (as displayName and as " + urn + "displayName); send it once."},
		{"PATCH value emails and emails.value", http.MethodPatch, user, patch + `{"emails":[{"value":"one@example.com"}],"emails.value":"two@example.com"}}]}`,
			"The attribute emails is given twice (as emails and as emails.value); send it once."},
		{"Group value members", http.MethodPatch, group, patch + `{"members":[{"value":"` + apptest.Itoa(w.tess.ID) +
			`"}],"urn:ietf:params:scim:schemas:core:2.0:Group:members":[]}}]}`,
			"The attribute members is given twice (as members and as urn:ietf:params:scim:schemas:core:2.0:Group:members); send it once."},
	} {
		res := c.do(tc.method, tc.path, tc.body)
		if res.Status != http.StatusBadRequest || res.scimType() != "invalidSyntax" || res.JSON["detail"] != tc.detail {
			t.Errorf("%s: %d %q %v, want 400 invalidSyntax %q", tc.what, res.Status, res.scimType(), res.JSON["detail"], tc.detail)
		}
	}
	u, err := w.e.Store().Users.InAccount(context.Background(), w.acct, w.tess.ID)
	if err != nil {
		t.Fatal(err)
	}
	if u.Username != w.tess.Username || u.DisplayName != w.tess.DisplayName || u.Email != w.tess.Email {
		t.Errorf("tess changed: %q %q %q", u.Username, u.DisplayName, u.Email)
	}
	if got := w.roleMembers(t, w.managersRole); len(got) != 1 || got[0] != w.cora.ID {
		t.Errorf("group members changed: %v", got)
	}
}

// RFC 7643 section 2.1: attribute names are case-insensitive, the
// sub-attributes of emails and a body's schemas included.
func TestSCIMAttributeNamesInAnyCase(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	c := w.scim(t, createToken(t, w.ada, "Okta", "", identity.PermUsersManage))
	user := "/scim/v2/Users/" + apptest.Itoa(w.tess.ID)
	res := c.do(http.MethodPut, user, `{"Schemas":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"tess",`+
		`"emails":[{"Value":"tess.home@example.com","Type":"home"},{"VALUE":"tess.new@example.com","TYPE":"home","PRIMARY":true}]}`)
	if res.Status != http.StatusOK {
		t.Fatalf("PUT with Schemas and emails' Value, Type, Primary: %d %s", res.Status, res.Body)
	}
	if got := w.e.User("tess").Email; got != "tess.new@example.com" {
		t.Errorf("email after PUT: %q, want the primary one", got)
	}
	res = c.do(http.MethodPatch, user, `{"SCHEMAS":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],`+
		`"Operations":[{"op":"replace","path":"emails","value":[{"vAlUe":"tess.work@example.com","tYpE":"work"}]}]}`)
	if res.Status != http.StatusOK {
		t.Fatalf("PATCH with SCHEMAS: %d %s", res.Status, res.Body)
	}
	if got := w.e.User("tess").Email; got != "tess.work@example.com" {
		t.Errorf("email after PATCH: %q", got)
	}
	res = c.do(http.MethodPost, "/scim/v2/Users", `{"SCHEMAS":["urn:ietf:params:scim:schemas:core:2.0:User"],"userName":"casey@example.com"}`)
	if res.Status != http.StatusCreated {
		t.Errorf("POST with SCHEMAS: %d %s", res.Status, res.Body)
	}
}
