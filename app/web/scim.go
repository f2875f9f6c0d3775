package web

import (
	"encoding/json"
	"errors"
	"net/http"
	"sort"
	"strconv"
	"strings"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/apperr"
)

// SCIM 2.0 provisioning under /scim/v2 (RFC 7643, RFC 7644) for
// customers' identity providers. It authenticates with the API's tokens
// through the API's own middleware (bearer, rateLimit, requires), and
// its errors are SCIM error objects (see scimError). docs/scim.md.

const scimPrefix = "/scim/v2"

// The schema URNs of RFC 7643 and RFC 7644.
const (
	scimUserURN      = "urn:ietf:params:scim:schemas:core:2.0:User"
	scimEnterpriseUR = "urn:ietf:params:scim:schemas:extension:enterprise:2.0:User"
	scimErrorURN     = "urn:ietf:params:scim:api:messages:2.0:Error"
	scimListURN      = "urn:ietf:params:scim:api:messages:2.0:ListResponse"
	scimPatchURN     = "urn:ietf:params:scim:api:messages:2.0:PatchOp"
	scimSPCURN       = "urn:ietf:params:scim:schemas:core:2.0:ServiceProviderConfig"
	scimRTURN        = "urn:ietf:params:scim:schemas:core:2.0:ResourceType"
	scimSchemaURN    = "urn:ietf:params:scim:schemas:core:2.0:Schema"
)

// scimMediaType is the media type of every SCIM answer.
const scimMediaType = "application/scim+json"

// isSCIM reports whether the request is SCIM's, whose errors are SCIM
// error objects (an unknown /scim/v2 path included).
func isSCIM(c echo.Context) bool {
	p := c.Request().URL.Path
	return p == scimPrefix || strings.HasPrefix(p, scimPrefix+"/")
}

// scimErr is an error with its SCIM status and scimType (RFC 7644
// section 3.12), for what the SCIM handlers refuse themselves.
type scimErr struct {
	status   int
	scimType string
	detail   string
}

func (e *scimErr) Error() string { return e.detail }

func scimBad(scimType, detail string) error {
	return &scimErr{status: http.StatusBadRequest, scimType: scimType, detail: detail}
}

// scimErrorBody is the SCIM error response; status is a string.
type scimErrorBody struct {
	Schemas  []string `json:"schemas"`
	Status   string   `json:"status"`
	ScimType string   `json:"scimType,omitempty"`
	Detail   string   `json:"detail"`
}

// scimError is handleError for SCIM: the API's statuses and messages as
// SCIM error objects, with the scimType RFC 7644 defines where one fits.
func (s *Server) scimError(err error, c echo.Context) {
	var se *scimErr
	out := scimErr{}
	switch {
	case errors.As(err, &se):
		out = *se
	case errors.Is(err, admin.ErrExternalIDTaken):
		out = scimErr{status: http.StatusConflict, scimType: "uniqueness", detail: admin.ErrExternalIDTaken.Message}
	case admin.UsernameTaken(err):
		out = scimErr{status: http.StatusConflict, scimType: "uniqueness", detail: "That userName is taken."}
	default:
		a := s.tokenAnswerOf(err, c, "There is nothing at this address. SCIM serves /scim/v2/Users, /Groups, /ServiceProviderConfig, /ResourceTypes and /Schemas.")
		out = scimErr{status: a.status, detail: a.detail}
		if a.requestID != "" && a.status != http.StatusServiceUnavailable {
			// A SCIM error has no member for it.
			out.detail = "Something went wrong. Quote the request ID " + a.requestID + " when you report it."
		}
		if ae, ok := apperr.As(err); ok && ae.Code == apperr.Invalid {
			// The console's validation (a name, an email address): SCIM
			// answers bad values with 400 invalidValue.
			out = scimErr{status: http.StatusBadRequest, scimType: "invalidValue", detail: invalidDetail(ae)}
		}
	}
	if out.status == http.StatusUnauthorized {
		c.Response().Header().Set("WWW-Authenticate", `Bearer realm="scim", error="invalid_token"`)
	}
	body := scimErrorBody{Schemas: []string{scimErrorURN}, Status: strconv.Itoa(out.status), ScimType: out.scimType, Detail: out.detail}
	if rerr := scimJSON(c, out.status, body); rerr != nil {
		s.log.ErrorContext(c.Request().Context(), "scim error failed", "err", rerr, "request_id", reqID(c))
	}
}

// invalidDetail joins a validation error's messages, by subject or field.
func invalidDetail(ae *apperr.Error) string {
	var parts []string
	for k, v := range ae.Problems {
		name := string(k)
		if i := strings.LastIndexByte(name, '.'); i >= 0 {
			name = name[i+1:]
		}
		parts = append(parts, scimSubject(name)+": "+v)
	}
	for k, v := range ae.Fields {
		parts = append(parts, k+": "+v)
	}
	sort.Strings(parts)
	if len(parts) == 0 {
		return ae.Message
	}
	return strings.Join(parts, "; ") + "."
}

// scimSubject names a console subject by the SCIM attribute it came from.
func scimSubject(name string) string {
	switch name {
	case "user_name":
		return "displayName"
	case "user_email":
		return "emails"
	case "user_username":
		return "userName"
	}
	return name
}

// scimJSON answers v as application/scim+json.
func scimJSON(c echo.Context, status int, v any) error {
	raw, err := json.Marshal(v)
	if err != nil {
		return err
	}
	return c.Blob(status, scimMediaType, raw)
}
