package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"

	"github.com/anju-city/anju/internal/talent/draw"
)

// verifyDraw recomputes a published draw record from its pool and revealed
// seed. It needs no configuration, so anyone can run it on a downloaded
// record.
func verifyDraw(_ context.Context, _ Config, args []string, stdout io.Writer) error {
	if len(args) != 1 {
		return errors.New(commandUsage("verify-draw"))
	}
	f, err := os.Open(args[0])
	if err != nil {
		return err
	}
	defer f.Close()
	rec, err := draw.VerifyFile(f)
	if err != nil {
		return fmt.Errorf("the draw record does NOT verify: %w", err)
	}
	housed := 0
	for _, r := range rec.Result {
		if r.UnitID != "" {
			housed++
		}
	}
	fmt.Fprintf(stdout, "the draw record of round %s verifies (%s):\n", rec.RoundID, rec.Version)
	fmt.Fprintf(stdout, "  seed %s matches the commitment %s\n", rec.Seed, rec.Commitment)
	fmt.Fprintf(stdout, "  pool %s: %d applications, %d units\n", rec.PoolHash, len(rec.Pool.Applications), len(rec.Pool.Units))
	fmt.Fprintf(stdout, "  result: %d housed, %d waitlisted, as published\n", housed, len(rec.Result)-housed)
	return nil
}
