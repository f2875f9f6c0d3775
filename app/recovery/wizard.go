package recovery

import (
	"context"
	"crypto/subtle"
	"errors"
	"fmt"
	"strconv"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/app/profile"
	"accountportal/app/security"
	"accountportal/app/throttle"
	"accountportal/models"
)

// Answer is the subject of a missing or wrong security answer.
const Answer apperr.Subject = "recovery.answer"

// AnswerSubjects and PasswordSubjects list every subject CheckAnswer and
// Complete can report a problem with.
var (
	AnswerSubjects   = []apperr.Subject{Answer}
	PasswordSubjects = []apperr.Subject{identity.NewPassword, identity.PasswordConfirmation}
)

// Link is an opened reset or welcome link as the wizard keeps it between
// its pages.
type Link struct {
	TokenID int64
	// Visit is a random key of this opening of the link. The token row
	// records the digest of the visit that answered the security
	// question, so an answer given in one browser, or before the link
	// was opened again, does not open the password step for another.
	Visit string
}

// OpenLink checks an emailed link's token and returns the live reset
// token it names, with a new visit key; or ErrLinkInvalid.
func (s *Service) OpenLink(ctx context.Context, raw string) (Link, error) {
	if len(raw) != 43 {
		return Link{}, ErrLinkInvalid
	}
	t, err := s.store.Tokens.ByDigest(ctx, security.Digest(raw))
	if errors.Is(err, models.ErrNotFound) {
		return Link{}, ErrLinkInvalid
	}
	if err != nil {
		return Link{}, err
	}
	if _, _, err := s.live(ctx, s.store, t.ID); err != nil {
		return Link{}, err
	}
	visit, _ := security.NewToken()
	return Link{TokenID: t.ID, Visit: visit}, nil
}

// Step is what the wizard shows next for a link.
type Step struct {
	Username    string
	DisplayName string
	// Question is the user's security question; "" when they have none.
	Question string
	Policy   security.PasswordPolicy
	// Subject is whom the password policy checks the password against.
	Subject security.Subject
	// Welcome says the link is a new user's first password, not a reset.
	Welcome bool
	// Answered says this visit answered the security question.
	Answered bool
	// Language is the user's own language, AccountLanguage their
	// account's default ("" when not chosen): the wizard speaks them.
	Language, AccountLanguage string
}

// QuestionDue reports whether the wizard must ask the security question
// before the new password.
func (st *Step) QuestionDue() bool { return st.Question != "" && !st.Answered }

// Step returns the state of the wizard for a link to a live reset token,
// or ErrLinkInvalid, or ErrAnswerLocked while reset is blocked for the user.
func (s *Service) Step(ctx context.Context, link Link) (*Step, error) {
	st, _, err := s.step(ctx, link)
	return st, err
}

// step is Step that also returns the token's user.
func (s *Service) step(ctx context.Context, link Link) (*Step, *models.User, error) {
	t, u, err := s.live(ctx, s.store, link.TokenID)
	if err != nil {
		return nil, nil, err
	}
	if until, err := s.limiter.LockedUntil(ctx, answerKey(u.ID)); err != nil || !until.IsZero() {
		return nil, nil, errors.Join(err, answerLocked(u))
	}
	a, err := s.store.Accounts.ByID(ctx, u.AccountID)
	if err != nil {
		return nil, nil, err
	}
	st := &Step{Username: u.Username, DisplayName: u.DisplayName, Policy: identity.PolicyFor(a, false),
		Subject: security.Subject{Username: u.Username, Email: u.Email, DisplayName: u.DisplayName},
		Welcome: t.Purpose == models.PurposeWelcome, Language: u.Language, AccountLanguage: a.Language}
	if u.SecurityAnswerHash != "" {
		st.Question = u.SecurityQuestion
		st.Answered = t.AnsweredBy != nil && subtle.ConstantTimeCompare(t.AnsweredBy, security.Digest(link.Visit)) == 1
	}
	return st, u, nil
}

// live returns the token and its user when the token is a live reset link
// of an active user, or a live welcome link of an invited user, else
// ErrLinkInvalid.
func (s *Service) live(ctx context.Context, store *models.Store, tokenID int64) (*models.Token, *models.User, error) {
	t, err := store.Tokens.ByIDAnyAccount(ctx, tokenID)
	if errors.Is(err, models.ErrNotFound) {
		return nil, nil, ErrLinkInvalid
	}
	if err != nil {
		return nil, nil, err
	}
	if (t.Purpose != models.PurposeReset && t.Purpose != models.PurposeWelcome) ||
		t.UsedAt != nil || t.VoidedAt != nil || !s.now().Before(t.ExpiresAt) {
		return nil, nil, ErrLinkInvalid
	}
	want := models.StatusActive
	if t.Purpose == models.PurposeWelcome {
		want = models.StatusInvited
	}
	u, err := store.Users.ByIDAnyAccount(ctx, t.UserID)
	if err != nil || u.Status != want {
		return nil, nil, errors.Join(ignoreNotFound(err), ErrLinkInvalid)
	}
	// A suspended or closed account's links lead nowhere until the
	// provider reactivates it.
	a, err := store.Accounts.ByID(ctx, u.AccountID)
	if err != nil || !a.Usable() {
		return nil, nil, errors.Join(ignoreNotFound(err), ErrLinkInvalid)
	}
	return t, u, nil
}

func ignoreNotFound(err error) error {
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	return err
}

// CheckAnswer compares a security answer with the user's. The answer is
// counted before it is compared, and a right one is taken back and
// recorded on the token as the link's visit's. A wrong
// answer returns an apperr.Invalid error saying how many tries are left;
// the last allowed wrong answer voids the link, blocks reset for a day,
// tells the Primary Admin and returns ErrAnswerLocked, as does every answer
// after it.
func (s *Service) CheckAnswer(ctx context.Context, link Link, answer string, from audit.Origin) error {
	if profile.NormalizeAnswer(answer) == "" {
		return apperr.Problems(map[apperr.Subject]string{Answer: "Enter the answer to your security question"})
	}
	_, u, err := s.live(ctx, s.store, link.TokenID)
	if err != nil {
		return err
	}
	if u.SecurityAnswerHash == "" {
		return ErrNoQuestion
	}
	att, err := s.limiter.Take(ctx, throttle.Key{Name: answerKey(u.ID), Limit: s.cfg.Answers})
	if apperr.Is(err, apperr.TooMany) {
		return answerLocked(u)
	}
	if err != nil {
		return err
	}
	ok, _, err := s.hasher.Verify(ctx, profile.NormalizeAnswer(answer), u.SecurityAnswerHash)
	if err != nil || ok {
		return errors.Join(err, att.Refund(ctx), s.answered(ctx, link, ok))
	}
	hit := att.Result(answerKey(u.ID))
	if err := s.wrongAnswer(ctx, u, hit, from); err != nil {
		return err
	}
	if !hit.LockedUntil.IsZero() {
		return answerLocked(u)
	}
	left := s.cfg.Answers.Max - hit.Count
	return apperr.Problems(map[apperr.Subject]string{Answer: fmt.Sprintf(
		"That answer does not match. You can try %d more %s today.", left, plural(left, "time", "times"))})
}

// answered records on the token that the link's visit answered its
// question, when ok. A token used or voided meanwhile makes the link
// invalid.
func (s *Service) answered(ctx context.Context, link Link, ok bool) error {
	if !ok {
		return nil
	}
	err := s.store.Tokens.Answer(ctx, link.TokenID, security.Digest(link.Visit), s.now())
	if errors.Is(err, models.ErrNotFound) {
		return ErrLinkInvalid
	}
	return err
}

// wrongAnswer audits a wrong answer; when it was the last one allowed it
// also voids the user's links and emails the Primary Admin, in one
// transaction.
func (s *Service) wrongAnswer(ctx context.Context, u *models.User, hit throttle.Result, from audit.Origin) error {
	now := s.now()
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		action := audit.ActionResetWrongAnswer
		if !hit.LockedUntil.IsZero() {
			action = audit.ActionResetAnswerLocked
		}
		err := audit.Record(ctx, tx, now, audit.Entry{AccountID: u.AccountID, Actor: audit.PartyOf(u),
			Action: action, Target: audit.PartyOf(u), Origin: from, Details: map[string]any{"wrong_answers": hit.Count}})
		if err != nil || hit.LockedUntil.IsZero() {
			return err
		}
		if _, err := tx.Tokens.Void(ctx, u.ID, "wrong security answers", now, 0, models.PurposeReset); err != nil {
			return err
		}
		return s.tellPrimaryAdmin(ctx, tx, u, now)
	})
	if err == nil && !hit.LockedUntil.IsZero() {
		s.mailWake()
	}
	return err
}

// tellPrimaryAdmin asks the Primary Admin to help a blocked user; the
// Primary Admin blocked themself is told by the page to call the provider,
// not emailed to help themself.
func (s *Service) tellPrimaryAdmin(ctx context.Context, tx *models.Store, u *models.User, now time.Time) error {
	if u.IsPrimaryAdmin {
		return nil
	}
	admin, err := tx.Users.PrimaryAdminOf(ctx, u.AccountID)
	if errors.Is(err, models.ErrNotFound) {
		return nil
	}
	if err != nil {
		return err
	}
	rctx, err := mail.Reader(ctx, tx, admin)
	if err != nil {
		return err
	}
	msg, err := mail.AnswerLockedEmail{To: admin.Email, AdminName: admin.DisplayName,
		UserDisplayName: u.DisplayName, Username: u.Username,
		UserPage: s.link("/admin/users/" + strconv.FormatInt(u.ID, 10))}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = admin.AccountID
	return mail.Enqueue(ctx, tx, msg, nil, now)
}

func plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}
