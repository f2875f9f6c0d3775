package web_test

import (
	"net/http"
	"net/url"
	"testing"

	"accountportal/app/identity"
	"accountportal/models"
)

// The confirmations of privilege and role changes name the person changed.
func TestPrivilegeConfirmationsNameThePerson(t *testing.T) {
	w := newWorld(t, models.SQLite)
	pa := w.client(t, primary)
	tess := w.e.User("tess").DisplayName
	follow := func(status int, location string) string {
		t.Helper()
		if status != http.StatusSeeOther {
			t.Fatalf("status %d", status)
		}
		return pa.Get(location).Doc.Find("[data-testid=flash]").Text()
	}
	res := post(pa, "/admin/privileges/areas", url.Values{"user_id": {w.targetID}, "area": {identity.PermBillingInfo}})
	if got, want := follow(res.Status, res.Location), "Privilege areas of "+tess+" saved. We emailed "+tess+"."; got != want {
		t.Fatalf("areas flash %q, want %q", got, want)
	}
	res = post(pa, "/admin/privileges/areas", url.Values{"user_id": {w.targetID}, "area": {identity.PermBillingInfo}})
	if got, want := follow(res.Status, res.Location), "Privilege areas of "+tess+" unchanged."; got != want {
		t.Fatalf("unchanged areas flash %q, want %q", got, want)
	}
	res = post(pa, "/admin/roles/"+w.roleID+"/members", url.Values{"user_id": {w.targetID}, "action": {"add"}})
	if got, want := follow(res.Status, res.Location), "Role given to "+tess+". We emailed "+tess+"."; got != want {
		t.Fatalf("assign flash %q, want %q", got, want)
	}
	res = post(pa, "/admin/roles/"+w.roleID+"/members", url.Values{"user_id": {w.targetID}, "action": {"remove"}})
	if got, want := follow(res.Status, res.Location), "Role taken from "+tess+". We emailed "+tess+"."; got != want {
		t.Fatalf("unassign flash %q, want %q", got, want)
	}
	res = post(pa, "/admin/privileges/remove", url.Values{"user_id": {w.targetID}})
	if got, want := follow(res.Status, res.Location), "All privileges of "+tess+" removed."; got != want {
		t.Fatalf("remove flash %q, want %q", got, want)
	}
	res = post(pa, "/admin/privileges/transfer", url.Values{"transfer_username": {"tess"}, "transfer_password": {w.admin.Password}})
	if got, want := follow(res.Status, res.Location), "We asked "+tess+" to accept. You stay the Primary Admin until they do."; got != want {
		t.Fatalf("transfer flash %q, want %q", got, want)
	}
}
