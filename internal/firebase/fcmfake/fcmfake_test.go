package fcmfake

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"
)

// post sends body to the fake's send endpoint for project p and returns the
// status, the Retry-After header and the decoded JSON answer.
func post(t *testing.T, s *Server, p, body string) (int, string, map[string]any) {
	t.Helper()
	resp, err := http.Post(s.Endpoint()+"/projects/"+p+"/messages:send", "application/json", strings.NewReader(body))
	if err != nil {
		t.Fatalf("post: %v", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatalf("read: %v", err)
	}
	var out map[string]any
	if err := json.Unmarshal(raw, &out); err != nil {
		t.Fatalf("answer is not JSON: %v: %s", err, raw)
	}
	return resp.StatusCode, resp.Header.Get("Retry-After"), out
}

// errorOf returns the canonical status and the FcmError code of an answer.
func errorOf(t *testing.T, out map[string]any) (status, fcmCode string) {
	t.Helper()
	e, ok := out["error"].(map[string]any)
	if !ok {
		t.Fatalf("no error object in %v", out)
	}
	status, _ = e["status"].(string)
	details, _ := e["details"].([]any)
	for _, d := range details {
		m, _ := d.(map[string]any)
		if m["@type"] == "type.googleapis.com/google.firebase.fcm.v1.FcmError" {
			fcmCode, _ = m["errorCode"].(string)
		}
	}
	return status, fcmCode
}

func newServer(t *testing.T) *Server {
	t.Helper()
	s := New()
	t.Cleanup(func() { _ = s.Close() })
	return s
}

func TestSendRecordsMessage(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	status, _, out := post(t, s, "demo-anju", `{"message":{
		"token":"tok-1",
		"notification":{"title":"Hello","body":"World"},
		"data":{"kind":"offer","id":"42"},
		"android":{"priority":"high"},
		"apns":{"payload":{"aps":{"sound":"default"}}}}}`)
	if status != http.StatusOK {
		t.Fatalf("status = %d, body %v", status, out)
	}
	name, _ := out["name"].(string)
	if !strings.HasPrefix(name, "projects/demo-anju/messages/0:") {
		t.Errorf("name = %q", name)
	}
	msgs := s.Messages()
	if len(msgs) != 1 {
		t.Fatalf("recorded %d messages", len(msgs))
	}
	m := msgs[0]
	if m.Project != "demo-anju" || m.Token != "tok-1" || m.Name != name || m.ValidateOnly {
		t.Errorf("message = %+v", m)
	}
	if m.Notification == nil || m.Notification.Title != "Hello" || m.Notification.Body != "World" {
		t.Errorf("notification = %+v", m.Notification)
	}
	if !reflect.DeepEqual(m.Data, map[string]string{"kind": "offer", "id": "42"}) {
		t.Errorf("data = %v", m.Data)
	}
	if m.AndroidPriority() != "high" || m.APNSSound() != "default" {
		t.Errorf("android priority %q, apns sound %q", m.AndroidPriority(), m.APNSSound())
	}
}

func TestValidateOnly(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	status, _, out := post(t, s, "p", `{"validateOnly":true,"message":{"topic":"news"}}`)
	if status != http.StatusOK || out["name"] != "projects/p/messages/fake_message_id" {
		t.Fatalf("status %d, answer %v", status, out)
	}
	if msgs := s.Messages(); len(msgs) != 1 || !msgs[0].ValidateOnly || msgs[0].Topic != "news" {
		t.Errorf("messages = %+v", msgs)
	}
}

func TestTokenStates(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.SetTokenState("gone", Unregistered)
	s.SetTokenState("bad", InvalidArgument)

	status, _, out := post(t, s, "p", `{"message":{"token":"gone"}}`)
	want := map[string]any{"error": map[string]any{
		"code": float64(404), "message": "Requested entity was not found.", "status": "NOT_FOUND",
		"details": []any{map[string]any{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": "UNREGISTERED"}},
	}}
	if status != http.StatusNotFound || !reflect.DeepEqual(out, want) {
		t.Errorf("unregistered: status %d, body %v", status, out)
	}

	status, _, out = post(t, s, "p", `{"message":{"token":"bad"}}`)
	if st, code := errorOf(t, out); status != http.StatusBadRequest || st != "INVALID_ARGUMENT" || code != "INVALID_ARGUMENT" {
		t.Errorf("invalid: status %d, %s/%s", status, st, code)
	}

	s.SetTokenState("gone", Valid)
	if status, _, _ := post(t, s, "p", `{"message":{"token":"gone"}}`); status != http.StatusOK {
		t.Errorf("after reset to Valid: status %d", status)
	}
	if n := len(s.Messages()); n != 1 {
		t.Errorf("recorded %d messages; failed sends must not be recorded", n)
	}
	if n := s.Requests(); n != 3 {
		t.Errorf("Requests() = %d, want 3", n)
	}
}

func TestInvalidMessages(t *testing.T) {
	t.Parallel()
	big := strings.Repeat("x", maxPayloadBytes)
	tests := []struct {
		name, body    string
		fcmCode       string // "" when FCM answers with a BadRequest only
		messageSubstr string
	}{
		{"no message", `{}`, "INVALID_ARGUMENT", "invalid argument"},
		{"no target", `{"message":{"data":{"a":"b"}}}`, "INVALID_ARGUMENT", "Recipient"},
		{"two targets", `{"message":{"token":"t","topic":"x"}}`, "INVALID_ARGUMENT", "Exactly one"},
		{"unknown request field", `{"message":{"token":"t"},"dry":true}`, "", `Unknown name "dry"`},
		{"unknown message field", `{"message":{"token":"t","titel":"x"}}`, "", `Unknown name "titel" at 'message'`},
		{"number in data", `{"message":{"token":"t","data":{"a":"1","b":2}}}`, "", "message.data[1].value"},
		{"reserved data key", `{"message":{"token":"t","data":{"from":"x"}}}`, "INVALID_ARGUMENT", "reserved"},
		{"google data key", `{"message":{"token":"t","data":{"google.x":"x"}}}`, "INVALID_ARGUMENT", "reserved"},
		{"too big", `{"message":{"token":"t","data":{"k":"` + big + `"}}}`, "INVALID_ARGUMENT", "too big"},
		{"not JSON", `{"message":`, "", "Invalid JSON payload"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			s := newServer(t)
			status, _, out := post(t, s, "p", tt.body)
			st, code := errorOf(t, out)
			if status != http.StatusBadRequest || st != "INVALID_ARGUMENT" || code != tt.fcmCode {
				t.Errorf("status %d, %s/%q; body %v", status, st, code, out)
			}
			msg, _ := out["error"].(map[string]any)["message"].(string)
			if !strings.Contains(msg, tt.messageSubstr) {
				t.Errorf("message %q lacks %q", msg, tt.messageSubstr)
			}
			if len(s.Messages()) != 0 {
				t.Error("an invalid message was recorded")
			}
		})
	}
}

func TestFailNext(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	s.FailNext(2, http.StatusTooManyRequests)
	s.FailNext(1, http.StatusServiceUnavailable)
	for i := range 2 {
		status, retryAfter, out := post(t, s, "p", `{"message":{"token":"t"}}`)
		st, code := errorOf(t, out)
		if status != http.StatusTooManyRequests || st != "RESOURCE_EXHAUSTED" || code != "QUOTA_EXCEEDED" || retryAfter != "60" {
			t.Errorf("request %d: %d %s/%s Retry-After %q", i, status, st, code, retryAfter)
		}
	}
	status, retryAfter, out := post(t, s, "p", `{"message":{"token":"t"}}`)
	if st, code := errorOf(t, out); status != http.StatusServiceUnavailable || st != "UNAVAILABLE" || code != "UNAVAILABLE" || retryAfter != "" {
		t.Errorf("503: %d %s/%s Retry-After %q", status, st, code, retryAfter)
	}
	if status, _, _ := post(t, s, "p", `{"message":{"token":"t"}}`); status != http.StatusOK {
		t.Errorf("after the failures: status %d", status)
	}

	s.SetRetryAfter(10 * time.Minute)
	s.FailNext(1, http.StatusServiceUnavailable)
	if _, retryAfter, _ := post(t, s, "p", `{"message":{"token":"t"}}`); retryAfter != "600" {
		t.Errorf("Retry-After = %q, want 600", retryAfter)
	}
}

func TestUnknownPath(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	resp, err := http.Get(s.URL + "/v1/projects/p/messages:send")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("GET send: status %d", resp.StatusCode)
	}
	resp, err = http.Post(s.URL+"/v1/messages:send", "application/json", strings.NewReader(`{}`))
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("unknown path: status %d", resp.StatusCode)
	}
}

func TestWaitFor(t *testing.T) {
	t.Parallel()
	s := newServer(t)
	var wg sync.WaitGroup
	for range 3 {
		wg.Go(func() {
			resp, err := http.Post(s.Endpoint()+"/projects/p/messages:send", "application/json",
				strings.NewReader(`{"message":{"token":"t"}}`))
			if err == nil {
				resp.Body.Close()
			}
		})
	}
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	msgs, err := s.WaitFor(ctx, 3)
	if err != nil || len(msgs) != 3 {
		t.Fatalf("WaitFor: %d messages, %v", len(msgs), err)
	}
	wg.Wait()

	short, cancel2 := context.WithTimeout(context.Background(), 50*time.Millisecond)
	defer cancel2()
	if _, err := s.WaitFor(short, 4); err == nil {
		t.Error("WaitFor(4) returned without a fourth message")
	}
}

func TestStart(t *testing.T) {
	t.Parallel()
	s, err := Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	if status, _, _ := post(t, s, "p", `{"message":{"token":"t"}}`); status != http.StatusOK {
		t.Errorf("status %d", status)
	}
	if err := s.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if _, err := http.Post(s.Endpoint()+"/projects/p/messages:send", "application/json", strings.NewReader(`{}`)); err == nil {
		t.Error("server still answers after Close")
	}
}
