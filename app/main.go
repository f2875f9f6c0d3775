// Package app is the program: it reads the configuration, wires the
// services together and runs the command the operator asked for.
package app

import (
	"context"
	"fmt"
	"io"
	"runtime/debug"
)

// version is set at link time (-ldflags "-X accountportal/app.version=...").
var version = "dev"

const usage = `Account Portal: the account and admin portal for a hosted business phone service.

Usage:
  accountportal serve     migrate the database (unless PORTAL_AUTO_MIGRATE=false) and serve HTTP
  accountportal migrate   apply database migrations and exit
  accountportal mail test --to ADDRESS
                          send a test message through PORTAL_SMTP_URL
  accountportal keys list | rotate | reseal | retire ID
                          list the data keys; rotate to a new one, re-encrypting every
                          passphrase and TOTP seed; finish an interrupted rotation;
                          or retire a key no value uses
  accountportal support-agent create --email ADDRESS --name NAME | list | disable --email ADDRESS
                          add a support desk agent (prints their set-password link),
                          list the agents, or disable one
  accountportal operator create --email ADDRESS --name NAME | list | disable --email ADDRESS
                          add one of the provider's operators, who onboard and run
                          customer accounts (prints their set-password link), list or disable them
  accountportal support-agent|operator reset-mfa --email ADDRESS
                          reset the multi-factor authentication of a member of staff who lost their phone and codes
  accountportal accounts purge [--yes]
                          list the closed accounts whose retention (PORTAL_ACCOUNT_RETENTION)
                          has passed; with --yes delete them, users and data (audit entries stay)
  accountportal version   print the version
  accountportal help      print this help

Configuration comes from PORTAL_* environment variables; see README.md.
`

// Main runs the command named by args[1] and returns the process exit code.
// It is the only place that decides the process ends.
func Main(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) int {
	cmd := "help"
	if len(args) > 1 {
		cmd = args[1]
	}
	var err error
	switch cmd {
	case "serve":
		err = serve(ctx, getenv, stdout)
	case "migrate":
		err = migrate(ctx, getenv, stdout)
	case "keys":
		err = keysCommand(ctx, args[2:], getenv, stdout)
	case "mail":
		err = mailCommand(ctx, args[2:], getenv, stdout)
	case "support-agent":
		err = agentCmd.run(ctx, args[2:], getenv, stdout)
	case "operator":
		err = operatorCmd.run(ctx, args[2:], getenv, stdout)
	case "accounts":
		err = accountsCommand(ctx, args[2:], getenv, stdout)
	case "setup-code":
		err = setupCodeCommand(ctx, getenv, stdout)
	case "version":
		_, err = fmt.Fprintln(stdout, "accountportal", buildVersion())
	case "help", "-h", "--help":
		_, err = io.WriteString(stdout, usage)
	default:
		fmt.Fprintf(stdout, "accountportal: unknown command %q\n\n%s", cmd, usage)
		return 2
	}
	if err != nil {
		fmt.Fprintln(stdout, "accountportal:", err)
		return 1
	}
	return 0
}

func buildVersion() string {
	if version != "dev" {
		return version
	}
	if info, ok := debug.ReadBuildInfo(); ok && info.Main.Version != "" && info.Main.Version != "(devel)" {
		return info.Main.Version
	}
	return version
}
