package web

import (
	"accountportal/app/admin"
	"accountportal/models"
	"accountportal/views/viewmodel"
)

// linkRow describes one emailed link of a user's ledger.
func linkRow(t models.Token, d *admin.UserDetail) viewmodel.LinkRow {
	row := viewmodel.LinkRow{ID: itoa(t.ID), Kind: "Password reset", SentBy: "The user", Created: stamp(t.CreatedAt),
		Sent: optionalStamp(t.SentAt), Expires: stamp(t.ExpiresAt)}
	if t.Purpose == models.PurposeWelcome {
		row.Kind = "Welcome"
	}
	if t.RequestedByName != "" {
		row.SentBy = t.RequestedByName
	}
	switch {
	case t.UsedAt != nil:
		row.State = "Used " + stamp(*t.UsedAt)
	case t.VoidedAt != nil:
		row.State = "Voided: " + t.VoidReason
	case !d.Now.Before(t.ExpiresAt):
		row.State = "Expired"
	default:
		row.State, row.Live = "Waiting", true
	}
	if t.SentAt == nil {
		row.Sent = "Queued"
	}
	return row
}
