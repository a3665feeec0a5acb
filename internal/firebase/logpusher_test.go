package firebase

import (
	"bytes"
	"context"
	"encoding/json"
	"log/slog"
	"reflect"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/talent"
)

func TestLogPusher(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := LogPusher{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	msg := talent.PushMessage{
		Token: "abcdefgh-the-rest-of-the-token",
		Title: "Offer received",
		Body:  "private body",
		Data:  map[string]string{"offer_id": "secret-value", "kind": "offer"},
	}
	if err := p.Push(context.Background(), msg); err != nil {
		t.Fatalf("Push: %v", err)
	}
	var rec struct {
		Title       string   `json:"title"`
		TokenPrefix string   `json:"token_prefix"`
		DataKeys    []string `json:"data_keys"`
	}
	if err := json.Unmarshal(buf.Bytes(), &rec); err != nil {
		t.Fatalf("log record %q: %v", buf.String(), err)
	}
	if rec.Title != msg.Title || rec.TokenPrefix != "abcdefgh" || !reflect.DeepEqual(rec.DataKeys, []string{"kind", "offer_id"}) {
		t.Errorf("record = %+v", rec)
	}
	for _, secret := range []string{"the-rest-of-the-token", "private body", "secret-value"} {
		if strings.Contains(buf.String(), secret) {
			t.Errorf("log contains %q: %s", secret, buf.String())
		}
	}
}

func TestLogPusherShortAndEmptyToken(t *testing.T) {
	t.Parallel()
	var buf bytes.Buffer
	p := LogPusher{Logger: slog.New(slog.NewJSONHandler(&buf, nil))}
	if err := p.Push(context.Background(), talent.PushMessage{Token: "abc"}); err != nil {
		t.Fatalf("Push: %v", err)
	}
	if !strings.Contains(buf.String(), `"token_prefix":"abc"`) {
		t.Errorf("log = %s", buf.String())
	}
	err := p.Push(context.Background(), talent.PushMessage{})
	if !talent.HasCode(err, talent.CodePushRejected) || talent.ErrorKind(err) != talent.KindInvalid {
		t.Errorf("empty token: %v", err)
	}
	// A zero LogPusher logs to slog.Default instead of failing.
	if err := (LogPusher{}).Push(context.Background(), talent.PushMessage{Token: "abc"}); err != nil {
		t.Errorf("zero LogPusher: %v", err)
	}
}
