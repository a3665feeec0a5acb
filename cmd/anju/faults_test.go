package main

// The fault suite: the real binary (one `anju api`, two `anju worker`)
// against private instances of the services each scenario breaks — its own
// redis-server, its own PostgreSQL cluster, its own MinIO — driven by a
// surge of graduates uploading documents and submitting claims as phones
// would (retrying a failed request with the same Idempotency-Key). Each
// scenario ends with the counts that prove nothing was lost or done twice
// and the time it took to recover; they are logged (go test -v) and
// asserted.

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"log/slog"
	"net"
	"net/http"
	"net/http/httputil"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/firebase"
	"github.com/anju-city/anju/internal/firebase/fcmfake"
	"github.com/anju-city/anju/internal/objectstore"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/anju-city/anju/workers"
	"github.com/hibiken/asynq"
)

// faultDuration reads a scenario's outage length from the environment
// (ANJU_FAULT_REDIS_DOWN=60s …), so that a quick local run can shorten it.
func faultDuration(t *testing.T, name string, def time.Duration) time.Duration {
	t.Helper()
	v := os.Getenv(name)
	if v == "" {
		return def
	}
	d, err := time.ParseDuration(v)
	if err != nil {
		t.Fatalf("%s=%q: %v", name, v, err)
	}
	return d
}

// builtAnju is the binary every fault scenario runs, built once.
var builtAnju struct {
	once sync.Once
	path string
	err  error
}

// TestMain removes the fault suite's binary once every test has run.
func TestMain(m *testing.M) {
	code := m.Run()
	if builtAnju.path != "" {
		_ = os.RemoveAll(filepath.Dir(builtAnju.path))
	}
	os.Exit(code)
}

func faultBinary(t *testing.T) string {
	t.Helper()
	builtAnju.once.Do(func() {
		dir, err := os.MkdirTemp("", "anju-faults-")
		if err != nil {
			builtAnju.err = err
			return
		}
		builtAnju.path = filepath.Join(dir, "anju")
		out, err := exec.Command("go", "build", "-o", builtAnju.path, ".").CombinedOutput()
		if err != nil {
			builtAnju.err = fmt.Errorf("go build: %v\n%s", err, out)
		}
	})
	if builtAnju.err != nil {
		t.Fatal(builtAnju.err)
	}
	return builtAnju.path
}

// rig is one scenario's system: services, processes and the test's own
// connection to its database.
type rig struct {
	t       *testing.T
	bin     string
	env     map[string]string
	db      *postgres.DB
	redis   *testenv.Redis
	pg      *testenv.Postgres    // private cluster, when the scenario restarts it
	minio   *testenv.MinIOServer // private server, when the scenario kills it
	fcm     *fcmfake.Server
	emu     *firebase.Emulator
	api     *process
	workers []*process
	// killsWorkers: a worker has been SIGKILLed, so a push may have been
	// sent and not recorded (report counts such repeats as replaced).
	killsWorkers bool
	// workerEnv overrides env for the workers.
	workerEnv map[string]string
	started   int // workers started, for their names
}

type rigOptions struct {
	privatePostgres, privateMinIO bool
}

func newRig(t *testing.T, o rigOptions) *rig {
	t.Helper()
	r := &rig{t: t, bin: faultBinary(t), redis: testenv.NewRedis(t), fcm: fcmfake.New()}
	t.Cleanup(func() { _ = r.fcm.Close() })
	host := testenv.AuthEmulatorHost(t)
	r.emu = &firebase.Emulator{Host: host, ProjectID: testenv.ProjectID}
	var dbURL string
	if o.privatePostgres {
		r.pg = testenv.NewPostgres(t)
		dbURL = r.pg.Database("anju")
	} else {
		dbURL = testenv.Database(t)
	}
	var m testenv.MinIO
	if o.privateMinIO {
		r.minio = testenv.NewMinIOServer(t)
		m = r.minio.MinIO
	} else {
		m = testenv.NewMinIO(t)
	}
	r.env = map[string]string{
		"ANJU_ENV": "development", "ANJU_HTTP_ADDR": "127.0.0.1:0", "ANJU_WORKER_ADDR": "127.0.0.1:0", "ANJU_PPROF": "false", "ANJU_DATABASE_URL": dbURL,
		"ANJU_MIGRATE_ON_START": "false", "ANJU_REDIS_ADDR": r.redis.Addr,
		"ANJU_MINIO_ENDPOINT": m.Endpoint, "ANJU_MINIO_ACCESS_KEY": m.AccessKey, "ANJU_MINIO_SECRET_KEY": m.SecretKey,
		"ANJU_MINIO_BUCKET": m.Bucket, "FIREBASE_AUTH_EMULATOR_HOST": host, "ANJU_FIREBASE_PROJECT_ID": testenv.ProjectID,
		"ANJU_FCM_ENDPOINT": r.fcm.URL, "ANJU_TASK_RETRY_BASE": "100ms", "ANJU_SHUTDOWN_TIMEOUT": "10s",
		"ANJU_LOG_LEVEL": "info", "ANJU_RATE_LIMIT_PER_IP": "100000", "ANJU_RATE_LIMIT_PER_USER": "100000",
		// The reconciler looks every second and calls work stuck after 5s,
		// so that a scenario recovers in seconds rather than in the
		// production interval of ten minutes.
		"ANJU_RECONCILE_EVERY": "1s", "ANJU_RECONCILE_AFTER": "5s",
	}
	migrate := exec.Command(r.bin, "migrate", "up")
	migrate.Env = processEnv(r.env)
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("anju migrate up: %v\n%s", err, out)
	}
	var err error
	if r.db, err = postgres.Open(context.Background(), dbURL); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(r.db.Close)
	return r
}

// startAPI starts `anju api`.
func (r *rig) startAPI() {
	r.t.Helper()
	if r.api = startProcess(r.t, r.bin, "api", "api", r.env); r.api == nil {
		r.t.FailNow()
	}
}

// startWorker starts one more `anju worker`.
func (r *rig) startWorker() *process {
	r.t.Helper()
	r.started++
	env := r.env
	if len(r.workerEnv) > 0 {
		env = map[string]string{}
		for k, v := range r.env {
			env[k] = v
		}
		for k, v := range r.workerEnv {
			env[k] = v
		}
	}
	p := startProcess(r.t, r.bin, fmt.Sprintf("worker-%d", r.started), "worker", env)
	if p == nil {
		r.t.FailNow()
	}
	r.workers = append(r.workers, p)
	return p
}

// slowStorage puts a proxy that answers every request to MinIO 150ms late
// between the workers and MinIO, so that inspections take a while and a
// worker killed during the surge is always in the middle of some.
func (r *rig) slowStorage() {
	r.t.Helper()
	target, _ := url.Parse("http://" + r.env["ANJU_MINIO_ENDPOINT"])
	proxy := httputil.NewSingleHostReverseProxy(target)
	proxy.ErrorLog = log.New(io.Discard, "", 0) // a killed worker's requests end midway
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		r.t.Fatal(err)
	}
	srv := &http.Server{Handler: http.HandlerFunc(func(w http.ResponseWriter, req *http.Request) {
		time.Sleep(150 * time.Millisecond)
		proxy.ServeHTTP(w, req)
	}), ReadHeaderTimeout: 5 * time.Second}
	go func() { _ = srv.Serve(ln) }()
	r.t.Cleanup(func() { _ = srv.Close() })
	r.workerEnv = map[string]string{"ANJU_MINIO_ENDPOINT": ln.Addr().String()}
}

// kill SIGKILLs a worker mid-work and forgets it.
func (r *rig) kill(p *process) {
	r.t.Helper()
	for _, w := range r.workers {
		r.killsWorkers = r.killsWorkers || w == p
	}
	p.stopOnce.Do(func() {
		_ = p.cmd.Process.Kill()
		<-p.done
	})
	for i, w := range r.workers {
		if w == p {
			r.workers = append(r.workers[:i], r.workers[i+1:]...)
			break
		}
	}
}

// expectReady checks that the API stays ready while dependency is down:
// readiness depends on PostgreSQL alone.
func (r *rig) expectReady(dependency string) {
	r.t.Helper()
	res, err := http.Get(r.api.url + "/readyz")
	if err != nil {
		r.t.Errorf("readyz with %s down: %v", dependency, err)
		return
	}
	body, _ := io.ReadAll(res.Body)
	_ = res.Body.Close()
	if res.StatusCode != http.StatusOK {
		r.t.Errorf("readyz with %s down: %d %s; want 200", dependency, res.StatusCode, body)
	}
}

// redriven adds up what the live workers' reconcilers re-drove.
func (r *rig) redriven() float64 {
	var n float64
	for _, w := range r.workers {
		n += metricSum(r.t, "http://"+w.addr+"/metrics", "anju_reconciler_redriven_total")
	}
	return n
}

// phone is a graduate's client: every request is retried on a network
// error, a 5xx or a 429, with the same Idempotency-Key, until it gets an
// answer or two minutes pass.
type phone struct {
	r      *rig
	token  string
	device string
	userID string
	docs   []string
	claim  string
}

var errGaveUp = errors.New("no answer within two minutes")

func (p *phone) do(method, path string, body any, headers ...string) (response, error) {
	deadline := time.Now().Add(2 * time.Minute)
	for {
		req := testenv.Request(p.r.t, method, p.r.api.url+path, p.token, body, headers...)
		res, err := http.DefaultClient.Do(req)
		if err == nil {
			raw, _ := io.ReadAll(res.Body)
			_ = res.Body.Close()
			if res.StatusCode < 500 && res.StatusCode != http.StatusTooManyRequests {
				return response{Status: res.StatusCode, Header: res.Header, Body: raw}, nil
			}
		}
		if time.Now().After(deadline) {
			return response{}, fmt.Errorf("%s %s: %w (last: %v)", method, path, errGaveUp, err)
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (p *phone) expect(status int, method, path string, body any, headers ...string) (response, error) {
	res, err := p.do(method, path, body, headers...)
	if err == nil && res.Status != status {
		err = fmt.Errorf("%s %s: %d %s", method, path, res.Status, res.Body)
	}
	return res, err
}

// newPhone signs a graduate up and registers a device; with a claim, the
// profile has an identity and the seven accepted documents the relocation
// allowance needs (stored directly: the surge's own documents go through
// the workers).
func (r *rig) newPhone(n int, withClaim bool) (*phone, error) {
	p := &phone{r: r, device: "fcm-" + newKey()}
	var err error
	for try := 0; ; try++ {
		if _, p.token, err = r.emu.SignInWithPhone(context.Background(), randomPhone()); err == nil || try == 20 {
			break
		}
		time.Sleep(200 * time.Millisecond)
	}
	if err != nil {
		return nil, err
	}
	profile := map[string]any{"name": fmt.Sprintf("毕业生%d", n), "locale": "zh-CN"}
	if withClaim {
		profile["nationalId"] = testenv.NationalID(n)
		profile["hukouPlace"] = "江西省南昌市"
		profile["education"] = []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}}
		profile["employer"] = map[string]any{"name": "慈溪智造", "creditCode": creditCodeA, "since": "2025-07-15"}
	}
	res, err := p.expect(http.StatusOK, "PUT", "/v1/me", profile)
	if err != nil {
		return nil, err
	}
	var me struct{ User struct{ ID string } }
	if err := json.Unmarshal(res.Body, &me); err != nil {
		return nil, err
	}
	p.userID = me.User.ID
	if _, err := p.expect(http.StatusNoContent, "PUT", "/v1/me/devices/"+p.device, map[string]any{"platform": "android"}); err != nil {
		return nil, err
	}
	return p, nil
}

// claimDocuments stores the accepted documents a claim needs.
func (r *rig) claimDocuments(p *phone) ([]string, error) {
	var ids []string
	for _, kind := range relocationDocuments {
		d := talent.Document{ID: talent.NewID(), OwnerID: p.userID, Kind: talent.DocumentKind(kind), ContentType: "application/pdf",
			Size: 100, SHA256: strings.Repeat("0", 64), ObjectKey: "documents/" + talent.NewID(), Status: talent.DocAccepted,
			CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := r.db.Documents().CreateDocument(context.Background(), d); err != nil {
			return nil, err
		}
		ids = append(ids, d.ID)
	}
	return ids, nil
}

// uploadDocument declares a document and uploads its bytes, retrying.
func (p *phone) uploadDocument() (string, error) {
	pdf := []byte(minimalPDF)
	res, err := p.expect(http.StatusCreated, "POST", "/v1/documents",
		map[string]any{"kind": "diploma", "contentType": "application/pdf", "size": len(pdf), "sha256": sha(pdf)}, "Idempotency-Key", newKey())
	if err != nil {
		return "", err
	}
	var up documentUpload
	if err := json.Unmarshal(res.Body, &up); err != nil {
		return "", err
	}
	deadline := time.Now().Add(2 * time.Minute)
	for {
		res, err := objectstore.Upload(context.Background(), http.DefaultClient, talent.UploadForm{URL: up.Upload.URL, Fields: up.Upload.Fields}, "application/pdf", pdf)
		if err == nil {
			_, _ = io.Copy(io.Discard, res.Body)
			_ = res.Body.Close()
			if res.StatusCode == http.StatusNoContent {
				return up.Document.ID, nil
			}
			err = fmt.Errorf("upload: %d", res.StatusCode)
		}
		if time.Now().After(deadline) {
			return "", err
		}
		time.Sleep(200 * time.Millisecond)
	}
}

func (p *phone) complete(id string) error {
	_, err := p.expect(http.StatusAccepted, "POST", "/v1/documents/"+id+"/complete", nil)
	return err
}

// submitClaim creates, fills and submits the relocation claim.
func (p *phone) submitClaim(docs []string) error {
	res, err := p.expect(http.StatusCreated, "POST", "/v1/claims", map[string]any{"package": "relocation", "declarations": map[string]any{}}, "Idempotency-Key", newKey())
	if err != nil {
		return err
	}
	var c claimBody
	if err := json.Unmarshal(res.Body, &c); err != nil {
		return err
	}
	p.claim = c.ID
	if _, err := p.expect(http.StatusOK, "POST", "/v1/claims/"+c.ID+"/documents", map[string]any{"documentIds": docs}); err != nil {
		return err
	}
	_, err = p.expect(http.StatusAccepted, "POST", "/v1/claims/"+c.ID+"/submit", nil, "Idempotency-Key", newKey())
	return err
}

// surge is the graduates of one scenario.
type surge struct {
	phones    []*phone
	claimDocs map[*phone][]string
}

func (s *surge) documents() []string {
	var ids []string
	for _, p := range s.phones {
		ids = append(ids, p.docs...)
	}
	return ids
}

func (s *surge) claims() []string {
	var ids []string
	for _, p := range s.phones {
		if p.claim != "" {
			ids = append(ids, p.claim)
		}
	}
	return ids
}

// prepare signs the graduates up (before any fault: sign-up is Firebase's).
func (r *rig) prepare(graduates int) *surge {
	r.t.Helper()
	// The graduates' employer, registered by the city's admins.
	emp := talent.Employer{ID: talent.NewID(), Name: "慈溪智造科技有限公司", CreditCode: creditCodeA, CreatedAt: time.Now()}
	if err := r.db.Employers().CreateEmployer(context.Background(), emp); err != nil {
		r.t.Fatal(err)
	}
	s := &surge{phones: make([]*phone, graduates), claimDocs: map[*phone][]string{}}
	r.parallel(graduates, func(g int) error {
		p, err := r.newPhone(g, true)
		if err != nil {
			return err
		}
		docs, err := r.claimDocuments(p)
		if err != nil {
			return err
		}
		s.phones[g] = p
		s.claimDocs[p] = docs
		return nil
	})
	return s
}

// parallel runs fn for 0..n-1, eight at a time, failing the test on errors.
func (r *rig) parallel(n int, fn func(i int) error) {
	r.t.Helper()
	var wg sync.WaitGroup
	sem := make(chan struct{}, 8)
	errs := make(chan error, n)
	for i := range n {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			if err := fn(i); err != nil {
				errs <- err
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		r.t.Error(err)
	}
	if r.t.Failed() {
		r.t.FailNow()
	}
}

// run is the surge: every graduate uploads and completes docsEach
// documents and submits a claim. progress is called after each document.
// runInBackground runs the surge in the background: outage closes once
// after uploads are complete (the moment to pull a plug), done when all are.
func (r *rig) runInBackground(s *surge, docsEach, after int) (outage, done <-chan struct{}) {
	var mu sync.Mutex
	completed := 0
	out, fin := make(chan struct{}), make(chan struct{})
	go func() {
		defer close(fin)
		r.run(s, docsEach, func() {
			mu.Lock()
			defer mu.Unlock()
			if completed++; completed == after {
				close(out)
			}
		})
	}()
	return out, fin
}

func (r *rig) run(s *surge, docsEach int, progress func()) {
	r.t.Helper()
	r.parallel(len(s.phones), func(g int) error {
		p := s.phones[g]
		for range docsEach {
			id, err := p.uploadDocument()
			if err != nil {
				return err
			}
			if err := p.complete(id); err != nil {
				return err
			}
			p.docs = append(p.docs, id)
			if progress != nil {
				progress()
			}
		}
		return p.submitClaim(s.claimDocs[p])
	})
}

// uploadOnly declares and uploads every document without completing it.
func (r *rig) uploadOnly(s *surge, docsEach int) {
	r.t.Helper()
	r.parallel(len(s.phones), func(g int) error {
		p := s.phones[g]
		for range docsEach {
			id, err := p.uploadDocument()
			if err != nil {
				return err
			}
			p.docs = append(p.docs, id)
		}
		return nil
	})
}

// outcome is what a scenario ends with.
type outcome struct {
	documents, inspected, claims, decided int
	inbox, pushes, duplicated, lost       int
	// replaced: pushes sent again after a crash between the send and its
	// record, each with the notification's id as its tag and collapse id,
	// so that the device shows it once.
	replaced  int
	recovered time.Duration
}

// settle waits until every document is inspected, every claim decided,
// every outbox row published and every inbox entry pushed, then counts.
// from is when the fault ended.
func (r *rig) settle(s *surge, from time.Time, limit time.Duration) outcome {
	r.t.Helper()
	ctx := context.Background()
	docs, claims := s.documents(), s.claims()
	o := outcome{documents: len(docs), claims: len(claims)}
	deadline := time.Now().Add(limit)
	for {
		var unpublished int
		err := r.db.Pool().QueryRow(ctx, `SELECT
			(SELECT count(*) FROM documents WHERE id::text = ANY($1) AND status = 'accepted'),
			(SELECT count(*) FROM claims WHERE id::text = ANY($2) AND status NOT IN ('draft', 'submitted')),
			(SELECT count(*) FROM notifications WHERE user_id::text = ANY($3)),
			(SELECT count(*) FROM outbox WHERE published_at IS NULL)`,
			docs, claims, r.users(s)).Scan(&o.inspected, &o.decided, &o.inbox, &unpublished)
		o.pushes = len(r.fcm.Messages())
		if err == nil && o.inspected == o.documents && o.decided == o.claims && unpublished == 0 && o.pushes >= o.inbox {
			o.recovered = time.Since(from)
			break
		}
		if time.Now().After(deadline) {
			r.t.Errorf("not recovered within %s: %d of %d documents inspected, %d of %d claims decided, %d inbox entries, %d pushes, %d outbox rows unpublished (err %v)",
				limit, o.inspected, o.documents, o.decided, o.claims, o.inbox, o.pushes, unpublished, err)
			o.recovered = time.Since(from)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second) // room for a duplicate to show up
	r.count(s, &o)
	return o
}

func (r *rig) users(s *surge) []string {
	var ids []string
	for _, p := range s.phones {
		ids = append(ids, p.userID)
	}
	return ids
}

// count checks every event against the inbox and the fake FCM: each
// document one document.accepted entry, each claim at least one entry about
// it, each inbox entry exactly one push to its owner's device.
func (r *rig) count(s *surge, o *outcome) {
	r.t.Helper()
	ctx := context.Background()
	rows, err := r.db.Pool().Query(ctx, `SELECT id::text, user_id::text, event_id FROM notifications WHERE user_id::text = ANY($1)`, r.users(s))
	if err != nil {
		r.t.Fatal(err)
	}
	var entries []entry
	for rows.Next() {
		var e entry
		if err := rows.Scan(&e.id, &e.user, &e.event); err != nil {
			r.t.Fatal(err)
		}
		entries = append(entries, e)
	}
	rows.Close()
	o.inbox = len(entries)
	pushes := map[string]int{} // notification id → pushes
	devices := map[string]string{}
	for _, p := range s.phones {
		devices[p.userID] = p.device
	}
	msgs := r.fcm.Messages()
	o.pushes = len(msgs)
	for _, m := range msgs {
		id := m.Data["notificationId"]
		pushes[id]++
		if m.AndroidTag() != id || m.APNSCollapseID() != id {
			r.t.Errorf("push %s carries tag %q and collapse id %q: a repeat would show twice", id, m.AndroidTag(), m.APNSCollapseID())
		}
	}
	events := map[string]bool{}
	for _, e := range entries {
		events[e.event] = true
		switch n := pushes[e.id]; {
		case n == 0:
			o.lost++
			r.t.Errorf("inbox entry %s (%s) was never pushed", e.id, e.event)
		case n > 1 && r.killsWorkers:
			// Sent, then the worker was killed before the send was
			// recorded: sent again, replacing the first on the device.
			o.replaced += n - 1
		case n > 1:
			o.duplicated += n - 1
			r.t.Errorf("inbox entry %s (%s) pushed %d times", e.id, e.event, n)
		}
		delete(pushes, e.id)
	}
	for id, n := range pushes {
		o.duplicated += n
		r.t.Errorf("%d pushes for %q, which is no inbox entry", n, id)
	}
	for _, p := range s.phones {
		for _, d := range p.docs {
			if !events["document.accepted:"+d] {
				o.lost++
				r.t.Errorf("document %s: no document.accepted inbox entry", d)
			}
		}
	}
	for _, m := range msgs {
		if dev, ok := devices[msgUser(entries, m.Data["notificationId"])]; ok && dev != m.Token {
			r.t.Errorf("push %s went to %s, not its owner's device %s", m.Data["notificationId"], m.Token, dev)
		}
	}
	o.lost += o.documents - o.inspected + o.claims - o.decided
}

// entry is an inbox entry: its id, owner and event.
type entry struct{ id, user, event string }

func msgUser(entries []entry, id string) string {
	for _, e := range entries {
		if e.id == id {
			return e.user
		}
	}
	return ""
}

// report logs the scenario's figures and asserts the invariants.
func (r *rig) report(name string, o outcome, extra string) {
	r.t.Helper()
	r.t.Logf("%s: %d documents, %d inspected once; %d claims, %d decided; %d inbox entries, %d pushes (%d sent again and replaced on the device); %d lost, %d duplicated; recovered %s after the fault ended%s",
		name, o.documents, o.inspected, o.claims, o.decided, o.inbox, o.pushes, o.replaced, o.lost, o.duplicated, o.recovered.Round(100*time.Millisecond), extra)
	if o.inspected != o.documents || o.decided != o.claims || o.lost != 0 || o.duplicated != 0 || o.pushes != o.inbox+o.replaced {
		r.t.Errorf("%s: want every document inspected once, every claim decided, one push per inbox entry, 0 lost, 0 duplicated", name)
	}
}

// Worker processes SIGKILLed five times while 300 documents surge in: the
// tasks they held go back to the queue when their lease runs out, and the
// replacements finish them, each effect once.
func TestFaultWorkerKilledFiveTimes(t *testing.T) {
	t.Parallel()
	const graduates, docsEach = 30, 10
	r := newRig(t, rigOptions{})
	r.slowStorage()
	r.startAPI()
	r.startWorker()
	r.startWorker()
	s := r.prepare(graduates)

	done := make(chan struct{})
	var kills int
	var lastKill time.Time
	go func() {
		defer close(done)
		r.run(s, docsEach, nil)
	}()
	for kills < 5 {
		time.Sleep(3 * time.Second)
		r.kill(r.workers[0])
		kills++
		lastKill = time.Now()
		r.startWorker()
	}
	<-done
	o := r.settle(s, lastKill, 3*time.Minute)
	// The tasks the killed workers held finished after their lease ran out
	// (asynq's recoverer records why they ran again).
	inspector := asynq.NewInspector(asynq.RedisClientOpt{Addr: r.redis.Addr})
	defer inspector.Close()
	orphaned := 0
	for q := range workers.Queues {
		list, err := inspector.ListCompletedTasks(q, asynq.PageSize(5000))
		if err != nil && !errors.Is(err, asynq.ErrQueueNotFound) {
			t.Fatal(err)
		}
		for _, ti := range list {
			if strings.Contains(ti.LastErr, "lease expired") {
				orphaned++
			}
		}
	}
	r.report("worker SIGKILLed 5 times", o, fmt.Sprintf("; %d tasks held by killed workers ran again after their lease expired", orphaned))
	if orphaned == 0 {
		t.Error("no kill caught a worker in the middle of a task: the scenario tested nothing")
	}
}

// Redis SIGKILLed with every inspection queued and restarted empty: the
// tasks are gone, PostgreSQL still knows the work, and the reconciler
// drives it again.
func TestFaultRedisLosesQueuedTasks(t *testing.T) {
	t.Parallel()
	const graduates, docsEach = 10, 10
	r := newRig(t, rigOptions{})
	r.startAPI()
	s := r.prepare(graduates)
	r.uploadOnly(s, docsEach)
	r.parallel(graduates, func(g int) error {
		p := s.phones[g]
		for _, id := range p.docs {
			if err := p.complete(id); err != nil {
				return err
			}
		}
		return p.submitClaim(s.claimDocs[p])
	})
	// A relay alone (no task server) queues every task in Redis.
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: r.redis.Addr})
	inspector := asynq.NewInspector(asynq.RedisClientOpt{Addr: r.redis.Addr})
	relay := &workers.Relay{Outbox: r.db.Outbox(), Queue: client, Tasks: inspector, Logger: slog.New(slog.NewJSONHandler(io.Discard, nil))}
	ctx, cancel := context.WithCancel(context.Background())
	relayDone := make(chan struct{})
	go func() { defer close(relayDone); _ = relay.Run(ctx) }()
	var queued int
	eventually(t, 30*time.Second, "every outbox row to be queued", func() bool {
		var unpublished int
		if err := r.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM outbox WHERE published_at IS NULL`).Scan(&unpublished); err != nil || unpublished > 0 {
			return false
		}
		queued = 0
		for q := range workers.Queues {
			if info, err := inspector.GetQueueInfo(q); err == nil {
				queued += info.Pending
			}
		}
		return true
	})
	if want := graduates*docsEach + graduates; queued < want {
		t.Fatalf("%d tasks queued, want at least an inspection per document and an evaluation per claim (%d)", queued, want)
	}
	cancel()
	<-relayDone
	_ = client.Close()
	_ = inspector.Close()

	r.redis.Stop() // SIGKILL, no persistence: restarts empty
	r.redis.Start()
	back := time.Now()
	if keys, err := r.redis.Client().DBSize(context.Background()).Result(); err != nil || keys != 0 {
		t.Fatalf("Redis restarted with %d keys (%v), want none", keys, err)
	}
	r.startWorker()
	r.startWorker()
	o := r.settle(s, back, 2*time.Minute)
	redriven := r.redriven()
	r.report("Redis SIGKILLed and restarted empty", o, fmt.Sprintf("; %d tasks were queued, the reconciler re-drove %.0f", queued, redriven))
	if want := graduates*docsEach + graduates; redriven < float64(want) {
		t.Errorf("the reconciler re-drove %.0f pieces of work, want at least the %d lost inspections and evaluations", redriven, want)
	}
}

// Redis down for a minute (ANJU_FAULT_REDIS_DOWN) in the middle of a
// surge: the API keeps serving (readiness and the surge's requests), the
// follow-ups wait in the outbox, and Redis comes back empty.
func TestFaultRedisDownDuringSurge(t *testing.T) {
	t.Parallel()
	const graduates, docsEach = 10, 10
	down := faultDuration(t, "ANJU_FAULT_REDIS_DOWN", time.Minute)
	r := newRig(t, rigOptions{})
	r.startAPI()
	r.startWorker()
	r.startWorker()
	s := r.prepare(graduates)
	outage, done := r.runInBackground(s, docsEach, graduates*docsEach/3)
	<-outage
	r.redis.Stop()
	time.Sleep(down / 2)
	r.expectReady("Redis")
	if up := metricSum(t, r.api.url+"/metrics", `anju_dependency_up{dependency="redis"}`); up != 0 {
		t.Errorf("anju_dependency_up{dependency=\"redis\"} = %v with Redis down", up)
	}
	time.Sleep(down - down/2)
	r.redis.Start()
	back := time.Now()
	<-done
	o := r.settle(s, back, 3*time.Minute)
	r.report(fmt.Sprintf("Redis down %s during a surge", down), o, fmt.Sprintf("; the reconciler re-drove %.0f", r.redriven()))
}

// MinIO down for the workers (ANJU_FAULT_MINIO_DOWN, default 20s) while
// they inspect: inspection waits and retries, the API stays ready, and
// every document is inspected once MinIO is back.
func TestFaultMinIODownForWorkers(t *testing.T) {
	t.Parallel()
	const graduates, docsEach = 10, 10
	down := faultDuration(t, "ANJU_FAULT_MINIO_DOWN", 20*time.Second)
	r := newRig(t, rigOptions{privateMinIO: true})
	r.startAPI()
	r.startWorker()
	r.startWorker()
	s := r.prepare(graduates)
	r.uploadOnly(s, docsEach)
	r.minio.Stop()
	r.parallel(graduates, func(g int) error {
		p := s.phones[g]
		for _, id := range p.docs {
			if err := p.complete(id); err != nil {
				return err
			}
		}
		return p.submitClaim(s.claimDocs[p])
	})
	r.expectReady("MinIO")
	if up := metricSum(t, "http://"+r.workers[0].addr+"/metrics", `anju_dependency_up{dependency="minio"}`); up != 0 {
		t.Errorf("the worker's anju_dependency_up{dependency=\"minio\"} = %v with MinIO down", up)
	}
	var inspected int
	_ = r.db.Pool().QueryRow(context.Background(), `SELECT count(*) FROM documents WHERE id::text = ANY($1) AND status = 'accepted'`, s.documents()).Scan(&inspected)
	if inspected != 0 {
		t.Errorf("%d documents inspected while MinIO was down", inspected)
	}
	time.Sleep(down)
	r.minio.Start()
	back := time.Now()
	o := r.settle(s, back, 2*time.Minute)
	r.report(fmt.Sprintf("MinIO down %s for the workers", down), o, "")
}

// PostgreSQL crashed and restarted (ANJU_FAULT_POSTGRES_DOWN, default 5s)
// in the middle of a surge: requests fail while it is down and the phones
// retry them; nothing committed is lost, nothing retried is done twice.
func TestFaultPostgresRestartDuringSurge(t *testing.T) {
	t.Parallel()
	const graduates, docsEach = 10, 10
	down := faultDuration(t, "ANJU_FAULT_POSTGRES_DOWN", 5*time.Second)
	r := newRig(t, rigOptions{privatePostgres: true})
	r.startAPI()
	r.startWorker()
	r.startWorker()
	s := r.prepare(graduates)
	outage, done := r.runInBackground(s, docsEach, graduates*docsEach/3)
	<-outage
	r.pg.Crash()
	time.Sleep(down)
	r.pg.Start()
	back := time.Now()
	<-done
	o := r.settle(s, back, 2*time.Minute)
	r.report(fmt.Sprintf("PostgreSQL crashed and restarted after %s during a surge", down), o, "")
}
