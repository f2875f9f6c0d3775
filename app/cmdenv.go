package app

import (
	"context"
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
