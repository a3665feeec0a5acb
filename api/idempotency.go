package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"log/slog"
	"time"

	"github.com/anju-city/anju/internal/idempotency"
	"github.com/anju-city/anju/internal/talent"
	"github.com/gofiber/fiber/v2"
)

// IdempotencyStore keeps the first response to each Idempotency-Key in
// PostgreSQL, so a retry reaching another replica replays it too.
type IdempotencyStore interface {
	BeginIdempotent(ctx context.Context, scope, key, hash string, stale time.Duration) (bool, idempotency.Response, error)
	FinishIdempotent(ctx context.Context, scope, key string, status int, contentType string, body []byte) error
	ReleaseIdempotent(ctx context.Context, scope, key string) error
}

const (
	// idempotencyStale is how long a claim may stay unfinished before another
	// request may take it over (its replica died mid-request).
	idempotencyStale = time.Minute
	// idempotencyWait is how long a concurrent duplicate waits for the first
	// request to finish before being told to retry.
	idempotencyWait = 10 * time.Second
)

// idempotent makes POST requests with an Idempotency-Key safe to retry: the
// first request runs, and any repeat (even concurrent, even on another
// replica) gets the first response. Reusing a key for a different request is
// refused. A server error is not stored, so the retry runs again.
func idempotent(store IdempotencyStore, logger *slog.Logger) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Get("Idempotency-Key")
		if c.Method() != fiber.MethodPost || key == "" {
			return c.Next()
		}
		u, err := currentUser(c)
		if err != nil {
			return err
		}
		ctx := c.UserContext()
		sum := sha256.Sum256(append([]byte(c.Method()+" "+c.Path()+"\n"), c.Body()...))
		hash := hex.EncodeToString(sum[:])

		deadline := time.Now().Add(idempotencyWait)
		for {
			claimed, prev, err := store.BeginIdempotent(ctx, u.ID, key, hash, idempotencyStale)
			if err != nil {
				return err
			}
			if claimed {
				break
			}
			if prev.RequestHash != hash {
				return talent.Errorf(talent.KindInvalid, CodeIdempotencyKeyReused, "key reused for another request")
			}
			if prev.Status != 0 {
				c.Set("Idempotent-Replayed", "true")
				c.Set(fiber.HeaderContentType, prev.ContentType)
				return c.Status(prev.Status).Send(prev.Body)
			}
			if time.Now().After(deadline) {
				retryAfter(c, 1)
				return talent.Errorf(talent.KindConflict, CodeIdempotencyInProgress, "the first request is still running")
			}
			select {
			case <-ctx.Done():
				return ctx.Err()
			case <-time.After(50 * time.Millisecond):
			}
		}

		if err := c.Next(); err != nil {
			if herr := c.App().ErrorHandler(c, err); herr != nil {
				return herr
			}
		}
		status := c.Response().StatusCode()
		// Detach from the request: the response is already decided and must
		// be stored even if the client has gone.
		bg := context.WithoutCancel(ctx)
		if status >= 500 {
			if err := store.ReleaseIdempotent(bg, u.ID, key); err != nil {
				logger.WarnContext(ctx, "releasing idempotency key", "err", err)
			}
			return nil
		}
		body := append([]byte(nil), c.Response().Body()...)
		if err := store.FinishIdempotent(bg, u.ID, key, status, string(c.Response().Header.ContentType()), body); err != nil {
			logger.ErrorContext(ctx, "storing idempotent response", "err", err)
		}
		return nil
	}
}
