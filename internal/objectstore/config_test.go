package objectstore_test

import (
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/objectstore"
	"github.com/anju-city/anju/internal/talent"
)

func TestNewRejectsBadConfig(t *testing.T) {
	t.Parallel()
	good := objectstore.Config{Endpoint: "minio:9000", AccessKey: "k", SecretKey: "s", Bucket: "documents"}
	tests := []struct {
		name string
		edit func(*objectstore.Config)
	}{
		{"no endpoint", func(c *objectstore.Config) { c.Endpoint = "" }},
		{"endpoint with path", func(c *objectstore.Config) { c.Endpoint = "http://minio:9000/s3" }},
		{"no access key", func(c *objectstore.Config) { c.AccessKey = "" }},
		{"no secret key", func(c *objectstore.Config) { c.SecretKey = "" }},
		{"no bucket", func(c *objectstore.Config) { c.Bucket = "" }},
		{"invalid bucket", func(c *objectstore.Config) { c.Bucket = "Documents_2025" }},
		{"public endpoint with path", func(c *objectstore.Config) { c.PublicEndpoint = "https://files.city.gov.cn/minio" }},
		{"public endpoint scheme", func(c *objectstore.Config) { c.PublicEndpoint = "ftp://files.city.gov.cn" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			cfg := good
			tt.edit(&cfg)
			if _, err := objectstore.New(t.Context(), cfg); err == nil {
				t.Fatal("New accepted the config")
			}
		})
	}
	if _, err := objectstore.New(t.Context(), good); err != nil {
		t.Fatalf("New(good) = %v", err)
	}
}

// TestPresignUploadForm checks the form without a server: presigning is
// local computation once the region is configured.
func TestPresignUploadForm(t *testing.T) {
	t.Parallel()
	s, err := objectstore.New(t.Context(), objectstore.Config{
		Endpoint: "minio.internal:9000", AccessKey: "k", SecretKey: "s", Bucket: "documents",
		Region: "cn-east-1", PublicEndpoint: "https://files.city.gov.cn",
	})
	if err != nil {
		t.Fatal(err)
	}
	before := time.Now()
	form, err := s.PresignUpload(t.Context(), "documents/abc.pdf", "application/pdf", 1234, 10*time.Minute)
	if err != nil {
		t.Fatalf("PresignUpload: %v", err)
	}
	if form.URL != "https://files.city.gov.cn/documents/" {
		t.Errorf("URL = %q, want the public endpoint, path style", form.URL)
	}
	if form.ExpiresAt.Before(before.Add(10*time.Minute)) || form.ExpiresAt.After(time.Now().Add(10*time.Minute)) {
		t.Errorf("ExpiresAt = %v, want now+10m", form.ExpiresAt)
	}
	for k, want := range map[string]string{
		"bucket": "documents", "key": "documents/abc.pdf", "Content-Type": "application/pdf",
		"x-amz-algorithm": "AWS4-HMAC-SHA256",
	} {
		if form.Fields[k] != want {
			t.Errorf("field %s = %q, want %q", k, form.Fields[k], want)
		}
	}
	if !strings.Contains(form.Fields["x-amz-credential"], "/cn-east-1/s3/aws4_request") {
		t.Errorf("credential %q is not for the configured region", form.Fields["x-amz-credential"])
	}
	for _, k := range []string{"policy", "x-amz-date", "x-amz-signature"} {
		if form.Fields[k] == "" {
			t.Errorf("field %s missing", k)
		}
	}

	dl, err := s.PresignDownload(t.Context(), "documents/abc.pdf", time.Minute)
	if err != nil {
		t.Fatalf("PresignDownload: %v", err)
	}
	u, err := url.Parse(dl)
	if err != nil || u.Scheme != "https" || u.Host != "files.city.gov.cn" || u.Path != "/documents/documents/abc.pdf" {
		t.Errorf("download URL = %s, want https://files.city.gov.cn/documents/documents/abc.pdf?...", dl)
	}
	if u.Query().Get("X-Amz-Expires") != "60" {
		t.Errorf("X-Amz-Expires = %q, want 60", u.Query().Get("X-Amz-Expires"))
	}
}

func TestPresignRejectsBadArguments(t *testing.T) {
	t.Parallel()
	s, err := objectstore.New(t.Context(), objectstore.Config{Endpoint: "minio:9000", AccessKey: "k", SecretKey: "s", Bucket: "documents"})
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		name    string
		key, ct string
		size    int64
		ttl     time.Duration
	}{
		{"zero size", "documents/a.pdf", "application/pdf", 0, time.Minute},
		{"negative size", "documents/a.pdf", "application/pdf", -1, time.Minute},
		{"empty key", "", "application/pdf", 10, time.Minute},
		{"empty content type", "documents/a.pdf", "", 10, time.Minute},
		{"ttl too short", "documents/a.pdf", "application/pdf", 10, 500 * time.Millisecond},
		{"ttl too long", "documents/a.pdf", "application/pdf", 10, 8 * 24 * time.Hour},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := s.PresignUpload(t.Context(), tt.key, tt.ct, tt.size, tt.ttl)
			if talent.ErrorKind(err) != talent.KindInternal {
				t.Fatalf("PresignUpload = %v, want a KindInternal error", err)
			}
		})
	}
	if _, err := s.PresignDownload(t.Context(), "documents/a.pdf", 0); talent.ErrorKind(err) != talent.KindInternal {
		t.Fatalf("PresignDownload with ttl 0 = %v, want a KindInternal error", err)
	}
}
