package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"embed"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	vegeta "github.com/tsenart/vegeta/v12/lib"

	"github.com/anju-city/anju/internal/dataset"
	"github.com/anju-city/anju/internal/firebase"
	"github.com/anju-city/anju/internal/objectstore"
	"github.com/anju-city/anju/internal/talent"
)

// bench carries one run's state from step to step.
type bench struct {
	s   *stack
	cfg config
	r   *report
	log io.Writer
	emu *firebase.Emulator

	users     []account // the mixed scenario's graduates
	reviewers []account
	housing   account
	meMax     float64
}

// account is an emulator account signed in to Anju.
type account struct {
	uid, token, userID, claimID string
}

// workers is how many requests vegeta keeps in flight at the maximum rate,
// for the ceiling and for Anju alike.
const workers = 64

// rateWorkers bounds the requests in flight at a fixed rate.
const rateWorkers = 512

func newKey() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}

// nationalID is a valid, distinct national ID number for person n: the
// region of 慈溪's neighbour, a birth date in 1995–2002 and a sequence.
func nationalID(n int) string {
	birth := time.Date(1995, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, n%2900)
	body := fmt.Sprintf("330203%s%03d", birth.Format("20060102"), (n/2900)%1000)
	return body + string(talent.NationalIDCheck(body))
}

func profile(n int) map[string]any {
	return map[string]any{
		"name": fmt.Sprintf("测试毕业生%d", n), "locale": "zh-CN", "nationalId": nationalID(n), "hukouPlace": "江西省南昌市",
		"education": []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
	}
}

// call is one set-up request; it fails on any status but want.
func (b *bench) call(ctx context.Context, method, path, token string, body any, want int, out any, headers ...string) error {
	var rd io.Reader
	if body != nil {
		raw, err := json.Marshal(body)
		if err != nil {
			return err
		}
		rd = bytes.NewReader(raw)
	}
	req, err := http.NewRequestWithContext(ctx, method, b.s.apiURL+path, rd)
	if err != nil {
		return err
	}
	req.Header.Set("Authorization", "Bearer "+token)
	req.Header.Set("Content-Type", "application/json")
	for i := 0; i+1 < len(headers); i += 2 {
		req.Header.Set(headers[i], headers[i+1])
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return err
	}
	defer res.Body.Close()
	raw, _ := io.ReadAll(res.Body)
	if res.StatusCode != want {
		return fmt.Errorf("%s %s: %d %s", method, path, res.StatusCode, raw)
	}
	if out != nil {
		return json.Unmarshal(raw, out)
	}
	return nil
}

// parallel runs fn(i) for i in [0, n) on at most width goroutines and
// returns the first error.
func parallel(n, width int, fn func(i int) error) error {
	var (
		next  atomic.Int64
		first error
		once  sync.Once
		wg    sync.WaitGroup
	)
	for range min(width, max(n, 1)) {
		wg.Go(func() {
			for {
				i := int(next.Add(1) - 1)
				if i >= n {
					return
				}
				if err := fn(i); err != nil {
					once.Do(func() { first = err })
					return
				}
			}
		})
	}
	wg.Wait()
	return first
}

// signIn creates emulator accounts with fixed uids (in batches, as the
// Admin SDK's importUsers does) and makes their tokens.
func (b *bench) signIn(ctx context.Context, uids []string) ([]account, error) {
	for i := 0; i < len(uids); i += 1000 {
		if err := b.emu.ImportUsers(ctx, uids[i:min(i+1000, len(uids))]); err != nil {
			return nil, err
		}
	}
	out := make([]account, len(uids))
	for i, uid := range uids {
		out[i] = account{uid: uid, token: b.emu.UnsignedToken(b.emu.Claims(uid))}
	}
	return out, nil
}

// staff makes an account with a staff role before it first signs in, the
// way `anju admin grant` would.
func (b *bench) staff(ctx context.Context, uid string, role talent.Role) (account, error) {
	accts, err := b.signIn(ctx, []string{uid})
	if err != nil {
		return account{}, err
	}
	a := accts[0]
	a.userID = talent.NewID()
	_, err = b.s.pool.Exec(ctx, `
		WITH u AS (INSERT INTO users (id, firebase_uid) VALUES ($1, $2) RETURNING id)
		INSERT INTO role_grants (user_id, role) SELECT id, r FROM u, unnest(ARRAY['graduate', $3]) AS r`, a.userID, uid, string(role))
	return a, err
}

// accounts signs in the mixed scenario's graduates, gives each a profile
// (sealed national ID and all), a claim under review and a few inbox
// entries, and makes the reviewers.
func (b *bench) accounts(ctx context.Context) error {
	b.emu = &firebase.Emulator{Host: b.cfg.emulatorHost, ProjectID: b.cfg.projectID}
	if err := b.emu.Ping(ctx); err != nil {
		return err
	}
	uids := make([]string, b.cfg.accounts)
	for i := range uids {
		uids[i] = fmt.Sprintf("bench-user-%d", i)
	}
	var err error
	if b.users, err = b.signIn(ctx, uids); err != nil {
		return err
	}
	for i := range 4 {
		a, err := b.staff(ctx, fmt.Sprintf("bench-reviewer-%d", i), talent.RoleReviewer)
		if err != nil {
			return err
		}
		b.reviewers = append(b.reviewers, a)
	}
	if b.housing, err = b.staff(ctx, "bench-housing", talent.RoleHousing); err != nil {
		return err
	}
	start := time.Now()
	err = parallel(len(b.users), 16, func(i int) error {
		var me struct {
			User struct{ ID string } `json:"user"`
		}
		if err := b.call(ctx, "PUT", "/v1/me", b.users[i].token, profile(i), 200, &me); err != nil {
			return err
		}
		b.users[i].userID = me.User.ID
		return nil
	})
	if err != nil {
		return err
	}
	// A claim under review and five notifications each, written directly:
	// the scenarios read them, and making them through the API would take
	// a whole claim's life per user.
	for i := range b.users {
		b.users[i].claimID = talent.NewID()
	}
	ids, owners := make([]string, len(b.users)), make([]string, len(b.users))
	for i, u := range b.users {
		ids[i], owners[i] = u.claimID, u.userID
	}
	if _, err := b.s.pool.Exec(ctx, `
		INSERT INTO claims (id, user_id, package, person_index, policy_version, status, stage, due_at, submitted_at, created_at, updated_at)
		SELECT c.id, c.owner, 'rent', 'bench-' || c.id, 1, 'under_review', 'review', now() + interval '5 days', now(), now(), now()
		FROM unnest($1::uuid[], $2::uuid[]) AS c (id, owner)`, ids, owners); err != nil {
		return err
	}
	if _, err := b.s.pool.Exec(ctx, `
		INSERT INTO notifications (id, user_id, event_id, template, title, body, created_at)
		SELECT gen_random_uuid(), o, 'bench-' || o || '-' || n, 'bench', '材料已受理', '您提交的材料已通过检查。', now() - make_interval(mins => n)
		FROM unnest($1::uuid[]) AS o, generate_series(1, 5) AS n`, owners); err != nil {
		return err
	}
	b.r.Accounts = AccountsResult{Graduates: len(b.users), Staff: len(b.reviewers) + 1, SetupSeconds: time.Since(start).Seconds()}
	return nil
}

// target makes vegeta targets from a function of the request number.
func target(fn func(n uint64, t *vegeta.Target)) vegeta.Targeter {
	var n atomic.Uint64
	return func(t *vegeta.Target) error {
		*t = vegeta.Target{Header: http.Header{}}
		fn(n.Add(1)-1, t)
		return nil
	}
}

func (b *bench) get(t *vegeta.Target, path, token string) {
	t.Method, t.URL = "GET", b.s.apiURL+path
	t.Header.Set("Authorization", "Bearer "+token)
}

func (b *bench) send(t *vegeta.Target, method, path, token string, body any) {
	raw, _ := json.Marshal(body)
	t.Method, t.URL, t.Body = method, b.s.apiURL+path, raw
	t.Header.Set("Authorization", "Bearer "+token)
	t.Header.Set("Content-Type", "application/json")
}

// perSecond is a rate; zero means as fast as the workers go.
func perSecond(r float64) vegeta.Rate { return vegeta.Rate{Freq: int(r), Per: time.Second} }

// attack runs one phase at a rate (zero: as fast as the workers go) for d.
// ok tells which statuses are the expected answers.
func attack(name string, tr vegeta.Targeter, pacer vegeta.Rate, d time.Duration, ok func(code uint16) bool) ([]*vegeta.Result, Phase) {
	// At a fixed rate vegeta adds workers while answers are slow, up to
	// rateWorkers with a connection each; past that the rate is not kept
	// (the phase's throughput shows it) rather than requests queueing in
	// the harness and counting as the server's latency.
	// Only an error's body is kept (for its first lines), so the results
	// held for the quantiles stay small and the harness's own garbage
	// collection stays out of the latencies it measures.
	opts := []func(*vegeta.Attacker){vegeta.Timeout(30 * time.Second), vegeta.KeepAlive(true), vegeta.Workers(workers), vegeta.MaxBody(512)}
	if pacer.Freq <= 0 {
		opts = append(opts, vegeta.MaxWorkers(workers), vegeta.MaxConnections(workers))
		pacer = vegeta.Rate{}
	} else {
		opts = append(opts, vegeta.MaxWorkers(rateWorkers), vegeta.MaxConnections(rateWorkers))
	}
	a := vegeta.NewAttacker(opts...)
	var results []*vegeta.Result
	for res := range a.Attack(tr, pacer, d, name) {
		res.Headers = nil
		if res.Error == "" && ok(res.Code) {
			res.Body = nil
		}
		results = append(results, res)
	}
	return results, summarize(name, results, ok)
}

func is(codes ...uint16) func(uint16) bool {
	return func(c uint16) bool {
		for _, x := range codes {
			if c == x {
				return true
			}
		}
		return false
	}
}

// ceilings measures the bare Fiber handler, the same handler sending
// pgbench's INSERT, and pgbench.
func (b *bench) ceilings(ctx context.Context) error {
	port, err := freePort()
	if err != nil {
		return err
	}
	addr := fmt.Sprintf("127.0.0.1:%d", port)
	exe, err := os.Executable()
	if err != nil {
		return err
	}
	bare := exec.Command(exe)
	bare.Env = append(os.Environ(), "ANJU_BENCH_BARE="+addr, "ANJU_BENCH_BARE_DB="+b.s.env["ANJU_DATABASE_URL"])
	bare.Stdout, bare.Stderr = io.Discard, os.Stderr
	if err := bare.Start(); err != nil {
		return err
	}
	defer func() { _ = bare.Process.Kill(); _ = bare.Wait() }()
	if err := waitHTTP(ctx, "http://"+addr+"/v1/me"); err != nil {
		return err
	}
	tr := target(func(_ uint64, t *vegeta.Target) {
		t.Method, t.URL = "GET", "http://"+addr+"/v1/me"
		t.Header.Set("Authorization", "Bearer "+b.users[0].token)
	})
	_, b.r.Ceilings.Bare = attack("bare fiber", tr, vegeta.Rate{}, b.cfg.phase, is(200))

	setup, err := pgbenchScripts.ReadFile("pgbench/setup.sql")
	if err != nil {
		return err
	}
	if _, err := b.s.pool.Exec(ctx, string(setup)); err != nil {
		return err
	}
	var owners int
	if err := b.s.pool.QueryRow(ctx, `SELECT count(*) FROM bench_owners`).Scan(&owners); err != nil {
		return err
	}
	tr = target(func(_ uint64, t *vegeta.Target) { t.Method, t.URL = "POST", "http://"+addr+"/v1/documents" })
	_, b.r.Ceilings.BareInsert = attack("bare fiber + INSERT", tr, vegeta.Rate{}, b.cfg.phase, is(201))
	if b.r.Ceilings.PgbenchInsertTPS, err = b.pgbench(ctx, "insert.sql", owners); err != nil {
		return err
	}
	if b.r.Ceilings.PgbenchKeyedDocumentTPS, err = b.pgbench(ctx, "keyed-2-round-trips.sql", owners); err != nil {
		return err
	}
	// Its rows would only weigh on the phases after it.
	_, err = b.s.pool.Exec(ctx, `DELETE FROM documents WHERE object_key LIKE 'bench-ceiling/%';
		DELETE FROM idempotency_keys WHERE key LIKE 'bench-ceiling-%'; DROP TABLE bench_owners`)
	return err
}

// pgbenchScripts are the database's ceilings: the single-row
// INSERT, and what one keyed POST /v1/documents sends (with the shapes
// compared in docs/performance.md).
//
//go:embed pgbench/*.sql
var pgbenchScripts embed.FS

// pgbench runs one of pgbenchScripts (8 clients) on the API's database for
// one phase and returns its transactions per second.
func (b *bench) pgbench(ctx context.Context, name string, owners int) (float64, error) {
	script, err := pgbenchScripts.ReadFile("pgbench/" + name)
	if err != nil {
		return 0, err
	}
	path := filepath.Join(b.s.dir, name)
	if err := os.WriteFile(path, script, 0o644); err != nil {
		return 0, err
	}
	secs := max(int(b.cfg.phase.Seconds()), 1)
	cmd := exec.CommandContext(ctx, b.cfg.pgbench, "-n", "-M", "prepared", "-c", "8", "-j", "2", "-T", strconv.Itoa(secs),
		"-D", "owners="+strconv.Itoa(max(owners, 1)), "-f", path, b.s.dbURL)
	out, err := cmd.CombinedOutput()
	if err != nil {
		return 0, fmt.Errorf("pgbench %s: %v\n%s", name, err, out)
	}
	m := regexp.MustCompile(`tps = ([0-9.]+) \(without initial connection time\)`).FindSubmatch(out)
	if m == nil {
		return 0, fmt.Errorf("pgbench %s: no tps in\n%s", name, out)
	}
	return strconv.ParseFloat(string(m[1]), 64)
}

// profiled runs fn, with a CPU profile of the API when -profile is set.
func (b *bench) profiled(ctx context.Context, name string, fn func()) error {
	if !b.cfg.profile {
		fn()
		return nil
	}
	if err := os.MkdirAll(b.cfg.out, 0o755); err != nil {
		return err
	}
	debug, d := b.s.apiDebug, b.cfg.phase-time.Second
	switch name {
	case "worker":
		debug, d = b.s.workerDebug, 5*time.Second
	case "round":
		d = b.cfg.surgeWindow - time.Second
	}
	return b.s.profile(ctx, debug, filepath.Join(b.cfg.out, name+".cpu.pprof"), d, fn)
}

// measureMax measures one route as fast as it goes ("METHOD route max"),
// under the API's CPU profile named profile when -profile is set.
func (b *bench) measureMax(ctx context.Context, profile, method, route string, tr vegeta.Targeter, ok func(uint16) bool) (Phase, error) {
	var p Phase
	var err error
	if perr := b.profiled(ctx, profile, func() {
		p, err = b.measure(ctx, method, route, method+" "+route+" max", tr, vegeta.Rate{}, ok)
	}); perr != nil || err != nil {
		return p, errors.Join(perr, err)
	}
	return p, nil
}

// me measures signed-in GET /v1/me as fast as it goes, then at 70% of that.
func (b *bench) me(ctx context.Context) error {
	tr := target(func(n uint64, t *vegeta.Target) { b.get(t, "/v1/me", b.users[n%uint64(len(b.users))].token) })
	maxPhase, err := b.measureMax(ctx, "me", "GET", "/v1/me", tr, is(200))
	if err != nil {
		return err
	}
	b.meMax = maxPhase.Throughput
	at70, err := b.measure(ctx, "GET", "/v1/me", "GET /v1/me at 70%", tr, perSecond(0.7*b.meMax), is(200))
	if err != nil {
		return err
	}
	b.r.Me = MeResult{Max: maxPhase, At70: at70, RatioToBare: ratio(maxPhase.Throughput, b.r.Ceilings.Bare.Throughput)}
	return nil
}

func (b *bench) documentBody(n uint64) map[string]any {
	sum := sha256.Sum256([]byte(strconv.FormatUint(n, 10)))
	return map[string]any{"kind": "diploma", "contentType": "application/pdf", "size": 1000 + n%5000, "sha256": hex.EncodeToString(sum[:])}
}

// createDocuments measures POST /v1/documents (declare an upload: one row
// and a presigned policy) as fast as it goes.
func (b *bench) createDocuments(ctx context.Context) error {
	tr := target(func(n uint64, t *vegeta.Target) {
		b.send(t, "POST", "/v1/documents", b.users[n%uint64(len(b.users))].token, b.documentBody(n))
		t.Header.Set("Idempotency-Key", newKey())
	})
	p, err := b.measureMax(ctx, "documents", "POST", "/v1/documents", tr, is(201))
	if err != nil {
		return err
	}
	b.r.Documents = DocumentsResult{Max: p, RatioToPgbench: ratio(p.Throughput, b.r.Ceilings.PgbenchInsertTPS),
		RatioToKeyedDocument: ratio(p.Throughput, b.r.Ceilings.PgbenchKeyedDocumentTPS),
		RatioToBareInsert:    ratio(p.Throughput, b.r.Ceilings.BareInsert.Throughput)}
	return nil
}

// mixed is the mix: first as fast as it goes, then at 70% of that
// for twice as long, reported in total and by operation.
func (b *bench) mixed(context.Context) error {
	users := uint64(len(b.users))
	tr := target(func(n uint64, t *vegeta.Target) {
		u := b.users[(n*7919)%users]
		switch k := n % 20; {
		case k < 5: // 25% profile
			b.get(t, "/v1/me", u.token)
		case k < 10: // 25% one claim
			b.get(t, "/v1/claims/"+u.claimID, u.token)
		case k < 14: // 20% inbox
			b.get(t, "/v1/me/notifications", u.token)
		case k < 16: // 10% declare a document
			b.send(t, "POST", "/v1/documents", u.token, b.documentBody(n))
			t.Header.Set("Idempotency-Key", newKey())
		case k < 18: // 10% save the profile
			b.send(t, "PUT", "/v1/me", u.token, profile(int((n*7919)%users)))
		default: // 10% staff queue
			b.get(t, "/v1/review/queue?status=under_review", b.reviewers[n%uint64(len(b.reviewers))].token)
		}
	})
	_, top := attack("mixed max", tr, vegeta.Rate{}, b.cfg.phase, is(200, 201))
	rate := max(0.7*top.Throughput, 10)
	results, total := attack("mixed at 70%", tr, perSecond(rate), 2*b.cfg.phase, is(200, 201))
	byOp := map[string][]*vegeta.Result{}
	for _, r := range results {
		byOp[operation(r.Method, r.URL)] = append(byOp[operation(r.Method, r.URL)], r)
	}
	m := MixedResult{Max: top, Rate: rate, Total: total}
	for _, op := range sortedKeys(byOp) {
		m.Operations = append(m.Operations, summarize(op, byOp[op], is(200, 201)))
	}
	b.r.Mixed = m
	return nil
}

var ids = regexp.MustCompile(`[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}`)

// operation names a request by its route: ids become {id}, the query goes.
func operation(method, u string) string {
	path := u
	if i := strings.Index(path, "/v1/"); i >= 0 {
		path = path[i:]
	}
	path, _, _ = strings.Cut(path, "?")
	return method + " " + ids.ReplaceAllString(path, "{id}")
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// roundSurge opens a round and sends applications from distinct graduates
// at an even rate over the window.
func (b *bench) roundSurge(ctx context.Context) error {
	var prop struct{ ID string }
	if err := b.call(ctx, "POST", "/v1/housing/properties", b.housing.token,
		map[string]any{"name": "人才公寓（压测）", "district": "慈溪市", "address": "新城大道 1 号"}, 201, &prop, "Idempotency-Key", newKey()); err != nil {
		return err
	}
	var units []string
	for i := range 20 {
		var unit struct{ ID string }
		if err := b.call(ctx, "POST", "/v1/housing/properties/"+prop.ID+"/units", b.housing.token,
			map[string]any{"number": strconv.Itoa(101 + i), "layout": "studio", "area": "40", "floor": 1, "marketRent": 200000},
			201, &unit, "Idempotency-Key", newKey()); err != nil {
			return err
		}
		units = append(units, unit.ID)
	}
	now := time.Now().UTC()
	var round struct{ ID string }
	if err := b.call(ctx, "POST", "/v1/housing/rounds", b.housing.token,
		map[string]any{"name": "压测批次", "opensAt": now.Add(-time.Minute), "closesAt": now.Add(24 * time.Hour), "unitIds": units},
		201, &round, "Idempotency-Key", newKey()); err != nil {
		return err
	}

	uids := make([]string, b.cfg.applicants)
	for i := range uids {
		uids[i] = fmt.Sprintf("bench-applicant-%d", i)
	}
	start := time.Now()
	applicants, err := b.signIn(ctx, uids)
	if err != nil {
		return err
	}
	// Profiles before the round opens, as graduates fill theirs in ahead.
	if err := parallel(len(applicants), 16, func(i int) error {
		return b.call(ctx, "PUT", "/v1/me", applicants[i].token, profile(100_000+i), 200, nil)
	}); err != nil {
		return err
	}
	setup := time.Since(start)

	tr := target(func(n uint64, t *vegeta.Target) {
		a := applicants[n%uint64(len(applicants))]
		b.send(t, "POST", "/v1/housing/rounds/"+round.ID+"/applications", a.token,
			map[string]any{"preferences": []map[string]any{{"layout": "studio"}}, "householdSize": 1, "ownsHomeInCity": false, "publicRentalHousing": false})
		t.Header.Set("Idempotency-Key", newKey())
	})
	// Exactly len(applicants) requests, evenly over the window.
	rate := vegeta.Rate{Freq: len(applicants), Per: b.cfg.surgeWindow}
	rss := b.s.sample()
	var p Phase
	if err := b.profiled(ctx, "round", func() { _, p = attack("round-opening surge", tr, rate, b.cfg.surgeWindow, is(201)) }); err != nil {
		return err
	}
	api, worker := rss.end()
	var stored int
	if err := b.s.pool.QueryRow(ctx, `SELECT count(*) FROM applications WHERE round_id = $1`, round.ID).Scan(&stored); err != nil {
		return err
	}
	b.r.RoundSurge = SurgeResult{Applications: p, Stored: stored, SetupSeconds: setup.Seconds(), APIRSSMiB: api, WorkerRSSMiB: worker}
	return nil
}

// documentSurge declares and uploads documents, then completes them all at
// once and times each from its complete call to the worker's acceptance.
func (b *bench) documentSurge(ctx context.Context) error {
	pdf := []byte("%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n")
	sum := sha256.Sum256(pdf)
	n := b.cfg.documents
	docs := make([]struct {
		id, token string
		completed time.Time
	}, n)
	if err := parallel(n, 16, func(i int) error {
		u := b.users[i%len(b.users)]
		var up struct {
			Document struct{ ID string } `json:"document"`
			Upload   struct {
				URL    string            `json:"url"`
				Fields map[string]string `json:"fields"`
			} `json:"upload"`
		}
		if err := b.call(ctx, "POST", "/v1/documents", u.token,
			map[string]any{"kind": "diploma", "contentType": "application/pdf", "size": len(pdf), "sha256": hex.EncodeToString(sum[:])},
			201, &up, "Idempotency-Key", newKey()); err != nil {
			return err
		}
		res, err := objectstore.Upload(ctx, httpClient, talent.UploadForm{URL: up.Upload.URL, Fields: up.Upload.Fields}, "application/pdf", pdf)
		if err != nil {
			return err
		}
		_, _ = io.Copy(io.Discard, res.Body)
		res.Body.Close()
		if res.StatusCode != http.StatusNoContent {
			return fmt.Errorf("upload to MinIO: %d", res.StatusCode)
		}
		docs[i].id, docs[i].token = up.Document.ID, u.token
		return nil
	}); err != nil {
		return err
	}

	rss := b.s.sample()
	var completeErrors atomic.Int64
	surgeStart := time.Now()
	complete := func() {
		_ = parallel(n, n, func(i int) error {
			docs[i].completed = time.Now()
			if err := b.call(ctx, "POST", "/v1/documents/"+docs[i].id+"/complete", docs[i].token, nil, 202, nil); err != nil {
				completeErrors.Add(1)
			}
			return nil
		})
	}
	// With -profile, the worker's CPU profile covers the first seconds
	// after the completes, while it inspects.
	if err := b.profiled(ctx, "worker", func() { complete(); time.Sleep(5 * time.Second) }); err != nil {
		return err
	}
	idList := make([]string, n)
	for i, d := range docs {
		idList[i] = d.id
	}
	done := map[string]time.Time{}
	status := map[string]string{}
	deadline := time.Now().Add(5 * time.Minute)
	for len(done) < n && time.Now().Before(deadline) {
		rows, err := b.s.pool.Query(ctx, `SELECT id::text, status, inspected_at FROM documents
			WHERE id = ANY($1::uuid[]) AND status IN ('accepted', 'rejected')`, idList)
		if err != nil {
			return err
		}
		for rows.Next() {
			var id, st string
			var at *time.Time
			if err := rows.Scan(&id, &st, &at); err != nil {
				rows.Close()
				return err
			}
			if at != nil {
				done[id], status[id] = *at, st
			}
		}
		rows.Close()
		time.Sleep(50 * time.Millisecond)
	}
	api, worker := rss.end()
	var lat []time.Duration
	accepted := 0
	for _, d := range docs {
		if at, ok := done[d.id]; ok {
			lat = append(lat, at.Sub(d.completed))
			if status[d.id] == "accepted" {
				accepted++
			}
		}
	}
	b.r.DocumentSurge = DocumentSurgeResult{
		Documents: n, Accepted: accepted, CompleteErrors: int(completeErrors.Load()),
		CompleteToAccepted: quantiles(lat), AllDoneSeconds: time.Since(surgeStart).Seconds(),
		APIRSSMiB: api, WorkerRSSMiB: worker,
	}
	return nil
}

// growth grows the generated dataset and measures the review queue and a
// graduate's claim list at each size.
func (b *bench) growth(ctx context.Context) error {
	const readers = 200
	uids := make([]string, readers)
	for i := range uids {
		uids[i] = fmt.Sprintf("dataset-%d", i)
	}
	accts, err := b.signIn(ctx, uids)
	if err != nil {
		return err
	}
	rate := 100.0
	if b.cfg.smoke {
		rate = 20
	}
	for _, size := range b.cfg.growth {
		start := time.Now()
		if _, err := dataset.Generate(ctx, b.s.pool, dataset.Size{Users: 10_000, Claims: size}); err != nil {
			return err
		}
		gen := time.Since(start)
		var claims int
		if err := b.s.pool.QueryRow(ctx, `SELECT count(*) FROM claims`).Scan(&claims); err != nil {
			return err
		}
		queue := target(func(n uint64, t *vegeta.Target) {
			b.get(t, "/v1/review/queue?status=under_review", accts[0].token)
		})
		list := target(func(n uint64, t *vegeta.Target) {
			b.get(t, "/v1/claims", accts[1+n%uint64(readers-1)].token)
		})
		_, q := attack(fmt.Sprintf("review queue at %d claims", claims), queue, perSecond(rate), b.cfg.phase, is(200))
		_, l := attack(fmt.Sprintf("claim list at %d claims", claims), list, perSecond(rate), b.cfg.phase, is(200))
		b.r.Growth = append(b.r.Growth, GrowthResult{Claims: claims, GenerateSeconds: gen.Seconds(), ReviewQueue: q, ClaimList: l})
	}
	return nil
}
