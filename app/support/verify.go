package support

import (
	"context"
	"crypto/sha256"
	"crypto/subtle"
	"errors"
	"regexp"
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/unicode/norm"

	"accountportal/app/apperr"
	"accountportal/app/audit"
	"accountportal/app/identity"
	"accountportal/app/mail"
	"accountportal/app/throttle"
	"accountportal/models"
	"accountportal/views/emails"
)

// Outcome is the answer to one verification. Its value ends the audit
// action ("support.verified", ...).
type Outcome string

// Outcomes, in the order the checks run.
const (
	Locked       Outcome = "locked"
	Suspended    Outcome = "suspended"
	NoPassphrase Outcome = "no_passphrase"
	Mismatch     Outcome = "mismatch"
	NoPrivilege  Outcome = "no_privilege"
	Verified     Outcome = "verified"
)

// Outcomes lists every outcome, for the audit log's filter.
func Outcomes() []Outcome {
	return []Outcome{Verified, Mismatch, NoPassphrase, NoPrivilege, Suspended, Locked}
}

// Action is the audit action recorded for an outcome.
func (o Outcome) Action() string { return models.SupportEventPrefix + string(o) }

// Methods of proving who is calling.
const (
	MethodPassphrase = "passphrase"
	MethodCode       = "code"
)

// Request is one verification: which caller of which account, asking
// about what, and what they said.
type Request struct {
	AccountID  int64
	CallerID   int64
	Area       string
	Passphrase string
	Code       string
}

// Result is what the agent sees. It never holds the stored passphrase.
type Result struct {
	Outcome Outcome
	Caller  Caller
	Area    string
	Method  string
	// Holders are the names of who may ask about Area, when the caller
	// may not.
	Holders []string
	// LockedUntil is when a lock on the caller's verification ends: set
	// when Outcome is Locked, and on the failure that started the lock.
	LockedUntil time.Time
	// AttemptsLeft is how many more failures start the lock.
	AttemptsLeft int
}

var sixDigits = regexp.MustCompile(`^[0-9]{6}$`)

// check validates the form and says which method it uses.
func (r *Request) check() (string, error) {
	errs := map[apperr.Subject]string{}
	if r.CallerID <= 0 {
		errs[CallingUser] = "Choose the caller"
	}
	if !IsArea(r.Area) {
		errs[AskedArea] = "Choose what the caller is asking about"
	}
	r.Code = strings.ReplaceAll(strings.TrimSpace(r.Code), " ", "")
	method := MethodPassphrase
	switch {
	case r.Passphrase != "" && r.Code != "":
		errs[HeardCode] = "Enter the passphrase or a support code, not both"
	case r.Code != "":
		method = MethodCode
		if !sixDigits.MatchString(r.Code) {
			errs[HeardCode] = "A support code is 6 digits"
		}
	case strings.TrimSpace(r.Passphrase) == "":
		errs[HeardPassphrase] = "Enter the passphrase the caller says, or their support code"
	}
	return method, apperr.Problems(errs)
}

func callerKey(userID int64) string { return "support:caller:" + strconv.FormatInt(userID, 10) }
func agentKey(userID int64) string  { return "support:agent:" + strconv.FormatInt(userID, 10) }

// Verify checks a caller for the agent and records the attempt. Every
// outcome, verified or not, is a Result; errors are a form to correct
// (apperr.Invalid), an unknown account or caller (apperr.NotFound), the
// agent's own rate limit (apperr.TooMany), or the machinery failing.
func (s *Service) Verify(ctx context.Context, agent *identity.Principal, req Request, from audit.Origin) (*Result, error) {
	if !agent.IsAgent() {
		return nil, ErrNotAgent
	}
	method, err := req.check()
	if err != nil {
		return nil, err
	}
	if err := s.agentLimit(ctx, agent.User.ID); err != nil {
		return nil, err
	}
	account, err := s.Account(ctx, req.AccountID)
	if err != nil {
		return nil, err
	}
	caller, err := s.callerIn(ctx, account.ID, req.CallerID)
	if err != nil {
		return nil, err
	}
	res, err := s.judge(ctx, caller, req, method)
	if err != nil {
		return nil, err
	}
	if err := s.record(ctx, agent.User, account, res, from); err != nil {
		return nil, err
	}
	return res, nil
}

// agentLimit counts the agent's verification; an apperr.TooMany error
// refuses it once the agent used up their limit.
func (s *Service) agentLimit(ctx context.Context, agentID int64) error {
	_, err := s.limiter.Take(ctx, throttle.Key{Name: agentKey(agentID), Limit: s.cfg.PerAgent})
	return err
}

// judge runs the checks in order. The attempt is counted before the
// secret is compared, so parallel attempts cannot get past the limit.
func (s *Service) judge(ctx context.Context, caller *Caller, req Request, method string) (*Result, error) {
	res := &Result{Caller: *caller, Area: req.Area, Method: method}
	key := callerKey(caller.User.ID)
	// A lock is told before anything else about the caller; the read only
	// orders the answers, the Take below is what enforces the limit.
	until, err := s.limiter.LockedUntil(ctx, key)
	if err != nil {
		return nil, err
	}
	switch {
	case !until.IsZero():
		res.Outcome, res.LockedUntil = Locked, until
		return res, nil
	case caller.User.Status != models.StatusActive:
		res.Outcome = Suspended
		return res, nil
	case method == MethodPassphrase && !caller.HasPassphrase:
		res.Outcome = NoPassphrase
		return res, nil
	}
	att, err := s.limiter.Take(ctx, throttle.Key{Name: key, Limit: s.cfg.PerCaller})
	if ae, ok := apperr.As(err); ok && ae.Code == apperr.TooMany {
		res.Outcome, res.LockedUntil = Locked, ae.RetryAt
		return res, nil
	}
	if err != nil {
		return nil, err
	}
	match, err := s.matches(ctx, caller.User.ID, req, method)
	if err != nil {
		return nil, errors.Join(err, att.Refund(ctx))
	}
	if !match {
		hit := att.Result(key)
		res.Outcome, res.AttemptsLeft, res.LockedUntil = Mismatch, s.cfg.PerCaller.Max-hit.Count, hit.LockedUntil
		return res, nil
	}
	if err := s.limiter.Clear(ctx, key); err != nil {
		return nil, err
	}
	if caller.May(req.Area) {
		res.Outcome = Verified
		return res, nil
	}
	res.Outcome = NoPrivilege
	res.Holders, err = s.holders(ctx, caller.User.AccountID, req.Area)
	return res, err
}

// matches compares what the caller said with what they keep.
func (s *Service) matches(ctx context.Context, userID int64, req Request, method string) (bool, error) {
	if method == MethodCode {
		return s.useCode(ctx, userID, req.Code)
	}
	sec, err := s.store.Secrets.Of(ctx, userID, models.SecretPassphrase)
	if errors.Is(err, models.ErrNotFound) {
		return false, nil
	}
	if err != nil {
		return false, err
	}
	stored, err := s.secrets.Open(sec)
	if err != nil {
		return false, err
	}
	return SamePassphrase(req.Passphrase, stored), nil
}

// SamePassphrase compares a passphrase heard on the phone with the stored
// one in constant time. Both are hashed first, so neither the time taken
// nor anything else depends on their lengths or on where they differ.
// Case, Unicode form and spacing are not heard on a call, so they do not
// count.
func SamePassphrase(heard, stored string) bool {
	a, b := sha256.Sum256([]byte(spoken(heard))), sha256.Sum256([]byte(spoken(stored)))
	return subtle.ConstantTimeCompare(a[:], b[:]) == 1
}

func spoken(s string) string {
	return strings.ToLower(strings.Join(strings.Fields(norm.NFC.String(s)), " "))
}

// record writes the attempt to the customer account's audit log and, when
// this failure locked the caller's verification, emails the caller.
func (s *Service) record(ctx context.Context, agent *models.User, account *models.Account, res *Result, from audit.Origin) error {
	now := s.now()
	details := map[string]any{"area": res.Area, "method": res.Method}
	if !res.LockedUntil.IsZero() {
		details["locked_until"] = res.LockedUntil.UTC().Format(time.RFC3339)
	}
	lockStarted := res.Outcome == Mismatch && !res.LockedUntil.IsZero()
	err := s.store.InTx(ctx, func(tx *models.Store) error {
		if err := audit.Record(ctx, tx, now, audit.Entry{AccountID: account.ID, Actor: audit.PartyOf(agent),
			Action: res.Outcome.Action(), Target: audit.PartyOf(&res.Caller.User), Origin: from, Details: details}); err != nil {
			return err
		}
		if !lockStarted {
			return nil
		}
		return s.notifyLock(ctx, tx, &res.Caller.User, res.LockedUntil, now)
	})
	if err == nil && lockStarted {
		s.mailWake()
	}
	return err
}

func (s *Service) notifyLock(ctx context.Context, tx *models.Store, u *models.User, until, now time.Time) error {
	rctx, err := mail.Reader(ctx, tx, u)
	if err != nil {
		return err
	}
	msg, err := mail.InfoEmail{To: u.Email, Subject: emails.Say("email.support_locked.subject"), DisplayName: u.DisplayName,
		Lines: []emails.Text{
			emails.Say("email.support_locked.wrong", map[string]any{"Count": s.cfg.PerCaller.Max}),
			emails.Say("email.support_locked.until", map[string]any{"Until": until}),
			emails.Say("email.support_locked.not_you"),
		}}.Message(rctx)
	if err != nil {
		return err
	}
	msg.AccountID = u.AccountID
	return mail.Enqueue(ctx, tx, msg, nil, now)
}

// OutcomeLabel words an outcome's audit action for people.
func OutcomeLabel(action string) string {
	if label := Outcome(strings.TrimPrefix(action, models.SupportEventPrefix)).Label(); label != "" {
		return label
	}
	return action
}

// Label words the outcome for people, or is "" for a value that is not an
// outcome.
func (o Outcome) Label() string {
	switch o {
	case Verified:
		return "Verified"
	case Mismatch:
		return "Not verified: passphrase or code did not match"
	case NoPassphrase:
		return "Not verified: no passphrase set"
	case NoPrivilege:
		return "Not verified: no privilege for the area"
	case Suspended:
		return "Not verified: caller suspended"
	case Locked:
		return "Not verified: verification locked"
	}
	return ""
}
