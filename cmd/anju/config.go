package main

import (
	"encoding/base64"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/pii"
)

// Config is every setting Anju takes, read once from ANJU_* environment
// variables (plus FIREBASE_AUTH_EMULATOR_HOST, which the Firebase SDK reads
// itself) and validated before anything starts.
type Config struct {
	Env      string // development | production
	HTTPAddr string
	// WorkerAddr serves /metrics and /healthz for a separate worker process.
	WorkerAddr string
	LogLevel   slog.Level

	DatabaseURL    string
	MigrateOnStart bool

	RedisAddr     string
	RedisPassword string
	RedisDB       int

	MinIOEndpoint       string
	MinIOPublicEndpoint string
	MinIOAccessKey      string
	MinIOSecretKey      string
	MinIOBucket         string
	MinIORegion         string
	MinIOUseTLS         bool

	FirebaseProjectID   string
	FirebaseCredentials string
	AuthEmulatorHost    string
	// FirebaseWebAPIKey and FirebaseAuthDomain are the Firebase web app's
	// public settings, handed to the console by GET /v1/public/config.
	FirebaseWebAPIKey  string
	FirebaseAuthDomain string
	FCMEndpoint        string

	PIIKeys     []pii.Key
	PIIIndexKey []byte
	// PIIRequireBound refuses personal data sealed in the legacy v1 format,
	// bound to no field or row; set it once `anju pii reseal` has rewritten
	// every stored value.
	PIIRequireBound bool

	// City is matched against graduates' household-registration place to
	// tell who is from out of town.
	City              string
	BootstrapAdmins   []string
	StaffProviders    []string
	RateLimitPerIP    int
	RateLimitPerUser  int
	ObjectionsPerHour int
	TrustedProxies    []string
	WorkerConcurrency int
	TaskRetryBase     time.Duration
	// ReconcileEvery is how often the reconciler looks for work whose task
	// is gone; ReconcileAfter is how long work may wait before it counts.
	ReconcileEvery  time.Duration
	ReconcileAfter  time.Duration
	ShutdownTimeout time.Duration
	UploadTTL       time.Duration
	DownloadTTL     time.Duration

	// RevocationMaxAge is the revocation delay: how long a user's
	// tokens-valid-after time from Firebase is trusted. RevocationGrace is
	// how long an older answer still serves while Firebase is unreachable.
	RevocationMaxAge time.Duration
	RevocationGrace  time.Duration
	// UserCacheTTL bounds how long a signed-in user's roles stay cached
	// (changes made in Anju invalidate them at once).
	UserCacheTTL time.Duration
	// LastSeenInterval is how often at most a user's last-seen time is written.
	LastSeenInterval time.Duration
	// Pprof serves /debug/pprof/ on WorkerAddr.
	Pprof bool
}

// Development defaults. Production refuses every one of them.
const (
	devMinIOAccessKey = "anju-dev"
	devMinIOSecretKey = "anju-dev-secret"
	// devPIIKeys and devPIIIndexKey are public: data sealed with them is not secret.
	devPIIKeys     = "dev:YW5qdS1kZXZlbG9wbWVudC1vbmx5LXBpaS1rZXkhISE="
	devPIIIndexKey = "YW5qdS1kZXZlbG9wbWVudC1vbmx5LWluZGV4LWtleSE="
)

// loadConfig reads and validates the configuration. It reports every
// problem at once, each naming the variable and how to fix it.
func loadConfig(getenv func(string) string) (Config, error) {
	var errs []error
	bad := func(name, format string, args ...any) {
		errs = append(errs, fmt.Errorf("%s: %s", name, fmt.Sprintf(format, args...)))
	}
	str := func(name, def string) string {
		if v := strings.TrimSpace(getenv(name)); v != "" {
			return v
		}
		return def
	}
	integer := func(name string, def, lo, hi int) int {
		v := str(name, "")
		if v == "" {
			return def
		}
		n, err := strconv.Atoi(v)
		if err != nil || n < lo || n > hi {
			bad(name, "must be a whole number from %d to %d (got %q)", lo, hi, v)
			return def
		}
		return n
	}
	boolean := func(name string, def bool) bool {
		v := str(name, "")
		if v == "" {
			return def
		}
		b, err := strconv.ParseBool(v)
		if err != nil {
			bad(name, "must be true or false (got %q)", v)
			return def
		}
		return b
	}
	duration := func(name string, def time.Duration) time.Duration {
		v := str(name, "")
		if v == "" {
			return def
		}
		d, err := time.ParseDuration(v)
		if err != nil || d <= 0 {
			bad(name, "must be a positive duration such as 30s or 5m (got %q)", v)
			return def
		}
		return d
	}

	c := Config{Env: str("ANJU_ENV", "development")}
	if c.Env != "development" && c.Env != "production" {
		bad("ANJU_ENV", "must be development or production (got %q)", c.Env)
	}
	prod := c.Env == "production"
	c.HTTPAddr = str("ANJU_HTTP_ADDR", ":8080")
	c.WorkerAddr = str("ANJU_WORKER_ADDR", ":8081")
	if err := c.LogLevel.UnmarshalText([]byte(str("ANJU_LOG_LEVEL", "info"))); err != nil {
		bad("ANJU_LOG_LEVEL", "must be debug, info, warn or error")
	}

	c.DatabaseURL = str("ANJU_DATABASE_URL", "postgres://postgres@127.0.0.1:55432/anju?sslmode=disable")
	if u, err := url.Parse(c.DatabaseURL); err != nil || (u.Scheme != "postgres" && u.Scheme != "postgresql") {
		bad("ANJU_DATABASE_URL", "must be a postgres:// URL")
	}
	c.MigrateOnStart = boolean("ANJU_MIGRATE_ON_START", !prod)

	c.RedisAddr = str("ANJU_REDIS_ADDR", "127.0.0.1:56379")
	c.RedisPassword = getenv("ANJU_REDIS_PASSWORD")
	c.RedisDB = integer("ANJU_REDIS_DB", 0, 0, 15)

	c.MinIOEndpoint = str("ANJU_MINIO_ENDPOINT", "127.0.0.1:59000")
	c.MinIOPublicEndpoint = str("ANJU_MINIO_PUBLIC_ENDPOINT", "")
	c.MinIOAccessKey = str("ANJU_MINIO_ACCESS_KEY", devMinIOAccessKey)
	c.MinIOSecretKey = str("ANJU_MINIO_SECRET_KEY", devMinIOSecretKey)
	c.MinIOBucket = str("ANJU_MINIO_BUCKET", "anju-documents")
	c.MinIORegion = str("ANJU_MINIO_REGION", "us-east-1")
	c.MinIOUseTLS = boolean("ANJU_MINIO_TLS", false)

	c.FirebaseProjectID = str("ANJU_FIREBASE_PROJECT_ID", "demo-anju")
	c.FirebaseCredentials = str("ANJU_FIREBASE_CREDENTIALS", "")
	c.AuthEmulatorHost = str("FIREBASE_AUTH_EMULATOR_HOST", "")
	// The emulator accepts any API key; a real project has its own.
	c.FirebaseWebAPIKey = str("ANJU_FIREBASE_WEB_API_KEY", "demo-api-key")
	c.FirebaseAuthDomain = str("ANJU_FIREBASE_AUTH_DOMAIN", c.FirebaseProjectID+".firebaseapp.com")
	c.FCMEndpoint = str("ANJU_FCM_ENDPOINT", "")

	keys := str("ANJU_PII_KEYS", "")
	index := str("ANJU_PII_INDEX_KEY", "")
	if !prod {
		keys = cmpOr(keys, devPIIKeys)
		index = cmpOr(index, devPIIIndexKey)
	}
	switch parsed, err := pii.ParseKeys(keys); {
	case keys == "":
		bad("ANJU_PII_KEYS", "is required in production: set id:base64 of 32 random bytes (e.g. k1:$(openssl rand -base64 32))")
	case err != nil:
		bad("ANJU_PII_KEYS", "%v; the format is id:base64[,id:base64…], the first key seals new data", err)
	case prod && strings.Contains(keys, strings.TrimPrefix(devPIIKeys, "dev:")):
		bad("ANJU_PII_KEYS", "contains the public development key; generate a real one")
	default:
		c.PIIKeys = parsed
	}
	switch secret, err := pii.DecodeSecret(index); {
	case index == "":
		bad("ANJU_PII_INDEX_KEY", "is required in production: base64 of at least 32 random bytes; never change it once data exists")
	case err != nil || len(secret) < 32:
		bad("ANJU_PII_INDEX_KEY", "must be base64 of at least 32 bytes")
	case prod && index == devPIIIndexKey:
		bad("ANJU_PII_INDEX_KEY", "is the public development key; generate a real one")
	default:
		c.PIIIndexKey = secret
	}

	if c.PIIKeys != nil && c.PIIIndexKey != nil {
		if _, err := pii.NewKeyring(c.PIIKeys, c.PIIIndexKey); err != nil {
			bad("ANJU_PII_KEYS", "%v", err)
		}
	}

	// Development databases are made fresh (tests, the demo) and `make
	// run` reseals an older one; a production database written before the
	// binding keeps opening its v1 values until the operator resealed it.
	c.PIIRequireBound = boolean("ANJU_PII_REQUIRE_BOUND", !prod)

	c.City = str("ANJU_CITY", "慈溪")
	for _, uid := range strings.Split(getenv("ANJU_BOOTSTRAP_ADMINS"), ",") {
		if uid = strings.TrimSpace(uid); uid != "" {
			c.BootstrapAdmins = append(c.BootstrapAdmins, uid)
		}
	}
	// Staff sign in with a second factor; these providers are trusted for
	// staff without one. The demo's staff sign in by password.
	staffDefault := "password,phone"
	if prod {
		staffDefault = ""
	}
	for _, p := range strings.Split(str("ANJU_STAFF_SIGN_IN_PROVIDERS", staffDefault), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if p == "anonymous" {
			bad("ANJU_STAFF_SIGN_IN_PROVIDERS", "must not trust anonymous sign-ins for staff")
		}
		c.StaffProviders = append(c.StaffProviders, p)
	}
	c.RateLimitPerIP = integer("ANJU_RATE_LIMIT_PER_IP", 600, 0, 1_000_000)
	c.RateLimitPerUser = integer("ANJU_RATE_LIMIT_PER_USER", 240, 0, 1_000_000)
	c.ObjectionsPerHour = integer("ANJU_OBJECTIONS_PER_HOUR", 5, 0, 1_000)
	for _, p := range strings.Split(getenv("ANJU_TRUSTED_PROXIES"), ",") {
		if p = strings.TrimSpace(p); p == "" {
			continue
		}
		if _, _, err := net.ParseCIDR(p); err != nil && net.ParseIP(p) == nil {
			bad("ANJU_TRUSTED_PROXIES", "%q is neither an IP address nor a CIDR such as 10.0.0.0/8", p)
		}
		c.TrustedProxies = append(c.TrustedProxies, p)
	}
	c.WorkerConcurrency = integer("ANJU_WORKER_CONCURRENCY", 10, 1, 1000)
	c.TaskRetryBase = duration("ANJU_TASK_RETRY_BASE", 5*time.Second)
	c.ReconcileEvery = duration("ANJU_RECONCILE_EVERY", time.Minute)
	c.ReconcileAfter = duration("ANJU_RECONCILE_AFTER", 10*time.Minute)
	c.ShutdownTimeout = duration("ANJU_SHUTDOWN_TIMEOUT", 25*time.Second)
	c.UploadTTL = duration("ANJU_UPLOAD_TTL", 15*time.Minute)
	c.DownloadTTL = duration("ANJU_DOWNLOAD_TTL", 5*time.Minute)
	c.RevocationMaxAge = duration("ANJU_REVOCATION_MAX_AGE", 60*time.Second)
	c.RevocationGrace = duration("ANJU_REVOCATION_GRACE", time.Hour)
	if c.RevocationGrace < c.RevocationMaxAge {
		bad("ANJU_REVOCATION_GRACE", "must be at least ANJU_REVOCATION_MAX_AGE (%s); it is how long an answer keeps serving past that while Firebase is unreachable (got %s)",
			c.RevocationMaxAge, c.RevocationGrace)
	}
	c.UserCacheTTL = duration("ANJU_USER_CACHE_TTL", 30*time.Second)
	c.LastSeenInterval = duration("ANJU_LAST_SEEN_INTERVAL", 5*time.Minute)
	c.Pprof = boolean("ANJU_PPROF", !prod)

	if prod {
		if c.AuthEmulatorHost != "" {
			bad("FIREBASE_AUTH_EMULATOR_HOST", "is set, which makes the Firebase SDK accept unsigned tokens; unset it in production")
		}
		if c.MinIOAccessKey == devMinIOAccessKey || c.MinIOSecretKey == devMinIOSecretKey {
			bad("ANJU_MINIO_ACCESS_KEY/ANJU_MINIO_SECRET_KEY", "are the development defaults; set the real credentials")
		}
	}
	return c, errors.Join(errs...)
}

func cmpOr(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// LogValue is what the start-up log line shows: secrets masked.
func (c Config) LogValue() slog.Value {
	db := c.DatabaseURL
	if u, err := url.Parse(db); err == nil {
		if _, has := u.User.Password(); has {
			u.User = url.UserPassword(u.User.Username(), "xxxxx")
		}
		db = u.Redacted()
	}
	keyIDs := make([]string, len(c.PIIKeys))
	for i, k := range c.PIIKeys {
		keyIDs[i] = k.ID
	}
	return slog.GroupValue(
		slog.String("env", c.Env),
		slog.String("http_addr", c.HTTPAddr),
		slog.String("worker_addr", c.WorkerAddr),
		slog.String("database_url", db),
		slog.Bool("migrate_on_start", c.MigrateOnStart),
		slog.String("redis_addr", c.RedisAddr),
		slog.String("redis_password", mask(c.RedisPassword)),
		slog.String("minio_endpoint", c.MinIOEndpoint),
		slog.String("minio_bucket", c.MinIOBucket),
		slog.String("minio_access_key", c.MinIOAccessKey),
		slog.String("minio_secret_key", mask(c.MinIOSecretKey)),
		slog.String("firebase_project_id", c.FirebaseProjectID),
		slog.String("firebase_credentials", c.FirebaseCredentials),
		slog.String("auth_emulator_host", c.AuthEmulatorHost),
		slog.String("fcm_endpoint", c.FCMEndpoint),
		slog.Any("pii_key_ids", keyIDs),
		slog.String("pii_index_key", mask(base64.StdEncoding.EncodeToString(c.PIIIndexKey))),
		slog.Bool("pii_require_bound", c.PIIRequireBound),
		slog.Int("bootstrap_admins", len(c.BootstrapAdmins)),
		slog.Any("staff_sign_in_providers", c.StaffProviders),
		slog.Int("rate_limit_per_ip", c.RateLimitPerIP),
		slog.Int("rate_limit_per_user", c.RateLimitPerUser),
		slog.Int("objections_per_hour", c.ObjectionsPerHour),
		slog.Duration("revocation_max_age", c.RevocationMaxAge),
		slog.Duration("revocation_grace", c.RevocationGrace),
		slog.Duration("user_cache_ttl", c.UserCacheTTL),
		slog.Bool("pprof", c.Pprof),
	)
}

func mask(secret string) string {
	if secret == "" {
		return ""
	}
	return "xxxxx"
}
