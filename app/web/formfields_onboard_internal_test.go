package web

import (
	"github.com/a-h/templ"

	"accountportal/app/account"
	"accountportal/app/provider"
	"accountportal/views/pages/operator"
	"accountportal/views/pages/setup"
	"accountportal/views/viewmodel"
)

// onboardingForms are the operator's onboarding form and the invited
// Primary Admin's form, with its own question or a listed one.
func onboardingForms() []boundForm {
	invitation := func(choice string) func(viewmodel.Page, viewmodel.Errors) templ.Component {
		return func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
			return setup.Invitation(p, viewmodel.InvitationPage{Username: "ada",
				Credentials: viewmodel.Credentials{QuestionChoice: choice, Errors: errs}})
		}
	}
	return []boundForm{
		{name: "onboard", subjects: provider.OnboardSubjects, fields: onboardFields, body: onboardForm{},
			order: operator.OnboardFields, render: func(p viewmodel.Page, errs viewmodel.Errors) templ.Component {
				return operator.NewAccount(p, viewmodel.OnboardPage{Errors: errs})
			}},
		{name: "invitation", subjects: account.CredentialSubjects, fields: credentialFields, body: invitationForm{},
			order: setup.InvitationFieldOrder, render: invitation("")},
		{name: "invitation with own question", subjects: account.CredentialSubjects, fields: invitationCustomQuestionFields,
			order: setup.InvitationFieldOrder, render: invitation(viewmodel.QuestionCustom)},
	}
}
