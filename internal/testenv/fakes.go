package testenv

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// Clock is a clock a test sets and moves by hand.
type Clock struct{ T time.Time }

// Now returns the set time.
func (c *Clock) Now() time.Time { return c.T }

// NoPush is a talent.Pusher that accepts every message, for tests that do
// not look at push (those that do use the fcmfake server).
type NoPush struct{}

// Push accepts the message.
func (NoPush) Push(context.Context, talent.PushMessage) error { return nil }
