package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"

	"github.com/anju-city/anju/internal/idempotency"
	"github.com/anju-city/anju/internal/talent"
	"github.com/gofiber/fiber/v2"
)

// IdempotencyStore runs a request sent with an Idempotency-Key at most once
// to a committed effect, and keeps its response in the same transaction,
// in PostgreSQL, so a retry reaching another replica replays it too (see
// postgres.Idempotency.Run).
type IdempotencyStore interface {
	Run(ctx context.Context, scope, key, hash string, fn func(context.Context) idempotency.Response) (idempotency.Response, bool, error)
}

// replayedHeaders are the response headers stored with an idempotent
// response and repeated by its replays.
var replayedHeaders = []string{
	fiber.HeaderLocation, fiber.HeaderCacheControl, fiber.HeaderContentLanguage,
	fiber.HeaderContentDisposition, fiber.HeaderRetryAfter, fiber.HeaderWWWAuthenticate, "X-Content-SHA256",
}

// idempotent makes POST requests with an Idempotency-Key exactly-once: the
// first request runs in one transaction with its stored response, and any
// repeat (even concurrent, even on another replica, however long after)
// gets that response. Reusing a key for a different request (method, path,
// query or body) is refused with 422. A server error is not stored and
// leaves no effect, so the retry runs again.
func idempotent(store IdempotencyStore) fiber.Handler {
	return func(c *fiber.Ctx) error {
		key := c.Get("Idempotency-Key")
		if c.Method() != fiber.MethodPost || key == "" {
			return c.Next()
		}
		u, err := currentUser(c)
		if err != nil {
			return err
		}
		hash := requestHash(c)
		ctx := c.UserContext()
		resp, replayed, err := store.Run(ctx, u.ID, key, hash, func(tctx context.Context) idempotency.Response {
			c.SetUserContext(tctx)
			defer c.SetUserContext(ctx)
			if err := c.Next(); err != nil {
				if herr := c.App().ErrorHandler(c, err); herr != nil {
					c.Status(fiber.StatusInternalServerError)
				}
			}
			return captured(c)
		})
		if err != nil || replayed {
			// What the handler wrote is not the answer: nothing of it
			// was committed, or it ran only up to its first statement
			// before the key's stored answer was found.
			discard(c)
		}
		switch {
		case errors.Is(err, idempotency.ErrInProgress):
			retryAfter(c, 1)
			return talent.Errorf(talent.KindConflict, CodeIdempotencyInProgress, "the first request is still running")
		case err != nil:
			return err
		case !replayed:
			return nil
		case resp.RequestHash != hash:
			return talent.Errorf(talent.KindInvalid, CodeIdempotencyKeyReused, "key reused for another request")
		case resp.Status == 0:
			retryAfter(c, 1)
			return talent.Errorf(talent.KindConflict, CodeIdempotencyInProgress, "the first request is still running")
		}
		c.Set("Idempotent-Replayed", "true")
		for k, v := range resp.Headers {
			c.Set(k, v)
		}
		c.Set(fiber.HeaderContentType, resp.ContentType)
		return c.Status(resp.Status).Send(resp.Body)
	}
}

// discard drops the handler's answer: its body and the headers a stored
// answer would carry.
func discard(c *fiber.Ctx) {
	c.Response().ResetBody()
	for _, h := range replayedHeaders {
		c.Response().Header.Del(h)
	}
}

// requestHash identifies a request for its key: method, path, query string
// and body.
func requestHash(c *fiber.Ctx) string {
	h := sha256.New()
	h.Write([]byte(c.Method()))
	h.Write([]byte{' '})
	h.Write([]byte(c.Path()))
	h.Write([]byte{'?'})
	h.Write(c.Request().URI().QueryString())
	h.Write([]byte{'\n'})
	h.Write(c.Body())
	return hex.EncodeToString(h.Sum(nil))
}

// captured is the response the handler wrote, to be stored.
func captured(c *fiber.Ctx) idempotency.Response {
	r := idempotency.Response{
		Status:      c.Response().StatusCode(),
		ContentType: string(c.Response().Header.ContentType()),
		Body:        append([]byte(nil), c.Response().Body()...),
	}
	for _, h := range replayedHeaders {
		if v := c.Response().Header.Peek(h); len(v) > 0 {
			if r.Headers == nil {
				r.Headers = map[string]string{}
			}
			r.Headers[h] = string(v)
		}
	}
	return r
}
