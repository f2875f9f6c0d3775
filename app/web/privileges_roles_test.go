package web_test

import (
	"net/http"
	"strings"
	"testing"

	"accountportal/models"
)

// An area an admin holds through a role shows as held, naming the role,
// and is not offered as an empty checkbox; direct grants keep theirs.
func TestPrivilegesShowAreasHeldThroughRoles(t *testing.T) {
	w := newWorld(t, models.SQLite)
	for _, persona := range []string{primary, itAdmin} {
		page := w.client(t, persona).Get("/admin/privileges")
		if page.Status != http.StatusOK {
			t.Fatalf("%s: %d", persona, page.Status)
		}
		bill := page.Doc.Find("[data-testid=admin-bill] [data-testid='area-billing.inquiries']")
		if got := strings.Join(strings.Fields(bill.Text()), " "); got != "Yes (through the Billing Admin role)" ||
			bill.Find("input").Length() != 0 {
			t.Fatalf("%s sees Bill's billing inquiries as %q (%d inputs)", persona, got, bill.Find("input").Length())
		}
		cora := page.Doc.Find("[data-testid=admin-cora] td[data-testid^=area-]")
		if cora.Length() != 5 || cora.Find("[data-testid=area-through]").Length() != 5 || strings.Contains(cora.Text(), "No") {
			t.Fatalf("%s sees Carla's areas as %q", persona, cora.Text())
		}
	}
	// Olga's area is a direct grant: the Primary Admin edits it.
	olga := w.client(t, primary).Get("/admin/privileges").Doc.Find("[data-testid=admin-olga] [data-testid='area-billing.inquiries']")
	if olga.Find("input[type=checkbox][checked]").Length() != 1 || olga.Find("[data-testid=area-through]").Length() != 0 {
		t.Fatalf("Olga's direct grant: %q", olga.Text())
	}
}
