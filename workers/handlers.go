package workers

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/hibiken/asynq"
)

// Handlers run tasks through the talent.Service.
type Handlers struct {
	Service   *talent.Service
	Allowance *allowance.Service
	Rounds    *housing.Rounds
	Leases    *housing.Leases
	Logger    *slog.Logger
}

// Mux returns the task router, every handler wrapped so that errors map to
// retry or archive in one place.
func (h *Handlers) Mux(prune func(context.Context) error) *asynq.ServeMux {
	mux := asynq.NewServeMux()
	mux.Use(h.classify)
	mux.HandleFunc(TypeInspectDocument, h.HandleInspectDocument)
	mux.HandleFunc(TypeSendNotification, h.HandleSendNotification)
	mux.HandleFunc(TypeEmploymentDeclared, h.HandleEmploymentDeclared)
	mux.HandleFunc(TypeEmploymentDecided, h.HandleEmploymentDecided)
	mux.HandleFunc(TypeEvaluateClaim, h.HandleEvaluateClaim)
	mux.HandleFunc(TypeEscalate, func(ctx context.Context, _ *asynq.Task) error { return h.Allowance.Escalate(ctx) })
	mux.HandleFunc(TypeCloseRounds, func(ctx context.Context, _ *asynq.Task) error { return h.Rounds.CloseDue(ctx) })
	mux.HandleFunc(TypeReviewLeases, func(ctx context.Context, _ *asynq.Task) error { return h.Leases.Review(ctx) })
	mux.HandleFunc(TypeExpireOffers, func(ctx context.Context, _ *asynq.Task) error { return h.Rounds.ExpireOffers(ctx) })
	mux.HandleFunc(TypeReleasePayments, func(ctx context.Context, _ *asynq.Task) error { return h.Allowance.ReleasePayments(ctx) })
	mux.HandleFunc(TypePrune, func(ctx context.Context, _ *asynq.Task) error { return prune(ctx) })
	return mux
}

// HandleInspectDocument checks an uploaded document.
func (h *Handlers) HandleInspectDocument(ctx context.Context, t *asynq.Task) error {
	var p talent.InspectDocument
	if err := decode(t, &p); err != nil {
		return err
	}
	return h.Service.InspectDocument(ctx, p.DocumentID)
}

// HandleSendNotification writes an inbox entry and pushes it.
func (h *Handlers) HandleSendNotification(ctx context.Context, t *asynq.Task) error {
	var p talent.NotifyRequest
	if err := decode(t, &p); err != nil {
		return err
	}
	return h.Service.Notify(ctx, p)
}

// HandleEmploymentDeclared asks the employer's HR office to confirm.
func (h *Handlers) HandleEmploymentDeclared(ctx context.Context, t *asynq.Task) error {
	var p talent.EmploymentDeclared
	if err := decode(t, &p); err != nil {
		return err
	}
	return h.Service.NotifyEmploymentDeclared(ctx, p.EmploymentID)
}

// HandleEmploymentDecided resumes claims that waited for HR's answer.
func (h *Handlers) HandleEmploymentDecided(ctx context.Context, t *asynq.Task) error {
	var p talent.EmploymentDecided
	if err := decode(t, &p); err != nil {
		return err
	}
	return h.Allowance.EmploymentDecided(ctx, p.UserID)
}

// HandleEvaluateClaim runs a claim's eligibility evaluation.
func (h *Handlers) HandleEvaluateClaim(ctx context.Context, t *asynq.Task) error {
	var p allowance.EvaluateClaim
	if err := decode(t, &p); err != nil {
		return err
	}
	return h.Allowance.Evaluate(ctx, p.ClaimID)
}

func decode(t *asynq.Task, v any) error {
	if err := json.Unmarshal(t.Payload(), v); err != nil {
		return &talent.Error{Kind: talent.KindMalformed, Code: "payload_invalid", Message: err.Error()}
	}
	return nil
}

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
	talent.KindRateLimited:     true,
	talent.KindUnavailable:     true,
	talent.KindInternal:        true,
}

// classify maps a handler's error to retry or archive (asynq.SkipRetry) and
// logs it with the task id.
func (h *Handlers) classify(next asynq.Handler) asynq.Handler {
	return asynq.HandlerFunc(func(ctx context.Context, t *asynq.Task) error {
		err := next.ProcessTask(ctx, t)
		if err == nil {
			return nil
		}
		id, _ := asynq.GetTaskID(ctx)
		kind := talent.ErrorKind(err)
		if !retryable[kind] {
			h.Logger.WarnContext(ctx, "task failed for good", "task", t.Type(), "task_id", id, "kind", kind, "err", err)
			return fmt.Errorf("%w: %w", err, asynq.SkipRetry)
		}
		h.Logger.InfoContext(ctx, "task will be retried", "task", t.Type(), "task_id", id, "kind", kind, "err", err)
		return err
	})
}
