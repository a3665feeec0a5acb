package app

import (
	"context"

	"github.com/anju-city/anju/internal/talent"
)

// route returns a Pusher that sends each message through the channel of its
// device's platform, or through def. A new push channel (a phone maker's
// own, say) is an adapter package implementing talent.Pusher, named here by
// platform in Deps.PushByPlatform.
func route(def talent.Pusher, byPlatform map[string]talent.Pusher) talent.Pusher {
	if def == nil {
		def = unconfigured{}
	}
	if len(byPlatform) == 0 {
		return def
	}
	return router{def: def, byPlatform: byPlatform}
}

type router struct {
	def        talent.Pusher
	byPlatform map[string]talent.Pusher
}

func (r router) Push(ctx context.Context, msg talent.PushMessage) error {
	if p, ok := r.byPlatform[msg.Platform]; ok {
		return p.Push(ctx, msg)
	}
	return r.def.Push(ctx, msg)
}

// unconfigured is the channel of a process that does not push (an API-only
// process): a send is refused as retryable, never silently dropped.
type unconfigured struct{}

func (unconfigured) Push(context.Context, talent.PushMessage) error {
	return talent.Errorf(talent.KindUnavailable, talent.CodePushUnavailable, "this process has no push channel")
}
