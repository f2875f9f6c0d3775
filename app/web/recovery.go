package web

import (
	"errors"
	"net/http"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/identity"
	"accountportal/app/recovery"
	"accountportal/app/security"
	"accountportal/views/components"
	"accountportal/views/i18n"
	rpages "accountportal/views/pages/recovery"
	"accountportal/views/viewmodel"
)

type recoveryHandlers struct {
	pages
	svc *recovery.Service
}

// forgotPasswordForm and forgotUsernameForm are the bodies of the two
// "forgot" forms; their tags are the field names of views/pages/recovery.
type forgotPasswordForm struct {
	Username string `form:"username"`
}

type forgotUsernameForm struct {
	Email string `form:"email"`
}

// choose offers the two ways back in: a password reset link, or a
// reminder of the usernames.
func (h recoveryHandlers) choose(c echo.Context) error {
	return render(c, http.StatusOK, rpages.Choose(h.page(c, tr(c, "forgot.title"))))
}

// forgotPasswordForm asks for the username. A visitor who typed it at the
// sign-in's first step finds it filled in: it comes from their session,
// never from the address, so it reaches no access log or Referer header.
func (h recoveryHandlers) forgotPasswordForm(c echo.Context) error {
	m := viewmodel.ForgotPage{Value: state(c).loginUsername()}
	return render(c, http.StatusOK, rpages.ForgotPassword(h.page(c, tr(c, "forgot.reset_title")), m))
}

// forgotPasswordSubmit queues the request and answers the same for every
// username: known, unknown, suspended or throttled.
func (h recoveryHandlers) forgotPasswordSubmit(c echo.Context) error {
	var f forgotPasswordForm
	if err := bindForm(c, &f); err != nil {
		errs, ok := fieldErrors(err)
		if !ok {
			return err
		}
		m := viewmodel.ForgotPage{Value: f.Username, Errors: viewmodel.NewErrors(localErrors(c, errs), rpages.ForgotPasswordFields...)}
		return render(c, http.StatusUnprocessableEntity, rpages.ForgotPassword(h.page(c, tr(c, "forgot.reset_title")), m))
	}
	name := strings.TrimSpace(f.Username)
	if msg := usernameProblem(name); msg != "" {
		m := viewmodel.ForgotPage{Value: name, Errors: viewmodel.FormError(rpages.FieldUsername, localProblem(c, msg))}
		return render(c, http.StatusUnprocessableEntity, rpages.ForgotPassword(h.page(c, tr(c, "forgot.reset_title")), m))
	}
	if err := h.svc.RequestPasswordReset(c.Request().Context(), name, origin(c)); err != nil {
		return err
	}
	return render(c, http.StatusOK, rpages.Message(h.page(c, tr(c, "forgot.check_title")), viewmodel.MessagePage{
		Heading: tr(c, "forgot.check_title"),
		Message: tr(c, "forgot.reset_sent", map[string]any{"Duration": i18n.Duration(c.Request().Context(), h.svc.ResetTTL())}),
		Link:    viewmodel.Link{Href: "/login", Title: tr(c, "forgot.back")},
	}))
}

func (h recoveryHandlers) forgotUsernameForm(c echo.Context) error {
	return render(c, http.StatusOK, rpages.ForgotUsername(h.page(c, tr(c, "forgot.username_title")), viewmodel.ForgotPage{}))
}

// forgotUsernameSubmit queues the reminder and answers the same for every
// address.
func (h recoveryHandlers) forgotUsernameSubmit(c echo.Context) error {
	var f forgotUsernameForm
	if err := bindForm(c, &f); err != nil {
		errs, ok := fieldErrors(err)
		if !ok {
			return err
		}
		m := viewmodel.ForgotPage{Value: f.Email, Errors: viewmodel.NewErrors(localErrors(c, errs), rpages.ForgotUsernameFields...)}
		return render(c, http.StatusUnprocessableEntity, rpages.ForgotUsername(h.page(c, tr(c, "forgot.username_title")), m))
	}
	email := strings.TrimSpace(f.Email)
	if msg := identity.CheckEmail(email); msg != "" {
		m := viewmodel.ForgotPage{Value: email, Errors: viewmodel.FormError(rpages.FieldEmail, localProblem(c, msg))}
		return render(c, http.StatusUnprocessableEntity, rpages.ForgotUsername(h.page(c, tr(c, "forgot.username_title")), m))
	}
	if err := h.svc.RequestUsernameReminder(c.Request().Context(), email, origin(c)); err != nil {
		return err
	}
	return render(c, http.StatusOK, rpages.Message(h.page(c, tr(c, "forgot.check_title")), viewmodel.MessagePage{
		Heading: tr(c, "forgot.check_title"),
		Message: tr(c, "forgot.usernames_sent"),
		Link:    viewmodel.Link{Href: "/login", Title: tr(c, "forgot.back")},
	}))
}

// openLink checks the emailed token, keeps the wizard's state in the
// session and redirects, so the token leaves the address bar and history.
func (h recoveryHandlers) openLink(c echo.Context) error {
	link, err := h.svc.OpenLink(c.Request().Context(), c.Param("token"))
	if err != nil {
		return h.failed(c, err)
	}
	state(c).setResetLink(link)
	return c.Redirect(http.StatusSeeOther, "/reset")
}

// wizard shows the security question or the new-password form.
func (h recoveryHandlers) wizard(c echo.Context) error {
	link, ok := state(c).resetLink()
	if !ok {
		return h.failed(c, recovery.ErrLinkInvalid)
	}
	step, err := h.svc.Step(c.Request().Context(), link)
	if err != nil {
		return h.failed(c, err)
	}
	speakFor(c, step.Language, step.AccountLanguage)
	if step.QuestionDue() {
		return h.renderQuestion(c, http.StatusOK, step, viewmodel.Errors{})
	}
	return h.renderPassword(c, http.StatusOK, step, false, nil, "")
}

// resetAnswerFields and resetPasswordFields show the reset wizard's
// problems on its question and new-password forms.
var (
	resetAnswerFields   = formFields{recovery.Answer: rpages.FieldAnswer}
	resetPasswordFields = formFields{identity.NewPassword: rpages.FieldPassword, identity.PasswordConfirmation: rpages.FieldPasswordConfirm}
)

// The bodies of the recovery forms; their tags are the field names of
// views/pages/recovery.
type answerForm struct {
	Answer string `form:"answer"`
}

// answer checks the security answer.
func (h recoveryHandlers) answer(c echo.Context) error {
	link, ok := state(c).resetLink()
	if !ok {
		return h.failed(c, recovery.ErrLinkInvalid)
	}
	// The page speaks the language of the link's user.
	step, err := h.svc.Step(c.Request().Context(), link)
	if err != nil {
		return h.failed(c, err)
	}
	speakFor(c, step.Language, step.AccountLanguage)
	if !step.QuestionDue() {
		// No question to answer (none set, or answered already): a stale
		// or crafted form goes back to the step the wizard is at.
		return c.Redirect(http.StatusSeeOther, "/reset")
	}
	var f answerForm
	ctx := c.Request().Context()
	err = bindForm(c, &f)
	if err == nil {
		err = h.svc.CheckAnswer(ctx, link, f.Answer, origin(c))
	}
	if errs, ok := resetAnswerFields.errors(err); ok {
		step, serr := h.svc.Step(ctx, link)
		if serr != nil {
			return h.failed(c, serr)
		}
		return h.renderQuestion(c, http.StatusUnprocessableEntity, step, viewmodel.NewErrors(localErrors(c, errs), rpages.QuestionFields...))
	}
	if err != nil {
		return h.failed(c, err)
	}
	return c.Redirect(http.StatusSeeOther, "/reset")
}

type newPasswordForm struct {
	Password          string `form:"password"`
	PasswordConfirm   string `form:"password_confirm"`
	SignOutEverywhere string `form:"sign_out_everywhere"`
}

// setPassword finishes the reset. It does not sign the user in.
func (h recoveryHandlers) setPassword(c echo.Context) error {
	link, ok := state(c).resetLink()
	if !ok {
		return h.failed(c, recovery.ErrLinkInvalid)
	}
	var f newPasswordForm
	st := state(c)
	ctx := c.Request().Context()
	step, err := h.svc.Step(ctx, link)
	if err != nil {
		return h.failed(c, err)
	}
	speakFor(c, step.Language, step.AccountLanguage)
	welcome := step.Welcome
	err = bindForm(c, &f)
	if err == nil {
		err = h.svc.Complete(ctx, recovery.NewPassword{Link: link,
			Password: f.Password, Confirm: f.PasswordConfirm, SignOutEverywhere: f.SignOutEverywhere != ""}, origin(c))
	}
	if errs, ok := resetPasswordFields.errors(err); ok {
		return h.renderPassword(c, http.StatusUnprocessableEntity, step, f.SignOutEverywhere != "", errs, f.Password)
	}
	if err != nil {
		return h.failed(c, err)
	}
	st.clearResetLink()
	if welcome {
		return c.Redirect(http.StatusSeeOther, "/reset/done?welcome=1")
	}
	return c.Redirect(http.StatusSeeOther, "/reset/done")
}

// done confirms the change and points to sign-in.
func (h recoveryHandlers) done(c echo.Context) error {
	m := viewmodel.MessagePage{Heading: tr(c, "reset.done_heading"), Message: tr(c, "reset.done_message"),
		Link: viewmodel.Link{Href: "/login", Title: tr(c, "reset.sign_in")}}
	title := tr(c, "reset.done_title")
	if c.QueryParam("welcome") != "" {
		title, m.Heading, m.Message = tr(c, "reset.set_title"), tr(c, "reset.set_heading"), tr(c, "reset.set_message")
	}
	return render(c, http.StatusOK, rpages.Message(h.page(c, title), m))
}

// failed shows the one page for a bad link, or the blocked page; other
// errors go to the error handler.
func (h recoveryHandlers) failed(c echo.Context, err error) error {
	switch {
	case errors.Is(err, recovery.ErrLinkInvalid):
		state(c).clearResetLink()
		ctx := c.Request().Context()
		return render(c, http.StatusNotFound, rpages.Message(h.page(c, tr(c, "reset.link_title")), viewmodel.MessagePage{
			Heading: tr(c, "reset.link_heading"),
			Message: tr(c, "reset.link_message", map[string]any{"Reset": i18n.Duration(ctx, h.svc.ResetTTL()),
				"Welcome": i18n.Duration(ctx, admin.WelcomeTTL)}),
			Link: viewmodel.Link{Href: "/forgot/password", Title: tr(c, "reset.new_link")},
		}))
	case errors.Is(err, recovery.ErrAnswerLocked), errors.Is(err, recovery.ErrPrimaryAnswerLocked):
		locked := recovery.ErrAnswerLocked
		if errors.Is(err, recovery.ErrPrimaryAnswerLocked) {
			locked = recovery.ErrPrimaryAnswerLocked
		}
		state(c).clearResetLink()
		return render(c, http.StatusForbidden, rpages.Message(h.page(c, tr(c, "reset.blocked_title")), viewmodel.MessagePage{
			Heading: tr(c, "reset.blocked_heading"),
			Message: localProblem(c, locked.Message),
			Link:    viewmodel.Link{Href: "/login", Title: tr(c, "reset.back_to_sign_in")},
		}))
	}
	return err
}

func (h recoveryHandlers) renderQuestion(c echo.Context, status int, step *recovery.Step, errs viewmodel.Errors) error {
	return render(c, status, rpages.Question(h.page(c, tr(c, "reset.question_title")),
		viewmodel.ResetQuestionPage{Question: components.QuestionText(c.Request().Context(), step.Question), Errors: errs}))
}

// renderPassword shows the new-password form; typed is the rejected
// password, whose broken rules the checklist marks.
func (h recoveryHandlers) renderPassword(c echo.Context, status int, step *recovery.Step, signOut bool, errs map[string]string, typed string) error {
	var failed []security.Rule
	if errs[rpages.FieldPassword] != "" && typed != "" {
		failed = step.Policy.Check(security.NormalizePassword(typed), step.Subject)
	}
	errs = localErrors(c, errs)
	if len(failed) > 0 {
		errs[rpages.FieldPassword] = components.PasswordProblem(c.Request().Context(), checklist(failed, nil))
	}
	m := viewmodel.ResetPasswordPage{Welcome: step.Welcome, Username: step.Username, SignOutEverywhere: signOut,
		Rules:  checklist(step.Policy.Rules(), failed),
		Errors: viewmodel.NewErrors(errs, rpages.NewPasswordFields...)}
	title := tr(c, "reset.new_title")
	if step.Welcome {
		title = tr(c, "reset.first_title")
	}
	p := h.page(c, title).WithScript("js/password-checklist.js")
	return render(c, status, rpages.NewPassword(p, m))
}
