package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

// Every query parameter of the two lists, given a value it does not take,
// is 422 with one error naming the parameter and the form it takes.
func TestAPIListParameterMessages(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "Reader", "", identity.PermUsersRead, identity.PermAuditView))
	const (
		users    = "/api/v1/users?"
		audit    = "/api/v1/audit-events?"
		limit    = "limit must be 25, 50 or 100."
		cursor   = "This cursor belongs to another listing or was changed; start again without cursor."
		noCursor = "cursor is empty; send the next of the previous page, or leave cursor out to start the listing."
		control  = ": Remove tabs, line breaks and other control characters."
		bidi     = ": Remove the invisible characters that change the direction of text."
		auditDay = " must be a day (UTC) such as 2026-12-05, written YYYY-MM-DD, in the years 1970 to 9998."
	)
	long := strings.Repeat("a", 101)
	cases := []struct {
		query   string
		invalid bool // by the description too
		field   string
		detail  string
	}{
		{users + "search=" + strings.Repeat("a", 201), true, "search", "search must be at most 200 characters."},
		{users + "status=gone", true, "status", "status must be active, suspended or invited."},
		{users + "role=x", true, "role", "role must be a role's id, a whole number such as 12 (see GET /api/v1/roles)."},
		{users + "role=0", true, "role", "role must be a role's id, a whole number such as 12 (see GET /api/v1/roles)."},
		{users + "privileged=yes", true, "privileged", "privileged must be true or false."},
		{users + "mfa=maybe", true, "mfa", "mfa must be true or false."},
		// Only these spellings: the description's enum says so, where a
		// boolean would have let kin-openapi take 1, t and TRUE.
		{users + "mfa=1", true, "mfa", "mfa must be true or false."},
		{users + "mfa=t", true, "mfa", "mfa must be true or false."},
		{users + "privileged=TRUE", true, "privileged", "privileged must be true or false."},
		{users + "sort=id", true, "sort", "sort must be name, username or email."},
		{users + "limit=7", true, "limit", limit},
		{users + "limit=abc", true, "limit", limit},
		{users + "limit=025", true, "limit", limit},
		{users + "cursor=!!", true, "cursor", cursor},
		{users + "cursor=e30", false, "cursor", cursor},
		// An empty cursor is not the first page: a client sending back the
		// last page's null next as "" would read the list forever.
		{users + "cursor=", true, "cursor", noCursor},
		{users + "page=2", false, "page", "page is not a parameter of this list; it takes search, status, role, privileged, mfa, sort, limit, cursor."},
		{users + "status=active&status=suspended", false, "status", "status is given more than once; send it once."},
		{audit + "since=yesterday", true, "since", "since" + auditDay},
		{audit + "until=9999", true, "until", "until" + auditDay},
		{audit + "until=9999-12-31", true, "until", "until" + auditDay},
		{audit + "since=1969-12-31", true, "since", "since" + auditDay},
		{audit + "since=2026-1-5", true, "since", "since" + auditDay},
		{audit + "since=2026-12-01&until=2026-11-01", false, "until", "until must be the day of since or later."},
		// A since out of range is the one problem; until is not compared with it.
		{audit + "since=9999-01-01&until=2026-01-01", true, "since", "since" + auditDay},
		{audit + "action=" + long, true, "action", "action must be at most 100 characters."},
		{audit + "actor=" + long, true, "actor", "actor must be at most 100 characters."},
		{audit + "target=" + long, true, "target", "target must be at most 100 characters."},
		{audit + "limit=10", true, "limit", limit},
		{audit + "limit=50.0", true, "limit", limit},
		{audit + "cursor=", true, "cursor", noCursor},
		{audit + "cursor=abc", false, "cursor", cursor},
		{audit + "page=2", false, "page", "page is not a parameter of this list; it takes action, actor, target, since, until, limit, cursor."},
		{users + "search=a%00b", true, "search", "search" + control},
		{users + "search=a%E2%80%AEb", true, "search", "search" + bidi},
		{audit + "actor=a%01b", true, "actor", "actor" + control},
		{audit + "target=a%C2%85b", true, "target", "target" + control},
		{audit + "action=a%E2%80%A8b", true, "action", "action" + control},
		{audit + "actor=a%E2%81%A9b", true, "actor", "actor" + bidi},
		{audit + "actor=%FF", false, "actor", "actor: This contains characters that could not be read. Type it again instead of pasting it."},
		{audit + "actor=a&actor=b", false, "actor", "actor is given more than once; send it once."},
	}
	for _, tc := range cases {
		res := api.do(call{method: http.MethodGet, path: tc.query, invalid: tc.invalid})
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d, want 422: %s", tc.query, res.Status, res.Body)
			continue
		}
		errs, _ := res.problem(t)["errors"].([]any)
		if len(errs) != 1 {
			t.Errorf("%s: errors %v, want one", tc.query, errs)
			continue
		}
		if e := errs[0].(map[string]any); e["field"] != tc.field || e["detail"] != tc.detail {
			t.Errorf("%s: %v, want %s: %s", tc.query, e, tc.field, tc.detail)
		}
	}
	// Sent empty, a filter is as if left out, by the server and by the
	// description (allowEmptyValue).
	for _, q := range []string{users + "search=&status=&role=&privileged=&mfa=&sort=&limit=",
		audit + "action=&actor=&target=&since=&until=&limit="} {
		if res := api.get(q); res.Status != http.StatusOK {
			t.Errorf("%s: %d %s", q, res.Status, res.Body)
		}
	}
	// The search's bound is in characters, as the description says, not bytes.
	if res := api.get(users + "search=" + strings.Repeat("é", 150)); res.Status != http.StatusOK {
		t.Errorf("a search of 150 two-byte characters: %d %s", res.Status, res.Body)
	}
}
