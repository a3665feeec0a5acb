package main

import (
	"bytes"
	"log/slog"
	"strings"
	"testing"
	"time"
)

func env(kv map[string]string) func(string) string {
	return func(k string) string { return kv[k] }
}

const realKeys = "k1:c2VjcmV0LXByb2R1Y3Rpb24ta2V5LTMyLWJ5dGVzISE="

func TestConfigDevelopmentDefaults(t *testing.T) {
	t.Parallel()
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.Env != "development" || c.HTTPAddr != ":8080" || !c.MigrateOnStart || len(c.PIIKeys) != 1 || c.PIIKeys[0].ID != "dev" ||
		!c.PIIRequireBound {
		t.Fatalf("%+v", c)
	}
}

func TestConfigProductionRefusesUnsafeSettings(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"auth emulator", map[string]string{"FIREBASE_AUTH_EMULATOR_HOST": "127.0.0.1:9099"}, "FIREBASE_AUTH_EMULATOR_HOST"},
		{"no PII key", map[string]string{"ANJU_PII_KEYS": ""}, "ANJU_PII_KEYS: is required"},
		{"dev PII key", map[string]string{"ANJU_PII_KEYS": devPIIKeys}, "ANJU_PII_KEYS: contains the public development key"},
		{"dev index key", map[string]string{"ANJU_PII_INDEX_KEY": devPIIIndexKey}, "ANJU_PII_INDEX_KEY: is the public development key"},
		{"dev MinIO credentials", map[string]string{"ANJU_MINIO_ACCESS_KEY": "", "ANJU_MINIO_SECRET_KEY": ""}, "ANJU_MINIO_ACCESS_KEY/ANJU_MINIO_SECRET_KEY"},
		{"short PII key", map[string]string{"ANJU_PII_KEYS": "k1:c2hvcnQ="}, "must be 32 bytes"},
		{"bad number", map[string]string{"ANJU_REDIS_DB": "sixteen"}, `ANJU_REDIS_DB: must be a whole number from 0 to 15 (got "sixteen")`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			kv := map[string]string{
				"ANJU_ENV": "production", "ANJU_PII_KEYS": realKeys,
				"ANJU_PII_INDEX_KEY":    "aW5kZXgta2V5LWZvci1wcm9kdWN0aW9uLTMyLWJ5dGVzISE=",
				"ANJU_MINIO_ACCESS_KEY": "city-anju", "ANJU_MINIO_SECRET_KEY": "a-long-real-secret",
			}
			for k, v := range tt.env {
				kv[k] = v
			}
			_, err := loadConfig(env(kv))
			if err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Fatalf("got %v, want an error containing %q", err, tt.want)
			}
		})
	}
	ok := map[string]string{
		"ANJU_ENV": "production", "ANJU_PII_KEYS": realKeys,
		"ANJU_PII_INDEX_KEY":    "aW5kZXgta2V5LWZvci1wcm9kdWN0aW9uLTMyLWJ5dGVzISE=",
		"ANJU_MINIO_ACCESS_KEY": "city-anju", "ANJU_MINIO_SECRET_KEY": "a-long-real-secret",
	}
	c, err := loadConfig(env(ok))
	if err != nil || c.MigrateOnStart {
		t.Fatalf("a sound production config: %v (migrate on start %v)", err, c.MigrateOnStart)
	}
	if c.Pprof {
		t.Error("pprof is on by default in production")
	}
	// A production database may hold values sealed before the binding:
	// they keep opening until the operator has resealed them.
	if c.PIIRequireBound {
		t.Error("legacy sealed values are refused by default in production")
	}
	ok["ANJU_PII_REQUIRE_BOUND"] = "true"
	if c, err := loadConfig(env(ok)); err != nil || !c.PIIRequireBound {
		t.Errorf("ANJU_PII_REQUIRE_BOUND=true: %v %v", c.PIIRequireBound, err)
	}
}

func TestConfigSignInCaches(t *testing.T) {
	t.Parallel()
	c, err := loadConfig(env(nil))
	if err != nil {
		t.Fatal(err)
	}
	if c.RevocationMaxAge != 60*time.Second || c.RevocationGrace != time.Hour || c.UserCacheTTL != 30*time.Second ||
		c.LastSeenInterval != 5*time.Minute || !c.Pprof {
		t.Errorf("defaults: max age %s, grace %s, user cache %s, last seen %s, pprof %v",
			c.RevocationMaxAge, c.RevocationGrace, c.UserCacheTTL, c.LastSeenInterval, c.Pprof)
	}
	c, err = loadConfig(env(map[string]string{"ANJU_REVOCATION_MAX_AGE": "2m", "ANJU_REVOCATION_GRACE": "30m", "ANJU_PPROF": "false"}))
	if err != nil || c.RevocationMaxAge != 2*time.Minute || c.RevocationGrace != 30*time.Minute || c.Pprof {
		t.Errorf("set: %v, %s, %s, pprof %v", err, c.RevocationMaxAge, c.RevocationGrace, c.Pprof)
	}
	for _, tt := range []struct {
		env  map[string]string
		want string
	}{
		{map[string]string{"ANJU_REVOCATION_MAX_AGE": "a minute"}, `ANJU_REVOCATION_MAX_AGE: must be a positive duration such as 30s or 5m (got "a minute")`},
		{map[string]string{"ANJU_REVOCATION_MAX_AGE": "2m", "ANJU_REVOCATION_GRACE": "1m"}, "ANJU_REVOCATION_GRACE: must be at least ANJU_REVOCATION_MAX_AGE (2m0s)"},
		{map[string]string{"ANJU_USER_CACHE_TTL": "-1s"}, "ANJU_USER_CACHE_TTL: must be a positive duration"},
		{map[string]string{"ANJU_LAST_SEEN_INTERVAL": "0"}, "ANJU_LAST_SEEN_INTERVAL: must be a positive duration"},
		{map[string]string{"ANJU_PPROF": "sometimes"}, `ANJU_PPROF: must be true or false (got "sometimes")`},
	} {
		if _, err := loadConfig(env(tt.env)); err == nil || !strings.Contains(err.Error(), tt.want) {
			t.Errorf("%v: got %v, want %q", tt.env, err, tt.want)
		}
	}
}

func TestConfigLogMasksSecrets(t *testing.T) {
	t.Parallel()
	c, err := loadConfig(env(map[string]string{
		"ANJU_DATABASE_URL": "postgres://anju:db-password@db:5432/anju", "ANJU_REDIS_PASSWORD": "redis-password",
		"ANJU_MINIO_SECRET_KEY": "minio-secret", "ANJU_PII_KEYS": realKeys,
	}))
	if err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	slog.New(slog.NewJSONHandler(&buf, nil)).Info("starting", "config", c)
	out := buf.String()
	for _, secret := range []string{"db-password", "redis-password", "minio-secret", "c2VjcmV0LXByb2R1Y3Rpb24", "YW5qdS1kZXZ"} {
		if strings.Contains(out, secret) {
			t.Errorf("start-up log shows %q: %s", secret, out)
		}
	}
	if !strings.Contains(out, `"pii_key_ids":["k1"]`) {
		t.Errorf("key ids missing: %s", out)
	}
}

func TestRunUsage(t *testing.T) {
	t.Parallel()
	var out bytes.Buffer
	if err := run(t.Context(), []string{"version"}, env(nil), &out); err != nil || !strings.HasPrefix(out.String(), "anju ") {
		t.Fatalf("version: %q %v", out.String(), err)
	}
	if err := run(t.Context(), []string{"frobnicate"}, env(nil), &out); err == nil || !strings.Contains(err.Error(), "unknown command") {
		t.Fatalf("unknown command: %v", err)
	}
}
