package app

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strconv"

	"accountportal/app/secrets"
	"accountportal/app/security"
	"accountportal/models"
)

const keysUsage = "usage: accountportal keys list | keys rotate | keys reseal | keys retire ID"

// keysCommand manages the data keys that seal passphrases and TOTP seeds:
// list them, rotate (add a key, make it current, re-encrypt every value
// under it) and retire a key no value needs any more.
func keysCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		return errors.New(keysUsage)
	}
	env, err := openCommandEnv(ctx, getenv, 4)
	if err != nil {
		return err
	}
	defer env.store.Close()
	store, keys := env.store, env.keys
	sealer := secrets.NewSealer(keys)
	switch {
	case args[0] == "list" && len(args) == 1:
		return listKeys(ctx, store, keys, stdout)
	case args[0] == "rotate" && len(args) == 1:
		return rotateKeys(ctx, store, keys, sealer, stdout)
	case args[0] == "reseal" && len(args) == 1:
		res, err := sealer.Reseal(ctx, store, 500)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "re-encrypted %d value(s) under key %d, %d changed meanwhile, %d could not be opened\n",
			res.Resealed, keys.CurrentDataKey(), res.Skipped, res.Failed)
		return err
	case args[0] == "retire" && len(args) == 2:
		id, err := strconv.Atoi(args[1])
		if err != nil {
			return errors.New(keysUsage)
		}
		if err := sealer.Retire(ctx, store, id); err != nil {
			return err
		}
		if err := keys.Save(); err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "retired key %d\n", id)
		return err
	}
	return errors.New(keysUsage)
}

func listKeys(ctx context.Context, store *models.Store, keys *security.KeyRing, stdout io.Writer) error {
	counts, err := store.Secrets.CountByKey(ctx)
	if err != nil {
		return err
	}
	for _, k := range keys.DataKeys() {
		mark := ""
		if k.Current {
			mark = " (current)"
		}
		fmt.Fprintf(stdout, "key %d%s created %s, seals %d value(s)\n", k.ID, mark,
			k.Created.UTC().Format("2006-01-02 15:04 UTC"), counts[k.ID])
	}
	return nil
}

func rotateKeys(ctx context.Context, store *models.Store, keys *security.KeyRing, sealer *secrets.Sealer, stdout io.Writer) error {
	id, err := keys.AddDataKey()
	if err != nil {
		return err
	}
	// The file is saved first: a value sealed under a key that is not on
	// disk would be lost if the process died.
	if err := keys.Save(); err != nil {
		return err
	}
	res, err := sealer.Reseal(ctx, store, 500)
	if err != nil {
		return fmt.Errorf("key %d is current, but re-encryption stopped after %d value(s): %w (run 'accountportal keys reseal' to finish)",
			id, res.Resealed, err)
	}
	_, err = fmt.Fprintf(stdout, "key %d is now current; re-encrypted %d value(s), %d changed meanwhile, %d could not be opened\n",
		id, res.Resealed, res.Skipped, res.Failed)
	return err
}
