package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"
	"time"

	"github.com/anju-city/anju/internal/firebase"
	"github.com/anju-city/anju/internal/logging"
	"github.com/anju-city/anju/internal/objectstore"
	"github.com/anju-city/anju/internal/pii"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/calendar"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/redis/go-redis/v9"
)

// system is every adapter, built once from the configuration.
type system struct {
	cfg     Config
	logger  *slog.Logger
	db      *postgres.DB
	redis   *redis.Client
	objects *objectstore.Store
	vault   *pii.Keyring
	service *talent.Service
	claims  *allowance.Service
	housing *housing.Service
	rounds  *housing.Rounds
	leases  *housing.Leases
}

type clock struct{}

func (clock) Now() time.Time { return time.Now() }

// build connects the adapters. Nothing here waits for a server to answer,
// so that a process can start while a dependency is still coming up; the
// readiness check reports it.
func build(ctx context.Context, cfg Config, stdout io.Writer) (*system, error) {
	s := &system{cfg: cfg, logger: logging.New(stdout, cfg.LogLevel)}
	var err error
	if s.db, err = postgres.Open(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	setRedisLogger.Do(func() { redis.SetLogger(redisLogger{s.logger}) })
	s.redis = redis.NewClient(s.redisOptions())
	s.objects, err = objectstore.New(ctx, objectstore.Config{
		Endpoint: cfg.MinIOEndpoint, PublicEndpoint: cfg.MinIOPublicEndpoint, AccessKey: cfg.MinIOAccessKey,
		SecretKey: cfg.MinIOSecretKey, Bucket: cfg.MinIOBucket, Region: cfg.MinIORegion, UseTLS: cfg.MinIOUseTLS,
	})
	if err != nil {
		s.close()
		return nil, fmt.Errorf("object store: %w", err)
	}
	if s.vault, err = pii.NewKeyring(cfg.PIIKeys, cfg.PIIIndexKey); err != nil {
		s.close()
		return nil, err
	}
	s.service = &talent.Service{
		Store: s.db, Objects: s.objects, Vault: s.vault, Clock: clock{}, Logger: s.logger,
		BootstrapAdmins: cfg.BootstrapAdmins, UploadTTL: cfg.UploadTTL, DownloadTTL: cfg.DownloadTTL,
	}
	cal, err := calendar.Default()
	if err != nil {
		s.close()
		return nil, fmt.Errorf("working-day calendar: %w", err)
	}
	defaults, err := policy.DefaultPackages()
	if err != nil {
		s.close()
		return nil, fmt.Errorf("default policy packages: %w", err)
	}
	s.housing = &housing.Service{Store: s.db, Clock: clock{}}
	s.claims = &allowance.Service{Talent: s.service, Store: s.db, Calendar: cal, Defaults: defaults, City: cfg.City}
	s.leases = &housing.Leases{Talent: s.service, Store: s.db}
	s.rounds = &housing.Rounds{Talent: s.service, Store: s.db, Offers: s.db, Corrections: s.db, Units: s.db, Packages: s.claims.Packages, Facts: s.claims.ProfileFacts}
	return s, nil
}

func (s *system) redisOptions() *redis.Options {
	return &redis.Options{Addr: s.cfg.RedisAddr, Password: s.cfg.RedisPassword, DB: s.cfg.RedisDB}
}

// verifier builds the sign-in token verifier.
func (s *system) verifier(ctx context.Context) (talent.Verifier, error) {
	return firebase.NewVerifier(ctx, s.firebaseConfig())
}

// pusher builds FCM push; in development without credentials or an FCM
// endpoint, pushes are only logged and the inbox still works.
func (s *system) pusher(ctx context.Context) (talent.Pusher, error) {
	// Production without a credentials file uses the platform's default
	// credentials (workload identity).
	if s.cfg.Env != "production" && s.cfg.FCMEndpoint == "" && s.cfg.FirebaseCredentials == "" {
		return firebase.LogPusher{Logger: s.logger}, nil
	}
	return firebase.NewPusher(ctx, s.firebaseConfig())
}

func (s *system) firebaseConfig() firebase.Config {
	return firebase.Config{ProjectID: s.cfg.FirebaseProjectID, CredentialsFile: s.cfg.FirebaseCredentials, FCMEndpoint: s.cfg.FCMEndpoint}
}

func (s *system) close() {
	if s.redis != nil {
		_ = s.redis.Close()
	}
	if s.db != nil {
		s.db.Close()
	}
}

// setRedisLogger guards go-redis's process-wide logger, set by the first
// system built.
var setRedisLogger sync.Once

// redisLogger sends go-redis's own messages (reconnect attempts) to the JSON log.
type redisLogger struct{ l *slog.Logger }

func (r redisLogger) Printf(ctx context.Context, format string, v ...any) {
	r.l.WarnContext(ctx, fmt.Sprintf(format, v...), "component", "redis")
}
