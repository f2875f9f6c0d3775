package web_test

import (
	"context"
	"net/http"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

// A body is read only when its Content-Type is application/json, in any
// case, with no parameter but charset=utf-8. Anything else is 422 naming
// Content-Type (as for every body that is not the operation's JSON
// object) and nothing is done: a prefix check once created a user from
// application/jsonfoo.
func TestAPIContentType(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "All", "", identity.PermUsersManage))
	const refused = "Send the body as application/json (with no parameter but charset=utf-8)."
	for i, tc := range []struct {
		ctype   string
		status  int
		invalid bool // by the description too
	}{
		{"application/jsonfoo", 422, true},
		{"application/json-patch+json", 422, true},
		{"text/json", 422, true},
		{"application/json; charset=utf-8", 201, false},
		{`Application/JSON; Charset="UTF-8"`, 201, false},
		{"application/json", 201, false},
		// kin-openapi matches the media type without its parameters, so
		// the description cannot refuse these; the server does.
		{"application/json; charset=iso-8859-1", 422, false},
		{"application/json; profile=x", 422, false},
		{"application/json; charset", 422, false},
	} {
		name := "ct" + apptest.Itoa(int64(i))
		res := api.do(call{method: http.MethodPost, path: "/api/v1/users", invalid: tc.invalid,
			header: map[string]string{"Content-Type": tc.ctype},
			body:   []byte(`{"display_name":"CT ` + name + `","email":"` + name + `@example.com","username":"` + name + `"}`)})
		if res.Status != tc.status {
			t.Errorf("%s: %d, want %d: %s", tc.ctype, res.Status, tc.status, res.Body)
			continue
		}
		_, err := w.e.Store().Users.ByUsernameKey(context.Background(), identity.UsernameKey(name))
		if created := err == nil; created != (tc.status == http.StatusCreated) {
			t.Errorf("%s: answered %d, but created: %v", tc.ctype, res.Status, created)
		}
		if tc.status != http.StatusUnprocessableEntity {
			continue
		}
		errs, _ := res.problem(t)["errors"].([]any)
		if len(errs) != 1 || errs[0].(map[string]any)["field"] != "Content-Type" || errs[0].(map[string]any)["detail"] != refused {
			t.Errorf("%s: errors %v, want Content-Type: %s", tc.ctype, errs, refused)
		}
	}
}
