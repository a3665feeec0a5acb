// Package idempotency names what is stored for a request sent with an
// Idempotency-Key: the API writes it, the database keeps it.
package idempotency

import "time"

// Response is the stored outcome of the first request with a key.
type Response struct {
	RequestHash string
	Status      int // 0 while the first request is still running
	ContentType string
	Body        []byte
	CreatedAt   time.Time
}
