// Package apperr defines the errors services return to say what went wrong
// in terms a page can show: a code the web layer maps to a status, a message
// safe to show, and per-subject messages for forms.
package apperr

import (
	"errors"
	"time"
)

// Code classifies an application error.
type Code string

// The codes, each shown with its own HTTP status.
const (
	Invalid     Code = "invalid"     // 422: the form needs correcting
	Forbidden   Code = "forbidden"   // 403: not allowed for this person
	NotFound    Code = "not_found"   // 404: no such thing, or not theirs
	Conflict    Code = "conflict"    // 409 or 422: clashes with existing data
	TooMany     Code = "too_many"    // 429: throttled; RetryAt says until when
	Unavailable Code = "unavailable" // 503: busy; try again shortly
)

// Subject says what a problem is about in a service's own terms (a new
// password, its confirmation, the answer to a question), never a form
// field's name: the web layer maps each form's subjects onto the fields
// that show them, so domain packages do not know the markup.
type Subject string

// Error is an application error. Message, Problems and Fields are shown to
// users, so they never carry internal details.
type Error struct {
	Code    Code
	Message string
	// Problems maps what a service found wrong to its message.
	Problems map[Subject]string
	// Fields maps a form field's name to what is wrong with it. Only the
	// web layer, which owns the field names, should set it (for values it
	// refused while reading a form); the audit log's filter still does
	// until its parsing moves to web.
	Fields map[string]string
	// RetryAt is when a throttled action may be tried again.
	RetryAt time.Time
}

func (e *Error) Error() string { return string(e.Code) + ": " + e.Message }

// New returns an error with code and message.
func New(code Code, message string) *Error { return &Error{Code: code, Message: message} }

// Fields returns an Invalid error for the given messages by field name, or
// nil when there are none. Services report Problems instead.
func Fields(fields map[string]string) error {
	if len(fields) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "Check the highlighted fields.", Fields: fields}
}

// Problems returns an Invalid error for the given messages by subject, or
// nil when there are none, so callers can write `return apperr.Problems(p)`.
func Problems(problems map[Subject]string) error {
	if len(problems) == 0 {
		return nil
	}
	return &Error{Code: Invalid, Message: "Check the highlighted fields.", Problems: problems}
}

// Throttled returns a TooMany error that lifts at until.
func Throttled(until time.Time) *Error {
	return &Error{Code: TooMany, Message: "Too many attempts. Try again later.", RetryAt: until}
}

// As returns the application error inside err, if there is one.
func As(err error) (*Error, bool) {
	var e *Error
	ok := errors.As(err, &e)
	return e, ok
}

// Is reports whether err is an application error with code.
func Is(err error, code Code) bool {
	e, ok := As(err)
	return ok && e.Code == code
}
