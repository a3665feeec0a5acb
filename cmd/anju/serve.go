package main

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"net/http/pprof"
	"strings"
	"time"

	"github.com/anju-city/anju/api"
	"github.com/anju-city/anju/internal/health"
	"github.com/anju-city/anju/internal/lastseen"
	"github.com/anju-city/anju/internal/logging"
	"github.com/anju-city/anju/internal/ratelimit"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/usercache"
	"github.com/anju-city/anju/workers"
	"github.com/hibiken/asynq"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"
	"golang.org/x/sync/errgroup"
)

// serve runs the API, the workers or both until ctx ends, then drains:
// in-flight requests finish, in-flight tasks finish or go back to the queue.
func serve(ctx context.Context, cfg Config, mode string, stdout io.Writer) error {
	// A serving process logs a line per request: written out in batches.
	logs := logging.NewBuffered(stdout, 100*time.Millisecond)
	defer func() { _ = logs.Close() }()
	s, err := connect(ctx, cfg, logs)
	if err != nil {
		return err
	}
	defer s.close()
	s.logger.InfoContext(ctx, "starting", "mode", mode, "version", version, "config", cfg)
	reg := prometheus.NewRegistry()
	reg.MustRegister(collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}),
		s.checks().Collector(s.logger))

	// A process that runs workers pushes, through a counting wrapper; the
	// API alone never pushes.
	var pusher talent.Pusher
	var metrics *workers.Metrics
	if mode == "worker" || mode == "all" {
		p, err := s.pusher(ctx)
		if err != nil {
			return fmt.Errorf("firebase messaging: %w", err)
		}
		metrics = workers.NewMetrics(reg, asynq.NewInspectorFromRedisClient(s.redis), s.db.Outbox(), s.logger)
		pusher = metrics.CountPushes(p)
	}
	api := mode == "api" || mode == "all"
	if api {
		s.users = usercache.New(s.redis, usercache.Options{TTL: cfg.UserCacheTTL, Registerer: reg, Logger: s.logger})
		s.presence = lastseen.New(s.db.Users(), cfg.LastSeenInterval, s.logger)
	}
	if err := s.assemble(pusher); err != nil {
		return err
	}

	if cfg.MigrateOnStart {
		if err := s.db.Migrate(ctx, "up", io.Discard); err != nil {
			return fmt.Errorf("migrating at start: %w", err)
		}
	}
	// MinIO down at start does not keep the process from serving what does
	// not need it: the bucket is made sure of in the background once MinIO
	// answers. A configuration error (credentials, permissions) still stops
	// the start.
	bucketErr := s.objects.EnsureBucket(ctx)
	if bucketErr != nil && talent.ErrorKind(bucketErr) != talent.KindUnavailable {
		return fmt.Errorf("object store bucket %q: %w", cfg.MinIOBucket, bucketErr)
	}

	g, ctx := errgroup.WithContext(ctx)
	if bucketErr != nil {
		s.logger.WarnContext(ctx, "object store unavailable at start; document routes answer 503 until it is back", "err", bucketErr)
		g.Go(func() error { s.ensureBucketLater(ctx); return nil })
	}
	if api {
		if err := s.serveAPI(ctx, g, reg, stdout); err != nil {
			return err
		}
		g.Go(func() error { return s.users.Run(ctx) })
		g.Go(func() error { return s.presence.Run(ctx) })
	}
	if mode == "worker" || mode == "all" {
		if err := s.runWorkers(ctx, g, metrics); err != nil {
			return err
		}
	}
	// The worker's port serves /metrics and /healthz for a worker-only
	// process (the API serves them on its own port), and pprof in every
	// mode when it is on.
	if mode == "worker" || cfg.Pprof {
		s.serveInternalHTTP(ctx, g, reg, mode == "worker", stdout)
	}
	return g.Wait()
}

func (s *system) serveAPI(ctx context.Context, g *errgroup.Group, reg *prometheus.Registry, stdout io.Writer) error {
	verifier, err := s.verifier(ctx, reg)
	if err != nil {
		return fmt.Errorf("firebase auth: %w", err)
	}
	// The admin's user search finds an account by its email through the
	// same Admin SDK client (Anju keeps no email addresses).
	if accounts, ok := verifier.(account.Accounts); ok {
		s.app.Account.Accounts = accounts
	}
	app, err := api.New(s.app, api.Options{
		Verifier:    verifier,
		Idempotency: s.db.Idempotency(),
		Limiter:     ratelimit.New(s.redis),
		Client:      clientConfig(s.cfg),
		Limits:      api.Limits{PerIP: s.cfg.RateLimitPerIP, PerUser: s.cfg.RateLimitPerUser, ObjectionsPerHour: s.cfg.ObjectionsPerHour, TrustedProxies: s.cfg.TrustedProxies},
		Checks:      s.checks(),
		Required:    []string{"postgres"},
		Logger:      s.logger,
		Registry:    reg,
	})
	if err != nil {
		return err
	}
	ln, err := net.Listen("tcp", s.cfg.HTTPAddr)
	if err != nil {
		return fmt.Errorf("ANJU_HTTP_ADDR %s: %w", s.cfg.HTTPAddr, err)
	}
	// Tests and scripts read this line to learn the port when the address is :0.
	fmt.Fprintf(stdout, "anju api listening on http://%s\n", ln.Addr())
	g.Go(func() error { return app.Listener(ln) })
	g.Go(func() error {
		<-ctx.Done()
		return app.ShutdownWithTimeout(s.cfg.ShutdownTimeout)
	})
	return nil
}

// runWorkers starts the task server, the outbox relay and the scheduler.
func (s *system) runWorkers(ctx context.Context, g *errgroup.Group, metrics *workers.Metrics) error {
	client := asynq.NewClientFromRedisClient(s.redis)

	base := s.cfg.TaskRetryBase
	srv := asynq.NewServerFromRedisClient(s.redis, asynq.Config{
		Concurrency:     s.cfg.WorkerConcurrency,
		Queues:          workers.Queues,
		ShutdownTimeout: s.cfg.ShutdownTimeout,
		Logger:          asynqLogger{s.logger},
		// Exponential backoff with jitter, capped at 10 minutes.
		RetryDelayFunc: func(n int, _ error, _ *asynq.Task) time.Duration {
			d := base << min(n, 16)
			d = min(d, 10*time.Minute)
			return d/2 + rand.N(d/2+1)
		},
		DelayedTaskCheckInterval: time.Second,
	})
	if err := srv.Start(workers.NewMux(s.app, s.prune, s.logger, metrics)); err != nil {
		return fmt.Errorf("task server: %w", err)
	}
	inspector := asynq.NewInspectorFromRedisClient(s.redis)
	relay := &workers.Relay{Outbox: s.db.Outbox(), Queue: client, Tasks: inspector, Logger: s.logger, Metrics: metrics}
	sched := &workers.Scheduler{Queue: client, Jobs: workers.Jobs, Logger: s.logger}
	reconciler := &workers.Reconciler{Store: s.db.Reconcile(), Inspector: inspector, Queue: client, Logger: s.logger,
		Metrics: metrics, After: s.cfg.ReconcileAfter, Every: s.cfg.ReconcileEvery}
	g.Go(func() error { return relay.Run(ctx) })
	g.Go(func() error { return sched.Run(ctx) })
	g.Go(func() error { return reconciler.Run(ctx) })
	g.Go(func() error {
		<-ctx.Done()
		// Waits for in-flight tasks up to ShutdownTimeout, then requeues them.
		// The client shares the Redis connection, which build's close ends.
		srv.Shutdown()
		return nil
	})
	return nil
}

// prune is the hourly maintenance job: published outbox rows and old
// idempotency keys are deleted.
func (s *system) prune(ctx context.Context) error {
	if _, err := s.db.Outbox().PruneOutbox(ctx, 7*24*time.Hour); err != nil {
		return err
	}
	_, err := s.db.Idempotency().PruneIdempotency(ctx, 48*time.Hour)
	return err
}

// serveInternalHTTP serves the internal port (ANJU_WORKER_ADDR): /metrics
// and /healthz when health is set (a worker-only process), and
// /debug/pprof/ when ANJU_PPROF is on. The port is not behind the ingress;
// the chart's network policy admits only the metrics scrapers to it.
func (s *system) serveInternalHTTP(ctx context.Context, g *errgroup.Group, reg *prometheus.Registry, health bool, stdout io.Writer) {
	mux := http.NewServeMux()
	if health {
		mux.Handle("/metrics", promhttp.HandlerFor(reg, promhttp.HandlerOpts{}))
		mux.HandleFunc("/healthz", func(w http.ResponseWriter, _ *http.Request) {
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write([]byte(`{"status":"ok"}`))
		})
	}
	if s.cfg.Pprof {
		mux.HandleFunc("/debug/pprof/", pprof.Index)
		mux.HandleFunc("/debug/pprof/cmdline", pprof.Cmdline)
		mux.HandleFunc("/debug/pprof/profile", pprof.Profile)
		mux.HandleFunc("/debug/pprof/symbol", pprof.Symbol)
		mux.HandleFunc("/debug/pprof/trace", pprof.Trace)
	}
	srv := &http.Server{Addr: s.cfg.WorkerAddr, Handler: mux, ReadHeaderTimeout: 5 * time.Second}
	g.Go(func() error {
		ln, err := net.Listen("tcp", s.cfg.WorkerAddr)
		if err != nil {
			return fmt.Errorf("ANJU_WORKER_ADDR %s: %w", s.cfg.WorkerAddr, err)
		}
		// Tests and scripts read this line to learn the port when the address is :0.
		fmt.Fprintf(stdout, "anju internal port (metrics, pprof) on http://%s\n", ln.Addr())
		if err := srv.Serve(ln); !errors.Is(err, http.ErrServerClosed) {
			return err
		}
		return nil
	})
	g.Go(func() error {
		<-ctx.Done()
		sctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), s.cfg.ShutdownTimeout)
		defer cancel()
		return srv.Shutdown(sctx)
	})
}

// checks are the dependency checks: /readyz reports them (only PostgreSQL
// decides readiness) and anju_dependency_up shows them in every mode.
func (s *system) checks() health.Checks {
	return health.Checks{
		"postgres": s.db.Ping,
		"redis":    func(ctx context.Context) error { return s.redis.Ping(ctx).Err() },
		"minio":    s.objects.Ping,
	}
}

// ensureBucketLater retries EnsureBucket until MinIO answers or ctx ends.
func (s *system) ensureBucketLater(ctx context.Context) {
	for delay := time.Second; ctx.Err() == nil; delay = min(2*delay, 30*time.Second) {
		select {
		case <-ctx.Done():
			return
		case <-time.After(delay):
		}
		if err := s.objects.EnsureBucket(ctx); err == nil {
			s.logger.InfoContext(ctx, "object store bucket ready")
			return
		} else if ctx.Err() == nil {
			s.logger.WarnContext(ctx, "object store still unavailable", "err", err)
		}
	}
}

// clientConfig is what the console and apps are told about signing in.
func clientConfig(c Config) api.ClientConfig {
	out := api.ClientConfig{FirebaseAPIKey: c.FirebaseWebAPIKey, FirebaseAuthDomain: c.FirebaseAuthDomain, FirebaseProjectID: c.FirebaseProjectID,
		StaffSignInProviders: c.StaffProviders}
	if c.AuthEmulatorHost != "" {
		out.AuthEmulatorURL = "http://" + c.AuthEmulatorHost
	}
	scheme, host := "http://", cmp.Or(c.MinIOPublicEndpoint, c.MinIOEndpoint)
	if c.MinIOUseTLS {
		scheme = "https://"
	}
	if strings.Contains(host, "://") {
		scheme = ""
	}
	out.DocumentOrigin = scheme + host
	return out
}
