package postgres_test

import (
	"context"
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/idempotency"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
)

// idemFixture is a database with one user whose documents are the effect
// counted by the tests below.
type idemFixture struct {
	db   *postgres.DB
	user talent.User
}

func newIdemFixture(t *testing.T) idemFixture {
	t.Helper()
	db := open(t)
	u, err := db.Users().SignIn(context.Background(), "idem-"+talent.NewID(), false)
	if err != nil {
		t.Fatal(err)
	}
	return idemFixture{db, u}
}

// create is an effect: one document row.
func (f idemFixture) create(ctx context.Context) error {
	now, id := time.Now(), talent.NewID()
	return f.db.Documents().CreateDocument(ctx, talent.Document{ID: id, OwnerID: f.user.ID, Kind: talent.DocDiploma,
		ContentType: "application/pdf", Size: 10, SHA256: "0000000000000000000000000000000000000000000000000000000000000000",
		ObjectKey: "documents/" + id, Status: talent.DocPending, CreatedAt: now, UpdatedAt: now})
}

func (f idemFixture) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

func (f idemFixture) documents(t *testing.T) int {
	return f.count(t, `SELECT count(*) FROM documents WHERE owner_id = $1`, f.user.ID)
}

// replay is a request with a key already answered: its handler runs up to
// its first statement, which is refused, and whatever it answers is
// thrown away for the stored answer.
func (f idemFixture) replay(t *testing.T) func(context.Context) idempotency.Response {
	return func(ctx context.Context) idempotency.Response {
		if err := f.create(ctx); err == nil {
			t.Error("a replay wrote its effect")
		}
		return idempotency.Response{Status: 500}
	}
}

func created(body string) idempotency.Response {
	return idempotency.Response{Status: 201, ContentType: "application/json", Body: []byte(body),
		Headers: map[string]string{"Location": "/v1/documents/x"}}
}

// TestIdempotentRunCommitsEffectWithResponse: the effect and the stored
// response commit together; a replay, however late, returns the stored
// response (status, body, headers) and writes nothing.
func TestIdempotentRunCommitsEffectWithResponse(t *testing.T) {
	t.Parallel()
	f, ctx := newIdemFixture(t), context.Background()
	runs := 0
	fn := func(ctx context.Context) idempotency.Response {
		if err := f.create(ctx); err != nil {
			return idempotency.Response{Status: 409} // refused: a replay
		}
		runs++
		return created(`{"id":1}`)
	}
	resp, replayed, err := f.db.Idempotency().Run(ctx, f.user.ID, "k1", "h1", fn)
	if err != nil || replayed || resp.Status != 201 {
		t.Fatalf("first: %+v %v %v", resp, replayed, err)
	}
	// Long after any window a claim could once go stale in.
	if _, err := f.db.Pool().Exec(ctx, `UPDATE idempotency_keys SET created_at = now() - interval '1 day'`); err != nil {
		t.Fatal(err)
	}
	resp, replayed, err = f.db.Idempotency().Run(ctx, f.user.ID, "k1", "h1", fn)
	if err != nil || !replayed || resp.Status != 201 || string(resp.Body) != `{"id":1}` ||
		resp.Headers["Location"] != "/v1/documents/x" || resp.RequestHash != "h1" {
		t.Fatalf("replay: %+v %v %v", resp, replayed, err)
	}
	// Another request with the key gets the stored one to compare with.
	resp, replayed, _ = f.db.Idempotency().Run(ctx, f.user.ID, "k1", "h2", fn)
	if !replayed || resp.RequestHash != "h1" {
		t.Fatalf("different request: %+v %v", resp, replayed)
	}
	if runs != 1 || f.documents(t) != 1 {
		t.Fatalf("%d runs, %d documents", runs, f.documents(t))
	}
}

// TestIdempotentRunDiesBetweenEffectAndResponse: the connection is cut
// after the effect was written and before the response is stored (what a
// crash of the API or of its connection does). Nothing of the request
// remains, and the retry runs once. Under the previous scheme the effect
// committed on its own and the key stayed unfinished, to be run again.
func TestIdempotentRunDiesBetweenEffectAndResponse(t *testing.T) {
	t.Parallel()
	f, ctx := newIdemFixture(t), context.Background()
	_, _, err := f.db.Idempotency().Run(ctx, f.user.ID, "k", "h", func(ctx context.Context) idempotency.Response {
		if err := f.create(ctx); err != nil {
			t.Fatal(err)
		}
		// The effect is written; kill the backend of the request's connection.
		if _, err := f.db.Pool().Exec(context.Background(), `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
			WHERE datname = current_database() AND pid <> pg_backend_pid() AND state = 'idle in transaction'`); err != nil {
			t.Fatal(err)
		}
		return created(`{"id":1}`)
	})
	if err == nil {
		t.Fatal("the request reported success although its connection died before its commit")
	}
	if n := f.documents(t); n != 0 {
		t.Fatalf("%d documents after the failed request", n)
	}
	if n := f.count(t, `SELECT count(*) FROM idempotency_keys`); n != 0 {
		t.Fatalf("%d keys after the failed request", n)
	}
	resp, replayed, err := f.db.Idempotency().Run(ctx, f.user.ID, "k", "h", func(ctx context.Context) idempotency.Response {
		if err := f.create(ctx); err != nil {
			t.Fatal(err)
		}
		return created(`{"id":2}`)
	})
	if err != nil || replayed || resp.Status != 201 || f.documents(t) != 1 {
		t.Fatalf("retry: %+v %v %v, %d documents", resp, replayed, err, f.documents(t))
	}
}

// TestIdempotentRunOutcomes: a server error leaves nothing (the retry runs);
// a client error undoes the writes and is stored; an adapter transaction
// that fails inside the request is undone alone, and so is a single
// statement that fails, as on the pool.
func TestIdempotentRunOutcomes(t *testing.T) {
	t.Parallel()
	f, ctx := newIdemFixture(t), context.Background()
	run := func(key string, fn func(context.Context) idempotency.Response) (idempotency.Response, bool, error) {
		return f.db.Idempotency().Run(ctx, f.user.ID, key, "h", fn)
	}
	if _, _, err := run("5xx", func(ctx context.Context) idempotency.Response {
		_ = f.create(ctx)
		return idempotency.Response{Status: 500}
	}); err != nil {
		t.Fatal(err)
	}
	if f.documents(t) != 0 || f.count(t, `SELECT count(*) FROM idempotency_keys WHERE key = '5xx'`) != 0 {
		t.Fatal("a server error left its writes or its key")
	}
	if _, _, err := run("4xx", func(ctx context.Context) idempotency.Response {
		_ = f.create(ctx)
		return idempotency.Response{Status: 409, ContentType: "application/problem+json", Body: []byte(`{}`)}
	}); err != nil {
		t.Fatal(err)
	}
	if resp, replayed, _ := run("4xx", f.replay(t)); !replayed || resp.Status != 409 || f.documents(t) != 0 {
		t.Fatalf("client error: %+v %v, %d documents", resp, replayed, f.documents(t))
	}
	// An adapter's own transaction failing inside the request: undone to its
	// savepoint, the request goes on and commits the rest.
	resp, _, err := run("nested", func(ctx context.Context) idempotency.Response {
		if err := f.create(ctx); err != nil {
			t.Fatal(err)
		}
		_, err := f.db.Documents().UpdateDocument(ctx, talent.NewID(), func(*talent.Document) ([]talent.Task, error) { return nil, nil })
		if !talent.HasCode(err, talent.CodeDocumentNotFound) {
			t.Fatalf("update of a missing document: %v", err)
		}
		if err := f.create(ctx); err != nil {
			t.Fatal(err)
		}
		return created(`{}`)
	})
	if err != nil || resp.Status != 201 || f.documents(t) != 2 {
		t.Fatalf("nested: %+v %v, %d documents", resp, err, f.documents(t))
	}
	// A statement that fails outside any adapter transaction is undone
	// alone, as it would be on the pool: the request goes on and commits
	// the rest with its answer.
	resp, _, err = run("refused", func(ctx context.Context) idempotency.Response {
		if err := f.db.Documents().CreateDocument(ctx, talent.Document{ID: "not-a-uuid"}); err == nil {
			t.Fatal("a broken insert succeeded")
		}
		if err := f.create(ctx); err != nil {
			t.Fatalf("a statement after a refused one: %v", err)
		}
		return created(`{}`)
	})
	if err != nil || resp.Status != 201 || f.documents(t) != 3 {
		t.Fatalf("after a refused statement: %+v %v, %d documents", resp, err, f.documents(t))
	}
}

// TestIdempotentRunConcurrentDuplicates: N callers with one key at once make
// one effect; every other caller waits for it and replays its response.
func TestIdempotentRunConcurrentDuplicates(t *testing.T) {
	t.Parallel()
	f, ctx := newIdemFixture(t), context.Background()
	const n = 8
	var wg sync.WaitGroup
	results := make([]idempotency.Response, n)
	errs := make([]error, n)
	for i := range n {
		wg.Go(func() {
			results[i], _, errs[i] = f.db.Idempotency().Run(ctx, f.user.ID, "same", "h", func(ctx context.Context) idempotency.Response {
				if err := f.create(ctx); err != nil {
					return idempotency.Response{Status: 409} // a duplicate: thrown away
				}
				time.Sleep(100 * time.Millisecond) // keep the others waiting on the key
				return created(`{"id":"one"}`)
			})
		})
	}
	wg.Wait()
	for i := range n {
		if errs[i] != nil && !errors.Is(errs[i], idempotency.ErrInProgress) {
			t.Fatalf("caller %d: %v", i, errs[i])
		}
		if errs[i] == nil && (results[i].Status != 201 || string(results[i].Body) != `{"id":"one"}`) {
			t.Fatalf("caller %d: %+v", i, results[i])
		}
	}
	if d := f.documents(t); d != 1 {
		t.Fatalf("%d documents from %d concurrent duplicates", d, n)
	}
}

// TestIdempotentRunAfterAFailedStatement: an adapter's transaction that a
// constraint refuses is undone alone, and the refusal (a 4xx) is stored
// and replayed, whatever the next statement is: a single one or a batch,
// which pgx prepares before it runs.
func TestIdempotentRunAfterAFailedStatement(t *testing.T) {
	t.Parallel()
	f, ctx := newIdemFixture(t), context.Background()
	id := talent.NewID()
	doc := func(ctx context.Context) error {
		now := time.Now()
		return f.db.Documents().CreateDocument(ctx, talent.Document{ID: id, OwnerID: f.user.ID, Kind: talent.DocDiploma,
			ContentType: "application/pdf", Size: 10, SHA256: "0000000000000000000000000000000000000000000000000000000000000000",
			ObjectKey: "documents/" + id, Status: talent.DocPending, CreatedAt: now, UpdatedAt: now})
	}
	if err := doc(ctx); err != nil {
		t.Fatal(err)
	}
	for i, next := range []func(ctx context.Context) error{
		func(ctx context.Context) error { _, err := f.db.Documents().Document(ctx, id); return err },
		f.create, // a batch: the document and its outbox rows
	} {
		key := "k-after-failure-" + string(rune('a'+i))
		resp, _, err := f.db.Idempotency().Run(ctx, f.user.ID, key, "h", func(ctx context.Context) idempotency.Response {
			if err := doc(ctx); err == nil {
				t.Fatal("the same document id twice was written")
			}
			if err := next(ctx); err != nil {
				t.Fatalf("a statement after the refused one: %v", err)
			}
			return idempotency.Response{Status: 409, ContentType: "application/problem+json", Body: []byte(`{"code":"x"}`)}
		})
		if err != nil || resp.Status != 409 {
			t.Fatalf("run %d: %+v %v", i, resp, err)
		}
		replay, replayed, err := f.db.Idempotency().Run(ctx, f.user.ID, key, "h", f.replay(t))
		if err != nil || !replayed || replay.Status != 409 {
			t.Fatalf("replay %d: %+v %v %v", i, replay, replayed, err)
		}
	}
}

// TestIdempotentRunWithoutStatements: a handler that answers without
// reaching the database still has its key claimed with the answer (the
// claim goes out with the stored response), and a replay that fails before
// its first statement still gets the stored answer, not its own failure.
func TestIdempotentRunWithoutStatements(t *testing.T) {
	t.Parallel()
	f, ctx := newIdemFixture(t), context.Background()
	answer := func(status int) func(context.Context) idempotency.Response {
		return func(context.Context) idempotency.Response {
			return idempotency.Response{Status: status, ContentType: "application/problem+json", Body: []byte(`{"n":1}`)}
		}
	}
	if resp, replayed, err := f.db.Idempotency().Run(ctx, f.user.ID, "quiet", "h", answer(422)); err != nil || replayed || resp.Status != 422 {
		t.Fatalf("first: %+v %v %v", resp, replayed, err)
	}
	for _, status := range []int{201, 503} {
		resp, replayed, err := f.db.Idempotency().Run(ctx, f.user.ID, "quiet", "h", answer(status))
		if err != nil || !replayed || resp.Status != 422 || string(resp.Body) != `{"n":1}` {
			t.Fatalf("replay answering %d itself: %+v %v %v", status, resp, replayed, err)
		}
	}
	// A server error on a new key stores nothing.
	if _, _, err := f.db.Idempotency().Run(ctx, f.user.ID, "down", "h", answer(503)); err != nil {
		t.Fatal(err)
	}
	if n := f.count(t, `SELECT count(*) FROM idempotency_keys WHERE scope = $1`, f.user.ID); n != 1 {
		t.Fatalf("%d keys stored, want the one answered", n)
	}
}
