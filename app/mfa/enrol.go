package mfa

import (
	"bytes"
	"context"
	"encoding/base64"
	"image/png"
	"net/url"
	"strings"

	"github.com/pquerna/otp"
	"github.com/pquerna/otp/totp"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/secrets"
	"accountportal/models"
	"accountportal/views/emails"
)

// Enrolment is a new authenticator waiting for its first code.
type Enrolment struct {
	// Secret is the key to type into an app by hand, in groups of four.
	Secret string
	// QR is a data: URI of a PNG of the otpauth URI, for apps to scan.
	QR string
}

// Begin creates a new authenticator seed for the user and returns it
// sealed, for the session to keep until Confirm proves the user's app
// makes its codes; nothing is stored before that.
func (s *Service) Begin(p *identity.Principal) (string, error) {
	if !Offered(p) {
		return "", ErrNotOffered
	}
	key, err := totp.Generate(totp.GenerateOpts{Issuer: s.cfg.Issuer, AccountName: p.User.Username,
		Period: period, Digits: digits, Algorithm: otp.AlgorithmSHA1})
	if err != nil {
		return "", err
	}
	return s.secrets.SealCompact(secrets.PendingTOTPSeed, p.User.ID, key.Secret())
}

// Display returns the key and QR code of a sealed seed from Begin.
func (s *Service) Display(p *identity.Principal, sealed string) (*Enrolment, error) {
	secret, err := s.openPending(p.User.ID, sealed)
	if err != nil {
		return nil, ErrSetupExpired
	}
	key, err := otp.NewKeyFromURL((&url.URL{Scheme: "otpauth", Host: "totp", Path: "/" + s.cfg.Issuer + ":" + p.User.Username,
		RawQuery: url.Values{"secret": {secret}, "issuer": {s.cfg.Issuer}, "period": {"30"}, "digits": {"6"}, "algorithm": {"SHA1"}}.Encode()}).String())
	if err != nil {
		return nil, err
	}
	img, err := key.Image(240, 240)
	if err != nil {
		return nil, err
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		return nil, err
	}
	return &Enrolment{Secret: groups(secret), QR: "data:image/png;base64," + base64.StdEncoding.EncodeToString(buf.Bytes())}, nil
}

// ErrSetupExpired means the sealed seed no longer opens (keys changed or it
// was tampered with): start the setup again.
var ErrSetupExpired = apperr.New(apperr.Conflict, "The setup expired. Start again.")

// groups splits a base32 key into groups of four for reading.
func groups(s string) string {
	var b bytes.Buffer
	for i, r := range s {
		if i > 0 && i%4 == 0 {
			b.WriteByte(' ')
		}
		b.WriteRune(r)
	}
	return b.String()
}

// openPending opens a seed sealed by Begin for the user.
func (s *Service) openPending(userID int64, sealed string) (string, error) {
	return s.secrets.OpenCompact(secrets.PendingTOTPSeed, userID, sealed)
}

// Confirm checks the first code of a new authenticator and, in one
// transaction, stores the seed sealed, marks the user enrolled, creates ten
// backup codes, audits and emails a notice. It returns the backup codes,
// which are shown once and never again.
func (s *Service) Confirm(ctx context.Context, p *identity.Principal, sealed, code string, from audit.Origin) ([]string, error) {
	if !Offered(p) {
		return nil, ErrNotOffered
	}
	secret, err := s.openPending(p.User.ID, sealed)
	if err != nil {
		return nil, ErrSetupExpired
	}
	if strings.TrimSpace(code) == "" {
		return nil, ErrNoSetupCode
	}
	st, ok := matchStep(secret, code, s.now())
	if !ok {
		return nil, ErrWrongSetupCode
	}
	plain, rows, err := s.newBackupCodes(ctx, p.User.ID)
	if err != nil {
		return nil, err
	}
	now := s.now()
	seed, err := s.secrets.Seal(secrets.TOTPSeed, p.User.ID, secret, now)
	if err != nil {
		return nil, err
	}
	err = s.store.InTx(ctx, func(tx *models.Store) error {
		if err := tx.MFA.Enrol(ctx, seed, st, rows, now); err != nil {
			return err
		}
		return s.record(ctx, tx, p.User, ActionEnrolled, from, nil, emails.Say("email.mfa.enrolled"),
			emails.Say("email.mfa.enrolled_what", map[string]any{"Username": p.User.Username}))
	})
	if err != nil {
		return nil, err
	}
	s.mailWake()
	return plain, nil
}
