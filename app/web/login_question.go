package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/views/pages/login"
	"accountportal/views/viewmodel"
)

// The tables showing SetQuestionAtSignIn's problems on the question step:
// a question error shows on the free-text question when the user chose to
// write their own.
var (
	signInQuestionFields       = formFields{profile.Question: login.FieldQuestion, profile.Answer: login.FieldAnswer}
	signInCustomQuestionFields = formFields{profile.Question: login.FieldCustomQuestion, profile.Answer: login.FieldAnswer}
)

// questionStepForm is the body of POST /login/question; its tags are field
// names of views/pages/login.
type questionStepForm struct {
	QuestionChoice string `form:"security_question"`
	CustomQuestion string `form:"security_question_custom"`
	Answer         string `form:"security_answer"`
}

// questionForm asks a user whose account requires a security question,
// and who has none, to set one before signing in.
func (h loginHandlers) questionForm(c echo.Context) error {
	_, p, ok, err := h.due(c, identity.StepQuestion)
	if !ok {
		return err
	}
	return h.renderQuestion(c, http.StatusOK, p.User.DisplayName, questionStepForm{}, nil)
}

// questionSubmit saves the question and moves on.
func (h loginHandlers) questionSubmit(c echo.Context) error {
	a, p, ok, err := h.due(c, identity.StepQuestion)
	if !ok {
		return err
	}
	var f questionStepForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	err = h.profile.SetQuestionAtSignIn(c.Request().Context(), a, p.User, questionFrom(f.QuestionChoice, f.CustomQuestion), f.Answer, origin(c))
	fields := signInQuestionFields
	if f.QuestionChoice == viewmodel.QuestionCustom {
		fields = signInCustomQuestionFields
	}
	if errs, ok := fields.errors(err); ok {
		return h.renderQuestion(c, http.StatusUnprocessableEntity, p.User.DisplayName, f, errs)
	}
	return h.advanced(c, a, err)
}

func (h loginHandlers) renderQuestion(c echo.Context, status int, name string, f questionStepForm, errs map[string]string) error {
	m := viewmodel.QuestionStepPage{DisplayName: name, Questions: profile.SecurityQuestions(),
		QuestionChoice: f.QuestionChoice, CustomQuestion: f.CustomQuestion,
		Errors: viewmodel.NewErrors(errs, login.QuestionFields...)}
	return render(c, status, login.Question(h.page(c, tr(c, "login.question.title")), m))
}
