// Package fcmfake is a local fake of the Firebase Cloud Messaging HTTP v1
// API (POST /v1/projects/{project}/messages:send) for tests and development.
//
// It answers like FCM does, down to the error bodies the Admin SDK parses
// ({"error":{"code","message","status","details":[FcmError, BadRequest]}}),
// so code under test goes through the SDK's real error classification
// (messaging.IsUnregistered, IsInvalidArgument, ...). It records every
// accepted message for assertions and lets a test make a token unregistered
// or invalid, or make the next requests fail with 429/5xx.
//
// Differences from FCM, on purpose: it accepts requests without an
// Authorization header (a local fake needs no OAuth; the header is recorded),
// it delivers nothing, and error messages for reserved data keys and size
// limits are close to, not byte-for-byte, FCM's. New listens on loopback;
// give Start a loopback address too, since the fake has no authentication.
package fcmfake

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"sort"
	"strconv"
	"strings"
	"sync"
	"time"
)

// State is how the fake treats a registration token.
type State int

// Token states.
const (
	// Valid tokens are accepted; every token is Valid unless set otherwise.
	Valid State = iota
	// Unregistered tokens get 404 NOT_FOUND with FcmError UNREGISTERED, as
	// FCM answers for an app that was uninstalled or a token that rotated.
	Unregistered
	// InvalidArgument tokens get 400 INVALID_ARGUMENT with FcmError
	// INVALID_ARGUMENT ("The registration token is not a valid FCM
	// registration token").
	InvalidArgument
)

// maxPayloadBytes is FCM's limit on data keys and values plus notification
// text for messages to a token.
const maxPayloadBytes = 4096

// maxBodyBytes bounds what the fake reads, so a runaway client cannot eat memory.
const maxBodyBytes = 1 << 20

// defaultQuotaRetryAfter is the Retry-After the fake sends with an injected
// 429; FCM asks for at least a minute of backoff on quota errors.
const defaultQuotaRetryAfter = 60 * time.Second

// Notification is the basic notification block of a message.
type Notification struct {
	Title string `json:"title"`
	Body  string `json:"body"`
	Image string `json:"image"`
}

// Message is one message the fake accepted, as FCM would have parsed it.
type Message struct {
	// Project is the {project} of the request path.
	Project string
	// Name is the resource name returned to the caller.
	Name string
	// ValidateOnly is true for dry runs, which FCM checks but never delivers.
	ValidateOnly bool
	// Authorization is the request's Authorization header ("" without auth).
	Authorization string

	Token        string
	Topic        string
	Condition    string
	Notification *Notification
	Data         map[string]string
	// Android, APNS, Webpush and FCMOptions are the platform blocks decoded
	// generically, keyed as sent on the wire (the Admin SDK uses snake_case).
	Android    map[string]any
	APNS       map[string]any
	Webpush    map[string]any
	FCMOptions map[string]any
	// Raw is the "message" object exactly as received.
	Raw json.RawMessage
}

// AndroidPriority returns android.priority ("high", "normal" or "").
func (m Message) AndroidPriority() string {
	s, _ := m.Android["priority"].(string)
	return s
}

// AndroidTag returns android.notification.tag: messages with the same tag
// replace each other on an Android device.
func (m Message) AndroidTag() string {
	n, _ := m.Android["notification"].(map[string]any)
	s, _ := n["tag"].(string)
	return s
}

// APNSCollapseID returns the apns-collapse-id header: messages with the
// same one are shown as one on an Apple device.
func (m Message) APNSCollapseID() string {
	h, _ := m.APNS["headers"].(map[string]any)
	s, _ := h["apns-collapse-id"].(string)
	return s
}

// APNSSound returns apns.payload.aps.sound when it is a plain string.
func (m Message) APNSSound() string {
	payload, _ := m.APNS["payload"].(map[string]any)
	aps, _ := payload["aps"].(map[string]any)
	s, _ := aps["sound"].(string)
	return s
}

type failure struct {
	remaining int
	status    int
}

// Handler is the fake FCM API as an http.Handler, so it can be mounted on
// any server (cmd can run it on a fixed port). It is safe for concurrent use.
type Handler struct {
	mux *http.ServeMux

	mu         sync.Mutex
	messages   []Message
	requests   int
	states     map[string]State
	failures   []failure
	retryAfter time.Duration
	seq        uint64
	changed    chan struct{} // closed and replaced whenever messages grows
}

// NewHandler returns an empty fake with every token Valid.
func NewHandler() *Handler {
	h := &Handler{states: make(map[string]State), changed: make(chan struct{})}
	mux := http.NewServeMux()
	// No method in the pattern: a GET would otherwise fall through to "/"
	// and look like a wrong path instead of a wrong method.
	mux.HandleFunc("/v1/projects/{project}/messages:send", h.send)
	mux.HandleFunc("/", h.notFound)
	h.mux = mux
	return h
}

// ServeHTTP implements http.Handler.
func (h *Handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h.mux.ServeHTTP(w, r)
}

// SetTokenState makes the fake treat token as state from now on.
func (h *Handler) SetTokenState(token string, state State) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if state == Valid {
		delete(h.states, token)
		return
	}
	h.states[token] = state
}

// FailNext makes the next n send requests fail with the HTTP status and the
// FCM error body FCM uses for it: 400 INVALID_ARGUMENT, 401
// THIRD_PARTY_AUTH_ERROR, 403 SENDER_ID_MISMATCH, 404 UNREGISTERED, 429
// QUOTA_EXCEEDED (with Retry-After), 500 INTERNAL, 503 UNAVAILABLE; any other
// status gets a bare error with status UNKNOWN. Calls queue up in order.
func (h *Handler) FailNext(n int, status int) {
	if n <= 0 {
		return
	}
	h.mu.Lock()
	defer h.mu.Unlock()
	h.failures = append(h.failures, failure{remaining: n, status: status})
}

// SetRetryAfter sets the Retry-After header of injected 429 and 503 answers.
// Zero restores the default: 60s on 429, none on 503.
//
// It matters because the Admin SDK retries 503 and network errors itself
// (up to 4 times, backing off 0s, 1s, 2s, 4s) and honours Retry-After, but
// gives up at once when Retry-After is longer than its 2 minute cap; a test
// that wants one fast 503 error sets a long Retry-After.
func (h *Handler) SetRetryAfter(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.retryAfter = d
}

// Messages returns a copy of the accepted messages in arrival order.
func (h *Handler) Messages() []Message {
	h.mu.Lock()
	defer h.mu.Unlock()
	return append([]Message(nil), h.messages...)
}

// Requests returns how many send requests arrived, failed ones included; a
// test uses it to see the Admin SDK's own retries.
func (h *Handler) Requests() int {
	h.mu.Lock()
	defer h.mu.Unlock()
	return h.requests
}

// WaitFor blocks until at least n messages were accepted and returns them,
// or returns ctx's error with what arrived so far.
func (h *Handler) WaitFor(ctx context.Context, n int) ([]Message, error) {
	for {
		h.mu.Lock()
		if len(h.messages) >= n {
			out := append([]Message(nil), h.messages...)
			h.mu.Unlock()
			return out, nil
		}
		changed := h.changed
		got := append([]Message(nil), h.messages...)
		h.mu.Unlock()
		select {
		case <-changed:
		case <-ctx.Done():
			return got, fmt.Errorf("fcmfake: %d of %d messages arrived: %w", len(got), n, ctx.Err())
		}
	}
}

// Reset forgets messages, request counts, token states and pending failures.
func (h *Handler) Reset() {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.messages = nil
	h.requests = 0
	h.states = make(map[string]State)
	h.failures = nil
	h.retryAfter = 0
}

func (h *Handler) notFound(w http.ResponseWriter, r *http.Request) {
	writeError(w, http.StatusNotFound, "NOT_FOUND",
		fmt.Sprintf("The requested URL %s was not found on this server.", r.URL.Path), nil, 0)
}

// takeFailure consumes one injected failure, if any is pending.
func (h *Handler) takeFailure() (status int, retryAfter time.Duration, ok bool) {
	h.mu.Lock()
	defer h.mu.Unlock()
	if len(h.failures) == 0 {
		return 0, 0, false
	}
	f := &h.failures[0]
	status = f.status
	f.remaining--
	if f.remaining == 0 {
		h.failures = h.failures[1:]
	}
	retryAfter = h.retryAfter
	if retryAfter == 0 && status == http.StatusTooManyRequests {
		retryAfter = defaultQuotaRetryAfter
	}
	if status != http.StatusTooManyRequests && status != http.StatusServiceUnavailable {
		retryAfter = 0
	}
	return status, retryAfter, true
}

func (h *Handler) send(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		writeError(w, http.StatusMethodNotAllowed, "UNIMPLEMENTED", "messages:send takes POST only.", nil, 0)
		return
	}
	project := r.PathValue("project")
	h.mu.Lock()
	h.requests++
	h.mu.Unlock()

	if status, retryAfter, ok := h.takeFailure(); ok {
		writeInjected(w, status, retryAfter)
		return
	}

	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, maxBodyBytes))
	if err != nil {
		writeBadRequest(w, "", "Invalid JSON payload received. Request too large or unreadable.")
		return
	}
	msg, validateOnly, apiErr := parseRequest(body)
	if apiErr != nil {
		apiErr.write(w)
		return
	}
	if apiErr := validate(msg); apiErr != nil {
		apiErr.write(w)
		return
	}

	h.mu.Lock()
	state := h.states[msg.Token]
	h.mu.Unlock()
	switch state {
	case Unregistered:
		writeFCMError(w, http.StatusNotFound, "NOT_FOUND", "Requested entity was not found.", "UNREGISTERED", 0)
		return
	case InvalidArgument:
		writeFCMError(w, http.StatusBadRequest, "INVALID_ARGUMENT",
			"The registration token is not a valid FCM registration token", "INVALID_ARGUMENT", 0)
		return
	}

	msg.Project = project
	msg.ValidateOnly = validateOnly
	msg.Authorization = r.Header.Get("Authorization")

	h.mu.Lock()
	h.seq++
	if validateOnly {
		// FCM names every dry run the same way.
		msg.Name = "projects/" + project + "/messages/fake_message_id"
	} else {
		msg.Name = fmt.Sprintf("projects/%s/messages/0:%d%%%x", project, time.Now().UnixMicro(), h.seq)
	}
	h.messages = append(h.messages, msg)
	close(h.changed)
	h.changed = make(chan struct{})
	h.mu.Unlock()

	writeJSON(w, http.StatusOK, map[string]string{"name": msg.Name})
}

// apiError is an error answer built during parsing and validation.
type apiError struct {
	status    int
	canonical string
	message   string
	fcmCode   string // FcmError errorCode; "" for none
	field     string // BadRequest field violation; "" for none
	violation bool
}

func (e *apiError) write(w http.ResponseWriter) {
	var details []any
	if e.fcmCode != "" {
		details = append(details, fcmErrorDetail(e.fcmCode))
	}
	if e.violation {
		v := map[string]string{"description": e.message}
		if e.field != "" {
			v["field"] = e.field
		}
		details = append(details, map[string]any{
			"@type":           "type.googleapis.com/google.rpc.BadRequest",
			"fieldViolations": []any{v},
		})
	}
	writeError(w, e.status, e.canonical, e.message, details, 0)
}

// badJSON is FCM's answer to a payload that does not match the schema: a
// BadRequest detail and no FcmError.
func badJSON(field, message string) *apiError {
	return &apiError{status: http.StatusBadRequest, canonical: "INVALID_ARGUMENT", message: message, field: field, violation: true}
}

// invalidMessage is FCM's answer to a well-formed but unacceptable message.
func invalidMessage(message string) *apiError {
	return &apiError{status: http.StatusBadRequest, canonical: "INVALID_ARGUMENT", message: message, fcmCode: "INVALID_ARGUMENT"}
}

var requestFields = map[string]bool{"validate_only": true, "validateOnly": true, "message": true}

var messageFields = map[string]bool{
	"name": true, "data": true, "notification": true, "android": true, "webpush": true,
	"apns": true, "fcm_options": true, "fcmOptions": true, "token": true, "topic": true, "condition": true,
}

func parseRequest(body []byte) (Message, bool, *apiError) {
	var req map[string]json.RawMessage
	if err := json.Unmarshal(body, &req); err != nil {
		return Message{}, false, badJSON("", "Invalid JSON payload received. "+err.Error())
	}
	for _, k := range sortedKeys(req) {
		if !requestFields[k] {
			return Message{}, false, badJSON("", fmt.Sprintf("Invalid JSON payload received. Unknown name %q: Cannot find field.", k))
		}
	}
	var validateOnly bool
	for _, k := range []string{"validate_only", "validateOnly"} {
		if raw, ok := req[k]; ok {
			if err := json.Unmarshal(raw, &validateOnly); err != nil {
				return Message{}, false, badJSON(k, fmt.Sprintf("Invalid value at '%s' (TYPE_BOOL), %s", k, raw))
			}
		}
	}
	raw, ok := req["message"]
	if !ok || bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return Message{}, false, invalidMessage("Request contains an invalid argument.")
	}
	var fields map[string]json.RawMessage
	if err := json.Unmarshal(raw, &fields); err != nil {
		return Message{}, false, badJSON("message", fmt.Sprintf("Invalid value at 'message' (type.googleapis.com/google.firebase.fcm.v1.Message), %s", raw))
	}
	for _, k := range sortedKeys(fields) {
		if !messageFields[k] {
			return Message{}, false, badJSON("message", fmt.Sprintf("Invalid JSON payload received. Unknown name %q at 'message': Cannot find field.", k))
		}
	}

	msg := Message{Raw: append(json.RawMessage(nil), raw...)}
	for _, f := range []struct {
		name string
		dst  *string
	}{{"token", &msg.Token}, {"topic", &msg.Topic}, {"condition", &msg.Condition}} {
		if v, ok := fields[f.name]; ok {
			if err := json.Unmarshal(v, f.dst); err != nil {
				return Message{}, false, badJSON("message."+f.name, fmt.Sprintf("Invalid value at 'message.%s' (TYPE_STRING), %s", f.name, v))
			}
		}
	}
	if v, ok := fields["data"]; ok {
		data, apiErr := parseData(v)
		if apiErr != nil {
			return Message{}, false, apiErr
		}
		msg.Data = data
	}
	if v, ok := fields["notification"]; ok {
		var n Notification
		if err := json.Unmarshal(v, &n); err != nil {
			return Message{}, false, badJSON("message.notification", fmt.Sprintf("Invalid value at 'message.notification', %s", v))
		}
		msg.Notification = &n
	}
	for _, f := range []struct {
		names []string
		dst   *map[string]any
	}{
		{[]string{"android"}, &msg.Android},
		{[]string{"apns"}, &msg.APNS},
		{[]string{"webpush"}, &msg.Webpush},
		{[]string{"fcm_options", "fcmOptions"}, &msg.FCMOptions},
	} {
		for _, name := range f.names {
			if v, ok := fields[name]; ok {
				if err := json.Unmarshal(v, f.dst); err != nil {
					return Message{}, false, badJSON("message."+name, fmt.Sprintf("Invalid value at 'message.%s', %s", name, v))
				}
			}
		}
	}
	return msg, validateOnly, nil
}

// parseData decodes message.data in wire order, so that a non-string value
// is reported at the same index FCM reports it ("message.data[0].value").
func parseData(raw json.RawMessage) (map[string]string, *apiError) {
	dec := json.NewDecoder(bytes.NewReader(raw))
	dec.UseNumber()
	tok, err := dec.Token()
	if err != nil {
		return nil, badJSON("message.data", "Invalid JSON payload received. "+err.Error())
	}
	if tok == nil {
		return nil, nil
	}
	if d, ok := tok.(json.Delim); !ok || d != '{' {
		return nil, badJSON("message.data", fmt.Sprintf("Invalid value at 'message.data' (type.googleapis.com/google.firebase.fcm.v1.Message.DataEntry), %s", raw))
	}
	data := make(map[string]string)
	for i := 0; dec.More(); i++ {
		kt, err := dec.Token()
		if err != nil {
			return nil, badJSON("message.data", "Invalid JSON payload received. "+err.Error())
		}
		key, _ := kt.(string)
		var v json.RawMessage
		if err := dec.Decode(&v); err != nil {
			return nil, badJSON("message.data", "Invalid JSON payload received. "+err.Error())
		}
		var s string
		if err := json.Unmarshal(v, &s); err != nil {
			field := fmt.Sprintf("message.data[%d].value", i)
			return nil, badJSON(field, fmt.Sprintf("Invalid value at '%s' (TYPE_STRING), %s", field, v))
		}
		data[key] = s
	}
	return data, nil
}

// validate applies FCM's checks on a parsed message.
func validate(m Message) *apiError {
	targets := 0
	for _, t := range []string{m.Token, m.Topic, m.Condition} {
		if t != "" {
			targets++
		}
	}
	switch {
	case targets == 0:
		return invalidMessage("Recipient of the message is not set.")
	case targets > 1:
		return invalidMessage("Exactly one of token, topic or condition must be set.")
	}
	size := 0
	for k, v := range m.Data {
		if reservedDataKey(k) {
			return invalidMessage(fmt.Sprintf("Invalid data payload key: %q is reserved.", k))
		}
		size += len(k) + len(v)
	}
	if m.Notification != nil {
		size += len(m.Notification.Title) + len(m.Notification.Body)
	}
	limit := maxPayloadBytes
	if m.Topic != "" {
		limit = maxPayloadBytes / 2
	}
	if size > limit {
		return invalidMessage(fmt.Sprintf("Message is too big: payload is %d bytes, the limit is %d.", size, limit))
	}
	return nil
}

// reservedDataKey reports keys FCM uses internally: "from", "message_type",
// and anything starting with "google" or "gcm".
func reservedDataKey(k string) bool {
	lk := strings.ToLower(k)
	return lk == "from" || lk == "message_type" || strings.HasPrefix(lk, "google") || strings.HasPrefix(lk, "gcm")
}

// injected maps an injected HTTP status to FCM's canonical status, FcmError
// code and message.
var injected = map[int]struct{ canonical, fcmCode, message string }{
	http.StatusBadRequest:          {"INVALID_ARGUMENT", "INVALID_ARGUMENT", "Request contains an invalid argument."},
	http.StatusUnauthorized:        {"UNAUTHENTICATED", "THIRD_PARTY_AUTH_ERROR", "Auth error from APNS or Web Push Service"},
	http.StatusForbidden:           {"PERMISSION_DENIED", "SENDER_ID_MISMATCH", "SenderId mismatch"},
	http.StatusNotFound:            {"NOT_FOUND", "UNREGISTERED", "Requested entity was not found."},
	http.StatusTooManyRequests:     {"RESOURCE_EXHAUSTED", "QUOTA_EXCEEDED", "Quota exceeded for the message target."},
	http.StatusInternalServerError: {"INTERNAL", "INTERNAL", "Internal error encountered."},
	http.StatusServiceUnavailable:  {"UNAVAILABLE", "UNAVAILABLE", "The service is currently unavailable."},
}

func writeInjected(w http.ResponseWriter, status int, retryAfter time.Duration) {
	e, ok := injected[status]
	if !ok {
		writeError(w, status, "UNKNOWN", http.StatusText(status), nil, 0)
		return
	}
	writeFCMError(w, status, e.canonical, e.message, e.fcmCode, retryAfter)
}

func fcmErrorDetail(code string) map[string]string {
	return map[string]string{"@type": "type.googleapis.com/google.firebase.fcm.v1.FcmError", "errorCode": code}
}

func writeFCMError(w http.ResponseWriter, status int, canonical, message, fcmCode string, retryAfter time.Duration) {
	writeError(w, status, canonical, message, []any{fcmErrorDetail(fcmCode)}, retryAfter)
}

func writeBadRequest(w http.ResponseWriter, field, message string) {
	badJSON(field, message).write(w)
}

// writeError writes a google.rpc.Status error body, the format of every
// Google API error: {"error":{"code","message","status","details"}}.
func writeError(w http.ResponseWriter, status int, canonical, message string, details []any, retryAfter time.Duration) {
	body := map[string]any{"code": status, "message": message, "status": canonical}
	if len(details) > 0 {
		body["details"] = details
	}
	if retryAfter > 0 {
		secs := int64((retryAfter + time.Second - 1) / time.Second)
		w.Header().Set("Retry-After", strconv.FormatInt(secs, 10))
	}
	writeJSON(w, status, map[string]any{"error": body})
}

func writeJSON(w http.ResponseWriter, status int, v any) {
	b, err := json.Marshal(v)
	if err != nil {
		http.Error(w, err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "application/json; charset=UTF-8")
	w.WriteHeader(status)
	_, _ = w.Write(append(b, '\n'))
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Server is a running fake. Its Handler methods record and inject behaviour.
type Server struct {
	*Handler
	// URL is the server's base URL, e.g. http://127.0.0.1:41234.
	URL string

	test *httptest.Server
	http *http.Server
	ln   net.Listener
	done chan struct{}
}

// New starts a fake on a free loopback port, for tests. Close it when done.
// Like httptest.NewServer, which it uses, it cannot report a listen error;
// use Start when an error must be handled.
func New() *Server {
	h := NewHandler()
	ts := httptest.NewServer(h)
	return &Server{Handler: h, URL: ts.URL, test: ts}
}

// Start runs a fake listening on addr (host:port; use a loopback host such
// as 127.0.0.1:9098) until Close.
func Start(addr string) (*Server, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return nil, fmt.Errorf("fcmfake: listen %s: %w", addr, err)
	}
	h := NewHandler()
	s := &Server{
		Handler: h,
		URL:     "http://" + ln.Addr().String(),
		http:    &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second},
		ln:      ln,
		done:    make(chan struct{}),
	}
	go func() {
		defer close(s.done)
		_ = s.http.Serve(ln) // returns http.ErrServerClosed after Close
	}()
	return s, nil
}

// Endpoint is the value for firebase.Config.FCMEndpoint: the base URL the
// Admin SDK appends /projects/{project}/messages:send to.
func (s *Server) Endpoint() string {
	return s.URL + "/v1"
}

// Close stops the server and waits for it.
func (s *Server) Close() error {
	if s.test != nil {
		s.test.Close()
		return nil
	}
	err := s.http.Close()
	<-s.done
	if errors.Is(err, http.ErrServerClosed) {
		return nil
	}
	return err
}
