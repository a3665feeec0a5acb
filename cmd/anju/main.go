// Command anju runs Anju (人才安居): the API, the workers, migrations and
// the operator commands, all from one binary so that one container image
// serves every role.
package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"os/signal"
	"syscall"
)

// version is set at build time with -ldflags "-X main.version=…".
var version = "dev"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Getenv, os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "anju:", err)
		os.Exit(1)
	}
}

const usage = `usage: anju <command>

commands:
  api                         serve the HTTP API
  worker                      run the outbox relay, task handlers and periodic jobs
  all                         api and worker in one process (development)
  migrate up|down|status      apply, roll back one, or list database migrations
  admin grant --uid UID --role ROLE [--employer ID]
                              grant a role to a Firebase user (first admin)
  dev seed                    load demo data (development only)
  dev token --role ROLE       print an ID token for a demo account (development only)
  verify-draw FILE            recompute a published draw record and say whether it matches
  version                     print the version

configuration comes from ANJU_* environment variables; see README.md.`

// run is main without the process: tests call it with their own arguments,
// environment and output, and cancel ctx to stop it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stdout, usage)
		return errors.New("no command given")
	}
	switch args[0] {
	case "version":
		fmt.Fprintln(stdout, "anju", version)
		return nil
	case "verify-draw":
		return verifyDraw(args[1:], stdout)
	}
	cfg, err := loadConfig(getenv)
	if err != nil {
		return fmt.Errorf("configuration:\n%w", err)
	}
	switch args[0] {
	case "api", "worker", "all":
		return serve(ctx, cfg, args[0], stdout)
	case "migrate":
		if len(args) != 2 {
			return errors.New("usage: anju migrate up|down|status")
		}
		return migrate(ctx, cfg, args[1], stdout)
	case "admin":
		return admin(ctx, cfg, args[1:], stdout)
	case "dev":
		return dev(ctx, cfg, args[1:], stdout)
	}
	return fmt.Errorf("unknown command %q\n%s", args[0], usage)
}
