package web

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/labstack/echo/v4"
	filter "github.com/scim2/filter-parser/v2"

	"accountportal/app/admin"
	"accountportal/app/identity"
	"accountportal/app/textinput"
	"accountportal/models"
)

// scimUsers answers /scim/v2/Users through the users console's own
// service methods: CreateUser (which sends the welcome email), UpdateUser,
// SetStatus (active false suspends exactly as the console's deactivation),
// DeleteUser, with the console's rules of who may act on whom and its audit
// entries, which name the token.
type scimUsers struct {
	users *admin.Users
	// base is the portal's public address, for meta.location.
	base string
}

type scimName struct {
	Formatted string `json:"formatted,omitempty"`
}

type scimEmail struct {
	Value   string `json:"value"`
	Type    string `json:"type"`
	Primary bool   `json:"primary"`
}

type scimMeta struct {
	ResourceType string `json:"resourceType"`
	Created      string `json:"created"`
	LastModified string `json:"lastModified"`
	Location     string `json:"location"`
	Version      string `json:"version"`
}

// scimUser is a user as SCIM shows one.
type scimUser struct {
	Schemas     []string    `json:"schemas"`
	ID          string      `json:"id"`
	ExternalID  string      `json:"externalId,omitempty"`
	UserName    string      `json:"userName"`
	Name        scimName    `json:"name"`
	DisplayName string      `json:"displayName"`
	Emails      []scimEmail `json:"emails"`
	Active      bool        `json:"active"`
	Meta        scimMeta    `json:"meta"`
}

// scimVersion is the user's weak ETag: a digest of updated_at and of every
// attribute SCIM shows, so it changes with any change SCIM can see even
// when two changes share a timestamp.
func scimVersion(u *models.User) string {
	ext := ""
	if u.ExternalID != nil {
		ext = *u.ExternalID
	}
	return weakETag(u.UpdatedAt.UTC().Format(time.RFC3339Nano), u.Username, u.DisplayName, u.Email, u.Status, ext)
}

// weakETag is W/"…" with 24 hex digits of a digest of parts.
func weakETag(parts ...string) string {
	h := sha256.New()
	for _, part := range parts {
		h.Write([]byte(part))
		h.Write([]byte{0})
	}
	return `W/"` + hex.EncodeToString(h.Sum(nil)[:12]) + `"`
}

func (h scimUsers) resource(u *models.User) scimUser {
	id := strconv.FormatInt(u.ID, 10)
	out := scimUser{Schemas: []string{scimUserURN}, ID: id, UserName: u.Username, Name: scimName{Formatted: u.DisplayName},
		DisplayName: u.DisplayName, Emails: []scimEmail{{Value: u.Email, Type: "work", Primary: true}},
		Active: u.Status != models.StatusSuspended,
		Meta: scimMeta{ResourceType: "User", Created: u.CreatedAt.UTC().Format(time.RFC3339), LastModified: u.UpdatedAt.UTC().Format(time.RFC3339),
			Location: h.base + scimPrefix + "/Users/" + id, Version: scimVersion(u)}}
	if u.ExternalID != nil {
		out.ExternalID = *u.ExternalID
	}
	return out
}

// checkSCIMText is textinput.Check for SCIM's strings.
func checkSCIMText(s string) string { return textinput.Check(s) }

// readSCIMBody decodes the request's JSON object, refusing other media
// types, invalid UTF-8, trailing data, members given twice (at any depth),
// lone surrogate escapes and control characters in strings.
func readSCIMBody(c echo.Context) (map[string]any, error) {
	ct := c.Request().Header.Get(echo.HeaderContentType)
	if !isMediaType(ct, scimMediaType) && !isMediaType(ct, echo.MIMEApplicationJSON) {
		return nil, &scimErr{status: http.StatusUnsupportedMediaType, detail: "Send the body as application/scim+json."}
	}
	raw, err := io.ReadAll(c.Request().Body)
	if err != nil {
		return nil, err
	}
	if !utf8.Valid(raw) {
		return nil, scimBad("invalidSyntax", "The body is not valid UTF-8.")
	}
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	var body map[string]any
	if err := dec.Decode(&body); err != nil || body == nil {
		return nil, scimBad("invalidSyntax", "The body is not a JSON object.")
	}
	if dec.More() {
		return nil, scimBad("invalidSyntax", "Send one JSON object.")
	}
	switch f := faultsOf(raw); {
	case f.twice != "":
		return nil, scimBad("invalidSyntax", givenTwice(f.twice))
	case f.loneSurrogate != "":
		return nil, scimBad("invalidValue", loneSurrogate(f.loneSurrogate))
	}
	if msg := checkStrings(body); msg != "" {
		return nil, scimBad("invalidValue", msg)
	}
	return body, nil
}

// checkStrings checks every string of a decoded body, names included.
func checkStrings(v any) string {
	switch v := v.(type) {
	case string:
		if msg := checkSCIMText(v); msg != "" {
			return "A value is not valid text: " + msg
		}
	case map[string]any:
		for k, x := range v {
			if msg := checkSCIMText(k); msg != "" {
				return "An attribute name is not valid text: " + msg
			}
			if msg := checkStrings(x); msg != "" {
				return msg
			}
		}
	case []any:
		for _, x := range v {
			if msg := checkStrings(x); msg != "" {
				return msg
			}
		}
	}
	return ""
}

// hasSchema reports whether the body's schemas list urn.
func hasSchema(body map[string]any, urn string) bool {
	list, _ := memberNamed(body, "schemas").([]any)
	for _, s := range list {
		if str, ok := s.(string); ok && strings.EqualFold(str, urn) {
			return true
		}
	}
	return false
}

// scimDraft is a user as a request would leave them.
type scimDraft struct {
	userName    string
	displayName string
	// displaySet: the request gave displayName; else the display name
	// comes from name, else stays (PUT, PATCH) or is the userName (POST).
	displaySet            bool
	formatted, given, fam string
	email                 string
	externalID            string
	active                bool
	fromUser              *models.User
}

// The core User attributes this service accepts and ignores: it does not
// keep them (docs/scim.md).
var scimIgnored = []string{"nickname", "profileurl", "title", "usertype", "preferredlanguage", "locale", "timezone",
	"phonenumbers", "addresses", "photos", "ims", "entitlements", "roles", "x509certificates", "groups",
	// Okta sends the password it would push when password sync is on; users
	// here choose theirs through the welcome email (changePassword false).
	"password"}

// attrKey reads an attribute name of a body or a PATCH value: the core
// User schema's URN prefix is dropped; the enterprise extension's
// attributes are ignored (ok false, no error).
func attrKey(k string) (string, bool, error) {
	lk := strings.ToLower(k)
	switch {
	case lk == strings.ToLower(scimEnterpriseUR) || strings.HasPrefix(lk, strings.ToLower(scimEnterpriseUR)+":"):
		return "", false, nil
	case strings.HasPrefix(lk, strings.ToLower(scimUserURN)+":"):
		lk = lk[len(scimUserURN)+1:]
	case strings.HasPrefix(lk, "urn:"):
		return "", false, scimBad("invalidValue", "Unknown schema in attribute "+k+".")
	}
	return lk, true, nil
}

// set applies one attribute (a lower-cased path such as "username",
// "name.givenname", "emails.value") to the draft; remove clears it.
func (d *scimDraft) set(path string, v any, remove bool) error {
	str := func() (string, error) {
		s, ok := v.(string)
		if !ok {
			return "", scimBad("invalidValue", "The attribute "+path+" takes a string.")
		}
		return strings.TrimSpace(s), nil
	}
	if remove {
		switch path {
		case "externalid":
			d.externalID = ""
		case "username", "emails", "emails.value", "active":
			return scimBad("mutability", "The attribute "+path+" is required and cannot be removed.")
		case "displayname":
			d.displaySet, d.displayName = false, ""
		case "name", "name.formatted", "name.givenname", "name.familyname":
			switch path {
			case "name":
				d.formatted, d.given, d.fam = "", "", ""
			case "name.formatted":
				d.formatted = ""
			case "name.givenname":
				d.given = ""
			case "name.familyname":
				d.fam = ""
			}
		default:
			return d.other(path)
		}
		return nil
	}
	var err error
	switch path {
	case "schemas", "id", "meta":
		// Read-only; ignored in a body as RFC 7643 section 2.2 allows.
	case "username":
		d.userName, err = str()
		if err == nil && d.userName == "" {
			err = scimBad("invalidValue", "userName cannot be empty.")
		}
	case "displayname":
		d.displayName, err = str()
		d.displaySet = d.displayName != ""
	case "externalid":
		d.externalID, err = str()
		if err == nil && len(d.externalID) > 255 {
			err = scimBad("invalidValue", "externalId is at most 255 characters.")
		}
	case "active":
		d.active, err = scimBool(v)
	case "name":
		m, ok := v.(map[string]any)
		if !ok {
			return scimBad("invalidValue", "The attribute name takes an object.")
		}
		for k, x := range m {
			if err := d.set("name."+strings.ToLower(k), x, false); err != nil {
				return err
			}
		}
	case "name.formatted", "name.givenname", "name.familyname":
		var s string
		if s, err = str(); err == nil {
			switch path {
			case "name.formatted":
				d.formatted = s
			case "name.givenname":
				d.given = s
			default:
				d.fam = s
			}
		}
	case "name.middlename", "name.honorificprefix", "name.honorificsuffix":
	case "emails":
		err = d.setEmails(v)
	case "emails.value":
		d.email, err = str()
	default:
		return d.other(path)
	}
	return err
}

// other accepts the core attributes this service ignores and refuses the
// rest.
func (d *scimDraft) other(path string) error {
	top, _, _ := strings.Cut(path, ".")
	if slices.Contains(scimIgnored, top) {
		return nil
	}
	return scimBad("invalidValue", "Unknown attribute "+path+".")
}

// setEmails takes the primary email, else the work one, else the first
// without a type; other types are not kept (a user here has one email
// address, of type work), so a list of only those changes nothing.
func (d *scimDraft) setEmails(v any) error {
	var list []any
	switch v := v.(type) {
	case []any:
		list = v
	case map[string]any:
		list = []any{v}
	default:
		return scimBad("invalidValue", "The attribute emails takes a list of objects.")
	}
	best, rank := "", -1
	for _, x := range list {
		m, ok := x.(map[string]any)
		if !ok {
			return scimBad("invalidValue", "Each of emails is an object with value, type and primary.")
		}
		value, _ := memberNamed(m, "value").(string)
		if strings.TrimSpace(value) == "" {
			return scimBad("invalidValue", "Each of emails has a value.")
		}
		r := 0
		switch t, _ := memberNamed(m, "type").(string); {
		case strings.EqualFold(t, "work"):
			r = 1
		case t != "":
			// A home or other address is not the one kept, unless primary.
			r = -1
		}
		if p, err := scimBool(memberNamed(m, "primary")); err == nil && p {
			r = 2
		}
		if r < 0 {
			continue
		}
		if r > rank {
			best, rank = strings.TrimSpace(value), r
		}
	}
	if best != "" {
		d.email = best
	}
	return nil
}

// scimBool reads a boolean, also as the strings "True" and "False"
// (Microsoft Entra ID sends active as a string in PATCH).
func scimBool(v any) (bool, error) {
	switch v := v.(type) {
	case bool:
		return v, nil
	case string:
		switch strings.ToLower(strings.TrimSpace(v)) {
		case "true":
			return true, nil
		case "false":
			return false, nil
		}
	}
	return false, scimBad("invalidValue", "The attribute active takes true or false.")
}

// setBody applies every attribute of a POST or PUT body.
func (d *scimDraft) setBody(body map[string]any) error {
	if !hasSchema(body, scimUserURN) {
		return scimBad("invalidSyntax", "The body's schemas must list "+scimUserURN+".")
	}
	attrs, err := bodyAttrs(body)
	if err != nil {
		return err
	}
	for _, a := range attrs {
		if a.value == nil {
			continue
		}
		if err := d.set(a.path, a.value, false); err != nil {
			return err
		}
	}
	return nil
}

// finish settles the display name and email the console needs.
func (d *scimDraft) finish() (name, email string) {
	name = d.displayName
	if !d.displaySet || name == "" {
		switch {
		case d.formatted != "":
			name = d.formatted
		case d.given != "" || d.fam != "":
			given, fam := d.given, d.fam
			if d.fromUser != nil {
				// A PATCH of one part keeps the other from the current
				// display name (first word, rest).
				g, f, _ := strings.Cut(d.fromUser.DisplayName, " ")
				if given == "" {
					given = g
				}
				if fam == "" {
					fam = f
				}
			}
			name = strings.TrimSpace(given + " " + fam)
		case d.fromUser != nil:
			name = d.fromUser.DisplayName
		default:
			name = d.userName
		}
	}
	email = d.email
	if email == "" && d.fromUser != nil {
		email = d.fromUser.Email
	}
	if email == "" && strings.Contains(d.userName, "@") {
		email = d.userName
	}
	return name, email
}

// draftOf is the user as they are.
func draftOf(u *models.User) *scimDraft {
	// The display name is kept unless the request sets it or the name
	// (finish).
	d := &scimDraft{userName: u.Username, email: u.Email,
		active: u.Status != models.StatusSuspended, fromUser: u}
	if u.ExternalID != nil {
		d.externalID = *u.ExternalID
	}
	return d
}

// scimUserID reads the path's id: not a positive integer is 404.
func scimUserID(c echo.Context) (int64, error) {
	id, err := strconv.ParseInt(c.Param("id"), 10, 64)
	if err != nil || id <= 0 {
		return 0, &scimErr{status: http.StatusNotFound, detail: "No such user."}
	}
	return id, nil
}

// load reads one user of the token's account (404 for any other).
func (h scimUsers) load(c echo.Context, id int64) (*models.User, error) {
	u, err := h.users.Visible(c.Request().Context(), apiActor(c).Reader(), id)
	if errors.Is(err, admin.ErrNoSuchUser) {
		return nil, &scimErr{status: http.StatusNotFound, detail: "No such user."}
	}
	return u, err
}

// answer writes the user with its ETag and Location.
func (h scimUsers) answer(c echo.Context, status int, u *models.User) error {
	r := h.resource(u)
	hd := c.Response().Header()
	hd.Set("ETag", r.Meta.Version)
	if status == http.StatusCreated {
		hd.Set(echo.HeaderLocation, r.Meta.Location)
	}
	out, err := project(r, c.QueryParam("attributes"), c.QueryParam("excludedAttributes"))
	if err != nil {
		return err
	}
	return scimJSON(c, status, out)
}

// ifMatch refuses a change when If-Match names another version (412).
func ifMatch(c echo.Context, u *models.User) error {
	return ifMatchVersion(c, scimVersion(u), "The user changed since that version; read it again.")
}

// ifMatchVersion refuses a change, answering 412 with detail, when the
// request's If-Match names neither version (a resource's meta.version)
// nor "*"; weak and strong tags compare alike.
func ifMatchVersion(c echo.Context, version, detail string) error {
	want := c.Request().Header.Get("If-Match")
	if want == "" {
		return nil
	}
	have := strings.TrimPrefix(version, "W/")
	for _, tag := range strings.Split(want, ",") {
		tag = strings.TrimPrefix(strings.TrimSpace(tag), "W/")
		if tag == "*" || tag == have {
			return nil
		}
	}
	return &scimErr{status: http.StatusPreconditionFailed, detail: detail}
}

func (h scimUsers) get(c echo.Context) error {
	id, err := scimUserID(c)
	if err != nil {
		return err
	}
	u, err := h.load(c, id)
	if err != nil {
		return err
	}
	return h.answer(c, http.StatusOK, u)
}

// scimList is a SCIM ListResponse.
type scimList struct {
	Schemas      []string `json:"schemas"`
	TotalResults int64    `json:"totalResults"`
	StartIndex   int      `json:"startIndex"`
	ItemsPerPage int      `json:"itemsPerPage"`
	Resources    []any    `json:"Resources"`
}

// scimMaxResults is the largest page (ServiceProviderConfig's
// filter.maxResults).
const scimMaxResults = 100

func (h scimUsers) list(c echo.Context) error {
	start, count := 1, scimMaxResults
	if v := c.QueryParam("startIndex"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return scimBad("invalidValue", "startIndex takes a number.")
		}
		start = max(n, 1)
	}
	if v := c.QueryParam("count"); v != "" {
		n, err := strconv.Atoi(v)
		if err != nil {
			return scimBad("invalidValue", "count takes a number.")
		}
		count = min(max(n, 0), scimMaxResults)
	}
	for _, p := range []string{"sortBy", "sortOrder"} {
		if c.QueryParam(p) != "" {
			return scimBad("invalidValue", "Sorting is not supported (ServiceProviderConfig sort.supported is false).")
		}
	}
	var f models.UserFilter
	if raw := c.QueryParam("filter"); raw != "" {
		m, err := scimFilter(raw)
		if err != nil {
			return err
		}
		f.Match = m
	}
	rows, total, err := h.users.FindUsers(c.Request().Context(), apiActor(c).Reader(), f, start-1, count)
	if err != nil {
		return err
	}
	out := scimList{Schemas: []string{scimListURN}, TotalResults: total, StartIndex: start, ItemsPerPage: len(rows), Resources: []any{}}
	for i := range rows {
		r, err := project(h.resource(&rows[i].User), c.QueryParam("attributes"), c.QueryParam("excludedAttributes"))
		if err != nil {
			return err
		}
		out.Resources = append(out.Resources, r)
	}
	return scimJSON(c, http.StatusOK, out)
}

func (h scimUsers) create(c echo.Context) error {
	body, err := readSCIMBody(c)
	if err != nil {
		return err
	}
	d := &scimDraft{active: true}
	if err := d.setBody(body); err != nil {
		return err
	}
	if d.userName == "" {
		return scimBad("invalidValue", "userName is required.")
	}
	name, email := d.finish()
	a := apiActor(c)
	ctx := c.Request().Context()
	// The identity provider is the authority on its users: a shared
	// address is not asked about, as the console's form asks.
	id, err := h.users.CreateUser(ctx, a.Principal, admin.NewUser{DisplayName: name, Email: email, Username: d.userName,
		SameEmailOK: true, ExternalID: d.externalID}, apiOrigin(c))
	if err != nil {
		return err
	}
	if !d.active {
		if err := h.users.SetStatus(ctx, a.Principal, id, admin.BulkDeactivate, scimDeactivateReason, apiOrigin(c)); err != nil {
			return err
		}
	}
	u, err := h.load(c, id)
	if err != nil {
		return err
	}
	return h.answer(c, http.StatusCreated, u)
}

// The reasons the audit log shows for SCIM's status changes.
const (
	scimDeactivateReason = "Deactivated by the identity provider (SCIM active: false)"
	scimReactivateReason = "Reactivated by the identity provider (SCIM active: true)"
)

// matchedUser loads the user the path names, if the request's If-Match
// (when it has one) matches their version, for DELETE.
func (h scimUsers) matchedUser(c echo.Context) (*models.User, error) {
	id, err := scimUserID(c)
	if err != nil {
		return nil, err
	}
	u, err := h.load(c, id)
	if err != nil {
		return nil, err
	}
	return u, ifMatch(c, u)
}

func (h scimUsers) replace(c echo.Context) error {
	id, err := scimUserID(c)
	if err != nil {
		return err
	}
	body, err := readSCIMBody(c)
	if err != nil {
		return err
	}
	return h.change(c, id, func(u *models.User) (*scimDraft, error) {
		// A replacement: what the body leaves out is cleared (externalId)
		// or, where the console needs a value, kept (email, and the
		// status: a body that does not say active never reopens a
		// departed user) or derived (name).
		d := &scimDraft{active: u.Status != models.StatusSuspended, fromUser: u}
		if err := d.setBody(body); err != nil {
			return nil, err
		}
		if d.userName == "" {
			return nil, scimBad("invalidValue", "userName is required.")
		}
		return d, nil
	})
}

// scimPatch is a PatchOp request.
type scimPatchOp struct {
	Op    string
	Path  string
	Value any
}

func (h scimUsers) patch(c echo.Context) error {
	id, err := scimUserID(c)
	if err != nil {
		return err
	}
	ops, err := readPatchOps(c)
	if err != nil {
		return err
	}
	return h.change(c, id, func(u *models.User) (*scimDraft, error) {
		d := draftOf(u)
		for _, op := range ops {
			if err := d.patch(op, u); err != nil {
				return nil, err
			}
		}
		return d, nil
	})
}

// change makes the user what draft says of them, all or nothing, through
// the console's rules (Users.Provision). draft and the If-Match see the
// user locked, so two requests holding one version cannot both change
// them.
func (h scimUsers) change(c echo.Context, id int64, draft func(u *models.User) (*scimDraft, error)) error {
	plan := func(u *models.User) (admin.Provisioned, error) {
		if err := ifMatch(c, u); err != nil {
			return admin.Provisioned{}, err
		}
		d, err := draft(u)
		if err != nil {
			return admin.Provisioned{}, err
		}
		name, email := d.finish()
		why := scimDeactivateReason
		if d.active {
			why = scimReactivateReason
		}
		return admin.Provisioned{Name: name, Email: email, Username: d.userName, ExternalID: d.externalID,
			Active: d.active, Why: why}, nil
	}
	u, err := h.users.Provision(c.Request().Context(), apiActor(c).Principal, id, plan, apiOrigin(c))
	if errors.Is(err, admin.ErrNoSuchUser) {
		return &scimErr{status: http.StatusNotFound, detail: "No such user."}
	}
	if err != nil {
		return err
	}
	return h.answer(c, http.StatusOK, u)
}

// readPatchOps reads the request's PatchOp body and its operations.
func readPatchOps(c echo.Context) ([]scimPatchOp, error) {
	body, err := readSCIMBody(c)
	if err != nil {
		return nil, err
	}
	return patchOps(body)
}

// patchOps reads a PatchOp body's operations.
func patchOps(body map[string]any) ([]scimPatchOp, error) {
	if !hasSchema(body, scimPatchURN) {
		return nil, scimBad("invalidSyntax", "The body's schemas must list "+scimPatchURN+".")
	}
	var raw []any
	for k, v := range body {
		switch strings.ToLower(k) {
		case "schemas":
		case "operations":
			list, ok := v.([]any)
			if !ok {
				return nil, scimBad("invalidSyntax", "Operations is a list.")
			}
			raw = list
		default:
			return nil, scimBad("invalidSyntax", "Unknown member "+k+" of a PatchOp.")
		}
	}
	if len(raw) == 0 {
		return nil, scimBad("invalidSyntax", "Send at least one operation in Operations.")
	}
	if len(raw) > 100 {
		return nil, scimBad("invalidSyntax", "Send at most 100 operations.")
	}
	ops := make([]scimPatchOp, 0, len(raw))
	for _, x := range raw {
		m, ok := x.(map[string]any)
		if !ok {
			return nil, scimBad("invalidSyntax", "Each operation is an object with op, path and value.")
		}
		var op scimPatchOp
		for k, v := range m {
			switch strings.ToLower(k) {
			case "op":
				s, _ := v.(string)
				op.Op = strings.ToLower(s)
			case "path":
				s, ok := v.(string)
				if !ok {
					return nil, scimBad("invalidPath", "path is a string.")
				}
				op.Path = strings.TrimSpace(s)
			case "value":
				op.Value = v
			default:
				return nil, scimBad("invalidSyntax", "Unknown member "+k+" of an operation.")
			}
		}
		if op.Op != "add" && op.Op != "replace" && op.Op != "remove" {
			return nil, scimBad("invalidSyntax", "op is add, replace or remove.")
		}
		ops = append(ops, op)
	}
	return ops, nil
}

// patch applies one operation to the draft.
func (d *scimDraft) patch(op scimPatchOp, u *models.User) error {
	remove := op.Op == "remove"
	if op.Path == "" {
		if remove {
			return scimBad("noTarget", "remove needs a path.")
		}
		m, ok := op.Value.(map[string]any)
		if !ok {
			return scimBad("invalidValue", "An operation without a path takes an object of attributes.")
		}
		attrs, err := bodyAttrs(m)
		if err != nil {
			return err
		}
		for _, a := range attrs {
			if err := d.setPath(a.path, a.value, false); err != nil {
				return err
			}
		}
		return nil
	}
	if !remove && op.Value == nil {
		return scimBad("invalidValue", op.Op+" needs a value.")
	}
	return d.setPath(op.Path, op.Value, remove)
}

// setPath applies a value at a PATCH path, such as name.givenName or
// emails[type eq "work"].value.
func (d *scimDraft) setPath(raw string, v any, remove bool) (err error) {
	if len(raw) > 300 {
		return scimBad("invalidPath", "The path is too long.")
	}
	defer func() {
		if r := recover(); r != nil {
			err = scimBad("invalidPath", "The path "+raw+" could not be read.")
		}
	}()
	p, perr := filter.ParsePath([]byte(raw))
	if perr != nil {
		return scimBad("invalidPath", "The path "+raw+" could not be read.")
	}
	if p.AttributePath.URIPrefix != nil {
		key, ok, err := attrKey(p.AttributePath.URI() + ":" + p.AttributePath.AttributeName)
		if err != nil {
			return scimBad("invalidPath", "Unknown schema in the path "+raw+".")
		}
		if !ok {
			return nil
		}
		p.AttributePath.AttributeName = key
	}
	path := strings.ToLower(p.AttributePath.AttributeName)
	if sub := p.AttributePath.SubAttributeName(); sub != "" {
		path += "." + strings.ToLower(sub)
	}
	if p.ValueExpression != nil {
		if path != "emails" {
			return scimBad("invalidPath", "Only emails takes a value filter in a path.")
		}
		terms := 0
		m, err := translateEmailFilter(p.ValueExpression, &terms)
		if err != nil {
			return scimBad("invalidPath", "The path's filter: "+err.Error())
		}
		if !matchesEmail(m, d.email) {
			if remove {
				return scimBad("noTarget", "No email matches the path "+raw+".")
			}
			// Only the work email is kept: another type is not stored.
			return nil
		}
		if sub := p.SubAttributeName(); sub != "" {
			path += "." + strings.ToLower(sub)
		}
		if path == "emails" {
			if remove {
				return scimBad("mutability", "The user's email cannot be removed.")
			}
			return d.setEmails(v)
		}
		if path != "emails.value" {
			return nil // type, primary, display: fixed or not kept
		}
	}
	switch path {
	case "id", "meta", "schemas":
		return scimBad("mutability", "The attribute "+path+" is read-only.")
	}
	if err := d.set(path, v, remove); err != nil {
		var se *scimErr
		if errors.As(err, &se) && strings.HasPrefix(se.detail, "Unknown attribute") {
			se.scimType = "invalidPath"
		}
		return err
	}
	return nil
}

// matchesEmail evaluates a filter inside emails[…] on the user's one
// (work, primary) email.
func matchesEmail(m models.UserMatch, email string) bool {
	switch {
	case m.Always:
		return true
	case m.Never:
		return false
	case m.And:
		for _, p := range m.Parts {
			if !matchesEmail(p, email) {
				return false
			}
		}
		return true
	case m.Or:
		return slices.ContainsFunc(m.Parts, func(p models.UserMatch) bool { return matchesEmail(p, email) })
	case m.Field == models.MatchEmailKey:
		return m.Value == identity.EmailKey(email)
	}
	return false
}

func (h scimUsers) delete(c echo.Context) error {
	u, err := h.matchedUser(c)
	if err != nil {
		return err
	}
	if err := h.users.DeleteUser(c.Request().Context(), apiActor(c).Principal, u.ID, u.Username, apiOrigin(c)); err != nil {
		return err
	}
	return c.NoContent(http.StatusNoContent)
}

// project applies attributes or excludedAttributes (RFC 7644 section
// 3.4.2.5) to a resource: names, or name.sub for a sub-attribute, any
// case, with or without the core schema's URN. id and schemas are always
// returned.
func project(r scimUser, attributes, excluded string) (any, error) {
	if attributes == "" && excluded == "" {
		return r, nil
	}
	raw, err := json.Marshal(r)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	canon := map[string]string{}
	for k := range m {
		canon[strings.ToLower(k)] = k
	}
	parse := func(list string) (map[string][]string, error) {
		out := map[string][]string{}
		for _, a := range strings.Split(list, ",") {
			a = strings.TrimSpace(a)
			if a == "" {
				continue
			}
			key, ok, err := attrKey(a)
			if err != nil || !ok {
				return nil, scimBad("invalidValue", "Unknown attribute "+a+" in attributes or excludedAttributes.")
			}
			top, sub, _ := strings.Cut(key, ".")
			if _, known := canon[top]; !known && !slices.Contains(scimIgnored, top) && top != "externalid" {
				return nil, scimBad("invalidValue", "Unknown attribute "+a+" in attributes or excludedAttributes.")
			}
			out[top] = append(out[top], sub)
		}
		return out, nil
	}
	if attributes != "" {
		want, err := parse(attributes)
		if err != nil {
			return nil, err
		}
		out := map[string]any{"schemas": m["schemas"], "id": m["id"]}
		for top, subs := range want {
			k, ok := canon[top]
			if !ok {
				continue
			}
			out[k] = pick(m[k], subs)
		}
		return out, nil
	}
	drop, err := parse(excluded)
	if err != nil {
		return nil, err
	}
	for top, subs := range drop {
		k, ok := canon[top]
		if !ok || k == "id" || k == "schemas" {
			continue
		}
		if slices.Contains(subs, "") {
			delete(m, k)
			continue
		}
		if obj, ok := m[k].(map[string]any); ok {
			for _, s := range subs {
				for ok := range obj {
					if strings.EqualFold(ok, s) {
						delete(obj, ok)
					}
				}
			}
		}
	}
	return m, nil
}

// pick keeps the named sub-attributes of a complex value ("" in subs:
// all of it).
func pick(v any, subs []string) any {
	if slices.Contains(subs, "") {
		return v
	}
	keep := func(obj map[string]any) map[string]any {
		out := map[string]any{}
		for k, x := range obj {
			for _, s := range subs {
				if strings.EqualFold(k, s) {
					out[k] = x
				}
			}
		}
		return out
	}
	switch v := v.(type) {
	case map[string]any:
		return keep(v)
	case []any:
		out := make([]any, 0, len(v))
		for _, x := range v {
			if obj, ok := x.(map[string]any); ok {
				out = append(out, keep(obj))
			}
		}
		return out
	}
	return v
}
