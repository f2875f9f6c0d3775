package web

import (
	"net/http"
	"strconv"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/support"
	"accountportal/models"
	spages "accountportal/views/pages/support"
	"accountportal/views/viewmodel"
)

type supportHandlers struct {
	pages
	desk *support.Service
}

// isAgent lets the support desk's staff through.
func isAgent(p *identity.Principal) bool { return p.IsAgent() }

// isCustomer keeps the support desk out of every customer page.
func isCustomer(p *identity.Principal) bool { return !p.Account.IsStaff() }

func accountHref(id int64) string { return "/support/accounts/" + strconv.FormatInt(id, 10) }

// The tables showing the support desk's problems on the console's search,
// lookup and verification forms.
var (
	supportSearchFields = formFields{support.AccountQuery: spages.FieldQuery}
	supportLookupFields = formFields{support.CallerUsername: spages.FieldUsername}
	supportVerifyFields = formFields{support.CallingUser: spages.FieldCaller, support.AskedArea: spages.FieldArea,
		support.HeardPassphrase: spages.FieldPassphrase, support.HeardCode: spages.FieldCode}
)

// search finds the account; a single match opens it.
func (h supportHandlers) search(c echo.Context) error {
	q, ok := c.QueryParams()[spages.FieldQuery]
	m := viewmodel.SupportSearchPage{}
	if !ok {
		return render(c, http.StatusOK, spages.Search(h.page(c, "Verify a caller"), m))
	}
	m.Query = q[0]
	found, err := h.desk.FindAccounts(c.Request().Context(), m.Query)
	if errs, ok := supportSearchFields.errors(err); ok {
		m.Errors = viewmodel.NewErrors(errs, spages.SearchFields...)
		return render(c, http.StatusUnprocessableEntity, spages.Search(h.page(c, "Verify a caller"), m))
	}
	if err != nil {
		return err
	}
	if len(found) == 1 {
		return c.Redirect(http.StatusSeeOther, accountHref(found[0].ID))
	}
	for _, a := range found {
		m.Accounts = append(m.Accounts, viewmodel.SupportAccount{Href: accountHref(a.ID), Number: a.Number, Name: a.Name})
	}
	return render(c, http.StatusOK, spages.Search(h.page(c, "Verify a caller"), m))
}

// verifyForm is the verification form. The passphrase and code are never
// put back into the page. Its tags are field names of views/pages/support.
type verifyForm struct {
	Caller     string `form:"caller"`
	Area       string `form:"area"`
	Passphrase string `form:"passphrase"`
	Code       string `form:"code"`
}

// show is the console for one account; ?username= looks up a caller who is
// not among the admins.
func (h supportHandlers) show(c echo.Context) error {
	v, err := h.view(c)
	if err != nil {
		return err
	}
	status := http.StatusOK
	if name, ok := c.QueryParams()[spages.FieldUsername]; ok {
		v.m.LookupUsername = name[0]
		found, err := h.desk.CallerByUsername(c.Request().Context(), v.account.ID, name[0])
		if errs, ok := supportLookupFields.errors(err); ok {
			status, v.m.Errors = http.StatusUnprocessableEntity, viewmodel.NewErrors(errs, spages.LookupFields...)
		} else if err != nil {
			return err
		} else {
			look := callerView(*found)
			v.m.Lookup = &look
			v.m.CallerID = look.ID
		}
	}
	return h.render(c, status, v)
}

// verify checks the caller and shows the answer above a fresh form.
func (h supportHandlers) verify(c echo.Context) error {
	var f verifyForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	accountID, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return support.ErrNoAccount
	}
	callerID, _ := strconv.ParseInt(f.Caller, 10, 64)
	// Verify first: an agent over their limit, or an unknown account, costs
	// no page to build.
	res, verr := h.desk.Verify(c.Request().Context(), state(c).principal, support.Request{AccountID: accountID,
		CallerID: callerID, Area: f.Area, Passphrase: f.Passphrase, Code: f.Code}, origin(c))
	errs, invalid := supportVerifyFields.errors(verr)
	if verr != nil && !invalid {
		return verr
	}
	v, err := h.view(c)
	if err != nil {
		return err
	}
	v.m.CallerID, v.area = f.Caller, f.Area
	if invalid {
		v.m.Errors = viewmodel.NewErrors(errs, spages.VerifyFields...)
		return h.render(c, http.StatusUnprocessableEntity, v)
	}
	r := resultView(res)
	v.m.Result = &r
	return h.render(c, http.StatusOK, v)
}

// consoleView is the console page being built, with its account.
type consoleView struct {
	account *models.Account
	area    string
	m       viewmodel.SupportPage
}

func (h supportHandlers) view(c echo.Context) (*consoleView, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil {
		return nil, support.ErrNoAccount
	}
	ctx := c.Request().Context()
	a, err := h.desk.Account(ctx, id)
	if err != nil {
		return nil, err
	}
	admins, err := h.desk.Admins(ctx, a.ID)
	if err != nil {
		return nil, err
	}
	v := &consoleView{account: a, m: viewmodel.SupportPage{Number: a.Number, Name: a.Name,
		Self: accountHref(a.ID), Action: accountHref(a.ID) + "/verify", CodeValidFor: aboutMinutes(h.desk.CodeTTL())}}
	for _, caller := range admins {
		v.m.Admins = append(v.m.Admins, callerView(caller))
	}
	if !a.Usable() {
		// The desk still verifies the callers of a suspended or closed
		// account: it may have to talk to them about it.
		v.m.AccountNotice = "The provider has " + a.Status + " this account: its users cannot sign in, reset a password " +
			"or get email from the portal. You may still verify a caller, to talk to them about it."
	}
	return v, nil
}

func (h supportHandlers) render(c echo.Context, status int, v *consoleView) error {
	for i := range v.m.Admins {
		v.m.Admins[i].Checked = v.m.Admins[i].ID == v.m.CallerID
	}
	for _, a := range support.Areas() {
		v.m.Areas = append(v.m.Areas, viewmodel.Choice{Value: a.Key, Label: a.Label, Checked: a.Key == v.area})
	}
	return render(c, status, spages.Verify(h.page(c, "Verify a caller: "+v.account.Name), v.m))
}

func callerView(c support.Caller) viewmodel.SupportCaller {
	v := viewmodel.SupportCaller{ID: strconv.FormatInt(c.User.ID, 10), Name: c.User.DisplayName, Username: c.User.Username,
		Primary: c.User.IsPrimaryAdmin, Admin: c.Admin, Suspended: c.User.Status == models.StatusSuspended,
		HasPassphrase: c.HasPassphrase}
	for _, a := range c.Areas {
		v.Areas = append(v.Areas, identity.PermissionLabel(a))
	}
	return v
}

// resultView words an outcome for the agent.
func resultView(res *support.Result) viewmodel.SupportResult {
	r := viewmodel.SupportResult{Outcome: string(res.Outcome), Verified: res.Outcome == support.Verified,
		Caller: res.Caller.User.DisplayName + " (" + res.Caller.User.Username + ")", Area: identity.PermissionLabel(res.Area)}
	switch res.Outcome {
	case support.Verified:
		r.Heading, r.Message = "Verified", "The caller is who they say and may ask about this. Go ahead."
		for _, a := range res.Caller.Areas {
			r.MayRequest = append(r.MayRequest, identity.PermissionLabel(a))
		}
	case support.Mismatch:
		r.Heading = "Not verified: " + secretWord(res.Method) + " does not match"
		r.Message = "Do not act on this call. "
		if res.LockedUntil.IsZero() {
			r.Message += strconv.Itoa(res.AttemptsLeft) + " more wrong " + plural(int64(res.AttemptsLeft), "attempt locks", "attempts lock") +
				" verification of this caller for an hour."
		} else {
			r.Message += "That was the last attempt: verification of this caller is locked until " + clock(res.LockedUntil) +
				", and they have been emailed."
		}
	case support.NoPassphrase:
		r.Heading = "Not verified: no passphrase set"
		r.Message = "Ask the caller to set one in My Profile, or to read you a one-time support code made there."
	case support.NoPrivilege:
		r.Heading = "Not verified: the caller has no privilege for this area"
		r.Message = "The passphrase is right, but this caller may not ask about " + r.Area + "."
		r.Holders = res.Holders
		if len(r.Holders) == 0 {
			r.Message += " Nobody in the account may, except the Primary Admin."
		}
	case support.Suspended:
		r.Heading = "Not verified: caller suspended"
		r.Message = "This user is suspended in their account and cannot make requests. They should contact their Primary Admin."
	case support.Locked:
		r.Heading = "Not verified: verification locked"
		r.Message = "Too many wrong attempts for this caller. Verification is locked until " + clock(res.LockedUntil) + "."
	}
	return r
}

func secretWord(method string) string {
	if method == support.MethodCode {
		return "support code"
	}
	return "passphrase"
}

func clock(t time.Time) string { return t.UTC().Format("15:04 UTC on 2 Jan 2006") }
