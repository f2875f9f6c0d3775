package apptest

import (
	"context"
	"net/http"
	"time"

	"accountportal/app/security"
	"accountportal/app/support"
	"accountportal/models"
)

// AddAgent creates a support desk agent, as the support-agent command
// does, and gives them password as if they had followed their link.
func (e *Env) AddAgent(name, email, password string) *models.User {
	e.T.Helper()
	return e.addStaff(support.RoleAgent, name, email, password)
}

// AddOperator creates one of the provider's operators, as the operator
// command does, and gives them password as if they had followed their link.
func (e *Env) AddOperator(name, email, password string) *models.User {
	e.T.Helper()
	return e.addStaff(support.RoleOperator, name, email, password)
}

func (e *Env) addStaff(role support.StaffRole, name, email, password string) *models.User {
	e.T.Helper()
	ctx := context.Background()
	u, _, err := e.App.Support.CreateStaff(ctx, role, support.NewAgent{DisplayName: name, Email: email})
	if err != nil {
		e.T.Fatalf("create %s: %v", role.Name, err)
	}
	hash := HashPassword(e.T, security.Argon2Params(e.App.Config.Argon2), password)
	now := e.Clock.Now()
	if err := e.Store().Users.SetPasswordHash(ctx, u.ID, hash, true, now); err != nil {
		e.T.Fatal(err)
	}
	if err := e.Store().Users.SetStatus(ctx, u.ID, models.StatusActive, now); err != nil {
		e.T.Fatal(err)
	}
	u.Status = models.StatusActive
	return u
}

// SignInEnrolling signs in a user whose account requires a second factor
// they have not set up yet, sets it up on the forced setup page, and
// returns the key and the final response.
func (c *Client) SignInEnrolling(username, password string, clock *Clock) (string, *Response) {
	c.t.Helper()
	res := c.SignIn(username, password)
	if res.Status != http.StatusSeeOther || res.Location != "/login/mfa/setup" {
		c.t.Fatalf("sign in %s: %d %q, want the forced setup", username, res.Status, res.Location)
	}
	setup := c.Get("/login/mfa/setup")
	key := setup.Doc.Find("[data-testid=totp-secret]").Text()
	res = c.Submit(setup, "form[data-testid=mfa-setup-form]", map[string]string{"code": TOTP(key, clock.Now())})
	if res.Status != http.StatusOK {
		c.t.Fatalf("forced enrolment of %s: %d", username, res.Status)
	}
	return key, c.finish(c.Submit(res, "form:has([data-testid=codes-continue])", nil))
}

// SignInTOTP signs in with a password and the authenticator's code. The
// clock moves on 30 seconds first: a code is accepted once per period.
func (c *Client) SignInTOTP(username, password, key string, clock *Clock) *Response {
	c.t.Helper()
	res := c.SignIn(username, password)
	if res.Status != http.StatusSeeOther || res.Location != "/login/mfa" {
		return res
	}
	clock.Advance(30 * time.Second)
	page := c.Get("/login/mfa")
	return c.finish(c.Submit(page, "form[data-testid=mfa-form]", map[string]string{"code": TOTP(key, clock.Now())}))
}

// finish accepts the license agreement when sign-in asks for it.
func (c *Client) finish(res *Response) *Response {
	if res.Status == http.StatusSeeOther && res.Location == "/login/agreement" {
		res = c.Submit(c.Get("/login/agreement"), "form[action='/login/agreement']", nil)
	}
	return res
}
