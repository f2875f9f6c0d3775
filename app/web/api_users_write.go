package web

import (
	"net/http"
	"strconv"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/textinput"
)

// newUserBody is the body of POST /users.
type newUserBody struct {
	DisplayName string        `json:"display_name"`
	Email       string        `json:"email"`
	Username    string        `json:"username"`
	RoleIDs     []wholeNumber `json:"role_ids"`
	// SameEmailOK creates the user although another user of the account
	// has the address (a shared mailbox); without it that is 422.
	SameEmailOK bool `json:"same_email_ok"`
}

// create adds an invited user through the console's own CreateUser: the
// same checks, roles only within the token's permissions, the welcome
// email and the audit entry naming the token.
func (h apiUsers) create(c echo.Context) error {
	var body newUserBody
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if err := checkTexts(map[string]string{"display_name": body.DisplayName, "email": body.Email, "username": body.Username}); err != nil {
		return err
	}
	a := apiActor(c)
	ctx := c.Request().Context()
	id, err := h.users.CreateUser(ctx, a.Principal, admin.NewUser{DisplayName: body.DisplayName, Email: body.Email,
		Username: body.Username, RoleIDs: int64s(body.RoleIDs), SameEmailOK: body.SameEmailOK}, apiOrigin(c))
	if err != nil {
		return err
	}
	d, err := h.users.Summary(ctx, a.Principal, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set(echo.HeaderLocation, apiPrefix+"/users/"+strconv.FormatInt(id, 10))
	return c.JSON(http.StatusCreated, apiUserOf(&d.User, d.Roles, d.Areas))
}

// userChangeBody is the body of PATCH /users/{id}: the members sent are
// changed, the others kept.
type userChangeBody struct {
	DisplayName *string `json:"display_name"`
	Email       *string `json:"email"`
	Username    *string `json:"username"`
}

// update changes a user's name, email or username through the console's
// own UpdateUser: a changed email voids their links and tells the old
// address, as in the console.
func (h apiUsers) update(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body userChangeBody
	if err := readJSON(c, &body); err != nil {
		return err
	}
	if body.DisplayName == nil && body.Email == nil && body.Username == nil {
		return apperr.Fields(map[string]string{"body": "Send at least one of display_name, email and username."})
	}
	a := apiActor(c)
	ctx := c.Request().Context()
	d, err := h.users.Summary(ctx, a.Principal, id)
	if err != nil {
		return err
	}
	name, email, username := keep(body.DisplayName, d.User.DisplayName), keep(body.Email, d.User.Email), keep(body.Username, d.User.Username)
	if err := checkTexts(map[string]string{"display_name": name, "email": email, "username": username}); err != nil {
		return err
	}
	if err := h.users.UpdateUser(ctx, a.Principal, id, name, email, username, apiOrigin(c)); err != nil {
		return err
	}
	if d, err = h.users.Summary(ctx, a.Principal, id); err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiUserOf(&d.User, d.Roles, d.Areas))
}

// remove deletes a user through the console's own DeleteUser. The
// console's typed confirmation guards a click; the API's request is the
// confirmation, so the user's own username is passed as it.
func (h apiUsers) remove(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a := apiActor(c)
	ctx := c.Request().Context()
	u, err := h.users.Visible(ctx, a.Principal, id)
	if err != nil {
		return err
	}
	if err := h.users.DeleteUser(ctx, a.Principal, id, u.Username, apiOrigin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// keep is the sent value, or the current one when nothing was sent.
func keep(sent *string, current string) string {
	if sent == nil {
		return current
	}
	return *sent
}

// checkTexts refuses members that are not valid text (NUL and other
// control characters, bidi overrides) by name, before the service sees
// them.
func checkTexts(members map[string]string) error {
	problems := map[string]string{}
	for name, v := range members {
		if msg := textinput.Check(v); msg != "" {
			problems[name] = msg
		}
	}
	if len(problems) > 0 {
		return apperr.Fields(problems)
	}
	return nil
}
