package web

import (
	"context"
	"maps"
	"net/http"
	"slices"

	"github.com/labstack/echo/v4"

	"accountportal/app/account"
	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/views/components"
	"accountportal/views/pages/setup"
	"accountportal/views/viewmodel"
)

type setupHandlers struct {
	pages
	setup *account.Setup
}

// CredentialsForm is the part of a form where a Primary Admin chooses
// their credentials: first-run setup's and an operator's invitation's. Its
// tags are the field names of package setup (formfields_internal_test.go
// checks them). It is exported because the form binder fills only the
// exported structs a form embeds.
type CredentialsForm struct {
	Password        string `form:"password"`
	PasswordConfirm string `form:"password_confirm"`
	Passphrase      string `form:"passphrase"`
	QuestionChoice  string `form:"security_question"`
	CustomQuestion  string `form:"security_question_custom"`
	SecurityAnswer  string `form:"security_answer"`
}

// setupForm is the body of POST /setup.
type setupForm struct {
	SetupCode   string `form:"setup_code"`
	CompanyName string `form:"company_name"`
	DisplayName string `form:"display_name"`
	Email       string `form:"email"`
	Username    string `form:"username"`
	CredentialsForm
}

// credentialFields shows the credentials' problems on either form.
var credentialFields = formFields{
	identity.NewPassword: setup.FieldPassword, identity.PasswordConfirmation: setup.FieldPasswordConfirm,
	account.Passphrase: setup.FieldPassphrase, account.Question: setup.FieldQuestion, account.Answer: setup.FieldAnswer,
}

// setupFields shows setup's problems on the setup form.
var setupFields = func() formFields {
	f := maps.Clone(credentialFields)
	maps.Copy(f, formFields{account.SetupCode: setup.FieldSetupCode, account.CompanyName: setup.FieldCompanyName,
		account.DisplayName: setup.FieldDisplayName, account.Email: setup.FieldEmail, account.Username: setup.FieldUsername})
	return f
}()

// setupCustomQuestionFields and invitationCustomQuestionFields show them
// when the Primary Admin writes their own question: its problem goes
// beside the text box, not the drop-down.
var (
	setupCustomQuestionFields      = ownQuestion(setupFields)
	invitationCustomQuestionFields = ownQuestion(credentialFields)
)

func ownQuestion(fields formFields) formFields {
	f := maps.Clone(fields)
	f[account.Question] = setup.FieldCustomQuestion
	return f
}

// fields returns the table that shows the form's problems.
func (f setupForm) fields() formFields {
	if f.QuestionChoice == viewmodel.QuestionCustom {
		return setupCustomQuestionFields
	}
	return setupFields
}

// show renders the setup form while no account exists, and 404 after.
func (h setupHandlers) show(c echo.Context) error {
	if err := h.requireOpen(c); err != nil {
		return err
	}
	return h.renderForm(c, http.StatusOK, setupForm{}, nil)
}

// submit creates the account and its Primary Admin and signs them in.
func (h setupHandlers) submit(c echo.Context) error {
	if err := h.requireOpen(c); err != nil {
		return err
	}
	var f setupForm
	if err := bindForm(c, &f); err != nil {
		if errs, ok := f.fields().errors(err); ok {
			return h.renderForm(c, http.StatusUnprocessableEntity, f, errs)
		}
		return err
	}
	user, err := h.setup.Run(c.Request().Context(), account.SetupInput{
		SetupCode: f.SetupCode, CompanyName: f.CompanyName, DisplayName: f.DisplayName, Email: f.Email, Username: f.Username,
		Credentials: f.credentials(),
	}, origin(c))
	if errs, ok := f.fields().errors(err); ok {
		return h.renderForm(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	st := state(c)
	if err := renewSession(c, st); err != nil {
		return err
	}
	st.setSignedIn(user.ID)
	st.setPasswordAt(h.now())
	return redirectWithFlash(c, "/", viewmodel.FlashSuccess, "Your account is ready. You are signed in as its Primary Admin.")
}

func (h setupHandlers) requireOpen(c echo.Context) error {
	open, err := h.setup.Open(c.Request().Context())
	if err != nil {
		return err
	}
	if !open {
		return echo.ErrNotFound
	}
	return nil
}

// credentials are what the Primary Admin chose, for the service.
func (f CredentialsForm) credentials() account.Credentials {
	return account.Credentials{Password: f.Password, PasswordConfirm: f.PasswordConfirm, Passphrase: f.Passphrase,
		SecurityQuestion: questionFrom(f.QuestionChoice, f.CustomQuestion), SecurityAnswer: f.SecurityAnswer}
}

// view shows the credentials' part of the form again: the question chosen
// and the checklist of policy, marking the rules a rejected password broke.
func (f CredentialsForm) view(ctx context.Context, policy security.PasswordPolicy, who security.Subject, errs map[string]string, order []string) viewmodel.Credentials {
	var failed []security.Rule
	if errs[setup.FieldPassword] != "" && f.Password != "" {
		failed = policy.Check(security.NormalizePassword(f.Password), who)
	}
	if len(failed) > 0 {
		// The rules broken, in the checklist's words in the page's language.
		errs[setup.FieldPassword] = components.PasswordProblem(ctx, checklist(failed, nil))
	}
	return viewmodel.Credentials{QuestionChoice: f.QuestionChoice, CustomQuestion: f.CustomQuestion,
		Questions: profile.SecurityQuestions(), Rules: checklist(policy.Rules(), failed),
		Errors: viewmodel.NewErrors(errs, order...)}
}

// questionFrom turns a question drop-down's choice and the free text into
// one question; a choice that is not on the list counts as none.
func questionFrom(choice, custom string) string {
	if choice == viewmodel.QuestionCustom {
		return custom
	}
	if slices.Contains(profile.SecurityQuestions(), choice) {
		return choice
	}
	return ""
}

func (h setupHandlers) renderForm(c echo.Context, status int, f setupForm, errs map[string]string) error {
	who := security.Subject{Username: f.Username, Email: f.Email, DisplayName: f.DisplayName}
	m := viewmodel.SetupPage{
		SetupCode: f.SetupCode, CompanyName: f.CompanyName, DisplayName: f.DisplayName, Email: f.Email, Username: f.Username,
		Credentials: f.CredentialsForm.view(c.Request().Context(), account.DefaultPolicy(), who, errs, setup.FieldOrder),
	}
	p := h.page(c, "Set up Account Portal").WithScript("js/password-checklist.js")
	return render(c, status, setup.Page(p, m))
}

// checklist turns policy rules into checklist lines, marking failed ones.
func checklist(rules, failed []security.Rule) []viewmodel.Rule {
	out := make([]viewmodel.Rule, len(rules))
	for i, r := range rules {
		out[i] = viewmodel.Rule{Key: r.Key, Text: r.Text, Min: r.Min, Max: r.Max, Chars: r.Chars,
			Failed: slices.ContainsFunc(failed, func(f security.Rule) bool { return f.Key == r.Key })}
	}
	return out
}
