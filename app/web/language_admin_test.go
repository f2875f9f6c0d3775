package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
	"accountportal/views/i18n"
)

func init() {
	// Words these languages write as English does: the API's and the CRM's
	// initials, November's abbreviation (the test clock's month), and words
	// of their own.
	for _, lang := range []string{"es", "fr", "de"} {
		addCognates(lang, "api", "crm", "nist", "nov")
	}
	addCognates("es", "token", "tokens")
	addCognates("fr", "actions", "action", "description", "sessions", "page", "services", "console", "questions",
		"question", "code", "composition", "expire", "secret")
	addCognates("de", "token", "tokens", "support", "passphrase", "optional", "app", "details",
		"authenticator", "code", "integration")
}

// adminData are the words of the test's own data (people's and the
// company's names, a role's), shown alike in every language.
var adminData = []string{"zylo", "kft", "tess", "quorra", "olga", "brzyk", "crew", "quill"}

// adminWords are a page's visible words (visibleWords) less the test's
// data and the zone names of a time zone list (IANA's, the same in every
// language).
func adminWords(res *apptest.Response) map[string]bool {
	words := visibleWords(res)
	for _, w := range adminData {
		delete(words, w)
	}
	for _, z := range i18n.Zones {
		for _, w := range strings.FieldsFunc(strings.ToLower(z), func(r rune) bool { return r == '/' || r == '_' || r == '-' }) {
			if res.Doc.Find("select option").FilterFunction(func(_ int, s *goquery.Selection) bool {
				return strings.EqualFold(s.AttrOr("value", ""), z)
			}).Length() > 0 {
				delete(words, w)
			}
		}
	}
	return words
}

// No English is left on the admin console's privileges, transfer, roles,
// security and API tokens pages for a Primary Admin who chose Spanish,
// French or German: every page, its refusals and the flash after each
// action; the transfer offer as its target sees it.
func TestAdminPagesLeaveNoEnglish(t *testing.T) {
	pages := func(lang string) []map[string]bool {
		e := apptest.Start(t, models.SQLite, apptest.Options{})
		a := apptest.DefaultAdmin()
		a.Company, a.DisplayName = "Zylo Kft", "Ada Zylo"
		ada := e.Setup(a)
		ctx, now := context.Background(), e.Clock.Now()
		me := e.User("ada")
		store := e.Store()
		tess := e.AddUser(me.AccountID, "tess", personaPassword, models.StatusActive)
		olga := e.AddUser(me.AccountID, "olga", personaPassword, models.StatusActive)
		for u, name := range map[int64]string{tess.ID: "Tess Quorra", olga.ID: "Olga Brzyk"} {
			if err := store.Users.SetDisplayName(ctx, u, name, now); err != nil {
				t.Fatal(err)
			}
		}
		for _, u := range []int64{me.ID, tess.ID, olga.ID} {
			if err := store.Users.SetLanguage(ctx, u, lang, "", now); err != nil {
				t.Fatal(err)
			}
		}
		e.GiveRole(olga.ID, "billing_admin")
		e.Grant(olga.ID, identity.PermRolesManage)
		ada.Get("/") // takes the first-run setup's message (its page is English)
		var out []map[string]bool
		page := func(res *apptest.Response, status int) *apptest.Response {
			t.Helper()
			if res.Status != status {
				t.Fatalf("%s: status %d, want %d\n%s", lang, res.Status, status, res.Body)
			}
			if got := res.Doc.Find("html").AttrOr("lang", ""); got != lang {
				t.Errorf("%s: <html lang=%q>", lang, got)
			}
			out = append(out, adminWords(res))
			return res
		}
		// follow shows the page a successful form leads to, with its flash.
		follow := func(c *apptest.Client, res *apptest.Response) *apptest.Response {
			t.Helper()
			if res.Status != http.StatusSeeOther {
				t.Fatalf("%s: status %d, want 303\n%s", lang, res.Status, res.Body)
			}
			next := page(c.Get(res.Location), http.StatusOK)
			if next.Doc.Find("[data-testid=flash]").Length() == 0 {
				t.Errorf("%s: no flash on %s", lang, res.Location)
			}
			return next
		}
		tessID := apptest.Itoa(tess.ID)

		// Privileges: the matrix, a row saved (changed, then unchanged),
		// the add form refused, removing everything, the transfer.
		privs := page(ada.Get("/admin/privileges"), http.StatusOK)
		row := map[string]string{"user_id": tessID, "area": identity.PermBillingInfo}
		follow(ada, post(ada, "/admin/privileges/areas", url.Values{"user_id": {tessID}, "area": {identity.PermBillingInfo}}))
		follow(ada, post(ada, "/admin/privileges/areas", url.Values{"user_id": {row["user_id"]}, "area": {row["area"]}}))
		for _, name := range []string{"", "quill"} {
			page(ada.Submit(privs, "form[data-testid=add-admin-form]", map[string]string{"admin_username": name}), http.StatusUnprocessableEntity)
		}
		page(ada.Get("/admin/privileges/remove?user_id="+tessID), http.StatusOK)
		follow(ada, post(ada, "/admin/privileges/remove", url.Values{"user_id": {tessID}}))
		for _, f := range []map[string]string{{"transfer_username": "", "transfer_password": ""},
			{"transfer_username": "tess", "transfer_password": "wrong password"}} {
			page(ada.Submit(ada.Get("/admin/privileges"), "form[data-testid=transfer-form]", f), http.StatusUnprocessableEntity)
		}
		transfer := map[string]string{"transfer_username": "tess", "transfer_password": a.Password}
		pending := follow(ada, ada.Submit(ada.Get("/admin/privileges"), "form[data-testid=transfer-form]", transfer))
		follow(ada, ada.Submit(pending, "form[action='/admin/privileges/transfer/cancel']", nil))
		follow(ada, ada.Submit(ada.Get("/admin/privileges"), "form[data-testid=transfer-form]", transfer))

		// Roles: the list, a built-in role, one created and edited (each
		// refused first), given, taken, deleted.
		roles := page(ada.Get("/admin/roles"), http.StatusOK)
		builtin, _ := roles.Doc.Find("[data-testid=role-row] a").First().Attr("href")
		page(ada.Get(builtin), http.StatusOK)
		form := page(ada.Get("/admin/roles/new"), http.StatusOK)
		page(ada.Submit(form, "form[data-testid=role-form]", map[string]string{"name": ""}), http.StatusUnprocessableEntity)
		created := ada.Submit(form, "form[data-testid=role-form]", map[string]string{"name": "Zylo Crew", "permission": identity.PermAuditView})
		role := created.Location
		follow(ada, created)
		edit := page(ada.Get(role+"/edit"), http.StatusOK)
		page(ada.Submit(edit, "form[data-testid=role-form]", map[string]string{"name": "", "permission": ""}), http.StatusUnprocessableEntity)
		follow(ada, ada.Submit(edit, "form[data-testid=role-form]", map[string]string{"description": "Zylo Crew Quill"}))
		page(ada.Submit(ada.Get(role), "form[data-testid=assign-form]", map[string]string{"member_username": "quill"}), http.StatusUnprocessableEntity)
		follow(ada, ada.Submit(ada.Get(role), "form[data-testid=assign-form]", map[string]string{"member_username": "tess"}))
		// Refused while tess holds the role: deleting it; and, for olga
		// (who lacks its privilege, as tess holds it), changing it.
		held := page(ada.Get(role), http.StatusOK)
		if held.Doc.Find("[data-testid=delete-role]").Length() != 0 || held.Doc.Find("[data-testid=why-not-delete]").Length() != 1 {
			t.Errorf("%s: a held role offers Delete, or does not say why not", lang)
		}
		page(ada.Get(role+"/delete"), http.StatusConflict)
		page(post(ada, role+"/delete", url.Values{}), http.StatusConflict)
		olgaC := e.Client()
		olgaC.SignIn("olga", personaPassword)
		if why := page(olgaC.Get(role), http.StatusOK).Doc.Find("[data-testid=why-not-edit]"); !strings.Contains(why.Text(), "Tess Quorra") {
			t.Errorf("%s: the role page does not say why olga may not edit it: %q", lang, why.Text())
		}
		refusal := page(olgaC.Get(role+"/edit"), http.StatusForbidden)
		if got := refusal.Doc.Find("main").Text(); !strings.Contains(got, "Tess Quorra") {
			t.Errorf("%s: olga's refusal does not name tess: %s", lang, got)
		}
		follow(ada, post(ada, role+"/members", url.Values{"user_id": {tessID}, "action": {"remove"}}))
		follow(ada, post(ada, role+"/members", url.Values{"user_id": {tessID}, "action": {"remove"}}))
		page(ada.Get(role+"/delete"), http.StatusOK)
		follow(ada, post(ada, role+"/delete", url.Values{}))

		// A Secondary Admin who may view and create roles: the privileges
		// page read-only, a role she may not give for want of privileges.
		viewer := e.Client()
		viewer.SignIn("olga", personaPassword)
		page(viewer.Get("/admin/privileges"), http.StatusOK)
		if why := page(viewer.Get(builtin), http.StatusOK).Doc.Find("[data-testid=assign-why-not]"); why.Length() == 0 {
			t.Errorf("%s: no reason why olga may not give the role", lang)
		}

		// Refusals shown on the error page: no transfer to answer, no
		// such role, a built-in role's edit form.
		page(ada.Get("/admin/transfer"), http.StatusNotFound)
		page(ada.Get("/admin/roles/999999"), http.StatusNotFound)
		page(ada.Get(builtin+"/edit"), http.StatusForbidden)

		// Security: the form, refused, saved (turning app passwords off).
		sec := page(ada.Get("/admin/security"), http.StatusOK)
		page(ada.Submit(sec, "form[data-testid=security-form]", map[string]string{"idle_minutes": "2", "absolute_minutes": "ten"}), http.StatusUnprocessableEntity)
		page(ada.Submit(sec, "form[data-testid=security-form]", map[string]string{"idle_minutes": "60", "absolute_minutes": "30"}), http.StatusUnprocessableEntity)
		page(ada.Submit(sec, "form[data-testid=security-form]", map[string]string{"mfa_policy": "", "password_preset": ""}), http.StatusUnprocessableEntity)
		follow(ada, ada.Submit(sec, "form[data-testid=security-form]", map[string]string{"app_passwords": "off"}))

		// API tokens: none yet, the form refused, one created, revoked.
		tokens := page(ada.Get("/admin/api-tokens"), http.StatusOK)
		page(ada.Submit(tokens, "form[data-testid=token-form]", map[string]string{"name": "", "expires_in_days": "0"}), http.StatusUnprocessableEntity)
		made := page(ada.Submit(tokens, "form[data-testid=token-form]", map[string]string{"name": "Zylo Quill",
			"permission": identity.PermUsersManage, "expires_in_days": "30"}), http.StatusCreated)
		page(ada.Submit(made, "form[data-testid=token-form]", map[string]string{"name": "Zylo Quill", "permission": identity.PermUsersRead}), http.StatusUnprocessableEntity)
		revoke, _ := made.Doc.Find("[data-testid=token-row] form").Last().Attr("action")
		follow(ada, post(ada, revoke, url.Values{}))

		// The transfer as its target sees it: refused, then accepted.
		target := e.Client()
		target.SignIn("tess", personaPassword)
		offer := page(target.Get("/admin/transfer"), http.StatusOK)
		page(target.Submit(offer, "form[data-testid=transfer-accept-form]", map[string]string{"password": "", "passphrase": "tess"}), http.StatusUnprocessableEntity)
		page(target.Submit(offer, "form[data-testid=transfer-accept-form]", map[string]string{"password": "wrong", "passphrase": ""}), http.StatusUnprocessableEntity)
		// Declined: the flash on the home page (its own words are another
		// part's), then asked again and accepted.
		declined := target.Submit(offer, "form:has([data-testid=transfer-decline])", nil)
		if declined.Status != http.StatusSeeOther {
			t.Fatalf("%s: decline: status %d", lang, declined.Status)
		}
		flash := wordsOf(target.Get(declined.Location).Doc.Find("[data-testid=flash]").Text())
		if len(flash) == 0 {
			t.Errorf("%s: no flash after declining", lang)
		}
		out = append(out, flash)
		follow(ada, ada.Submit(ada.Get("/admin/privileges"), "form[data-testid=transfer-form]", transfer))
		offer = page(target.Get("/admin/transfer"), http.StatusOK)
		follow(target, target.Submit(offer, "form[data-testid=transfer-accept-form]", map[string]string{"password": personaPassword,
			"passphrase": "copper lantern harbour"}))
		return out
	}
	assertNoEnglishLeft(t, pages)
}
