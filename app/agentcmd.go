package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"slices"
	"time"

	"accountportal/app/support"
	"accountportal/app/throttle"
)

// staffCommand is a command line for one role of the provider's staff.
type staffCommand struct {
	word string // the command's name: support-agent or operator
	role support.StaffRole
}

var (
	agentCmd    = staffCommand{word: "support-agent", role: support.RoleAgent}
	operatorCmd = staffCommand{word: "operator", role: support.RoleOperator}
)

func (sc staffCommand) usage() string {
	return "usage: accountportal " + sc.word + " create --email ADDRESS --name NAME | list | disable --email ADDRESS | reset-mfa --email ADDRESS"
}

// run manages the provider's staff of one role: they are the phone
// company's people, so they are added here rather than by any customer
// admin in the portal.
func (sc staffCommand) run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || !slices.Contains([]string{"create", "list", "disable", "reset-mfa"}, args[0]) {
		return errors.New(sc.usage())
	}
	fs := flag.NewFlagSet(sc.word+" "+args[0], flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	email := fs.String("email", "", "their email address, also their username")
	name := fs.String("name", "", "their name")
	if err := fs.Parse(args[1:]); err != nil || fs.NArg() > 0 {
		return errors.New(sc.usage())
	}
	cfg, store, err := openMigratedStore(ctx, getenv)
	if err != nil {
		return err
	}
	defer store.Close()
	now := func() time.Time { return time.Now().UTC() }
	desk := support.NewService(store, nil, throttle.New(store, now), now, cfg.PublicURL, support.DefaultConfig(), nil)
	switch args[0] {
	case "create":
		return sc.create(ctx, desk, *email, *name, stdout)
	case "reset-mfa":
		u, err := desk.ResetStaffMFA(ctx, sc.role, *email)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "reset the multi-factor authentication of %s (%s): they are signed out, and at their next sign-in "+
			"they set up a new authenticator\n", u.DisplayName, u.Email)
		return err
	case "disable":
		u, err := desk.DisableStaff(ctx, sc.role, *email)
		if err != nil {
			return err
		}
		_, err = fmt.Fprintf(stdout, "disabled %s (%s); their sessions have ended\n", u.DisplayName, u.Email)
		return err
	}
	return sc.list(ctx, desk, stdout)
}

func (sc staffCommand) create(ctx context.Context, desk *support.Service, email, name string, stdout io.Writer) error {
	u, link, err := desk.CreateStaff(ctx, sc.role, support.NewAgent{DisplayName: name, Email: email})
	if err != nil {
		return err
	}
	_, err = fmt.Fprintf(stdout, "created %s %s (username %s)\n"+
		"give them this link to choose a password; it works once, within %s:\n%s\n"+
		"they set up multi-factor authentication at their first sign-in\n",
		sc.role.Name, u.DisplayName, u.Username, fmt.Sprintf("%.0f hours", support.AgentLinkTTL.Hours()), link)
	return err
}

func (sc staffCommand) list(ctx context.Context, desk *support.Service, stdout io.Writer) error {
	agents, err := desk.Staff(ctx, sc.role)
	if err != nil {
		return err
	}
	if len(agents) == 0 {
		_, err = fmt.Fprintln(stdout, "no "+sc.role.Name+"s yet")
		return err
	}
	for _, u := range agents {
		mfa := "multi-factor authentication not set up yet"
		if u.MFAEnrolledAt != nil {
			mfa = "multi-factor authentication set up"
		}
		fmt.Fprintf(stdout, "%-30s %-30s %-9s %s\n", u.Email, u.DisplayName, u.Status, mfa)
	}
	return nil
}
