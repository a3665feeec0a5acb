package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"
)

// assertNoPersonalData fails when a public body, JSON or a spreadsheet
// (whose cells are read out of the zip), holds any of the secrets in clear.
func assertNoPersonalData(t *testing.T, what string, body []byte, secrets ...string) {
	t.Helper()
	text := string(body)
	if bytes.HasPrefix(body, []byte("PK")) {
		book, err := excelize.OpenReader(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("%s: %v", what, err)
		}
		rows, _ := book.GetRows(book.GetSheetName(0))
		var cells []string
		for _, row := range rows {
			cells = append(cells, strings.Join(row, "\t"))
		}
		text = strings.Join(cells, "\n")
		if text == "" {
			t.Fatalf("%s: an empty sheet", what)
		}
	}
	for _, s := range secrets {
		if s != "" && strings.Contains(text, s) {
			t.Errorf("%s holds %q in clear", what, s)
		}
	}
}

// public fetches a public endpoint without a token and checks it can be
// cached and revalidated.
func (in *instance) public(t *testing.T, path string) []byte {
	t.Helper()
	r := in.call(t, "GET", path, "", nil)
	if r.Status != 200 || r.Header.Get("Cache-Control") != "public, max-age=60" || r.Header.Get("ETag") == "" {
		t.Fatalf("GET %s without a token: %d %v %.300s", path, r.Status, r.Header, r.Body)
	}
	if again := in.call(t, "GET", path, "", nil, "If-None-Match", r.Header.Get("ETag")); again.Status != 304 {
		t.Fatalf("GET %s revalidated: %d", path, again.Status)
	}
	return r.Body
}
