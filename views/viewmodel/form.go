package viewmodel

import "slices"

// FieldError is one message about one form field. Field is the input's id,
// so the error summary can link to it.
type FieldError struct {
	Field   string
	Message string
}

// Errors are a form's messages, in the order of the form's fields.
type Errors struct {
	list []FieldError
}

// NewErrors orders messages by the form's field order; messages for fields
// not in order come last, in order of their names.
func NewErrors(messages map[string]string, order ...string) Errors {
	var e Errors
	seen := map[string]bool{}
	for _, f := range order {
		if m, ok := messages[f]; ok && m != "" {
			e.list = append(e.list, FieldError{Field: f, Message: m})
			seen[f] = true
		}
	}
	var rest []string
	for f, m := range messages {
		if !seen[f] && m != "" {
			rest = append(rest, f)
		}
	}
	slices.Sort(rest)
	for _, f := range rest {
		e.list = append(e.list, FieldError{Field: f, Message: messages[f]})
	}
	return e
}

// FormError returns Errors holding one message that links to field.
func FormError(field, message string) Errors {
	return Errors{list: []FieldError{{Field: field, Message: message}}}
}

// For returns the message for field, or "".
func (e Errors) For(field string) string {
	for _, fe := range e.list {
		if fe.Field == field {
			return fe.Message
		}
	}
	return ""
}

// Any reports whether there is at least one message.
func (e Errors) Any() bool { return len(e.list) > 0 }

// List returns the messages in form order.
func (e Errors) List() []FieldError { return e.list }
