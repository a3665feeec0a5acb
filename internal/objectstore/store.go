// Package objectstore keeps graduates' uploaded documents in MinIO. The app
// uploads straight to MinIO with a presigned POST policy, so document bytes
// never pass through the API; a worker later reads each object once through
// Inspect to hash it and sniff its type.
package objectstore

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
	"github.com/minio/minio-go/v7/pkg/s3utils"

	"github.com/anju-city/anju/internal/talent"
)

// HeadSize is how many leading bytes Inspect keeps for type sniffing.
const HeadSize = 4096

// DefaultRegion is the region used when Config.Region is empty; it is
// MinIO's default, so a stock server needs no region setting.
const DefaultRegion = "us-east-1"

// MaxPresignTTL is the longest lifetime S3 SigV4 allows for a presigned request.
const MaxPresignTTL = 7 * 24 * time.Hour

// The Store returns the kernel's object-store codes inside a *talent.Error:
// talent.CodeObjectNotFound when the object (or, for Inspect, its key) does
// not exist; talent.CodeObjectStoreUnavailable when MinIO cannot be reached
// or answered with a server error; talent.CodeObjectStoreFailed when MinIO
// refused the request for a reason retrying will not fix (bad credentials,
// invalid key, missing permission).

// pingTimeout bounds a readiness probe so that a hung MinIO makes the probe
// fail instead of piling up probe requests.
const pingTimeout = 3 * time.Second

// maxRetries keeps minio-go's own retries short: the callers (request
// handlers, queue workers) have their own retry policy, and ten retries with
// backoff inside one call would hold a request for many seconds.
const maxRetries = 3

// Config says how to reach MinIO. It is filled by the caller; this package
// reads no environment.
type Config struct {
	// Endpoint is the host:port the backend uses to reach MinIO, for example
	// "minio:9000". An "http://" or "https://" prefix is accepted and then
	// overrides UseTLS.
	Endpoint  string
	AccessKey string
	SecretKey string
	// Bucket holds every uploaded document.
	Bucket string
	// Region is the bucket's region; DefaultRegion when empty. Setting it
	// means presigning never needs a network round trip to look it up.
	Region string
	// UseTLS selects https for endpoints given without a scheme.
	UseTLS bool
	// PublicEndpoint is where the mobile app reaches MinIO when that differs
	// from Endpoint, for example "https://files.city.gov.cn" or
	// "127.0.0.1:59000". Presigned URLs are signed for this host, because a
	// SigV4 signature covers the Host header and a URL signed for an internal
	// name would be refused when the app sends it to the public one. Empty
	// means the app uses Endpoint.
	PublicEndpoint string
}

// Store is a talent.ObjectStore backed by one MinIO bucket.
type Store struct {
	// client talks to MinIO from inside the deployment.
	client *minio.Client
	// presigner only signs URLs for the host the app uses; it never sends
	// a request because its region is fixed.
	presigner *minio.Client
	bucket    string
	region    string
}

var _ talent.ObjectStore = (*Store)(nil)

// New returns a Store for cfg. It checks the configuration but does not
// contact MinIO, so that the process can start while MinIO is still coming
// up: call EnsureBucket at start and Ping for readiness. ctx is accepted for
// symmetry with the other adapters' constructors.
func New(ctx context.Context, cfg Config) (*Store, error) {
	_ = ctx
	if cfg.AccessKey == "" || cfg.SecretKey == "" {
		return nil, errors.New("objectstore: access key and secret key are required")
	}
	// Strict: new buckets must follow the current S3 naming rules.
	if err := s3utils.CheckValidBucketNameStrict(cfg.Bucket); err != nil {
		return nil, fmt.Errorf("objectstore: bucket %q: %w", cfg.Bucket, err)
	}
	region := cfg.Region
	if region == "" {
		region = DefaultRegion
	}
	host, secure, err := parseEndpoint(cfg.Endpoint, cfg.UseTLS)
	if err != nil {
		return nil, fmt.Errorf("objectstore: endpoint: %w", err)
	}
	client, err := newClient(host, secure, cfg, region)
	if err != nil {
		return nil, fmt.Errorf("objectstore: endpoint: %w", err)
	}
	presigner := client
	if cfg.PublicEndpoint != "" {
		pubHost, pubSecure, err := parseEndpoint(cfg.PublicEndpoint, cfg.UseTLS)
		if err != nil {
			return nil, fmt.Errorf("objectstore: public endpoint: %w", err)
		}
		presigner, err = newClient(pubHost, pubSecure, cfg, region)
		if err != nil {
			return nil, fmt.Errorf("objectstore: public endpoint: %w", err)
		}
	}
	return &Store{client: client, presigner: presigner, bucket: cfg.Bucket, region: region}, nil
}

func newClient(host string, secure bool, cfg Config, region string) (*minio.Client, error) {
	return minio.New(host, &minio.Options{
		Creds:  credentials.NewStaticV4(cfg.AccessKey, cfg.SecretKey, ""),
		Secure: secure,
		Region: region,
		// Path style keeps the bucket in the URL path, so one TLS
		// certificate and one reverse-proxy rule cover the public host
		// whatever the bucket is called.
		BucketLookup: minio.BucketLookupPath,
		MaxRetries:   maxRetries,
	})
}

// parseEndpoint accepts "host:port" or "scheme://host:port" and returns the
// host and whether to use TLS. A path is refused: S3 signatures cover the
// path and minio-go cannot put a prefix in front of the bucket.
func parseEndpoint(raw string, defaultTLS bool) (host string, secure bool, err error) {
	raw = strings.TrimSpace(raw)
	if raw == "" {
		return "", false, errors.New("empty")
	}
	if !strings.Contains(raw, "://") {
		if strings.ContainsAny(raw, "/?#@") {
			return "", false, fmt.Errorf("%q: want host[:port] or http(s)://host[:port]", raw)
		}
		return raw, defaultTLS, nil
	}
	u, err := url.Parse(raw)
	if err != nil {
		return "", false, fmt.Errorf("%q: %w", raw, err)
	}
	switch u.Scheme {
	case "http":
		secure = false
	case "https":
		secure = true
	default:
		return "", false, fmt.Errorf("%q: scheme must be http or https", raw)
	}
	if u.Host == "" || u.User != nil || (u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.Fragment != "" {
		return "", false, fmt.Errorf("%q: want http(s)://host[:port] without path, query or user", raw)
	}
	return u.Host, secure, nil
}

// Bucket returns the bucket the Store uses.
func (s *Store) Bucket() string { return s.bucket }

// EnsureBucket creates the bucket when it is missing and makes sure it is
// private: documents are personal data and must only be reachable through
// presigned URLs, so a bucket policy that lets anonymous users in is
// removed.
func (s *Store) EnsureBucket(ctx context.Context) error {
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("objectstore: check bucket: %w", classify(err, "check bucket"))
	}
	if !exists {
		err := s.client.MakeBucket(ctx, s.bucket, minio.MakeBucketOptions{Region: s.region})
		// Another replica starting at the same time may have won the race.
		if err != nil && !isCode(err, "BucketAlreadyOwnedByYou") {
			return fmt.Errorf("objectstore: create bucket: %w", classify(err, "create bucket"))
		}
	}
	policy, err := s.client.GetBucketPolicy(ctx, s.bucket)
	if err != nil {
		return fmt.Errorf("objectstore: read bucket policy: %w", classify(err, "read bucket policy"))
	}
	if policy != "" && grantsAnonymous(policy) {
		if err := s.client.SetBucketPolicy(ctx, s.bucket, ""); err != nil {
			return fmt.Errorf("objectstore: remove public bucket policy: %w", classify(err, "remove bucket policy"))
		}
	}
	return nil
}

// Ping reports whether MinIO answers and the bucket exists, for readiness
// probes.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := context.WithTimeout(ctx, pingTimeout)
	defer cancel()
	exists, err := s.client.BucketExists(ctx, s.bucket)
	if err != nil {
		return classify(err, "ping")
	}
	if !exists {
		return talent.Errorf(talent.KindUnavailable, talent.CodeObjectStoreUnavailable, "bucket does not exist")
	}
	return nil
}

// PresignUpload returns a POST policy that lets the app upload exactly one
// object: this key, this content type and exactly size bytes, before now+ttl.
// MinIO enforces every condition, so a phone cannot store a bigger or
// differently typed file than the API agreed to.
func (s *Store) PresignUpload(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (talent.UploadForm, error) {
	if err := checkTTL(ttl); err != nil {
		return talent.UploadForm{}, err
	}
	if size < 1 {
		return talent.UploadForm{}, talent.Errorf(talent.KindInternal, talent.CodeObjectStoreFailed, "upload size must be positive, got %d", size)
	}
	if err := s3utils.CheckValidObjectName(key); err != nil {
		return talent.UploadForm{}, talent.Errorf(talent.KindInternal, talent.CodeObjectStoreFailed, "invalid object key: %v", err)
	}
	expires := time.Now().UTC().Add(ttl)
	p := minio.NewPostPolicy()
	for _, err := range []error{
		p.SetBucket(s.bucket),
		p.SetKey(key),
		p.SetExpires(expires),
		p.SetContentType(contentType),
		p.SetContentLengthRange(size, size),
	} {
		if err != nil {
			return talent.UploadForm{}, talent.Errorf(talent.KindInternal, talent.CodeObjectStoreFailed, "post policy: %v", err)
		}
	}
	u, formData, err := s.presigner.PresignedPostPolicy(ctx, p)
	if err != nil {
		return talent.UploadForm{}, classify(err, "presign upload")
	}
	// formData is the policy's own map; copy it so the form we hand out
	// shares nothing with minio-go.
	fields := make(map[string]string, len(formData))
	for k, v := range formData {
		fields[k] = v
	}
	return talent.UploadForm{URL: u.String(), Fields: fields, ExpiresAt: expires}, nil
}

// PresignDownload returns a GET URL for key, valid for ttl, signed for the
// public endpoint.
func (s *Store) PresignDownload(ctx context.Context, key string, ttl time.Duration) (string, error) {
	if err := checkTTL(ttl); err != nil {
		return "", err
	}
	u, err := s.presigner.PresignedGetObject(ctx, s.bucket, key, ttl, nil)
	if err != nil {
		return "", classify(err, "presign download")
	}
	return u.String(), nil
}

func checkTTL(ttl time.Duration) error {
	// SigV4 counts expiry in whole seconds, from 1 s to 7 days.
	if ttl < time.Second || ttl > MaxPresignTTL {
		return talent.Errorf(talent.KindInternal, talent.CodeObjectStoreFailed, "presign ttl %s outside 1s..7d", ttl)
	}
	return nil
}

// Inspect reads the object once, streaming it through SHA-256 and keeping
// only the first HeadSize bytes, so a document of any size costs 4 KiB of
// memory. Size counts the bytes actually read, not what the metadata claims.
// It is one GET: the bytes of one response are one version of the object,
// and Anju inspects only its own copies (talent.InspectedKeyOf), which no
// upload policy names, so nothing replaces them while they are read.
func (s *Store) Inspect(ctx context.Context, key string) (talent.ObjectInfo, error) {
	obj, err := s.client.GetObject(ctx, s.bucket, key, minio.GetObjectOptions{})
	if err != nil {
		return talent.ObjectInfo{}, classify(err, "get object")
	}
	defer obj.Close()

	h := sha256.New()
	head := &headWriter{limit: HeadSize}
	// Only Read is exposed, so io.Copy streams through its fixed buffer
	// instead of taking a WriterTo path that might buffer the object.
	n, err := io.Copy(io.MultiWriter(h, head), struct{ io.Reader }{obj})
	if err != nil {
		return talent.ObjectInfo{}, classify(err, "read object")
	}
	return talent.ObjectInfo{Size: n, SHA256: hex.EncodeToString(h.Sum(nil)), Head: head.buf}, nil
}

// headWriter keeps the first limit bytes written to it and discards the rest.
type headWriter struct {
	buf   []byte
	limit int
}

func (w *headWriter) Write(p []byte) (int, error) {
	if room := w.limit - len(w.buf); room > 0 {
		w.buf = append(w.buf, p[:min(room, len(p))]...)
	}
	return len(p), nil
}

// Copy copies from to to on the server side; the bytes never pass through
// Anju.
func (s *Store) Copy(ctx context.Context, from, to string) error {
	if err := s3utils.CheckValidObjectName(to); err != nil {
		return talent.Errorf(talent.KindInternal, talent.CodeObjectStoreFailed, "invalid object key: %v", err)
	}
	_, err := s.client.CopyObject(ctx, minio.CopyDestOptions{Bucket: s.bucket, Object: to},
		minio.CopySrcOptions{Bucket: s.bucket, Object: from})
	if err != nil {
		return classify(err, "copy object")
	}
	return nil
}

// Delete removes the object. S3 deletes are idempotent, and a missing
// object is treated as already deleted so that retried cleanups succeed.
func (s *Store) Delete(ctx context.Context, key string) error {
	err := s.client.RemoveObject(ctx, s.bucket, key, minio.RemoveObjectOptions{})
	if err != nil && !isCode(err, "NoSuchKey") {
		return classify(err, "delete object")
	}
	return nil
}

// classify turns a minio-go error into a *talent.Error so that callers map
// it by Kind: a missing object is NotFound, anything that may work on a
// later try (network, timeouts, 5xx, throttling, an object replaced while it
// was read) is Unavailable, and the rest (credentials, permissions, invalid
// arguments) is Internal because retrying will not fix configuration.
func classify(err error, op string) error {
	var resp minio.ErrorResponse
	if !errors.As(err, &resp) {
		// No S3 answer at all: dial, TLS, reset, timeout or cancellation.
		return talent.Errorf(talent.KindUnavailable, talent.CodeObjectStoreUnavailable, "%s: %v", op, err)
	}
	switch {
	case resp.Code == "NoSuchKey":
		return talent.Errorf(talent.KindNotFound, talent.CodeObjectNotFound, "%s: object not found", op)
	case resp.StatusCode >= 500,
		resp.StatusCode == http.StatusTooManyRequests,
		resp.StatusCode == http.StatusRequestTimeout,
		resp.StatusCode == http.StatusPreconditionFailed,
		resp.Code == "NoSuchBucket",
		resp.Code == "SlowDown",
		resp.Code == "RequestTimeout",
		resp.Code == "XMinioServerNotInitialized":
		// A missing bucket means EnsureBucket has not run yet; like a
		// server still starting, it is expected to heal.
		return talent.Errorf(talent.KindUnavailable, talent.CodeObjectStoreUnavailable, "%s: %s (%d)", op, resp.Code, resp.StatusCode)
	default:
		return talent.Errorf(talent.KindInternal, talent.CodeObjectStoreFailed, "%s: %s (%d): %s", op, resp.Code, resp.StatusCode, resp.Message)
	}
}

func isCode(err error, code string) bool {
	var resp minio.ErrorResponse
	return errors.As(err, &resp) && resp.Code == code
}
