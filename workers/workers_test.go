package workers_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/firebase"
	"github.com/anju-city/anju/internal/firebase/fcmfake"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/anju-city/anju/workers"
	"github.com/hibiken/asynq"
)

type bundle struct {
	db   *postgres.DB
	fcm  *fcmfake.Server
	mux  *asynq.ServeMux
	user talent.User
}

// setup gives a worker bundle on a fresh database with a signed-up user
// who reads English and has the given devices.
func setup(t *testing.T, devices ...string) bundle {
	t.Helper()
	ctx := context.Background()
	fcm := fcmfake.New()
	t.Cleanup(func() { _ = fcm.Close() })
	pusher, err := firebase.NewPusher(ctx, firebase.Config{ProjectID: "demo-anju", FCMEndpoint: fcm.URL})
	if err != nil {
		t.Fatal(err)
	}
	db, a, _ := testenv.App(t, pusher, nil)
	u, err := db.Users().SignIn(ctx, "uid-"+t.Name(), false)
	if err != nil {
		t.Fatal(err)
	}
	if err := db.Profiles().SaveProfile(ctx, talent.ProfileRecord{UserID: u.ID, Name: "Li", Locale: talent.LocaleEN, UpdatedAt: time.Now()}, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	for i, d := range devices {
		if err := db.Inbox().SaveDevice(ctx, talent.Device{Token: d, UserID: u.ID, Platform: "android", LastSeenAt: time.Now().Add(time.Duration(i) * time.Second)}, time.Time{}); err != nil {
			t.Fatal(err)
		}
	}
	return bundle{db: db, fcm: fcm, mux: workers.NewMux(a, nil, a.Logger, nil), user: u}
}

func (b bundle) notify(t *testing.T, template string) error {
	t.Helper()
	task, err := workers.NewTask(talent.NotifyRequest{
		UserID: b.user.ID, EventID: "document.accepted:42", Template: template,
		Params: map[string]string{"kind": "diploma"}, Link: "anju://documents/42",
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.mux.ProcessTask(context.Background(), task)
}

func (b bundle) pushesTo(token string) int {
	n := 0
	for _, m := range b.fcm.Messages() {
		if m.Token == token {
			n++
		}
	}
	return n
}

func (b bundle) inbox(t *testing.T) []talent.Notification {
	t.Helper()
	list, _, err := b.db.Inbox().Notifications(context.Background(), b.user.ID, talent.Page{})
	if err != nil {
		t.Fatal(err)
	}
	return list
}

// A quota error on one device retries the task; the retry pushes only to
// the device that missed it, and the inbox holds one entry.
func TestSendNotificationRetriesOnlyWhatFailed(t *testing.T) {
	t.Parallel()
	b := setup(t, "token-aaaaaaaaaaaaaaaa", "token-bbbbbbbbbbbbbbbb")
	b.fcm.FailNext(1, 429)
	err := b.notify(t, "document.accepted")
	if err == nil || errors.Is(err, asynq.SkipRetry) || talent.ErrorKind(err) != talent.KindUnavailable {
		t.Fatalf("a 429 must be retried, got %v", err)
	}
	if err := b.notify(t, "document.accepted"); err != nil {
		t.Fatalf("retry: %v", err)
	}
	if a, bb := b.pushesTo("token-aaaaaaaaaaaaaaaa"), b.pushesTo("token-bbbbbbbbbbbbbbbb"); a != 1 || bb != 1 {
		t.Fatalf("pushes: %d and %d, want one each", a, bb)
	}
	inbox := b.inbox(t)
	if len(inbox) != 1 || inbox[0].Title != "Document accepted" || inbox[0].Body != "Your diploma passed the checks." {
		t.Fatalf("inbox: %+v", inbox)
	}
	m := b.fcm.Messages()[0]
	if m.Data["link"] != "anju://documents/42" || m.Data["notificationId"] != inbox[0].ID || m.AndroidPriority() != "high" {
		t.Fatalf("push payload: %+v", m)
	}
}

func TestUnregisteredTokenIsDeleted(t *testing.T) {
	t.Parallel()
	b := setup(t, "token-gone-gone-gone-gone")
	b.fcm.SetTokenState("token-gone-gone-gone-gone", fcmfake.Unregistered)
	if err := b.notify(t, "document.accepted"); err != nil {
		t.Fatalf("unregistered must not be retried: %v", err)
	}
	devices, _ := b.db.Inbox().Devices(context.Background(), b.user.ID)
	if len(devices) != 0 || len(b.inbox(t)) != 1 {
		t.Fatalf("devices %v, inbox %d", devices, len(b.inbox(t)))
	}
}

func TestInvalidArgumentKeepsToken(t *testing.T) {
	t.Parallel()
	b := setup(t, "token-invalid-invalid-x")
	b.fcm.SetTokenState("token-invalid-invalid-x", fcmfake.InvalidArgument)
	if err := b.notify(t, "document.accepted"); err != nil {
		t.Fatalf("invalid argument must be logged, not retried: %v", err)
	}
	devices, _ := b.db.Inbox().Devices(context.Background(), b.user.ID)
	if len(devices) != 1 {
		t.Fatalf("token deleted on INVALID_ARGUMENT")
	}
	// A redelivery neither adds an inbox entry nor pushes again.
	before := b.fcm.Requests()
	if err := b.notify(t, "document.accepted"); err != nil || b.fcm.Requests() != before || len(b.inbox(t)) != 1 {
		t.Fatalf("redelivery: %v, %d requests, %d entries", err, b.fcm.Requests()-before, len(b.inbox(t)))
	}
}

func TestUnknownTemplateIsArchived(t *testing.T) {
	t.Parallel()
	b := setup(t)
	if err := b.notify(t, "no.such.template"); !errors.Is(err, asynq.SkipRetry) {
		t.Fatalf("an unknown template must be archived (asynq.SkipRetry), got %v", err)
	}
}

// The relay publishes each outbox row once with its id as task id, and a
// row published again (a relay that died before committing) counts as done.
func TestRelayPublishesWithOutboxID(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	db, err := postgres.Open(ctx, testenv.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	r := testenv.NewRedis(t)
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: r.Addr})
	t.Cleanup(func() { _ = client.Close() })
	inspector := asynq.NewInspector(asynq.RedisClientOpt{Addr: r.Addr})
	t.Cleanup(func() { _ = inspector.Close() })

	u, _ := db.Users().SignIn(ctx, "relay", false)
	now := time.Now()
	d := talent.Document{ID: talent.NewID(), OwnerID: u.ID, Kind: talent.DocDiploma, ContentType: "application/pdf", Size: 1,
		SHA256: "0000000000000000000000000000000000000000000000000000000000000000", ObjectKey: "k", Status: talent.DocPending, CreatedAt: now, UpdatedAt: now}
	_ = db.Documents().CreateDocument(ctx, d)
	_, err = db.Documents().UpdateDocument(ctx, d.ID, func(*talent.Document) ([]talent.Task, error) {
		return []talent.Task{account.InspectDocument{DocumentID: d.ID}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	var outboxID string
	_ = db.Pool().QueryRow(ctx, `SELECT id FROM outbox`).Scan(&outboxID)

	relay := &workers.Relay{Outbox: db.Outbox(), Queue: client, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- relay.Run(rctx) }()
	defer func() { cancel(); <-done }()

	var info *asynq.TaskInfo
	deadline := time.Now().Add(10 * time.Second)
	for info == nil && time.Now().Before(deadline) {
		info, _ = inspector.GetTaskInfo(workers.QueueDefault, outboxID)
		time.Sleep(20 * time.Millisecond)
	}
	if info == nil {
		t.Fatal("the relay did not publish the row")
	}
	var payload account.InspectDocument
	if err := json.Unmarshal(info.Payload, &payload); err != nil || payload.DocumentID != d.ID || info.Type != "document:inspect" {
		t.Fatalf("task: %+v %v", info, err)
	}
	// Publishing the same row again is a conflict the relay treats as done.
	_, err = client.Enqueue(asynq.NewTask(info.Type, info.Payload), asynq.TaskID(outboxID), asynq.Queue(workers.QueueDefault))
	if !errors.Is(err, asynq.ErrTaskIDConflict) {
		t.Fatalf("second enqueue of the same outbox id: %v", err)
	}
}

// Several replicas running the scheduler enqueue one task per period.
func TestSchedulerOneTaskPerPeriod(t *testing.T) {
	t.Parallel()
	r := testenv.NewRedis(t)
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: r.Addr})
	t.Cleanup(func() { _ = client.Close() })
	inspector := asynq.NewInspector(asynq.RedisClientOpt{Addr: r.Addr})
	t.Cleanup(func() { _ = inspector.Close() })
	now := time.Date(2026, 11, 25, 17, 20, 0, 0, time.UTC)
	logger := slog.New(slog.NewJSONHandler(io.Discard, nil))
	jobs := []workers.Job{{Args: workers.Prune{}, Period: time.Hour}}
	for range 3 { // three replicas, same period
		(&workers.Scheduler{Queue: client, Jobs: jobs, Logger: logger, Now: func() time.Time { return now }}).Once(context.Background())
	}
	tasks, err := inspector.ListPendingTasks(workers.QueueLow)
	if err != nil || len(tasks) != 1 || tasks[0].ID != "maintenance:prune@2026-11-25T17:00:00Z" {
		t.Fatalf("pending: %v %v", tasks, err)
	}
	later := now.Add(time.Hour)
	(&workers.Scheduler{Queue: client, Jobs: jobs, Logger: logger, Now: func() time.Time { return later }}).Once(context.Background())
	if tasks, _ := inspector.ListPendingTasks(workers.QueueLow); len(tasks) != 2 {
		t.Fatalf("next period: %d tasks", len(tasks))
	}
}
