package app

import (
	"context"
	"errors"
	"fmt"

	"accountportal/app/security"
	"accountportal/config"
	"accountportal/models"
)

// commandEnv is what a command-line tool works with: the configuration,
// the key file and the database. The caller closes the store.
type commandEnv struct {
	cfg   *config.Config
	keys  *security.KeyRing
	store *models.Store
}

// openCommandEnv loads the configuration and the key file and opens the
// database with a small pool, as the keys and setup-code commands need.
func openCommandEnv(ctx context.Context, getenv func(string) string, conns int) (*commandEnv, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, err
	}
	keys, err := security.LoadKeyRing(cfg.SecretKeysFile, false, cfg.Production())
	if err != nil {
		return nil, fmt.Errorf("PORTAL_SECRET_KEYS_FILE: %w", err)
	}
	store, err := models.Open(ctx, models.Options{URL: cfg.DatabaseURL, MaxOpenConns: conns})
	if err != nil {
		return nil, err
	}
	return &commandEnv{cfg: cfg, keys: keys, store: store}, nil
}

// openMigratedStore loads the configuration and opens the database for a
// command that needs no key file (staff and account commands), refusing a
// database the binary has not migrated. The caller closes the store.
func openMigratedStore(ctx context.Context, getenv func(string) string) (*config.Config, *models.Store, error) {
	cfg, err := config.Load(getenv)
	if err != nil {
		return nil, nil, err
	}
	store, err := models.Open(ctx, models.Options{URL: cfg.DatabaseURL, MaxOpenConns: 2})
	if err != nil {
		return nil, nil, err
	}
	if cur, latest, err := store.SchemaVersion(ctx); err != nil || cur < latest {
		_ = store.Close()
		return nil, nil, errors.Join(errors.New("the database is not migrated: run accountportal migrate first"), err)
	}
	return cfg, store, nil
}
