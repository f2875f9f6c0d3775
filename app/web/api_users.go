package web

import (
	"bytes"
	"encoding/json"
	"io"
	"mime"
	"net/http"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
	"accountportal/app/textinput"
	"accountportal/models"
)

// apiUsers answers /api/v1/users through the users console's own service
// methods: the same rules of who may see and act on whom.
type apiUsers struct {
	users   *admin.Users
	cursors listCursors
}

// apiUser is a user as the API shows one.
type apiUser struct {
	ID           int64      `json:"id"`
	Username     string     `json:"username"`
	DisplayName  string     `json:"display_name"`
	Email        string     `json:"email"`
	Status       string     `json:"status"`
	PrimaryAdmin bool       `json:"primary_admin"`
	MFAEnrolled  bool       `json:"mfa_enrolled"`
	Roles        []string   `json:"roles"`
	Areas        []string   `json:"areas"`
	LastSignInAt *time.Time `json:"last_sign_in_at"`
	CreatedAt    time.Time  `json:"created_at"`
}

func apiUserOf(u *models.User, roles, areas []string) apiUser {
	out := apiUser{ID: u.ID, Username: u.Username, DisplayName: u.DisplayName, Email: u.Email, Status: u.Status,
		PrimaryAdmin: u.IsPrimaryAdmin, MFAEnrolled: u.MFAEnrolledAt != nil, Roles: roles, Areas: areas,
		CreatedAt: u.CreatedAt.UTC(), LastSignInAt: u.LastSignInAt}
	if out.Roles == nil {
		out.Roles = []string{}
	}
	if out.Areas == nil {
		out.Areas = []string{}
	}
	if out.LastSignInAt != nil {
		t := out.LastSignInAt.UTC()
		out.LastSignInAt = &t
	}
	return out
}

type apiUserList struct {
	Data []apiUser `json:"data"`
	// Next is the cursor of the next page, or null on the last.
	Next *string `json:"next"`
}

// apiListQuery reads the list's parameters strictly: an unknown value is 422,
// where the console's page falls back to its defaults.
func apiListQuery(c echo.Context) (admin.ListQuery, error) {
	q := admin.ListQuery{Size: 25, Sort: models.SortName}
	problems := listParams(c, []string{"search", "status", "role", "privileged", "mfa", "sort", "limit", "cursor"})
	get := c.QueryParam
	q.Filter.Search = get("search")
	if utf8.RuneCountInString(q.Filter.Search) > 200 {
		problems["search"] = "search must be at most 200 characters."
	}
	switch s := get("status"); s {
	case "", models.StatusActive, models.StatusSuspended, models.StatusInvited:
		q.Filter.Status = s
	default:
		problems["status"] = "status must be active, suspended or invited."
	}
	if r := get("role"); r != "" {
		id, err := strconv.ParseInt(r, 10, 64)
		if err != nil || id <= 0 {
			problems["role"] = "role must be a role's id, a whole number such as 12 (see GET /api/v1/roles)."
		}
		q.Filter.RoleID = id
	}
	for name, dst := range map[string]**bool{"privileged": &q.Filter.Privileged, "mfa": &q.Filter.MFA} {
		switch get(name) {
		case "":
		case "true":
			t := true
			*dst = &t
		case "false":
			f := false
			*dst = &f
		default:
			problems[name] = name + " must be true or false."
		}
	}
	switch s := get("sort"); s {
	case "":
	case models.SortName, models.SortUsername, models.SortEmail:
		q.Sort = s
	default:
		problems["sort"] = "sort must be name, username or email."
	}
	switch l := get("limit"); l {
	case "":
	case "25", "50", "100":
		q.Size, _ = strconv.Atoi(l)
	default:
		problems["limit"] = listLimit
	}
	if len(problems) > 0 {
		return q, apperr.Fields(problems)
	}
	return q, nil
}

// usersListing names the listing q asks for, for its cursors: the
// account, the sort and every filter (not the page size, which a client
// may change between pages).
func usersListing(accountID int64, q admin.ListQuery) listing {
	f := q.Filter
	return newListing("users", accountID, q.Sort, f.Search, f.Status, strconv.FormatInt(f.RoleID, 10),
		optionalBool(f.Privileged), optionalBool(f.MFA))
}

// optionalBool is "true", "false" or "" for no choice.
func optionalBool(b *bool) string {
	if b == nil {
		return ""
	}
	return strconv.FormatBool(*b)
}

func (h apiUsers) list(c echo.Context) error {
	q, err := apiListQuery(c)
	if err != nil {
		return err
	}
	l := usersListing(apiActor(c).Token.AccountID, q)
	if c.QueryParams().Has("cursor") { // even empty: see msgEmptyCursor
		if q.After, err = h.cursors.open(l, c.QueryParam("cursor")); err != nil {
			return err
		}
	}
	list, err := h.users.ListUsers(c.Request().Context(), apiActor(c).Reader(), q)
	if err != nil {
		return err
	}
	out := apiUserList{Data: make([]apiUser, 0, len(list.Rows))}
	for i := range list.Rows {
		r := &list.Rows[i]
		out.Data = append(out.Data, apiUserOf(&r.User, r.Roles, r.Areas))
	}
	if list.Next != "" {
		next := h.cursors.seal(l, list.Next)
		out.Next = &next
	}
	return c.JSON(http.StatusOK, out)
}

func (h apiUsers) show(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	d, err := h.users.Summary(c.Request().Context(), apiActor(c).Reader(), id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiUserOf(&d.User, d.Roles, d.Areas))
}

// statusBody is the body of deactivate and reactivate.
type statusBody struct {
	Reason string `json:"reason"`
}

// readJSON decodes the request's JSON body into dst, refusing unknown
// fields, members given twice, trailing data and anything that is not
// valid text (invalid UTF-8, lone surrogate escapes).
func readJSON(c echo.Context, dst any) error {
	if !isMediaType(c.Request().Header.Get(echo.HeaderContentType), echo.MIMEApplicationJSON) {
		return apperr.Fields(map[string]string{"Content-Type": msgJSONOnly})
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return err
	}
	if !utf8.Valid(raw) {
		return apperr.Fields(map[string]string{"body": textinput.MsgUnreadable})
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return apperr.Fields(map[string]string{"body": "The body is not the JSON object this operation takes."})
	}
	if dec.More() {
		return apperr.Fields(map[string]string{"body": "Send one JSON object."})
	}
	switch f := faultsOf(raw); {
	case f.twice != "":
		return apperr.Fields(map[string]string{f.twice: givenTwice(f.twice)})
	case f.loneSurrogate != "":
		return apperr.Fields(map[string]string{f.loneSurrogate: loneSurrogate(f.loneSurrogate)})
	}
	return nil
}

// msgJSONOnly refuses a body of another media type.
const msgJSONOnly = "Send the body as application/json (with no parameter but charset=utf-8)."

// isMediaType reports whether a Content-Type header names the media type
// want (in any case), with no parameter but charset=utf-8: JSON is UTF-8
// by its RFC, and a prefix check would take application/jsonfoo or
// application/json-patch+json for JSON.
func isMediaType(header, want string) bool {
	mt, params, err := mime.ParseMediaType(header)
	if err != nil || mt != want {
		return false
	}
	for name, v := range params {
		if name != "charset" || !strings.EqualFold(v, "utf-8") {
			return false
		}
	}
	return true
}

// setStatus deactivates or reactivates a user through the console's own
// SetStatus: the same rules, the sessions ended, the audit entry (which
// names the token) and the email.
func (h apiUsers) setStatus(action string) echo.HandlerFunc {
	return func(c echo.Context) error {
		id, err := pathID(c, "id")
		if err != nil {
			return err
		}
		var body statusBody
		if err := readJSON(c, &body); err != nil {
			return err
		}
		if msg := textinput.CheckText(body.Reason); msg != "" {
			return apperr.Fields(map[string]string{"reason": msg})
		}
		a := apiActor(c)
		ctx := c.Request().Context()
		if err := h.users.SetStatus(ctx, a.Principal, id, action, body.Reason, apiOrigin(c)); err != nil {
			return err
		}
		d, err := h.users.Summary(ctx, a.Principal, id)
		if err != nil {
			return err
		}
		return c.JSON(http.StatusOK, apiUserOf(&d.User, d.Roles, d.Areas))
	}
}

// sendReset emails the user a password reset link (an invited user, their
// welcome email again) through the console's own Resend: the same rules,
// the earlier link voided, the audit entry naming the token.
func (h apiUsers) sendReset(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	if err := h.users.Resend(c.Request().Context(), apiActor(c).Principal, id, apiOrigin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusAccepted)
}

// resetMFA resets the user's second factor through the console's own
// ResetUserMFA: they are signed out everywhere and emailed, and set one up
// again at their next sign-in. The console asks the admin's own code for
// each reset; the token's creator gave theirs when giving the token
// "Reset second factors", which this route requires.
func (h apiUsers) resetMFA(c echo.Context) error {
	id, err := pathID(c, "id")
	if err != nil {
		return err
	}
	a := apiActor(c)
	ctx := c.Request().Context()
	if err := h.users.ResetUserMFA(ctx, a.Principal, id, "", apiOrigin(c)); err != nil {
		return err
	}
	d, err := h.users.Summary(ctx, a.Principal, id)
	if err != nil {
		return err
	}
	return c.JSON(http.StatusOK, apiUserOf(&d.User, d.Roles, d.Areas))
}
