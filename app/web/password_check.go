package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/security"
)

// passwordCheckForm is what the password checklist's script sends while the
// user types: the password and the identity fields its form holds.
type passwordCheckForm struct {
	Password    string `form:"password"`
	Username    string `form:"username"`
	Email       string `form:"email"`
	DisplayName string `form:"display_name"`
}

// passwordCheckResult is the answer: the one rule a browser cannot judge.
type passwordCheckResult struct {
	Common bool `json:"common"`
}

// checkPassword tells the checklist whether the password is a common or
// easily guessed one, with the same estimator the forms use, so a password
// that will be accepted shows every rule met before it is sent. It stores
// and logs nothing.
func checkPassword(c echo.Context) error {
	var f passwordCheckForm
	if err := bindForm(c, &f); err != nil {
		return err
	}
	who := security.Subject{Username: f.Username, Email: f.Email, DisplayName: f.DisplayName}
	pw := security.NormalizePassword(f.Password)
	return c.JSON(http.StatusOK, passwordCheckResult{Common: pw != "" && security.Guessable(pw, who)})
}
