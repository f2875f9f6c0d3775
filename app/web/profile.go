package web

import (
	"net/http"
	"net/url"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/mfa"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/app/support"
	ppages "accountportal/views/pages/profile"
	"accountportal/views/viewmodel"
)

type profileHandlers struct {
	pages
	profile *profile.Service
	desk    *support.Service
	mfa     *mfa.Service
}

// profileForm is every field of My Profile's forms; each form sends some.
// Its tags are the field names of views/pages/profile.
type profileForm struct {
	DisplayName     string `form:"display_name"`
	Password        string `form:"password"`
	PasswordConfirm string `form:"password_confirm"`
	SignOutOthers   string `form:"sign_out_others"`
	PwCurrent       string `form:"pw_current_password"`
	QuestionChoice  string `form:"security_question"`
	CustomQuestion  string `form:"security_question_custom"`
	Answer          string `form:"security_answer"`
	QuestionCurrent string `form:"question_current_password"`
	NewEmail        string `form:"new_email"`
	EmailCurrent    string `form:"email_current_password"`
}

// The tables showing My Profile's problems on its forms. Each form asks for
// the current password in a field of its own; a question error shows on
// the free-text question when the user chose to write their own.
var (
	profileDetailsFields  = formFields{profile.DisplayName: ppages.FieldDisplayName}
	profilePasswordFields = formFields{profile.CurrentPassword: ppages.FieldPwCurrent,
		identity.NewPassword: ppages.FieldPassword, identity.PasswordConfirmation: ppages.FieldPasswordConfirm}
	profileQuestionFields = formFields{profile.Question: ppages.FieldQuestion, profile.Answer: ppages.FieldAnswer,
		profile.CurrentPassword: ppages.FieldQuestionCurrent}
	profileCustomQuestionFields = formFields{profile.Question: ppages.FieldCustomQuestion, profile.Answer: ppages.FieldAnswer,
		profile.CurrentPassword: ppages.FieldQuestionCurrent}
	profileEmailFields = formFields{profile.NewEmail: ppages.FieldNewEmail, profile.CurrentPassword: ppages.FieldEmailCurrent}
)

func (h profileHandlers) show(c echo.Context) error {
	return h.render(c, http.StatusOK, profileForm{}, nil)
}

// render shows My Profile with the values and errors of a rejected form.
func (h profileHandlers) render(c echo.Context, status int, f profileForm, errs map[string]string) error {
	st := state(c)
	p := st.principal
	ctx := c.Request().Context()
	list, err := h.profile.Sessions(ctx, p.User.ID, security.Digest(st.sess.ID))
	if err != nil {
		return err
	}
	pending, err := h.profile.PendingEmail(ctx, p.User.ID)
	if err != nil {
		return err
	}
	checks, err := h.desk.History(ctx, p.User, recentVerifications)
	if err != nil {
		return err
	}
	policy := identity.PolicyFor(p.Account, p.User.MFAEnrolledAt != nil)
	var failed []security.Rule
	if errs[ppages.FieldPassword] != "" {
		failed = policy.Check(security.NormalizePassword(f.Password),
			security.Subject{Username: p.User.Username, Email: p.User.Email, DisplayName: p.User.DisplayName})
	}
	name := p.User.DisplayName
	if errs[ppages.FieldDisplayName] != "" {
		name = f.DisplayName
	}
	m := viewmodel.ProfilePage{
		DisplayName: name, Username: p.User.Username, Email: p.User.Email, PendingEmail: pending,
		NewEmail: f.NewEmail, HasPassphrase: p.HasPassphrase, Question: p.User.SecurityQuestion,
		Questions: profile.SecurityQuestions(), QuestionChoice: f.QuestionChoice, CustomQuestion: f.CustomQuestion,
		Rules: checklist(policy.Rules(), failed), SignOutOthers: f.SignOutOthers != "",
		Errors: viewmodel.NewErrors(errs, ppages.PageFields...),
		Admin:  support.MayIssueCode(p), Verifications: supportHistory(checks),
		MFA: viewmodel.MFASummary{Enrolled: p.User.MFAEnrolledAt != nil, Required: p.MFARequired(), Offered: mfa.Offered(p)},
	}
	if m.MFA.Enrolled {
		m.MFA.Since = stamp(*p.User.MFAEnrolledAt)
		if m.MFA.CodesLeft, err = h.mfa.CodesLeft(ctx, p.User.ID); err != nil {
			return err
		}
	}
	for _, r := range list.Rows {
		m.Sessions = append(m.Sessions, viewmodel.SessionRow{Handle: r.Handle, Device: r.Device, IP: r.IP,
			Started: stamp(r.Started), LastActive: stamp(r.LastActive), ThisDevice: r.ThisDevice})
	}
	m.SessionsTotal, m.SessionsNotListed = list.Total, max(0, list.Total-int64(len(list.Rows)))
	m.SessionLimit = identity.MaxSessionsPerUser
	page := h.page(c, "My Profile").WithScript("js/password-checklist.js")
	return render(c, status, ppages.Page(page, m))
}

// recentVerifications is how many of the support desk's checks My Profile lists.
const recentVerifications = 10

func stamp(t time.Time) string { return t.UTC().Format("2 Jan 2006 15:04 UTC") }

// outcome turns a service's answer into the page's: field errors, shown on
// the submitted form's fields, re-render My Profile with 422; success
// redirects with a flash.
func (h profileHandlers) outcome(c echo.Context, err error, f profileForm, fields formFields, anchor, done string) error {
	if errs, ok := fields.errors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, f, errs)
	}
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/profile#"+anchor, viewmodel.FlashSuccess, done)
}

func (h profileHandlers) details(c echo.Context) error {
	var f profileForm
	if err := bindForm(c, &f); err != nil {
		return h.outcome(c, err, f, profileDetailsFields, "", "")
	}
	p := state(c).principal
	err := h.profile.UpdateDetails(c.Request().Context(), p.User, f.DisplayName, origin(c))
	return h.outcome(c, err, f, profileDetailsFields, "details", "Your details were saved.")
}

func (h profileHandlers) password(c echo.Context) error {
	var f profileForm
	if err := bindForm(c, &f); err != nil {
		return h.outcome(c, err, f, profilePasswordFields, "", "")
	}
	st := state(c)
	err := h.profile.ChangePassword(c.Request().Context(), st.principal, profile.PasswordChange{
		Current: f.PwCurrent, New: f.Password, Confirm: f.PasswordConfirm,
		SignOutOthers: f.SignOutOthers != "", KeepSession: security.Digest(st.sess.ID),
	}, origin(c))
	if err == nil {
		// The password changed: this session carries on under a new ID.
		if err := renewSession(c, st); err != nil {
			return err
		}
		st.setPasswordAt(h.now())
	}
	return h.outcome(c, err, f, profilePasswordFields, "password-section", "Your password was changed.")
}

func (h profileHandlers) question(c echo.Context) error {
	var f profileForm
	if err := bindForm(c, &f); err != nil {
		return h.outcome(c, err, f, profileQuestionFields, "", "")
	}
	q := questionFrom(f.QuestionChoice, f.CustomQuestion)
	err := h.profile.SetQuestion(c.Request().Context(), state(c).principal.User, q, f.Answer, f.QuestionCurrent, origin(c))
	fields := profileQuestionFields
	if f.QuestionChoice == viewmodel.QuestionCustom {
		fields = profileCustomQuestionFields
	}
	return h.outcome(c, err, f, fields, "question", "Your security question was saved.")
}

func (h profileHandlers) email(c echo.Context) error {
	var f profileForm
	if err := bindForm(c, &f); err != nil {
		return h.outcome(c, err, f, profileEmailFields, "", "")
	}
	err := h.profile.RequestEmailChange(c.Request().Context(), state(c).principal.User, f.NewEmail, f.EmailCurrent, origin(c))
	return h.outcome(c, err, f, profileEmailFields, "email",
		"We sent a confirmation link to the new address. Your email address changes when you follow it.")
}

// confirmEmail follows the link sent to a new address, as its owner.
func (h profileHandlers) confirmEmail(c echo.Context) error {
	addr, err := h.profile.ConfirmEmailChange(c.Request().Context(), state(c).principal.User, c.Param("token"), origin(c))
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/profile#email", viewmodel.FlashSuccess, "Your email address is now "+addr+".")
}

// sessionForm is the body of a session's sign-out button.
type sessionForm struct {
	Session string `form:"session"`
}

func (h profileHandlers) signOutSession(c echo.Context) error {
	var f sessionForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	if err := h.profile.SignOutSession(c.Request().Context(), state(c).principal.User, f.Session, origin(c)); err != nil {
		return err
	}
	return redirectWithFlash(c, "/profile#sessions", viewmodel.FlashSuccess, "That session was signed out.")
}

func (h profileHandlers) signOutOthers(c echo.Context) error {
	st := state(c)
	n, err := h.profile.SignOutOthers(c.Request().Context(), st.principal.User, security.Digest(st.sess.ID), origin(c))
	if err != nil {
		return err
	}
	return redirectWithFlash(c, "/profile#sessions", viewmodel.FlashSuccess,
		"Signed out of "+itoa(n)+" other "+plural(n, "session", "sessions")+".")
}

func plural(n int64, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

// toConfirm sends the user to "confirm it's you", coming back to next.
func toConfirm(c echo.Context, next string) error {
	return c.Redirect(http.StatusSeeOther, "/confirm?next="+url.QueryEscape(next))
}
