package api

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/ratelimit"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// uploadRoutes are every operation that takes a file, with a path to try.
var uploadRoutes = []string{
	"/v1/housing/units/import?format=xlsx",
	"/v1/hr/filings?format=xlsx",
	"/v1/finance/batches/01a22d10-ec1e-7590-8bbd-71464969f8aa/returns?format=xlsx",
}

// Every upload asks who is sending before it reads a byte of the file: a
// graduate posting garbage (or a zip bomb) to each of them is refused for
// their role, never told the workbook is unreadable.
func TestUploadsCheckTheRoleBeforeTheBody(t *testing.T) {
	t.Parallel()
	f := setup(t)
	for i, path := range uploadRoutes {
		r := f.do(t, "POST", path, "uid-graduate", "PK\x03\x04 not a workbook",
			"Content-Type", "application/octet-stream", "Idempotency-Key", fmt.Sprintf("upload-key-%d", i))
		if p := r.problem(t); r.status != 403 || p.RequestID == "" {
			t.Errorf("%s as a graduate: %d %+v", path, r.status, p)
		}
	}
	for _, path := range uploadRoutes {
		if _, ok := uploadFor("POST", strings.Split(path, "?")[0]); !ok {
			t.Errorf("%s is not guarded", path)
		}
	}
}

// staff signs a user in and grants them a role; it returns their token.
func (f fixture) staff(t *testing.T, uid string, role talent.Role) string {
	t.Helper()
	ctx := context.Background()
	u, err := f.db.Users().SignIn(ctx, uid, false)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.db.Users().GrantRole(ctx, u.ID, talent.RoleGrant{Role: role}, ""); err != nil {
		t.Fatal(err)
	}
	return uid
}

// zipBomb is an XLSX whose first sheet inflates to size bytes of spaces:
// about a thousandth of that on the wire.
func zipBomb(t *testing.T, size int) []byte {
	t.Helper()
	book := excelize.NewFile()
	var plain bytes.Buffer
	if err := book.Write(&plain); err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(plain.Bytes()), int64(plain.Len()))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		if f.Name == "xl/worksheets/sheet1.xml" {
			_, _ = io.WriteString(w, `<?xml version="1.0" encoding="UTF-8"?><worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>`)
			chunk := bytes.Repeat([]byte(" "), 1<<20)
			for range size >> 20 {
				_, _ = w.Write(chunk)
			}
			_, _ = io.WriteString(w, `</t></is></c></row></sheetData></worksheet>`)
			continue
		}
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(w, rc)
		_ = rc.Close()
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return out.Bytes()
}

// A zip bomb from someone who may import is refused as unreadable at the
// unzip limit instead of being inflated.
func TestZipBombIsRefused(t *testing.T) {
	t.Parallel()
	f := setup(t)
	housing := f.staff(t, "uid-housing", talent.RoleHousing)
	bomb := zipBomb(t, 200<<20)
	start := time.Now()
	r := f.do(t, "POST", "/v1/housing/units/import?format=xlsx", housing, string(bomb),
		"Content-Type", "application/octet-stream", "Idempotency-Key", "bomb-key-1")
	if p := r.problem(t); r.status != 422 || p.field("body") != "spreadsheet_unreadable" {
		t.Fatalf("a %d-byte zip bomb: %d %+v", len(bomb), r.status, p)
	}
	if d := time.Since(start); d > 5*time.Second {
		t.Errorf("refusing the bomb took %s", d)
	}
}

// Over a real connection: a body over an operation's limit is a 413
// problem with the request id, read in full by a client still sending (no
// reset), with or without Content-Length; a compressed body and a
// malformed Idempotency-Key are named.
func TestBodyLimitsOverTheWire(t *testing.T) {
	t.Parallel()
	f := setup(t)
	admin := f.admin(t, "uid-admin")
	housing := f.staff(t, "uid-housing", talent.RoleHousing)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	go func() { _ = f.app.Listener(ln) }()
	t.Cleanup(func() { _ = f.app.Shutdown() })
	base := "http://" + ln.Addr().String()
	client := &http.Client{Timeout: 30 * time.Second}

	send := func(path, token string, body io.Reader, length int64, headers ...string) (int, problemBody, http.Header) {
		t.Helper()
		req, err := http.NewRequest("POST", base+path, body)
		if err != nil {
			t.Fatal(err)
		}
		req.ContentLength = length
		req.Header.Set("Content-Type", "application/json")
		if strings.Contains(path, "format=") {
			req.Header.Set("Content-Type", "application/octet-stream")
		}
		if token != "" {
			req.Header.Set("Authorization", "Bearer "+token)
		}
		for i := 0; i+1 < len(headers); i += 2 {
			req.Header.Set(headers[i], headers[i+1])
		}
		res, err := client.Do(req)
		if err != nil {
			t.Fatalf("POST %s (%d bytes): %v", path, length, err)
		}
		defer res.Body.Close()
		raw, _ := io.ReadAll(res.Body)
		var p problemBody
		_ = json.Unmarshal(raw, &p)
		return res.StatusCode, p, res.Header
	}
	big := bytes.Repeat([]byte("x"), 5<<20)
	employers := "/v1/admin/employers"
	for _, tc := range []struct {
		name   string
		path   string
		token  string
		body   []byte
		length int64
		status int
		code   string
	}{
		{"5 MB of JSON", employers, admin, big, int64(len(big)), 413, "body_too_large"},
		{"5 MB chunked", employers, admin, big, -1, 413, "body_too_large"},
		{"5 MB unsigned", employers, "", big, int64(len(big)), 401, "token_missing"},
		{"5 MB to an import", "/v1/housing/units/import?format=csv", housing, big, int64(len(big)), 413, "body_too_large"},
		{"300 KB to an import", "/v1/housing/units/import?format=xlsx", housing, big[:300<<10], 300 << 10, 422, "validation_failed"},
	} {
		status, p, h := send(tc.path, tc.token, bytes.NewReader(tc.body), tc.length, "Idempotency-Key", "limit-key-"+strings.ReplaceAll(tc.name, " ", "-"))
		if status != tc.status || p.Code != tc.code || p.RequestID == "" || p.RequestID != h.Get("X-Request-Id") {
			t.Errorf("%s: %d %+v", tc.name, status, p)
		}
	}
	// The connection is still usable after a refused body.
	if status, p, _ := send(employers, admin, strings.NewReader(`{"name":"x"}`), 12, "Idempotency-Key", "key with spaces"); status != 400 || p.field("Idempotency-Key") != "pattern" {
		t.Errorf("a malformed Idempotency-Key: %d %+v", status, p)
	}
	if status, p, _ := send(employers, admin, strings.NewReader("\x1f\x8b"), 2, "Content-Encoding", "gzip", "Idempotency-Key", "gzip-key-1"); status != 400 || p.field("Content-Encoding") != "body_encoding" {
		t.Errorf("a gzip body: %d %+v", status, p)
	}
}

// A forged X-Forwarded-For does not reset the per-IP limit: behind a
// trusted ingress only the address the ingress appended counts, whatever
// the client wrote before it; without a trusted proxy the header counts
// for nothing.
func TestForgedForwardedForKeepsTheLimit(t *testing.T) {
	t.Parallel()
	rdb := testenv.NewRedis(t).Client()
	for _, tc := range []struct {
		name    string
		trusted []string
		header  func(i int) string
	}{
		{"behind the ingress", []string{"127.0.0.1/32"}, func(i int) string { return fmt.Sprintf("198.51.100.%d, 203.0.113.7", i) }},
		{"forged hop beside a trusted one", []string{"127.0.0.1", "10.0.0.0/8"}, func(i int) string { return fmt.Sprintf("198.51.100.%d, 203.0.113.8, 10.1.2.3", i) }},
		{"no trusted proxy", nil, func(i int) string { return fmt.Sprintf("198.51.100.%d", i) }},
		{"garbage", []string{"127.0.0.1"}, func(i int) string { return fmt.Sprintf("not-an-ip-%d", i) }},
	} {
		if err := rdb.FlushDB(context.Background()).Err(); err != nil { // each case counts from zero
			t.Fatal(err)
		}
		f := setup(t, func(o *Options) {
			o.Limiter = ratelimit.New(rdb)
			o.Limits = Limits{PerIP: 2, TrustedProxies: tc.trusted}
		})
		ln, err := net.Listen("tcp", "127.0.0.1:0")
		if err != nil {
			t.Fatal(err)
		}
		go func() { _ = f.app.Listener(ln) }()
		statuses := make([]int, 3)
		for i := range statuses {
			req, _ := http.NewRequest("GET", "http://"+ln.Addr().String()+"/v1/me", nil)
			req.Header.Set("Authorization", "Bearer uid-"+tc.name)
			req.Header.Set("X-Forwarded-For", tc.header(i))
			res, err := http.DefaultClient.Do(req)
			if err != nil {
				t.Fatal(err)
			}
			_, _ = io.Copy(io.Discard, res.Body)
			res.Body.Close()
			statuses[i] = res.StatusCode
		}
		_ = f.app.Shutdown()
		if statuses[0] != 200 || statuses[2] != 429 {
			t.Errorf("%s: %v, want the third request limited", tc.name, statuses)
		}
	}
}
