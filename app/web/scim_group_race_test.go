package web_test

import (
	"fmt"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

// raceCall is one request of a burst and the answer it got.
type raceCall struct {
	what, token, method, path, body string
	status                          int
	answer                          string
}

// sendAtOnce sends every call from a goroutine of its own, all released
// together, and fills in their answers.
func sendAtOnce(t *testing.T, base string, calls []*raceCall) {
	t.Helper()
	start := make(chan struct{})
	var wg sync.WaitGroup
	for _, c := range calls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			<-start
			req, err := http.NewRequest(c.method, base+c.path, strings.NewReader(c.body))
			if err != nil {
				c.answer = err.Error()
				return
			}
			req.Header.Set("Authorization", "Bearer "+c.token)
			req.Header.Set("Content-Type", "application/json")
			if strings.HasPrefix(c.path, "/scim/") {
				req.Header.Set("Content-Type", "application/scim+json")
			}
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				c.answer = err.Error()
				return
			}
			defer res.Body.Close()
			b, _ := io.ReadAll(res.Body)
			c.status, c.answer = res.StatusCode, string(b)
		}()
	}
	close(start)
	wg.Wait()
}

// Thirty replaces of one group's members at once, each naming other
// users, alongside SCIM PATCHes of those users and the API deactivating
// some of them: on PostgreSQL a replace once re-read the members after
// locking them and locked a member another replace had just added out of
// order, and the deadlock answered 500. Every request now succeeds, and
// the group ends with exactly the members of one of the replaces.
func TestSCIMGroupReplacesAtOnce(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAPIWorld(t, d, apptest.Options{})
		users := []int64{w.tess.ID, w.cora.ID}
		for i := range 4 {
			users = append(users, w.e.AddUser(w.acct, fmt.Sprintf("racer%d", i), apiPassword, models.StatusActive).ID)
		}
		role := w.e.AddRole(w.acct, "Helpdesk", identity.PermUsersManage)
		token := createToken(t, w.ada, "Racer", "", identity.PermUsersManage, identity.PermRolesManage)

		var calls []*raceCall
		var sets [][]int64
		for i := range 30 {
			var set []int64
			var values []string
			for k, id := range users {
				if (i+1)&(1<<k) != 0 {
					set = append(set, id)
					values = append(values, fmt.Sprintf(`{"value":"%d"}`, id))
				}
			}
			sets = append(sets, set)
			calls = append(calls, &raceCall{what: "replace", token: token, method: http.MethodPatch,
				path: "/scim/v2/Groups/" + apptest.Itoa(role),
				body: `{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],` +
					`"Operations":[{"op":"replace","path":"members","value":[` + strings.Join(values, ",") + `]}]}`})
		}
		for i, id := range users {
			calls = append(calls, &raceCall{what: "user PATCH", token: token, method: http.MethodPatch,
				path: "/scim/v2/Users/" + apptest.Itoa(id),
				body: fmt.Sprintf(`{"schemas":["urn:ietf:params:scim:api:messages:2.0:PatchOp"],`+
					`"Operations":[{"op":"replace","value":{"displayName":"Racer %d"}}]}`, i)})
		}
		for _, id := range users[2:] {
			calls = append(calls, &raceCall{what: "deactivate", token: token, method: http.MethodPost,
				path: "/api/v1/users/" + apptest.Itoa(id) + "/deactivate", body: `{"reason":"race"}`})
		}
		sendAtOnce(t, w.e.URL, calls)

		for _, c := range calls {
			if c.status != http.StatusOK {
				t.Errorf("%s %s: %d %s", c.what, c.path, c.status, c.answer)
			}
		}
		got := w.roleMembers(t, role)
		if !slices.ContainsFunc(sets, func(set []int64) bool { return slices.Equal(ids(set...), got) }) {
			t.Errorf("members %v are none of the replaces' sets", got)
		}
		if shown := groupMembers(t, w.scim(t, token), role); !slices.Equal(shown, idStrings(got)) {
			t.Errorf("GET shows %v, the store %v", shown, got)
		}
	})
}
