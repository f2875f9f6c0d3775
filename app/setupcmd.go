package app

import (
	"context"
	"errors"
	"fmt"
	"io"

	"accountportal/app/account"
)

// setupCodeCommand prints the code that first-run setup asks for, for an
// operator who no longer has the start-up log. It refuses once setup ran.
func setupCodeCommand(ctx context.Context, getenv func(string) string, stdout io.Writer) error {
	env, err := openCommandEnv(ctx, getenv, 2)
	if err != nil {
		return err
	}
	defer env.store.Close()
	setup := account.NewSetup(env.store, nil, env.keys, nil, nil)
	open, err := setup.Open(ctx)
	if err != nil {
		return err
	}
	if !open {
		return errors.New("first-run setup has already been completed")
	}
	_, err = fmt.Fprintf(stdout, "setup code: %s\nenter it at %s\n", setup.Code(), env.cfg.PublicURL.JoinPath("/setup"))
	return err
}
