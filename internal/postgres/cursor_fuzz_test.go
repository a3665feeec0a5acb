package postgres

import (
	"testing"
	"time"
)

// Any cursor a client sends is refused as malformed or is a position that
// encodes back to a cursor decoding to the same position.
func FuzzDecodeCursor(f *testing.F) {
	f.Add(encodeCursor(time.Date(2026, 7, 1, 8, 0, 0, 123, time.UTC), "01a22d10-ec1e-7590-8bbd-71464969f8aa"))
	f.Add("")
	f.Add("not base64!")
	f.Add("MjAyNi0wNy0wMVQwODowMDowMFp8eA")
	f.Fuzz(func(t *testing.T, c string) {
		at, id, err := decodeCursor(c)
		if err != nil {
			return
		}
		at2, id2, err := decodeCursor(encodeCursor(at, id))
		if err != nil || !at2.Equal(at) || id2 != id {
			t.Fatalf("%q: (%v, %q) re-encodes to (%v, %q, %v)", c, at, id, at2, id2, err)
		}
	})
}

// The same holds for the cursors of lists in the draw's order.
func FuzzDecodeRankCursor(f *testing.F) {
	f.Add(encodeRankCursor(2147483647, "01a22d10-ec1e-7590-8bbd-71464969f8aa"))
	f.Add(encodeRankCursor(3, "01a22d10-ec1e-7590-8bbd-71464969f8aa"))
	f.Add("")
	f.Add("not base64!")
	f.Add("MXx4")
	f.Fuzz(func(t *testing.T, c string) {
		n, id, err := decodeRankCursor(c)
		if err != nil {
			return
		}
		n2, id2, err := decodeRankCursor(encodeRankCursor(n, id))
		if err != nil || n2 != n || id2 != id {
			t.Fatalf("%q: (%d, %q) re-encodes to (%d, %q, %v)", c, n, id, n2, id2, err)
		}
	})
}

// And for the cursors of lists with a choice of order: a cursor decodes
// only in the order it names, to the same key and id once re-encoded.
func FuzzDecodeKeyCursor(f *testing.F) {
	f.Add(encodeKeyCursor("name", "李明|x", "01a22d10-ec1e-7590-8bbd-71464969f8aa"), "name")
	f.Add(encodeKeyCursor("-since", "infinity", "01a22d10-ec1e-7590-8bbd-71464969f8aa"), "since")
	f.Add("", "name")
	f.Add("not base64!", "name")
	f.Fuzz(func(t *testing.T, c, order string) {
		key, id, ok, err := decodeKeyCursor(c, order)
		if err != nil || !ok {
			return
		}
		if _, _, ok, err := decodeKeyCursor(c, order+"x"); ok || err == nil {
			t.Fatalf("%q decodes in order %q as well as %q", c, order+"x", order)
		}
		key2, id2, ok, err := decodeKeyCursor(encodeKeyCursor(order, key, id), order)
		if err != nil || !ok || key2 != key || id2 != id {
			t.Fatalf("%q: (%q, %q) re-encodes to (%q, %q, %v)", c, key, id, key2, id2, err)
		}
	})
}
