package web

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/textinput"
	"accountportal/app/throttle"
	"accountportal/app/web/apidoc"
	"accountportal/models"
)

// The JSON API under /api/v1: bearer tokens instead of the session cookie
// (so no CSRF token or same-origin check: a browser never sends the token
// by itself), answers in JSON and errors as RFC 9457 problem details.

const apiPrefix = "/api/v1"

// isAPI reports whether the request is the JSON API's, whose errors are
// problem details rather than pages (an unknown /api/v1 path included).
func isAPI(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == apiPrefix || strings.HasPrefix(p, apiPrefix+"/")
}

// problem is an RFC 9457 problem details object. Errors lists what is wrong
// with each part of the request, for 422.
type problem struct {
	Type      string         `json:"type"`
	Title     string         `json:"title"`
	Status    int            `json:"status"`
	Detail    string         `json:"detail"`
	RequestID string         `json:"request_id,omitempty"`
	Errors    []fieldProblem `json:"errors,omitempty"`
}

type fieldProblem struct {
	Field  string `json:"field"`
	Detail string `json:"detail"`
}

// writeProblem answers with a problem details object.
func writeProblem(c echo.Context, p problem) error {
	if p.Type == "" {
		p.Type = "about:blank"
	}
	if p.Title == "" {
		p.Title = http.StatusText(p.Status)
	}
	raw, err := json.Marshal(p)
	if err != nil {
		return err
	}
	return c.Blob(p.Status, "application/problem+json", raw)
}

// errUnauthorized answers a request without a usable token.
type errUnauthorized struct{ detail string }

func (e *errUnauthorized) Error() string { return e.detail }

// errRateLimited answers a request beyond its token's rate limit (429);
// the /api/v1 and /scim/v2 error writers each give it their own form.
type errRateLimited struct{ detail string }

func (e *errRateLimited) Error() string { return e.detail }

// tokenAnswer is what a token's request is answered when it fails, before
// the JSON API or SCIM gives it its own form.
type tokenAnswer struct {
	status int
	detail string
	// noCredentials says no usable Authorization header was sent.
	noCredentials bool
	// requestID is set for a 5xx (whose cause was logged unless it is the
	// 503 of an overload or an outage, which says so itself).
	requestID string
}

// tokenAnswerOf maps an error to the status and message the pages would
// give it, for a machine: the token's refusals and rate limit first, the
// router's 404 (saying where notFound lists the addresses), 405 and 413,
// and 5xx that are logged and say only the request ID.
func (s *Server) tokenAnswerOf(err error, c echo.Context, notFound string) tokenAnswer {
	var unauth *errUnauthorized
	var refusal *admin.TokenRefusal
	var limited *errRateLimited
	switch {
	case errors.As(err, &limited):
		return tokenAnswer{status: http.StatusTooManyRequests, detail: limited.detail}
	case errors.As(err, &unauth):
		return tokenAnswer{status: http.StatusUnauthorized, detail: unauth.detail, noCredentials: true}
	case errors.As(err, &refusal):
		return tokenAnswer{status: http.StatusUnauthorized, detail: refusal.Detail}
	}
	m := s.describe(err, c)
	a := tokenAnswer{status: m.Status, detail: m.Message}
	var he *echo.HTTPError
	if errors.As(err, &he) && he.Code < 500 {
		a.detail = httpDetail(he.Code, notFound)
	}
	if m.Status >= 500 {
		a.requestID = reqID(c)
	}
	if m.Status >= 500 && m.Status != http.StatusServiceUnavailable {
		a.detail = "Something went wrong. Quote the request ID when you report it."
		s.log.ErrorContext(c.Request().Context(), "request failed", "err", err, "route", c.Path(), "request_id", a.requestID)
	}
	return a
}

// apiError is handleError for the API: the same statuses and messages as
// the pages, as problem details.
func (s *Server) apiError(err error, c echo.Context) {
	a := s.tokenAnswerOf(err, c, "There is nothing at this address. See /api/v1/openapi.json for the API's paths.")
	p := problem{Status: a.status, Detail: a.detail, RequestID: a.requestID}
	if ae, ok := apperr.As(err); ok && ae.Code == apperr.Invalid {
		p.Errors = fieldProblems(ae)
	}
	// RFC 6750: a request without credentials gets the bare challenge; one
	// with a token that does not work is told it is invalid.
	switch {
	case a.noCredentials:
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="api"`)
	case p.Status == http.StatusUnauthorized:
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="api", error="invalid_token"`)
	}
	if rerr := writeProblem(c, p); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "problem failed", "err", rerr, "request_id", reqID(c))
	}
}

// fieldProblems lists a validation error's problems by the API's field
// names, in order.
func fieldProblems(ae *apperr.Error) []fieldProblem {
	var out []fieldProblem
	for k, v := range ae.Problems {
		// A subject is the domain's name ("admin.reason"); the API's
		// field is its last part, the JSON member's name.
		field := string(k)
		if i := strings.LastIndexByte(field, '.'); i >= 0 {
			field = field[i+1:]
		}
		out = append(out, fieldProblem{Field: field, Detail: v})
	}
	for k, v := range ae.Fields {
		out = append(out, fieldProblem{Field: k, Detail: v})
	}
	slices.SortFunc(out, func(a, b fieldProblem) int { return strings.Compare(a.Field, b.Field) })
	return out
}

// httpDetail is the detail of a refusal the router or a limit answers
// before any handler (404, 405, 413), for the JSON API and SCIM alike;
// notFound says where that surface's addresses are listed.
func httpDetail(status int, notFound string) string {
	switch status {
	case http.StatusNotFound:
		return notFound
	case http.StatusMethodNotAllowed:
		return "This address does not take that method."
	case http.StatusRequestEntityTooLarge:
		return "The request body is larger than the service accepts (" + maxBodyBytes + "B)."
	}
	return http.StatusText(status) + "."
}

// apiState is what the API's middleware found about a request.
type apiState struct {
	actor *admin.TokenActor
}

const apiStateKey = "api_token"

func apiActor(c echo.Context) *admin.TokenActor {
	st, _ := c.Get(apiStateKey).(*apiState)
	if st == nil {
		return nil
	}
	return st.actor
}

// apiOrigin is the request's origin for audit entries, naming the token.
func apiOrigin(c echo.Context) audit.Origin {
	o := origin(c)
	if a := apiActor(c); a != nil {
		o.APIToken = a.Token.Name
	}
	return o
}

// bearer authenticates the request's token: every request reads the
// token's row, so a revocation holds on every replica at once.
func (s *Server) bearer() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			h := c.Request().Header.Values(echo.HeaderAuthorization)
			if len(h) != 1 {
				return &errUnauthorized{"Send the API token as Authorization: Bearer ap_…"}
			}
			scheme, secret, ok := strings.Cut(h[0], " ")
			if !ok || !strings.EqualFold(scheme, "Bearer") || secret == "" {
				return &errUnauthorized{"Send the API token as Authorization: Bearer ap_…"}
			}
			a, err := s.deps.APITokens.Authenticate(c.Request().Context(), strings.TrimSpace(secret), c.RealIP())
			if err != nil {
				return err
			}
			c.Set(apiStateKey, &apiState{actor: a})
			return next(c)
		}
	}
}

// rateLimit counts the request against its token's limit, in the database
// (so the limit holds across replicas, and under parallel requests: the
// count is taken before the request is served), and says how much is left
// in RateLimit-* headers.
func (s *Server) rateLimit() echo.MiddlewareFunc {
	limit := s.deps.Config.APIRateLimit
	lim := models.ThrottleLimit{Window: time.Minute, Max: limit, Lock: time.Minute}
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a := apiActor(c)
			key := "api:token:" + strconv.FormatInt(a.Token.ID, 10)
			h := c.Response().Header()
			h.Set("RateLimit-Limit", strconv.Itoa(limit))
			h.Set("RateLimit-Policy", strconv.Itoa(limit)+";w=60")
			at, err := s.deps.Throttle.Count(c.Request().Context(), throttle.Key{Name: key, Limit: lim})
			if ae, ok := apperr.As(err); ok && ae.Code == apperr.TooMany {
				wait := max(int(ae.RetryAt.Sub(s.now()).Seconds())+1, 1)
				h.Set("RateLimit-Remaining", "0")
				h.Set("RateLimit-Reset", strconv.Itoa(wait))
				h.Set("Retry-After", strconv.Itoa(wait))
				return &errRateLimited{detail: "This token made more than " + strconv.Itoa(limit) +
					" requests in a minute. Try again in " + strconv.Itoa(wait) + " seconds."}
			}
			if err != nil {
				return err
			}
			r := at.Result(key)
			h.Set("RateLimit-Remaining", strconv.Itoa(max(limit-r.Count, 0)))
			reset := int(r.WindowStart.Add(lim.Window).Sub(s.now()).Seconds())
			h.Set("RateLimit-Reset", strconv.Itoa(min(max(reset, 1), 60)))
			return next(c)
		}
	}
}

// requires refuses a token that does not act with perm: 403, saying
// whether the token lacks it or holds it paused.
func requires(perm string) echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			a := apiActor(c)
			switch {
			case a.Principal == nil:
				return apperr.New(apperr.Forbidden, a.PausedWhy)
			case a.Holds(perm):
				return next(c)
			case a.HoldsOnToken(perm):
				return apperr.New(apperr.Forbidden, "The token's permission “"+admin.TokenPermissionLabel(perm)+
					"” is paused: its owner no longer holds it. The Primary Admin can adopt the token.")
			}
			return apperr.New(apperr.Forbidden, "The token does not have the permission “"+admin.TokenPermissionLabel(perm)+"”.")
		}
	}
}

// apiQuery refuses query parameters that are not valid text (invalid
// UTF-8, NUL and other control characters) with 422, where the pages
// drop them.
func apiQuery() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			// Go drops the pairs of a query string it cannot parse (a bad
			// %-escape, a ";"), and a list would then answer unfiltered.
			if _, err := url.ParseQuery(c.Request().URL.RawQuery); err != nil {
				return apperr.Fields(map[string]string{"query": "The query string is malformed (a bad %-escape or a “;”); encode each parameter as name=value joined with &."})
			}
			for name, vs := range c.QueryParams() {
				for _, v := range append([]string{name}, vs...) {
					if msg := textinput.Check(v); msg != "" {
						field := textinput.Sanitize(name)
						if isAPI(c) {
							// SCIM's detail names the field itself; the
							// API's says it too, beside errors[].field.
							msg = field + ": " + msg
						}
						return apperr.Fields(map[string]string{field: msg})
					}
				}
			}
			return next(c)
		}
	}
}

// idempotent honours an Idempotency-Key on POST: the first request with a
// key is answered and its answer kept (per token, a day); a retry with the
// same key and body gets that answer again without acting; the same key
// with another body is 422, and while the first is still being answered a
// retry is 409.
func (s *Server) idempotent() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			keys := c.Request().Header.Values("Idempotency-Key")
			if len(keys) == 0 {
				return next(c)
			}
			key := keys[0]
			if len(keys) > 1 || key == "" || len(key) > 255 || textinput.Check(key) != "" {
				return apperr.Fields(map[string]string{"Idempotency-Key": "Send a key of at most 255 printable characters."})
			}
			body, err := io.ReadAll(c.Request().Body)
			if err != nil {
				return err
			}
			c.Request().Body = io.NopCloser(bytes.NewReader(body))
			sum := sha256.Sum256(append([]byte(c.Request().Method+" "+c.Request().URL.RequestURI()+"\n"), body...))
			a := apiActor(c)
			// The key's row is finished or forgotten even when the client
			// goes away or the handler panics, so a retry is never stuck.
			ctx := context.WithoutCancel(c.Request().Context())
			old, err := s.deps.APITokens.ClaimIdempotency(ctx, a.Token.ID, key, sum[:])
			if err != nil {
				return err
			}
			settled := old != nil
			defer func() {
				if !settled {
					_ = s.deps.APITokens.ForgetIdempotency(ctx, a.Token.ID, key)
				}
			}()
			switch {
			case old != nil && !bytes.Equal(old.RequestHash, sum[:]):
				return apperr.Fields(map[string]string{"Idempotency-Key": "This key was used with another request; use a new key."})
			case old != nil && old.Status == 0:
				return apperr.New(apperr.Conflict, "A request with this Idempotency-Key is still being answered.")
			case old != nil:
				c.Response().Header().Set("Idempotent-Replayed", "true")
				if old.Location != "" {
					c.Response().Header().Set(echo.HeaderLocation, old.Location)
				}
				if old.Body == "" {
					return c.NoContent(old.Status)
				}
				ct := echo.MIMEApplicationJSON
				if old.Status >= 400 {
					ct = "application/problem+json"
				}
				return c.Blob(old.Status, ct, []byte(old.Body))
			}
			rec := &recorder{ResponseWriter: c.Response().Writer}
			c.Response().Writer = rec
			err = next(c)
			if err != nil {
				// Answer the error now, so its answer can be kept.
				s.apiError(err, c)
			}
			status := c.Response().Status
			if status >= 500 || status == http.StatusTooManyRequests {
				return nil // forgotten by the deferred call: a retry acts
			}
			settled = true
			return s.deps.APITokens.FinishIdempotency(ctx, a.Token.ID, key, status, rec.body.String(),
				c.Response().Header().Get(echo.HeaderLocation))
		}
	}
}

// recorder copies what a handler writes.
type recorder struct {
	http.ResponseWriter
	body bytes.Buffer
}

func (r *recorder) Write(b []byte) (int, error) {
	r.body.Write(b)
	return r.ResponseWriter.Write(b)
}

// pathID reads a positive id from the path, or 404 (as for any id that
// is not the account's).
func pathID(c echo.Context, name string) (int64, error) {
	id, err := strconv.ParseInt(c.Param(name), 10, 64)
	if err != nil || id <= 0 {
		return 0, admin.ErrNoSuchUser
	}
	return id, nil
}

// serveOpenAPI answers the API's OpenAPI description; it needs no token.
func serveOpenAPI(c echo.Context) error {
	return c.Blob(http.StatusOK, echo.MIMEApplicationJSON, apidoc.OpenAPI)
}
