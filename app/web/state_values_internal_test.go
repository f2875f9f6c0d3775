package web

import (
	"slices"
	"testing"

	"github.com/gorilla/sessions"

	"accountportal/app/recovery"
)

// A visitor's cookie carries only what they could type: a sign-in
// attempt, a reset link or an authenticator's seed always needs a row.
func TestVisitorKeysLeaveFlowsToRows(t *testing.T) {
	for _, k := range []string{keySignIn, keyResetLink, keyEnrolSeed} {
		if slices.Contains(VisitorKeys(), k) {
			t.Errorf("%s is a visitor key", k)
		}
	}
}

func TestResetLinkRoundTrip(t *testing.T) {
	st := &reqState{sess: &sessions.Session{Values: map[any]any{}}}
	if _, ok := st.resetLink(); ok {
		t.Fatal("a link in an empty session")
	}
	want := recovery.Link{TokenID: 42, Visit: "c29tZS12aXNpdC1rZXk"}
	st.setResetLink(want)
	if got, ok := st.resetLink(); !ok || got != want || !st.dirty {
		t.Fatalf("resetLink = %+v, %v (dirty %v)", got, ok, st.dirty)
	}
	st.clearResetLink()
	for _, bad := range []string{"42", "42.", ".visit", "x.visit", "0.visit"} {
		st.sess.Values[keyResetLink] = bad
		if _, ok := st.resetLink(); ok {
			t.Errorf("resetLink accepted %q", bad)
		}
	}
}
