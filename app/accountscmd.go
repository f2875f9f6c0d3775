package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"accountportal/app/provider"
	"accountportal/models"
)

const accountsUsage = "usage: accountportal accounts purge [--yes]"

// accountsCommand runs "accounts purge": it lists the closed accounts
// whose retention has passed and, with --yes, deletes them with their
// users and all their data. Without --yes it changes nothing, so the
// operator sees what would go before anything does.
func accountsCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "purge" {
		return errors.New(accountsUsage)
	}
	fs := flag.NewFlagSet("accounts purge", flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	yes := fs.Bool("yes", false, "delete them")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errors.New(accountsUsage)
	}
	cfg, store, err := openMigratedStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	now := func() time.Time { return time.Now().UTC() }
	life := provider.NewLifecycle(store, now, nil, cfg.AccountRetention)
	return purge(ctx, life, *yes, stdout)
}

func purge(ctx context.Context, life *provider.Lifecycle, yes bool, stdout io.Writer) error {
	due, err := life.Purgeable(ctx)
	if err != nil {
		return err
	}
	if len(due) == 0 {
		_, err = fmt.Fprintln(stdout, "no closed account is due for purging")
		return err
	}
	for _, c := range due {
		closed := "?"
		if c.StatusChangedAt != nil {
			closed = c.StatusChangedAt.UTC().Format("2006-01-02")
		}
		fmt.Fprintf(stdout, "%s  %-40s closed %s  %d users\n", c.Number, c.Name, closed, c.Users)
	}
	if !yes {
		_, err = fmt.Fprintf(stdout, "dry run: %d accounts would be deleted; run again with --yes to delete them\n", len(due))
		return err
	}
	n := 0
	for _, c := range due {
		err := life.Purge(ctx, c)
		if errors.Is(err, models.ErrNotFound) {
			fmt.Fprintf(stdout, "%s skipped: no longer due\n", c.Number)
			continue
		}
		if err != nil {
			return fmt.Errorf("purge %s: %w", c.Number, err)
		}
		n++
	}
	_, err = fmt.Fprintf(stdout, "deleted %d accounts with their users and data; their audit entries are kept\n", n)
	return err
}
