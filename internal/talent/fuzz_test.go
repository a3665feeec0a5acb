package talent

import (
	"testing"
	"time"
)

// Any text is either refused with a field error or is a national ID whose
// check digit, normalised number, mask and birth date agree with each other
// and survive a second parse.
func FuzzParseNationalID(f *testing.F) {
	now := time.Date(2026, 7, 1, 0, 0, 0, 0, time.UTC)
	for _, s := range []string{"330282199806150423", "11010519491231002x", " 110105194912310021 ", "", "33028219980615042", "000000000000000000", "33028299999999042X", "３３０２８２１９９８０６１５０４２３"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseNationalID(s, now)
		if err != nil {
			if len(err.Fields) != 1 || err.Fields[0].Field != "nationalId" {
				t.Fatalf("refusal without its field: %+v", err)
			}
			return
		}
		n := id.Number()
		if len(n) != 18 || n[17] != NationalIDCheck(n[:17]) {
			t.Fatalf("accepted %q as %q", s, n)
		}
		if m := id.Masked(); len(m) != 18 || m[:4] != n[:4] || m[14:] != n[14:] {
			t.Fatalf("mask %q of %q", m, n)
		}
		if b := id.BirthDate(); b.After(now) || b.Format("20060102") != n[6:14] {
			t.Fatalf("birth date %v of %q", b, n)
		}
		again, err := ParseNationalID(n, now)
		if err != nil || again != id {
			t.Fatalf("the normalised %q does not parse to itself: %v", n, err)
		}
	})
}

// Any text is either refused with the field named, or a normalised code of
// the GB 32100 alphabet that parses to itself.
func FuzzParseCreditCode(f *testing.F) {
	for _, s := range []string{"91330282MA2H3B8K4N", "91330282ma2h3b8k4n", "91330282MA2H3B8K4O", "", "9133028", "\x00\xff"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		code, err := ParseCreditCode(s, "creditCode")
		if err != nil {
			if len(err.Fields) != 1 || err.Fields[0].Field != "creditCode" {
				t.Fatalf("refusal without its field: %+v", err)
			}
			return
		}
		if len(code) != 18 {
			t.Fatalf("accepted %q as %q", s, code)
		}
		for i := range len(code) {
			if !containsByte(uscc, code[i]) {
				t.Fatalf("accepted %q with %q outside the alphabet", s, code[i])
			}
		}
		if again, err := ParseCreditCode(code, "creditCode"); err != nil || again != code {
			t.Fatalf("%q does not parse to itself: %v", code, err)
		}
	})
}

func containsByte(s string, b byte) bool {
	for i := range len(s) {
		if s[i] == b {
			return true
		}
	}
	return false
}
