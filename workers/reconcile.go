package workers

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/hibiken/asynq"
)

// Stuck is one piece of follow-up work PostgreSQL says is not done after
// the reconciler's threshold: a document still inspecting, a claim still
// submitted, a notification with no inbox entry. Kind and Payload are the
// task that does it; TaskIDs are the ids of the outbox rows published for
// it (each row's id is its asynq task id); Unpublished says a row for it
// still waits for the relay.
type Stuck struct {
	Kind        string
	Subject     string
	Payload     []byte
	TaskIDs     []string
	Unpublished bool
}

// ReconcileStore is the reconciler's view of PostgreSQL.
type ReconcileStore interface {
	// StuckWork lists up to limit pieces of work of each kind that have
	// waited longer than olderThan.
	StuckWork(ctx context.Context, olderThan time.Duration, limit int) ([]Stuck, error)
	// Redrive writes one outbox row per message, with new ids, so the relay
	// publishes each as a new task.
	Redrive(ctx context.Context, msgs []OutboxMessage) error
	// OverduePeriodic counts, by periodic job kind (offers:expire,
	// payments:release), the rows that job should have handled more than
	// olderThan ago and did not.
	OverduePeriodic(ctx context.Context, olderThan time.Duration) (map[string]int, error)
	// TryReconcileLock takes a lock held by one reconciler at a time across
	// replicas; ok is false when another holds it.
	TryReconcileLock(ctx context.Context) (unlock func(), ok bool, err error)
}

// TaskInspector is the part of asynq.Inspector the reconciler uses.
type TaskInspector interface {
	GetTaskInfo(queue, id string) (*asynq.TaskInfo, error)
}

// Reconciler drives again the work whose task is gone: archived after its
// retries (a long PostgreSQL outage, an error that was not retried),
// deleted with a Redis that lost its data, or never run. PostgreSQL is the
// record of what is done, so the reconciler asks it what is not, and asks
// asynq whether a task for it is still alive (pending, active, scheduled or
// retrying). Only when none is does it write a new outbox row; handlers are
// idempotent, so re-driving work that was in fact done changes nothing.
type Reconciler struct {
	Store     ReconcileStore
	Inspector TaskInspector
	Queue     Enqueuer
	Logger    *slog.Logger
	Metrics   *Metrics
	// After is how long work may wait before it counts as stuck (default 10m).
	After time.Duration
	// Every is how often the reconciler looks (default 1m).
	Every time.Duration
	Now   func() time.Time
}

// Run reconciles every Every until ctx ends.
func (r *Reconciler) Run(ctx context.Context) error {
	every := r.Every
	if every <= 0 {
		every = time.Minute
	}
	for ctx.Err() == nil {
		if _, err := r.Once(ctx); err != nil && ctx.Err() == nil {
			r.Logger.WarnContext(ctx, "reconciling failed; trying again at the next interval", "err", err)
		}
		sleep(ctx, every)
	}
	return nil
}

// reconcileLimit bounds the work of one kind re-driven per pass.
const reconcileLimit = 500

// errUnknown is a task whose state asynq could not tell (Redis down).
var errUnknown = errors.New("task state unknown")

// Once makes one pass and returns what it re-drove by kind.
func (r *Reconciler) Once(ctx context.Context) (map[string]int, error) {
	unlock, ok, err := r.Store.TryReconcileLock(ctx)
	if err != nil || !ok {
		return nil, err
	}
	defer unlock()
	after := r.After
	if after <= 0 {
		after = 10 * time.Minute
	}
	redriven := map[string]int{}
	stuck, err := r.Store.StuckWork(ctx, after, reconcileLimit)
	if err != nil {
		return nil, err
	}
	var msgs []OutboxMessage
	for _, s := range stuck {
		if s.Unpublished {
			continue // the relay has it
		}
		alive, err := r.alive(s.Kind, s.TaskIDs)
		if err != nil {
			// Without Redis nothing can be told apart; the outbox holds
			// what is written meanwhile, so wait for the next pass.
			return redriven, err
		}
		if alive {
			continue
		}
		msgs = append(msgs, OutboxMessage{Kind: s.Kind, Payload: s.Payload})
		redriven[s.Kind]++
	}
	if len(msgs) > 0 {
		if err := r.Store.Redrive(ctx, msgs); err != nil {
			return nil, err
		}
		for kind, n := range redriven {
			r.Logger.WarnContext(ctx, "reconciler re-drove work whose task was gone", "kind", kind, "count", n)
			r.Metrics.redrove(kind, n)
		}
	}

	overdue, err := r.Store.OverduePeriodic(ctx, after)
	if err != nil {
		return redriven, err
	}
	now := time.Now
	if r.Now != nil {
		now = r.Now
	}
	for _, job := range Jobs {
		n := overdue[job.Args.Kind()]
		if n == 0 {
			continue
		}
		task, err := NewTask(job.Args)
		if err != nil {
			return redriven, err
		}
		// One re-drive per job and threshold period, whichever replica.
		id := job.Args.Kind() + "@redrive:" + now().UTC().Truncate(after).Format(time.RFC3339)
		_, err = r.Queue.EnqueueContext(ctx, task, asynq.TaskID(id), asynq.Retention(2*after))
		if errors.Is(err, asynq.ErrTaskIDConflict) {
			continue
		}
		if err != nil {
			return redriven, err
		}
		r.Logger.WarnContext(ctx, "reconciler re-ran a periodic job that left rows behind", "job", job.Args.Kind(), "rows", n)
		r.Metrics.redrove(job.Args.Kind(), n)
		redriven[job.Args.Kind()] += n
	}
	return redriven, nil
}

// alive says whether any of the tasks is pending, active, scheduled or
// retrying. An archived, completed or missing task is gone.
func (r *Reconciler) alive(kind string, ids []string) (bool, error) {
	queue := QueueDefault
	if o, ok := TaskOptions[kind]; ok {
		queue = o.Queue
	}
	for _, id := range ids {
		info, err := r.Inspector.GetTaskInfo(queue, id)
		switch {
		case errors.Is(err, asynq.ErrTaskNotFound), errors.Is(err, asynq.ErrQueueNotFound):
			continue
		case err != nil:
			return false, errors.Join(errUnknown, err)
		}
		switch info.State {
		case asynq.TaskStatePending, asynq.TaskStateActive, asynq.TaskStateScheduled, asynq.TaskStateRetry, asynq.TaskStateAggregating:
			return true, nil
		}
	}
	return false, nil
}
