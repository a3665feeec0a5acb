package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"sync"

	"github.com/anju-city/anju/internal/app"
	"github.com/anju-city/anju/internal/firebase"
	"github.com/anju-city/anju/internal/lastseen"
	"github.com/anju-city/anju/internal/logging"
	"github.com/anju-city/anju/internal/objectstore"
	"github.com/anju-city/anju/internal/pii"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/revocation"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/usercache"
	"github.com/prometheus/client_golang/prometheus"
	"github.com/redis/go-redis/v9"
)

// system is every adapter, built once from the configuration, and the
// application built on them.
type system struct {
	cfg     Config
	logger  *slog.Logger
	db      *postgres.DB
	redis   *redis.Client
	objects *objectstore.Store
	vault   *pii.Keyring
	app     *app.App
	// users caches signed-in users; every process has one so that a role
	// granted from the command line invalidates the API's caches too.
	users *usercache.Cache
	// presence records last-seen times (API processes only).
	presence *lastseen.Recorder
}

// connect builds the adapters. Nothing here waits for a server to answer,
// so that a process can start while a dependency is still coming up; the
// readiness check reports it.
func connect(ctx context.Context, cfg Config, stdout io.Writer) (*system, error) {
	s := &system{cfg: cfg, logger: logging.New(stdout, cfg.LogLevel)}
	var err error
	if s.db, err = postgres.Open(ctx, cfg.DatabaseURL); err != nil {
		return nil, err
	}
	setRedisLogger.Do(func() { redis.SetLogger(redisLogger{s.logger}) })
	s.redis = redis.NewClient(&redis.Options{Addr: cfg.RedisAddr, Password: cfg.RedisPassword, DB: cfg.RedisDB})
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
	s.vault.RequireBound = cfg.PIIRequireBound
	s.users = usercache.New(s.redis, usercache.Options{TTL: cfg.UserCacheTTL, Logger: s.logger})
	return s, nil
}

// build connects the adapters and builds the application on them. pusher
// is the push channel; nil for a process that does not push.
func build(ctx context.Context, cfg Config, stdout io.Writer, pusher talent.Pusher) (*system, error) {
	s, err := connect(ctx, cfg, stdout)
	if err != nil {
		return nil, err
	}
	if err := s.assemble(pusher); err != nil {
		s.close()
		return nil, err
	}
	return s, nil
}

// assemble builds the application graph once.
func (s *system) assemble(pusher talent.Pusher) error {
	// A nil *Recorder would be a non-nil interface.
	var presence account.Presence
	if s.presence != nil {
		presence = s.presence
	}
	a, err := app.New(app.Deps{
		Stores: postgres.Stores(s.db), Objects: s.objects, Pusher: pusher, Vault: s.vault, Clock: app.SystemClock{},
		Logger: s.logger, Users: s.users, Presence: presence,
		Settings: app.Settings{City: s.cfg.City, BootstrapAdmins: s.cfg.BootstrapAdmins, StaffProviders: s.cfg.StaffProviders,
			UploadTTL: s.cfg.UploadTTL, DownloadTTL: s.cfg.DownloadTTL},
	})
	s.app = a
	return err
}

// verifier builds the sign-in token verifier, checking revocation through
// a cache shared in Redis.
func (s *system) verifier(ctx context.Context, reg prometheus.Registerer) (talent.Verifier, error) {
	v, err := firebase.NewVerifier(ctx, s.firebaseConfig())
	if err != nil {
		return nil, err
	}
	v.UseRevocationCache(revocation.New(v, revocation.NewRedis(s.redis), revocation.Options{
		MaxAge: s.cfg.RevocationMaxAge, Grace: s.cfg.RevocationGrace, Registerer: reg, Logger: s.logger,
	}))
	return v, nil
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
	return firebase.Config{ProjectID: s.cfg.FirebaseProjectID, CredentialsFile: s.cfg.FirebaseCredentials,
		AuthEmulatorHost: s.cfg.AuthEmulatorHost, FCMEndpoint: s.cfg.FCMEndpoint}
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
