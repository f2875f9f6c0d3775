package account

import (
	"context"
	"testing"
	"time"

	"accountportal/models"
	"accountportal/models/modelstest"
)

func TestMain(m *testing.M) { modelstest.Main(m) }

// TestUsernameBase: the part of an address a derived username keeps.
func TestUsernameBase(t *testing.T) {
	cases := []struct{ email, want string }{
		{"ada@example.com", "ada"},
		{"Ada.Lovelace@example.com", "ada.lovelace"},
		{"o'brien!#@example.com", "obrien"},
		{"!#$%@example.com", "admin"},
		{"first+tag@example.com", "first+tag"},
		{"abcdefghijklmnopqrstuvwxyzabcdefghijklmnopqrstuvwxyz@example.com", "abcdefghijklmnopqrstuvwxyzabcdefghijklmn"},
	}
	for _, tc := range cases {
		if got := usernameBase(tc.email); got != tc.want {
			t.Errorf("usernameBase(%q) = %q, want %q", tc.email, got, tc.want)
		}
	}
}

// TestFreeUsername: the address itself while nobody has it as a username,
// else one made from it and the account number, counting up while taken;
// an address too long to be a username goes straight to the made one.
func TestFreeUsername(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, time.Now)
		a := &models.Account{Number: "12121212", Name: "Acme", PasswordPreset: "classic", MFAPolicy: models.MFAOff}
		if err := s.Accounts.Create(ctx, a); err != nil {
			t.Fatal(err)
		}
		take := func(name string) {
			t.Helper()
			err := s.Users.Create(ctx, &models.User{AccountID: a.ID, Username: name, UsernameKey: name,
				Email: "x@example.com", EmailKey: "x@example.com", DisplayName: "X", Status: models.StatusActive})
			if err != nil {
				t.Fatal(err)
			}
		}
		long := "a"
		for range 70 {
			long += "b"
		}
		long += "@example.com"
		steps := []struct {
			email, want string
			then        func()
		}{
			{"ann@example.com", "ann@example.com", func() { take("ann@example.com") }},
			{"Ann@Example.com", "ann.34343434", func() { take("ann.34343434") }},
			{"ann@example.com", "ann.34343434-2", func() { take("ann.34343434-2") }},
			{"ann@example.com", "ann.34343434-3", nil},
			{long, "abbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb.34343434", nil},
		}
		for _, st := range steps {
			got, err := FreeUsername(ctx, s, st.email, "34343434")
			if err != nil || got != st.want {
				t.Fatalf("FreeUsername(%q) = %q, %v; want %q", st.email, got, err, st.want)
			}
			if st.then != nil {
				st.then()
			}
		}
	})
}

// TestFreeNumber: eight digits, never the staff account's 00000000, and
// never one an account has.
func TestFreeNumber(t *testing.T) {
	modelstest.Each(t, func(t *testing.T, d models.Dialect) {
		ctx := context.Background()
		s := modelstest.Open(t, d, time.Now)
		seen := map[string]bool{}
		for range 50 {
			n, err := FreeNumber(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if len(n) != 8 || n < "10000000" || n > "99999999" || seen[n] {
				t.Fatalf("number %q", n)
			}
			seen[n] = true
			if err := s.Accounts.Create(ctx, &models.Account{Number: n, Name: "Acme " + n, PasswordPreset: "classic", MFAPolicy: models.MFAOff}); err != nil {
				t.Fatal(err)
			}
		}
	})
}
