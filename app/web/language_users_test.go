package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"unicode"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

func init() {
	// Words the languages write as English does; "nov" and "utc" in
	// dates, "csv" a format, "chrome" and "windows" a browser's and a
	// system's names.
	for _, lang := range []string{"es", "fr", "de"} {
		addCognates(lang, "utc", "nov", "csv", "chrome", "windows")
	}
	addCognates("fr", "options", "action", "actions", "sessions", "session", "pages", "page", "invitation", "non",
		"codes", "menu", "important")
	addCognates("es", "api", "tokens", "roles")
	addCognates("de", "status", "mfa", "name", "api", "tokens", "november", "filter", "optional", "links", "person", "app",
		"support", "passphrase")
}

// usersAdmin is the Primary Admin of the users console's language tests:
// named in no language, so only the portal's own words differ by language.
func usersAdmin() apptest.Admin {
	a := apptest.DefaultAdmin()
	a.DisplayName, a.Company = "Zoë Nuñez", "Nuñez"
	return a
}

// wordsAndLabels is visibleWords with the words the page gives in
// attributes: what a screen reader says (aria-label, title, alt), a
// field's placeholder, a narrow table's cell labels (data-label) and the
// words the users list's script writes (data-words-*, data-button).
func wordsAndLabels(res *apptest.Response) map[string]bool {
	out := visibleWords(res)
	res.Doc.Find("*").Each(func(_ int, s *goquery.Selection) {
		for _, n := range s.Nodes {
			for _, a := range n.Attr {
				keep := a.Key == "aria-label" || a.Key == "title" || a.Key == "alt" || a.Key == "placeholder" ||
					a.Key == "data-label" || a.Key == "data-button" ||
					strings.HasPrefix(a.Key, "data-words-") && a.Key != "data-words-lang"
				if !keep {
					continue
				}
				for _, w := range strings.FieldsFunc(strings.ToLower(a.Val), func(r rune) bool {
					return !unicode.IsLetter(r) && r != '’' && r != '\''
				}) {
					if len([]rune(w)) >= 3 && !productWords[w] {
						out[w] = true
					}
				}
			}
		}
	})
	return out
}

// No English is left in the users console for an administrator who reads
// Spanish, French or German: the list (filtered, empty, its bulk bar
// refused), creating a user (refused, then done), a user's page with its
// sessions and links, each confirmation page, every action's refusal and
// success message, and a bulk action previewed, refused, run and listed.
func TestUsersConsoleLeavesNoEnglish(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := usersAdmin()
	ada := e.Setup(a)
	acct := e.User(a.Username).AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	ctx := context.Background()
	// named adds a user named in no language; usernames of short letter
	// runs ("u1es") leave no word to compare.
	named := func(username, status string) *models.User { return addNamed(t, e, acct, username, status) }
	words := wordsAndLabels
	pages := func(lang string) []map[string]bool {
		t.Helper()
		res := ada.Submit(ada.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": lang})
		if res.Status != http.StatusSeeOther {
			t.Fatalf("%s: language: %d", lang, res.Status)
		}
		ada.Get(res.Location) // My Profile says the choice is saved (B's part)
		id := func(u *models.User) string { return apptest.Itoa(u.ID) }
		// Users for this language's actions: one signed in on a device,
		// with a second factor and a security question; one to
		// deactivate; one to delete; one suspended.
		on := named("u1"+lang, models.StatusActive)
		device := e.Client()
		device.Header = http.Header{"User-Agent": {"Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/120.0 Safari/537.36"}}
		device.SignIn(on.Username, personaPassword)
		device.Enrol(e.Clock)
		if err := e.Store().Users.SetSecurityQuestion(ctx, on.ID, "Pet?", "$argon2id$x", e.Clock.Now()); err != nil {
			t.Fatal(err)
		}
		off := named("u2"+lang, models.StatusActive)
		gone := named("u3"+lang, models.StatusActive)
		named("u4"+lang, models.StatusSuspended)
		self := e.User(a.Username)
		var out []map[string]bool
		page := func(res *apptest.Response, want int) {
			t.Helper()
			if res.Status != want {
				t.Fatalf("%s: %s: %d, want %d", lang, res.Doc.Find("title").Text(), res.Status, want)
			}
			if got := res.Doc.Find("html").AttrOr("lang", ""); got != lang {
				t.Errorf("%s: %s: <html lang=%q>", lang, res.Doc.Find("title").Text(), got)
			}
			// The raw entry under each audit event is the stored record, as
			// machine-readable as the CSV downloads, and stays as written.
			res.Doc.Find("[data-testid=audit-raw]").Remove()
			out = append(out, words(res))
		}
		follow := func(res *apptest.Response) *apptest.Response {
			t.Helper()
			if res.Status != http.StatusSeeOther {
				t.Fatalf("%s: want a redirect, got %d: %s", lang, res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
			}
			return ada.Get(res.Location)
		}

		// The list, filtered to nobody, and its bulk bar refused.
		list := ada.Get("/admin/users")
		page(list, http.StatusOK)
		page(ada.Get("/admin/users?q=qq&status=suspended&mfa=no"), http.StatusOK)
		page(ada.Submit(list, "form[data-testid=bulk-form]", nil), http.StatusUnprocessableEntity)

		// Creating a user: refused, then done (the new user's page, with
		// the welcome link in its ledger, and the flash).
		create := ada.Get("/admin/users/new")
		page(create, http.StatusOK)
		page(ada.Submit(create, "form[data-testid=new-user-form]", map[string]string{"username": "!"}), http.StatusUnprocessableEntity)
		page(ada.Submit(create, "form[data-testid=new-user-form]", map[string]string{
			"display_name": "Zoë Nuñez", "email": on.Email}), http.StatusUnprocessableEntity)
		created := follow(ada.Submit(create, "form[data-testid=new-user-form]", map[string]string{
			"display_name": "Zoë Nuñez", "email": "u5" + lang + "@example.com"}))
		page(created, http.StatusOK)
		void := created.Doc.Find("a[data-testid=void-link]").AttrOr("href", "")
		page(ada.Get(void), http.StatusOK)
		page(follow(ada.Submit(ada.Get(void), "form[data-testid=void-link-form]", nil)), http.StatusOK)

		// A user's page, its details refused and saved.
		onPage := "/admin/users/" + id(on)
		user := ada.Get(onPage)
		page(user, http.StatusOK)
		page(ada.Submit(user, "form[data-testid=user-details-form]", map[string]string{"email": "not an address"}), http.StatusUnprocessableEntity)
		page(follow(ada.Submit(user, "form[data-testid=user-details-form]", nil)), http.StatusOK)
		// Its own page: what an admin may not do to themselves.
		page(ada.Get("/admin/users/"+id(self)), http.StatusOK)

		// Each confirmation, refused where it asks a reason, and done.
		page(ada.Get(onPage+"/question/clear"), http.StatusOK)
		page(follow(ada.Submit(ada.Get(onPage+"/question/clear"), "form[data-testid=clear-question-form]", nil)), http.StatusOK)
		page(ada.Get(onPage+"/mfa"), http.StatusOK)
		page(follow(ada.Submit(ada.Get(onPage+"/mfa"), "form[data-testid=mfa-reset-form]", nil)), http.StatusOK)
		page(follow(post(ada, onPage+"/reset", url.Values{})), http.StatusOK)
		page(ada.Get(onPage+"/sessions/signout"), http.StatusOK)
		page(follow(ada.Submit(ada.Get(onPage+"/sessions/signout"), "form[data-testid=signout-all-form]", nil)), http.StatusOK)
		offPage := "/admin/users/" + id(off)
		deactivate := ada.Get(offPage + "/deactivate")
		page(deactivate, http.StatusOK)
		page(ada.Submit(deactivate, "form[data-testid=deactivate-form]", nil), http.StatusUnprocessableEntity)
		suspended := follow(ada.Submit(deactivate, "form[data-testid=deactivate-form]", map[string]string{"reason": "qq"}))
		page(suspended, http.StatusOK)
		page(ada.Submit(suspended, "form[data-testid=status-form]", nil), http.StatusUnprocessableEntity)
		page(follow(ada.Submit(suspended, "form[data-testid=status-form]", map[string]string{"reason": "qq"})), http.StatusOK)
		gonePage := "/admin/users/" + id(gone)
		del := ada.Get(gonePage + "/delete")
		page(del, http.StatusOK)
		page(ada.Submit(del, "form[data-testid=delete-form]", map[string]string{"confirm": "qq"}), http.StatusUnprocessableEntity)
		page(follow(ada.Submit(del, "form[data-testid=delete-form]", map[string]string{"confirm": gone.Username})), http.StatusOK)

		// A bulk action: previewed (the admin skipped), refused without a
		// reason, run to its page, and the list of bulk actions; and one
		// with nobody to change.
		preview := post(ada, "/admin/users/bulk", url.Values{"action": {"signout"}, "scope": {"selected"},
			"id": {id(self), id(on), id(off)}})
		page(preview, http.StatusOK)
		page(ada.Submit(preview, "form[data-testid=bulk-run-form]", nil), http.StatusUnprocessableEntity)
		run := ada.Submit(preview, "form[data-testid=bulk-run-form]", map[string]string{"reason": "qq"})
		if run.Status != http.StatusSeeOther {
			t.Fatalf("%s: bulk run: %d", lang, run.Status)
		}
		page(ada.WaitForJob(run.Location), http.StatusOK)
		page(ada.Get(run.Location+"?outcome=skipped"), http.StatusOK)
		page(ada.Get("/admin/users/jobs"), http.StatusOK)
		page(post(ada, "/admin/users/bulk", url.Values{"action": {"reactivate"}, "scope": {"matching"},
			"f_status": {"active"}, "f_q": {"u1" + lang}}), http.StatusOK)
		return out
	}
	assertNoEnglishLeft(t, pages)
}

// A secondary administrator who may manage users meets the console's
// refusals in their language: the Primary Admin's page and a page of a
// user holding privileges beyond theirs (each saying why, the privileges
// named), an action refused there and one refused by the user's state, and
// a bulk preview skipping both.
func TestUsersConsoleRefusalsLeaveNoEnglish(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	a := usersAdmin()
	e.Setup(a)
	primary := e.User(a.Username)
	acct := primary.AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	// named adds a user named in no language; usernames of short letter
	// runs ("u1es") leave no word to compare.
	named := func(username, status string) *models.User { return addNamed(t, e, acct, username, status) }
	pages := func(lang string) []map[string]bool {
		t.Helper()
		sec := named("s1"+lang, models.StatusActive)
		e.Grant(sec.ID, identity.PermUsersManage)
		c := e.Client()
		if res := c.SignIn(sec.Username, personaPassword); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: sign-in: %d", lang, res.Status)
		}
		if res := c.Submit(c.Get("/profile/language"), "form[data-testid=language-form]", map[string]string{"language": lang}); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: language: %d", lang, res.Status)
		}
		c.Get("/profile")
		boss := named("b1"+lang, models.StatusActive)
		e.GiveRole(boss.ID, "company_admin")
		gone := named("g1"+lang, models.StatusSuspended)
		id := func(u *models.User) string { return "/admin/users/" + apptest.Itoa(u.ID) }
		var out []map[string]bool
		page := func(res *apptest.Response, want int) {
			t.Helper()
			if res.Status != want {
				t.Fatalf("%s: %s: %d, want %d", lang, res.Doc.Find("title").Text(), res.Status, want)
			}
			res.Doc.Find("[data-testid=audit-raw]").Remove()
			out = append(out, wordsAndLabels(res))
		}
		page(c.Get(id(primary)), http.StatusOK)
		page(c.Get(id(boss)), http.StatusOK)
		page(post(c, id(boss)+"/reset", url.Values{}), http.StatusForbidden)
		page(post(c, id(gone)+"/reset", url.Values{}), http.StatusConflict)
		page(post(c, "/admin/users/bulk", url.Values{"action": {"deactivate"}, "scope": {"selected"},
			"id": {apptest.Itoa(primary.ID), apptest.Itoa(boss.ID), apptest.Itoa(gone.ID), apptest.Itoa(sec.ID)}}), http.StatusOK)
		return out
	}
	assertNoEnglishLeft(t, pages)
}
