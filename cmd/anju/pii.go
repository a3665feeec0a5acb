package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"text/tabwriter"

	"github.com/anju-city/anju/internal/postgres"
)

// piiCommand is the operator's command over sealed personal data. `reseal`
// rewrites every stored value that is not sealed as Anju seals now: legacy
// v1 values (bound to no field or row) and values under a key other than
// the first of ANJU_PII_KEYS. Once it reports nothing left, the deployment
// can set ANJU_PII_REQUIRE_BOUND, and retire old keys.
func piiCommand(ctx context.Context, cfg Config, args []string, stdout io.Writer) error {
	if len(args) == 0 || args[0] != "reseal" {
		return errors.New(commandUsage("pii"))
	}
	fs := flag.NewFlagSet("pii reseal", flag.ContinueOnError)
	fs.SetOutput(stdout)
	batch := fs.Int("batch", 500, "rows rewritten per transaction")
	if err := fs.Parse(args[1:]); err != nil {
		return err
	}
	if *batch < 1 || fs.NArg() > 0 {
		return errors.New("pii reseal takes only --batch N (N at least 1)\n" + commandUsage("pii"))
	}
	s, err := connect(ctx, cfg, io.Discard)
	if err != nil {
		return err
	}
	defer s.close()
	return s.reseal(ctx, *batch, stdout)
}

// reseal rebinds every sealed column's values and reports, per column, how
// many were rewritten and which could not be (by row, never the value).
func (s *system) reseal(ctx context.Context, batch int, stdout io.Writer) error {
	current := s.vault.Current()
	w := tabwriter.NewWriter(stdout, 0, 4, 2, ' ', 0)
	fmt.Fprintln(w, "COLUMN\tBOUND AS\tRESEALED\tFAILED")
	var total, failed int
	var failures []string
	for _, c := range postgres.SealedColumns {
		res, err := s.db.Reseal(ctx, c, current, batch, func(row, sealed, index string) (string, error) {
			var check func(string) error
			if index != "" {
				// A legacy value copied from another person's row opens
				// anywhere; its blind index gives it away.
				check = func(plain string) error {
					if s.vault.Index(plain) != index {
						return errors.New("the value does not match the row's blind index (copied from another row?)")
					}
					return nil
				}
			}
			return s.vault.Rebind(c.Field, row, sealed, check)
		})
		fmt.Fprintf(w, "%s\t%s\t%d\t%d\n", c.Name(), c.Field, res.Resealed, len(res.Failed))
		total += res.Resealed
		failed += len(res.Failed)
		for _, f := range res.Failed {
			failures = append(failures, fmt.Sprintf("  %s (%s): %v", c.Name(), f.Key, f.Err))
		}
		if err != nil {
			_ = w.Flush()
			return err
		}
	}
	if err := w.Flush(); err != nil {
		return err
	}
	if failed > 0 {
		fmt.Fprintln(stdout, "\nleft as they were:")
		for _, f := range failures {
			fmt.Fprintln(stdout, f)
		}
		return fmt.Errorf("%d sealed values could not be resealed (listed above; %d were)", failed, total)
	}
	fmt.Fprintf(stdout, "\nresealed %d values; every sealed value is bound to its field and row under key %q.\n", total, s.cfg.PIIKeys[0].ID)
	return nil
}
