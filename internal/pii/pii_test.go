package pii_test

import (
	"bytes"
	"encoding/base64"
	"errors"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/pii"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

const (
	number = "330203199001011234"
	alice  = "0190a1b2-0000-7000-8000-00000000000a"
	bob    = "0190a1b2-0000-7000-8000-00000000000b"
)

var (
	k1 = pii.Key{ID: "k1", Secret: bytes.Repeat([]byte{1}, 32)}
	k2 = pii.Key{ID: "k2", Secret: bytes.Repeat([]byte{2}, 32)}
)

func ring(t *testing.T, keys ...pii.Key) *pii.Keyring {
	t.Helper()
	r, err := pii.NewKeyring(keys, bytes.Repeat([]byte{9}, 32))
	if err != nil {
		t.Fatal(err)
	}
	return r
}

func seal(t *testing.T, r *pii.Keyring, f talent.SealedField, row, plaintext string) string {
	t.Helper()
	sealed, err := r.Seal(f, row, plaintext)
	if err != nil {
		t.Fatal(err)
	}
	return sealed
}

func TestSealOpenRotate(t *testing.T) {
	t.Parallel()
	old := ring(t, k1)
	sealed := seal(t, old, talent.SealedProfileNationalID, alice, number)
	if strings.Contains(sealed, "330203") || !strings.HasPrefix(sealed, "v2.k1.") || !strings.HasPrefix(sealed, old.Current()) {
		t.Fatalf("sealed value %q leaks plaintext or lacks format and key id", sealed)
	}
	if again := seal(t, old, talent.SealedProfileNationalID, alice, number); again == sealed {
		t.Fatal("two seals of the same value must differ (random nonce)")
	}
	rotated := ring(t, k2, k1)
	plain, err := rotated.Open(talent.SealedProfileNationalID, alice, sealed)
	if err != nil || plain != number {
		t.Fatalf("open after rotation = %q, %v", plain, err)
	}
	fresh := seal(t, rotated, talent.SealedProfilePhone, alice, "x")
	if !strings.HasPrefix(fresh, "v2.k2.") {
		t.Fatalf("new values must use the first key, got %q", fresh)
	}
	if _, err := old.Open(talent.SealedProfilePhone, alice, fresh); !errors.Is(err, pii.ErrUnknownKey) {
		t.Fatalf("a ring without k2 opening a k2 value: %v", err)
	}
	if _, err := old.Seal(talent.SealedProfilePhone, "", "x"); err == nil {
		t.Fatal("sealed without a row id")
	}
}

// A value opens only where it was sealed: the same field of the same row.
// Copied into another person's row, another column or another table, or
// relabelled to another key, it fails authentication, and the error names
// the place but never the value.
func TestBoundToFieldAndRow(t *testing.T) {
	t.Parallel()
	r := ring(t, k1, k2)
	sealed := seal(t, r, talent.SealedProfileNationalID, alice, number)
	for _, c := range []struct {
		name string
		f    talent.SealedField
		row  string
		val  string
	}{
		{"another person's row", talent.SealedProfileNationalID, bob, sealed},
		{"another column of the row", talent.SealedProfileBankAccount, alice, sealed},
		{"another table, same id", talent.SealedHireNationalID, alice, sealed},
		{"a row id that extends this one", talent.SealedProfileNationalID, alice + "x", sealed},
		{"relabelled to another key", talent.SealedProfileNationalID, alice, strings.Replace(sealed, "v2.k1.", "v2.k2.", 1)},
		{"relabelled to v1", talent.SealedProfileNationalID, alice, strings.Replace(sealed, "v2.", "v1.", 1)},
	} {
		plain, err := r.Open(c.f, c.row, c.val)
		if !errors.Is(err, pii.ErrAuthentication) || plain != "" {
			t.Errorf("%s: opened %q, %v", c.name, plain, err)
			continue
		}
		if strings.Contains(err.Error(), number) || !strings.Contains(err.Error(), string(c.f)) || !strings.Contains(err.Error(), c.row) {
			t.Errorf("%s: the error must name the place and not the value: %v", c.name, err)
		}
	}
	if _, err := r.Open(talent.SealedProfileNationalID, alice, "330203199001011234"); !errors.Is(err, pii.ErrNotSealed) {
		t.Errorf("plaintext in a sealed column: %v", err)
	}
}

// Any change to the ciphertext or nonce fails authentication.
func TestTamperingFails(t *testing.T) {
	t.Parallel()
	r := ring(t, k1)
	sealed := seal(t, r, talent.SealedProfileBankAccount, alice, "6217856100012345678")
	prefix, body := sealed[:len(r.Current())], sealed[len(r.Current()):]
	raw, err := base64.RawURLEncoding.DecodeString(body)
	if err != nil {
		t.Fatal(err)
	}
	for _, i := range []int{0, len(raw) / 2, len(raw) - 1} { // nonce, ciphertext, tag
		forged := bytes.Clone(raw)
		forged[i] ^= 1
		if _, err := r.Open(talent.SealedProfileBankAccount, alice, prefix+base64.RawURLEncoding.EncodeToString(forged)); !errors.Is(err, pii.ErrAuthentication) {
			t.Errorf("byte %d flipped: %v", i, err)
		}
	}
	if _, err := r.Open(talent.SealedProfileBankAccount, alice, prefix+body[:8]); !errors.Is(err, pii.ErrAuthentication) {
		t.Errorf("truncated: %v", err)
	}
}

// Values sealed before the binding (v1) still open, as legacy, until the
// deployment requires bound values; Rebind turns them into bound ones
// whatever the setting, and refuses what its check refuses.
func TestLegacyValues(t *testing.T) {
	t.Parallel()
	r := ring(t, k1)
	v1 := testenv.SealV1(t, k1, number)
	if plain, err := r.Open(talent.SealedProfileNationalID, alice, v1); err != nil || plain != number {
		t.Fatalf("v1 value without RequireBound: %q, %v", plain, err)
	}
	if _, err := r.Open(talent.SealedProfileNationalID, alice, strings.Replace(v1, "v1.k1.", "v1.k2.", 1)); err == nil {
		t.Fatal("a v1 value relabelled to another key opened")
	}
	strict := ring(t, k1)
	strict.RequireBound = true
	if plain, err := strict.Open(talent.SealedProfileNationalID, alice, v1); !errors.Is(err, pii.ErrLegacy) || plain != "" {
		t.Fatalf("v1 value with RequireBound: %q, %v", plain, err)
	}
	bound, err := strict.Rebind(talent.SealedProfileNationalID, alice, v1, nil)
	if err != nil || !strings.HasPrefix(bound, strict.Current()) {
		t.Fatalf("rebind = %q, %v", bound, err)
	}
	if plain, err := strict.Open(talent.SealedProfileNationalID, alice, bound); err != nil || plain != number {
		t.Fatalf("rebound value: %q, %v", plain, err)
	}
	if _, err := strict.Open(talent.SealedProfileNationalID, bob, bound); !errors.Is(err, pii.ErrAuthentication) {
		t.Fatalf("rebound value in another row: %v", err)
	}
	refused := errors.New("index differs")
	if _, err := strict.Rebind(talent.SealedProfileNationalID, alice, v1, func(string) error { return refused }); !errors.Is(err, refused) {
		t.Fatalf("rebind past a refusing check: %v", err)
	}
	// A bound value is rebound only where it belongs: under the new key
	// after a rotation, never into another row.
	rotated := ring(t, k2, k1)
	if again, err := rotated.Rebind(talent.SealedProfileNationalID, alice, bound, nil); err != nil || !strings.HasPrefix(again, "v2.k2.") {
		t.Fatalf("rebind to the new key: %q, %v", again, err)
	}
	if _, err := rotated.Rebind(talent.SealedProfileNationalID, bob, bound, nil); !errors.Is(err, pii.ErrAuthentication) {
		t.Fatalf("rebind into another row: %v", err)
	}
}

func TestIndexDeterministicAndKeyed(t *testing.T) {
	t.Parallel()
	a := ring(t, k1)
	if x1, x2 := a.Index("x"), a.Index("x"); x1 != x2 || x1 == a.Index("y") {
		t.Fatal("index must be deterministic and distinguish values")
	}
	b, _ := pii.NewKeyring([]pii.Key{k1}, bytes.Repeat([]byte{8}, 32))
	if a.Index("x") == b.Index("x") {
		t.Fatal("index must depend on the index key")
	}
}

func TestParseKeys(t *testing.T) {
	t.Parallel()
	keys, err := pii.ParseKeys("k2:AgICAgICAgICAgICAgICAgICAgICAgICAgICAgICAgI=, k1:AQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQEBAQE")
	if err != nil || len(keys) != 2 || keys[0].ID != "k2" || keys[1].Secret[0] != 1 {
		t.Fatalf("ParseKeys = %+v, %v", keys, err)
	}
	for _, bad := range []string{"", "k1", "k1:!!", ","} {
		if _, err := pii.ParseKeys(bad); err == nil {
			t.Errorf("ParseKeys(%q) accepted", bad)
		}
	}
	if _, err := pii.NewKeyring([]pii.Key{{ID: "a", Secret: []byte("short")}}, bytes.Repeat([]byte{1}, 32)); err == nil {
		t.Error("short key accepted")
	}
}
