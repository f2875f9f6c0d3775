package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"accountportal/app/support"
	"accountportal/app/throttle"
	"accountportal/config"
	"accountportal/models"
)

const agentUsage = "usage: accountportal support-agent create --email ADDRESS --name NAME | list | disable --email ADDRESS"

// agentCommand manages the support desk's agents: they are the phone
// company's staff, so operators add them here rather than any customer
// admin in the portal.
func agentCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || (args[0] != "create" && args[0] != "list" && args[0] != "disable") {
		return errors.New(agentUsage)
	}
	fs := flag.NewFlagSet("support-agent "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "the agent's email address, also their username")
	name := fs.String("name", "", "the agent's name")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errors.New(agentUsage)
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	store, err := models.Open(ctx, models.Options{URL: cfg.DatabaseURL, MaxOpenConns: 2})
	if err != nil {
		return err
	}
	defer store.Close()
	if cur, latest, err := store.SchemaVersion(ctx); err != nil || cur < latest {
		return errors.Join(errors.New("the database is not migrated: run accountportal migrate first"), err)
	}
	now := func() time.Time { return time.Now().UTC() }
	desk := support.NewService(store, nil, throttle.New(store, now), now, cfg.PublicURL, support.DefaultConfig(), nil)
	switch args[0] {
	case "create":
		return createAgent(ctx, desk, *email, *name, stdout)
	case "disable":
		u, err := desk.DisableAgent(ctx, *email)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "disabled %s (%s); their sessions have ended\n", u.DisplayName, u.Email)
		return err
	}
	return listAgents(ctx, desk, stdout)
}

func createAgent(ctx context.Context, desk *support.Service, email, name string, stdout io.Writer) error {
	u, link, err := desk.CreateAgent(ctx, support.NewAgent{DisplayName: name, Email: email})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "created support agent %s (username %s)\n"+
		"give them this link to choose a password; it works once, within %s:\n%s\n",
		u.DisplayName, u.Username, support.AgentLinkTTL, link)
	return err
}

func listAgents(ctx context.Context, desk *support.Service, stdout io.Writer) error {
	agents, err := desk.Agents(ctx)
	if err != nil {
		return err
	}
	if len(agents) == 0 {
		_, err = fmt.Fprintln(stdout, "no support agents yet")
		return err
	}
	for _, u := range agents {
		mfa := "no second factor yet"
		if u.MFAEnrolledAt != nil {
			mfa = "second factor set up"
		}
		fmt.Fprintf(stdout, "%-30s %-30s %-9s %s\n", u.Email, u.DisplayName, u.Status, mfa)
	}
	return nil
}
