package web_test

import (
	"net/http"
	"testing"

	"accountportal/app/apptest"
)

// addOnboarding adds the operator's onboarding form and the invited
// Primary Admin's form to the sweep: an operator signed in, and a browser
// holding an open invitation.
func (w *sweepWorld) addOnboarding(t *testing.T, ops *apptest.Client) {
	e := w.e
	w.add("POST /operator/accounts/new", "/operator/accounts/new", ops, map[string]string{
		"company_name": "Sweep Co", "admin_name": "Sia Sweep", "admin_email": "sia@sweep.example"})
	apptest.OnboardedID(t, ops.Onboard("Invited Co", "Ivy Invited", "ivy@invited.example"))
	invitee := e.Client()
	if res := invitee.Get(e.InvitationLink("ivy@invited.example")); res.Status != http.StatusSeeOther {
		t.Fatalf("open invitation: %d", res.Status)
	}
	w.add("POST /invite", "/invite", invitee, map[string]string{
		"password": "Walrus+Tide42x", "password_confirm": "Walrus+Tide42x", "passphrase": "green meadow violin",
		"security_question": "custom", "security_question_custom": "First ferry?", "security_answer": "Spirit of Kent"})
}
