// Package audit writes the append-only audit log: who did what to whom,
// from where and when, never a secret.
package audit

import (
	"context"
	"encoding/json"
	"time"

	"accountportal/models"
)

// Origin is where a request came from.
type Origin struct {
	IP        string
	UserAgent string
	// APIToken names the API token the request came with, "" for the
	// console; every entry written for it says so in its details.
	APIToken string
}

// Party names a user in an entry. The name is copied into the entry so the
// entry still reads correctly after the user is deleted.
type Party struct {
	ID   int64
	Name string
}

// PartyOf names u as "Display Name (username)".
func PartyOf(u *models.User) *Party {
	return &Party{ID: u.ID, Name: u.DisplayName + " (" + u.Username + ")"}
}

// Entry is one thing that happened.
type Entry struct {
	AccountID int64
	Actor     *Party
	Action    string
	Target    *Party
	Origin    Origin
	// Details adds facts about the event. Never put a secret here.
	Details map[string]any
}

// Actions recorded by the foundation. Later capabilities add their own.
const (
	ActionSetup           = "account.setup"
	ActionSignIn          = "sign_in.success"
	ActionSignInFailed    = "sign_in.failed"
	ActionSignInSuspended = "sign_in.suspended"
	ActionSignOut         = "sign_out"
	ActionLicenseAccepted = "license.accepted"
)

// Record appends e to the audit log through tx at time at. Call it inside
// the transaction that made the change, so both happen or neither does.
func Record(ctx context.Context, tx *models.Store, at time.Time, e Entry) error {
	row, err := Row(at, e)
	if err != nil {
		return err
	}
	return tx.Audit.Append(ctx, row)
}

// Row turns an entry into the row Record would write, for callers that
// write many at once.
func Row(at time.Time, e Entry) (*models.AuditEvent, error) {
	row := &models.AuditEvent{
		At:        at,
		Action:    e.Action,
		IP:        e.Origin.IP,
		UserAgent: truncate(e.Origin.UserAgent, 512),
	}
	if e.AccountID != 0 {
		row.AccountID = &e.AccountID
	}
	if e.Actor != nil {
		row.ActorID, row.ActorName = &e.Actor.ID, e.Actor.Name
	}
	if e.Target != nil {
		row.TargetID, row.TargetName = &e.Target.ID, e.Target.Name
	}
	details := e.Details
	if e.Origin.APIToken != "" {
		details = make(map[string]any, len(e.Details)+1)
		for k, v := range e.Details {
			details[k] = v
		}
		details["api_token"] = e.Origin.APIToken
	}
	if len(details) > 0 {
		raw, err := json.Marshal(details)
		if err != nil {
			return nil, err
		}
		row.Details = string(raw)
	}
	return row, nil
}

func truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && s[n]&0xC0 == 0x80 {
		n--
	}
	return s[:n]
}

// Actions recorded by password and username recovery.
const (
	ActionResetRequested       = "password_reset.requested"
	ActionResetRefused         = "password_reset.refused"
	ActionResetWrongAnswer     = "password_reset.wrong_answer"
	ActionResetAnswerLocked    = "password_reset.answer_locked"
	ActionResetQuestionSkipped = "password_reset.question_skipped"
	ActionResetCompleted       = "password_reset.completed"
	ActionUsernameReminder     = "username.reminder_sent"
	ActionWelcomeCompleted     = "welcome.completed"
)
