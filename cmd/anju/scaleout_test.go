package main

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/testenv"
	"github.com/anju-city/anju/workers"
	"github.com/hibiken/asynq"
)

// TestScaleOut runs Anju the way the chart does, on one machine: the real
// binary, migrated once by `anju migrate up` (the chart's hook Job), then
// two `anju api` and two `anju worker` processes sharing one PostgreSQL,
// one Redis, one MinIO bucket, the Auth emulator and one fake FCM. A burst
// of graduates spreads its requests over both APIs. It shows that
//
//   - either API serves any user: a user made through one API is served by
//     the other, and an Idempotency-Key replayed on the other API returns
//     the first response;
//   - every follow-up task ran exactly once in effect: each document is
//     inspected and accepted, each gets one inbox entry and one push, and
//     no outbox row is left unpublished, although both workers relay and
//     both handle tasks;
//   - each periodic job fired once for its period although both workers'
//     schedulers enqueue it.
func TestScaleOut(t *testing.T) {
	t.Parallel()
	const (
		graduates    = 20
		docsPerGrad  = 2
		documents    = graduates * docsPerGrad
		settleWindow = 2 * time.Second // room for a duplicate to show up
	)
	in := services(t)
	bin := buildAnju(t)
	started := time.Now()

	// Like the chart: one migration, and no process migrates at start.
	in.Env["ANJU_MIGRATE_ON_START"] = "false"
	migrate := exec.Command(bin, "migrate", "up")
	migrate.Env = processEnv(in.Env)
	if out, err := migrate.CombinedOutput(); err != nil {
		t.Fatalf("anju migrate up: %v\n%s", err, out)
	}

	var (
		apis    [2]*process
		workerP [2]*process
		wg      sync.WaitGroup
	)
	for i := range 2 {
		wg.Go(func() { apis[i] = startProcess(t, bin, fmt.Sprintf("api-%d", i+1), "api", in.Env) })
		wg.Go(func() { workerP[i] = startProcess(t, bin, fmt.Sprintf("worker-%d", i+1), "worker", in.Env) })
	}
	wg.Wait()
	for _, p := range append(apis[:], workerP[:]...) {
		if p == nil {
			t.FailNow() // startProcess reported why
		}
	}
	api := func(i int) *instance { return &instance{URL: apis[i%2].url} }

	// The burst: graduates sign up and alternate between the APIs for
	// every request; each document is declared on one API, its declaration
	// replayed on the other, and completed on the other.
	type grad struct {
		token, device, userID string
		docs                  []string
	}
	grads := make([]*grad, graduates)
	errs := make(chan error, graduates)
	sem := make(chan struct{}, 8)
	pdf := []byte(minimalPDF)
	for g := range graduates {
		wg.Go(func() {
			sem <- struct{}{}
			defer func() { <-sem }()
			a, b := api(g), api(g+1)
			gr := &grad{token: in.signUp(t), device: "fcm-device-token-" + newKey()}
			grads[g] = gr
			res := a.call(t, "PUT", "/v1/me", gr.token, map[string]any{"name": fmt.Sprintf("毕业生 %d", g), "locale": "zh-CN"})
			var me struct{ User struct{ ID string } }
			if res.Status != http.StatusOK {
				errs <- fmt.Errorf("graduate %d: PUT /v1/me on %s: %d %s", g, a.URL, res.Status, res.Body)
				return
			}
			res.json(t, &me)
			gr.userID = me.User.ID
			// Either API serves the user the other one created.
			var again struct{ User struct{ ID string } }
			b.call(t, "GET", "/v1/me", gr.token, nil).json(t, &again)
			if again.User.ID != gr.userID {
				errs <- fmt.Errorf("graduate %d: user %s made on %s is %q on %s", g, gr.userID, a.URL, again.User.ID, b.URL)
				return
			}
			if res := b.call(t, "PUT", "/v1/me/devices/"+gr.device, gr.token, map[string]any{"platform": "android"}); res.Status != http.StatusNoContent {
				errs <- fmt.Errorf("graduate %d: register device: %d %s", g, res.Status, res.Body)
				return
			}
			for d := range docsPerGrad {
				first, other := api(g+d), api(g+d+1)
				body := map[string]any{"kind": "diploma", "contentType": "application/pdf", "size": len(pdf), "sha256": sha(pdf)}
				key := newKey()
				r1 := first.call(t, "POST", "/v1/documents", gr.token, body, "Idempotency-Key", key)
				r2 := other.call(t, "POST", "/v1/documents", gr.token, body, "Idempotency-Key", key)
				var up, replay documentUpload
				if r1.Status != http.StatusCreated || r2.Status != http.StatusCreated {
					errs <- fmt.Errorf("graduate %d: create document: %d %s / replay %d %s", g, r1.Status, r1.Body, r2.Status, r2.Body)
					return
				}
				r1.json(t, &up)
				r2.json(t, &replay)
				if replay.Document.ID != up.Document.ID {
					errs <- fmt.Errorf("graduate %d: Idempotency-Key replayed on the other API made document %s besides %s", g, replay.Document.ID, up.Document.ID)
					return
				}
				if code := upload(t, up, "application/pdf", pdf); code != http.StatusNoContent {
					errs <- fmt.Errorf("graduate %d: upload to MinIO: %d", g, code)
					return
				}
				if res := other.call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", gr.token, nil); res.Status != http.StatusAccepted {
					errs <- fmt.Errorf("graduate %d: complete on %s: %d %s", g, other.URL, res.Status, res.Body)
					return
				}
				gr.docs = append(gr.docs, up.Document.ID)
			}
		})
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	if t.Failed() {
		t.FailNow()
	}

	// Every document is inspected and accepted, whichever API is asked.
	for g, gr := range grads {
		for d, id := range gr.docs {
			if doc := api(g+d).waitDocument(t, gr.token, id, "accepted", "rejected"); doc.Status != "accepted" {
				t.Fatalf("document %s: %+v", id, doc)
			}
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := in.FCM.WaitFor(ctx, documents); err != nil {
		t.Fatalf("pushes at the fake FCM: %v (got %d of %d)", err, len(in.FCM.Messages()), documents)
	}
	time.Sleep(settleWindow)

	// One push per document, to its owner's device.
	pushes := map[string]int{}
	for _, m := range in.FCM.Messages() {
		pushes[m.Token+" "+m.Data["link"]]++
	}
	// One inbox entry per document, read through the API that did not
	// create the user.
	for g, gr := range grads {
		var inbox struct {
			Items []struct {
				Template string
				Data     map[string]string
			}
		}
		api(g+1).call(t, "GET", "/v1/me/notifications", gr.token, nil).json(t, &inbox)
		entries := map[string]int{}
		for _, it := range inbox.Items {
			if it.Template == "document.accepted" {
				entries[it.Data["link"]]++
			}
		}
		for _, id := range gr.docs {
			link := "anju://documents/" + id
			if entries[link] != 1 {
				t.Errorf("document %s: %d inbox entries, want 1", id, entries[link])
			}
			if n := pushes[gr.device+" "+link]; n != 1 {
				t.Errorf("document %s: %d pushes to its owner's device, want 1", id, n)
			}
		}
	}
	// Every follow-up the burst wrote to the outbox reached the queue.
	var unpublished, published int
	if err := in.DB.Pool().QueryRow(ctx, `SELECT count(*) FILTER (WHERE published_at IS NULL), count(*) FILTER (WHERE published_at IS NOT NULL) FROM outbox`).Scan(&unpublished, &published); err != nil {
		t.Fatal(err)
	}
	if unpublished != 0 || published < 2*documents {
		t.Errorf("outbox: %d rows published, %d left; want every row published, at least an inspection and a notification per document", published, unpublished)
	}

	// Both APIs served the burst (each logs every request it serves) and
	// both workers took part; the pushes the workers report add up to one
	// per document.
	for _, p := range apis {
		n := strings.Count(p.out.String(), `"msg":"request"`)
		t.Logf("%s served %d requests", p.name, n)
		if n < graduates*3 {
			t.Errorf("%s served %d requests; the burst was not spread", p.name, n)
		}
	}
	var sent float64
	sentBefore := len(in.FCM.Messages())
	pushedBy := make([]float64, len(workerP))
	for i, p := range workerP {
		m := "http://" + p.addr + "/metrics"
		relayed := metricSum(t, m, "anju_outbox_published_total")
		pushedBy[i] = metricSum(t, m, `anju_push_results_total{result="sent"}`)
		t.Logf("%s relayed %.0f outbox rows and sent %.0f pushes", p.name, relayed, pushedBy[i])
		if relayed+pushedBy[i] == 0 {
			t.Errorf("%s did no work: the work was not shared", p.name)
		}
		sent += pushedBy[i]
	}
	if int(sent) != sentBefore {
		t.Errorf("workers report %.0f pushes sent, the fake FCM received %d", sent, sentBefore)
	}

	// Either worker takes any task: the busier one is drained away (SIGTERM,
	// as in a rolling update or a scale-in) and the other handles the
	// follow-ups of a few more documents on its own.
	busy, rest := workerP[0], workerP[1]
	restBefore := pushedBy[1]
	if pushedBy[1] > pushedBy[0] {
		busy, rest, restBefore = workerP[1], workerP[0], pushedBy[0]
	}
	busy.stop(t)
	const more = 4
	links := map[string]string{} // link → device
	for g := range more {
		gr := grads[g]
		up := api(g).createDocument(t, gr.token, "diploma", "application/pdf", pdf)
		if code := upload(t, up, "application/pdf", pdf); code != http.StatusNoContent {
			t.Fatalf("upload: %d", code)
		}
		if res := api(g+1).call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", gr.token, nil); res.Status != http.StatusAccepted {
			t.Fatalf("complete: %d %s", res.Status, res.Body)
		}
		if doc := api(g).waitDocument(t, gr.token, up.Document.ID, "accepted", "rejected"); doc.Status != "accepted" {
			t.Fatalf("document %s with one worker left: %+v", up.Document.ID, doc)
		}
		links["anju://documents/"+up.Document.ID] = gr.device
	}
	if _, err := in.FCM.WaitFor(ctx, sentBefore+more); err != nil {
		t.Fatalf("pushes with one worker left: %v", err)
	}
	time.Sleep(settleWindow)
	for _, m := range in.FCM.Messages() {
		if dev, ok := links[m.Data["link"]]; ok && dev == m.Token {
			delete(links, m.Data["link"])
		} else if ok {
			t.Errorf("push for %s to %s, want one to %s", m.Data["link"], m.Token, dev)
		}
	}
	if len(links) > 0 {
		t.Errorf("no push for %v with one worker left", links)
	}
	if got := metricSum(t, "http://"+rest.addr+"/metrics", `anju_push_results_total{result="sent"}`) - restBefore; got < more {
		t.Errorf("%s sent %.0f pushes after %s stopped, want at least %d", rest.name, got, busy.name, more)
	}

	// The periodic jobs: every worker's scheduler enqueues each job at start,
	// yet Redis holds one task per job and period; the hourly maintenance
	// job has run.
	inspector := asynq.NewInspector(asynq.RedisClientOpt{Addr: in.Redis.Addr})
	defer inspector.Close()
	now := time.Now()
	for _, job := range workers.Jobs {
		// The test may straddle a period boundary: each period it spans may
		// have its task, none may have two.
		periods := map[string]bool{workers.PeriodTaskID(job, started): true, workers.PeriodTaskID(job, now): true}
		var found []string
		eventually(t, 10*time.Second, job.Args.Kind()+" to be scheduled", func() bool {
			found = periodicTasks(t, inspector, job.Args.Kind())
			return len(found) > 0
		})
		perPeriod := map[string]int{}
		for _, id := range found {
			perPeriod[id]++
			if !periods[id] {
				t.Errorf("periodic task %s is not for a period of this test (%v)", id, periods)
			}
		}
		for id, n := range perPeriod {
			if n != 1 {
				t.Errorf("periodic task %s exists %d times: want exactly one per period", id, n)
			}
		}
		if job.Args.Kind() == (workers.Prune{}).Kind() {
			eventually(t, 20*time.Second, "the maintenance job to run", func() bool {
				info, err := inspector.GetTaskInfo(workers.QueueLow, found[0])
				return err == nil && info.State == asynq.TaskStateCompleted
			})
		}
	}

	// Every process drains and exits cleanly on SIGTERM.
	for _, p := range append(apis[:], workerP[:]...) {
		p.stop(t)
	}
	t.Logf("2 APIs and 2 workers: %d graduates, %d+%d documents, %d outbox rows, %d pushes in %s",
		graduates, documents, more, published, len(in.FCM.Messages()), time.Since(started).Round(time.Millisecond))
}

// periodicTasks lists the ids of the tasks of one type in every queue and
// state.
func periodicTasks(t *testing.T, inspector *asynq.Inspector, taskType string) []string {
	t.Helper()
	queues, err := inspector.Queues()
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, q := range queues {
		for _, list := range []func(string, ...asynq.ListOption) ([]*asynq.TaskInfo, error){
			inspector.ListPendingTasks, inspector.ListActiveTasks, inspector.ListScheduledTasks,
			inspector.ListRetryTasks, inspector.ListArchivedTasks, inspector.ListCompletedTasks,
		} {
			tasks, err := list(q, asynq.PageSize(1000))
			if err != nil {
				t.Fatal(err)
			}
			for _, ti := range tasks {
				if ti.Type == taskType {
					ids = append(ids, ti.ID)
				}
			}
		}
	}
	return ids
}

// buildAnju builds the real binary once per test run, with a version set
// through -ldflags as the image build does.
func buildAnju(t *testing.T) string {
	t.Helper()
	goBin, err := exec.LookPath("go")
	testenv.Require(t, "the go command", err)
	bin := filepath.Join(t.TempDir(), "anju")
	cmd := exec.Command(goBin, "build", "-o", bin, "-ldflags", "-X main.version=scaleout-test", ".")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("go build ./cmd/anju: %v\n%s", err, out)
	}
	out, err := exec.Command(bin, "version").Output()
	if err != nil || strings.TrimSpace(string(out)) != "anju scaleout-test" {
		t.Fatalf("anju version: %q, %v", out, err)
	}
	return bin
}

// processEnv is the environment of a child process: only what it needs, so
// that the ANJU_* variables of the test's own shell never leak in.
func processEnv(env map[string]string) []string {
	out := []string{"PATH=" + os.Getenv("PATH"), "HOME=" + os.Getenv("HOME"), "TMPDIR=" + os.TempDir()}
	for k, v := range env {
		out = append(out, k+"="+v)
	}
	return out
}

// process is one running `anju api` or `anju worker`.
type process struct {
	name string
	cmd  *exec.Cmd
	out  *syncBuffer
	done chan struct{}
	url  string // api: http://127.0.0.1:PORT
	addr string // worker: 127.0.0.1:PORT of /metrics and /healthz

	stopOnce sync.Once
}

var listeningLine = regexp.MustCompile(`anju api listening on (http://\S+)`)

// startProcess starts the binary and waits until it serves: an API prints
// the address it listens on, a worker answers /healthz. It returns nil
// after reporting a failure with t.Error (it runs in a goroutine).
func startProcess(t *testing.T, bin, name, mode string, base map[string]string) *process {
	t.Helper()
	env := map[string]string{}
	for k, v := range base {
		env[k] = v
	}
	p := &process{name: name, out: &syncBuffer{}, done: make(chan struct{})}
	if mode == "worker" {
		// `anju worker` prints its configured address, not the port it got,
		// so the test picks a free port.
		p.addr = freeAddr(t)
		env["ANJU_WORKER_ADDR"] = p.addr
	}
	p.cmd = exec.Command(bin, mode)
	p.cmd.Env = processEnv(env)
	p.cmd.Stderr = p.out
	stdout, err := p.cmd.StdoutPipe()
	if err != nil {
		t.Error(err)
		return nil
	}
	if err := p.cmd.Start(); err != nil {
		t.Errorf("starting %s: %v", name, err)
		return nil
	}
	urls := make(chan string, 1)
	go func() {
		sc := bufio.NewScanner(stdout)
		sc.Buffer(make([]byte, 64<<10), 1<<20)
		for sc.Scan() {
			line := sc.Text()
			_, _ = io.WriteString(p.out, line+"\n")
			if m := listeningLine.FindStringSubmatch(line); m != nil {
				select {
				case urls <- m[1]:
				default:
				}
			}
		}
	}()
	go func() {
		_ = p.cmd.Wait()
		close(p.done)
	}()
	t.Cleanup(func() { p.stop(t) })

	deadline := time.After(30 * time.Second)
	for {
		if mode == "api" {
			select {
			case p.url = <-urls:
				return p
			case <-p.done:
				t.Errorf("%s exited at start (%v):\n%s", name, p.cmd.ProcessState, p.out)
				return nil
			case <-deadline:
				t.Errorf("%s did not start listening within 30s:\n%s", name, p.out)
				return nil
			}
		}
		if res, err := http.Get("http://" + p.addr + "/healthz"); err == nil {
			_ = res.Body.Close()
			if res.StatusCode == http.StatusOK {
				return p
			}
		}
		select {
		case <-p.done:
			t.Errorf("%s exited at start (%v):\n%s", name, p.cmd.ProcessState, p.out)
			return nil
		case <-deadline:
			t.Errorf("%s did not answer /healthz within 30s:\n%s", name, p.out)
			return nil
		case <-time.After(50 * time.Millisecond):
		}
	}
}

// stop sends SIGTERM, as Kubernetes does, and waits for the drain; a
// process that does not exit in time is killed and the test fails.
func (p *process) stop(t *testing.T) {
	p.stopOnce.Do(func() {
		_ = p.cmd.Process.Signal(syscall.SIGTERM)
		select {
		case <-p.done:
		case <-time.After(20 * time.Second):
			_ = p.cmd.Process.Kill()
			<-p.done
			t.Errorf("%s did not stop within 20s of SIGTERM:\n%s", p.name, p.out)
			return
		}
		if code := p.cmd.ProcessState.ExitCode(); code != 0 {
			t.Errorf("%s exited with status %d after SIGTERM:\n%s", p.name, code, p.out)
		}
		if logs := p.out.String(); strings.Contains(logs, "panic:") || strings.Contains(logs, "DATA RACE") {
			t.Errorf("%s:\n%s", p.name, logs)
		}
	})
}

func freeAddr(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().String()
}

// metricSum adds up the samples of a Prometheus metric on a /metrics page.
// name may carry a label filter, e.g. `x_total{result="sent"}`.
func metricSum(t *testing.T, url, name string) float64 {
	t.Helper()
	res, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer res.Body.Close()
	base, labels, _ := strings.Cut(name, "{")
	labels = strings.TrimSuffix(labels, "}")
	var sum float64
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64<<10), 1<<20)
	for sc.Scan() {
		line := sc.Text()
		// NAME{LABELS} VALUE; label values may hold spaces.
		i := strings.LastIndexByte(line, ' ')
		if i < 0 || strings.HasPrefix(line, "#") {
			continue
		}
		metric, value := line[:i], line[i+1:]
		mname, mlabels, _ := strings.Cut(metric, "{")
		if mname != base || (labels != "" && !strings.Contains(mlabels, labels)) {
			continue
		}
		v, err := strconv.ParseFloat(strings.TrimSpace(value), 64)
		if err == nil {
			sum += v
		}
	}
	return sum
}
