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
	"slices"
	"strings"
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

// command is one subcommand. Those that connect to anything read the
// configuration first; help never does.
type command struct {
	name    string
	args    string // what follows the name, for the usage line
	summary string
	details string // shown by `anju help NAME` and `anju NAME --help`
	// run gets the arguments after the name; cfg is loaded only when
	// needsConfig is set.
	needsConfig bool
	run         func(ctx context.Context, cfg Config, args []string, stdout io.Writer) error
}

// commands are the subcommands in the order help lists them. They are set
// in init because their usage errors read the list itself.
var commands []command

func init() {
	commands = []command{
		{name: "api", summary: "serve the HTTP API", needsConfig: true, run: serveMode("api"),
			details: "Serves the API on ANJU_HTTP_ADDR until SIGTERM, then drains in-flight requests."},
		{name: "worker", summary: "run the outbox relay, task handlers and periodic jobs", needsConfig: true, run: serveMode("worker"),
			details: "Runs the workers until SIGTERM; /metrics and /healthz are on ANJU_WORKER_ADDR."},
		{name: "all", summary: "api and worker in one process (development)", needsConfig: true, run: serveMode("all"),
			details: "Runs the API and the workers in one process."},
		{name: "migrate", args: "up|down|status", summary: "apply, roll back one, or list database migrations", needsConfig: true, run: migrate,
			details: "up applies every pending migration; down rolls back the last one; status lists them."},
		{name: "admin", args: "grant --uid UID --role ROLE [--employer ID]", summary: "grant a role to a Firebase user (first admin)", needsConfig: true, run: admin,
			details: "Signs the Firebase uid in (creating the user) and grants ROLE: hr (with --employer), reviewer, housing, finance or admin."},
		{name: "dev", args: "seed | token (--role ROLE | --as NAME) | end-notices", summary: "demo data, demo ID tokens and a shortcut past the public notice (development only)", needsConfig: true, run: dev,
			details: "seed loads one demo employer and one account per role; token prints an ID token for a demo account from the Auth emulator (--as NAME: a fresh account without a role); end-notices ends every approval's public notice now, so that a demo need not wait five working days for payments."},
		{name: "tasks", args: "archived | rerun (--all | ID...)", summary: "list the tasks that failed for good, or queue them again", needsConfig: true, run: tasks,
			details: "archived lists every archived task by queue and type with its id, when it failed and its last error; rerun --all queues every archived task again, rerun ID... the ones named. Handlers are idempotent: a task whose work was done since changes nothing."},
		{name: "pii", args: "reseal [--batch N]", summary: "bind every stored personal value to its field and row, under the current key", needsConfig: true, run: piiCommand,
			details: "reseal rewrites, N rows per transaction (500), every sealed value not yet bound to its field and row (the v1 format) or sealed with a key other than the first of ANJU_PII_KEYS, and reports per column how many it rewrote and which rows it could not (a value that does not open there, or whose national ID does not match the row's blind index), leaving those as they were. It runs beside the serving application; interrupted or run again, it carries on with what is left. Once a run rewrites nothing and reports no failures, set ANJU_PII_REQUIRE_BOUND=true and remove from ANJU_PII_KEYS the keys no value names any more."},
		{name: "verify-draw", args: "FILE", summary: "recompute a published draw record and say whether it matches", run: verifyDraw,
			details: "FILE is a record from GET /v1/housing/rounds/{id}/draw. Needs no configuration: anyone can run it."},
		{name: "version", summary: "print the version", run: func(_ context.Context, _ Config, _ []string, stdout io.Writer) error {
			fmt.Fprintln(stdout, "anju", version)
			return nil
		}},
		{name: "help", args: "[COMMAND]", summary: "show this help, or a command's", details: "Shows the commands, or how to use one."},
	}
}

func serveMode(mode string) func(context.Context, Config, []string, io.Writer) error {
	return func(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
		if len(args) > 0 {
			return fmt.Errorf("anju %s takes no arguments\n%s", mode, commandUsage(mode))
		}
		return serve(ctx, cfg, mode, stdout)
	}
}

// usage lists every command.
func usage() string {
	var b strings.Builder
	b.WriteString("usage: anju <command> [arguments]\n\ncommands:\n")
	for _, c := range commands {
		line := c.name
		if c.args != "" {
			line += " " + c.args
		}
		if len(line) > 28 {
			fmt.Fprintf(&b, "  %s\n  %-28s%s\n", line, "", c.summary)
		} else {
			fmt.Fprintf(&b, "  %-28s%s\n", line, c.summary)
		}
	}
	b.WriteString("\nrun `anju help COMMAND` for one command.\nconfiguration comes from ANJU_* environment variables; see README.md.")
	return b.String()
}

// commandUsage is one command's help.
func commandUsage(name string) string {
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		return usage()
	}
	c := commands[i]
	return strings.TrimSpace(fmt.Sprintf("usage: anju %s %s\n\n%s\n\n%s", c.name, c.args, c.summary, c.details))
}

// wantsHelp reports whether the arguments ask for help rather than work.
func wantsHelp(args []string) bool {
	return slices.ContainsFunc(args, func(a string) bool { return a == "-h" || a == "--help" || a == "-help" })
}

// run is main without the process: tests call it with their own arguments,
// environment and output, and cancel ctx to stop it.
func run(ctx context.Context, args []string, getenv func(string) string, stdout io.Writer) error {
	if len(args) == 0 {
		fmt.Fprintln(stdout, usage())
		return errors.New("no command given")
	}
	name, rest := args[0], args[1:]
	if name == "help" || name == "-h" || name == "--help" {
		if len(rest) > 0 {
			fmt.Fprintln(stdout, commandUsage(rest[0]))
		} else {
			fmt.Fprintln(stdout, usage())
		}
		return nil
	}
	i := slices.IndexFunc(commands, func(c command) bool { return c.name == name })
	if i < 0 {
		return fmt.Errorf("unknown command %q\n%s", name, usage())
	}
	c := commands[i]
	if wantsHelp(rest) {
		fmt.Fprintln(stdout, commandUsage(name))
		return nil
	}
	var cfg Config
	if c.needsConfig {
		var err error
		if cfg, err = loadConfig(getenv); err != nil {
			return fmt.Errorf("configuration:\n%w", err)
		}
	}
	return c.run(ctx, cfg, rest, stdout)
}
