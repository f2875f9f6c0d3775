package admin

import (
	"encoding/base64"
	"strings"
	"testing"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/models"
)

// FuzzDecodeUserCursor: a cursor from the address bar never panics the
// decoder, and one it accepts points at a real position that encodes back.
func FuzzDecodeUserCursor(f *testing.F) {
	f.Add(encodeCursor(models.UserCursor{Key: "ada admin", ID: 7}))
	f.Add(encodeCursor(models.UserCursor{Key: "r&d <team>", ID: 9}))
	f.Add("")
	f.Add("eyJpZCI6LTF9")
	f.Add("!!!")
	f.Fuzz(func(t *testing.T, s string) {
		c := decodeCursor(s)
		if c == nil {
			return
		}
		if c.ID <= 0 {
			t.Fatalf("accepted id %d", c.ID)
		}
		if again := decodeCursor(encodeCursor(*c)); again == nil || *again != *c {
			t.Fatalf("cursor %+v does not survive encoding", *c)
		}
	})
}

// FuzzCheckDetails: a new user's details are tidied and checked without
// panics, and what passes has a name, an email and a valid username.
func FuzzCheckDetails(f *testing.F) {
	f.Add("Kim Keys", "kim@example.com", "")
	f.Add("", "", "")
	f.Add(" <b>x</b> ", "a@b", "ada\x00")
	f.Fuzz(func(t *testing.T, name, email, username string) {
		n, e, u, err := checkDetails(name, email, username)
		if err != nil {
			if !apperr.Is(err, apperr.Invalid) {
				t.Fatalf("error %v", err)
			}
			return
		}
		if identity.CheckDisplayName(n) != "" || identity.CheckEmail(e) != "" || identity.CheckUsername(u) != "" && u != e {
			t.Fatalf("accepted %q %q %q", n, e, u)
		}
	})
}

// FuzzCheckRole: the role form never panics and never lets a Billing
// Admin give what they do not hold.
func FuzzCheckRole(f *testing.F) {
	f.Add("Auditors", "They read the log", identity.PermBillingChanges, identity.PermAuditView)
	f.Add("", "", "", "")
	f.Add(strings.Repeat("x", 61), "d", "nonsense", identity.PermUsersManage)
	billing := &identity.Principal{User: &models.User{}, Account: &models.Account{},
		Permissions: map[string]bool{identity.PermBillingChanges: true, identity.PermBillingInquiries: true}}
	f.Fuzz(func(t *testing.T, name, description, p1, p2 string) {
		in := &RoleInput{Name: name, Description: description, Permissions: []string{p1, p2}}
		err := checkRole(billing, in)
		if err != nil {
			return
		}
		for _, p := range in.Permissions {
			if !billing.Can(p) {
				t.Fatalf("a billing admin gave %q", p)
			}
		}
		if n := utf8.RuneCountInString(in.Name); n == 0 || n > 60 {
			t.Fatalf("accepted the name %q", in.Name)
		}
	})
}

// FuzzCheckReason: a bulk action's reason is 1 to 500 characters of text.
func FuzzCheckReason(f *testing.F) {
	f.Add("left the company")
	f.Add("   ")
	f.Add(strings.Repeat("é", 501))
	f.Fuzz(func(t *testing.T, reason string) {
		if checkReason(reason) == nil {
			if n := utf8.RuneCountInString(strings.TrimSpace(reason)); n == 0 || n > 500 {
				t.Fatalf("accepted a reason of %d characters", n)
			}
		}
	})
}

// A cursor keeps a name's <, > and & as they are: escaped, each would
// take six bytes, and a name of 100 of them would make the API's sealed
// cursor longer than its description allows.
func TestEncodeCursorKeepsNamesShort(t *testing.T) {
	key := strings.Repeat("<&>", 33)
	raw, err := base64.RawURLEncoding.DecodeString(encodeCursor(models.UserCursor{Key: key, ID: 1}))
	if err != nil {
		t.Fatal(err)
	}
	if want := `{"Key":"` + key + `","ID":1}`; string(raw) != want {
		t.Errorf("cursor %s, want %s", raw, want)
	}
}
