package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/views/pages/home"
	"accountportal/views/viewmodel"
)

type homeHandlers struct {
	srv *Server
}

// show greets the user with their account and what they may use.
func (h homeHandlers) show(c echo.Context) error {
	p := state(c).principal
	m := viewmodel.HomePage{
		DisplayName:    p.User.DisplayName,
		AccountName:    p.Account.Name,
		AccountNumber:  p.Account.Number,
		IsPrimaryAdmin: p.User.IsPrimaryAdmin,
		Links: []viewmodel.Link{{Href: "/profile", Title: "My Profile",
			Description: "Your details, support passphrase, password, security question, email address and where you're signed in."}},
	}
	return render(c, http.StatusOK, home.Page(h.srv.page(c, "Home"), m))
}
