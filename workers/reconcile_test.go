package workers_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/anju-city/anju/workers"
	"github.com/hibiken/asynq"
)

type queueBundle struct {
	db        *postgres.DB
	redis     *testenv.Redis
	client    *asynq.Client
	inspector *asynq.Inspector
	user      talent.User
	logger    *slog.Logger
}

func queueSetup(t *testing.T) queueBundle {
	t.Helper()
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
	u, _ := db.Users().SignIn(ctx, "owner-"+talent.NewID(), false)
	return queueBundle{db: db, redis: r, client: client, inspector: inspector, user: u, logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
}

// inspecting stores a document that waits for inspection since an hour
// ago, with its outbox row published (as the relay does); it returns the
// document id and the outbox row's id, which is its task id.
func (b queueBundle) inspecting(t *testing.T) (docID, taskID string) {
	t.Helper()
	ctx := context.Background()
	past := time.Now().Add(-time.Hour)
	d := talent.Document{ID: talent.NewID(), OwnerID: b.user.ID, Kind: talent.DocDiploma, ContentType: "application/pdf", Size: 1,
		SHA256: "0000000000000000000000000000000000000000000000000000000000000000", ObjectKey: "k-" + talent.NewID(), Status: talent.DocPending, CreatedAt: past, UpdatedAt: past}
	if err := b.db.Documents().CreateDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.Documents().UpdateDocument(ctx, d.ID, func(d *talent.Document) ([]talent.Task, error) {
		d.Status = talent.DocInspecting
		return []talent.Task{account.InspectDocument{DocumentID: d.ID}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if err := b.db.Pool().QueryRow(ctx, `UPDATE outbox SET published_at = now() WHERE payload->>'documentId' = $1 RETURNING id::text`, d.ID).Scan(&taskID); err != nil {
		t.Fatal(err)
	}
	if _, err := b.db.Pool().Exec(ctx, `UPDATE documents SET updated_at = $2 WHERE id = $1`, d.ID, past); err != nil {
		t.Fatal(err)
	}
	return d.ID, taskID
}

func (b queueBundle) enqueue(t *testing.T, docID, taskID string) {
	t.Helper()
	task, _ := workers.NewTask(account.InspectDocument{DocumentID: docID})
	if _, err := b.client.Enqueue(task, asynq.TaskID(taskID)); err != nil {
		t.Fatal(err)
	}
}

// unpublished counts the outbox rows for a document waiting for the relay.
func (b queueBundle) unpublished(t *testing.T, docID string) int {
	t.Helper()
	var n int
	if err := b.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE published_at IS NULL AND payload->>'documentId' = $1`, docID).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// The reconciler drives again exactly the work whose task is gone: a
// document whose task was lost with Redis's data or archived gets a new
// outbox row; one whose task is still queued, or whose row the relay has
// not published yet, is left alone; a second pass adds nothing while the
// new row waits; with Redis down nothing is told apart and nothing written.
func TestReconcilerRedrivesWorkWhoseTaskIsGone(t *testing.T) {
	t.Parallel()
	b := queueSetup(t)
	ctx := context.Background()
	lost, _ := b.inspecting(t)
	archived, archivedTask := b.inspecting(t)
	queued, queuedTask := b.inspecting(t)
	b.enqueue(t, archived, archivedTask)
	if err := b.inspector.ArchiveTask(workers.QueueDefault, archivedTask); err != nil {
		t.Fatal(err)
	}
	b.enqueue(t, queued, queuedTask)
	fresh := talent.Document{ID: talent.NewID(), OwnerID: b.user.ID, Kind: talent.DocDiploma, ContentType: "application/pdf", Size: 1,
		SHA256: "0000000000000000000000000000000000000000000000000000000000000000", ObjectKey: "k-" + talent.NewID(), Status: talent.DocInspecting, CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := b.db.Documents().CreateDocument(ctx, fresh); err != nil {
		t.Fatal(err)
	}

	r := &workers.Reconciler{Store: b.db.Reconcile(), Inspector: b.inspector, Queue: b.client, Logger: b.logger, After: time.Minute}
	got, err := r.Once(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if got["document:inspect"] != 2 {
		t.Errorf("re-driven: %v; want the lost and the archived document", got)
	}
	for doc, want := range map[string]int{lost: 1, archived: 1, queued: 0, fresh.ID: 0} {
		if n := b.unpublished(t, doc); n != want {
			t.Errorf("document %s: %d new outbox rows, want %d", doc, n, want)
		}
	}
	// The re-driven rows wait for the relay: nothing more to do.
	if got, err := r.Once(ctx); err != nil || len(got) != 0 {
		t.Errorf("second pass: %v %v; want nothing", got, err)
	}
	// With Redis down the state of a task cannot be told: nothing is written.
	if _, err := b.db.Pool().Exec(ctx, `UPDATE outbox SET published_at = now()`); err != nil {
		t.Fatal(err)
	}
	b.redis.Stop()
	if got, err := r.Once(ctx); err == nil || len(got) != 0 {
		t.Errorf("with Redis down: %v %v; want an error and nothing re-driven", got, err)
	}
	if n := b.unpublished(t, lost); n != 0 {
		t.Errorf("with Redis down %d rows were written", n)
	}
}

// The documented republish (published_at set back to NULL) runs a task
// again although asynq still holds its id as archived or completed; a task
// still queued is not duplicated.
func TestRepublishReplacesAFinishedTask(t *testing.T) {
	t.Parallel()
	b := queueSetup(t)
	ctx := context.Background()
	archived, archivedTask := b.inspecting(t)
	b.enqueue(t, archived, archivedTask)
	if err := b.inspector.ArchiveTask(workers.QueueDefault, archivedTask); err != nil {
		t.Fatal(err)
	}
	queued, queuedTask := b.inspecting(t)
	b.enqueue(t, queued, queuedTask)

	if _, err := b.db.Pool().Exec(ctx, `UPDATE outbox SET published_at = NULL, available_at = now()`); err != nil {
		t.Fatal(err)
	}
	relay := &workers.Relay{Outbox: b.db.Outbox(), Queue: b.client, Tasks: b.inspector, Logger: b.logger}
	rctx, cancel := context.WithCancel(ctx)
	done := make(chan error)
	go func() { done <- relay.Run(rctx) }()
	defer func() { cancel(); <-done }()
	deadline := time.Now().Add(10 * time.Second)
	for b.unpublished(t, archived)+b.unpublished(t, queued) > 0 && time.Now().Before(deadline) {
		time.Sleep(20 * time.Millisecond)
	}
	info, err := b.inspector.GetTaskInfo(workers.QueueDefault, archivedTask)
	if err != nil || info.State != asynq.TaskStatePending {
		t.Fatalf("republished archived task: %+v %v; want it pending again", info, err)
	}
	pending, _ := b.inspector.ListPendingTasks(workers.QueueDefault)
	if len(pending) != 2 {
		t.Fatalf("%d pending tasks, want the two documents' once each", len(pending))
	}
}
