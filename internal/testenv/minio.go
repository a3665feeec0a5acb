package testenv

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/minio/minio-go/v7"
	"github.com/minio/minio-go/v7/pkg/credentials"
)

// MinIO describes the MinIO server and a fresh, empty bucket for one test.
type MinIO struct {
	Endpoint  string
	AccessKey string
	SecretKey string
	Bucket    string
	Client    *minio.Client
}

// NewMinIO connects to the MinIO server `make test` runs
// (ANJU_TEST_MINIO_ENDPOINT, default 127.0.0.1:59000) and names a bucket no
// other test uses. The bucket is not created: Anju creates its bucket at start.
// Objects and bucket are removed when the test ends.
func NewMinIO(t testing.TB) MinIO {
	t.Helper()
	m := MinIO{
		Endpoint:  Getenv("ANJU_TEST_MINIO_ENDPOINT", "127.0.0.1:59000"),
		AccessKey: Getenv("ANJU_TEST_MINIO_ACCESS_KEY", "anju-dev"),
		SecretKey: Getenv("ANJU_TEST_MINIO_SECRET_KEY", "anju-dev-secret"),
	}
	var b [6]byte
	_, _ = rand.Read(b[:])
	m.Bucket = "anju-test-" + hex.EncodeToString(b[:])
	client, err := minio.New(m.Endpoint, &minio.Options{Creds: credentials.NewStaticV4(m.AccessKey, m.SecretKey, "")})
	if err == nil {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		_, err = client.ListBuckets(ctx)
		cancel()
	}
	Require(t, "MinIO", err)
	m.Client = client
	t.Cleanup(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		for obj := range client.ListObjects(ctx, m.Bucket, minio.ListObjectsOptions{Recursive: true}) {
			if obj.Err == nil {
				_ = client.RemoveObject(ctx, m.Bucket, obj.Key, minio.RemoveObjectOptions{})
			}
		}
		_ = client.RemoveBucket(ctx, m.Bucket)
	})
	return m
}
