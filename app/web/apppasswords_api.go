package web

import (
	"errors"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/app/textinput"
)

// The integration sign-in: HTTP Basic with a username and an app password,
// answered in JSON, errors as RFC 9457 problem details.
const (
	integrationMePath  = "/api/v1/me"
	integrationCRMPath = "/api/v1/crm/sign-in"
	// integrationChallenge is the WWW-Authenticate header of every 401
	// (RFC 7617, with the charset the credentials are read in).
	integrationChallenge = `Basic realm="Account Portal integrations", charset="UTF-8"`
	// maxAuthorization bounds the Authorization header read: a username
	// and an app password fit in far less.
	maxAuthorization = 1024
)

type integrationHandlers struct {
	signIn *identity.SignIn
	log    *slog.Logger
	now    func() time.Time
}

// integrationUser is the JSON of the signed-in user.
type integrationUser struct {
	ID          int64              `json:"id"`
	Username    string             `json:"username"`
	DisplayName string             `json:"display_name"`
	Email       string             `json:"email"`
	Account     integrationAccount `json:"account"`
}

type integrationAccount struct {
	Number string `json:"number"`
	Name   string `json:"name"`
}

// crmSignIn is the CRM plug-in's answer: the user, and what it is for.
type crmSignIn struct {
	User    integrationUser `json:"user"`
	Purpose string          `json:"purpose"`
}

// principalKey is where authenticate leaves the integration's user.
const principalKey = "integration.principal"

// parseBasic reads the request's HTTP Basic credentials (RFC 7617) with
// net/http's own parser, and adds what it does not check. It returns a
// problem for anything else: a missing header (401), and a malformed,
// overlong, or non-UTF-8 one, or one holding control characters (400).
func parseBasic(r *http.Request) (username, password string, bad *problem) {
	header := r.Header.Get("Authorization")
	if header == "" {
		return "", "", &problem{Status: http.StatusUnauthorized, Title: "Sign-in required",
			Detail: "Send your username and app password with HTTP Basic authentication."}
	}
	malformed := func(detail string) (string, string, *problem) {
		return "", "", &problem{Status: http.StatusBadRequest, Title: "Malformed Authorization header", Detail: detail}
	}
	if len(header) > maxAuthorization {
		return malformed("The Authorization header is too long.")
	}
	username, password, ok := r.BasicAuth()
	switch {
	case !ok && !strings.EqualFold(strings.SplitN(header, " ", 2)[0], "Basic"):
		return malformed("Use HTTP Basic authentication: Authorization: Basic base64(username:app-password).")
	case !ok:
		return malformed("The Basic credentials must be base64 of username:app-password.")
	case !utf8.ValidString(username) || !utf8.ValidString(password):
		return malformed("The username and app password must be UTF-8.")
	case strings.TrimSpace(username) == "" || password == "":
		return malformed("Both a username and an app password are needed.")
	case textinput.Check(username) != "" || textinput.Check(password) != "":
		return malformed("The username or app password holds characters that cannot be part of one.")
	}
	return username, password, nil
}

// problems answers the errors of the middleware after it (overload, a
// browser's cross-site request) as problem details, not HTML pages.
func (h integrationHandlers) problems(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		err := next(c)
		switch {
		case err == nil || c.Response().Committed:
			return err
		case errors.Is(err, errCrossOrigin):
			return h.problem(c, problem{Status: http.StatusForbidden, Title: "Cross-origin request refused",
				Detail: "Integrations call this from outside a browser."})
		case apperr.Is(err, apperr.Unavailable):
			c.Response().Header().Set("Retry-After", retryBusy)
			return h.problem(c, problem{Status: http.StatusServiceUnavailable, Title: "Service busy", Detail: "Try again in a few seconds."})
		}
		return h.refuse(c, err)
	}
}

// authenticate signs the integration in from its Basic credentials, or
// answers with a problem.
func (h integrationHandlers) authenticate(next echo.HandlerFunc) echo.HandlerFunc {
	return func(c echo.Context) error {
		username, password, bad := parseBasic(c.Request())
		if bad != nil {
			return h.problem(c, *bad)
		}
		p, err := h.signIn.AppPasswordSignIn(c.Request().Context(), username, password, origin(c))
		if err != nil {
			return h.refuse(c, err)
		}
		c.Set(principalKey, p)
		return next(c)
	}
}

// refuse answers a failed sign-in.
func (h integrationHandlers) refuse(c echo.Context, err error) error {
	unauthorized := func(detail string) error {
		return h.problem(c, problem{Status: http.StatusUnauthorized, Title: "Sign-in refused", Detail: detail})
	}
	switch {
	case errors.Is(err, identity.ErrAppPasswordIncorrect):
		return unauthorized("Incorrect username or app password. Integrations sign in with an app password from My Profile, not your password.")
	case errors.Is(err, identity.ErrAppPasswordUserSuspended):
		return unauthorized("This user or their account is suspended.")
	case errors.Is(err, identity.ErrAppPasswordsTurnedOff):
		return unauthorized("Your account's administrators have turned app passwords off.")
	case apperr.Is(err, apperr.TooMany):
		ae, _ := apperr.As(err)
		wait := 60
		if !ae.RetryAt.IsZero() {
			wait = max(int(ae.RetryAt.Sub(h.now()).Seconds())+1, 1)
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
		return h.problem(c, problem{Status: http.StatusTooManyRequests, Title: "Too many attempts",
			Detail: "Too many failed sign-ins for this username or from this address. Try again later."})
	case errors.Is(err, security.ErrBusy):
		c.Response().Header().Set("Retry-After", retryBusy)
		return h.problem(c, problem{Status: http.StatusServiceUnavailable, Title: "Service busy", Detail: "Try again in a few seconds."})
	}
	h.log.ErrorContext(c.Request().Context(), "integration sign-in failed", "err", err, "request_id", reqID(c))
	return h.problem(c, problem{Status: http.StatusInternalServerError, Title: "Something went wrong",
		Detail: "Reference " + reqID(c), RequestID: reqID(c)})
}

// problem writes p as the API's problem details (see writeProblem); a 401
// carries the Basic challenge.
func (h integrationHandlers) problem(c echo.Context, p problem) error {
	if p.Status == http.StatusUnauthorized {
		c.Response().Header().Set(echo.HeaderWWWAuthenticate, integrationChallenge)
	}
	return writeProblem(c, p)
}

// userOf is the JSON of the signed-in integration's user.
func userOf(c echo.Context) integrationUser {
	p := c.Get(principalKey).(*identity.Principal)
	return integrationUser{ID: p.User.ID, Username: p.User.Username, DisplayName: p.User.DisplayName, Email: p.User.Email,
		Account: integrationAccount{Number: p.Account.Number, Name: p.Account.Name}}
}

// me answers who the app password belongs to.
func (h integrationHandlers) me(c echo.Context) error {
	return c.JSON(http.StatusOK, userOf(c))
}

// crmSignIn is the CRM plug-ins' sign-in: the same check, and what the
// answer means for them.
func (h integrationHandlers) crmSignIn(c echo.Context) error {
	return c.JSON(http.StatusOK, crmSignIn{User: userOf(c),
		Purpose: "Signed in for a CRM integration (click-to-dial and screen pop) with an app password. " +
			"It works only for integrations; it cannot sign in to the portal."})
}
