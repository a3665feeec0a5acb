// Package workers runs Anju's background work on asynq: the outbox relay
// that moves committed follow-up work from PostgreSQL to Redis, one handler
// per typed task, and the periodic jobs. Handlers call the same application
// as the API and are idempotent, because asynq delivers at least once.
package workers

import (
	"encoding/json"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/hibiken/asynq"
)

// Queues by priority: notifications reach people, so they go first.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

// Queues maps each queue to its asynq priority weight.
var Queues = map[string]int{QueueCritical: 6, QueueDefault: 3, QueueLow: 1}

// Options are how one kind of task is queued and retried.
type Options struct {
	Queue    string
	MaxRetry int
	Timeout  time.Duration
}

// Prune is the hourly maintenance job: old published outbox rows and old
// idempotency keys are deleted.
type Prune struct{}

// Kind implements talent.Task.
func (Prune) Kind() string { return "maintenance:prune" }

// TaskOptions is the table of every task kind: its queue, how often it is
// retried and how long one run may take. A kind missing here has no
// handler either (TestEveryKindHasOptionsAndAHandler).
var TaskOptions = map[string]Options{
	talent.NotifyRequest{}.Kind():       {QueueCritical, 12, 30 * time.Second},
	account.InspectDocument{}.Kind():    {QueueDefault, 10, 2 * time.Minute},
	account.EmploymentDeclared{}.Kind(): {QueueDefault, 10, 2 * time.Minute},
	talent.EmploymentDecided{}.Kind():   {QueueDefault, 10, 2 * time.Minute},
	talent.PersonIdentified{}.Kind():    {QueueDefault, 10, 2 * time.Minute},
	allowance.EvaluateClaim{}.Kind():    {QueueDefault, 10, 2 * time.Minute},
	allowance.EscalateOverdue{}.Kind():  {QueueLow, 3, 5 * time.Minute},
	allowance.ReleasePayments{}.Kind():  {QueueLow, 3, 5 * time.Minute},
	allowance.LapseReturns{}.Kind():     {QueueLow, 3, 5 * time.Minute},
	allowance.EndNotices{}.Kind():       {QueueLow, 3, 5 * time.Minute},
	housing.CloseRounds{}.Kind():        {QueueLow, 3, 5 * time.Minute},
	housing.ExpireOffers{}.Kind():       {QueueLow, 3, 5 * time.Minute},
	housing.ReviewLeases{}.Kind():       {QueueLow, 3, 5 * time.Minute},
	Prune{}.Kind():                      {QueueLow, 3, 5 * time.Minute},
}

// taskRetention keeps a finished task's id in Redis so that a second
// enqueue of the same outbox row is refused as a duplicate.
const taskRetention = 24 * time.Hour

// options returns the asynq options of a task kind.
func options(kind string) []asynq.Option {
	o, ok := TaskOptions[kind]
	if !ok {
		o = Options{Queue: QueueDefault, MaxRetry: 10, Timeout: 2 * time.Minute}
	}
	return []asynq.Option{asynq.Retention(taskRetention), asynq.Queue(o.Queue), asynq.MaxRetry(o.MaxRetry), asynq.Timeout(o.Timeout)}
}

// NewTask returns the asynq task of typed arguments, with its kind's options.
func NewTask(args talent.Task) (*asynq.Task, error) {
	b, err := json.Marshal(args)
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(args.Kind(), b, options(args.Kind())...), nil
}
