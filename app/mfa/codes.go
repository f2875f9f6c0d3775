package mfa

import (
	"context"
	"crypto/rand"
	"errors"
	"strings"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/security"
	"accountportal/models"
	"accountportal/views/emails"
)

// Backup codes: ten, each 12 characters from an alphabet without lookalike
// characters (60 bits), shown as XXXX-XXXX-XXXX. The first four are stored
// plainly to find the one argon2id hash to check.
const (
	backupCount    = 10
	backupLen      = 12
	backupPrefix   = 4
	backupAlphabet = "23456789ABCDEFGHJKLMNPQRSTUVWXYZ"
)

func newCode() string {
	b := make([]byte, backupLen)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = backupAlphabet[int(b[i])%len(backupAlphabet)]
	}
	return string(b)
}

// normalCode puts a typed backup code in stored form: no spaces or dashes,
// upper case.
func normalCode(s string) string {
	return strings.ToUpper(strings.NewReplacer("-", "", " ", "").Replace(strings.TrimSpace(s)))
}

// display formats a stored code for people.
func display(c string) string { return c[:4] + "-" + c[4:8] + "-" + c[8:] }

// newBackupCodes makes a set of codes: the plain ones to show and the rows
// to store. Hashing happens here, outside any transaction.
func (s *Service) newBackupCodes(ctx context.Context, userID int64) ([]string, []models.BackupCode, error) {
	plain := make([]string, backupCount)
	rows := make([]models.BackupCode, backupCount)
	for i := range plain {
		c := newCode()
		hash, err := s.hasher.Hash(ctx, c)
		if err != nil {
			return nil, nil, err
		}
		plain[i] = display(c)
		rows[i] = models.BackupCode{UserID: userID, Prefix: c[:backupPrefix], CodeHash: hash, CreatedAt: s.now()}
	}
	return plain, rows, nil
}

// RegenerateCodes replaces all of the user's backup codes, after checking
// their password, and returns the new ones to show once.
func (s *Service) RegenerateCodes(ctx context.Context, p *identity.Principal, password string, from audit.Origin) ([]string, error) {
	if p.User.MFAEnrolledAt == nil {
		return nil, ErrNotEnrolled
	}
	if err := s.checkPassword(ctx, p.User, password); err != nil {
		return nil, err
	}
	plain, rows, err := s.newBackupCodes(ctx, p.User.ID)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.MFA.ReplaceBackupCodes(ctx, p.User.ID, rows); err != nil {
			return err
		}
		return s.record(ctx, tx, p.User, ActionCodesRenewed, from, nil, emails.Say("email.mfa.codes_renewed"),
			emails.Say("email.mfa.codes_renewed_what", map[string]any{"Username": p.User.Username}))
	})
	if err != nil {
		return nil, err
	}
	s.mailWake()
	return plain, nil
}

func (s *Service) checkPassword(ctx context.Context, u *models.User, password string) error {
	if password == "" {
		return apperr.Problems(map[apperr.Subject]string{Password: "Enter your password"})
	}
	err := s.passwords.CheckPassword(ctx, u, password)
	if apperr.Is(err, apperr.Invalid) {
		return apperr.Problems(map[apperr.Subject]string{Password: identity.ErrWrongPassword.Message})
	}
	return err
}

// useBackupCode accepts an unused backup code of the user, once.
func (s *Service) useBackupCode(ctx context.Context, u *models.User, typed string, from audit.Origin) (bool, error) {
	c := normalCode(typed)
	if len(c) != backupLen {
		return false, nil
	}
	candidates, err := s.store.MFA.UnusedBackupCodes(ctx, u.ID, c[:backupPrefix])
	if err != nil {
		return false, err
	}
	for _, bc := range candidates {
		ok, _, err := s.hasher.Verify(ctx, c, bc.CodeHash)
		if err != nil || !ok {
			if err != nil && !errors.Is(err, security.ErrMalformedHash) {
				return false, err
			}
			continue
		}
		err = s.store.InTx(ctx, func(tx *models.Store) error {
			if err := tx.MFA.UseBackupCode(ctx, bc.ID, s.now()); err != nil {
				return err
			}
			left, err := tx.MFA.CountUnusedBackupCodes(ctx, u.ID)
			if err != nil {
				return err
			}
			return s.record(ctx, tx, u, ActionBackupCodeUsed, from, map[string]any{"left": left}, emails.Say("email.mfa.code_used"),
				emails.Say("email.mfa.code_used_what", map[string]any{"Username": u.Username}))
		})
		if errors.Is(err, models.ErrNotFound) {
			return false, nil
		}
		if err == nil {
			s.mailWake()
		}
		return err == nil, err
	}
	return false, nil
}

// CodesLeft returns how many unused backup codes the user has.
func (s *Service) CodesLeft(ctx context.Context, userID int64) (int64, error) {
	return s.store.MFA.CountUnusedBackupCodes(ctx, userID)
}
