package web_test

import (
	"context"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/PuerkitoBio/goquery"

	"accountportal/app/apptest"
	"accountportal/app/identity"
	"accountportal/models"
)

const homeUserPassword = "Otter+Bay93q"

// attentionOf returns the keys of the items on the client's home page.
func attentionOf(t *testing.T, c *apptest.Client) map[string]string {
	t.Helper()
	home := c.Get("/")
	if home.Status != http.StatusOK {
		t.Fatalf("home: %d %q", home.Status, home.Location)
	}
	out := map[string]string{}
	home.Doc.Find("[data-testid=attention] li").Each(func(_ int, li *goquery.Selection) {
		key, _ := li.Attr("data-testid")
		out[strings.TrimPrefix(key, "attention-")] = strings.Join(strings.Fields(li.Text()), " ")
	})
	if len(out) == 0 && home.Doc.Find("[data-testid=attention-none]").Length() != 1 {
		t.Fatal("home shows neither items nor 'Nothing needs your attention'")
	}
	return out
}

// expectAttention checks that the client's home page shows exactly the
// items keyed in want, each with its words.
func expectAttention(t *testing.T, who string, c *apptest.Client, want map[string]string) {
	t.Helper()
	got := attentionOf(t, c)
	for key, words := range want {
		if !strings.Contains(got[key], words) {
			t.Errorf("%s: item %s is %q, want it to say %q", who, key, got[key], words)
		}
	}
	for key, text := range got {
		if _, ok := want[key]; !ok {
			t.Errorf("%s: unexpected item %s: %q", who, key, text)
		}
	}
}

// expectAttentionLink checks that the item keyed key on the client's home
// page links to the task page href, and that the page opens.
func expectAttentionLink(t *testing.T, c *apptest.Client, key, href string) {
	t.Helper()
	got := c.Get("/").Doc.Find("[data-testid=attention-"+key+"] a").AttrOr("href", "")
	if got != href {
		t.Errorf("item %s links to %q, want %q", key, got, href)
	}
	if res := c.Get(href); res.Status != http.StatusOK {
		t.Errorf("item %s: %s answers %d %q", key, href, res.Status, res.Location)
	}
}

// sqlExec runs a statement on the test's SQLite database, to move a row
// into the state a test needs.
func sqlExec(t *testing.T, e *apptest.Env, query string, args ...any) {
	t.Helper()
	db, err := e.Store().SQLDB()
	if err != nil {
		t.Fatal(err)
	}
	if _, err := db.Exec(query, args...); err != nil {
		t.Fatal(err)
	}
}

// Each item of the dashboard shows while its condition holds, to the admins
// whose privileges cover it, and goes once it is dealt with; a plain user
// sees only their own.
func TestHomeShowsWhatNeedsAttention(t *testing.T) {
	e, ada, _ := signedIn(t, models.SQLite)
	acct := e.User("ada").AccountID
	expectAttention(t, "ada at first", ada, nil)

	// Bob manages users; Dave only reads the audit log; Carol is no admin.
	bob := e.AddUser(acct, "bob", homeUserPassword, models.StatusActive)
	e.GiveRoleID(bob.ID, e.AddRole(acct, "Helpdesk", identity.PermUsersManage))
	dave := e.AddUser(acct, "dave", homeUserPassword, models.StatusActive)
	e.GiveRoleID(dave.ID, e.AddRole(acct, "Auditor", identity.PermAuditView))
	e.AddUser(acct, "carol", homeUserPassword, models.StatusActive)
	bc, dc, cc := e.Client(), e.Client(), e.Client()
	for name, c := range map[string]*apptest.Client{"bob": bc, "dave": dc, "carol": cc} {
		if res := c.SignIn(name, homeUserPassword); res.Status != http.StatusSeeOther {
			t.Fatalf("%s signs in: %d", name, res.Status)
		}
	}
	expectAttention(t, "ada", ada, map[string]string{"admins-without-passphrase": "2 admins have not set a support passphrase"})
	expectAttention(t, "bob", bc, map[string]string{"own-passphrase": "You have not set your support passphrase"})
	expectAttention(t, "dave", dc, map[string]string{"own-passphrase": "You have not set your support passphrase"})
	expectAttention(t, "carol", cc, nil)
	expectAttentionLink(t, bc, "own-passphrase", "/profile/passphrase")
	e.SetPassphrase(bob.ID, "green valley orchard")
	e.SetPassphrase(dave.ID, "amber north window")
	expectAttention(t, "ada after passphrases", ada, nil)
	expectAttention(t, "bob after his passphrase", bc, nil)

	// An invited user who never chose a password.
	ivy := e.AddUser(acct, "ivy", homeUserPassword, models.StatusInvited)
	invited := map[string]string{"invited-users": "1 invited user has not chosen a password yet."}
	expectAttention(t, "ada", ada, invited)
	expectAttention(t, "bob", bc, invited)
	expectAttention(t, "dave", dc, nil)
	expectAttention(t, "carol", cc, nil)
	if href, _ := ada.Get("/").Doc.Find("[data-testid=attention-invited-users] a").Attr("href"); href != "/admin/users?status=invited" {
		t.Errorf("invited link %q", href)
	} else if list := ada.Get(href); list.Status != http.StatusOK || !strings.Contains(list.Body, "User ivy") {
		t.Errorf("invited link shows %d without ivy", list.Status)
	}
	sqlExec(t, e, "UPDATE users SET status = ? WHERE id = ?", models.StatusActive, ivy.ID)
	expectAttention(t, "ada after ivy joined", ada, nil)

	// A bulk action still running.
	job := &models.BulkJob{AccountID: acct, Action: "signout", Selection: "{}", Status: models.BulkRunning, Total: 3}
	if err := e.Store().BulkJobs.Create(context.Background(), job); err != nil {
		t.Fatal(err)
	}
	running := map[string]string{"bulk-running": "1 bulk action is still running."}
	expectAttention(t, "ada", ada, running)
	expectAttention(t, "bob", bc, running)
	expectAttention(t, "dave", dc, nil)
	sqlExec(t, e, "UPDATE bulk_jobs SET status = ? WHERE id = ?", models.BulkDone, job.ID)
	expectAttention(t, "ada after the job", ada, nil)

	// A Primary Admin transfer: the Primary Admin sees theirs, its target
	// is asked to answer.
	now := e.Clock.Now()
	tr := &models.PrimaryTransfer{AccountID: acct, FromUserID: e.User("ada").ID, ToUserID: bob.ID, CreatedAt: now, ExpiresAt: now.Add(72 * time.Hour)}
	if err := e.Store().Transfers.Create(context.Background(), tr); err != nil {
		t.Fatal(err)
	}
	expectAttention(t, "ada", ada, map[string]string{"transfer-by-me": "You asked User bob to become the Primary Admin"})
	expectAttention(t, "bob", bc, map[string]string{"transfer-offered": "You have been asked to become the Primary Admin"})
	expectAttentionLink(t, bc, "transfer-offered", "/admin/transfer")
	expectAttention(t, "dave", dc, nil)
	if err := e.Store().Transfers.Decide(context.Background(), tr.ID, models.TransferCancelled, now); err != nil {
		t.Fatal(err)
	}
	expectAttention(t, "ada after cancelling", ada, nil)
	expectAttention(t, "bob after the cancellation", bc, nil)

	// The account's policy requires multi-factor authentication of admins,
	// then of everyone: those who have none are counted.
	sqlExec(t, e, "UPDATE users SET mfa_enrolled_at = ? WHERE id IN (?, ?)", now, e.User("ada").ID, bob.ID)
	e.SetMFAPolicy(acct, models.MFAAdmins)
	expectAttention(t, "ada (admins)", ada, map[string]string{"users-without-mfa": "1 admin has not set up multi-factor authentication"})
	expectAttention(t, "bob (admins)", bc, map[string]string{"users-without-mfa": "1 admin has not set up multi-factor authentication"})
	e.SetMFAPolicy(acct, models.MFAEveryone)
	expectAttention(t, "ada (everyone)", ada, map[string]string{"users-without-mfa": "3 users have not set up multi-factor authentication"})
	href, _ := ada.Get("/").Doc.Find("[data-testid=attention-users-without-mfa] a").Attr("href")
	if href != "/admin/users?mfa=no&status=active" {
		t.Errorf("MFA link %q", href)
	}
	sqlExec(t, e, "UPDATE users SET mfa_enrolled_at = ? WHERE account_id = ?", now, acct)
	expectAttention(t, "ada after everyone enrolled", ada, nil)
}

// A user owes what the account's policy asks of them: a security question
// set after they signed in shows on their home page until they set one.
func TestHomeShowsTheUsersOwnSecurityQuestion(t *testing.T) {
	e, _, _ := signedIn(t, models.SQLite)
	acct := e.User("ada").AccountID
	e.AddUser(acct, "carol", homeUserPassword, models.StatusActive)
	cc := e.Client()
	cc.SignIn("carol", homeUserPassword)
	e.RequireSecurityQuestion(acct, true)
	expectAttention(t, "carol", cc, map[string]string{"own-question": "Your account requires a security question"})
	// Its link opens the task page itself, not the summary.
	expectAttentionLink(t, cc, "own-question", "/profile/question")
	sqlExec(t, e, "UPDATE users SET security_question = 'Q?', security_answer_hash = 'x' WHERE username = 'carol'")
	expectAttention(t, "carol with a question", cc, nil)
}

// navOf returns the labels of the navigation and the one marked current.
func navOf(t *testing.T, c *apptest.Client, path string) (labels []string, current string) {
	t.Helper()
	page := c.Get(path)
	if page.Status != http.StatusOK {
		t.Fatalf("%s: %d", path, page.Status)
	}
	page.Doc.Find("nav.admin-nav a").Each(func(_ int, a *goquery.Selection) {
		labels = append(labels, a.Text())
		if v, _ := a.Attr("aria-current"); v == "page" {
			if current != "" {
				t.Errorf("%s: both %q and %q are current", path, current, a.Text())
			}
			current = a.Text()
		}
	})
	return labels, current
}

// The navigation lists Home, My Profile and each section the person may
// use, and marks the section of the page, sub-pages included.
func TestNavigationShowsEverySectionAndTheCurrentOne(t *testing.T) {
	e, ada, _ := signedIn(t, models.SQLite)
	acct := e.User("ada").AccountID
	bob := e.AddUser(acct, "bob", homeUserPassword, models.StatusActive)
	labels, _ := navOf(t, ada, "/")
	if got := strings.Join(labels, ","); got != "Home,My Profile,Privileges,Users,Roles,Security,Audit log,API tokens" {
		t.Errorf("Primary Admin's navigation: %s", got)
	}
	for path, want := range map[string]string{
		"/": "Home", "/profile": "My Profile", "/profile/mfa": "My Profile", "/admin/users": "Users",
		"/admin/users/" + apptest.Itoa(bob.ID): "Users", "/admin/users/new": "Users", "/admin/users/jobs": "Users",
		"/admin/roles/new": "Roles", "/admin/privileges": "Privileges", "/admin/audit": "Audit log", "/admin/security": "Security", "/admin/api-tokens": "API tokens",
	} {
		if _, current := navOf(t, ada, path); current != want {
			t.Errorf("%s marks %q, want %q", path, current, want)
		}
	}
	cc := e.Client()
	cc.SignIn("bob", homeUserPassword)
	labels, current := navOf(t, cc, "/")
	if got := strings.Join(labels, ","); got != "Home,My Profile" || current != "Home" {
		t.Errorf("plain user's navigation: %s (current %q)", got, current)
	}
	// The user menu names the glossary's term.
	if got := ada.Get("/").Doc.Find("[data-testid=my-mfa]").Text(); got != "Multi-factor authentication" {
		t.Errorf("user menu says %q", got)
	}
}
