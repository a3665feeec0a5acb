package main

import (
	"context"
	"net/http"
	"sync"
	"testing"
)

// idemTrial is one request whose effect the test can count: a fresh object
// per trial, so that trials do not see each other's effects.
type idemTrial struct {
	path, token string
	body        any
	// other is another valid body for the same operation (nil: it takes none).
	other   any
	effects func() int
}

// idemClasses are the kinds of operation that take an Idempotency-Key
// (every POST of the contract may): a graduate creating their own object,
// staff creating one, and an action on an existing object (a state change
// whose second run would answer differently). Each class's prepare returns
// a fresh trial; trial numbers let it vary what must stay unique.
func idemClasses(t *testing.T, in *instance, admin string) map[string]func(trial int) idemTrial {
	count := func(sql string, args ...any) func() int {
		return func() int {
			var n int
			if err := in.DB.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
				t.Fatal(err)
			}
			return n
		}
	}
	if r := in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "甲公司", "creditCode": creditCodeA},
		"Idempotency-Key", newKey()); r.Status != http.StatusCreated {
		t.Fatalf("employer: %d %s", r.Status, r.Body)
	}
	grad := in.signUp(t)
	if r := in.call(t, "PUT", "/v1/me", grad, map[string]any{"name": "李明", "nationalId": testNationalID,
		"employer": map[string]any{"name": "甲公司", "creditCode": creditCodeA}}); r.Status != 200 {
		t.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	var me struct{ User struct{ ID string } }
	in.call(t, "GET", "/v1/me", grad, nil).json(t, &me)
	claims := []map[string]any{
		{"package": "relocation", "declarations": map[string]any{}},
		{"package": "rent", "declarations": map[string]any{"monthlyRent": 150000}},
	}
	return map[string]func(int) idemTrial{
		"graduate creates a document": func(int) idemTrial {
			return idemTrial{"/v1/documents", grad,
				map[string]any{"kind": "diploma", "contentType": "application/pdf", "size": len(minimalPDF), "sha256": sha([]byte(minimalPDF))},
				map[string]any{"kind": "id_card", "contentType": "application/pdf", "size": len(minimalPDF), "sha256": sha([]byte(minimalPDF))},
				count(`SELECT count(*) FROM documents WHERE owner_id = $1`, me.User.ID)}
		},
		"admin creates an employer": func(trial int) idemTrial {
			code := []string{creditCodeB, "91330282MA2AAAAA1C"}[trial]
			return idemTrial{"/v1/admin/employers", admin, map[string]any{"name": "公司" + code, "creditCode": code},
				map[string]any{"name": "另一公司" + code, "creditCode": code},
				count(`SELECT count(*) FROM employers WHERE credit_code = $1`, code)}
		},
		"graduate withdraws a claim": func(trial int) idemTrial {
			r := in.call(t, "POST", "/v1/claims", grad, claims[trial], "Idempotency-Key", newKey())
			if r.Status != http.StatusCreated {
				t.Fatalf("claim: %d %s", r.Status, r.Body)
			}
			var c struct{ ID string }
			r.json(t, &c)
			return idemTrial{"/v1/claims/" + c.ID + "/withdraw", grad, nil, nil,
				count(`SELECT count(*) FROM claim_audit WHERE claim_id = $1 AND to_status = 'withdrawn'`, c.ID)}
		},
	}
}

// TestIdempotencyExactlyOnce, for each class of operation:
//
//   - a failure after the effect and before the response is stored (here the
//     database refuses to store the response) leaves either nothing, or a
//     response that every retry gets: never a second run, even after the
//     window in which an unfinished claim was once taken over;
//   - a replay a day later returns the stored status, body and headers;
//   - the same key with another body or another query string is 422;
//   - six callers with one key at once make one effect and the same answer.
func TestIdempotencyExactlyOnce(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	ctx := context.Background()
	exec := func(sql string) {
		t.Helper()
		if _, err := in.DB.Pool().Exec(ctx, sql); err != nil {
			t.Fatal(err)
		}
	}
	for name, prepare := range idemClasses(t, in, admin) {
		// The classes share one instance: run one after the other.
		t.Run(name, func(t *testing.T) {
			tr := prepare(0)
			base := tr.effects()
			effects := func() int { return tr.effects() - base }
			key := newKey()
			send := func(path string, body any) response {
				return in.call(t, "POST", path, tr.token, body, "Idempotency-Key", key)
			}

			// The response cannot be stored.
			exec(`CREATE OR REPLACE FUNCTION refuse_response() RETURNS trigger LANGUAGE plpgsql AS
				$$ BEGIN RAISE EXCEPTION 'response not stored'; END $$`)
			exec(`CREATE TRIGGER refuse_response BEFORE UPDATE ON idempotency_keys FOR EACH ROW
				WHEN (NEW.status IS NOT NULL) EXECUTE FUNCTION refuse_response()`)
			first := send(tr.path, tr.body)
			exec(`DROP TRIGGER refuse_response ON idempotency_keys`)
			if first.Status < 500 && effects() != 1 || first.Status >= 500 && effects() != 0 {
				t.Fatalf("answered %d with %d effects", first.Status, effects())
			}
			// Long after the window an unfinished claim could go stale in.
			exec(`UPDATE idempotency_keys SET created_at = created_at - interval '1 day'`)
			retry := send(tr.path, tr.body)
			if retry.Status >= 300 || effects() != 1 {
				t.Fatalf("retry: %d %s with %d effects", retry.Status, retry.Body, effects())
			}
			if first.Status < 500 && string(retry.Body) != string(first.Body) {
				t.Fatalf("retry answered %s, first %s", retry.Body, first.Body)
			}

			// A replay a day later: the stored answer, headers included.
			exec(`UPDATE idempotency_keys SET created_at = created_at - interval '1 day', completed_at = completed_at - interval '1 day'`)
			replay := send(tr.path, tr.body)
			if replay.Status != retry.Status || string(replay.Body) != string(retry.Body) ||
				replay.Header.Get("Idempotent-Replayed") != "true" || replay.Header.Get("Location") != retry.Header.Get("Location") ||
				replay.Header.Get("Content-Type") != retry.Header.Get("Content-Type") || effects() != 1 {
				t.Fatalf("replay: %d %v %s, first %d %v %s", replay.Status, replay.Header, replay.Body, retry.Status, retry.Header, retry.Body)
			}

			// The key with another request.
			others := map[string]response{"another query": send(tr.path+"?note=1", tr.body)}
			if tr.other != nil {
				others["another body"] = send(tr.path, tr.other)
			}
			for what, r := range others {
				if p := r.problem(t); r.Status != http.StatusUnprocessableEntity || p.Code != "idempotency_key_reused" {
					t.Fatalf("%s with the same key: %d %s", what, r.Status, r.Body)
				}
			}

			// Concurrent duplicates.
			tr = prepare(1)
			base = tr.effects()
			key = newKey()
			var wg sync.WaitGroup
			results := make([]response, 6)
			for i := range results {
				wg.Go(func() { results[i] = in.call(t, "POST", tr.path, tr.token, tr.body, "Idempotency-Key", key) })
			}
			wg.Wait()
			for _, r := range results {
				if r.Status >= 300 || string(r.Body) != string(results[0].Body) {
					t.Fatalf("concurrent duplicates answered %d %s and %d %s", r.Status, r.Body, results[0].Status, results[0].Body)
				}
			}
			if n := effects(); n != 1 {
				t.Fatalf("%d effects from %d concurrent duplicates", n, len(results))
			}
		})
	}
}
