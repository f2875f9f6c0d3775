package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"accountportal/app/account"
	"accountportal/app/security"
	"accountportal/config"
	"accountportal/models"
)

// setupCodeCommand prints the code that first-run setup asks for, for an
// operator who no longer has the start-up log. It refuses once setup ran.
func setupCodeCommand(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	keys, err := security.LoadKeyRing(cfg.SecretKeysFile, false, cfg.Production())
	if err != nil {
		return fmt.Errorf("PORTAL_SECRET_KEYS_FILE: %w", err)
	}
	store, err := models.Open(ctx, models.Options{URL: cfg.DatabaseURL, MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	setup := account.NewSetup(store, nil, keys, nil)
	open, err := setup.Open(ctx)
	if err != nil {
		return err
	}
	if !open {
		return errors.New("first-run setup has already been completed")
	}
	_, err = fmt.Fprintf(stdout, "setup code: %s\nenter it at %s\n", setup.Code(), cfg.PublicURL.JoinPath("/setup"))
	return err
}
