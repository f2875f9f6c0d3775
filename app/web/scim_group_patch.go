package web

import (
	"errors"
	"fmt"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"
	filter "github.com/scim2/filter-parser/v2"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/models"
)

// PATCH /scim/v2/Groups/{id}: an identity provider's changes to a role's
// members, as Entra ID and Okta send them, through Roles.ChangeMembers:
// AssignRole's rules for every member, all or nothing. A group's
// displayName is the role's name, renamed in the console only.

const groupRenameDetail = "Groups are the account's roles, renamed in the console (Admin → Roles); SCIM cannot change a group's displayName."

var errTooManyMembers = scimBad("tooMany", fmt.Sprintf("Name at most %d members in one request; send the rest in another.", admin.MaxMemberChanges))

const groupChangedDetail = "The group changed since that version; read it again."

// scimGroupID reads the path's id: not a positive integer is 404.
func scimGroupID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &scimErr{status: http.StatusNotFound, detail: "No such group."}
	}
	return id, nil
}

func (h scimGroups) patch(c echo.Context) error {
	id, err := scimGroupID(c)
	if err != nil {
		return err
	}
	g, err := h.one(c, id)
	if err != nil {
		return err
	}
	if err := ifMatchVersion(c, g.Meta.Version, groupChangedDetail); err != nil {
		return err
	}
	ops, err := readPatchOps(c)
	if err != nil {
		return err
	}
	steps, err := groupSteps(ops, &g)
	if err != nil {
		return err
	}
	if len(steps) > 0 {
		// Compared again under the change's lock: two requests holding
		// one version cannot both change the members.
		check := func(r *models.RoleWithCount, members []models.User) error {
			return ifMatchVersion(c, h.resource(&r.Role, members).Meta.Version, groupChangedDetail)
		}
		if _, err := h.roles.ChangeMembers(c.Request().Context(), apiActor(c).Principal, id, steps, check, apiOrigin(c)); err != nil {
			return memberRefusal(err)
		}
	}
	if g, err = h.one(c, id); err != nil {
		return err
	}
	c.Response().Header().Set("ETag", g.Meta.Version)
	return scimJSON(c, http.StatusOK, g)
}

// groupSteps reads a PatchOp's operations as changes to the members.
func groupSteps(ops []scimPatchOp, g *scimGroup) ([]admin.MemberStep, error) {
	var steps []admin.MemberStep
	named := 0
	for _, op := range ops {
		got, err := groupOp(op, g)
		if err != nil {
			return nil, err
		}
		for _, st := range got {
			named += len(st.UserIDs)
		}
		if named > admin.MaxMemberChanges {
			return nil, errTooManyMembers
		}
		steps = append(steps, got...)
	}
	return steps, nil
}

// groupOp reads one operation: with a path, or without one and a value
// object of attributes (applied in the order of their names).
func groupOp(op scimPatchOp, g *scimGroup) ([]admin.MemberStep, error) {
	if op.Path != "" {
		attr, member, err := groupPath(op.Path)
		if err != nil {
			return nil, err
		}
		return groupAttr(op.Op, attr, member, op.Value, g)
	}
	if op.Op == "remove" {
		return nil, scimBad("noTarget", "remove needs a path.")
	}
	m, ok := op.Value.(map[string]any)
	if !ok {
		return nil, scimBad("invalidValue", "An operation without a path takes an object of attributes.")
	}
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var steps []admin.MemberStep
	named := map[string]string{}
	for _, k := range keys {
		attr, member, err := groupPath(k)
		if err != nil {
			return nil, err
		}
		if member != 0 {
			return nil, scimBad("invalidPath", "An attribute name in a value takes no filter.")
		}
		// members and the Group schema's URN:members are one attribute.
		if first, twice := named[attr]; twice {
			return nil, attrGivenTwice(first, k)
		}
		named[attr] = k
		got, err := groupAttr(op.Op, attr, 0, m[k], g)
		if err != nil {
			return nil, err
		}
		steps = append(steps, got...)
	}
	return steps, nil
}

// groupPath reads a path of a Group: displayName, members, or
// members[value eq "<id>"] (member is that id), with or without the Group
// schema's URN; attr is lower case.
func groupPath(raw string) (attr string, member int64, err error) {
	if len(raw) > 300 {
		return "", 0, scimBad("invalidPath", "The path is too long.")
	}
	defer func() {
		if r := recover(); r != nil {
			attr, member, err = "", 0, scimBad("invalidPath", "The path "+raw+" could not be read.")
		}
	}()
	p, perr := filter.ParsePath([]byte(raw))
	if perr != nil {
		return "", 0, scimBad("invalidPath", "The path "+raw+" could not be read.")
	}
	if p.AttributePath.URIPrefix != nil && !strings.EqualFold(*p.AttributePath.URIPrefix, scimGroupURN) {
		return "", 0, scimBad("invalidPath", "Unknown schema in the path "+raw+".")
	}
	attr = strings.ToLower(p.AttributePath.AttributeName)
	if p.AttributePath.SubAttribute != nil || p.SubAttribute != nil {
		return "", 0, scimBad("invalidPath", "The path "+raw+" names a sub-attribute; a group's are changed whole.")
	}
	if p.ValueExpression == nil {
		return attr, 0, nil
	}
	e, ok := p.ValueExpression.(*filter.AttributeExpression)
	if attr != "members" || !ok || !strings.EqualFold(e.AttributePath.AttributeName, "value") || e.AttributePath.SubAttribute != nil ||
		!strings.EqualFold(string(e.Operator), string(filter.EQ)) {
		return "", 0, scimBad("invalidPath", `The one filter in a path is members[value eq "<user id>"].`)
	}
	s, err := filterString(e.CompareValue, "members.value")
	if err != nil {
		return "", 0, err
	}
	id, err := memberID(s)
	return attr, id, err
}

// groupAttr turns an operation on one attribute into member steps.
func groupAttr(op, attr string, member int64, v any, g *scimGroup) ([]admin.MemberStep, error) {
	switch attr {
	case "displayname":
		return nil, unchanged(op, v, g.DisplayName, groupRenameDetail)
	case "id":
		// Okta sends the id with the name in a replace.
		return nil, unchanged(op, v, g.ID, "The attribute id is read-only.")
	case "meta", "schemas":
		return nil, scimBad("mutability", "The attribute "+attr+" is read-only.")
	case "members":
	default:
		return nil, scimBad("invalidPath", "Groups take displayName and members; "+attr+" is not one of them.")
	}
	if member != 0 {
		if op != "remove" {
			return nil, scimBad("invalidPath", op+" takes a list of members at the path members, without a filter.")
		}
		return []admin.MemberStep{{Op: admin.TakeRole, UserIDs: []int64{member}}}, nil
	}
	if v == nil {
		if op == "remove" {
			// RFC 7644 3.5.2.2: remove at a multi-valued path with no
			// filter and no value removes every value.
			return []admin.MemberStep{{Op: admin.SetMembers, UserIDs: []int64{}}}, nil
		}
		return nil, scimBad("invalidValue", op+" needs a value.")
	}
	ids, err := memberIDs(v)
	if err != nil {
		return nil, err
	}
	stepOp := map[string]admin.MemberOp{"add": admin.GiveRole, "remove": admin.TakeRole, "replace": admin.SetMembers}[op]
	return []admin.MemberStep{{Op: stepOp, UserIDs: ids}}, nil
}

// unchanged accepts an operation on a read-only attribute only when it
// leaves the value as it is (clients send the name and id with the
// members), else refuses with detail.
func unchanged(op string, v any, have, detail string) error {
	if op == "remove" {
		return scimBad("mutability", detail)
	}
	s, ok := v.(string)
	if !ok {
		return scimBad("invalidValue", "displayName and id are strings.")
	}
	if strings.TrimSpace(s) != have {
		return scimBad("mutability", detail)
	}
	return nil
}

// memberIDs reads a list of members ({"value": "<user id>", …}; a single
// object too), keeping only their ids: display and $ref are the portal's.
func memberIDs(v any) ([]int64, error) {
	list, ok := v.([]any)
	if m, one := v.(map[string]any); one {
		list, ok = []any{m}, true
	}
	if !ok {
		return nil, scimBad("invalidValue", `members takes a list of {"value": "<user id>"}.`)
	}
	if len(list) > admin.MaxMemberChanges {
		return nil, errTooManyMembers
	}
	ids := make([]int64, 0, len(list))
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, scimBad("invalidValue", `Each member is an object {"value": "<user id>"}.`)
		}
		var raw any
		for k, val := range m {
			if strings.EqualFold(k, "value") {
				raw = val
			}
		}
		s, ok := raw.(string)
		if !ok {
			return nil, scimBad("invalidValue", `Each member needs its user id as a string in "value".`)
		}
		id, err := memberID(s)
		if err != nil {
			return nil, err
		}
		ids = append(ids, id)
	}
	return ids, nil
}

// memberID reads a user id, a positive decimal integer written as the
// id itself is: no sign and no leading zero, so one user has one
// spelling (an identity provider's own duplicate check compares strings).
func memberID(s string) (int64, error) {
	id, err := strconv.ParseInt(s, 10, 64)
	if err != nil || id <= 0 || strconv.FormatInt(id, 10) != s {
		if len(s) > 40 {
			s = s[:40] + "…"
		}
		return 0, scimBad("invalidValue", fmt.Sprintf("members: %q is not a user id.", s))
	}
	return id, nil
}

// memberRefusal answers ChangeMembers' refusals: a member who is no user
// of the account is a bad value (400), one the token may not act on is
// 403, and either way nothing changed.
func memberRefusal(err error) error {
	var me *admin.MemberError
	switch {
	case errors.Is(err, admin.ErrNoSuchRole):
		return &scimErr{status: http.StatusNotFound, detail: "No such group."}
	case errors.Is(err, admin.ErrTooManyMembers):
		return errTooManyMembers
	case !errors.As(err, &me):
		return err
	}
	ae, ok := apperr.As(me.Err)
	switch {
	case ok && ae.Code == apperr.NotFound:
		return scimBad("invalidValue", fmt.Sprintf("members: there is no user %d in this account, so nothing was changed.", me.UserID))
	case ok && ae.Code == apperr.Forbidden:
		return &scimErr{status: http.StatusForbidden, detail: fmt.Sprintf("Member %d was refused, so nothing was changed: %s", me.UserID, ae.Message)}
	}
	return err
}
