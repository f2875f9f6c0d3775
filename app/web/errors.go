package web

import (
	"context"
	"errors"
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/i18n"
	errpages "accountportal/views/pages/errors"
	"accountportal/views/pages/login"
	"accountportal/views/viewmodel"
)

// handleError is the one place errors become pages. 4xx pages say what
// happened and what to do; 5xx pages say only that something went wrong,
// with the request ID, and the cause goes to the log. Overload and outage
// (no hashing slot, no turn to work, an unreachable database) are no fault
// of the request: they answer 503 with Retry-After and log nothing per
// request (the Store logs a database outage once).
func (s *Server) handleError(err error, c echo.Context) {
	if c.Response().Committed {
		s.log.WarnContext(c.Request().Context(), "error after response started", "err", err, "request_id", reqID(c))
		return
	}
	if ctx := c.Request().Context(); ctx.Err() != nil {
		if !errors.Is(err, errBodyIncomplete) {
			// The client went away: nobody reads an answer, and nothing
			// failed here. The access log records nginx's "client closed
			// request".
			c.Response().WriteHeader(statusClientClosed)
			return
		}
		// The body timed out: the connection still takes the 408 page.
		c.SetRequest(c.Request().WithContext(context.WithoutCancel(ctx)))
	}
	if isAPI(c) {
		s.apiError(err, c)
		return
	}
	if isSCIM(c) {
		s.scimError(err, c)
		return
	}
	// The error pages are not translated yet: said wholly in English, as
	// <html lang> then says.
	c.SetRequest(c.Request().WithContext(i18n.WithLanguage(c.Request().Context(), i18n.Default)))
	if errors.Is(err, identity.ErrReauthRequired) {
		// Every page that needs a fresh password sends the user to confirm
		// it and back to the page itself (a form posts to its page's path).
		if rerr := toConfirm(c, c.Request().URL.Path); rerr != nil {
			s.log.ErrorContext(c.Request().Context(), "redirect failed", "err", rerr, "request_id", reqID(c))
		}
		return
	}
	m := s.describe(err, c)
	switch {
	case m.Status == http.StatusInternalServerError:
		s.log.ErrorContext(c.Request().Context(), "request failed", "err", err,
			"route", c.Path(), "request_id", reqID(c))
	case errors.Is(err, context.DeadlineExceeded) && !models.Unreachable(err):
		s.log.WarnContext(c.Request().Context(), "request timed out", "err", err,
			"route", c.Path(), "request_id", reqID(c))
	}
	if c.Request().Method == http.MethodHead {
		_ = c.NoContent(m.Status)
		return
	}
	if rerr := render(c, m.Status, errpages.Page(s.page(c, m.Heading), m)); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "error page failed", "err", rerr, "request_id", reqID(c))
		_ = c.String(http.StatusInternalServerError, "Something went wrong. Reference "+reqID(c))
	}
}

// Retry-After values, in seconds, of the 503 answers.
const (
	retryBusy         = "2"
	retryDatabaseDown = "5"
)

func (s *Server) describe(err error, c echo.Context) viewmodel.ErrorPage {
	home := viewmodel.Link{Href: "/", Title: "Go to the home page"}
	if ae, ok := apperr.As(err); ok {
		return s.describeApp(ae, c, home)
	}
	var he *echo.HTTPError
	switch {
	case errors.Is(err, errCSRF):
		return viewmodel.ErrorPage{Status: http.StatusForbidden, Heading: "This form has expired",
			Message: "The page was open too long or was not sent from this site. Go back, reload the page and try again.",
			Back:    viewmodel.Link{Href: "/login", Title: "Start again"}}
	case errors.Is(err, errCrossOrigin):
		return viewmodel.ErrorPage{Status: http.StatusForbidden, Heading: "Request refused",
			Message: "Forms can only be sent from this site's own pages.", Back: home}
	case errors.As(err, &he) && he.Code < 500:
		return describeStatus(he.Code, home)
	case models.Unreachable(err):
		c.Response().Header().Set("Retry-After", retryDatabaseDown)
		return viewmodel.ErrorPage{Status: http.StatusServiceUnavailable, Heading: "The service is unavailable",
			Message: "The portal is briefly unavailable. Try again in a moment.", RequestID: reqID(c), Back: home}
	case errors.Is(err, security.ErrBusy):
		c.Response().Header().Set("Retry-After", retryBusy)
		return viewmodel.ErrorPage{Status: http.StatusServiceUnavailable, Heading: "The service is busy",
			Message:   "Too many people are signing in or changing passwords right now. Try again in a few seconds.",
			RequestID: reqID(c), Back: home}
	case errors.Is(err, context.DeadlineExceeded):
		c.Response().Header().Set("Retry-After", retryBusy)
		return viewmodel.ErrorPage{Status: http.StatusServiceUnavailable, Heading: "The service is busy",
			Message: "That took too long. Try again in a few seconds.", RequestID: reqID(c), Back: home}
	}
	return viewmodel.ErrorPage{Status: http.StatusInternalServerError, Heading: "Something went wrong",
		Message:   "We could not complete your request. It has been logged; please try again.",
		RequestID: reqID(c), Back: home}
}

func (s *Server) describeApp(ae *apperr.Error, c echo.Context, home viewmodel.Link) viewmodel.ErrorPage {
	m := describeStatus(statusOf(ae.Code), home)
	m.Message = ae.Message
	switch ae.Code {
	case apperr.TooMany:
		m.Heading = "Too many attempts"
		wait := 60
		if !ae.RetryAt.IsZero() {
			left := ae.RetryAt.Sub(s.now())
			wait = max(int(left.Seconds())+1, 1)
			m.RetryAt = ae.RetryAt.UTC().Format("15:04 UTC") + " (in about " + aboutMinutes(left) + ")"
		}
		c.Response().Header().Set("Retry-After", strconv.Itoa(wait))
	case apperr.Unavailable:
		c.Response().Header().Set("Retry-After", retryBusy)
	}
	return m
}

// statusClientClosed is what the access log records for a request whose
// client left before an answer (nginx's 499).
const statusClientClosed = 499

func statusOf(code apperr.Code) int {
	switch code {
	case apperr.Invalid:
		return http.StatusUnprocessableEntity
	case apperr.Forbidden:
		return http.StatusForbidden
	case apperr.NotFound:
		return http.StatusNotFound
	case apperr.Conflict:
		return http.StatusConflict
	case apperr.TooMany:
		return http.StatusTooManyRequests
	case apperr.Unavailable:
		return http.StatusServiceUnavailable
	}
	return http.StatusInternalServerError
}

func describeStatus(status int, home viewmodel.Link) viewmodel.ErrorPage {
	m := viewmodel.ErrorPage{Status: status, Back: home}
	switch status {
	case http.StatusNotFound:
		m.Heading, m.Message = "Page not found", "If you typed the address, check it is correct. If you followed a link, it may be out of date."
	case http.StatusForbidden:
		m.Heading, m.Message = "You cannot do that", "Your account does not have permission for this page or action."
	case http.StatusMethodNotAllowed:
		m.Heading, m.Message = "Page not found", "This address does not accept that kind of request."
	case http.StatusRequestTimeout:
		m.Heading, m.Message = "The form did not arrive in full", "Your browser did not send the whole form in time. Go back and send it again."
	case http.StatusRequestEntityTooLarge:
		m.Heading, m.Message = "Too much data", "The form sent more data than the portal accepts."
	case http.StatusUnprocessableEntity:
		m.Heading, m.Message = "Check your answers", "Some of what was sent could not be accepted."
	case http.StatusTooManyRequests:
		m.Heading, m.Message = "Too many attempts", "Wait a while and try again."
	case http.StatusServiceUnavailable:
		m.Heading, m.Message = "The service is busy", "Try again in a few seconds."
	default:
		m.Heading, m.Message = "Request not accepted", "The request could not be handled."
	}
	return m
}

// renderSuspended shows the Account Suspended page with 403. terminated says
// a live session was just ended because of it; byProvider that the
// provider suspended (or closed) the whole customer account, not an admin
// the user.
func (s pages) renderSuspended(c echo.Context, terminated, byProvider bool) error {
	inPreferred(c)
	return render(c, http.StatusForbidden, login.Suspended(s.page(c, tr(c, "login.suspended.title")),
		viewmodel.SuspendedPage{Terminated: terminated, ByProvider: byProvider}))
}

func aboutMinutes(d time.Duration) string {
	n := max(int((d+time.Minute-1)/time.Minute), 1)
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}
