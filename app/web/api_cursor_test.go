package web_test

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"strconv"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

const foreignCursor = "This cursor belongs to another listing or was changed; start again without cursor."

// wantForeignCursor checks res refuses its cursor as not this listing's.
func wantForeignCursor(t *testing.T, name string, res *apiRes) {
	t.Helper()
	if res.Status != http.StatusUnprocessableEntity {
		t.Errorf("%s: %d, want 422: %s", name, res.Status, res.Body)
		return
	}
	errs, _ := res.problem(t)["errors"].([]any)
	if len(errs) != 1 {
		t.Errorf("%s: errors %v", name, errs)
		return
	}
	e := errs[0].(map[string]any)
	if e["field"] != "cursor" || e["detail"] != foreignCursor {
		t.Errorf("%s: error %v", name, e)
	}
}

// nextOf reads a list's next cursor, failing when there is none.
func nextOf(t *testing.T, res *apiRes) string {
	t.Helper()
	var list struct{ Next *string }
	res.decode(t, &list)
	if res.Status != http.StatusOK || list.Next == nil {
		t.Fatalf("no next page: %d %s", res.Status, res.Body)
	}
	return *list.Next
}

// A users cursor belongs to its listing: the same sort and filters with
// the same account's token take it (whatever the page size); another sort
// or filter, another account's token, an edited or hand-made cursor are
// refused rather than starting wherever they point.
func TestAPIUsersCursorBelongsToItsListing(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	for i := range 30 {
		w.e.AddUser(w.acct, fmt.Sprintf("user%02d", i), apiPassword, models.StatusActive)
	}
	api := w.api.with(createToken(t, w.ada, "Reader", "", identity.PermUsersRead))
	next := nextOf(t, api.get("/api/v1/users?sort=username&status=active"))
	if len(next) > 200 {
		t.Errorf("cursor of %d characters: %s", len(next), next)
	}
	if res := api.get("/api/v1/users?sort=username&status=active&limit=50&cursor=" + next); res.Status != http.StatusOK {
		t.Fatalf("the same listing: %d %s", res.Status, res.Body)
	}
	wantForeignCursor(t, "another sort", api.get("/api/v1/users?sort=email&status=active&cursor="+next))
	wantForeignCursor(t, "the default sort", api.get("/api/v1/users?status=active&cursor="+next))
	wantForeignCursor(t, "without the filter", api.get("/api/v1/users?sort=username&cursor="+next))
	wantForeignCursor(t, "another filter", api.get("/api/v1/users?sort=username&status=active&mfa=false&cursor="+next))
	wantForeignCursor(t, "a search", api.get("/api/v1/users?sort=username&status=active&search=user&cursor="+next))

	raw, _ := base64.RawURLEncoding.DecodeString(next)
	raw[len(raw)-1] ^= 1
	edited := base64.RawURLEncoding.EncodeToString(raw)
	wantForeignCursor(t, "edited", api.get("/api/v1/users?sort=username&status=active&cursor="+edited))
	// The service's own cursor, as the API gave it before cursors were
	// sealed: the key and id of a row to start after.
	forged := base64.RawURLEncoding.EncodeToString([]byte(`{"Key":"user20","ID":1}`))
	wantForeignCursor(t, "forged", api.get("/api/v1/users?sort=username&status=active&cursor="+forged))

	oscar := w.signInAs(t, "oscar")
	other := w.api.with(createToken(t, oscar, "Oscar's reader", "", identity.PermUsersRead))
	wantForeignCursor(t, "another account", other.get("/api/v1/users?sort=username&status=active&cursor="+next))
}

// An audit cursor belongs to its listing in the same way; the event id
// the API used to give as its cursor is refused.
func TestAPIAuditCursorBelongsToItsListing(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	for i := range 26 {
		createToken(t, w.ada, fmt.Sprintf("Batch %02d", i), "")
	}
	auditor := w.api.with(createToken(t, w.ada, "SIEM", "", identity.PermAuditView))
	const listing = "/api/v1/audit-events?action=api_token.created&since=2000-01-01"
	next := nextOf(t, auditor.get(listing+"&limit=25"))
	var older struct{ Data []struct{ ID int64 } }
	res := auditor.get(listing + "&cursor=" + next)
	res.decode(t, &older)
	if res.Status != http.StatusOK || len(older.Data) != 2 {
		t.Fatalf("the same listing: %d %s", res.Status, res.Body)
	}
	wantForeignCursor(t, "another filter", auditor.get("/api/v1/audit-events?action=api_token.created&cursor="+next))
	wantForeignCursor(t, "another day", auditor.get("/api/v1/audit-events?action=api_token.created&since=2000-01-02&cursor="+next))
	wantForeignCursor(t, "an event id", auditor.get(listing+"&cursor="+strconv.FormatInt(older.Data[0].ID, 10)))

	oscar := w.signInAs(t, "oscar")
	other := w.api.with(createToken(t, oscar, "Oscar's SIEM", "", identity.PermAuditView))
	wantForeignCursor(t, "another account", other.get(listing+"&cursor="+next))
}
