package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/pprof"
	"time"

	"accountportal/config"
	"accountportal/models"
)

// Server timeouts: generous enough for a slow phone connection, short enough
// that idle or stalled clients cannot hold connections open.
const (
	readHeaderTimeout = 5 * time.Second
	readTimeout       = 15 * time.Second
	writeTimeout      = 30 * time.Second
	idleTimeout       = 120 * time.Second
	shutdownTimeout   = 20 * time.Second
	janitorEvery      = 5 * time.Minute
)

func serve(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	log := newLogger(cfg, stdout)
	limit, gcPercent := applyMemoryDefaults(getenv, cfg)
	log.Info("memory", "GOMEMLIMIT_MiB", limit>>20, "GOGC", gcPercent)
	a, err := Build(ctx, cfg, log, Options{})
	if err != nil {
		return err
	}
	defer a.Close()
	if cfg.AutoMigrate {
		applied, err := a.Store.Migrate(ctx)
		if err != nil {
			return err
		}
		log.Info("database migrated", "applied", applied)
	}
	if err := a.announceSetup(ctx); err != nil {
		return err
	}
	ln, err := net.Listen("tcp", cfg.Listen)
	if err != nil {
		return fmt.Errorf("PORTAL_LISTEN: %w", err)
	}
	busy := newActivity()
	go busy.releaseWhenIdle(ctx, 2*time.Second)
	srv := &http.Server{
		Handler:           busy.wrap(a.Handler),
		ReadHeaderTimeout: readHeaderTimeout,
		ReadTimeout:       readTimeout,
		WriteTimeout:      writeTimeout,
		IdleTimeout:       idleTimeout,
		MaxHeaderBytes:    64 << 10,
		ErrorLog:          slog.NewLogLogger(log.Handler(), slog.LevelWarn),
	}
	if err := a.RunWorkers(ctx); err != nil {
		return err
	}
	errc := make(chan error, 2)
	go func() { errc <- srv.Serve(ln) }()
	if cfg.MetricsListen != "" {
		stop, err := a.serveMetrics(cfg.MetricsListen, errc)
		if err != nil {
			_ = srv.Close()
			return err
		}
		defer stop()
		log.Info("serving metrics", "addr", cfg.MetricsListen)
	}
	log.Info("serving", "addr", ln.Addr().String(), "public_url", cfg.PublicURL.String(), "env", cfg.Env)
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	log.Info("shutting down")
	sctx, cancel := context.WithTimeout(context.Background(), shutdownTimeout)
	defer cancel()
	if err := srv.Shutdown(sctx); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// serveMetrics serves /metrics on a listener of its own, so the public
// address never shows them. It returns a function that stops it.
func (a *App) serveMetrics(addr string, errc chan<- error) (func(), error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("PORTAL_METRICS_LISTEN: %w", err)
	}
	mux := http.NewServeMux()
	mux.Handle("GET /metrics", a.Metrics.Handler())
	// Profiles are served beside the metrics, never on the public address:
	// they are how an operator finds where a busy replica spends its time.
	mux.HandleFunc("GET /debug/pprof/", pprof.Index)
	mux.HandleFunc("GET /debug/pprof/profile", pprof.Profile)
	srv := &http.Server{Handler: mux, ReadHeaderTimeout: readHeaderTimeout, WriteTimeout: writeTimeout}
	go func() {
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			errc <- err
		}
	}()
	return func() { _ = srv.Close() }, nil
}

// janitor deletes expired sessions and stale throttle rows now and then.
// Every replica may run it; the deletes are idempotent.
func (a *App) janitor(ctx context.Context) {
	t := time.NewTicker(janitorEvery)
	defer t.Stop()
	for {
		a.sweep(ctx)
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (a *App) sweep(ctx context.Context) {
	for {
		n, err := a.Sessions.Purge(ctx, 1000)
		if err != nil {
			a.Log.Warn("session purge failed", "err", err)
			return
		}
		if n < 1000 {
			break
		}
	}
	if _, err := a.Store.Throttles.DeleteStale(ctx, a.Now().Add(-24*time.Hour)); err != nil {
		a.Log.Warn("throttle purge failed", "err", err)
	}
}

// migrate opens the database and applies its migrations, and nothing
// more: it needs neither the key file nor any service, so an operator can
// run it before either is in place.
func migrate(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	store, err := models.Open(ctx, models.Options{URL: cfg.DatabaseURL, MaxOpenConns: cfg.DBMaxOpenConns, Logger: newLogger(cfg, stdout)})
	if err != nil {
		return err
	}
	defer store.Close()
	applied, err := store.Migrate(ctx)
	if err != nil {
		return err
	}
	current, _, err := store.SchemaVersion(ctx)
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "applied %d migration(s); schema version %d\n", len(applied), current)
	return err
}

func newLogger(cfg *config.Config, w io.Writer) *slog.Logger {
	var level slog.Level
	_ = level.UnmarshalText([]byte(cfg.LogLevel))
	opts := &slog.HandlerOptions{Level: level}
	if cfg.LogFormat == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// announceSetup logs the first-run setup code while no account exists, so
// only whoever can read the server's log can claim the Primary Admin.
func (a *App) announceSetup(ctx context.Context) error {
	open, err := a.Setup.Open(ctx)
	if err != nil || !open {
		return err
	}
	a.Log.Info("first-run setup: open the setup page and enter this setup code",
		"url", a.Config.PublicURL.JoinPath("/setup").String(), "setup_code", a.Setup.Code())
	return nil
}
