package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/objectstore"
	"github.com/anju-city/anju/internal/talent"
	"github.com/minio/minio-go/v7"
)

const (
	testNationalID = "330282199806150423"
	testPhone      = "13800138000"
)

type documentUpload struct {
	Document struct {
		ID           string `json:"id"`
		Status       string `json:"status"`
		RejectReason string `json:"rejectReason"`
		DownloadURL  string `json:"downloadUrl"`
	} `json:"document"`
	Upload struct {
		URL       string            `json:"url"`
		Fields    map[string]string `json:"fields"`
		ExpiresAt time.Time         `json:"expiresAt"`
	} `json:"upload"`
}

type document struct {
	ID           string `json:"id"`
	Status       string `json:"status"`
	RejectReason string `json:"rejectReason"`
	DownloadURL  string `json:"downloadUrl"`
}

type problem struct {
	Type, Title, Detail, Code, RequestID, AssigneeID string
	Status                                           int
	Errors                                           []struct{ Field, Code, Message string }
}

// createDocument declares a file and returns the policy to upload it with.
func (in *instance) createDocument(t *testing.T, token, kind, contentType string, body []byte) documentUpload {
	t.Helper()
	res := in.call(t, "POST", "/v1/documents", token, map[string]any{
		"kind": kind, "contentType": contentType, "size": len(body), "sha256": sha(body),
	}, "Idempotency-Key", newKey())
	if res.Status != http.StatusCreated {
		t.Fatalf("create document: %d %s", res.Status, res.Body)
	}
	var up documentUpload
	res.json(t, &up)
	return up
}

func upload(t *testing.T, up documentUpload, contentType string, body []byte) int {
	t.Helper()
	res, err := objectstore.Upload(context.Background(), http.DefaultClient,
		talent.UploadForm{URL: up.Upload.URL, Fields: up.Upload.Fields}, contentType, body)
	if err != nil {
		t.Fatalf("upload to MinIO: %v", err)
	}
	defer res.Body.Close()
	_, _ = io.Copy(io.Discard, res.Body)
	return res.StatusCode
}

func (in *instance) waitDocument(t *testing.T, token, id string, want ...string) document {
	t.Helper()
	var d document
	eventually(t, 30*time.Second, "document "+id+" to be "+strings.Join(want, " or "), func() bool {
		d = document{}
		in.call(t, "GET", "/v1/documents/"+id, token, nil).json(t, &d)
		for _, w := range want {
			if d.Status == w {
				return true
			}
		}
		return false
	})
	return d
}

// TestGraduateJourney is the platform end to end through the real binary:
// sign-in at the emulator, profile, device, a real PDF uploaded straight to
// MinIO, inspection by the worker, inbox entry and push at the fake FCM.
func TestGraduateJourney(t *testing.T) {
	t.Parallel()
	in := boot(t)
	token := in.signUp(t)

	res := in.call(t, "PUT", "/v1/me", token, map[string]any{
		"name": "Li Ming", "phone": testPhone, "locale": "en", "nationalId": testNationalID, "hukouPlace": "江西省南昌市",
		"education": []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2026-06-30", "diplomaNumber": "104031202602000123"}},
		"employer":  map[string]any{"name": "慈溪智造科技有限公司", "since": "2026-07-15"},
	})
	if res.Status != http.StatusOK {
		t.Fatalf("PUT /v1/me: %d %s", res.Status, res.Body)
	}
	var me struct {
		User    struct{ ID string }
		Profile struct {
			NationalID string `json:"nationalId"`
			BirthDate  string `json:"birthDate"`
			Age        *int   `json:"age"`
			Phone      string
			Locale     string
			Education  []struct{ Level, Institution string }
		}
	}
	res.json(t, &me)
	if me.Profile.NationalID != "3302**********0423" || me.Profile.BirthDate != "" || me.Profile.Age == nil || *me.Profile.Age < 28 || me.Profile.Phone != "138****8000" {
		t.Fatalf("profile not masked or birth date wrong: %+v", me.Profile)
	}
	if len(me.Profile.Education) != 1 || me.Profile.Education[0].Level != "master" || me.Profile.Locale != "en" {
		t.Fatalf("profile: %+v", me.Profile)
	}
	// Leaving the personal data out keeps it.
	res = in.call(t, "PUT", "/v1/me", token, map[string]any{"name": "Li Ming", "locale": "en"})
	res.json(t, &me)
	if me.Profile.NationalID != "3302**********0423" {
		t.Fatalf("an update without nationalId lost it: %s", res.Body)
	}

	device := "fcm-device-token-" + newKey()
	if res := in.call(t, "PUT", "/v1/me/devices/"+device, token, map[string]any{"platform": "android", "appVersion": "1.4.0"}); res.Status != http.StatusNoContent {
		t.Fatalf("register device: %d %s", res.Status, res.Body)
	}

	pdf := []byte(minimalPDF)
	up := in.createDocument(t, token, "diploma", "application/pdf", pdf)
	if up.Document.Status != "pending" || !strings.HasPrefix(up.Upload.URL, "http://"+in.MinIO.Endpoint) || up.Upload.Fields["key"] != "documents/"+me.User.ID+"/"+up.Document.ID {
		t.Fatalf("upload policy: %+v", up)
	}
	if code := upload(t, up, "application/pdf", pdf); code != http.StatusNoContent {
		t.Fatalf("MinIO refused a valid upload: %d", code)
	}
	if res := in.call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", token, nil); res.Status != http.StatusAccepted {
		t.Fatalf("complete: %d %s", res.Status, res.Body)
	}
	d := in.waitDocument(t, token, up.Document.ID, "accepted", "rejected")
	if d.Status != "accepted" || d.DownloadURL == "" {
		t.Fatalf("document: %+v", d)
	}
	got, err := http.Get(d.DownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(got.Body)
	got.Body.Close()
	if string(body) != minimalPDF {
		t.Fatalf("download returned %d bytes, status %d", len(body), got.StatusCode)
	}

	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := in.FCM.WaitFor(ctx, 1)
	if err != nil {
		t.Fatalf("no push at the fake FCM: %v", err)
	}
	m := msgs[0]
	if m.Token != device || m.Notification == nil || m.Notification.Title != "Document accepted" ||
		m.Data["link"] != "anju://documents/"+up.Document.ID || m.Project != "demo-anju" {
		t.Fatalf("push: %+v", m)
	}

	var inbox struct {
		Items []struct{ ID, Template, Title, Body string }
	}
	in.call(t, "GET", "/v1/me/notifications", token, nil).json(t, &inbox)
	if len(inbox.Items) != 1 || inbox.Items[0].Template != "document.accepted" || !strings.Contains(inbox.Items[0].Body, "diploma") {
		t.Fatalf("inbox: %+v", inbox)
	}
	var read struct{ ReadAt *time.Time }
	in.call(t, "POST", "/v1/me/notifications/"+inbox.Items[0].ID+"/read", token, nil).json(t, &read)
	if read.ReadAt == nil {
		t.Fatal("notification not marked read")
	}

	// Personal data never appears in clear in logs.
	logs := in.Logs.String()
	for _, secret := range []string{testNationalID, testPhone} {
		if strings.Contains(logs, secret) {
			t.Fatalf("logs contain personal data %q", secret)
		}
	}
	if !strings.Contains(logs, `"request_id"`) {
		t.Fatal("log lines carry no request id")
	}
}

// TestRejectedUploads: an executable renamed .pdf is rejected by the worker
// and its bytes deleted; an upload larger than declared is refused by MinIO.
func TestRejectedUploads(t *testing.T) {
	t.Parallel()
	in := boot(t)
	token := in.signUp(t)
	in.call(t, "PUT", "/v1/me", token, map[string]any{"name": "张三", "locale": "zh-CN"})

	elf := append([]byte("\x7fELF\x02\x01\x01\x00"), make([]byte, 300)...)
	up := in.createDocument(t, token, "degree_certificate", "application/pdf", elf)
	if code := upload(t, up, "application/pdf", elf); code != http.StatusNoContent {
		t.Fatalf("upload: %d", code)
	}
	in.call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", token, nil)
	d := in.waitDocument(t, token, up.Document.ID, "accepted", "rejected")
	if d.Status != "rejected" || d.RejectReason != talent.RejectTypeNotAllowed || d.DownloadURL != "" {
		t.Fatalf("executable: %+v", d)
	}
	// The decision is written first and the bytes deleted right after it
	// (a redelivered task deletes them again).
	eventually(t, 10*time.Second, "the rejected bytes deleted", func() bool {
		_, err := in.MinIO.Client.StatObject(context.Background(), in.MinIO.Bucket, up.Upload.Fields["key"], minio.StatObjectOptions{})
		return minio.ToErrorResponse(err).Code == "NoSuchKey"
	})
	var inbox struct {
		Items []struct{ Template, Title string }
	}
	eventually(t, 10*time.Second, "rejection notice", func() bool {
		in.call(t, "GET", "/v1/me/notifications", token, nil).json(t, &inbox)
		return len(inbox.Items) == 1
	})
	if inbox.Items[0].Template != "document.rejected" || inbox.Items[0].Title != "材料未通过检查" {
		t.Fatalf("rejection notice: %+v", inbox.Items)
	}

	pdf := []byte(minimalPDF)
	up = in.createDocument(t, token, "diploma", "application/pdf", pdf)
	if code := upload(t, up, "application/pdf", append(pdf, ' ')); code < 400 || code >= 500 {
		t.Fatalf("MinIO accepted an upload over the declared size: %d", code)
	}
	if code := upload(t, up, "image/png", pdf); code != http.StatusForbidden {
		t.Fatalf("MinIO accepted another content type: %d", code)
	}
	// Declaring more than 10 MiB is refused before any policy is made.
	res := in.call(t, "POST", "/v1/documents", token, map[string]any{
		"kind": "diploma", "contentType": "application/pdf", "size": 10<<20 + 1, "sha256": sha(pdf),
	}, "Idempotency-Key", newKey())
	var p problem
	res.json(t, &p)
	if res.Status != http.StatusBadRequest || len(p.Errors) != 1 || p.Errors[0].Field != "size" {
		t.Fatalf("oversized declaration: %d %s", res.Status, res.Body)
	}
}

// TestIdempotentCreate: the same Idempotency-Key sent twice at once makes
// one document, and both callers get its id.
func TestIdempotentCreate(t *testing.T) {
	t.Parallel()
	in := boot(t)
	token := in.signUp(t)
	body := map[string]any{"kind": "diploma", "contentType": "application/pdf", "size": len(minimalPDF), "sha256": sha([]byte(minimalPDF))}
	key := newKey()
	var wg sync.WaitGroup
	results := make([]response, 4)
	for i := range results {
		wg.Go(func() { results[i] = in.call(t, "POST", "/v1/documents", token, body, "Idempotency-Key", key) })
	}
	wg.Wait()
	ids := map[string]bool{}
	for _, r := range results {
		if r.Status != http.StatusCreated {
			t.Fatalf("status %d: %s", r.Status, r.Body)
		}
		var up documentUpload
		r.json(t, &up)
		ids[up.Document.ID] = true
	}
	var n int
	if err := in.DB.Pool().QueryRow(context.Background(), `SELECT count(*) FROM documents`).Scan(&n); err != nil {
		t.Fatal(err)
	}
	if len(ids) != 1 || n != 1 {
		t.Fatalf("%d distinct ids in responses, %d documents stored", len(ids), n)
	}
	// The same key for a different request is refused.
	body["kind"] = "id_card"
	if r := in.call(t, "POST", "/v1/documents", token, body, "Idempotency-Key", key); r.Status != http.StatusUnprocessableEntity {
		t.Fatalf("reused key: %d %s", r.Status, r.Body)
	}
}
