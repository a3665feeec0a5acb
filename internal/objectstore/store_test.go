package objectstore_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"

	"github.com/anju-city/anju/internal/objectstore"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

// newStore returns a Store on a fresh, ensured bucket of the test MinIO.
func newStore(t *testing.T) (testenv.MinIO, *objectstore.Store) {
	t.Helper()
	m := testenv.NewMinIO(t)
	s, err := objectstore.New(t.Context(), objectstore.Config{
		Endpoint:  m.Endpoint,
		AccessKey: m.AccessKey,
		SecretKey: m.SecretKey,
		Bucket:    m.Bucket,
	})
	if err != nil {
		t.Fatalf("New: %v", err)
	}
	if err := s.EnsureBucket(t.Context()); err != nil {
		t.Fatalf("EnsureBucket: %v", err)
	}
	return m, s
}

// document returns n random bytes that start like a PDF, so that the head
// is recognisable and the hash is unique to the test.
func document(t *testing.T, n int) []byte {
	t.Helper()
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		t.Fatal(err)
	}
	copy(b, "%PDF-1.7\n")
	return b
}

func newKey() string {
	var b [8]byte
	_, _ = rand.Read(b[:])
	return "documents/" + hex.EncodeToString(b[:]) + ".pdf"
}

// upload performs the app's multipart POST and returns status and body.
func upload(t *testing.T, form talent.UploadForm, contentType string, body []byte) (int, string) {
	t.Helper()
	resp, err := objectstore.Upload(t.Context(), http.DefaultClient, form, contentType, body)
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	defer resp.Body.Close()
	msg, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(msg)
}

func anonymousGet(t *testing.T, m testenv.MinIO, key string) int {
	t.Helper()
	resp, err := http.Get("http://" + m.Endpoint + "/" + m.Bucket + "/" + key)
	if err != nil {
		t.Fatalf("anonymous GET: %v", err)
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, resp.Body)
	return resp.StatusCode
}

func putObject(t *testing.T, m testenv.MinIO, key string, body []byte) {
	t.Helper()
	_, err := m.Client.PutObject(t.Context(), m.Bucket, key, bytes.NewReader(body), int64(len(body)), minio.PutObjectOptions{ContentType: "application/pdf"})
	if err != nil {
		t.Fatalf("PutObject: %v", err)
	}
}

func wantKind(t *testing.T, err error, kind talent.Kind, code string) {
	t.Helper()
	var te *talent.Error
	if !errors.As(err, &te) {
		t.Fatalf("error = %v (%T), want *talent.Error %s/%s", err, err, kind, code)
	}
	if te.Kind != kind || te.Code.String() != code {
		t.Fatalf("error = %s/%s (%v), want %s/%s", te.Kind, te.Code, err, kind, code)
	}
}

func TestEnsureBucketCreatesPrivateBucket(t *testing.T) {
	t.Parallel()
	m, s := newStore(t)
	ok, err := m.Client.BucketExists(t.Context(), m.Bucket)
	if err != nil || !ok {
		t.Fatalf("BucketExists = %v, %v; want true", ok, err)
	}
	// A second start must find the bucket and leave it alone.
	if err := s.EnsureBucket(t.Context()); err != nil {
		t.Fatalf("second EnsureBucket: %v", err)
	}
	key := newKey()
	putObject(t, m, key, document(t, 100))
	if got := anonymousGet(t, m, key); got != http.StatusForbidden {
		t.Fatalf("anonymous GET status = %d, want 403", got)
	}
	if err := s.Ping(t.Context()); err != nil {
		t.Fatalf("Ping: %v", err)
	}
}

func TestEnsureBucketRemovesAnonymousPolicy(t *testing.T) {
	t.Parallel()
	m := testenv.NewMinIO(t)
	if err := m.Client.MakeBucket(t.Context(), m.Bucket, minio.MakeBucketOptions{}); err != nil {
		t.Fatal(err)
	}
	public := fmt.Sprintf(`{"Version":"2012-10-17","Statement":[{"Effect":"Allow","Principal":{"AWS":["*"]},"Action":["s3:GetObject"],"Resource":["arn:aws:s3:::%s/*"]}]}`, m.Bucket)
	if err := m.Client.SetBucketPolicy(t.Context(), m.Bucket, public); err != nil {
		t.Fatal(err)
	}
	key := newKey()
	putObject(t, m, key, document(t, 100))
	// Prove the policy really opened the bucket, or the test shows nothing.
	if got := anonymousGet(t, m, key); got != http.StatusOK {
		t.Fatalf("anonymous GET with public policy = %d, want 200", got)
	}

	s, err := objectstore.New(t.Context(), objectstore.Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: m.Bucket})
	if err != nil {
		t.Fatal(err)
	}
	if err := s.EnsureBucket(t.Context()); err != nil {
		t.Fatalf("EnsureBucket: %v", err)
	}
	if got := anonymousGet(t, m, key); got != http.StatusForbidden {
		t.Fatalf("anonymous GET after EnsureBucket = %d, want 403", got)
	}
	if p, err := m.Client.GetBucketPolicy(t.Context(), m.Bucket); err != nil || p != "" {
		t.Fatalf("bucket policy = %q, %v; want none", p, err)
	}
}

func TestPresignedUploadAndInspect(t *testing.T) {
	t.Parallel()
	m, s := newStore(t)
	for _, size := range []int{1, 100, objectstore.HeadSize, objectstore.HeadSize + 1, 1 << 20, 10 << 20} {
		t.Run(fmt.Sprint(size), func(t *testing.T) {
			t.Parallel()
			key := newKey()
			body := document(t, size)
			form, err := s.PresignUpload(t.Context(), key, "application/pdf", int64(size), 5*time.Minute)
			if err != nil {
				t.Fatalf("PresignUpload: %v", err)
			}
			if d := time.Until(form.ExpiresAt); d < 4*time.Minute || d > 5*time.Minute {
				t.Errorf("ExpiresAt in %s, want about 5m", d)
			}
			if status, msg := upload(t, form, "application/pdf", body); status != http.StatusNoContent {
				t.Fatalf("upload status = %d %s, want 204", status, msg)
			}

			info, err := s.Inspect(t.Context(), key)
			if err != nil {
				t.Fatalf("Inspect: %v", err)
			}
			sum := sha256.Sum256(body)
			if info.Size != int64(size) || info.SHA256 != hex.EncodeToString(sum[:]) {
				t.Errorf("Inspect = size %d sha %s, want %d %x", info.Size, info.SHA256, size, sum)
			}
			if want := body[:min(size, objectstore.HeadSize)]; !bytes.Equal(info.Head, want) {
				t.Errorf("Head has %d bytes, want the first %d of the body", len(info.Head), len(want))
			}
			st, err := m.Client.StatObject(t.Context(), m.Bucket, key, minio.StatObjectOptions{})
			if err != nil || st.ContentType != "application/pdf" {
				t.Errorf("stored content type = %q, %v; want application/pdf", st.ContentType, err)
			}
		})
	}
}

// TestUploadRefused checks that MinIO itself, not the API, enforces each
// condition of the policy, and that a refused upload leaves nothing behind.
func TestUploadRefused(t *testing.T) {
	t.Parallel()
	_, s := newStore(t)
	const size = 5000
	tests := []struct {
		name        string
		contentType string
		body        []byte
		edit        func(talent.UploadForm)
		wantStatus  int
	}{
		{name: "other content type", contentType: "text/html", body: document(t, size), wantStatus: http.StatusForbidden},
		{name: "larger than declared", contentType: "application/pdf", body: document(t, size+1), wantStatus: http.StatusBadRequest},
		{name: "much larger than declared", contentType: "application/pdf", body: document(t, 3*size), wantStatus: http.StatusBadRequest},
		{name: "smaller than declared", contentType: "application/pdf", body: document(t, size-1), wantStatus: http.StatusBadRequest},
		{name: "other key", contentType: "application/pdf", body: document(t, size), wantStatus: http.StatusForbidden,
			edit: func(f talent.UploadForm) { f.Fields["key"] = "documents/somebody-else.pdf" }},
		{name: "forged policy", contentType: "application/pdf", body: document(t, size), wantStatus: http.StatusForbidden,
			edit: func(f talent.UploadForm) {
				f.Fields["policy"] = f.Fields["policy"][:len(f.Fields["policy"])-4] + "AAAA"
			}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			key := newKey()
			form, err := s.PresignUpload(t.Context(), key, "application/pdf", size, 5*time.Minute)
			if err != nil {
				t.Fatalf("PresignUpload: %v", err)
			}
			if tt.edit != nil {
				tt.edit(form)
			}
			status, msg := upload(t, form, tt.contentType, tt.body)
			if status != tt.wantStatus {
				t.Errorf("upload status = %d %s, want %d", status, msg, tt.wantStatus)
			}
			_, err = s.Inspect(t.Context(), key)
			wantKind(t, err, talent.KindNotFound, talent.CodeObjectNotFound.String())
			if tt.edit != nil {
				_, err = s.Inspect(t.Context(), form.Fields["key"])
				wantKind(t, err, talent.KindNotFound, talent.CodeObjectNotFound.String())
			}
		})
	}
}

func TestUploadAfterExpiryRefused(t *testing.T) {
	t.Parallel()
	_, s := newStore(t)
	key := newKey()
	body := document(t, 100)
	form, err := s.PresignUpload(t.Context(), key, "application/pdf", int64(len(body)), time.Second)
	if err != nil {
		t.Fatal(err)
	}
	time.Sleep(time.Until(form.ExpiresAt) + 100*time.Millisecond)
	if status, msg := upload(t, form, "application/pdf", body); status != http.StatusForbidden {
		t.Fatalf("upload status = %d %s, want 403", status, msg)
	}
	_, err = s.Inspect(t.Context(), key)
	wantKind(t, err, talent.KindNotFound, talent.CodeObjectNotFound.String())
}

func TestPresignDownload(t *testing.T) {
	t.Parallel()
	m, s := newStore(t)
	key := newKey()
	body := document(t, 7000)
	putObject(t, m, key, body)
	u, err := s.PresignDownload(t.Context(), key, time.Minute)
	if err != nil {
		t.Fatalf("PresignDownload: %v", err)
	}
	got := get(t, u, http.StatusOK)
	if !bytes.Equal(got, body) {
		t.Fatalf("downloaded %d bytes, want the %d uploaded", len(got), len(body))
	}
	// The signature is for this key only.
	other := strings.Replace(u, key, newKey(), 1)
	get(t, other, http.StatusForbidden)
}

func get(t *testing.T, u string, wantStatus int) []byte {
	t.Helper()
	resp, err := http.Get(u)
	if err != nil {
		t.Fatalf("GET: %v", err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.StatusCode != wantStatus {
		t.Fatalf("GET status = %d %s, want %d", resp.StatusCode, b, wantStatus)
	}
	return b
}

func TestDelete(t *testing.T) {
	t.Parallel()
	m, s := newStore(t)
	key := newKey()
	putObject(t, m, key, document(t, 10))
	if err := s.Delete(t.Context(), key); err != nil {
		t.Fatalf("Delete: %v", err)
	}
	_, err := s.Inspect(t.Context(), key)
	wantKind(t, err, talent.KindNotFound, talent.CodeObjectNotFound.String())
	// A retried cleanup must not fail.
	if err := s.Delete(t.Context(), key); err != nil {
		t.Fatalf("second Delete: %v", err)
	}
	if err := s.Delete(t.Context(), newKey()); err != nil {
		t.Fatalf("Delete of a key never written: %v", err)
	}
}

func TestPingMissingBucket(t *testing.T) {
	t.Parallel()
	m := testenv.NewMinIO(t)
	s, err := objectstore.New(t.Context(), objectstore.Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: m.Bucket})
	if err != nil {
		t.Fatal(err)
	}
	wantKind(t, s.Ping(t.Context()), talent.KindUnavailable, talent.CodeObjectStoreUnavailable.String())
	_, err = s.Inspect(t.Context(), newKey())
	wantKind(t, err, talent.KindUnavailable, talent.CodeObjectStoreUnavailable.String())
}

func TestWrongCredentials(t *testing.T) {
	t.Parallel()
	m, _ := newStore(t)
	s, err := objectstore.New(t.Context(), objectstore.Config{Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: "not-the-secret", Bucket: m.Bucket})
	if err != nil {
		t.Fatal(err)
	}
	_, err = s.Inspect(t.Context(), newKey())
	wantKind(t, err, talent.KindInternal, talent.CodeObjectStoreFailed.String())
	// And an upload form it signs is worthless.
	key := newKey()
	form, err := s.PresignUpload(t.Context(), key, "application/pdf", 10, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if status, msg := upload(t, form, "application/pdf", document(t, 10)); status != http.StatusForbidden {
		t.Fatalf("upload with a forged signature = %d %s, want 403", status, msg)
	}
}

// TestPublicEndpoint runs the app's traffic through a reverse proxy on
// another address, as files.city.gov.cn fronts MinIO in production, and
// checks that presigned URLs name the proxy and are signed for it.
func TestPublicEndpoint(t *testing.T) {
	t.Parallel()
	m, _ := newStore(t)
	target := &url.URL{Scheme: "http", Host: m.Endpoint}
	// NewSingleHostReverseProxy keeps the client's Host header, as a proxy
	// in front of MinIO must for SigV4 signatures to verify.
	proxy := httptest.NewServer(httputil.NewSingleHostReverseProxy(target))
	t.Cleanup(proxy.Close)

	s, err := objectstore.New(t.Context(), objectstore.Config{
		Endpoint: m.Endpoint, AccessKey: m.AccessKey, SecretKey: m.SecretKey, Bucket: m.Bucket,
		PublicEndpoint: proxy.URL,
	})
	if err != nil {
		t.Fatal(err)
	}
	key := newKey()
	body := document(t, 3000)
	form, err := s.PresignUpload(t.Context(), key, "application/pdf", int64(len(body)), time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(form.URL, proxy.URL+"/") {
		t.Fatalf("upload URL %s does not use the public endpoint %s", form.URL, proxy.URL)
	}
	if status, msg := upload(t, form, "application/pdf", body); status != http.StatusNoContent {
		t.Fatalf("upload through the public endpoint = %d %s", status, msg)
	}

	u, err := s.PresignDownload(t.Context(), key, time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.HasPrefix(u, proxy.URL+"/") {
		t.Fatalf("download URL %s does not use the public endpoint %s", u, proxy.URL)
	}
	if got := get(t, u, http.StatusOK); !bytes.Equal(got, body) {
		t.Fatal("download through the public endpoint returned other bytes")
	}
	// The same URL sent straight to the internal endpoint carries another
	// Host, so the signature does not match: it really is signed for the
	// public host.
	get(t, strings.Replace(u, strings.TrimPrefix(proxy.URL, "http://"), m.Endpoint, 1), http.StatusForbidden)
}

// TestUnreachable needs no MinIO: it points the store at a closed port.
func TestUnreachable(t *testing.T) {
	t.Parallel()
	s, err := objectstore.New(t.Context(), objectstore.Config{
		Endpoint: closedAddr(t), AccessKey: "k", SecretKey: "secret", Bucket: "documents",
	})
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(t.Context(), 20*time.Second)
	defer cancel()
	_, err = s.Inspect(ctx, "documents/a.pdf")
	wantKind(t, err, talent.KindUnavailable, talent.CodeObjectStoreUnavailable.String())
	wantKind(t, s.Ping(ctx), talent.KindUnavailable, talent.CodeObjectStoreUnavailable.String())
	wantKind(t, errors.Unwrap(s.EnsureBucket(ctx)), talent.KindUnavailable, talent.CodeObjectStoreUnavailable.String())
	wantKind(t, s.Delete(ctx, "documents/a.pdf"), talent.KindUnavailable, talent.CodeObjectStoreUnavailable.String())

	// Presigning is pure computation once the region is known, so the API
	// can hand out forms while MinIO is down.
	if _, err := s.PresignUpload(ctx, "documents/a.pdf", "application/pdf", 10, time.Minute); err != nil {
		t.Errorf("PresignUpload without MinIO: %v", err)
	}
	if _, err := s.PresignDownload(ctx, "documents/a.pdf", time.Minute); err != nil {
		t.Errorf("PresignDownload without MinIO: %v", err)
	}
}

// closedAddr returns a loopback address nothing listens on.
func closedAddr(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	addr := strings.TrimPrefix(srv.URL, "http://")
	srv.Close()
	return addr
}
