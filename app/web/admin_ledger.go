package web

import (
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
	return row
}

// linkState says whether an emailed link was used, voided, expired or is
// waiting (live) at now.
func linkState(t models.Token, now time.Time) (string, bool) {
	switch {
	case t.UsedAt != nil:
		return "Used " + stamp(*t.UsedAt), false
	case t.VoidedAt != nil:
		return "Voided: " + t.VoidReason, false
	case !now.Before(t.ExpiresAt):
		return "Expired", false
	}
	return "Waiting", true
}
