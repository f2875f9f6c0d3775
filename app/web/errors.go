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
	// The error pages speak the reader's language, even where the
	// request failed before the speak middleware ran (an expired form, an
	// address no route matched).
	if errors.Is(err, echo.ErrNotFound) || errors.Is(err, echo.ErrMethodNotAllowed) {
		s.knowUnroutedReader(c)
	}
	inReadersLanguage(c)
	if errors.Is(err, identity.ErrReauthRequired) {
		// Every page that needs a fresh password sends the user to confirm
		// it and back to the page itself (a form posts to its page's path).
		if rerr := toConfirm(c, c.Request().URL.Path); rerr != nil {
			s.log.ErrorContext(c.Request().Context(), "redirect failed", "err", rerr, "request_id", reqID(c))
		}
		return
	}
	m := s.describe(err, c)
	if ae, ok := apperr.As(err); ok && ae.Message != "" && i18n.Lang(c.Request().Context()) != i18n.Default &&
		localProblem(c, ae.Message) == ae.Message {
		// A service's message the catalogs do not have yet: the page is
		// said wholly in English rather than half in two languages.
		c.SetRequest(c.Request().WithContext(i18n.WithLanguage(c.Request().Context(), i18n.Default)))
		m = s.describe(err, c)
	}
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
	ctx := c.Request().Context()
	home := viewmodel.Link{Href: "/", Title: i18n.T(ctx, "reset.error_page.home")}
	if ae, ok := apperr.As(err); ok {
		return s.describeApp(ae, c, home)
	}
	var he *echo.HTTPError
	switch {
	case errors.Is(err, errCSRF):
		return viewmodel.ErrorPage{Status: http.StatusForbidden, Heading: i18n.T(ctx, "reset.error_page.csrf_heading"),
			Message: i18n.T(ctx, "reset.error_page.csrf_message"),
			Back:    viewmodel.Link{Href: "/login", Title: i18n.T(ctx, "reset.error_page.start_again")}}
	case errors.Is(err, errCrossOrigin):
		return viewmodel.ErrorPage{Status: http.StatusForbidden, Heading: i18n.T(ctx, "reset.error_page.cross_origin_heading"),
			Message: i18n.T(ctx, "reset.error_page.cross_origin_message"), Back: home}
	case errors.As(err, &he) && he.Code < 500:
		return statusPage(ctx, he.Code, home)
	case models.Unreachable(err):
		c.Response().Header().Set("Retry-After", retryDatabaseDown)
		return viewmodel.ErrorPage{Status: http.StatusServiceUnavailable, Heading: i18n.T(ctx, "reset.error_page.unavailable_heading"),
			Message: i18n.T(ctx, "reset.error_page.unavailable_message"), RequestID: reqID(c), Back: home}
	case errors.Is(err, security.ErrBusy):
		c.Response().Header().Set("Retry-After", retryBusy)
		return viewmodel.ErrorPage{Status: http.StatusServiceUnavailable, Heading: i18n.T(ctx, "reset.error_page.busy_heading"),
			Message:   i18n.T(ctx, "reset.error_page.busy_message"),
			RequestID: reqID(c), Back: home}
	case errors.Is(err, context.DeadlineExceeded):
		c.Response().Header().Set("Retry-After", retryBusy)
		return viewmodel.ErrorPage{Status: http.StatusServiceUnavailable, Heading: i18n.T(ctx, "reset.error_page.busy_heading"),
			Message: i18n.T(ctx, "reset.error_page.slow_message"), RequestID: reqID(c), Back: home}
	}
	return viewmodel.ErrorPage{Status: http.StatusInternalServerError, Heading: i18n.T(ctx, "reset.error_page.failed_heading"),
		Message:   i18n.T(ctx, "reset.error_page.failed_message"),
		RequestID: reqID(c), Back: home}
}

func (s *Server) describeApp(ae *apperr.Error, c echo.Context, home viewmodel.Link) viewmodel.ErrorPage {
	ctx := c.Request().Context()
	m := statusPage(ctx, statusOf(ae.Code), home)
	m.Message = localProblem(c, ae.Message)
	switch ae.Code {
	case apperr.TooMany:
		m.Heading = i18n.T(ctx, "reset.error_page.too_many_heading")
		wait := 60
		if !ae.RetryAt.IsZero() {
			left := ae.RetryAt.Sub(s.now())
			wait = max(int(left.Seconds())+1, 1)
			m.RetryAt = i18n.T(ctx, "reset.error_page.retry_when", map[string]any{"Time": ae.RetryAt.UTC().Format("15:04"),
				"Duration": aboutMinutesIn(ctx, left)})
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

// statusPage is the error page of an HTTP status, in ctx's language.
func statusPage(ctx context.Context, status int, home viewmodel.Link) viewmodel.ErrorPage {
	m := viewmodel.ErrorPage{Status: status, Back: home}
	switch status {
	case http.StatusNotFound:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.not_found_heading"), i18n.T(ctx, "reset.error_page.not_found_message")
	case http.StatusForbidden:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.forbidden_heading"), i18n.T(ctx, "reset.error_page.forbidden_message")
	case http.StatusMethodNotAllowed:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.method_heading"), i18n.T(ctx, "reset.error_page.method_message")
	case http.StatusRequestTimeout:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.timeout_heading"), i18n.T(ctx, "reset.error_page.timeout_message")
	case http.StatusRequestEntityTooLarge:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.too_large_heading"), i18n.T(ctx, "reset.error_page.too_large_message")
	case http.StatusUnprocessableEntity:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.invalid_heading"), i18n.T(ctx, "reset.error_page.invalid_message")
	case http.StatusTooManyRequests:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.too_many_heading"), i18n.T(ctx, "reset.error_page.too_many_message")
	case http.StatusServiceUnavailable:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.busy_heading"), i18n.T(ctx, "reset.error_page.busy_short")
	default:
		m.Heading, m.Message = i18n.T(ctx, "reset.error_page.other_heading"), i18n.T(ctx, "reset.error_page.other_message")
	}
	return m
}

// renderSuspended shows the Account Suspended page with 403. terminated says
// a live session was just ended because of it; byProvider that the
// provider suspended (or closed) the whole customer account, not an admin
// the user.
func (s pages) renderSuspended(c echo.Context, terminated, byProvider bool) error {
	inReadersLanguage(c)
	return render(c, http.StatusForbidden, login.Suspended(s.page(c, tr(c, "login.suspended.title")),
		viewmodel.SuspendedPage{Terminated: terminated, ByProvider: byProvider}))
}

// aboutMinutesIn is d in whole minutes, rounded up, in ctx's language.
func aboutMinutesIn(ctx context.Context, d time.Duration) string {
	return i18n.N(ctx, "duration.minutes", max(int((d+time.Minute-1)/time.Minute), 1))
}

func aboutMinutes(d time.Duration) string {
	n := max(int((d+time.Minute-1)/time.Minute), 1)
	if n == 1 {
		return "1 minute"
	}
	return strconv.Itoa(n) + " minutes"
}

// knowUnroutedReader finds the signed-in reader of a request that no
// route matched, so its 404 or 405 page speaks their saved language as
// every other page does: such a request never ran the session
// middleware. A failed lookup (the database is away, say) leaves the page
// to the browser's languages, and is not worth a log line per request.
func (s *Server) knowUnroutedReader(c echo.Context) {
	if c.Get(stateKey) != nil {
		return
	}
	user, err := s.deps.Sessions.Reader(c.Request(), s.cookieName())
	if err != nil {
		s.log.DebugContext(c.Request().Context(), "reader of an error page unknown", "err", err, "request_id", reqID(c))
	}
	if user != nil {
		c.Set(unroutedReaderKey, user)
		speakFor(c, user.Language, user.Account.Language)
	}
}
