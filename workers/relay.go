package workers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/anju-city/anju/internal/postgres"
	"github.com/hibiken/asynq"
)

// Outbox is the relay's view of the outbox table.
type Outbox interface {
	RelayOutbox(ctx context.Context, n int, publish func(context.Context, postgres.OutboxMessage) error) (int, error)
	WaitOutbox(ctx context.Context, timeout time.Duration) error
}

// Enqueuer is the part of asynq.Client the relay uses.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, task *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// Relay publishes committed outbox rows to asynq. Each task's id is its
// outbox row id, so a row published twice (a relay that died between enqueue
// and commit) is refused by asynq as a duplicate and counts as done.
type Relay struct {
	Outbox  Outbox
	Queue   Enqueuer
	Logger  *slog.Logger
	Batch   int
	Metrics *Metrics
}

// Run relays until ctx ends. Errors never stop it: the rows stay in
// PostgreSQL and are published when Redis or the database is back.
func (r *Relay) Run(ctx context.Context) error {
	batch := r.Batch
	if batch <= 0 {
		batch = 100
	}
	failures := 0
	for ctx.Err() == nil {
		n, err := r.Outbox.RelayOutbox(ctx, batch, r.publish)
		if r.Metrics != nil && n > 0 {
			r.Metrics.relayed.Add(float64(n))
		}
		switch {
		case err != nil && ctx.Err() == nil:
			failures++
			r.Logger.WarnContext(ctx, "outbox relay failed", "err", err, "failures", failures)
			sleep(ctx, min(time.Duration(failures)*500*time.Millisecond, 5*time.Second))
		case n == batch:
			failures = 0 // more waiting: go again at once
		default:
			failures = 0
			if err := r.Outbox.WaitOutbox(ctx, time.Second); err != nil && ctx.Err() == nil {
				sleep(ctx, time.Second)
			}
		}
	}
	return nil
}

func (r *Relay) publish(ctx context.Context, m postgres.OutboxMessage) error {
	task := asynq.NewTask(m.Type, m.Payload, options(m.Type)...)
	_, err := r.Queue.EnqueueContext(ctx, task, asynq.TaskID(m.ID))
	if errors.Is(err, asynq.ErrTaskIDConflict) {
		return nil
	}
	return err
}

func sleep(ctx context.Context, d time.Duration) {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
	case <-t.C:
	}
}
