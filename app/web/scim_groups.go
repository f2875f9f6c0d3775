package web

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"
	filter "github.com/scim2/filter-parser/v2"

	"accountportal/app/admin"
	"accountportal/models"
)

// scimGroups answers /scim/v2/Groups: the account's roles (the built-in
// ones and its own) as SCIM groups with their members, through the roles
// pages' own methods (Roles.Roles, Roles.Role, and Roles.ChangeMembers
// for PATCH, in scim_group_patch.go), so a token needs "View and create
// roles". Roles themselves are created, renamed and deleted in the console.
type scimGroups struct {
	roles *admin.Roles
	base  string
}

const scimGroupURN = "urn:ietf:params:scim:schemas:core:2.0:Group"

type scimMember struct {
	Value   string `json:"value"`
	Ref     string `json:"$ref"`
	Display string `json:"display"`
}

type scimGroup struct {
	Schemas     []string     `json:"schemas"`
	ID          string       `json:"id"`
	DisplayName string       `json:"displayName"`
	Members     []scimMember `json:"members"`
	Meta        scimMeta     `json:"meta"`
}

func (h scimGroups) resource(r *models.Role, members []models.User) scimGroup {
	id := strconv.FormatInt(r.ID, 10)
	g := scimGroup{Schemas: []string{scimGroupURN}, ID: id, DisplayName: r.Name, Members: []scimMember{},
		Meta: scimMeta{ResourceType: "Group", Created: r.CreatedAt.UTC().Format(time.RFC3339),
			LastModified: r.UpdatedAt.UTC().Format(time.RFC3339), Location: h.base + scimPrefix + "/Groups/" + id}}
	for _, u := range members {
		uid := strconv.FormatInt(u.ID, 10)
		g.Members = append(g.Members, scimMember{Value: uid, Ref: h.base + scimPrefix + "/Users/" + uid, Display: u.DisplayName})
	}
	g.Meta.Version = scimGroupVersion(r, g.Members)
	return g
}

// scimGroupVersion is a weak ETag over the role's name, time and members.
func scimGroupVersion(r *models.Role, members []scimMember) string {
	parts := []string{r.Name, r.UpdatedAt.UTC().Format(time.RFC3339Nano)}
	for _, m := range members {
		parts = append(parts, m.Value)
	}
	return weakETag(parts...)
}

func (h scimGroups) one(c echo.Context, roleID int64) (scimGroup, error) {
	d, err := h.roles.Role(c.Request().Context(), apiActor(c).Principal, roleID)
	if err != nil {
		if errors.Is(err, admin.ErrNoSuchRole) {
			return scimGroup{}, &scimErr{status: http.StatusNotFound, detail: "No such group."}
		}
		return scimGroup{}, err
	}
	return h.resource(&d.Role.Role, d.Members), nil
}

func (h scimGroups) get(c echo.Context) error {
	id, err := scimGroupID(c)
	if err != nil {
		return err
	}
	g, err := h.one(c, id)
	if err != nil {
		return err
	}
	c.Response().Header().Set("ETag", g.Meta.Version)
	return scimJSON(c, http.StatusOK, g)
}

// list lists the roles; the only filter is displayName eq "…" (roles are
// few, so it is applied to the list).
func (h scimGroups) list(c echo.Context) error {
	name, byName := "", false
	if raw := c.QueryParam("filter"); raw != "" {
		n, err := groupNameFilter(raw)
		if err != nil {
			return err
		}
		name, byName = n, true
	}
	roles, err := h.roles.Roles(c.Request().Context(), apiActor(c).Principal)
	if err != nil {
		return err
	}
	out := scimList{Schemas: []string{scimListURN}, StartIndex: 1, Resources: []any{}}
	for i := range roles {
		if byName && !strings.EqualFold(roles[i].Name, name) {
			continue
		}
		g, err := h.one(c, roles[i].ID)
		if err != nil {
			return err
		}
		out.Resources = append(out.Resources, g)
	}
	out.TotalResults, out.ItemsPerPage = int64(len(out.Resources)), len(out.Resources)
	return scimJSON(c, http.StatusOK, out)
}

// groupNameFilter reads `displayName eq "…"`, the one filter of Groups.
func groupNameFilter(raw string) (name string, err error) {
	if len(raw) > maxFilterLen {
		return "", invalidFilter("The filter is longer than %d characters.", maxFilterLen)
	}
	defer func() {
		if r := recover(); r != nil {
			name, err = "", invalidFilter("The filter could not be read.")
		}
	}()
	expr, perr := filter.ParseFilter([]byte(strings.TrimSpace(raw)))
	e, ok := expr.(*filter.AttributeExpression)
	if perr != nil || !ok || e.AttributePath.SubAttribute != nil || !strings.EqualFold(e.AttributePath.AttributeName, "displayName") ||
		!strings.EqualFold(string(e.Operator), string(filter.EQ)) ||
		(e.AttributePath.URIPrefix != nil && !strings.EqualFold(*e.AttributePath.URIPrefix, scimGroupURN)) {
		return "", invalidFilter(`Groups take one filter: displayName eq "…".`)
	}
	return filterString(e.CompareValue, "displayName")
}

// What POST, PUT and DELETE of a group answer (501).
const (
	scimGroupCreateDetail  = "Groups are the account's roles, created in the console (Admin → Roles); SCIM changes their members with PATCH /Groups/{id}."
	scimGroupReplaceDetail = "Replacing a group with PUT is not supported; change its members with PATCH /Groups/{id}."
	scimGroupDeleteDetail  = "Groups are the account's roles, deleted in the console (Admin → Roles); SCIM changes their members with PATCH /Groups/{id}."
)

// notChangeable answers POST, PUT and DELETE of groups with 501 and
// detail: roles are created, edited and deleted in the console. A group
// id the token cannot see is 404 first, as for every group route.
func (h scimGroups) notChangeable(detail string) echo.HandlerFunc {
	return func(c echo.Context) error {
		if c.Param("id") != "" {
			id, err := scimGroupID(c)
			if err != nil {
				return err
			}
			if _, err := h.one(c, id); err != nil {
				return err
			}
		}
		return &scimErr{status: http.StatusNotImplemented, detail: detail}
	}
}
