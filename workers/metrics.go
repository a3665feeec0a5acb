package workers

import (
	"context"
	"log/slog"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
)

// Metrics are the worker side's Prometheus metrics: queue depth, outbox lag
// and push results.
type Metrics struct {
	relayed prometheus.Counter
	pushes  *prometheus.CounterVec
	// failedRows counts the rows periodic jobs skipped because they failed.
	failedRows *prometheus.CounterVec
	// redriven counts the work the reconciler drove again, by kind.
	redriven *prometheus.CounterVec
}

// OutboxLagger reports the outbox backlog.
type OutboxLagger interface {
	OutboxLag(ctx context.Context) (pending int, oldest time.Duration, err error)
}

// NewMetrics registers the metrics. Queue depth and outbox lag are read when
// Prometheus scrapes, so they cost nothing between scrapes.
func NewMetrics(reg prometheus.Registerer, inspector *asynq.Inspector, outbox OutboxLagger, logger *slog.Logger) *Metrics {
	m := &Metrics{
		relayed: prometheus.NewCounter(prometheus.CounterOpts{
			Name: "anju_outbox_published_total", Help: "Outbox rows published to the queue.",
		}),
		pushes: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "anju_push_results_total", Help: "Push notification sends by result.",
		}, []string{"result"}),
		failedRows: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "anju_job_rows_failed_total", Help: "Rows a periodic job could not process and skipped, by job.",
		}, []string{"job"}),
		redriven: prometheus.NewCounterVec(prometheus.CounterOpts{
			Name: "anju_reconciler_redriven_total", Help: "Work whose task was gone that the reconciler drove again, by kind.",
		}, []string{"kind"}),
	}
	reg.MustRegister(m.relayed, m.pushes, m.failedRows, m.redriven, &collector{inspector: inspector, outbox: outbox, logger: logger})
	return m
}

var (
	queueDepthDesc = prometheus.NewDesc("anju_queue_depth", "Tasks in each queue by state.", []string{"queue", "state"}, nil)
	outboxPendDesc = prometheus.NewDesc("anju_outbox_pending", "Outbox rows not yet published.", nil, nil)
	outboxLagDesc  = prometheus.NewDesc("anju_outbox_lag_seconds", "Age of the oldest unpublished outbox row.", nil, nil)
)

type collector struct {
	inspector *asynq.Inspector
	outbox    OutboxLagger
	logger    *slog.Logger
}

func (c *collector) Describe(ch chan<- *prometheus.Desc) {
	ch <- queueDepthDesc
	ch <- outboxPendDesc
	ch <- outboxLagDesc
}

func (c *collector) Collect(ch chan<- prometheus.Metric) {
	for q := range Queues {
		info, err := c.inspector.GetQueueInfo(q)
		if err != nil {
			continue // a queue that never held a task does not exist yet
		}
		for state, n := range map[string]int{
			"pending": info.Pending, "active": info.Active, "scheduled": info.Scheduled,
			"retry": info.Retry, "archived": info.Archived,
		} {
			ch <- prometheus.MustNewConstMetric(queueDepthDesc, prometheus.GaugeValue, float64(n), q, state)
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	pending, oldest, err := c.outbox.OutboxLag(ctx)
	if err != nil {
		c.logger.Warn("reading outbox lag", "err", err)
		return
	}
	ch <- prometheus.MustNewConstMetric(outboxPendDesc, prometheus.GaugeValue, float64(pending))
	ch <- prometheus.MustNewConstMetric(outboxLagDesc, prometheus.GaugeValue, oldest.Seconds())
}

// CountPushes wraps a Pusher so every send is counted by result.
func (m *Metrics) CountPushes(p talent.Pusher) talent.Pusher {
	return countingPusher{next: p, results: m.pushes}
}

type countingPusher struct {
	next    talent.Pusher
	results *prometheus.CounterVec
}

func (c countingPusher) Push(ctx context.Context, msg talent.PushMessage) error {
	err := c.next.Push(ctx, msg)
	result := "sent"
	switch {
	case err == nil:
	case talent.HasCode(err, talent.CodePushUnregistered):
		result = "unregistered"
	case talent.HasCode(err, talent.CodePushRejected):
		result = "rejected"
	default:
		result = "failed"
	}
	c.results.WithLabelValues(result).Inc()
	return err
}

// skipped counts rows a periodic job skipped; a nil Metrics counts nothing.
func (m *Metrics) skipped(job string, n int) {
	if m != nil {
		m.failedRows.WithLabelValues(job).Add(float64(n))
	}
}

// redrove counts work the reconciler drove again.
func (m *Metrics) redrove(kind string, n int) {
	if m != nil && n > 0 {
		m.redriven.WithLabelValues(kind).Add(float64(n))
	}
}
