package firebase

import (
	"context"
	"errors"
	"net/http"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/firebase/fcmfake"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

// newFake starts an FCM fake and a Pusher pointed at it.
func newFake(t *testing.T) (*fcmfake.Server, *Pusher) {
	t.Helper()
	srv := fcmfake.New()
	t.Cleanup(func() { _ = srv.Close() })
	p, err := NewPusher(context.Background(), Config{ProjectID: testenv.ProjectID, FCMEndpoint: srv.Endpoint()})
	if err != nil {
		t.Fatalf("NewPusher: %v", err)
	}
	return srv, p
}

// wantError checks that err is a *talent.Error of this kind and code.
func wantError(t *testing.T, err error, kind talent.Kind, code string) {
	t.Helper()
	var te *talent.Error
	if !errors.As(err, &te) {
		t.Fatalf("error = %v (%T), want *talent.Error %s/%s", err, err, kind, code)
	}
	if te.Kind != kind || te.Code.String() != code {
		t.Fatalf("error = %s/%s (%v), want %s/%s", te.Kind, te.Code, te, kind, code)
	}
}

func TestPushSends(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	msg := talent.PushMessage{
		ID:    "01a22e87-8e22-76d3-b564-a7e04eda845e",
		Token: "device-token-0123456789",
		Title: "Offer received",
		Body:  "Open the app to see it",
		Data:  map[string]string{"kind": "offer", "offer_id": "42"},
	}
	if err := p.Push(context.Background(), msg); err != nil {
		t.Fatalf("Push: %v", err)
	}
	got := srv.Messages()
	if len(got) != 1 {
		t.Fatalf("fake got %d messages", len(got))
	}
	m := got[0]
	if m.Project != testenv.ProjectID || m.Token != msg.Token || m.ValidateOnly {
		t.Errorf("project %q token %q validateOnly %v", m.Project, m.Token, m.ValidateOnly)
	}
	if m.Notification == nil || m.Notification.Title != msg.Title || m.Notification.Body != msg.Body {
		t.Errorf("notification = %+v", m.Notification)
	}
	if !reflect.DeepEqual(m.Data, msg.Data) {
		t.Errorf("data = %v", m.Data)
	}
	if m.AndroidPriority() != "high" {
		t.Errorf("android priority = %q", m.AndroidPriority())
	}
	if m.APNSSound() != "default" {
		t.Errorf("apns sound = %q", m.APNSSound())
	}
	// A repeat of this notification replaces it on the device.
	if m.AndroidTag() != msg.ID || m.APNSCollapseID() != msg.ID {
		t.Errorf("android tag %q, apns-collapse-id %q, want the notification id %q", m.AndroidTag(), m.APNSCollapseID(), msg.ID)
	}
	if _, ok := m.Android["collapse_key"]; ok {
		t.Errorf("collapse_key set (FCM allows four per device): %v", m.Android)
	}
	if m.Authorization != "" {
		t.Errorf("sent Authorization %q to a fake without credentials configured", m.Authorization)
	}
}

func TestPushBareEndpoint(t *testing.T) {
	t.Parallel()
	// The endpoint without "/v1" is completed, so either form works in config.
	srv := fcmfake.New()
	t.Cleanup(func() { _ = srv.Close() })
	p, err := NewPusher(context.Background(), Config{ProjectID: testenv.ProjectID, FCMEndpoint: srv.URL + "/"})
	if err != nil {
		t.Fatal(err)
	}
	if err := p.Push(context.Background(), talent.PushMessage{Token: "t", Title: "x"}); err != nil {
		t.Fatalf("Push: %v", err)
	}
	if n := len(srv.Messages()); n != 1 {
		t.Fatalf("fake got %d messages", n)
	}
}

func TestPushUnregistered(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	srv.SetTokenState("gone", fcmfake.Unregistered)
	err := p.Push(context.Background(), talent.PushMessage{Token: "gone", Title: "x"})
	wantError(t, err, talent.KindNotFound, talent.CodePushUnregistered.String())
}

func TestPushRejected(t *testing.T) {
	t.Parallel()
	srv, p := newFake(t)
	srv.SetTokenState("bad", fcmfake.InvalidArgument)
	err := p.Push(context.Background(), talent.PushMessage{Token: "bad", Title: "x"})
	wantError(t, err, talent.KindInvalid, talent.CodePushRejected.String())

	// A payload FCM refuses is rejected the same way: keep the token.
	err = p.Push(context.Background(), talent.PushMessage{Token: "ok", Data: map[string]string{"from": "x"}})
	wantError(t, err, talent.KindInvalid, talent.CodePushRejected.String())

	// An empty token never leaves the process.
	err = p.Push(context.Background(), talent.PushMessage{Title: "x"})
	wantError(t, err, talent.KindInvalid, talent.CodePushRejected.String())
	if n := srv.Requests(); n != 2 {
		t.Errorf("fake saw %d requests, want 2", n)
	}
}

func TestPushFailures(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name   string
		status int
		kind   talent.Kind
		code   string
	}{
		{"quota 429", http.StatusTooManyRequests, talent.KindUnavailable, talent.CodePushUnavailable.String()},
		{"internal 500", http.StatusInternalServerError, talent.KindUnavailable, talent.CodePushUnavailable.String()},
		// With a Retry-After beyond the SDK's 2 minute cap the SDK does not
		// retry, so one 503 comes straight back (see SetRetryAfter).
		{"unavailable 503", http.StatusServiceUnavailable, talent.KindUnavailable, talent.CodePushUnavailable.String()},
		{"APNs credentials 401", http.StatusUnauthorized, talent.KindUnavailable, talent.CodePushUnavailable.String()},
		{"sender mismatch 403", http.StatusForbidden, talent.KindInvalid, talent.CodePushRejected.String()},
		{"bad gateway 502 without FcmError", http.StatusBadGateway, talent.KindUnavailable, talent.CodePushUnavailable.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			srv, p := newFake(t)
			srv.SetRetryAfter(10 * time.Minute)
			srv.FailNext(1, tt.status)
			start := time.Now()
			err := p.Push(context.Background(), talent.PushMessage{Token: "t", Title: "x"})
			wantError(t, err, tt.kind, tt.code)
			if n := srv.Requests(); n != 1 {
				t.Errorf("fake saw %d requests; the SDK retried", n)
			}
			if d := time.Since(start); d > 2*time.Second {
				t.Errorf("Push took %v", d)
			}
		})
	}
}

func TestPushSDKRetriesOne503(t *testing.T) {
	t.Parallel()
	// Documents the SDK's own retry: the first retry of a 503 without
	// Retry-After is immediate, so a single 503 is invisible to the caller.
	srv, p := newFake(t)
	srv.FailNext(1, http.StatusServiceUnavailable)
	if err := p.Push(context.Background(), talent.PushMessage{Token: "t", Title: "x"}); err != nil {
		t.Fatalf("Push: %v", err)
	}
	if n := srv.Requests(); n != 2 {
		t.Errorf("fake saw %d requests, want 2", n)
	}
}

func TestPushDeadlineBoundsSDKRetries(t *testing.T) {
	t.Parallel()
	// Without Retry-After the SDK would retry 503s for about 7 seconds; the
	// caller's deadline cuts that short and the result is still Unavailable.
	srv, p := newFake(t)
	srv.FailNext(100, http.StatusServiceUnavailable)
	ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
	defer cancel()
	start := time.Now()
	err := p.Push(ctx, talent.PushMessage{Token: "t", Title: "x"})
	wantError(t, err, talent.KindUnavailable, talent.CodePushUnavailable.String())
	if d := time.Since(start); d > 2*time.Second {
		t.Errorf("Push took %v despite a 500ms deadline", d)
	}
}

func TestPushNetworkError(t *testing.T) {
	t.Parallel()
	// A port that was just closed refuses connections.
	srv, err := fcmfake.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	endpoint := srv.Endpoint()
	if err := srv.Close(); err != nil {
		t.Fatal(err)
	}
	p, err := NewPusher(context.Background(), Config{ProjectID: testenv.ProjectID, FCMEndpoint: endpoint})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 300*time.Millisecond)
	defer cancel()
	err = p.Push(ctx, talent.PushMessage{Token: "t", Title: "x"})
	wantError(t, err, talent.KindUnavailable, talent.CodePushUnavailable.String())
}

func TestNewPusherConfig(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	for _, cfg := range []Config{
		{FCMEndpoint: "http://127.0.0.1:9098/v1"},                     // no project
		{ProjectID: "p", FCMEndpoint: "127.0.0.1:9098"},               // no scheme
		{ProjectID: "p", FCMEndpoint: "ftp://127.0.0.1:9098/v1"},      // not http
		{ProjectID: "p", FCMEndpoint: "http:///v1"},                   // no host
		{ProjectID: "p", FCMEndpoint: "http://127.0.0.1:9098/v1\x7f"}, // unparsable
	} {
		if _, err := NewPusher(ctx, cfg); err == nil {
			t.Errorf("NewPusher(%+v) accepted the config", cfg)
		}
	}
}

func TestFCMEndpoint(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]string{
		"http://127.0.0.1:9098":         "http://127.0.0.1:9098/v1",
		"http://127.0.0.1:9098/":        "http://127.0.0.1:9098/v1",
		"http://127.0.0.1:9098/v1":      "http://127.0.0.1:9098/v1",
		"http://127.0.0.1:9098/v1/":     "http://127.0.0.1:9098/v1",
		"https://fcm.example.test/fcm/": "https://fcm.example.test/fcm",
	} {
		got, err := fcmEndpoint(in)
		if err != nil || got != want {
			t.Errorf("fcmEndpoint(%q) = %q, %v; want %q", in, got, err, want)
		}
	}
}

func TestPushErrorKeepsNoToken(t *testing.T) {
	t.Parallel()
	// Error messages end up in logs; they must not carry the device token.
	srv, p := newFake(t)
	const token = "secret-device-token-abcdef"
	srv.SetTokenState(token, fcmfake.InvalidArgument)
	err := p.Push(context.Background(), talent.PushMessage{Token: token, Title: "x"})
	if err == nil || strings.Contains(err.Error(), token) {
		t.Errorf("error %v", err)
	}
}
