package workers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// Job is a periodic task. Every replica runs the scheduler; the task id is
// derived from the job and its period, so only the first replica's enqueue
// for a period succeeds and the job runs once per period.
type Job struct {
	Type   string
	Period time.Duration
}

// Jobs are Anju's periodic jobs.
var Jobs = []Job{
	{Type: TypePrune, Period: time.Hour},
	{Type: TypeEscalate, Period: 15 * time.Minute},
	// Hourly, so a payment falling due is released within the hour it is due.
	{Type: TypeReleasePayments, Period: time.Hour},
	{Type: TypeCloseRounds, Period: 5 * time.Minute},
	{Type: TypeExpireOffers, Period: 15 * time.Minute},
	{Type: TypeReviewLeases, Period: 24 * time.Hour},
}

// PeriodTaskID names one period of a job, e.g. "maintenance:prune@2026-11-25T17:00:00Z".
func PeriodTaskID(job Job, now time.Time) string {
	return job.Type + "@" + now.UTC().Truncate(job.Period).Format(time.RFC3339)
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
		id := PeriodTaskID(job, now())
		task := asynq.NewTask(job.Type, nil, options(job.Type)...)
		_, err := s.Queue.EnqueueContext(ctx, task, asynq.TaskID(id), asynq.Retention(2*job.Period))
		if err != nil && !errors.Is(err, asynq.ErrTaskIDConflict) && ctx.Err() == nil {
			s.Logger.WarnContext(ctx, "scheduling a periodic job failed", "job", job.Type, "err", err)
		}
	}
}
