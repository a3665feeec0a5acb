package draw

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"io"
	"slices"
	"strconv"
	"unicode/utf8"
)

// PoolEncoding is the version of the canonical pool encoding; it is written
// into the encoding itself, so a pool hash always says how it was computed.
const PoolEncoding = "anju-pool/1"

// EncodePool returns the canonical encoding of pool (see the package
// documentation): RFC 8785 JSON with units and applications sorted by ID.
// Strings that are not valid UTF-8 are written with U+FFFD in place of the
// bad bytes, which loses information; Validate rejects such pools.
func EncodePool(pool Pool) []byte {
	var e encoder
	e.pool(pool)
	return e.buf
}

// PoolHash is the lowercase hex SHA-256 of EncodePool(pool). It is the same
// on every machine and whatever the order of the units and applications, and
// changing any field of any unit or application changes it.
func PoolHash(pool Pool) string {
	h := sha256.New()
	e := encoder{sink: h}
	e.pool(pool)
	h.Write(e.buf)
	return hex.EncodeToString(h.Sum(nil))
}

// canonical returns a copy of pool in canonical order, sharing nothing with
// it: units and applications sorted by ID (then by their other fields, so
// that even an invalid pool with duplicate IDs has one order). The
// preferences of all applications share one backing array, laid out in
// that order, so the copy costs a handful of allocations and Allocate reads
// it sequentially.
func canonical(pool Pool) Pool {
	out := Pool{
		RoundID:      pool.RoundID,
		Units:        slices.Clone(pool.Units),
		Applications: slices.Clone(pool.Applications),
	}
	if out.Units == nil {
		out.Units = []Unit{}
	}
	if out.Applications == nil {
		out.Applications = []Application{}
	}
	slices.SortFunc(out.Units, compareUnits)
	slices.SortFunc(out.Applications, compareApplications)

	n := 0
	for _, a := range out.Applications {
		n += len(a.Preferences)
	}
	prefs := make([]Preference, 0, n)
	for i := range out.Applications {
		a := &out.Applications[i]
		start := len(prefs)
		prefs = append(prefs, a.Preferences...)
		a.Preferences = prefs[start:len(prefs):len(prefs)]
	}
	return out
}

// compareUnits orders units by ID, then property and layout.
func compareUnits(a, b Unit) int {
	return cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.PropertyID, b.PropertyID), cmp.Compare(a.Layout, b.Layout))
}

// compareApplications orders applications by ID, then by every other field,
// so that the order is total.
func compareApplications(a, b Application) int {
	if c := cmp.Or(cmp.Compare(a.ID, b.ID), cmp.Compare(a.Applicant, b.Applicant),
		cmp.Compare(a.Score, b.Score), cmp.Compare(a.HouseholdSize, b.HouseholdSize)); c != 0 {
		return c
	}
	return slices.CompareFunc(a.Preferences, b.Preferences, func(p, q Preference) int {
		return cmp.Or(cmp.Compare(p.PropertyID, q.PropertyID), cmp.Compare(p.Layout, q.Layout))
	})
}

// encoder appends RFC 8785 (JCS) JSON for the few shapes this package
// writes. Keys are written in ascending order by hand; the tests check it.
type encoder struct {
	buf []byte
	// lossy is set when a string was not valid UTF-8.
	lossy bool
	// sink, when set, takes the bytes written so far whenever buf grows past
	// flushSize, so that hashing a large pool needs no large buffer.
	sink io.Writer
}

// flushSize is how many bytes the encoder keeps before passing them to its
// sink.
const flushSize = 64 << 10

// flush passes buf to the sink once it is large enough.
func (e *encoder) flush() {
	if e.sink != nil && len(e.buf) >= flushSize {
		_, _ = e.sink.Write(e.buf) // a hash never fails
		e.buf = e.buf[:0]
	}
}

func (e *encoder) raw(s string) { e.buf = append(e.buf, s...) }

func (e *encoder) int(n int) { e.buf = strconv.AppendInt(e.buf, int64(n), 10) }

// str writes s as a JSON string the way RFC 8785 (and ECMAScript's
// JSON.stringify) does: only '"', '\\' and control characters are escaped.
func (e *encoder) str(s string) {
	const hexDigits = "0123456789abcdef"
	e.buf = append(e.buf, '"')
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c < utf8.RuneSelf {
			if c >= 0x20 && c != '"' && c != '\\' {
				i++
				continue
			}
			e.buf = append(e.buf, s[start:i]...)
			switch c {
			case '"', '\\':
				e.buf = append(e.buf, '\\', c)
			case '\b':
				e.buf = append(e.buf, '\\', 'b')
			case '\t':
				e.buf = append(e.buf, '\\', 't')
			case '\n':
				e.buf = append(e.buf, '\\', 'n')
			case '\f':
				e.buf = append(e.buf, '\\', 'f')
			case '\r':
				e.buf = append(e.buf, '\\', 'r')
			default:
				e.buf = append(e.buf, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && size == 1 {
			e.buf = append(e.buf, s[start:i]...)
			e.buf = append(e.buf, "\uFFFD"...)
			e.lossy = true
			i++
			start = i
			continue
		}
		i += size
	}
	e.buf = append(e.buf, s[start:]...)
	e.buf = append(e.buf, '"')
}

// pool writes the canonical encoding of pool.
func (e *encoder) pool(pool Pool) {
	c := canonical(pool)
	if e.sink == nil {
		// About the size of a pool from the generator of the tests; a
		// guess that saves most of the copying as buf grows.
		e.buf = slices.Grow(e.buf, 64+len(c.Units)*60+len(c.Applications)*340)
	}
	e.raw(`{"applications":[`)
	for i, a := range c.Applications {
		e.flush()
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"applicant":`)
		e.str(a.Applicant)
		e.raw(`,"householdSize":`)
		e.int(a.HouseholdSize)
		e.raw(`,"id":`)
		e.str(a.ID)
		e.raw(`,"preferences":[`)
		for k, p := range a.Preferences {
			if k > 0 {
				e.raw(",")
			}
			e.raw(`{"layout":`)
			e.str(p.Layout)
			e.raw(`,"propertyId":`)
			e.str(p.PropertyID)
			e.raw("}")
		}
		e.raw(`],"score":`)
		e.int(a.Score)
		e.raw("}")
	}
	e.raw(`],"roundId":`)
	e.str(c.RoundID)
	e.raw(`,"units":[`)
	for i, u := range c.Units {
		e.flush()
		if i > 0 {
			e.raw(",")
		}
		e.raw(`{"id":`)
		e.str(u.ID)
		e.raw(`,"layout":`)
		e.str(u.Layout)
		e.raw(`,"propertyId":`)
		e.str(u.PropertyID)
		e.raw("}")
	}
	e.raw(`],"version":`)
	e.str(PoolEncoding)
	e.raw("}")
}

// ranked writes one result line.
func (e *encoder) ranked(r Ranked) {
	e.raw(`{"applicant":`)
	e.str(r.Applicant)
	e.raw(`,"applicationId":`)
	e.str(r.ApplicationID)
	e.raw(`,"preferenceIndex":`)
	e.int(r.PreferenceIndex)
	e.raw(`,"rank":`)
	e.int(r.Rank)
	e.raw(`,"score":`)
	e.int(r.Score)
	e.raw(`,"tieKey":`)
	e.str(r.TieKey)
	e.raw(`,"unitId":`)
	e.str(r.UnitID)
	e.raw("}")
}
