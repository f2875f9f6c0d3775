package web

import (
	"net/http"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/models"
)

// apiRoles answers /api/v1/roles through the roles pages' own service
// methods: "View and create roles", and giving or taking a role only
// within the token's permissions and to users it may act on.
type apiRoles struct {
	roles *admin.Roles
	users *admin.Users
}

// apiRole is a role as the API shows one.
type apiRole struct {
	ID          int64    `json:"id"`
	Name        string   `json:"name"`
	Description string   `json:"description"`
	BuiltIn     bool     `json:"built_in"`
	Permissions []string `json:"permissions"`
	Members     int64    `json:"members"`
}

// apiMember is a member of a role.
type apiMember struct {
	ID          int64  `json:"id"`
	Username    string `json:"username"`
	DisplayName string `json:"display_name"`
}

type apiRoleDetail struct {
	apiRole
	MemberList []apiMember `json:"member_list"`
}

func apiRoleOf(r *models.RoleWithCount) apiRole {
	out := apiRole{ID: r.ID, Name: r.Name, Description: r.Description, BuiltIn: r.AccountID == nil,
		Permissions: r.Permissions, Members: r.Members}
	if out.Permissions == nil {
		out.Permissions = []string{}
	}
	return out
}

func (h apiRoles) list(c echo.Context) error {
	roles, err := h.roles.Roles(c.Request().Context(), apiActor(c).Principal)
	if err != nil {
		return err
	}
	out := struct {
		Data []apiRole `json:"data"`
	}{Data: make([]apiRole, 0, len(roles))}
	for i := range roles {
		out.Data = append(out.Data, apiRoleOf(&roles[i]))
	}
	return c.JSON(http.StatusOK, out)
}

func (h apiRoles) show(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := h.roles.Role(c.Request().Context(), apiActor(c).Principal, id)
	if err != nil {
		return err
	}
	out := apiRoleDetail{apiRole: apiRoleOf(&d.Role), MemberList: make([]apiMember, 0, len(d.Members))}
	for _, u := range d.Members {
		out.MemberList = append(out.MemberList, apiMember{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName})
	}
	return c.JSON(http.StatusOK, out)
}

// memberBody is the body of POST /roles/{id}/members.
type memberBody struct {
	UserID wholeNumber `json:"user_id"`
}

// addMember gives the user the role through the roles pages' AssignRole
// (the user is emailed when it changes anything, and it is audited with
// the token's name); giving a role they hold already changes nothing.
func (h apiRoles) addMember(c echo.Context) error {
	roleID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	var body memberBody
	if err := readJSON(c, &body); err != nil {
		return err
	}
	return h.assign(c, roleID, int64(body.UserID), true)
}

// removeMember takes the role away, by the same rules.
func (h apiRoles) removeMember(c echo.Context) error {
	roleID, err := pathID(c, "id")
	if err != nil {
		return err
	}
	userID, err := pathID(c, "user_id")
	if err != nil {
		return err
	}
	return h.assign(c, roleID, userID, false)
}

// assign answers with the user as they are after the change.
func (h apiRoles) assign(c echo.Context, roleID, userID int64, give bool) error {
	a := apiActor(c)
	ctx := c.Request().Context()
	if _, _, err := h.roles.AssignRole(ctx, a.Principal, roleID, userID, give, apiOrigin(c)); err != nil {
		return err
	}
	d, err := h.users.Summary(ctx, a.Reader(), userID)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiUserOf(&d.User, d.Roles, d.Areas))
}
