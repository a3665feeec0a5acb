package main

import (
	"bufio"
	"context"
	"fmt"
	"math"
	"net/http"
	"sort"
	"strconv"
	"strings"

	vegeta "github.com/tsenart/vegeta/v12/lib"
)

// histogram is the API's own anju_http_request_duration_seconds for one
// route: cumulative counts by bucket upper bound, in seconds.
type histogram map[float64]float64

// serverHistogram reads the API's metrics for one
// method and route.
func (s *stack) serverHistogram(ctx context.Context, method, route string) (histogram, error) {
	req, err := http.NewRequestWithContext(ctx, "GET", s.apiURL+"/metrics", nil)
	if err != nil {
		return nil, err
	}
	res, err := httpClient.Do(req)
	if err != nil {
		return nil, err
	}
	defer res.Body.Close()
	if res.StatusCode != http.StatusOK {
		return nil, fmt.Errorf("GET /metrics: %s", res.Status)
	}
	h := histogram{}
	want := fmt.Sprintf(`method=%q,route=%q`, method, route)
	sc := bufio.NewScanner(res.Body)
	sc.Buffer(make([]byte, 64*1024), 1024*1024)
	for sc.Scan() {
		line := sc.Text()
		if !strings.HasPrefix(line, "anju_http_request_duration_seconds_bucket{") || !strings.Contains(line, want) {
			continue
		}
		_, rest, _ := strings.Cut(line, `le="`)
		le, rest, _ := strings.Cut(rest, `"}`)
		bound, err := strconv.ParseFloat(le, 64)
		if le == "+Inf" {
			bound, err = math.Inf(1), nil
		}
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %v", line, err)
		}
		n, err := strconv.ParseFloat(strings.TrimSpace(rest), 64)
		if err != nil {
			return nil, fmt.Errorf("metrics line %q: %v", line, err)
		}
		h[bound] = n
	}
	return h, sc.Err()
}

// serverLatency is what the API itself measured between two readings of
// its histogram: for each quantile, the upper bound of the bucket it falls
// in (so "≤ that many ms"), from the request's arrival in the handler chain
// to its answer. Against the harness's own figures for the same phase it
// tells the server's time apart from the time requests waited for a core
// or in the load generator.
func serverLatency(before, after histogram) *Latency {
	bounds := make([]float64, 0, len(after))
	for b := range after {
		bounds = append(bounds, b)
	}
	sort.Float64s(bounds)
	if len(bounds) == 0 {
		return nil
	}
	total := after[math.Inf(1)] - before[math.Inf(1)]
	if total <= 0 {
		return nil
	}
	at := func(q float64) float64 {
		for _, b := range bounds {
			if after[b]-before[b] >= q*total {
				return 1000 * b
			}
		}
		return math.Inf(1)
	}
	l := &Latency{P50: at(0.50), P90: at(0.90), P99: at(0.99), Max: at(1)}
	if math.IsInf(l.Max, 1) {
		l.Max = -1 // beyond the last bucket
	}
	return l
}

// measure runs one phase (attack) of requests to one method and route and
// adds what the API measured of them during it.
func (b *bench) measure(ctx context.Context, method, route, name string, tr vegeta.Targeter, rate vegeta.Rate, ok func(uint16) bool) (Phase, error) {
	before, err := b.s.serverHistogram(ctx, method, route)
	if err != nil {
		return Phase{}, err
	}
	_, p := attack(name, tr, rate, b.cfg.phase, ok)
	after, err := b.s.serverHistogram(ctx, method, route)
	if err != nil {
		return Phase{}, err
	}
	p.Server = serverLatency(before, after)
	return p, nil
}
