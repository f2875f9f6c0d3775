// Package recovery gets people back in: the emailed password reset with its
// security-question step, and the forgotten-username email. Requests are
// queued as typed and handled off the request path, so the pages answer the
// same, in the same time, for accounts that exist and ones that do not.
package recovery

import (
	"context"
	"log/slog"
	"net/url"
	"time"

	"accountportal/app/apperr"
	"accountportal/app/security"
	"accountportal/app/throttle"
	"accountportal/models"
	"accountportal/views/i18n"
)

// Errors the reset pages show.
var (
	// ErrLinkInvalid covers unknown, malformed, expired, used and voided
	// links alike: which one it was is nobody's business.
	ErrLinkInvalid = apperr.New(apperr.NotFound, "This link has expired or was already used.")
	// ErrNoQuestion means an answer came for a user with no security
	// question to answer.
	ErrNoQuestion = apperr.New(apperr.Conflict, "You have no security question to answer. Choose your new password.")
	// ErrAnswerLocked means too many wrong security answers today.
	ErrAnswerLocked = apperr.New(apperr.Forbidden,
		"You gave the wrong answer to your security question too many times, so password reset is blocked until tomorrow. If you have forgotten the answer, your account administrator must help you.")
	// ErrPrimaryAnswerLocked is ErrAnswerLocked for the Primary Admin, who
	// has no administrator above them: the provider's support desk helps.
	ErrPrimaryAnswerLocked = apperr.New(apperr.Forbidden,
		"You gave the wrong answer to your security question too many times, so password reset is blocked until tomorrow. As your account's Primary Admin, call your phone service provider's support desk: once they have checked your support passphrase, they can send you a reset link that does not ask the question.")
)

// answerLocked is the error that says reset is blocked for u.
func answerLocked(u *models.User) error {
	if u.IsPrimaryAdmin {
		return ErrPrimaryAnswerLocked
	}
	return ErrAnswerLocked
}

// Config holds the recovery rules operators or tests may tune.
type Config struct {
	// ResetTTL is how long an emailed reset link works.
	ResetTTL time.Duration
	// PerIdentifier limits requests for one username or email address.
	PerIdentifier models.ThrottleLimit
	// PerIP limits requests from one client address.
	PerIP models.ThrottleLimit
	// Answers limits wrong security answers per user; reaching it voids the
	// link and blocks reset for the lock's length.
	Answers models.ThrottleLimit
}

// DefaultConfig returns the production rules: links last 60 minutes; 5
// requests per username or address and 20 per client address an hour;
// 5 wrong answers a day.
func DefaultConfig() Config {
	return Config{
		ResetTTL:      60 * time.Minute,
		PerIdentifier: models.ThrottleLimit{Window: time.Hour, Max: 5, Lock: time.Hour},
		PerIP:         models.ThrottleLimit{Window: time.Hour, Max: 20, Lock: time.Hour},
		Answers:       models.ThrottleLimit{Window: 24 * time.Hour, Max: 5, Lock: 24 * time.Hour},
	}
}

// Service runs password resets and username reminders.
type Service struct {
	store     *models.Store
	hasher    *security.Hasher
	limiter   *throttle.Limiter
	now       func() time.Time
	log       *slog.Logger
	publicURL *url.URL
	cfg       Config
	// queued wakes the local queue loop after a request is queued.
	queued chan struct{}
	// mailWake tells the local mail worker that mail was queued.
	mailWake func()
}

// NewService returns the recovery service. Links are built from publicURL,
// never from a request's Host header. mailWake, if not nil, is called after
// mail is queued, to wake a local mail worker.
func NewService(store *models.Store, hasher *security.Hasher, limiter *throttle.Limiter, now func() time.Time,
	log *slog.Logger, publicURL *url.URL, cfg Config, mailWake func()) *Service {
	if mailWake == nil {
		mailWake = func() {}
	}
	return &Service{store: store, hasher: hasher, limiter: limiter, now: now, log: log,
		publicURL: publicURL, cfg: cfg, queued: make(chan struct{}, 1), mailWake: mailWake}
}

// Run handles queued requests until ctx ends: at once when this process
// queued one, and every poll interval for requests queued by other replicas.
func (s *Service) Run(ctx context.Context, poll time.Duration) {
	t := time.NewTicker(poll)
	defer t.Stop()
	for {
		// An unreachable database is logged once by the Store, not per poll.
		if _, err := s.ProcessQueue(ctx); err != nil && ctx.Err() == nil && !models.Unreachable(err) {
			s.log.Warn("recovery queue failed", "err", err)
		}
		select {
		case <-ctx.Done():
			return
		case <-s.queued:
		case <-t.C:
		}
	}
}

// link returns the public address of path.
func (s *Service) link(path string) string {
	u := *s.publicURL
	u.Path = u.Path + path
	return u.String()
}

// ValidFor describes how long reset links work, as emails say it.
func (s *Service) ValidFor() string { return humanDuration(s.cfg.ResetTTL) }

// ResetTTL is how long a password reset link works, for pages that say it
// in the reader's language.
func (s *Service) ResetTTL() time.Duration { return s.cfg.ResetTTL }

func humanDuration(d time.Duration) string { return i18n.Duration(context.Background(), d) }
