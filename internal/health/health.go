// Package health checks the services Anju depends on, for the readiness
// probe and for the anju_dependency_up gauge.
//
// Only what every request needs (PostgreSQL) decides readiness: a pod that
// cannot reach Redis or MinIO still serves everything that does not need
// them, and the routes that do answer 503 with a code naming the service.
// Taking every API pod out of the load balancer for a Redis blip would turn
// a degraded feature into a full outage.
package health

import (
	"context"
	"log/slog"
	"sync"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Check reports whether one dependency answers.
type Check func(context.Context) error

// Checks are the dependency checks by name ("postgres", "redis", "minio").
type Checks map[string]Check

// Timeout bounds one check.
const Timeout = 2 * time.Second

// Run runs every check at once, each within Timeout, and returns which are
// up by name; failures are logged.
func (c Checks) Run(ctx context.Context, logger *slog.Logger) map[string]bool {
	ctx, cancel := context.WithTimeout(ctx, Timeout)
	defer cancel()
	var mu sync.Mutex
	var wg sync.WaitGroup
	up := make(map[string]bool, len(c))
	for name, check := range c {
		wg.Go(func() {
			err := check(ctx)
			if err != nil && logger != nil {
				logger.WarnContext(ctx, "dependency check failed", "dependency", name, "err", err)
			}
			mu.Lock()
			defer mu.Unlock()
			up[name] = err == nil
		})
	}
	wg.Wait()
	return up
}

var upDesc = prometheus.NewDesc("anju_dependency_up",
	"Whether a dependency answered its check at scrape time (1) or not (0).", []string{"dependency"}, nil)

// Collector returns a Prometheus collector that runs the checks when
// scraped and reports anju_dependency_up{dependency}.
func (c Checks) Collector(logger *slog.Logger) prometheus.Collector {
	return collector{checks: c, logger: logger}
}

type collector struct {
	checks Checks
	logger *slog.Logger
}

func (c collector) Describe(ch chan<- *prometheus.Desc) { ch <- upDesc }

func (c collector) Collect(ch chan<- prometheus.Metric) {
	for name, ok := range c.checks.Run(context.Background(), c.logger) {
		v := 0.0
		if ok {
			v = 1
		}
		ch <- prometheus.MustNewConstMetric(upDesc, prometheus.GaugeValue, v, name)
	}
}
