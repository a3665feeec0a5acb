// Package workers runs Anju's background work on asynq: the outbox relay
// that moves committed follow-up work from PostgreSQL to Redis, the task
// handlers, and the periodic jobs. Handlers call the same talent.Service as
// the API and are idempotent, because asynq delivers at least once.
package workers

import (
	"encoding/json"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/hibiken/asynq"
)

// Task type names; the talent package owns them because the store writes them
// to the outbox.
const (
	TypeInspectDocument  = talent.TaskInspectDocument
	TypeSendNotification = talent.TaskSendNotification
	// TypeEmploymentDeclared asks an employer's HR office to confirm.
	TypeEmploymentDeclared = talent.TaskEmploymentDeclared
	// TypeEmploymentDecided resumes claims that waited for HR.
	TypeEmploymentDecided = talent.TaskEmploymentDecided
	// TypeEvaluateClaim runs the eligibility evaluation of a claim.
	TypeEvaluateClaim = allowance.TaskEvaluateClaim
	// TypeEscalate tells staff about overdue claims.
	TypeEscalate = allowance.TaskEscalate
	// TypeCloseRounds closes allocation rounds whose window ended.
	TypeCloseRounds = housing.TaskCloseRounds
	// TypeExpireOffers lapses offers past their deadline and sends reminders.
	TypeExpireOffers = housing.TaskExpireOffers
	// TypeReviewLeases opens renewal windows and starts move-outs.
	TypeReviewLeases = housing.TaskReviewLeases
	// TypeReleasePayments re-checks payments falling due.
	TypeReleasePayments = allowance.TaskReleasePayments
	TypePrune           = "maintenance:prune"
)

// Queues by priority: notifications reach people, so they go first.
const (
	QueueCritical = "critical"
	QueueDefault  = "default"
	QueueLow      = "low"
)

// Queues maps each queue to its asynq priority weight.
var Queues = map[string]int{QueueCritical: 6, QueueDefault: 3, QueueLow: 1}

// taskRetention keeps a finished task's id in Redis so that a second
// enqueue of the same outbox row is refused as a duplicate.
const taskRetention = 24 * time.Hour

// options returns the asynq options for a task type.
func options(taskType string) []asynq.Option {
	opts := []asynq.Option{asynq.Retention(taskRetention)}
	switch taskType {
	case TypeSendNotification:
		return append(opts, asynq.Queue(QueueCritical), asynq.MaxRetry(12), asynq.Timeout(30*time.Second))
	case TypeInspectDocument, TypeEmploymentDeclared, TypeEmploymentDecided, TypeEvaluateClaim:
		return append(opts, asynq.Queue(QueueDefault), asynq.MaxRetry(10), asynq.Timeout(2*time.Minute))
	case TypePrune, TypeEscalate, TypeReleasePayments, TypeCloseRounds, TypeExpireOffers, TypeReviewLeases:
		return append(opts, asynq.Queue(QueueLow), asynq.MaxRetry(3), asynq.Timeout(5*time.Minute))
	}
	return append(opts, asynq.Queue(QueueDefault))
}

// NewInspectDocumentTask returns a document:inspect task.
func NewInspectDocumentTask(documentID string) (*asynq.Task, error) {
	return newTask(TypeInspectDocument, talent.InspectDocument{DocumentID: documentID})
}

// NewSendNotificationTask returns a notify:send task.
func NewSendNotificationTask(req talent.NotifyRequest) (*asynq.Task, error) {
	return newTask(TypeSendNotification, req)
}

func newTask(taskType string, payload any) (*asynq.Task, error) {
	b, err := json.Marshal(payload)
	if err != nil {
		return nil, err
	}
	return asynq.NewTask(taskType, b, options(taskType)...), nil
}
