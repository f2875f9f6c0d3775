package web_test

import (
	"context"
	"net/http"
	"strings"
	"sync"
	"testing"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/models/modelstest"
)

func scimPatch(ops ...map[string]any) map[string]any {
	return map[string]any{"schemas": []string{"urn:ietf:params:scim:api:messages:2.0:PatchOp"}, "Operations": ops}
}

// A PATCH stands or falls whole (RFC 7644 section 3.5.2): when one of its
// changes is refused, the others it carried are not made, nor audited.
func TestSCIMPatchIsAllOrNothing(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAPIWorld(t, d, apptest.Options{})
		c := w.scim(t, createToken(t, w.ada, "Entra", "", identity.PermUsersManage))
		cora := "/scim/v2/Users/" + apptest.Itoa(w.cora.ID)
		if res := c.do(http.MethodPatch, cora, scimPatch(map[string]any{"op": "replace", "path": "externalId", "value": "e-1"})); res.Status != http.StatusOK {
			t.Fatalf("give cora e-1: %d %s", res.Status, res.Body)
		}
		tess := "/scim/v2/Users/" + apptest.Itoa(w.tess.ID)
		res := c.do(http.MethodPatch, tess, scimPatch(
			map[string]any{"op": "replace", "path": "displayName", "value": "Tess Renamed"},
			map[string]any{"op": "replace", "path": "active", "value": false},
			map[string]any{"op": "replace", "path": "externalId", "value": "e-1"}))
		if res.Status != http.StatusConflict || res.scimType() != "uniqueness" {
			t.Fatalf("PATCH with a taken externalId: %d %s", res.Status, res.Body)
		}
		u := w.e.User("tess")
		if u.DisplayName == "Tess Renamed" || u.Status != models.StatusActive || u.ExternalID != nil {
			t.Errorf("a refused PATCH changed tess: %q %s %v", u.DisplayName, u.Status, u.ExternalID)
		}
		events, err := w.e.Store().Audit.ForTarget(context.Background(), w.acct, w.tess.ID, 20)
		if err != nil {
			t.Fatal(err)
		}
		for _, ev := range events {
			if strings.Contains(ev.Details, "Tess Renamed") || ev.Action == "user.suspended" {
				t.Errorf("a refused PATCH was audited: %s %s", ev.Action, ev.Details)
			}
		}
	})
}

// If-Match under parallel requests: of 20 PATCHes sent at once, each
// holding the same version, exactly one changes the user; the others are
// 412 and change nothing.
func TestSCIMIfMatchUnderParallelRequests(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAPIWorld(t, d, apptest.Options{})
		const n = 20
		// A token each, so the rate limit's row does not line them up.
		clients := make([]*scimClient, n)
		for i := range clients {
			clients[i] = w.scim(t, createToken(t, w.ada, "Okta "+apptest.Itoa(int64(i)), "", identity.PermUsersManage))
		}
		path := "/scim/v2/Users/" + apptest.Itoa(w.tess.ID)
		version := clients[0].do(http.MethodGet, path, nil).Header.Get("ETag")
		statuses := make(chan int, n)
		names := make(chan string, n)
		var start, done sync.WaitGroup
		start.Add(1)
		for i := range n {
			done.Add(1)
			go func() {
				defer done.Done()
				name := "Tess " + apptest.Itoa(int64(i))
				start.Wait()
				res := clients[i].do(http.MethodPatch, path, scimPatch(map[string]any{"op": "replace", "path": "displayName", "value": name}), "If-Match", version)
				statuses <- res.Status
				if res.Status == http.StatusOK {
					names <- name
				}
			}()
		}
		start.Done()
		done.Wait()
		close(statuses)
		close(names)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[http.StatusOK] != 1 || count[http.StatusPreconditionFailed] != n-1 {
			t.Fatalf("statuses %v, want one 200 and %d 412", count, n-1)
		}
		if winner := <-names; w.e.User("tess").DisplayName != winner {
			t.Errorf("tess is %q, the accepted PATCH said %q", w.e.User("tess").DisplayName, winner)
		}
		events, err := w.e.Store().Audit.ForTarget(context.Background(), w.acct, w.tess.ID, 50)
		if err != nil {
			t.Fatal(err)
		}
		renames := 0
		for _, ev := range events {
			if ev.Action == "user.updated" {
				renames++
			}
		}
		if renames != 1 {
			t.Errorf("%d renames audited, want 1", renames)
		}
	})
}

// A PUT that does not say active, or says null, keeps the user's status:
// replacing a departed user's details does not reopen their account.
func TestSCIMPutWithoutActiveKeepsTheStatus(t *testing.T) {
	w := newAPIWorld(t, models.SQLite, apptest.Options{})
	c := w.scim(t, createToken(t, w.ada, "Entra", "", identity.PermUsersManage))
	tess := "/scim/v2/Users/" + apptest.Itoa(w.tess.ID)
	if res := c.do(http.MethodPatch, tess, scimPatch(map[string]any{"op": "replace", "path": "active", "value": false})); res.Status != http.StatusOK {
		t.Fatalf("deactivate: %d %s", res.Status, res.Body)
	}
	for _, active := range []any{"absent", nil} {
		body := scimNewUser("tess", "")
		body["displayName"] = "Tess Tester"
		if active != "absent" {
			body["active"] = active
		}
		res := c.do(http.MethodPut, tess, body)
		if res.Status != http.StatusOK || res.JSON["active"] != false {
			t.Errorf("PUT with active %v: %d %s", active, res.Status, res.Body)
		}
		if u := w.e.User("tess"); u.Status != models.StatusSuspended {
			t.Errorf("PUT with active %v reopened tess: %s", active, u.Status)
		}
	}
	body := scimNewUser("tess", "")
	body["active"] = true
	if res := c.do(http.MethodPut, tess, body); res.Status != http.StatusOK || w.e.User("tess").Status != models.StatusActive {
		t.Errorf("PUT with active true: %d %s", res.Status, res.Body)
	}
}

// A group's If-Match under parallel requests: of 20 PATCHes sent at once,
// each holding the same version and adding another user, exactly one
// changes the members; the others are 412.
func TestSCIMGroupIfMatchUnderParallelRequests(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		w := newAPIWorld(t, d, apptest.Options{})
		const n = 20
		clients := make([]*scimClient, n)
		users := make([]*models.User, n)
		for i := range clients {
			clients[i] = w.scim(t, createToken(t, w.ada, "Entra "+apptest.Itoa(int64(i)), "", identity.PermUsersManage, identity.PermRolesManage))
			users[i] = w.e.AddUser(w.acct, "member"+apptest.Itoa(int64(i)), apiPassword, models.StatusActive)
		}
		path := "/scim/v2/Groups/" + apptest.Itoa(w.managersRole)
		version := clients[0].do(http.MethodGet, path, nil).Header.Get("ETag")
		statuses := make(chan int, n)
		var start, done sync.WaitGroup
		start.Add(1)
		for i := range n {
			done.Add(1)
			go func() {
				defer done.Done()
				start.Wait()
				res := clients[i].do(http.MethodPatch, path, scimPatch(map[string]any{"op": "add", "path": "members",
					"value": []map[string]any{{"value": apptest.Itoa(users[i].ID)}}}), "If-Match", version)
				statuses <- res.Status
			}()
		}
		start.Done()
		done.Wait()
		close(statuses)
		count := map[int]int{}
		for s := range statuses {
			count[s]++
		}
		if count[http.StatusOK] != 1 || count[http.StatusPreconditionFailed] != n-1 {
			t.Fatalf("statuses %v, want one 200 and %d 412", count, n-1)
		}
		res := clients[0].do(http.MethodGet, path, nil)
		members, _ := res.JSON["members"].([]any)
		if len(members) != 2 { // cora and the one accepted
			t.Errorf("%d members after the race: %s", len(members), res.Body)
		}
	})
}
