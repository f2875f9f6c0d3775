package web

import (
	"context"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/PuerkitoBio/goquery"
	"github.com/a-h/templ"

	"accountportal/app/account"
	"accountportal/app/apperr"
	"accountportal/app/mfa"
	"accountportal/app/profile"
	"accountportal/app/recovery"
	"accountportal/views/pages/login"
	mpages "accountportal/views/pages/mfa"
	ppages "accountportal/views/pages/profile"
	rpages "accountportal/views/pages/recovery"
	"accountportal/views/pages/setup"
	"accountportal/views/viewmodel"
)

// boundForm is one form as the three layers see it: the subjects its
// service can report, web's table of them, the form struct web binds, and
// the field names and markup of its views package: order lists the fields
// that show errors (summaryOnly those of them that show theirs only in the
// error summary, such as a group of radio buttons), others the inputs that
// show none (a checkbox, a hidden field).
type boundForm struct {
	name        string
	subjects    []apperr.Subject
	fields      formFields
	body        any
	order       []string
	summaryOnly []string
	others      []string
	render      func(p viewmodel.Page, errs viewmodel.Errors) templ.Component
}

func boundForms() []boundForm {
	forms := []boundForm{
		{name: "setup", subjects: account.SetupSubjects, fields: setupFields, body: setupForm{}, order: setup.FieldOrder,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return setup.Page(p, viewmodel.SetupPage{Credentials: viewmodel.Credentials{Errors: errs}})
			}},
		{name: "setup with own question", subjects: account.SetupSubjects, fields: setupCustomQuestionFields, order: setup.FieldOrder,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return setup.Page(p, viewmodel.SetupPage{Credentials: viewmodel.Credentials{QuestionChoice: viewmodel.QuestionCustom, Errors: errs}})
			}},
		{name: "login username", body: usernameForm{}, order: login.UsernameFields,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return login.Username(p, viewmodel.LoginPage{Errors: errs})
			}},
		{name: "login password", body: passwordForm{}, order: login.PasswordFields,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return login.Password(p, viewmodel.LoginPage{Errors: errs})
			}},
		{name: "sign-in question", subjects: profile.SignInQuestionSubjects, fields: signInQuestionFields,
			body: questionStepForm{}, order: login.QuestionFields, render: signInQuestion},
		{name: "sign-in custom question", subjects: profile.SignInQuestionSubjects, fields: signInCustomQuestionFields,
			order: login.QuestionFields, render: signInQuestion},
		{name: "forgot password", body: forgotPasswordForm{}, order: rpages.ForgotPasswordFields,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return rpages.ForgotPassword(p, viewmodel.ForgotPage{Errors: errs})
			}},
		{name: "forgot username", body: forgotUsernameForm{}, order: rpages.ForgotUsernameFields,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return rpages.ForgotUsername(p, viewmodel.ForgotPage{Errors: errs})
			}},
		{name: "reset question", subjects: recovery.AnswerSubjects, fields: resetAnswerFields, body: answerForm{},
			order: rpages.QuestionFields,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return rpages.Question(p, viewmodel.ResetQuestionPage{Errors: errs})
			}},
		{name: "reset password", subjects: recovery.PasswordSubjects, fields: resetPasswordFields, body: newPasswordForm{},
			order: rpages.NewPasswordFields, others: []string{rpages.FieldSignOut},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return rpages.NewPassword(p, viewmodel.ResetPasswordPage{Errors: errs})
			}},
	}
	forms = append(forms, profileForms()...)
	forms = append(forms, mfaForms()...)
	forms = append(forms, adminForms()...)
	forms = append(forms, supportForms()...)
	forms = append(forms, onboardingForms()...)
	return forms
}

// mfaForms are the code forms of sign-in and enrolment, and the backup
// codes and change-or-remove forms of the status page.
func mfaForms() []boundForm {
	status := func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
		return mpages.Status(p, viewmodel.MFAStatusPage{Enrolled: true, Errors: errs})
	}
	return []boundForm{
		{name: "mfa verify", subjects: mfa.CodeSubjects, fields: mfaCodeFields, body: codeForm{}, order: mpages.CodeFields,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return mpages.Verify(p, viewmodel.MFAVerifyPage{Errors: errs})
			}},
		{name: "mfa setup", subjects: mfa.CodeSubjects, fields: mfaCodeFields, body: codeForm{}, order: mpages.CodeFields,
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return mpages.Setup(p, viewmodel.MFASetupPage{Errors: errs})
			}},
		{name: "mfa codes", subjects: mfa.PasswordSubjects, fields: mfaCodesFields, body: passwordOnlyForm{},
			order: mpages.CodesFields, render: status},
		{name: "mfa remove", subjects: mfa.RemoveSubjects, fields: mfaRemoveFields, body: removeForm{},
			order: mpages.RemoveFields, others: []string{mpages.FieldThen}, render: status},
	}
}

func signInQuestion(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
	return login.Question(p, viewmodel.QuestionStepPage{Errors: errs})
}

// profileForms are My Profile's forms, all on one page and bound by one
// struct, and the passphrase and "confirm it's you" pages.
func profileForms() []boundForm {
	sessions := func(p viewmodel.Page, _ viewmodel.Errors) templ.Component {
		return ppages.Sessions(p, viewmodel.ProfileSessionsPage{
			Sessions: []viewmodel.ProfileSession{{Handle: "h1"}, {Handle: "h2", ThisDevice: true}}})
	}
	question := func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
		return ppages.Question(p, viewmodel.ProfileQuestionPage{Errors: errs})
	}
	return []boundForm{
		{name: "profile session", body: sessionForm{}, others: []string{ppages.FieldSession}, render: sessions},
		{name: "profile details", subjects: profile.DetailsSubjects, fields: profileDetailsFields, body: profileDetailsForm{},
			order: ppages.DetailsFields, render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return ppages.Details(p, viewmodel.ProfileDetailsPage{Errors: errs})
			}},
		{name: "profile password", subjects: profile.PasswordSubjects, fields: profilePasswordFields, body: profilePasswordForm{},
			order: ppages.PasswordFields, others: []string{ppages.FieldSignOutOthers},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return ppages.Password(p, viewmodel.ProfilePasswordPage{Errors: errs})
			}},
		{name: "profile question", subjects: profile.QuestionSubjects, fields: profileQuestionFields, body: profileQuestionForm{},
			order: ppages.QuestionFields, render: question},
		{name: "profile custom question", subjects: profile.QuestionSubjects, fields: profileCustomQuestionFields,
			order: ppages.QuestionFields, render: question},
		{name: "profile email", subjects: profile.EmailSubjects, fields: profileEmailFields, body: profileEmailForm{},
			order: ppages.EmailFields, render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return ppages.Email(p, viewmodel.ProfileEmailPage{Errors: errs})
			}},
		{name: "passphrase", subjects: profile.PassphraseSubjects, fields: passphraseFields, body: passphraseForm{},
			order: ppages.PassphraseFields, render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return ppages.Passphrase(p, viewmodel.PassphrasePage{Errors: errs})
			}},
		{name: "app password", subjects: profile.AppPasswordSubjects, fields: appPasswordFields, body: appPasswordForm{},
			order: ppages.AppPasswordFields, render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return ppages.AppPasswords(p, viewmodel.AppPasswordsPage{Enabled: true, Recent: true, Max: 20, Errors: errs})
			}},
		{name: "revoke app password", body: revokeAppPasswordForm{}, others: []string{ppages.FieldAppPassword},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return ppages.AppPasswords(p, viewmodel.AppPasswordsPage{Enabled: true, Max: 20,
					Passwords: []viewmodel.AppPasswordRow{{ID: "1", Name: "CRM"}}})
			}},
		{name: "confirm", body: confirmForm{}, order: ppages.ConfirmFields, others: []string{ppages.FieldNext},
			render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return ppages.Confirm(p, viewmodel.ConfirmPage{Errors: errs})
			}},
	}
}

// TestFormFieldsMapEverySubject checks that a service's every subject has a
// field in the form's table, and the table nothing else: an unmapped
// subject would show only in the error summary, beside no field.
func TestFormFieldsMapEverySubject(t *testing.T) {
	for _, f := range boundForms() {
		for _, s := range f.subjects {
			if _, ok := f.fields[s]; !ok {
				t.Errorf("%s: subject %q has no field", f.name, s)
			}
		}
		for s := range f.fields {
			if !slices.Contains(f.subjects, s) {
				t.Errorf("%s: the table maps %q, which the service does not report", f.name, s)
			}
		}
	}
}

// TestFormFieldsAreRendered renders each form with a message for every
// field its views package names and its table maps to, and finds each
// field's input and its message beside it: a misspelt name would hide an
// error.
func TestFormFieldsAreRendered(t *testing.T) {
	p := viewmodel.Page{Title: "Form", Asset: func(name string) string { return "/static/" + name }}
	for _, f := range boundForms() {
		t.Run(f.name, func(t *testing.T) {
			names := slices.Clone(f.order)
			for _, field := range f.fields {
				if !slices.Contains(names, field) {
					t.Errorf("the table maps onto %q, which is not among the form's fields", field)
				}
			}
			msgs := map[string]string{}
			for _, n := range names {
				msgs[n] = "Problem with " + n
			}
			var html strings.Builder
			if err := f.render(p, viewmodel.NewErrors(msgs, names...)).Render(context.Background(), &html); err != nil {
				t.Fatal(err)
			}
			doc, err := goquery.NewDocumentFromReader(strings.NewReader(html.String()))
			if err != nil {
				t.Fatal(err)
			}
			for _, n := range slices.Concat(names, f.others) {
				// A group of checkboxes shows its error on its wrapper.
				if doc.Find(`form [name="`+n+`"], form #`+n).Length() == 0 {
					t.Errorf("no input named %q", n)
				}
			}
			summary := doc.Find(`[data-testid="error-summary"]`).Text()
			for _, n := range names {
				if slices.Contains(f.summaryOnly, n) {
					if !strings.Contains(summary, msgs[n]) {
						t.Errorf("the error summary leaves out %q", msgs[n])
					}
					continue
				}
				if got := strings.TrimSpace(doc.Find(`[data-testid="error-` + n + `"]`).Text()); !strings.HasSuffix(got, msgs[n]) {
					t.Errorf("field %q shows error %q, want %q", n, got, msgs[n])
				}
			}
		})
	}
}

// TestFormStructTagsNameFields checks that every field web binds is one
// the form's views package names.
func TestFormStructTagsNameFields(t *testing.T) {
	for _, f := range boundForms() {
		if f.body == nil {
			continue
		}
		for _, field := range reflect.VisibleFields(reflect.TypeOf(f.body)) {
			tag := field.Tag.Get("form")
			if tag != "" && !slices.Contains(f.order, tag) && !slices.Contains(f.others, tag) {
				t.Errorf("%s: %s binds %q, which is not among the form's fields", f.name, field.Name, tag)
			}
		}
	}
}
