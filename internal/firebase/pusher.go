package firebase

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"firebase.google.com/go/v4/errorutils"
	"firebase.google.com/go/v4/messaging"
	"google.golang.org/api/option"

	"github.com/anju-city/anju/internal/talent"
)

// Pusher sends push notifications through FCM HTTP v1 with the Admin SDK's
// messaging client; it implements talent.Pusher.
//
// Retries: the SDK retries a 503 or a network error itself, up to 4 times
// with 0s, 1s, 2s and 4s between attempts (about 7s in all), honouring a
// Retry-After header but giving up at once when it asks for more than 2
// minutes. It never retries 429 or 500. Those retries cannot be switched off
// through the public API, so bound each Push with a context deadline: our
// worker retries with its own backoff anyway, and a cancelled wait comes back
// as KindUnavailable.
type Pusher struct {
	client *messaging.Client
}

// NewPusher builds a Pusher. With cfg.FCMEndpoint set, requests go there
// instead of https://fcm.googleapis.com/v1, and without cfg.CredentialsFile
// they carry no OAuth token, which is what a local fake (fcmfake) wants.
// With neither set it uses Application Default Credentials, whose lookup may
// probe the GCE metadata server; on a developer machine use LogPusher instead.
//
// How the endpoint is honoured (messaging.NewClient, SDK v4.19): the client
// asks google.golang.org/api/transport.NewHTTPClient for an HTTP client and
// an endpoint; that returns option.WithEndpoint's value verbatim when it
// contains "://", and the SDK then posts to {endpoint}/projects/{project}/
// messages:send, falling back to https://fcm.googleapis.com/v1 only when the
// endpoint is empty. So option.WithEndpoint works directly, no transport
// rewriting needed, but the value must be the base including "/v1"; a bare
// scheme://host[:port] gets "/v1" appended here. (Without "://" the value
// would be used as is, giving a URL with no scheme, so it is refused.)
func NewPusher(ctx context.Context, cfg Config) (*Pusher, error) {
	var opts []option.ClientOption
	if cfg.FCMEndpoint != "" {
		endpoint, err := fcmEndpoint(cfg.FCMEndpoint)
		if err != nil {
			return nil, err
		}
		opts = append(opts, option.WithEndpoint(endpoint))
		if cfg.CredentialsFile == "" {
			opts = append(opts, option.WithoutAuthentication())
		}
	}
	app, err := newApp(ctx, cfg, opts...)
	if err != nil {
		return nil, err
	}
	client, err := app.Messaging(ctx)
	if err != nil {
		return nil, fmt.Errorf("firebase: messaging client: %w", err)
	}
	return &Pusher{client: client}, nil
}

// fcmEndpoint checks a configured endpoint and completes a bare base URL
// with the API version the SDK expects in it.
func fcmEndpoint(raw string) (string, error) {
	u, err := url.Parse(raw)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		return "", fmt.Errorf("firebase: FCMEndpoint %q must be an http(s) URL such as http://127.0.0.1:9098/v1", raw)
	}
	if strings.Trim(u.Path, "/") == "" {
		u.Path = "/v1"
	}
	return strings.TrimSuffix(u.String(), "/"), nil
}

// Push sends one notification to one device: a notification block (shown by
// the OS), the data map (read by the app), high priority on Android so it is
// delivered while the device dozes, the default sound on iOS, and the
// notification's id as the tag or collapse id that makes a repeat replace it.
func (p *Pusher) Push(ctx context.Context, msg talent.PushMessage) error {
	if msg.Token == "" {
		return &talent.Error{Kind: talent.KindInvalid, Code: talent.CodePushRejected, Message: "push token is empty"}
	}
	m := &messaging.Message{
		Token:   msg.Token,
		Data:    msg.Data,
		Android: &messaging.AndroidConfig{Priority: "high"},
		APNS: &messaging.APNSConfig{
			Payload: &messaging.APNSPayload{Aps: &messaging.Aps{Sound: "default"}},
		},
	}
	if msg.ID != "" {
		// The same notification sent again (a retry after a crash between
		// the send and its record) replaces the one shown: the tag on
		// Android, the collapse id on iOS. Not collapse_key, which FCM
		// allows only four of per device.
		m.APNS.Headers = map[string]string{"apns-collapse-id": msg.ID}
	}
	if msg.Title != "" || msg.Body != "" {
		m.Notification = &messaging.Notification{Title: msg.Title, Body: msg.Body}
		if msg.ID != "" {
			m.Android.Notification = &messaging.AndroidNotification{Tag: msg.ID}
		}
	}
	if _, err := p.client.Send(ctx, m); err != nil {
		return pushError(err)
	}
	return nil
}

// pushError maps an Admin SDK messaging error to a talent.Error. The SDK
// tests errors by concrete type, so err must not be wrapped before this.
func pushError(err error) error {
	unavailable := func(what string) error {
		return &talent.Error{Kind: talent.KindUnavailable, Code: talent.CodePushUnavailable, Message: what + ": " + err.Error()}
	}
	rejected := func(what string) error {
		return &talent.Error{Kind: talent.KindInvalid, Code: talent.CodePushRejected, Message: what + ": " + err.Error()}
	}
	switch {
	case messaging.IsUnregistered(err):
		// UNREGISTERED is the v1 name of the legacy
		// "registration-token-not-registered"; the SDK's
		// IsRegistrationTokenNotRegistered is an alias of IsUnregistered.
		return &talent.Error{Kind: talent.KindNotFound, Code: talent.CodePushUnregistered, Message: "push token is no longer registered"}
	case messaging.IsInvalidArgument(err):
		return rejected("FCM refused the message")
	case messaging.IsSenderIDMismatch(err):
		// The token belongs to another Firebase project. Rejected, not
		// unregistered: with misconfigured credentials every token would
		// answer this, and deleting them all would be worse than keeping one.
		return rejected("push token belongs to another sender")
	case messaging.IsQuotaExceeded(err):
		return unavailable("FCM quota exceeded")
	case messaging.IsUnavailable(err), messaging.IsInternal(err):
		return unavailable("FCM is unavailable")
	case messaging.IsThirdPartyAuthError(err):
		// Our APNs or web push credentials in the Firebase console are bad:
		// nothing is wrong with the token, and it may work once fixed.
		return unavailable("APNs or web push refused our credentials")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return unavailable("push interrupted")
	}
	// No FcmError detail: go by the HTTP answer, if there was one.
	if resp := errorutils.HTTPResponse(err); resp != nil {
		if resp.StatusCode == http.StatusBadRequest {
			// A google.rpc.BadRequest: the payload does not fit the schema.
			return rejected("FCM refused the message")
		}
		// 404 without UNREGISTERED is a wrong endpoint or project, not a dead
		// token; 401/403 are our credentials; 429 and 5xx are transient.
		return unavailable(fmt.Sprintf("FCM answered %d", resp.StatusCode))
	}
	// Network failures (the SDK reports them as UNAVAILABLE, DEADLINE_EXCEEDED
	// or UNKNOWN) and anything unforeseen: the worker may try again.
	return unavailable("push failed")
}

var _ talent.Pusher = (*Pusher)(nil)
