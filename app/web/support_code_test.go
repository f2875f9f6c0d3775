package web_test

import (
	"net/http"
	"strings"
	"testing"
	"time"

	"accountportal/app/identity"
	"accountportal/models"
)

func TestSupportCode(t *testing.T) {
	k := newDesk(t, models.SQLite)
	bill := k.e.Client()
	bill.SignIn("bill", deskPassword)
	code := func() string {
		res := bill.Submit(bill.Get("/profile/support-code"), "form[data-testid=support-code-form]", nil)
		if res.Status != http.StatusOK {
			t.Fatalf("make a code: %d %q", res.Status, res.Location)
		}
		return strings.TrimSpace(res.Doc.Find("[data-testid=support-code]").Text())
	}
	first := code()
	if len(first) != 6 {
		t.Fatalf("code %q", first)
	}
	if res := k.verify("bill", identity.PermBillingChanges, "", first); outcomeOf(res) != "verified" {
		t.Fatalf("with the code: %q", outcomeOf(res))
	}
	if res := k.verify("bill", identity.PermBillingChanges, "", first); outcomeOf(res) != "mismatch" {
		t.Fatalf("the code again: %q", outcomeOf(res))
	}
	if res := k.verify("ada", identity.PermBillingChanges, "", code()); outcomeOf(res) != "mismatch" {
		t.Fatalf("bill's code for ada: %q", outcomeOf(res))
	}
	older, newer := code(), code()
	if res := k.verify("bill", identity.PermBillingChanges, "", older); outcomeOf(res) != "mismatch" && older != newer {
		t.Fatalf("a code after a newer one: %q", outcomeOf(res))
	}
	late := code()
	k.e.Clock.Advance(15*time.Minute + time.Second)
	if res := k.verify("bill", identity.PermBillingChanges, "", late); outcomeOf(res) != "mismatch" {
		t.Fatalf("an expired code: %q", outcomeOf(res))
	}
	// The password was typed more than five minutes ago now.
	res := bill.Submit(bill.Get("/profile/support-code"), "form[data-testid=support-code-form]", nil)
	if res.Status != http.StatusSeeOther || !strings.HasPrefix(res.Location, "/confirm?next=") {
		t.Fatalf("code without a recent password: %d %q", res.Status, res.Location)
	}
	pat := k.e.Client()
	pat.SignIn("pat", deskPassword)
	if res := pat.Get("/profile/support-code"); res.Status != http.StatusForbidden {
		t.Fatalf("plain user: %d", res.Status)
	}
	if pat.Get("/profile").Doc.Find("[data-testid=support-code-link]").Length() != 0 {
		t.Fatal("plain user offered a support code")
	}
}
