// Command accountportal runs the Account Portal: the web server, its migrations
// and the operators' command-line tools.
package main

import (
	"context"
	"os"
	"os/signal"
	"syscall"

	"accountportal/app"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := app.Main(ctx, os.Args, os.Getenv, os.Stdout)
	stop()
	os.Exit(code)
}
