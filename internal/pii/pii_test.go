package pii

import (
	"bytes"
	"strings"
	"testing"
)

func ring(t *testing.T, keys ...Key) *Keyring {
	t.Helper()
	r, err := NewKeyring(keys, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func TestSealOpenRotate(t *testing.T) {
	t.Parallel()
	k1 := Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}
	k2 := Key{ID: "k2", Secret: bytes.Repeat([]byte{2}, 32)}
	old := ring(t, k1)
	sealed, err := old.Seal("330203199001011234")
	if err != nil {
		t.Fatal(err)
	}
	if strings.Contains(sealed, "330203") || !strings.HasPrefix(sealed, "v1.k1.") {
		t.Fatalf("sealed value %q leaks plaintext or lacks key id", sealed)
	}
	again, _ := old.Seal("330203199001011234")
	if again == sealed {
		t.Fatal("two seals of the same value must differ (random nonce)")
	}
	rotated := ring(t, k2, k1)
	plain, err := rotated.Open(sealed)
	if err != nil || plain != "330203199001011234" {
		t.Fatalf("open after rotation = %q, %v", plain, err)
	}
	fresh, _ := rotated.Seal("x")
	if !strings.HasPrefix(fresh, "v1.k2.") {
		t.Fatalf("new values must use the first key, got %q", fresh)
	}
	if _, err := old.Open(fresh); err == nil {
		t.Fatal("a ring without k2 opened a k2 value")
	}
	// Relabelling a value to another key id fails authentication.
	forged := strings.Replace(sealed, "v1.k1.", "v1.k2.", 1)
	if _, err := rotated.Open(forged); err == nil {
		t.Fatal("relabelled value opened")
	}
}

func TestIndexDeterministicAndKeyed(t *testing.T) {
	t.Parallel()
	k := Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}
	a := ring(t, k)
	if x1, x2 := a.Index("x"), a.Index("x"); x1 != x2 || x1 == a.Index("y") {
		t.Fatal("index must be deterministic and distinguish values")
	}
	b, _ := NewKeyring([]Key{k}, bytes.Repeat([]byte{8}, 32))
	if a.Index("x") == b.Index("x") {
		t.Fatal("index must depend on the index key")
	}
}

func TestParseKeys(t *testing.T) {
	t.Parallel()
	keys, err := ParseKeys("k2:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=, k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE")
	if err != nil || len(keys) != 2 || keys[0].ID != "k2" || keys[1].Secret[0] != 1 {
		t.Fatalf("ParseKeys = %+v, %v", keys, err)
	}
	for _, bad := range []string{"", "k1", "k1:!!", ","} {
		if _, err := ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
	if _, err := NewKeyring([]Key{{ID: "a", Secret: []byte("short")}}, bytes.Repeat([]byte{1}, 32)); err == nil {
		t.Error("short key accepted")
	}
}
