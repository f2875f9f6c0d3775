package web

import (
	"mime"
	"net/http"
	"net/url"
	"slices"

	"github.com/labstack/echo/v4"

	"accountportal/app/apperr"
	"accountportal/app/textinput"
)

// Text from the request meets the one rule of package textinput wherever
// it enters: form bodies (refused, 422), query parameters (ignored) and
// the User-Agent header that sessions and audit entries keep (cleaned).
// Path parameters are ids, parsed as integers, and link tokens, hashed
// before they are looked up, so none of them reaches the database as text.

// bindForm reads the request body (never the query string) into a form
// struct. Repeated or array-style parameters bind their first value.
//
// Every value must pass textinput.Check, or textinput.CheckText for the
// fields named in textAreas (which take several lines). When one does not, the form is
// still bound, with each refused value shown with U+FFFD in place of its
// bad characters, and the error is an apperr.Invalid whose Fields say
// what is wrong with which field: handlers that re-render their form on
// field errors show it again with the message beside the field; others
// let the error page say it (422).
func bindForm(c echo.Context, dst any, textAreas ...string) error {
	r := c.Request()
	if r.ContentLength != 0 && !isFormBody(r) {
		return echo.ErrUnsupportedMediaType
	}
	if err := r.ParseForm(); err != nil {
		return echo.ErrBadRequest
	}
	problems := cleanValues(r.PostForm, textAreas)
	// The binder reads r.Form, which ParseForm filled with the body and
	// the query string together: leave it the body only.
	r.Form = r.PostForm
	if err := (&echo.DefaultBinder{}).BindBody(c, dst); err != nil {
		return echo.ErrBadRequest
	}
	if len(problems) > 0 {
		return &apperr.Error{Code: apperr.Invalid, Fields: problems, Message: "Some of what you typed holds characters " +
			"that cannot be used: control characters such as tabs and line breaks, text that could not be read, or " +
			"invisible characters that change the direction of text. Go back, correct it and send the form again."}
	}
	return nil
}

// isFormBody reports whether the body is an HTML form: the only kind the
// portal's pages send.
func isFormBody(r *http.Request) bool {
	mediaType, _, err := mime.ParseMediaType(r.Header.Get(echo.HeaderContentType))
	return err == nil && mediaType == echo.MIMEApplicationForm
}

// cleanValues checks every value (and name) of a form against the text
// rule, the multi-line one for textAreas. It replaces each refused value
// with its sanitized form, drops refused names, and returns what was
// wrong, by field name.
func cleanValues(values url.Values, textAreas []string) map[string]string {
	problems := map[string]string{}
	for name, vs := range values {
		if msg := textinput.Check(name); msg != "" {
			delete(values, name)
			problems[textinput.Sanitize(name)] = msg
			continue
		}
		check := textinput.Check
		if slices.Contains(textAreas, name) {
			check = textinput.CheckText
		}
		for i, v := range vs {
			if msg := check(v); msg != "" {
				vs[i] = textinput.Sanitize(v)
				problems[name] = msg
			}
		}
	}
	return problems
}

// cleanRequest prepares the request's text before any handler reads it:
// query parameters whose name or value breaks the text rule are dropped,
// so a search for a NUL or a filter of unreadable bytes is ignored rather
// than sent to the database or shown; the User-Agent header is sanitized,
// since it is kept with sessions and audit entries and a client may send
// any bytes in it.
func cleanRequest() echo.MiddlewareFunc {
	return func(next echo.HandlerFunc) echo.HandlerFunc {
		return func(c echo.Context) error {
			r := c.Request()
			if r.URL.RawQuery != "" {
				q := r.URL.Query()
				if dropRefused(q) {
					r.URL.RawQuery = q.Encode()
				}
			}
			if ua := r.UserAgent(); textinput.Check(ua) != "" {
				r.Header.Set("User-Agent", textinput.Sanitize(ua))
			}
			return next(c)
		}
	}
}

// dropRefused deletes the parameters whose name or any value breaks the
// text rule and reports whether it deleted any.
func dropRefused(values url.Values) bool {
	dropped := false
	for name, vs := range values {
		bad := textinput.Check(name) != ""
		for _, v := range vs {
			bad = bad || textinput.Check(v) != ""
		}
		if bad {
			delete(values, name)
			dropped = true
		}
	}
	return dropped
}

// fieldErrors returns the per-field messages of err when it is an
// apperr.Invalid error that has them (bindForm's refusal of a value, a
// service's validation), so a handler can show its form again with them.
func fieldErrors(err error) (map[string]string, bool) {
	ae, ok := apperr.As(err)
	if !ok || ae.Code != apperr.Invalid || len(ae.Fields) == 0 {
		return nil, false
	}
	return ae.Fields, true
}
