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

// A user's whole life through the API, each step the console's own
// action: created (the welcome email goes out), renamed, moved to another
// address (the old one is told), deleted (the audit keeps it, naming the
// token); each bad request a clear 4xx; the same rules of who acts on whom.
func TestAPIUserLifecycle(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "HR feed", "", identity.PermUsersManage))

	res := api.post("/api/v1/users", `{"display_name":"Nora New","email":"nora@example.com"}`)
	var nora struct {
		ID                                   int64
		Username, Email, Status, DisplayName string
	}
	res.decode(t, &nora)
	if res.Status != http.StatusCreated || nora.Status != models.StatusInvited || nora.Username != "nora@example.com" ||
		res.Header.Get("Location") != "/api/v1/users/"+apptest.Itoa(nora.ID) {
		t.Fatalf("create: %d %s %q", res.Status, res.Body, res.Header.Get("Location"))
	}
	w.e.Drain()
	if mail := w.e.MailTo("nora@example.com"); len(mail) != 1 || !strings.Contains(mail[0].Subject, "account is ready") {
		t.Errorf("welcome email: %+v", mail)
	}
	noraP := "/api/v1/users/" + apptest.Itoa(nora.ID)

	// The console's checks, as problems naming the member.
	for _, c := range []struct{ name, body, field string }{
		{"the same address again", `{"display_name":"Nora Two","email":"nora@example.com","username":"nora2"}`, "same_email"},
		{"a taken username", `{"display_name":"Nora Two","email":"n2@example.com","username":"nora@example.com"}`, "user_username"},
		{"a bad address", `{"display_name":"Nora Two","email":"nobody"}`, "user_email"},
		{"a bidi override", `{"display_name":"Nora` + "\u202e" + `","email":"n3@example.com"}`, "display_name"},
	} {
		res := api.post("/api/v1/users", c.body)
		if res.Status != http.StatusUnprocessableEntity || !strings.Contains(string(res.Body), `"field":"`+c.field+`"`) {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}
	// A shared mailbox, when the caller says so.
	if res := api.post("/api/v1/users", `{"display_name":"Nora Two","email":"nora@example.com","username":"nora2","same_email_ok":true}`); res.Status != http.StatusCreated {
		t.Errorf("same address confirmed: %d %s", res.Status, res.Body)
	}

	// Renamed; then moved to another address, which voids her welcome
	// link and tells the old address.
	if res := api.do(call{method: http.MethodPatch, path: noraP, body: []byte(`{"display_name":"Nora Newer"}`),
		header: map[string]string{"Content-Type": "application/json"}}); res.Status != http.StatusOK || !strings.Contains(string(res.Body), `"display_name":"Nora Newer"`) ||
		!strings.Contains(string(res.Body), `"email":"nora@example.com"`) {
		t.Errorf("rename: %d %s", res.Status, res.Body)
	}
	if res := api.do(call{method: http.MethodPatch, path: noraP, body: []byte(`{"email":"nora@elsewhere.example"}`),
		header: map[string]string{"Content-Type": "application/json"}}); res.Status != http.StatusOK {
		t.Errorf("new address: %d %s", res.Status, res.Body)
	}
	w.e.Drain()
	told := 0
	for _, m := range w.e.MailTo("nora@example.com") {
		if m.Subject == "Your email address was changed" && strings.Contains(m.TextBody, "to nora@elsewhere.example") {
			told++
		}
	}
	if told != 1 {
		t.Errorf("the old address was told %d times", told)
	}
	for _, c := range []struct {
		name, body string
		invalid    bool
	}{{"nothing to change", `{}`, true}, {"an unknown member", `{"status":"active"}`, true}, {"NUL in the name", `{"display_name":"a\u0000b"}`, false}} {
		res := api.do(call{method: http.MethodPatch, path: noraP, body: []byte(c.body), header: map[string]string{"Content-Type": "application/json"}, invalid: c.invalid})
		if res.Status != http.StatusUnprocessableEntity {
			t.Errorf("%s: %d %s", c.name, res.Status, res.Body)
		}
	}

	// Who acts on whom, as in the console.
	reader := w.api.with(createToken(t, w.ada, "Reader", "", identity.PermUsersRead))
	if res := reader.post("/api/v1/users", `{"display_name":"X","email":"x@example.com"}`); res.Status != http.StatusForbidden {
		t.Errorf("a read-only token creates: %d", res.Status)
	}
	for _, c := range []struct {
		name, path string
		want       int
	}{{"the Primary Admin", w.adaP, http.StatusForbidden}, {"a higher admin", w.hankP, http.StatusForbidden},
		{"another account's user", w.oscarP, http.StatusNotFound}} {
		if res := api.do(call{method: http.MethodPatch, path: c.path, body: []byte(`{"display_name":"Taken Over"}`),
			header: map[string]string{"Content-Type": "application/json"}}); res.Status != c.want {
			t.Errorf("rename %s: %d, want %d", c.name, res.Status, c.want)
		}
		if res := api.do(call{method: http.MethodDelete, path: c.path}); res.Status != c.want {
			t.Errorf("delete %s: %d, want %d", c.name, res.Status, c.want)
		}
	}

	// Deleted: gone from the API, kept in the audit with the token's name.
	if res := api.do(call{method: http.MethodDelete, path: noraP}); res.Status != http.StatusNoContent {
		t.Fatalf("delete: %d %s", res.Status, res.Body)
	}
	if res := api.get(noraP); res.Status != http.StatusNotFound {
		t.Errorf("after deletion: %d", res.Status)
	}
	events, err := w.e.Store().Audit.ForAccount(context.Background(), w.acct, 50)
	if err != nil {
		t.Fatal(err)
	}
	var seen []string
	for _, ev := range events {
		if strings.HasPrefix(ev.TargetName, "Nora Newer") && strings.Contains(ev.Details, `"api_token":"HR feed"`) {
			seen = append(seen, ev.Action)
		}
	}
	if got := strings.Join(seen, ","); !strings.Contains(got, "user.deleted") || !strings.Contains(got, "user.updated") {
		t.Errorf("audit entries naming the token: %q", got)
	}
}

// A retried create with the same Idempotency-Key creates one user and
// answers both with the same 201.
func TestAPICreateUserIdempotent(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	api := w.api.with(createToken(t, w.ada, "HR feed", "", identity.PermUsersManage))
	body := `{"display_name":"Ivy Once","email":"ivy@example.com"}`
	first := api.post("/api/v1/users", body, "Idempotency-Key", "hire-ivy")
	again := api.post("/api/v1/users", body, "Idempotency-Key", "hire-ivy")
	if first.Status != http.StatusCreated || again.Status != http.StatusCreated || string(first.Body) != string(again.Body) ||
		again.Header.Get("Idempotent-Replayed") != "true" {
		t.Fatalf("first %d %s; again %d %s", first.Status, first.Body, again.Status, again.Body)
	}
	w.e.Drain()
	if mail := w.e.MailTo("ivy@example.com"); len(mail) != 1 {
		t.Errorf("%d welcome emails", len(mail))
	}
}
