package workers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/hibiken/asynq"
)

// Job is a periodic task, typed like any other. Every replica runs the
// scheduler; the task id is derived from the job and its period, so only
// the first replica's enqueue for a period succeeds and the job runs once
// per period.
type Job struct {
	Args   talent.Task
	Period time.Duration
}

// Jobs are Anju's periodic jobs.
var Jobs = []Job{
	{Args: Prune{}, Period: time.Hour},
	{Args: allowance.EscalateOverdue{}, Period: 15 * time.Minute},
	// Hourly, so a payment falling due is released within the hour it is due.
	{Args: allowance.ReleasePayments{}, Period: time.Hour},
	{Args: allowance.LapseReturns{}, Period: 15 * time.Minute},
	// Every 15 minutes, so an approval starts paying soon after its notice ends.
	{Args: allowance.EndNotices{}, Period: 15 * time.Minute},
	{Args: housing.CloseRounds{}, Period: 5 * time.Minute},
	{Args: housing.ExpireOffers{}, Period: 15 * time.Minute},
	{Args: housing.ReviewLeases{}, Period: 24 * time.Hour},
}

// PeriodTaskID names one period of a job, e.g. "maintenance:prune@2026-11-25T17:00:00Z".
func PeriodTaskID(job Job, now time.Time) string {
	return job.Args.Kind() + "@" + now.UTC().Truncate(job.Period).Format(time.RFC3339)
}

// Scheduler enqueues each job once per period.
type Scheduler struct {
	Queue  Enqueuer
	Jobs   []Job
	Logger *slog.Logger
	Now    func() time.Time
	Tick   time.Duration
}

// Run checks every Tick (default 30s) until ctx ends.
func (s *Scheduler) Run(ctx context.Context) error {
	tick := s.Tick
	if tick <= 0 {
		tick = 30 * time.Second
	}
	for {
		s.Once(ctx)
		select {
		case <-ctx.Done():
			return nil
		case <-time.After(tick):
		}
	}
}

// Once enqueues the current period of every job that is not enqueued yet.
func (s *Scheduler) Once(ctx context.Context) {
	now := time.Now
	if s.Now != nil {
		now = s.Now
	}
	for _, job := range s.Jobs {
		task, err := NewTask(job.Args)
		if err == nil {
			_, err = s.Queue.EnqueueContext(ctx, task, asynq.TaskID(PeriodTaskID(job, now())), asynq.Retention(2*job.Period))
		}
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) && ctx.Err() == nil {
			s.Logger.WarnContext(ctx, "scheduling a periodic job failed", "job", job.Args.Kind(), "err", err)
		}
	}
}
