package app

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"time"

	"accountportal/app/mail"
	"accountportal/config"
)

// mailCommand runs "accountportal mail test --to ADDRESS": it sends one
// message straight through PORTAL_SMTP_URL, so operators can check the
// settings before users depend on them.
func mailCommand(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "test" {
		return errors.New("usage: accountportal mail test --to ADDRESS")
	}
	fs := flag.NewFlagSet("mail test", flag.ContinueOnError)
	fs.SetOutput(stdout)
	to := fs.String("to", "", "address to send the test message to")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	cfg, err := config.Load(getenv)
	if err != nil {
		return err
	}
	if cfg.SMTPURL == "" {
		return errors.New("PORTAL_SMTP_URL is not set: there is no server to test (in dev, mail is kept at /dev/mailbox)")
	}
	smtp, err := mail.ParseSMTPURL(cfg.SMTPURL)
	if err != nil {
		return fmt.Errorf("PORTAL_SMTP_URL: %w", err)
	}
	msg := mail.Message{To: *to, Subject: "Account Portal test message",
		Text: "This message tests the Account Portal's email settings.\nIf you can read it, email works.\n"}
	if err := msg.Validate(); err != nil {
		return fmt.Errorf("--to: %w", err)
	}
	sctx, cancel := context.WithTimeout(ctx, 45*time.Second)
	defer cancel()
	if err := mail.NewSMTPSender(smtp, 30*time.Second).Send(sctx, cfg.MailFrom, msg); err != nil {
		return fmt.Errorf("sending through %s: %w", smtp.Redacted(), err)
	}
	_, err = fmt.Fprintf(stdout, "sent a test message to %s through %s\n", *to, smtp.Redacted())
	return err
}
