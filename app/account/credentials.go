package account

import (
	"context"
	"maps"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/identity"
	"accountportal/app/profile"
	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models"
)

// Credentials are what a Primary Admin chooses when they set up their
// account, at first-run setup and when they accept an operator's
// invitation alike: the password, the support passphrase (the Primary
// Admin's passphrase is set during the initial setup) and an optional
// security question.
type Credentials struct {
	Password         string
	PasswordConfirm  string
	Passphrase       string
	SecurityQuestion string // optional, with SecurityAnswer
	SecurityAnswer   string
}

// CredentialSubjects lists every subject the credentials' checks can
// report a problem with.
var CredentialSubjects = []apperr.Subject{
	identity.NewPassword, identity.PasswordConfirmation, Passphrase, Question, Answer,
}

func (c Credentials) tidy() Credentials {
	c.Password = security.NormalizePassword(c.Password)
	c.PasswordConfirm = security.NormalizePassword(c.PasswordConfirm)
	c.SecurityQuestion = trim(c.SecurityQuestion)
	return c
}

// problems checks tidied credentials under policy for the person who: the
// password by the policy and its confirmation, the passphrase (not the
// password, nor anything of who), the question and its answer.
func (c Credentials) problems(policy security.PasswordPolicy, who security.Subject) map[apperr.Subject]string {
	errs := map[apperr.Subject]string{}
	put := func(subject apperr.Subject, msg string) {
		if msg != "" {
			errs[subject] = msg
		}
	}
	maps.Copy(errs, identity.NewPasswordProblems(policy, who, c.Password, c.PasswordConfirm))
	put(Passphrase, profile.CheckPassphrase(c.Passphrase, profile.PassphraseOwner{
		Password: c.Password, Username: who.Username, Email: who.Email, DisplayName: who.DisplayName}))
	qa := profile.CheckQuestion(c.SecurityQuestion, c.SecurityAnswer, true)
	put(Question, qa["question"])
	put(Answer, qa["answer"])
	return errs
}

// chosen is checked credentials made ready to store: the password and the
// answer hashed, the passphrase still to be sealed (sealing binds it to
// the user's id).
type chosen struct {
	passwordHash string
	question     string
	answerHash   string
	passphrase   string
}

// hash hashes the password and the answer outside any transaction:
// hashing is slow and must not hold the database.
func (s *Setup) hash(ctx context.Context, c Credentials) (*chosen, error) {
	hash, err := s.hasher.Hash(ctx, c.Password)
	if err != nil {
		return nil, err
	}
	out := &chosen{passwordHash: hash, question: c.SecurityQuestion, passphrase: c.Passphrase}
	if c.SecurityQuestion != "" {
		if out.answerHash, err = s.hasher.Hash(ctx, profile.NormalizeAnswer(c.SecurityAnswer)); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// fill puts the chosen password and question on a user about to be
// created, who is active from the start.
func (ch *chosen) fill(u *models.User, now time.Time) {
	u.Status, u.PasswordHash, u.PasswordChangedAt = models.StatusActive, ch.passwordHash, &now
	u.SecurityQuestion, u.SecurityAnswerHash = ch.question, ch.answerHash
}

// keepPassphrase seals the chosen passphrase for the user with id and
// stores it through tx.
func (s *Setup) keepPassphrase(ctx context.Context, tx *models.Store, userID int64, ch *chosen, now time.Time) error {
	secret, err := s.secrets.Seal(secrets.Passphrase, userID, ch.passphrase, now)
	if err != nil {
		return err
	}
	return tx.Secrets.Put(ctx, secret)
}
