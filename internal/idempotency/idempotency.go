// Package idempotency names what is stored for a request sent with an
// Idempotency-Key: the API writes it, the database keeps it, in the same
// transaction as the request's effect.
package idempotency

import (
	"errors"
	"time"
)

// ErrInProgress is the answer to a duplicate whose first request is still
// running after the wait.
var ErrInProgress = errors.New("idempotency: the first request with this key is still running")

// Response is the stored outcome of the first request with a key.
type Response struct {
	RequestHash string
	Status      int // 0 only for a row left unfinished by an older release
	ContentType string
	// Headers are the response headers a replay repeats (Location,
	// Cache-Control, ...), by canonical name.
	Headers   map[string]string
	Body      []byte
	CreatedAt time.Time
}
