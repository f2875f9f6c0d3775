package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/views/components"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

// The task pages of My Profile. Each GET shows one form; its POST saves
// and goes back to the summary with a flash naming what changed, or
// re-renders the form at its own address with 422. The pages that change
// a credential (password, security question, email address) are served
// only within the recent sign-in window: otherwise they send the user to
// "confirm it's you" first, and their services refuse a stale POST too.
const (
	profileDetailsPath  = "/profile/details"
	profilePasswordPath = "/profile/password"
	profileQuestionPath = "/profile/question"
	profileEmailPath    = "/profile/email"
)

// The forms' bodies; their tags are field names of views/pages/profile.
type (
	profileDetailsForm struct {
		DisplayName string `form:"display_name"`
	}
	profilePasswordForm struct {
		Password        string `form:"password"`
		PasswordConfirm string `form:"password_confirm"`
		SignOutOthers   string `form:"sign_out_others"`
	}
	profileQuestionForm struct {
		QuestionChoice string `form:"security_question"`
		CustomQuestion string `form:"security_question_custom"`
		Answer         string `form:"security_answer"`
	}
	profileEmailForm struct {
		NewEmail string `form:"new_email"`
	}
)

// The tables showing each form's problems on its fields; a question error
// shows on the free-text question when the user chose to write their own.
var (
	profileDetailsFields  = formFields{profile.DisplayName: ppages.FieldDisplayName}
	profilePasswordFields = formFields{identity.NewPassword: ppages.FieldPassword,
		identity.PasswordConfirmation: ppages.FieldPasswordConfirm}
	profileQuestionFields       = formFields{profile.Question: ppages.FieldQuestion, profile.Answer: ppages.FieldAnswer}
	profileCustomQuestionFields = formFields{profile.Question: ppages.FieldCustomQuestion, profile.Answer: ppages.FieldAnswer}
	profileEmailFields          = formFields{profile.NewEmail: ppages.FieldNewEmail}
)

func (h profileHandlers) detailsForm(c echo.Context) error {
	return h.renderDetails(c, http.StatusOK, profileDetailsForm{DisplayName: state(c).principal.User.DisplayName}, nil)
}

func (h profileHandlers) renderDetails(c echo.Context, status int, f profileDetailsForm, errs map[string]string) error {
	m := viewmodel.ProfileDetailsPage{DisplayName: f.DisplayName, Errors: viewmodel.NewErrors(localErrors(c, errs), ppages.DetailsFields...)}
	return render(c, status, ppages.Details(h.page(c, tr(c, "profile.details.title")), m))
}

func (h profileHandlers) details(c echo.Context) error {
	var f profileDetailsForm
	err := bindForm(c, &f)
	if err == nil {
		err = h.profile.UpdateDetails(c.Request().Context(), state(c).principal.User, f.DisplayName, origin(c))
	}
	if errs, ok := profileDetailsFields.errors(err); ok {
		return h.renderDetails(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return saved(c, tr(c, "profile.flash.name_saved"))
}

func (h profileHandlers) passwordForm(c echo.Context) error {
	return h.renderPassword(c, http.StatusOK, profilePasswordForm{}, nil)
}

func (h profileHandlers) renderPassword(c echo.Context, status int, f profilePasswordForm, errs map[string]string) error {
	p := state(c).principal
	policy := identity.PolicyFor(p.Account, p.User.MFAEnrolledAt != nil)
	var failed []security.Rule
	if errs[ppages.FieldPassword] != "" {
		failed = policy.Check(security.NormalizePassword(f.Password),
			security.Subject{Username: p.User.Username, Email: p.User.Email, DisplayName: p.User.DisplayName})
	}
	errs = localErrors(c, errs)
	if len(failed) > 0 && f.Password != "" {
		// The rules broken, in the checklist's words and the page's language.
		errs[ppages.FieldPassword] = components.PasswordProblem(c.Request().Context(), checklist(failed, nil))
	}
	m := viewmodel.ProfilePasswordPage{Username: p.User.Username, Rules: checklist(policy.Rules(), failed),
		SignOutOthers: f.SignOutOthers != "", Errors: viewmodel.NewErrors(errs, ppages.PasswordFields...)}
	page := h.page(c, tr(c, "profile.password_page.title")).WithScript("js/password-checklist.js")
	return render(c, status, ppages.Password(page, m))
}

func (h profileHandlers) password(c echo.Context) error {
	var f profilePasswordForm
	st := state(c)
	err := bindForm(c, &f)
	if err == nil {
		err = h.profile.ChangePassword(c.Request().Context(), st.principal, profile.PasswordChange{
			PasswordAt: passwordAt(st), New: f.Password, Confirm: f.PasswordConfirm,
			SignOutOthers: f.SignOutOthers != "", KeepSession: security.Digest(st.sess.ID),
		}, origin(c))
	}
	if errs, ok := profilePasswordFields.errors(err); ok {
		return h.renderPassword(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	// The password changed: this session carries on under a new ID, and
	// the password was typed just now.
	if err := renewSession(c, st); err != nil {
		return err
	}
	st.setPasswordAt(h.now())
	return saved(c, tr(c, "profile.flash.password_changed"))
}

func (h profileHandlers) questionForm(c echo.Context) error {
	return h.renderQuestion(c, http.StatusOK, profileQuestionForm{}, nil)
}

func (h profileHandlers) renderQuestion(c echo.Context, status int, f profileQuestionForm, errs map[string]string) error {
	current := state(c).principal.User.SecurityQuestion
	m := viewmodel.ProfileQuestionPage{Question: current, Questions: profile.SecurityQuestions(),
		QuestionChoice: f.QuestionChoice, CustomQuestion: f.CustomQuestion,
		Errors: viewmodel.NewErrors(localErrors(c, errs), ppages.QuestionFields...)}
	return render(c, status, ppages.Question(h.page(c, ppages.QuestionTitle(c.Request().Context(), current)), m))
}

func (h profileHandlers) question(c echo.Context) error {
	var f profileQuestionForm
	st := state(c)
	err := bindForm(c, &f)
	if err == nil {
		q := questionFrom(f.QuestionChoice, f.CustomQuestion)
		err = h.profile.SetQuestion(c.Request().Context(), st.principal.User, q, f.Answer, passwordAt(st), origin(c))
	}
	fields := profileQuestionFields
	if f.QuestionChoice == viewmodel.QuestionCustom {
		fields = profileCustomQuestionFields
	}
	if errs, ok := fields.errors(err); ok {
		return h.renderQuestion(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return saved(c, tr(c, "profile.flash.question_saved"))
}

func (h profileHandlers) emailForm(c echo.Context) error {
	return h.renderEmail(c, http.StatusOK, profileEmailForm{}, nil)
}

func (h profileHandlers) renderEmail(c echo.Context, status int, f profileEmailForm, errs map[string]string) error {
	u := state(c).principal.User
	pending, err := h.profile.PendingEmail(c.Request().Context(), u.ID)
	if err != nil {
		return err
	}
	m := viewmodel.ProfileEmailPage{Email: u.Email, PendingEmail: pending, NewEmail: f.NewEmail,
		Errors: viewmodel.NewErrors(localErrors(c, errs), ppages.EmailFields...)}
	return render(c, status, ppages.Email(h.page(c, tr(c, "profile.email_page.title")), m))
}

func (h profileHandlers) email(c echo.Context) error {
	var f profileEmailForm
	st := state(c)
	err := bindForm(c, &f)
	if err == nil {
		err = h.profile.RequestEmailChange(c.Request().Context(), st.principal.User, f.NewEmail, passwordAt(st), origin(c))
	}
	if errs, ok := profileEmailFields.errors(err); ok {
		return h.renderEmail(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return saved(c, tr(c, "profile.flash.email_link_sent", map[string]any{"Email": f.NewEmail}))
}
