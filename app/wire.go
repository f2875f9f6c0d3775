package app

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"sync"
	"time"

	"accountportal/app/account"
	"accountportal/app/admin"
	"accountportal/app/identity"
	"accountportal/app/jobs"
	"accountportal/app/mail"
	"accountportal/app/metrics"
	"accountportal/app/mfa"
	"accountportal/app/profile"
	"accountportal/app/provider"
	"accountportal/app/recovery"
	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/app/session"
	"accountportal/app/support"
	"accountportal/app/throttle"
	"accountportal/app/web"
	"accountportal/config"
	"accountportal/models"
	"accountportal/static"
)

// Options replace parts of the wiring; tests use them for a fixed clock,
// small limits and keys that never touch the disk.
type Options struct {
	Now      func() time.Time
	Keys     *security.KeyRing
	SignIn   *identity.SignInConfig
	Recovery *recovery.Config
	Support  *support.Config
	// JobsOnDemand starts the job queue's workers when the first job is
	// queued rather than with RunWorkers, which tests do not call.
	JobsOnDemand bool
}

// App is the wired portal: its HTTP handler and what runs beside it.
type App struct {
	Config   *config.Config
	Log      *slog.Logger
	Store    *models.Store
	Keys     *security.KeyRing
	Sessions *session.Store
	Handler  http.Handler
	Now      func() time.Time
	Recovery *recovery.Service
	Mail     *mail.Worker
	Users    *admin.Users
	Bulk     *admin.Bulk
	SignIn   *identity.SignIn
	MFA      *mfa.Service
	Support  *support.Service
	Metrics  *metrics.Metrics
	Setup    *account.Setup
	// Hasher computes every password, answer and backup-code hash.
	Hasher *security.Hasher
	// Secrets seals and opens passphrases and TOTP seeds with Keys.
	Secrets *secrets.Sealer
	// Jobs is the job queue that works bulk actions.
	Jobs *jobs.Queue

	// workers are the loops RunWorkers started; Close cancels and joins
	// them before it closes the database they use.
	workers     sync.WaitGroup
	stopWorkers context.CancelFunc
}

// mailStats reads the outbox's depth from the database and the send counts
// from this process's worker.
type mailStats struct {
	models.OutboxStore
	*mail.Worker
}

// Build opens the database and wires every service. It does not migrate.
func Build(ctx context.Context, cfg *config.Config, log *slog.Logger, opt Options) (*App, error) {
	now := opt.Now
	if now == nil {
		now = func() time.Time { return time.Now().UTC() }
	}
	keys := opt.Keys
	if keys == nil {
		var err error
		keys, err = security.LoadKeyRing(cfg.SecretKeysFile, !cfg.Production(), cfg.Production())
		if err != nil {
			return nil, fmt.Errorf("PORTAL_SECRET_KEYS_FILE: %w", err)
		}
	}
	store, err := models.Open(ctx, models.Options{URL: cfg.DatabaseURL, MaxOpenConns: cfg.DBMaxOpenConns, Now: now, Logger: log})
	if err != nil {
		return nil, err
	}
	assets, err := static.New()
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	signInCfg := identity.DefaultSignInConfig()
	if opt.SignIn != nil {
		signInCfg = *opt.SignIn
	}
	hasher := security.NewHasher(security.Argon2Params(cfg.Argon2), cfg.HashConcurrency, 2*time.Second)
	signIn := identity.NewSignIn(store, hasher, throttle.New(store, now), now, log, signInCfg)
	clientIP := web.ClientIPExtractor(ipNets(cfg))
	sessions := session.NewStore(store, keys.CookieKeyPairs(), now, session.Config{
		Secure: cfg.Production(), Idle: cfg.SessionIdle, Absolute: cfg.SessionAbsolute,
		ClientIP: clientIP, VisitorKeys: web.VisitorKeys(),
		Limits: func(ctx context.Context, userID int64) (time.Duration, time.Duration, error) {
			p, err := signIn.LoadPrincipal(ctx, userID)
			if err != nil {
				return 0, 0, err
			}
			idle, abs := identity.SessionLimits(p.Account, cfg.SessionIdle, cfg.SessionAbsolute)
			return idle, abs, nil
		},
	})
	mailer, err := newMailWorker(cfg, store, now, log)
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	recoveryCfg := recovery.DefaultConfig()
	if opt.Recovery != nil {
		recoveryCfg = *opt.Recovery
	}
	recoveryCfg.ResetTTL = cfg.ResetTTL
	recover := recovery.NewService(store, hasher, throttle.New(store, now), now, log, cfg.PublicURL, recoveryCfg, mailer.Wake)
	sealer := secrets.NewSealer(keys)
	profiles := profile.NewService(store, hasher, sealer, now, log, cfg.PublicURL, mailer.Wake)
	factors := mfa.NewService(store, hasher, sealer, throttle.New(store, now), signIn, now, log, mfa.Config{
		Issuer: "Account Portal", PerUser: signInCfg.PerUsername, PerIP: signInCfg.PerIP, WarnAfter: 3}, mailer.Wake)
	supportCfg := support.DefaultConfig()
	if opt.Support != nil {
		supportCfg = *opt.Support
	}
	desk := support.NewService(store, sealer, throttle.New(store, now), now, cfg.PublicURL, supportCfg, mailer.Wake)
	queue, err := jobs.New(store, log, jobs.Config{Timeout: cfg.JobTimeout, Poll: cfg.JobPoll, Workers: 2,
		Name: cfg.InstanceName, StartOnWake: opt.JobsOnDemand})
	if err != nil {
		_ = store.Close()
		return nil, err
	}
	adminShared := admin.Shared{Store: store, Now: now, PublicURL: cfg.PublicURL, MailWake: mailer.Wake}
	bulk := admin.NewBulk(adminShared, recover, factors, queue, log)
	queue.Handle(bulk)
	users := admin.NewUsers(adminShared, recover, bulk)
	watch := metrics.New()
	watch.WatchMail(mailStats{store.Outbox, mailer})
	if db, err := store.SQLDB(); err == nil {
		watch.WatchDB(db)
	}
	setup := account.NewSetup(store, hasher, keys, sealer, now)
	deps := web.Deps{
		Config: cfg, Logger: log, Now: now, Pinger: store, Sessions: sessions,
		SignIn: signIn, Setup: setup, Recovery: recover,
		Profile: profiles, MFA: factors,
		Privileges: admin.NewPrivileges(adminShared, signIn, sealer), Roles: admin.NewRoles(adminShared),
		Users: users, Bulk: bulk, Audit: admin.NewAudit(store), APITokens: admin.NewAPITokens(adminShared, factors),
		Throttle: throttle.New(store, now), CursorKey: keys.Derive("api list cursors"),
		Settings: account.NewSettings(store, now, cfg.SessionIdle, cfg.SessionAbsolute), Assets: assets, ClientIP: clientIP,
		Support: desk, Metrics: watch, Provider: provider.NewService(store, now, log, cfg.PublicURL, mailer.Wake),
		Lifecycle: provider.NewLifecycle(store, now, mailer.Wake, cfg.AccountRetention),
		Rescue:    provider.NewRescue(store, now, mailer.Wake, recover),
	}
	if cfg.DevMailbox() {
		deps.Mailbox = &store.Outbox
	}
	return &App{Config: cfg, Log: log, Store: store, Keys: keys, Secrets: sealer, Sessions: sessions,
		Handler: web.NewServer(deps), Now: now, Recovery: recover, Mail: mailer, Users: users, Bulk: bulk, SignIn: signIn, MFA: factors, Support: desk, Metrics: watch,
		Setup: setup, Hasher: hasher, Jobs: queue}, nil
}

// newMailWorker sends through PORTAL_SMTP_URL, or keeps mail for the
// development mailbox when none is set.
func newMailWorker(cfg *config.Config, store *models.Store, now func() time.Time, log *slog.Logger) (*mail.Worker, error) {
	var sender mail.Sender
	if cfg.SMTPURL != "" {
		smtp, err := mail.ParseSMTPURL(cfg.SMTPURL)
		if err != nil {
			return nil, fmt.Errorf("PORTAL_SMTP_URL: %w", err)
		}
		sender = mail.NewSMTPSender(smtp, 30*time.Second)
	}
	return mail.NewWorker(store, sender, cfg.MailFrom, now, log, mail.WorkerOptions{}), nil
}

// RunWorkers runs the background work of a replica until ctx ends or
// Close is called: sending mail, handling recovery requests, deleting
// expired sessions, working bulk jobs.
func (a *App) RunWorkers(ctx context.Context) error {
	ctx, a.stopWorkers = context.WithCancel(ctx)
	a.workers.Go(func() { a.Mail.Run(ctx) })
	a.workers.Go(func() { a.Recovery.Run(ctx, 2*time.Second) })
	a.workers.Go(func() { a.janitor(ctx) })
	return a.Jobs.Start()
}

// Close stops the background work and then releases the database. The
// loops stop first and are waited for: a mail worker stopped mid-batch
// hands its unsent messages back to the outbox, which needs the database
// still open. The job queue lets the jobs it works finish for a while.
func (a *App) Close() error {
	if a.stopWorkers != nil {
		a.stopWorkers()
	}
	a.workers.Wait()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	return errors.Join(a.Jobs.Stop(ctx), a.Store.Close())
}

func ipNets(cfg *config.Config) []*net.IPNet {
	out := make([]*net.IPNet, 0, len(cfg.TrustedProxies))
	for _, p := range cfg.TrustedProxies {
		out = append(out, &net.IPNet{IP: p.Addr().AsSlice(), Mask: net.CIDRMask(p.Bits(), p.Addr().BitLen())})
	}
	return out
}
