package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/identity"
	"accountportal/app/provider"
	"accountportal/views/pages/operator"
	"accountportal/views/viewmodel"
)

// operatorPath is the operator console's home: the customer accounts.
const operatorPath = "/operator"

// isOperator lets only the provider's operators into their console.
func isOperator(p *identity.Principal) bool { return p.IsOperator() }

type operatorHandlers struct {
	pages
	provider *provider.Service
}

// accounts lists the customer accounts.
func (h operatorHandlers) accounts(c echo.Context) error {
	list, err := h.provider.Accounts(c.Request().Context())
	if err != nil {
		return err
	}
	m := viewmodel.OperatorAccounts{Rows: make([]viewmodel.OperatorAccountRow, len(list))}
	for i, a := range list {
		m.Rows[i] = viewmodel.OperatorAccountRow{Number: a.Number, Name: a.Name, Status: a.Status}
	}
	return render(c, http.StatusOK, operator.Accounts(h.page(c, "Customer accounts"), m))
}
