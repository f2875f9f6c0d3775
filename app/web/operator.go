package web

import (
	"errors"
	"net/http"
	"net/url"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/provider"
	"accountportal/models"
	errpages "accountportal/views/pages/errors"
	"accountportal/views/pages/operator"
	"accountportal/views/viewmodel"
)

// operatorPath is the operator console's home: the customer accounts.
const operatorPath = "/operator"

// The operator console's addresses. The account page links to the
// actions on an account, each a page of its own (GET shows its form).
const (
	operatorAccountsPath = operatorPath + "/accounts"
	// onboardPath is where an operator onboards a new customer account.
	onboardPath = operatorAccountsPath + "/new"
)

// Actions on one customer account: operatorAccountPath(id) + one of these.
const (
	actionInvitation   = "/invitation"
	actionSuspend      = "/suspend"
	actionReactivate   = "/reactivate"
	actionClose        = "/close"
	actionPrimaryAdmin = "/primary-admin"
)

// operatorAccountPath is one customer account's page in the console.
func operatorAccountPath(id int64) string { return operatorAccountsPath + "/" + itoa(id) }

// isOperator lets only the provider's operators into their console.
func isOperator(p *identity.Principal) bool { return p.IsOperator() }

type operatorHandlers struct {
	pages
	provider *provider.Service
}

// accounts lists the customer accounts: a search, a status filter, a sort
// and keyset pages. A query the page cannot have made gets a 400 page
// that says what was wrong.
func (h operatorHandlers) accounts(c echo.Context) error {
	q := c.QueryParams()
	list, err := h.provider.ListAccounts(c.Request().Context(), state(c).principal, provider.ListQuery{
		Search: q.Get(operator.FieldSearch), Status: q.Get(operator.FieldStatus), Sort: q.Get(operator.FieldSort),
		Order: q.Get(operator.FieldOrder), After: q.Get(operator.ParamAfter), Before: q.Get(operator.ParamBefore),
		Last: q.Has(operator.ParamLast)})
	if bad := (*provider.BadQuery)(nil); errors.As(err, &bad) {
		return render(c, http.StatusBadRequest, errpages.Page(h.page(c, "Check the address"), viewmodel.ErrorPage{
			Status: http.StatusBadRequest, Heading: "Check the address", Message: bad.Message,
			Back: viewmodel.Link{Href: operatorPath, Title: "Show all customer accounts"}}))
	}
	if err != nil {
		return err
	}
	m := viewmodel.OperatorAccounts{Search: list.Search, Status: list.Status, Sort: list.Sort, Order: list.Order,
		ByNumber: list.ByNumber, OnboardURL: onboardPath}
	base := listQuery(list)
	m.NextURL = pageURL(operatorPath, base, operator.ParamAfter, list.Next)
	m.PrevURL = pageURL(operatorPath, base, operator.ParamBefore, list.Prev)
	// Any page but the first links back to it, even one left empty by
	// accounts that went away since its link was made.
	if m.PrevURL != "" || q.Get(operator.ParamAfter) != "" || q.Get(operator.ParamBefore) != "" || q.Has(operator.ParamLast) {
		m.FirstURL = operatorPath + "?" + base.Encode()
	}
	if m.NextURL != "" {
		m.LastURL = pageURL(operatorPath, base, operator.ParamLast, "1")
	}
	for _, r := range list.Rows {
		label, class := accountStatus(r.Account.Status)
		m.Rows = append(m.Rows, viewmodel.OperatorAccountRow{Href: operatorAccountPath(r.Account.ID), Number: r.Account.Number,
			Name: r.Account.Name, Status: r.Account.Status, StatusLabel: label, StatusClass: class,
			Users: strconv.FormatInt(r.Users, 10), Created: r.Account.CreatedAt.UTC().Format("2 Jan 2006")})
	}
	return render(c, http.StatusOK, operator.Accounts(h.page(c, "Customer accounts").Widened(), m))
}

// listQuery is the list's query as understood, for the pager's links.
func listQuery(list *provider.AccountList) url.Values {
	q := url.Values{}
	if list.Search != "" {
		q.Set(operator.FieldSearch, list.Search)
	}
	q.Set(operator.FieldStatus, list.Status)
	q.Set(operator.FieldSort, list.Sort)
	q.Set(operator.FieldOrder, list.Order)
	return q
}

// accountStatus words an account's status for operators, with the class
// that colours it.
func accountStatus(status string) (label, class string) {
	switch status {
	case models.AccountPending:
		return "Waiting for the Primary Admin", "status-invited"
	case models.AccountActive:
		return "Active", "status-active"
	case models.AccountSuspended:
		return "Suspended", "status-suspended"
	case models.AccountClosed:
		return "Closed", "status-suspended"
	}
	return status, ""
}

// statusLabel is accountStatus's words alone.
func statusLabel(status string) string {
	label, _ := accountStatus(status)
	return label
}

// accountParam reads the customer account id of an operator's route; a
// malformed one is answered as an account that does not exist.
func accountParam(c echo.Context) (int64, error) {
	id, err := atoi(c.Param("id"))
	if err != nil {
		return 0, provider.ErrNoAccount
	}
	return id, nil
}
