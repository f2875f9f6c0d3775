package web

import (
	"strings"
	"time"

	"accountportal/app/identity"
	"accountportal/app/recovery"
	"accountportal/app/session"
	"accountportal/views/viewmodel"
)

// Keys of the session's values. Handlers never use them: they read and
// write the session through the typed methods below, so a typo cannot split
// one value into two and every value has one type.
const (
	keyFlashKind     = "flash_kind"
	keyFlashMessage  = "flash_msg"
	keyLoginUsername = "login_username"
	keyReturnTo      = "return_to"
	keySignIn        = "signin"
	keyResetLink     = "reset_link"
	keyEnrolSeed     = "enrol_seed"
	keyInvitation    = "invitation"
)

// VisitorKeys are the values a visitor who has proved nothing keeps in
// their cookie instead of a session row: only what they could type anyway.
// Every other value (a sign-in attempt, a reset link's state) gets a row.
func VisitorKeys() []string {
	return []string{keyFlashKind, keyFlashMessage, keyLoginUsername, keyReturnTo}
}

// str, set and del are the session's string values by key; only the typed
// methods in this file call them.
func (st *reqState) str(key string) string {
	v, _ := st.sess.Values[key].(string)
	return v
}

func (st *reqState) set(key, value string) {
	st.sess.Values[key] = value
	st.dirty = true
}

func (st *reqState) del(keys ...string) {
	for _, k := range keys {
		if _, ok := st.sess.Values[k]; ok {
			delete(st.sess.Values, k)
			st.dirty = true
		}
	}
}

// setFlash keeps a one-time message for the next page.
func (st *reqState) setFlash(kind, message string) {
	st.set(keyFlashKind, kind)
	st.set(keyFlashMessage, message)
}

// takeFlash returns the one-time message, if any, and forgets it.
func (st *reqState) takeFlash() *viewmodel.Flash {
	msg := st.str(keyFlashMessage)
	if msg == "" {
		return nil
	}
	f := &viewmodel.Flash{Kind: st.str(keyFlashKind), Message: msg}
	st.del(keyFlashKind, keyFlashMessage)
	return f
}

// loginUsername is the username typed at the first step of sign-in.
func (st *reqState) loginUsername() string { return st.str(keyLoginUsername) }

func (st *reqState) setLoginUsername(name string) { st.set(keyLoginUsername, name) }

func (st *reqState) forgetLoginUsername() { st.del(keyLoginUsername) }

// setReturnTo remembers where a visitor was going before sign-in.
func (st *reqState) setReturnTo(uri string) { st.set(keyReturnTo, uri) }

// takeReturnTo returns where to go after sign-in, and forgets it.
func (st *reqState) takeReturnTo() string {
	to := st.str(keyReturnTo)
	st.del(keyReturnTo)
	return to
}

// attempt returns the sign-in attempt in progress, or nil when there is
// none (or it cannot be read, which asks for the password again).
func (st *reqState) attempt() *identity.Attempt {
	raw := st.str(keySignIn)
	if raw == "" {
		return nil
	}
	a, err := identity.DecodeAttempt(raw)
	if err != nil {
		return nil
	}
	return a
}

// setAttempt keeps the sign-in attempt, as its services left it.
func (st *reqState) setAttempt(a *identity.Attempt) { st.set(keySignIn, a.Encode()) }

func (st *reqState) clearAttempt() { st.del(keySignIn) }

// setSignedIn makes the session userID's. Callers renew the session first.
func (st *reqState) setSignedIn(userID int64) {
	st.sess.Values[session.KeyUserID] = userID
	st.dirty = true
}

// setPasswordAt records when the user last typed their password.
func (st *reqState) setPasswordAt(t time.Time) {
	st.sess.Values[session.KeyPasswordAt] = t
	st.dirty = true
}

// passwordAt is when this session's user last typed their password (zero:
// never in this session).
func passwordAt(st *reqState) time.Time {
	t, _ := st.sess.Values[session.KeyPasswordAt].(time.Time)
	return t
}

// resetLink returns the reset link this browser opened, if any.
func (st *reqState) resetLink() (recovery.Link, bool) {
	id, visit, _ := strings.Cut(st.str(keyResetLink), ".")
	n, err := atoi(id)
	return recovery.Link{TokenID: n, Visit: visit}, err == nil && n > 0 && visit != ""
}

// setResetLink keeps the opened link for the wizard's next pages. Its
// visit key has no dot (it is base64url).
func (st *reqState) setResetLink(l recovery.Link) { st.set(keyResetLink, itoa(l.TokenID)+"."+l.Visit) }

func (st *reqState) clearResetLink() { st.del(keyResetLink) }

// enrolSeed is the sealed seed of the authenticator a signed-in user is
// setting up in My Profile.
func (st *reqState) enrolSeed() string { return st.str(keyEnrolSeed) }

func (st *reqState) setEnrolSeed(sealed string) { st.set(keyEnrolSeed, sealed) }

func (st *reqState) clearEnrolSeed() { st.del(keyEnrolSeed) }

// invitation returns the id of the invitation link this browser opened.
func (st *reqState) invitation() (int64, bool) {
	n, err := atoi(st.str(keyInvitation))
	return n, err == nil && n > 0
}

// setInvitation keeps the opened invitation for its form's next pages.
func (st *reqState) setInvitation(tokenID int64) { st.set(keyInvitation, itoa(tokenID)) }

func (st *reqState) clearInvitation() { st.del(keyInvitation) }
