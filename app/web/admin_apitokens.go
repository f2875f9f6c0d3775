package web

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/app/mfa"
	"accountportal/models"
	apages "accountportal/views/pages/admin"
	"accountportal/views/viewmodel"
)

// apiTokenHandlers are the account's API tokens page.
type apiTokenHandlers struct {
	pages
	tokens *admin.APITokens
}

// tokenFields shows the token form's problems on its fields.
var tokenFields = formFields{admin.TokenFieldName: apages.FieldTokenName, admin.TokenFieldPerms: apages.FieldTokenPermissions,
	admin.TokenFieldExpiry: apages.FieldTokenDays, mfa.AdminCode: apages.FieldAdminCode}

// tokenForm is the body of the token form.
type tokenForm struct {
	Name        string   `form:"name"`
	Permissions []string `form:"permission"`
	Days        string   `form:"expires_in_days"`
	AdminCode   string   `form:"admin_code"`
}

func (h apiTokenHandlers) list(c echo.Context) error {
	return h.render(c, http.StatusOK, tokenForm{}, nil, "", "")
}

func (h apiTokenHandlers) render(c echo.Context, status int, f tokenForm, errs map[string]string, secret, secretName string) error {
	p := state(c).principal
	rows, err := h.tokens.List(c.Request().Context(), p)
	if err != nil {
		return err
	}
	now := h.now()
	m := viewmodel.APITokensPage{Name: f.Name, Days: f.Days, Secret: secret, SecretName: secretName, Primary: p.User.IsPrimaryAdmin,
		AskAdminCode: p.User.MFAEnrolledAt != nil,
		Errors:       viewmodel.NewErrors(localErrors(c, errs), apages.FieldTokenName, apages.FieldTokenPermissions, apages.FieldTokenDays, apages.FieldAdminCode)}
	for _, tp := range admin.TokenPermissions() {
		if admin.MayGiveToken(p, tp.Key) {
			m.Choices = append(m.Choices, viewmodel.Choice{Value: tp.Key, Label: localProblem(c, tp.Label), Hint: localProblem(c, tp.Help),
				Checked: containsString(f.Permissions, tp.Key)})
		}
	}
	for _, r := range rows {
		m.Rows = append(m.Rows, tokenRow(c, r, now))
	}
	return render(c, status, apages.APITokens(h.page(c, tr(c, "nav.api_tokens")), m))
}

func containsString(list []string, s string) bool {
	for _, v := range list {
		if v == s {
			return true
		}
	}
	return false
}

// tokenRow shows one token; its secret is never at hand to show.
func tokenRow(c echo.Context, r admin.TokenRow, now time.Time) viewmodel.APITokenRow {
	t := &r.Token
	labels := make([]string, 0, len(t.Perms()))
	for _, k := range t.Perms() {
		labels = append(labels, localProblem(c, admin.TokenPermissionLabel(k)))
	}
	perms := strings.Join(labels, ", ")
	if perms == "" {
		perms = tr(c, "admin.tokens.no_permissions")
	}
	row := viewmodel.APITokenRow{ID: strconv.FormatInt(t.ID, 10), Name: t.Name, Permissions: perms, Owner: t.OwnerName,
		CreatedBy: t.CreatedByName, Created: viewmodel.At(t.CreatedAt, now), LastUsed: viewmodel.AtPtr(t.LastUsedAt, now),
		LastUsedIP: t.LastUsedIP, Expires: viewmodel.AtPtr(t.ExpiresAt, now), MayRevoke: r.MayRevoke, MayAdopt: r.MayAdopt}
	switch {
	case t.RevokedAt != nil:
		row.State = tr(c, "admin.tokens.revoked_by", map[string]any{"Name": t.RevokedByName})
	case t.Expired(now):
		row.State = tr(c, "admin.tokens.expired")
	case t.OwnerID == nil:
		row.State = tr(c, "admin.tokens.paused_owner_deleted")
		row.Live = true
	case len(r.Paused) > 0:
		paused := make([]string, len(r.Paused))
		for i, k := range r.Paused {
			paused[i] = localProblem(c, admin.TokenPermissionLabel(k))
		}
		row.State = tr(c, "admin.tokens.paused_for", map[string]any{"Permissions": strings.Join(paused, ", ")})
		row.Live = true
	default:
		row.State = tr(c, "admin.tokens.active")
		row.Live = true
	}
	return row
}

func (h apiTokenHandlers) create(c echo.Context) error {
	var f tokenForm
	err := bindForm(c, &f)
	var secret string
	var tok *models.APIToken
	if err == nil {
		days := 0
		if strings.TrimSpace(f.Days) != "" {
			if days, err = strconv.Atoi(strings.TrimSpace(f.Days)); err != nil || days < 1 {
				days = -1
			}
		}
		secret, tok, err = h.tokens.Create(c.Request().Context(), state(c).principal,
			admin.NewTokenRequest{Name: f.Name, Permissions: f.Permissions, ExpiresInDays: days, AdminCode: f.AdminCode}, origin(c))
	}
	if errs, ok := tokenFields.errors(err); ok {
		return h.render(c, http.StatusUnprocessableEntity, f, errs, "", "")
	}
	if err != nil {
		return err
	}
	// The secret goes on this answer and nowhere else: not in a flash
	// (the session's row) and not in a redirect.
	return h.render(c, http.StatusCreated, tokenForm{}, nil, secret, tok.Name)
}

func (h apiTokenHandlers) revoke(c echo.Context) error {
	// An id that is not a number names no token: the service still
	// decides first whether the viewer may do this at all (403 before 404).
	id, _ := atoi(c.Param("id"))
	if err := h.tokens.Revoke(c.Request().Context(), state(c).principal, id, origin(c)); err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/api-tokens", viewmodel.FlashSuccess, tr(c, "admin.tokens.revoked"))
}

func (h apiTokenHandlers) adopt(c echo.Context) error {
	// An id that is not a number names no token: the service still
	// decides first whether the viewer may do this at all (403 before 404).
	id, _ := atoi(c.Param("id"))
	if err := h.tokens.Adopt(c.Request().Context(), state(c).principal, id, origin(c)); err != nil {
		return err
	}
	return redirectWithFlash(c, "/admin/api-tokens", viewmodel.FlashSuccess, tr(c, "admin.tokens.adopted"))
}
