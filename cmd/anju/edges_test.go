package main

import (
	"io"
	"net/http"
	"testing"
)

// An accepted document is immutable: the upload policy is still valid and
// MinIO takes other bytes of the same size under the upload key, but every
// download is of the bytes inspection accepted.
func TestAcceptedDocumentCannotBeReplaced(t *testing.T) {
	t.Parallel()
	in := boot(t)
	token := in.signUp(t)
	in.call(t, "PUT", "/v1/me", token, map[string]any{"name": "张三", "locale": "zh-CN"})

	original := []byte(minimalPDF + "% original\n")
	up := in.createDocument(t, token, "diploma", "application/pdf", original)
	if code := upload(t, up, "application/pdf", original); code != http.StatusNoContent {
		t.Fatalf("upload: %d", code)
	}
	in.call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", token, nil)
	if d := in.waitDocument(t, token, up.Document.ID, "accepted", "rejected"); d.Status != "accepted" {
		t.Fatalf("document: %+v", d)
	}

	forged := []byte(minimalPDF + "% replaced\n")
	if len(forged) != len(original) {
		t.Fatal("the replacement must have the declared size")
	}
	if code := upload(t, up, "application/pdf", forged); code != http.StatusNoContent {
		t.Fatalf("the policy no longer takes an upload (%d); this test needs it to", code)
	}
	for range 2 { // a fresh URL each time, and after the worker has had time
		d := in.waitDocument(t, token, up.Document.ID, "accepted")
		res, err := http.Get(d.DownloadURL)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(got) != string(original) {
			t.Fatalf("download after a re-upload: %d %q", res.StatusCode, got[len(got)-min(len(got), 12):])
		}
	}
}
