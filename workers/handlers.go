package workers

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/anju-city/anju/internal/app"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/hibiken/asynq"
)

// NewMux returns the task router: one handler per task type, each calling
// the application, every one wrapped so that errors map to retry or archive
// in one place. prune is the maintenance job's work; metrics (nil in
// tests that do not read them) counts the rows periodic jobs skipped.
func NewMux(a *app.App, prune func(context.Context) error, logger *slog.Logger, metrics *Metrics) *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.Use(classify(logger, metrics))
	Handle(mux, func(ctx context.Context, t talent.NotifyRequest) error { return a.Account.Notify(ctx, t) })
	Handle(mux, func(ctx context.Context, t account.InspectDocument) error {
		return a.Account.InspectDocument(ctx, t.DocumentID)
	})
	Handle(mux, func(ctx context.Context, t account.EmploymentDeclared) error {
		return a.Account.NotifyEmploymentDeclared(ctx, t.EmploymentID)
	})
	Handle(mux, func(ctx context.Context, t talent.EmploymentDecided) error {
		return a.Allowance.EmploymentDecided(ctx, t.UserID)
	})
	Handle(mux, func(ctx context.Context, t talent.PersonIdentified) error {
		return a.Employers.MatchFiled(ctx, t.UserID)
	})
	Handle(mux, func(ctx context.Context, t allowance.EvaluateClaim) error {
		return a.Allowance.Evaluate(ctx, t.ClaimID)
	})
	Handle(mux, func(ctx context.Context, _ allowance.EscalateOverdue) error { return a.Allowance.Escalate(ctx) })
	Handle(mux, func(ctx context.Context, _ allowance.ReleasePayments) error { return a.Allowance.ReleasePayments(ctx) })
	Handle(mux, func(ctx context.Context, _ allowance.LapseReturns) error { return a.Allowance.LapseReturns(ctx) })
	Handle(mux, func(ctx context.Context, _ allowance.EndNotices) error { return a.Allowance.EndNotices(ctx) })
	Handle(mux, func(ctx context.Context, _ allowance.ProposeClawbacks) error {
		return a.Allowance.ProposeClawbacks(ctx)
	})
	Handle(mux, func(ctx context.Context, _ housing.CloseRounds) error { return a.Rounds.CloseDue(ctx) })
	Handle(mux, func(ctx context.Context, _ housing.ExpireOffers) error { return a.Rounds.ExpireOffers(ctx) })
	Handle(mux, func(ctx context.Context, _ housing.ReviewLeases) error { return a.Leases.Review(ctx) })
	Handle(mux, func(ctx context.Context, _ Prune) error { return prune(ctx) })
	return mux
}

// Handle registers fn as the handler of T's kind: the task's payload is
// decoded into T, and a payload that does not decode is never retried.
func Handle[T talent.Task](mux *asynq.ServeMux, fn func(context.Context, T) error) {
	var zero T
	mux.HandleFunc(zero.Kind(), func(ctx context.Context, t *asynq.Task) error {
		var args T
		if len(t.Payload()) > 0 {
			if err := json.Unmarshal(t.Payload(), &args); err != nil {
				return &talent.Error{Kind: talent.KindMalformed, Code: CodePayloadInvalid, Message: err.Error()}
			}
		}
		return fn(ctx, args)
	})
}

// CodePayloadInvalid is the code of a task whose payload does not decode.
var CodePayloadInvalid = talent.NewCode("payload_invalid")

// retryable says, by error kind, whether trying the task again can help.
// Errors Anju did not classify are retried: they are usually transient.
var retryable = map[talent.Kind]bool{
	talent.KindMalformed:       false,
	talent.KindInvalid:         false,
	talent.KindUnauthenticated: false,
	talent.KindForbidden:       false,
	talent.KindNotFound:        false,
	talent.KindConflict:        false,
	talent.KindIneligible:      false,
	talent.KindTooLarge:        false,
	talent.KindRateLimited:     true,
	talent.KindUnavailable:     true,
	talent.KindInternal:        true,
}

// classify maps a handler's error to retry or archive (asynq.SkipRetry) and
// logs it with the task id. A periodic job that went through its rows and
// skipped some (talent.SweepError) is done: the skipped rows are counted
// and logged, and its next period tries them again, so retrying the whole
// job would only repeat the rows that succeeded.
func classify(logger *slog.Logger, metrics *Metrics) asynq.MiddlewareFunc {
	return func(next asynq.Handler) asynq.Handler {
		return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
			err := next.ProcessTask(ctx, t)
			if err == nil {
				return nil
			}
			id, _ := asynq.GetTaskID(ctx)
			if sweep, ok := talent.AsSweepError(err); ok {
				logger.ErrorContext(ctx, "periodic job skipped rows that failed", "task", t.Type(), "task_id", id,
					"job", sweep.Job, "done", sweep.Done, "failed", sweep.Failed, "first_err", sweep.First)
				metrics.skipped(sweep.Job, sweep.Failed)
				return nil
			}
			kind := talent.ErrorKind(err)
			if !retryable[kind] {
				logger.WarnContext(ctx, "task failed for good", "task", t.Type(), "task_id", id, "kind", kind, "err", err)
				return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
			}
			logger.InfoContext(ctx, "task will be retried", "task", t.Type(), "task_id", id, "kind", kind, "err", err)
			return err
		})
	}
}
