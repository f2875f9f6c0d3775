package web

import (
	"strings"
	"time"

	"github.com/labstack/echo/v4"

	"accountportal/app/admin"
	"accountportal/models"
	"accountportal/views/i18n"
	"accountportal/views/viewmodel"
)

// linkRow describes one emailed link of a user's ledger.
func linkRow(t models.Token, d *admin.UserDetail) viewmodel.LinkRow {
	row := viewmodel.LinkRow{ID: itoa(t.ID), Kind: "Password reset", SentBy: "The user", Created: viewmodel.At(t.CreatedAt, d.Now),
		Sent: viewmodel.AtPtr(t.SentAt, d.Now), Expires: viewmodel.At(t.ExpiresAt, d.Now)}
	switch t.Purpose {
	case models.PurposeWelcome:
		row.Kind, row.Confirm = "Welcome", true
	case models.PurposeInvitation:
		row.Kind, row.Confirm = "Invitation", true
	}
	if t.RequestedByName != "" {
		row.SentBy = t.RequestedByName
	}
	row.State, row.Live = linkState(t, d.Now)
	row.Used = viewmodel.AtPtr(t.UsedAt, d.Now)
	return row
}

// linkState says whether an emailed link was used (the row shows when),
// voided, expired or is waiting (live) at now.
func linkState(t models.Token, now time.Time) (string, bool) {
	switch {
	case t.UsedAt != nil:
		return "Used", false
	case t.VoidedAt != nil:
		// "voided by Pat Primary" says it all; other reasons follow a colon.
		if by, ok := strings.CutPrefix(t.VoidReason, "voided by "); ok {
			return "Voided by " + by, false
		}
		return "Voided: " + t.VoidReason, false
	case !now.Before(t.ExpiresAt):
		return "Expired", false
	}
	return "Waiting", true
}

// localLinkRow is linkRow in the reader's language: the link's kind, who
// asked for it and its state.
func localLinkRow(c echo.Context, t models.Token, d *admin.UserDetail) viewmodel.LinkRow {
	row := linkRow(t, d)
	switch t.Purpose {
	case models.PurposeWelcome:
		row.Kind, row.KindLink = tr(c, "users.links.welcome"), tr(c, "users.links.welcome_link")
	case models.PurposeInvitation:
		row.Kind, row.KindLink = tr(c, "users.links.invitation"), tr(c, "users.links.invitation_link")
	default:
		row.Kind, row.KindLink = tr(c, "users.links.reset"), tr(c, "users.links.reset_link")
	}
	if t.RequestedByName == "" {
		row.SentBy = tr(c, "users.links.the_user")
	}
	switch {
	case t.UsedAt != nil:
		row.State = tr(c, "users.links.used")
	case t.VoidedAt != nil:
		if by, ok := strings.CutPrefix(t.VoidReason, "voided by "); ok {
			row.State = tr(c, "users.links.voided_by", map[string]any{"Name": by})
		} else {
			row.State = tr(c, "users.links.voided", map[string]any{"Why": localProblem(c, t.VoidReason)})
		}
	case row.Live:
		row.State = tr(c, "users.links.waiting")
	default:
		row.State = tr(c, "users.links.expired")
	}
	return row
}

// localStamp is a moment in full, in the reader's time zone and language.
// English keeps the UTC stamp it always had.
func localStamp(c echo.Context, t time.Time) string {
	ctx := c.Request().Context()
	if i18n.Lang(ctx) == i18n.Default {
		return stamp(t)
	}
	return i18n.FullDate(ctx, t.In(i18n.Zone(ctx)))
}
