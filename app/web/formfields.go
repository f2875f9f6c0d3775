package web

import "accountportal/app/apperr"

// formFields maps the subjects a service reports onto the fields of one
// form that show them. Services speak of meanings (a new password, its
// confirmation); only the form knows its field names, which live next to
// its markup in views. formfields_test.go checks that every subject a
// service can report for a form has a field the form renders.
type formFields map[apperr.Subject]string

// errors returns what is wrong in err by field name of this form: values
// the binder refused (already by field) and the service's problems mapped
// through the table. ok is false unless err is an apperr.Invalid, which
// the form shows again. A subject missing from the table keeps its own
// name, so its message still reaches the error summary.
func (ff formFields) errors(err error) (map[string]string, bool) {
	ae, ok := apperr.As(err)
	if !ok || ae.Code != apperr.Invalid {
		return nil, false
	}
	errs := make(map[string]string, len(ae.Fields)+len(ae.Problems))
	for field, msg := range ae.Fields {
		errs[field] = msg
	}
	for subject, msg := range ae.Problems {
		errs[ff.field(subject)] = msg
	}
	return errs, true
}

// field is the name of the field that shows subject's problems.
func (ff formFields) field(subject apperr.Subject) string {
	if f, ok := ff[subject]; ok {
		return f
	}
	return string(subject)
}
