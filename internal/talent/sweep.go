package talent

import (
	"context"
	"errors"
	"fmt"
)

// SweepPage is how many rows a periodic job reads at once. A job pages
// through every row that is due (keyset pagination: each page starts after
// the last key of the previous one), so a backlog larger than a page never
// hides the rows behind it.
const SweepPage = 500

// SweepError is the outcome of a periodic job that went through every due
// row but could not process some of them. The rows that failed were skipped
// (the job's next period tries them again); the others were done. Workers
// count Failed in a metric and alert on it instead of retrying the whole job.
type SweepError struct {
	Job    string
	Done   int
	Failed int
	// First is the first row's failure, for the log.
	First error
}

func (e *SweepError) Error() string {
	return fmt.Sprintf("%s: %d rows done, %d failed and were skipped; first failure: %v", e.Job, e.Done, e.Failed, e.First)
}

func (e *SweepError) Unwrap() error { return e.First }

// AsSweepError returns the SweepError in err's chain, if any.
func AsSweepError(err error) (*SweepError, bool) {
	var s *SweepError
	ok := errors.As(err, &s)
	return s, ok
}

// Sweep runs a periodic job over every due row: page(after) returns the
// next page of at most SweepPage rows, those after the row after in the
// job's order (nil for the first page); key names a row in a failure
// message; each row is handled by fn. A row whose fn fails is
// counted and skipped, never stopping the rows after it; a page that cannot
// be read stops the sweep with that error (the job is retried). It returns
// nil when every row was done, a *SweepError when some failed.
func Sweep[T any](ctx context.Context, job string, page func(ctx context.Context, after *T) ([]T, error), key func(T) string, fn func(context.Context, T) error) error {
	res := SweepError{Job: job}
	var after *T
	for {
		list, err := page(ctx, after)
		if err != nil {
			return err
		}
		for _, row := range list {
			if err := ctx.Err(); err != nil {
				return err
			}
			if err := fn(ctx, row); err != nil {
				res.Failed++
				if res.First == nil {
					res.First = fmt.Errorf("row %s: %w", key(row), err)
				}
				continue
			}
			res.Done++
		}
		if len(list) < SweepPage {
			break
		}
		after = &list[len(list)-1]
	}
	if res.Failed > 0 {
		return &res
	}
	return nil
}

// SweepIDs is Sweep over rows named by their id alone.
// page(after) lists the ids after the id after ("" for the first page).
func SweepIDs(ctx context.Context, job string, page func(ctx context.Context, after string) ([]string, error), fn func(context.Context, string) error) error {
	return Sweep(ctx, job, func(ctx context.Context, after *string) ([]string, error) {
		if after == nil {
			return page(ctx, "")
		}
		return page(ctx, *after)
	}, func(id string) string { return id }, fn)
}

// JoinSweeps combines the outcomes of one job's several sweeps: nil when
// all were clean, the first error that stopped a sweep, or one SweepError
// adding up the rows that failed.
func JoinSweeps(errs ...error) error {
	var total *SweepError
	for _, err := range errs {
		if err == nil {
			continue
		}
		s, ok := AsSweepError(err)
		if !ok {
			return err
		}
		if total == nil {
			c := *s
			total = &c
			continue
		}
		total.Done += s.Done
		total.Failed += s.Failed
	}
	if total == nil {
		return nil
	}
	return total
}
