package objectstore

import (
	"bytes"
	"context"
	"fmt"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"path"
	"slices"
	"strings"

	"github.com/anju-city/anju/internal/talent"
)

// Upload sends body to a presigned POST form the way the mobile app does:
// one multipart/form-data request with every policy field first and the file
// last, in a part named "file", because S3 and MinIO ignore anything after
// the file part. It is used by tests and the dev tools to act as the app.
//
// contentType is the type the app declares for the file. Like an app that
// fills the form's Content-Type field from the picked file, Upload puts it in
// that field (replacing the one in form.Fields) and in the file part's
// header; MinIO checks the field against the policy, so a type other than the
// one the API agreed to is refused. An empty contentType keeps the form's
// field as it is.
//
// hc nil means http.DefaultClient. The caller closes the response body; a
// 204 No Content is MinIO's default answer to a successful upload.
func Upload(ctx context.Context, hc *http.Client, form talent.UploadForm, contentType string, body []byte) (*http.Response, error) {
	if hc == nil {
		hc = http.DefaultClient
	}
	var buf bytes.Buffer
	mw := multipart.NewWriter(&buf)

	// Sorted so that the request is the same every time, which makes a
	// failing upload easy to compare against a working one.
	keys := make([]string, 0, len(form.Fields)+1)
	for k := range form.Fields {
		if contentType != "" && strings.EqualFold(k, "Content-Type") {
			continue
		}
		keys = append(keys, k)
	}
	slices.Sort(keys)
	fileType := contentType
	if contentType != "" {
		if err := mw.WriteField("Content-Type", contentType); err != nil {
			return nil, fmt.Errorf("upload: write field: %w", err)
		}
	}
	for _, k := range keys {
		if err := mw.WriteField(k, form.Fields[k]); err != nil {
			return nil, fmt.Errorf("upload: write field: %w", err)
		}
		if fileType == "" && strings.EqualFold(k, "Content-Type") {
			fileType = form.Fields[k]
		}
	}
	if fileType == "" {
		fileType = "application/octet-stream"
	}

	h := make(textproto.MIMEHeader)
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename="%s"`, quoteEscaper.Replace(fileName(form.Fields))))
	h.Set("Content-Type", fileType)
	part, err := mw.CreatePart(h)
	if err != nil {
		return nil, fmt.Errorf("upload: create file part: %w", err)
	}
	if _, err := part.Write(body); err != nil {
		return nil, fmt.Errorf("upload: write file part: %w", err)
	}
	if err := mw.Close(); err != nil {
		return nil, fmt.Errorf("upload: close form: %w", err)
	}

	// A bytes.Reader body gives the request a Content-Length, which MinIO
	// requires for POST uploads.
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, form.URL, bytes.NewReader(buf.Bytes()))
	if err != nil {
		return nil, fmt.Errorf("upload: %w", err)
	}
	req.Header.Set("Content-Type", mw.FormDataContentType())
	return hc.Do(req)
}

// fileName is the name the app would send for the picked file; MinIO only
// needs one to be present, so the last segment of the key will do.
func fileName(fields map[string]string) string {
	for k, v := range fields {
		if strings.EqualFold(k, "key") && v != "" {
			return path.Base(v)
		}
	}
	return "upload"
}

var quoteEscaper = strings.NewReplacer("\\", "\\\\", `"`, "\\\"", "\r", "", "\n", "")
