package firebase

import (
	"context"
	"log/slog"
	"sort"

	"github.com/anju-city/anju/internal/talent"
)

// tokenPrefixLen is how much of a device token LogPusher logs: enough to
// tell devices apart in a development log, too little to send to.
const tokenPrefixLen = 8

// LogPusher is a talent.Pusher that only logs, for development without
// Firebase credentials or an FCM endpoint. It logs the title, a token prefix
// and the data keys; never the body, data values or the whole token, which
// may carry personal data or be usable to push to the device.
type LogPusher struct {
	// Logger receives one Info record per push; nil means slog.Default().
	Logger *slog.Logger
}

// Push logs msg and reports success, except for an empty token, which real
// FCM would refuse too.
func (p LogPusher) Push(ctx context.Context, msg talent.PushMessage) error {
	if msg.Token == "" {
		return &talent.Error{Kind: talent.KindInvalid, Code: talent.CodePushRejected, Message: "push token is empty"}
	}
	logger := p.Logger
	if logger == nil {
		logger = slog.Default()
	}
	keys := make([]string, 0, len(msg.Data))
	for k := range msg.Data {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	prefix := msg.Token
	if len(prefix) > tokenPrefixLen {
		prefix = prefix[:tokenPrefixLen]
	}
	logger.InfoContext(ctx, "push (log only)",
		slog.String("title", msg.Title),
		slog.String("token_prefix", prefix),
		slog.Any("data_keys", keys))
	return nil
}

var _ talent.Pusher = LogPusher{}
