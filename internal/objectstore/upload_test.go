package objectstore_test

import (
	"io"
	"mime"
	"mime/multipart"
	"net/http"
	"net/http/httptest"
	"testing"

	"github.com/anju-city/anju/internal/objectstore"
	"github.com/anju-city/anju/internal/talent"
)

type part struct {
	name, fileName, contentType, value string
}

// TestUploadRequestShape records what Upload sends: the policy fields
// first, the declared Content-Type in place of the form's, and the file last.
func TestUploadRequestShape(t *testing.T) {
	t.Parallel()
	got := make(chan []part, 1)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var parts []part
		defer func() { got <- parts }()
		if r.Method != http.MethodPost || r.ContentLength <= 0 {
			t.Errorf("request %s with Content-Length %d, want POST with a length", r.Method, r.ContentLength)
		}
		mt, params, err := mime.ParseMediaType(r.Header.Get("Content-Type"))
		if err != nil || mt != "multipart/form-data" {
			t.Errorf("Content-Type %q, want multipart/form-data", r.Header.Get("Content-Type"))
			return
		}
		mr := multipart.NewReader(r.Body, params["boundary"])
		for {
			p, err := mr.NextPart()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Errorf("NextPart: %v", err)
				return
			}
			b, _ := io.ReadAll(p)
			parts = append(parts, part{p.FormName(), p.FileName(), p.Header.Get("Content-Type"), string(b)})
		}
		w.WriteHeader(http.StatusNoContent)
	}))
	t.Cleanup(srv.Close)

	form := talent.UploadForm{URL: srv.URL + "/documents/", Fields: map[string]string{
		"bucket": "documents", "key": "documents/u1/diploma.pdf", "Content-Type": "application/pdf",
		"policy": "cG9saWN5", "x-amz-signature": "abc",
	}}
	resp, err := objectstore.Upload(t.Context(), nil, form, "image/png", []byte("\x89PNG body"))
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNoContent {
		t.Fatalf("status %d", resp.StatusCode)
	}
	parts := <-got
	if len(parts) != 6 {
		t.Fatalf("got %d parts %+v, want 5 fields and the file", len(parts), parts)
	}
	fields := map[string]string{}
	for _, p := range parts[:5] {
		if p.fileName != "" {
			t.Errorf("field %s sent as a file", p.name)
		}
		if _, dup := fields[p.name]; dup {
			t.Errorf("field %s sent twice", p.name)
		}
		fields[p.name] = p.value
	}
	if fields["Content-Type"] != "image/png" || fields["key"] != "documents/u1/diploma.pdf" || fields["policy"] != "cG9saWN5" {
		t.Errorf("fields = %v", fields)
	}
	file := parts[5]
	if file.name != "file" || file.fileName != "diploma.pdf" || file.contentType != "image/png" || file.value != "\x89PNG body" {
		t.Errorf("file part = %+v", file)
	}
	// The caller's form is not modified.
	if form.Fields["Content-Type"] != "application/pdf" {
		t.Errorf("Upload changed the form's Content-Type to %q", form.Fields["Content-Type"])
	}

	// Without a declared type the form's own field is sent unchanged.
	resp, err = objectstore.Upload(t.Context(), srv.Client(), form, "", []byte("%PDF-"))
	if err != nil {
		t.Fatalf("Upload: %v", err)
	}
	resp.Body.Close()
	parts = <-got
	if last := parts[len(parts)-1]; last.name != "file" || last.contentType != "application/pdf" {
		t.Errorf("file part = %+v, want the form's content type", last)
	}
}
