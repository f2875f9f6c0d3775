package web_test

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"testing"

	"accountportal/app/apptest"
	"accountportal/models"
)

// Every action of a user's page that locks the user out or removes a
// factor asks first, on a page naming them and what will happen, with a
// button naming the action; confirmed, it is done and the user's page says
// so at its top.
func TestUserPageConfirmsWhatLocksOut(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	e.SetMFAPolicy(acct, models.MFAOptional)
	bob := e.AddUser(acct, "bob", personaPassword, models.StatusActive)
	laptop := e.Client()
	laptop.SignIn("bob", personaPassword)
	laptop.Enrol(e.Clock)
	path := "/admin/users/" + apptest.Itoa(bob.ID)

	// Sign out everywhere.
	confirm, res := confirmThrough(t, pa, pa.Get(path), "[data-testid=signout-all]", "User bob", nil)
	if got := confirm.Doc.Find("[data-testid=confirm-consequences]").Text(); !strings.Contains(got, "User bob will be signed out at once on every device (1 session)") {
		t.Fatalf("sign-out consequences: %q", got)
	}
	if got := flashAtTop(t, pa, res, path); got != "User bob signed out everywhere." {
		t.Fatalf("sign out flash %q", got)
	}
	if r := laptop.Get("/profile"); r.Status == http.StatusOK {
		t.Fatal("bob is still signed in")
	}

	// Reset multi-factor authentication.
	confirm, res = confirmThrough(t, pa, pa.Get(path), "[data-testid=mfa-reset-start]", "User bob", nil)
	if got := confirm.Doc.Find("[data-testid=mfa-reset-consequences]").Text(); !strings.Contains(got, "signed out on every device") {
		t.Fatalf("MFA consequences: %q", got)
	}
	if got := flashAtTop(t, pa, res, path); !strings.HasPrefix(got, "Multi-factor authentication of User bob reset.") {
		t.Fatalf("MFA flash %q", got)
	}
	if e.User("bob").MFAEnrolledAt != nil {
		t.Fatal("bob's MFA was not reset")
	}
	// Nothing left to reset: the page says so instead of offering it.
	page := pa.Get(path)
	if page.Doc.Find("[data-testid=mfa-reset-start]").Length() != 0 ||
		!strings.Contains(page.Doc.Find("[data-testid=why-not-mfa-reset]").Text(), "have not set up multi-factor authentication") {
		t.Fatalf("the page offers resetting an MFA bob no longer has: %s", page.Doc.Find("#actions").Text())
	}

	// Delete, from the page, back to the list with the message on top.
	_, res = confirmThrough(t, pa, pa.Get(path), "[data-testid=delete-user]", "User bob", map[string]string{"confirm": "bob"})
	if got := flashAtTop(t, pa, res, "/admin/users"); got != "User bob deleted." {
		t.Fatalf("delete flash %q", got)
	}
}

// Voiding the welcome link of a user who has not chosen a password locks
// them out, so it asks first; a Cancel takes the admin back untouched.
func TestVoidingAWelcomeLinkAsksFirst(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	res := pa.Submit(pa.Get("/admin/users/new"), "form[data-testid=new-user-form]", map[string]string{
		"display_name": "Ivy Invited", "email": "ivy@example.com", "username": "ivy"})
	path := "/admin/users/" + apptest.Itoa(e.User("ivy").ID)
	if got := flashAtTop(t, pa, res, path); !strings.HasPrefix(got, "Ivy Invited created.") {
		t.Fatalf("create flash %q", got)
	}
	confirm, res := confirmThrough(t, pa, pa.Get(path), "[data-testid=void-link]", "Ivy Invited", nil)
	if got := confirm.Doc.Find("[data-testid=confirm-consequences]").Text(); !strings.Contains(got, "cannot sign in until you resend the welcome email") {
		t.Fatalf("void consequences: %q", got)
	}
	if got := flashAtTop(t, pa, res, path); got != "Link sent to Ivy Invited voided: it no longer works." {
		t.Fatalf("void flash %q", got)
	}
	// The page from before, posted again: the user's page says why.
	again := pa.Submit(confirm, "form[data-testid=void-link-form]", nil)
	if again.Status != http.StatusNotFound || !strings.Contains(again.Doc.Find("[data-testid=error-summary]").Text(), "already used, voided or expired") {
		t.Fatalf("voiding twice: %d %s", again.Status, again.Doc.Find("main").Text())
	}
	if got := flashAtTop(t, pa, pa.Submit(pa.Get(path), "form:has([data-testid=send-reset])", nil), path); !strings.HasPrefix(got, "Welcome email sent again to Ivy Invited.") {
		t.Fatalf("resend flash %q", got)
	}
}

// offered lists the actions a user's page offers, by test id.
func offeredActions(page *apptest.Response) []string {
	var out []string
	for _, id := range []string{"send-reset", "clear-question", "mfa-reset-start", "deactivate", "status-submit", "delete-user", "signout-all", "user-details-submit"} {
		if page.Doc.Find("[data-testid="+id+"]").Length() > 0 {
			out = append(out, id)
		}
	}
	return out
}

// A user's page offers exactly the actions the service would take, and
// says why not for the others; a request for one of those (a page out of
// date, a hand-made form) shows the user's page again with the reason.
func TestUserPageOffersOnlyWhatCanSucceed(t *testing.T) {
	w := newWorld(t, models.SQLite)
	e := w.e
	ada, tess := e.User("ada"), e.User("tess")
	pa, ivan := w.client(t, primary), w.client(t, itAdmin)
	_ = e.Store().Users.SetSecurityQuestion(context.Background(), ada.ID, "Pet?", "$argon2id$x", e.Clock.Now())
	adaPage, tessPath := "/admin/users/"+apptest.Itoa(ada.ID), "/admin/users/"+w.targetID
	deny, conflict := http.StatusForbidden, http.StatusConflict
	cases := []struct {
		name    string
		c       *apptest.Client
		path    string
		offered string
		whyNot  map[string]string
		posts   map[string]int // path tail → status of the refusal
	}{
		{name: "a Secondary Admin on the Primary Admin", c: ivan, path: adaPage, offered: "",
			posts: map[string]int{"/reset": deny, "/question/clear": deny, "/sessions/signout": deny, "/mfa": deny, "/deactivate": deny}},
		{name: "the Primary Admin on herself", c: pa, path: adaPage, offered: "send-reset user-details-submit",
			whyNot: map[string]string{"clear-question": "in My Profile", "mfa-reset": "in My Profile", "deactivate": "You cannot deactivate yourself",
				"delete-user": "You cannot delete yourself"},
			posts: map[string]int{"/question/clear": deny, "/mfa": deny, "/deactivate": deny, "/sessions/signout": deny}},
		{name: "an admin on a suspended user", c: ivan, path: tessPath, offered: "status-submit delete-user user-details-submit",
			whyNot: map[string]string{"send-reset": "Suspended users get no links", "clear-question": "no security question",
				"mfa-reset": "have not set up multi-factor authentication"},
			posts: map[string]int{"/reset": conflict, "/question/clear": conflict, "/mfa": conflict, "/deactivate": conflict}},
	}
	res := ivan.Submit(ivan.Get(tessPath+"/deactivate"), "form[data-testid=deactivate-form]", map[string]string{"reason": "left"})
	if res.Status != http.StatusSeeOther || e.User("tess").Status != models.StatusSuspended {
		t.Fatalf("deactivate tess: %d", res.Status)
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			page := tc.c.Get(tc.path)
			if got := strings.Join(offeredActions(page), " "); got != tc.offered {
				t.Errorf("offered %q, want %q", got, tc.offered)
			}
			for id, why := range tc.whyNot {
				if got := page.Doc.Find("[data-testid=why-not-" + id + "]").Text(); !strings.Contains(got, why) {
					t.Errorf("why not %s: %q, want %q", id, got, why)
				}
			}
			for tail, want := range tc.posts {
				var r *apptest.Response
				if tail == "/deactivate" {
					r = post(tc.c, tc.path+"/status", url.Values{"action": {"deactivate"}, "reason": {"x"}})
				} else {
					r = post(tc.c, tc.path+tail, url.Values{})
				}
				if r.Status != want || r.Doc.Find("[data-testid=error-summary]").Length() != 1 || r.Doc.Find("h1").Text() != page.Doc.Find("h1").Text() {
					t.Errorf("POST %s: %d, want %d with the user's page and an error summary", tail, r.Status, want)
				}
				if tail == "/sessions/signout" || tail == "/reset" {
					continue
				}
				if g := tc.c.Get(tc.path + tail); g.Status != want {
					t.Errorf("GET %s: %d, want %d", tail, g.Status, want)
				}
			}
		})
	}
	if e.User("ada").Status != models.StatusActive || e.User("ada").SecurityAnswerHash == "" || tess.Status != models.StatusActive {
		t.Fatal("a refused action changed something")
	}
}

// The users list's options menu offers Delete only where the service
// would delete: never on your own row or on a user beyond you.
func TestUsersMenuOffersDeleteOnlyWhereAllowed(t *testing.T) {
	w := newWorld(t, models.SQLite)
	rows := w.client(t, itAdmin).Get("/admin/users?size=100").Doc.Find("[data-testid=user-row]")
	offered := map[string]bool{}
	for i := range rows.Length() {
		row := rows.Eq(i)
		if row.Find("[data-testid=row-delete]").Length() > 0 {
			offered[row.Find("[data-testid=user-link]").Text()] = true
		}
	}
	for _, name := range []string{"Ada Admin", "User ivan", "User cora", "User bill"} {
		if offered[name] {
			t.Errorf("the IT Admin is offered to delete %s", name)
		}
	}
	for _, name := range []string{"User tess", "User pat", "User cleo"} {
		if !offered[name] {
			t.Errorf("the IT Admin is not offered to delete %s", name)
		}
	}
}

// Creating a user with an address another user of the account has warns,
// naming them, and creates only once the administrator ticks the box; a
// user of another account with that address is never revealed.
func TestCreateUserWarnsOfASharedEmailAddress(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	e.AddUser(e.User("ada").AccountID, "bob", personaPassword, models.StatusActive)
	e.AddAccount("23232323", "Other Co", "oscar", personaPassword)
	form := pa.Get("/admin/users/new")
	if form.Doc.Find("[data-testid=same-email]").Length() != 0 {
		t.Fatal("the box shows before any warning")
	}
	fields := map[string]string{"display_name": "Bobby Two", "email": "BOB@example.com", "username": "bobby"}
	res := pa.Submit(form, "form[data-testid=new-user-form]", fields)
	if res.Status != http.StatusUnprocessableEntity || !strings.HasPrefix(res.Doc.Find("title").Text(), "Error: ") ||
		!strings.Contains(res.Doc.Find("[data-testid=error-summary]").Text(), "Another user, User bob, has this email address") ||
		res.Doc.Find("input[type=checkbox][name=same_email_ok]").Length() != 1 {
		t.Fatalf("shared address: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	if _, err := e.Store().Users.ByUsernameKey(context.Background(), "bobby"); err == nil {
		t.Fatal("created without the box ticked")
	}
	fields["same_email_ok"] = "yes"
	if res := pa.Submit(res, "form[data-testid=new-user-form]", fields); res.Status != http.StatusSeeOther {
		t.Fatalf("confirmed: %d %s", res.Status, res.Doc.Find("[data-testid=error-summary]").Text())
	}
	// Three, then five, users with the address: named in a list with no
	// English "and" in it, so every language can say it; past three, the
	// first three among them. In French the whole sentence is French.
	warning := func(c *apptest.Client, username string) string {
		t.Helper()
		res := c.Submit(c.Get("/admin/users/new"), "form[data-testid=new-user-form]", map[string]string{
			"display_name": "Bob Again", "email": "bob@example.com", "username": username})
		if res.Status != http.StatusUnprocessableEntity {
			t.Fatalf("%s: %d", username, res.Status)
		}
		return strings.TrimSpace(res.Doc.Find("[data-testid=error-same_email_ok]").Text())
	}
	if got := warning(pa, "bob3"); !strings.Contains(got, "Other users have this email address: User bob, Bobby Two") {
		t.Errorf("two others: %q", got)
	}
	for _, n := range []string{"bob4", "bob5", "bob6"} {
		fields := map[string]string{"display_name": "Bob " + n, "email": "bob@example.com", "username": n, "same_email_ok": "yes"}
		if res := pa.Submit(pa.Get("/admin/users/new"), "form[data-testid=new-user-form]", fields); res.Status != http.StatusSeeOther {
			t.Fatalf("%s: %d", n, res.Status)
		}
	}
	if got := warning(pa, "bob7"); !strings.Contains(got, "Several users have this email address, among them User bob, Bobby Two, Bob bob4") {
		t.Errorf("five others: %q", got)
	}
	if err := e.Store().Users.SetLanguage(context.Background(), e.User("ada").ID, "fr", "", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	if got := warning(pa, "bob8"); !strings.Contains(got, "Plusieurs utilisateurs ont cette adresse e-mail, dont User bob, Bobby Two, Bob bob4") {
		t.Errorf("five others, in French: %q", got)
	}
	if err := e.Store().Users.SetLanguage(context.Background(), e.User("ada").ID, "", "", e.Clock.Now()); err != nil {
		t.Fatal(err)
	}
	// Oscar of Other Co has oscar@example.com: no warning here.
	res = pa.Submit(pa.Get("/admin/users/new"), "form[data-testid=new-user-form]", map[string]string{
		"display_name": "Oscar Here", "email": "oscar@example.com", "username": "oscar2"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("another account's address: %d %s", res.Status, res.Doc.Find("main").Text())
	}
}

// An admin's own page shows their email address with the way to change it
// (My Profile, which confirms it through the new address) instead of a
// field whose change could only be refused; saving their name keeps it.
func TestOwnUserPageLeavesTheEmailToMyProfile(t *testing.T) {
	e := apptest.Start(t, models.SQLite, apptest.Options{})
	pa := e.Setup(apptest.DefaultAdmin())
	acct := e.User("ada").AccountID
	ivy := e.AddUser(acct, "ivy", personaPassword, models.StatusActive)
	e.GiveRole(ivy.ID, "it_admin")
	c := e.Client()
	c.SignIn("ivy", personaPassword)
	own := "/admin/users/" + apptest.Itoa(ivy.ID)
	page := c.Get(own)
	form := page.Doc.Find("form[data-testid=user-details-form]")
	if page.Status != http.StatusOK || form.Find("input[type=email]").Length() != 0 ||
		page.Doc.Find("[data-testid=own-email-change]").AttrOr("href", "") != "/profile/email" {
		t.Fatalf("own page: %d, email inputs %d", page.Status, form.Find("input[type=email]").Length())
	}
	res := c.Submit(page, "form[data-testid=user-details-form]", map[string]string{"display_name": "Ivy Tech"})
	if res.Status != http.StatusSeeOther {
		t.Fatalf("saving the name: %d %s", res.Status, res.Doc.Find("main").Text())
	}
	if u := e.User("ivy"); u.DisplayName != "Ivy Tech" || u.Email != ivy.Email {
		t.Fatalf("after the save: %q %q", u.DisplayName, u.Email)
	}
	// Another user's page keeps the field.
	if pa.Get(own).Doc.Find("form[data-testid=user-details-form] input[type=email]").Length() != 1 {
		t.Fatal("the Primary Admin cannot edit Ivy's address")
	}
}
