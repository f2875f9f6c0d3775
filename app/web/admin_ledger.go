package web

import (
	"strings"
	"time"

	"accountportal/app/admin"
	"accountportal/models"
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
