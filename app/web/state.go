package web

import (
	"errors"
	"net/http"
	"time"

	"github.com/gorilla/sessions"
	"github.com/labstack/echo/v4"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/session"
	"accountportal/models"
)

// maxReturnTo bounds the address kept for after sign-in, so a long URL
// cannot push the visitor's cookie past what browsers keep.
const maxReturnTo = 512

const stateKey = "portal.state"

// reqState is the request's session and signed-in principal. Changes to the
// session mark it dirty; it is saved once, just before the response's
// headers are written.
type reqState struct {
	store     *session.Store
	sess      *sessions.Session
	dirty     bool
	principal *identity.Principal
}

func state(c echo.Context) *reqState {
	st, _ := c.Get(stateKey).(*reqState)
	if st == nil {
		// Routes outside the session group never call this; a nil here is
		// a wiring mistake that tests catch.
		panic("web: no session state on " + c.Path())
	}
	return st
}

// end deletes the session row and its cookie when the response is written.
func (st *reqState) end() {
	st.sess.Options.MaxAge = -1
	st.principal = nil
	st.dirty = true
}

// csrfToken returns the session's CSRF token, creating its seed when
// missing.
func (st *reqState) csrfToken() string {
	t, created := st.store.CSRFToken(st.sess)
	if created {
		st.dirty = true
	}
	return t
}

// loadSession attaches the session and, when signed in, the principal. A
// session that was revoked, or whose user or account was suspended, ends
// here.
func (s *Server) loadSession() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			sess, user, err := s.deps.Sessions.Open(r, s.cookieName())
			if err != nil {
				return err
			}
			st := &reqState{store: s.deps.Sessions, sess: sess}
			c.Set(stateKey, st)
			c.Response().Before(func() { s.saveSession(c, st) })
			if reason, ok := sess.Values[session.KeyRevoked].(string); ok {
				delete(sess.Values, session.KeyRevoked)
				return s.sessionRevoked(c, st, reason)
			}
			uid, ok := sess.Values[session.KeyUserID].(int64)
			if !ok {
				return next(c)
			}
			p, err := s.principal(r, uid, user)
			if errors.Is(err, models.ErrNotFound) {
				st.end()
				return c.Redirect(http.StatusSeeOther, "/login")
			}
			if err != nil {
				return err
			}
			// A suspended user, or any user of a suspended or closed
			// account, is told so once and signed out; the account came
			// with the principal, so this costs no query.
			if !p.Account.Usable() {
				st.end()
				return s.renderSuspended(c, true, true)
			}
			if p.User.Status != models.StatusActive {
				st.end()
				return s.sessionRevoked(c, st, models.RevokedSuspended)
			}
			st.principal = p
			if err := s.renewIfPrivilegesChanged(c, st); err != nil {
				return err
			}
			return next(c)
		}
	}
}

// principal is the signed-in user's: the one read with the session's row
// when there is one, so a request starts with one round trip, else read now.
func (s *Server) principal(r *http.Request, uid int64, user *models.PrincipalUser) (*identity.Principal, error) {
	if user != nil && user.ID == uid {
		return identity.PrincipalFromRow(user), nil
	}
	return s.deps.SignIn.LoadPrincipal(r.Context(), uid)
}

func (s *Server) sessionRevoked(c echo.Context, st *reqState, reason string) error {
	if reason == models.RevokedSuspended {
		return s.renderSuspended(c, true, false)
	}
	st.setFlash("info", revokedMessage(reason))
	return c.Redirect(http.StatusSeeOther, "/login")
}

// revokedMessage tells a user why their session ended, by the reason the
// revocation recorded.
// The message is kept as a catalog id (flashID), for the sign-in page it
// shows on to say in its reader's language.
func revokedMessage(reason string) string {
	switch reason {
	case models.RevokedSessionLimit:
		return flashID("session_ended.limit")
	case "mfa_reset":
		return flashID("session_ended.mfa_reset")
	case "signed_out_by_admin":
		return flashID("session_ended.by_admin")
	case "signed_out_elsewhere":
		return flashID("session_ended.elsewhere")
	case "password_reset", "password_changed":
		return flashID("session_ended.password")
	}
	return flashID("session_ended.generic")
}

func (s *Server) saveSession(c echo.Context, st *reqState) {
	if !st.dirty {
		return
	}
	st.dirty = false
	err := st.sess.Save(c.Request(), c.Response())
	// An unreachable database is logged once by the Store, not per request.
	if err != nil && !errors.Is(err, session.ErrGone) && !models.Unreachable(err) {
		s.log.ErrorContext(c.Request().Context(), "session save failed", "err", err, "request_id", reqID(c))
	}
}

func (s *Server) cookieName() string {
	if s.deps.Config.Production() {
		return "__Host-portal"
	}
	return "portal"
}

// errCSRF is returned when a form's token does not match its session's.
var errCSRF = echo.NewHTTPError(http.StatusForbidden, "csrf token missing or wrong")

// checkCSRF requires every state-changing request to carry the session's
// token, in the form field csrf_token or the X-CSRF-Token header.
func checkCSRF() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !isUnsafe(c.Request().Method) {
				return next(c)
			}
			got := c.Request().Header.Get("X-CSRF-Token")
			if got == "" {
				got = c.Request().PostFormValue("csrf_token")
			}
			st := state(c)
			if !st.store.ValidCSRF(st.sess, got) {
				return errCSRF
			}
			return next(c)
		}
	}
}

// requireUser sends visitors who are not signed in to the sign-in page,
// remembering where they were going.
func requireUser() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			st := state(c)
			if st.principal != nil {
				return next(c)
			}
			uri := c.Request().RequestURI
			if c.Request().Method == http.MethodGet && isLocalPath(uri) && len(uri) <= maxReturnTo {
				st.setReturnTo(uri)
			}
			return c.Redirect(http.StatusSeeOther, "/login")
		}
	}
}

// origin describes where the request came from, for audit entries.
func origin(c echo.Context) audit.Origin {
	return audit.Origin{IP: c.RealIP(), UserAgent: c.Request().UserAgent()}
}

// renewSession moves the session to a new ID and a new CSRF token, as at
// sign-in and after a password change.
func renewSession(c echo.Context, st *reqState) error {
	if err := st.store.Renew(c.Request().Context(), st.sess); err != nil {
		return err
	}
	st.dirty = true
	return nil
}

// renewIfPrivilegesChanged gives the session a new ID when the user's
// privileges changed after it was issued: a session ID never carries over
// a change of privilege.
func (s *Server) renewIfPrivilegesChanged(c echo.Context, st *reqState) error {
	changed := st.principal.User.PrivilegesChangedAt
	issued, ok := st.sess.Values[session.KeyCreatedAt].(time.Time)
	if changed == nil || !ok || !issued.Before(*changed) {
		return nil
	}
	return renewSession(c, st)
}

// errForbidden is the answer to a signed-in user outside their privileges.
var errForbidden = apperr.New(apperr.Forbidden, "Your account does not have permission for this page or action.")

// allow lets a signed-in request through only when its principal passes
// check; others get 403. Services check again, object by object.
func allow(check func(p *identity.Principal) bool) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			if !check(state(c).principal) {
				return errForbidden
			}
			return next(c)
		}
	}
}

// holds is the check for one permission.
func holds(perm string) func(p *identity.Principal) bool {
	return func(p *identity.Principal) bool { return p.Can(perm) }
}

// primaryOrRoleManager may see the privileges page: the Primary Admin, and
// read-only the holders of "View and create roles".
func primaryOrRoleManager(p *identity.Principal) bool {
	return p.User.IsPrimaryAdmin || p.Can(identity.PermRolesManage)
}

func primaryOnly(p *identity.Principal) bool { return p.User.IsPrimaryAdmin }
