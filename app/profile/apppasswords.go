package profile

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/app/textinput"
	"accountportal/models"
	"accountportal/views/emails"
)

// App passwords: secrets the portal makes for a user's integrations
// (CRM plug-ins) that sign in with a username and password but cannot do
// a second factor or a form. See docs/app-passwords.md.
const (
	// AppPasswordName is the subject of a problem with an app password's
	// name (and of the per-user limit).
	AppPasswordName apperr.Subject = "profile.app_password_name"
	// MaxAppPasswords is how many live app passwords one user may have.
	MaxAppPasswords = 20
	// MaxAppPasswordName is the longest name, in characters.
	MaxAppPasswordName = 60
)

// AppPasswordSubjects are the subjects CreateAppPassword can report.
var AppPasswordSubjects = []apperr.Subject{AppPasswordName}

// Audit actions of app passwords.
const (
	ActionAppPasswordCreated = "app_password.created"
	ActionAppPasswordRevoked = "app_password.revoked"
)

// ErrAppPasswordsOff means the account's administrators turned app
// passwords off.
var ErrAppPasswordsOff = apperr.New(apperr.Forbidden,
	"Your account's administrators have turned app passwords off. Ask them if an integration needs one.")

// ErrNoAppPassword means there is no such live app password of the user.
var ErrNoAppPassword = apperr.New(apperr.NotFound, "That app password does not exist or was already revoked.")

// NewAppPassword is an app password just made: the secret, grouped for
// reading, is here once and never again.
type NewAppPassword struct {
	ID     int64
	Name   string
	Secret string
}

// CheckAppPasswordName returns the name trimmed, or a problem with it.
func CheckAppPasswordName(name string) (string, string) {
	name = strings.TrimSpace(name)
	switch {
	case name == "":
		return "", "Enter a name, such as the plug-in and computer it is for"
	case textinput.CheckName(name) != "":
		return "", textinput.CheckName(name)
	case utf8.RuneCountInString(name) > MaxAppPasswordName:
		return "", "Name must be " + strconv.Itoa(MaxAppPasswordName) + " characters or fewer"
	}
	return name, ""
}

// AppPasswords lists the user's live app passwords, newest first.
func (s *Service) AppPasswords(ctx context.Context, u *models.User) ([]models.AppPassword, error) {
	return s.store.AppPasswords().LiveOf(ctx, u.AccountID, u.ID)
}

// CreateAppPassword makes an app password named name for the user, audits
// it and emails the user a notice (without the secret), all in one
// transaction. passwordAt is when the user last typed their password;
// older than identity.RecentPassword returns identity.ErrReauthRequired.
// It returns ErrAppPasswordsOff when the account turned them off, and an
// apperr.Invalid problem on AppPasswordName for a bad name or when the user
// already has MaxAppPasswords.
func (s *Service) CreateAppPassword(ctx context.Context, u *models.User, name string, passwordAt time.Time,
	from audit.Origin) (*NewAppPassword, error) {
	if !s.recent(passwordAt) {
		return nil, identity.ErrReauthRequired
	}
	name, msg := CheckAppPasswordName(name)
	if msg != "" {
		return nil, apperr.Problems(map[apperr.Subject]string{AppPasswordName: msg})
	}
	shown, digest := security.NewAppPassword()
	row := &models.AppPassword{AccountID: u.AccountID, UserID: u.ID, Name: name, Digest: digest}
	err := s.change(ctx, u, ActionAppPasswordCreated, emails.Say("email.notice.app_password"),
		emails.Say("email.notice.app_password_what", map[string]any{"Name": name}),
		from, map[string]any{"name": name}, func(tx *models.Store, now time.Time) error {
			on, err := tx.Accounts.AppPasswordsOn(ctx, u.AccountID)
			if err != nil {
				return err
			}
			if !on {
				return ErrAppPasswordsOff
			}
			// The user's row is locked so two creations at once cannot
			// both pass the count.
			if _, err := tx.Users.LockInAccount(ctx, u.AccountID, u.ID); err != nil {
				return err
			}
			n, err := tx.AppPasswords().CountLive(ctx, u.ID)
			if err != nil {
				return err
			}
			if n >= MaxAppPasswords {
				return apperr.Problems(map[apperr.Subject]string{AppPasswordName: "You have " +
					strconv.Itoa(MaxAppPasswords) + " app passwords, the most allowed. Revoke one you no longer use, then create a new one"})
			}
			row.CreatedAt = now
			return tx.AppPasswords().Create(ctx, row)
		})
	if err != nil {
		return nil, err
	}
	return &NewAppPassword{ID: row.ID, Name: name, Secret: shown}, nil
}

// RevokeAppPassword revokes one of the user's live app passwords and
// audits it. It returns ErrNoAppPassword when the user has no such live
// app password (another user's included).
func (s *Service) RevokeAppPassword(ctx context.Context, u *models.User, id int64, from audit.Origin) (string, error) {
	// The audit entry is written after fn, so fn fills in its name.
	details := map[string]any{}
	err := s.change(ctx, u, ActionAppPasswordRevoked, emails.Text{}, emails.Text{}, from, details, func(tx *models.Store, now time.Time) error {
		p, err := tx.AppPasswords().Revoke(ctx, u.AccountID, u.ID, id, models.AppPasswordRevokedByUser, now)
		if errors.Is(err, models.ErrNotFound) {
			return ErrNoAppPassword
		}
		if err != nil {
			return err
		}
		details["name"] = p.Name
		return nil
	})
	name, _ := details["name"].(string)
	return name, err
}
