package talent_test

import (
	"context"
	"errors"
	"strconv"
	"testing"

	"github.com/anju-city/anju/internal/talent"
)

// Sweep pages through every row however many pages there are, skips and
// counts the rows that fail, and stops only when a page cannot be read.
func TestSweepPagesAndPassesOverFailures(t *testing.T) {
	t.Parallel()
	rows := make([]int, 2*talent.SweepPage+7)
	for i := range rows {
		rows[i] = i
	}
	page := func(_ context.Context, after *int) ([]int, error) {
		start := 0
		if after != nil {
			start = *after + 1
		}
		end := min(start+talent.SweepPage, len(rows))
		return rows[start:end], nil
	}
	seen := map[int]int{}
	bad := errors.New("bad row")
	err := talent.Sweep(context.Background(), "test", page, strconv.Itoa, func(_ context.Context, r int) error {
		seen[r]++
		if r%100 == 3 {
			return bad
		}
		return nil
	})
	s, ok := talent.AsSweepError(err)
	wantFailed := 0
	for _, r := range rows {
		if r%100 == 3 {
			wantFailed++
		}
	}
	if !ok || s.Failed != wantFailed || s.Done != len(rows)-wantFailed || !errors.Is(err, bad) {
		t.Fatalf("sweep: %v; want %d failed, %d done", err, wantFailed, len(rows)-wantFailed)
	}
	for _, r := range rows {
		if seen[r] != 1 {
			t.Fatalf("row %d handled %d times", r, seen[r])
		}
	}
	down := errors.New("database down")
	err = talent.Sweep(context.Background(), "test", func(context.Context, *int) ([]int, error) { return nil, down },
		strconv.Itoa, func(context.Context, int) error { return nil })
	if _, ok := talent.AsSweepError(err); ok || !errors.Is(err, down) {
		t.Fatalf("a page that cannot be read: %v", err)
	}
	if err := talent.JoinSweeps(nil, &talent.SweepError{Job: "a", Failed: 1, Done: 2}, &talent.SweepError{Job: "a", Failed: 2, Done: 1}); err == nil {
		t.Fatal("JoinSweeps lost the failures")
	} else if s, _ := talent.AsSweepError(err); s.Failed != 3 || s.Done != 3 {
		t.Fatalf("JoinSweeps: %v", err)
	}
}
