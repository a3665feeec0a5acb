package workers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// OutboxMessage is one committed, unpublished outbox row: a task's kind and
// its JSON arguments.
type OutboxMessage struct {
	ID       string
	Kind     string
	Payload  []byte
	Attempts int
}

// Outbox is the relay's view of the outbox table.
type Outbox interface {
	// RelayOutbox claims up to n due rows and publishes each; a row is
	// marked published only when publish succeeds.
	RelayOutbox(ctx context.Context, n int, publish func(context.Context, OutboxMessage) error) (int, error)
	// WaitOutbox blocks until new rows are committed or timeout passes.
	WaitOutbox(ctx context.Context, timeout time.Duration) error
}

// Enqueuer is the part of asynq.Client the relay uses.
type Enqueuer interface {
	EnqueueContext(ctx context.Context, task *asynq.Task, opts ...asynq.Option) (*asynq.TaskInfo, error)
}

// TaskStore is the part of asynq.Inspector the relay uses to replace a
// finished task when its outbox row is published again.
type TaskStore interface {
	GetTaskInfo(queue, id string) (*asynq.TaskInfo, error)
	DeleteTask(queue, id string) error
}

// Relay publishes committed outbox rows to asynq. Each task's id is its
// outbox row id, so a row published twice (a relay that died between enqueue
// and commit) is refused by asynq as a duplicate and counts as done while
// that task is still to run. A row an operator republishes (published_at
// set back to NULL) whose task was archived or completed is enqueued again:
// the finished task is deleted first, since asynq refuses an id it still
// holds.
type Relay struct {
	Outbox  Outbox
	Queue   Enqueuer
	Tasks   TaskStore
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

func (r *Relay) publish(ctx context.Context, m OutboxMessage) error {
	task := asynq.NewTask(m.Kind, m.Payload, options(m.Kind)...)
	_, err := r.Queue.EnqueueContext(ctx, task, asynq.TaskID(m.ID))
	if !errors.Is(err, asynq.ErrTaskIDConflict) || r.Tasks == nil {
		if errors.Is(err, asynq.ErrTaskIDConflict) {
			return nil
		}
		return err
	}
	queue := QueueDefault
	if o, ok := TaskOptions[m.Kind]; ok {
		queue = o.Queue
	}
	info, err := r.Tasks.GetTaskInfo(queue, m.ID)
	switch {
	case errors.Is(err, asynq.ErrTaskNotFound):
		// Gone between the two calls: enqueue it below.
	case err != nil:
		return err
	case info.State != asynq.TaskStateArchived && info.State != asynq.TaskStateCompleted:
		return nil // still to run: this is the duplicate publish
	default:
		if err := r.Tasks.DeleteTask(queue, m.ID); err != nil && !errors.Is(err, asynq.ErrTaskNotFound) {
			return err
		}
		r.Logger.InfoContext(ctx, "outbox row published again: its finished task is replaced", "task", m.Kind, "task_id", m.ID, "was", info.State.String())
	}
	_, err = r.Queue.EnqueueContext(ctx, task, asynq.TaskID(m.ID))
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
