package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"os"
	"runtime"
	"sort"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/gofiber/fiber/v2"
	"github.com/jackc/pgx/v5/pgxpool"
	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// Phase is one measured stretch of load.
type Phase struct {
	Name     string  `json:"name"`
	Requests int     `json:"requests"`
	Errors   int     `json:"errors"` // answers other than the expected ones, and failed requests
	Seconds  float64 `json:"seconds"`
	// Throughput is expected answers per second.
	Throughput float64        `json:"throughput"`
	Latency    Latency        `json:"latencyMs"`
	Codes      map[string]int `json:"codes"`
	FirstError string         `json:"firstError,omitempty"`
	// Server is the same phase as the API measured it (serverLatency):
	// bucket bounds, so each figure reads "at most".
	Server *Latency `json:"serverLatencyMs,omitempty"`
}

// Latency is in milliseconds.
type Latency struct {
	P50 float64 `json:"p50"`
	P90 float64 `json:"p90"`
	P99 float64 `json:"p99"`
	Max float64 `json:"max"`
}

// AccountsResult is the set-up of the signed-in population.
type AccountsResult struct {
	Graduates    int     `json:"graduates"`
	Staff        int     `json:"staff"`
	SetupSeconds float64 `json:"setupSeconds"`
}

// CeilingsResult is what this machine does without Anju in the way.
type CeilingsResult struct {
	Bare Phase `json:"bareFiber"`
	// BareInsert is the bare Fiber handler sending pgbench's single-row
	// INSERT for every request: what an HTTP server that does nothing else
	// reaches beside the database on the same cores.
	BareInsert       Phase   `json:"bareFiberInsert"`
	PgbenchInsertTPS float64 `json:"pgbenchInsertTps"`
	// PgbenchKeyedDocumentTPS is pgbench sending what the database gets
	// for one keyed POST /v1/documents (pgbench/keyed-2-round-trips.sql).
	PgbenchKeyedDocumentTPS float64 `json:"pgbenchKeyedDocumentTps"`
}

// MeResult is signed-in GET /v1/me.
type MeResult struct {
	Max         Phase   `json:"max"`
	At70        Phase   `json:"at70PercentOfMax"`
	RatioToBare float64 `json:"ratioToBareFiber"`
}

// DocumentsResult is POST /v1/documents.
type DocumentsResult struct {
	Max            Phase   `json:"max"`
	RatioToPgbench float64 `json:"ratioToPgbenchInsert"`
	// RatioToKeyedDocument is against the database alone receiving the
	// same statements (CeilingsResult.PgbenchKeyedDocumentTPS).
	RatioToKeyedDocument float64 `json:"ratioToPgbenchKeyedDocument"`
	// RatioToBareInsert is against CeilingsResult.BareInsert.
	RatioToBareInsert float64 `json:"ratioToBareFiberInsert"`
}

// MixedResult is the mixed scenario at its maximum, and at 70% of that in
// total and by operation.
type MixedResult struct {
	Max        Phase   `json:"max"`
	Rate       float64 `json:"targetRate"`
	Total      Phase   `json:"total"`
	Operations []Phase `json:"operations"`
}

// SurgeResult is the round-opening surge.
type SurgeResult struct {
	Applications Phase   `json:"applications"`
	Stored       int     `json:"storedApplications"`
	SetupSeconds float64 `json:"setupSeconds"`
	APIRSSMiB    float64 `json:"apiPeakRssMiB"`
	WorkerRSSMiB float64 `json:"workerPeakRssMiB"`
}

// DocumentSurgeResult is the document surge.
type DocumentSurgeResult struct {
	Documents          int     `json:"documents"`
	Accepted           int     `json:"accepted"`
	CompleteErrors     int     `json:"completeErrors"`
	CompleteToAccepted Latency `json:"completeToAcceptedMs"`
	AllDoneSeconds     float64 `json:"allDoneSeconds"`
	APIRSSMiB          float64 `json:"apiPeakRssMiB"`
	WorkerRSSMiB       float64 `json:"workerPeakRssMiB"`
}

// GrowthResult is one size of the claims table.
type GrowthResult struct {
	Claims          int     `json:"claims"`
	GenerateSeconds float64 `json:"generateSeconds"`
	ReviewQueue     Phase   `json:"reviewQueue"`
	ClaimList       Phase   `json:"claimList"`
}

// report is results.json.
type report struct {
	Started       time.Time           `json:"started"`
	Seconds       float64             `json:"seconds"`
	Smoke         bool                `json:"smoke"`
	Machine       string              `json:"machine"`
	Accounts      AccountsResult      `json:"accounts"`
	Ceilings      CeilingsResult      `json:"ceilings"`
	Me            MeResult            `json:"me"`
	Documents     DocumentsResult     `json:"documents"`
	Mixed         MixedResult         `json:"mixed"`
	RoundSurge    SurgeResult         `json:"roundSurge"`
	DocumentSurge DocumentSurgeResult `json:"documentSurge"`
	Growth        []GrowthResult      `json:"growth"`
}

func machine() string {
	load, _ := os.ReadFile("/proc/loadavg")
	return fmt.Sprintf("%s/%s, %d CPUs, load %s", runtime.GOOS, runtime.GOARCH, runtime.NumCPU(), strings.Join(strings.Fields(string(load))[:min(3, len(strings.Fields(string(load))))], " "))
}

func ms(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }

func quantiles(lat []time.Duration) Latency {
	if len(lat) == 0 {
		return Latency{}
	}
	sort.Slice(lat, func(i, j int) bool { return lat[i] < lat[j] })
	at := func(q float64) time.Duration { return lat[min(int(q*float64(len(lat))), len(lat)-1)] }
	return Latency{P50: ms(at(0.50)), P90: ms(at(0.90)), P99: ms(at(0.99)), Max: ms(lat[len(lat)-1])}
}

// summarize turns a phase's results into its figures; latencies are over
// every request, throughput counts only the expected answers.
func summarize(name string, results []*vegeta.Result, ok func(uint16) bool) Phase {
	p := Phase{Name: name, Requests: len(results), Codes: map[string]int{}}
	if len(results) == 0 {
		return p
	}
	first, last := results[0].Timestamp, results[0].Timestamp.Add(results[0].Latency)
	lat := make([]time.Duration, 0, len(results))
	good := 0
	for _, r := range results {
		lat = append(lat, r.Latency)
		first = minTime(first, r.Timestamp)
		if end := r.Timestamp.Add(r.Latency); end.After(last) {
			last = end
		}
		p.Codes[fmt.Sprint(r.Code)]++
		if r.Error == "" && ok(r.Code) {
			good++
			continue
		}
		p.Errors++
		if p.FirstError == "" {
			p.FirstError = fmt.Sprintf("%d %s %.200s", r.Code, r.Error, r.Body)
		}
	}
	p.Seconds = last.Sub(first).Seconds()
	if p.Seconds > 0 {
		p.Throughput = float64(good) / p.Seconds
	}
	p.Latency = quantiles(lat)
	return p
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func ratio(a, b float64) float64 {
	if b == 0 {
		return 0
	}
	return a / b
}

func (r *report) write(jsonPath, textPath string, stdout io.Writer) error {
	raw, err := json.MarshalIndent(r, "", "  ")
	if err != nil {
		return err
	}
	if err := os.WriteFile(jsonPath, append(raw, '\n'), 0o644); err != nil {
		return err
	}
	var text strings.Builder
	r.table(&text)
	if err := os.WriteFile(textPath, []byte(text.String()), 0o644); err != nil {
		return err
	}
	_, err = io.WriteString(stdout, text.String())
	return err
}

// table is the short text summary.
func (r *report) table(w io.Writer) {
	fmt.Fprintf(w, "Anju load harness, %s, %s (%.0f s)\n", r.Started.Format(time.RFC3339), r.Machine, r.Seconds)
	if r.Smoke {
		fmt.Fprintln(w, "SMOKE RUN: tiny sizes, the figures mean nothing")
	}
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintln(tw, "phase\treq/s\tp50 ms\tp90 ms\tp99 ms\trequests\terrors\t")
	row := func(p Phase) {
		if p.Requests == 0 {
			return // a step not run
		}
		fmt.Fprintf(tw, "%s\t%.0f\t%.1f\t%.1f\t%.1f\t%d\t%d\t\n", p.Name, p.Throughput, p.Latency.P50, p.Latency.P90, p.Latency.P99, p.Requests, p.Errors)
	}
	row(r.Ceilings.Bare)
	row(r.Ceilings.BareInsert)
	row(r.Me.Max)
	row(r.Me.At70)
	row(r.Documents.Max)
	row(r.Mixed.Max)
	row(r.Mixed.Total)
	for _, op := range r.Mixed.Operations {
		op.Name = "  " + op.Name
		row(op)
	}
	row(r.RoundSurge.Applications)
	for _, g := range r.Growth {
		row(g.ReviewQueue)
		row(g.ClaimList)
	}
	_ = tw.Flush()
	fmt.Fprintf(w, "\nceilings: bare Fiber %.0f req/s, pgbench single-row INSERT %.0f tps, pgbench sending a keyed document's statements %.0f tps (%.1f%% of the INSERT)\n",
		r.Ceilings.Bare.Throughput, r.Ceilings.PgbenchInsertTPS, r.Ceilings.PgbenchKeyedDocumentTPS, 100*ratio(r.Ceilings.PgbenchKeyedDocumentTPS, r.Ceilings.PgbenchInsertTPS))
	if b := r.Ceilings.BareInsert; b.Requests > 0 {
		fmt.Fprintf(w, "bare Fiber sending that INSERT for each request: %.0f req/s (%.1f%% of pgbench's INSERT)\n", b.Throughput, 100*ratio(b.Throughput, r.Ceilings.PgbenchInsertTPS))
	}
	if r.Me.Max.Requests > 0 {
		fmt.Fprintf(w, "GET /v1/me: %.1f%% of bare Fiber (target ≥ 50%%); p99 at 70%% of max %.1f ms (target ≤ 25)%s\n", 100*r.Me.RatioToBare, r.Me.At70.Latency.P99, inServer(r.Me.At70))
	}
	if r.Documents.Max.Requests > 0 {
		fmt.Fprintf(w, "POST /v1/documents: %.1f%% of pgbench (target ≥ 25%%), %.1f%% of its statements sent by pgbench, %.1f%% of bare Fiber sending the INSERT%s\n",
			100*r.Documents.RatioToPgbench, 100*r.Documents.RatioToKeyedDocument, 100*r.Documents.RatioToBareInsert, inServer(r.Documents.Max))
	}
	if r.RoundSurge.Applications.Requests > 0 {
		fmt.Fprintf(w, "round surge: %d applications sent, %d stored, %d errors, p99 %.1f ms (targets 0 errors, ≤ 250); RSS api %.0f MiB, worker %.0f MiB\n",
			r.RoundSurge.Applications.Requests, r.RoundSurge.Stored, r.RoundSurge.Applications.Errors, r.RoundSurge.Applications.Latency.P99,
			r.RoundSurge.APIRSSMiB, r.RoundSurge.WorkerRSSMiB)
	}
	if d := r.DocumentSurge; d.Documents > 0 {
		fmt.Fprintf(w, "document surge: %d/%d accepted, complete→accepted p50 %.0f ms, p99 %.0f ms (target ≤ 5000), all done in %.1f s; RSS api %.0f MiB, worker %.0f MiB\n",
			d.Accepted, d.Documents, d.CompleteToAccepted.P50, d.CompleteToAccepted.P99, d.AllDoneSeconds, d.APIRSSMiB, d.WorkerRSSMiB)
	}
}

// inServer says what the API measured of a phase, if it was read.
func inServer(p Phase) string {
	if p.Server == nil {
		return ""
	}
	return fmt.Sprintf("; in the API p50 ≤ %g, p90 ≤ %g, p99 ≤ %g ms", p.Server.P50, p.Server.P90, p.Server.P99)
}

// serveBare is the ceiling: Fiber of the version Anju uses, default
// configuration, one handler answering a small JSON object. Given a
// database, POST /v1/documents also sends pgbench's single-row INSERT
// (pgbench/insert.sql) through a pool sized as the API's (the same URL), and
// answers 201.
func serveBare(ctx context.Context, addr, dbURL string) error {
	app := fiber.New(fiber.Config{DisableStartupMessage: true})
	app.Get("/v1/me", func(c *fiber.Ctx) error {
		return c.JSON(fiber.Map{"user": fiber.Map{"id": "0193a4f0-0000-7000-8000-000000000001", "locale": "zh-CN"}})
	})
	if dbURL != "" {
		insert, err := pgbenchScripts.ReadFile("pgbench/insert.sql")
		if err != nil {
			return err
		}
		pool, err := pgxpool.New(ctx, dbURL)
		if err != nil {
			return err
		}
		defer pool.Close()
		app.Post("/v1/documents", func(c *fiber.Ctx) error {
			if _, err := pool.Exec(c.UserContext(), string(insert)); err != nil {
				return err
			}
			return c.Status(fiber.StatusCreated).JSON(fiber.Map{"document": fiber.Map{"id": "0193a4f0-0000-7000-8000-000000000002"}})
		})
	}
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	go func() { <-ctx.Done(); _ = app.Shutdown() }()
	return app.Listener(ln)
}
