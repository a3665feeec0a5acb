package draw

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// Version names the draw algorithm and record format this package
// implements; a record of another version does not verify here.
const Version = "anju-draw/1"

// MaxRecordSize is the largest record file VerifyFile reads, far above the
// few tens of megabytes of a round with 100,000 applications.
const MaxRecordSize = 512 << 20

// Record is a published draw: what GET /v1/housing/rounds/{id}/draw serves
// and `anju verify-draw` checks. Everything in it but PublishedAt can be
// recomputed from the pool and the seed.
type Record struct {
	// Version is the algorithm version, Version when Publish built it.
	Version string
	RoundID string
	// Commitment is the hex SHA-256 of the seed, published at opening.
	Commitment string
	// PoolHash is the hex SHA-256 of the canonical pool, published at closing.
	PoolHash string
	// Seed is the revealed seed, in hex.
	Seed string
	// Pool is the frozen pool in canonical order.
	Pool   Pool
	Result []Ranked
	// PublishedAt is when the draw was published, in UTC.
	PublishedAt time.Time
}

// Publish validates pool, allocates it with seed and returns the record to
// publish, with the pool copied in canonical order. It returns a
// talent.KindInvalid error when the pool fails Validate, the seed is not
// SeedSize bytes or at is zero.
func Publish(pool Pool, seed []byte, at time.Time) (Record, error) {
	if err := Validate(pool); err != nil {
		return Record{}, err
	}
	if len(seed) != SeedSize {
		return Record{}, talent.Invalid(talent.FieldError{Field: "seed", Code: talent.CodeLength})
	}
	if at.IsZero() {
		return Record{}, talent.Invalid(talent.FieldError{Field: "publishedAt", Code: talent.CodeRequired})
	}
	c := canonical(pool)
	return Record{
		Version:     Version,
		RoundID:     c.RoundID,
		Commitment:  Commitment(seed),
		PoolHash:    PoolHash(c),
		Seed:        hex.EncodeToString(seed),
		Pool:        c,
		Result:      Allocate(c, seed).Order,
		PublishedAt: at.UTC().Round(0),
	}, nil
}

// ErrMismatch is matched (errors.Is) by every error Verify returns for a
// record that does not verify.
var ErrMismatch = errors.New("draw record does not verify")

// MismatchError says where a record first differs from its recomputation.
type MismatchError struct {
	// Field is what failed: "version", "roundId", "seed", "commitment",
	// "pool", "poolHash" or "result"; VerifyFile adds "encoding".
	Field string
	// Rank is the 1-based rank of the first differing result line when Field
	// is "result", and 0 otherwise.
	Rank int
	// Detail says what the record holds and what was recomputed.
	Detail string
}

func (e *MismatchError) Error() string {
	if e.Rank > 0 {
		return fmt.Sprintf("%v: %s at rank %d: %s", ErrMismatch, e.Field, e.Rank, e.Detail)
	}
	return fmt.Sprintf("%v: %s: %s", ErrMismatch, e.Field, e.Detail)
}

// Is makes errors.Is(err, ErrMismatch) true.
func (e *MismatchError) Is(target error) bool { return target == ErrMismatch }

// Verify recomputes rec from its seed and pool and returns nil when all of it
// matches: the version, the round ID, the commitment of the seed, the pool's
// validity and hash, and every line of the result. Otherwise it returns a
// *MismatchError naming the first difference, in that order.
func Verify(rec Record) error {
	mismatch := func(field, format string, args ...any) error {
		return &MismatchError{Field: field, Detail: fmt.Sprintf(format, args...)}
	}
	if rec.Version != Version {
		return mismatch("version", "record is %q, this verifier implements %q", rec.Version, Version)
	}
	if rec.RoundID != rec.Pool.RoundID {
		return mismatch("roundId", "record is for round %q, its pool for round %q", rec.RoundID, rec.Pool.RoundID)
	}
	seed, err := hex.DecodeString(rec.Seed)
	if err != nil || len(seed) != SeedSize || hex.EncodeToString(seed) != rec.Seed {
		return mismatch("seed", "want %d bytes in lowercase hex", SeedSize)
	}
	if got := Commitment(seed); got != rec.Commitment {
		return mismatch("commitment", "recorded %s, SHA-256 of the seed is %s", rec.Commitment, got)
	}
	if err := Validate(rec.Pool); err != nil {
		return mismatch("pool", "%v", err)
	}
	if got := PoolHash(rec.Pool); got != rec.PoolHash {
		return mismatch("poolHash", "recorded %s, recomputed %s", rec.PoolHash, got)
	}
	got := Allocate(rec.Pool, seed).Order
	for i := range max(len(got), len(rec.Result)) {
		var detail string
		switch {
		case i >= len(rec.Result):
			detail = fmt.Sprintf("line missing: recomputed application %q", got[i].ApplicationID)
		case i >= len(got):
			detail = fmt.Sprintf("line not recomputed: recorded application %q", rec.Result[i].ApplicationID)
		default:
			detail = diffRanked(rec.Result[i], got[i])
		}
		if detail != "" {
			return &MismatchError{Field: "result", Rank: i + 1, Detail: detail}
		}
	}
	return nil
}

// diffRanked describes the first field in which a recorded line differs from
// the recomputed one, or returns "".
func diffRanked(rec, got Ranked) string {
	diff := func(field string, r, g any) string {
		return fmt.Sprintf("%s: recorded %#v, recomputed %#v", field, r, g)
	}
	switch {
	case rec.Rank != got.Rank:
		return diff("rank", rec.Rank, got.Rank)
	case rec.ApplicationID != got.ApplicationID:
		return diff("applicationId", rec.ApplicationID, got.ApplicationID)
	case rec.Applicant != got.Applicant:
		return diff("applicant", rec.Applicant, got.Applicant)
	case rec.Score != got.Score:
		return diff("score", rec.Score, got.Score)
	case rec.TieKey != got.TieKey:
		return diff("tieKey", rec.TieKey, got.TieKey)
	case rec.UnitID != got.UnitID:
		return diff("unitId", rec.UnitID, got.UnitID)
	case rec.PreferenceIndex != got.PreferenceIndex:
		return diff("preferenceIndex", rec.PreferenceIndex, got.PreferenceIndex)
	}
	return ""
}

// MarshalRecord returns the canonical JSON of rec (see the package
// documentation): equal records give equal bytes, and the "pool" member is
// exactly EncodePool(rec.Pool). It fails only when a string in rec is not
// valid UTF-8, which JSON cannot carry faithfully.
func MarshalRecord(rec Record) ([]byte, error) {
	var e encoder
	e.buf = make([]byte, 0, 256+len(rec.Result)*250)
	e.raw(`{"commitment":`)
	e.str(rec.Commitment)
	e.raw(`,"pool":`)
	e.pool(rec.Pool)
	e.raw(`,"poolHash":`)
	e.str(rec.PoolHash)
	e.raw(`,"publishedAt":`)
	e.str(rec.PublishedAt.UTC().Format(time.RFC3339Nano))
	e.raw(`,"result":[`)
	for i, r := range rec.Result {
		if i > 0 {
			e.raw(",")
		}
		e.ranked(r)
	}
	e.raw(`],"roundId":`)
	e.str(rec.RoundID)
	e.raw(`,"seed":`)
	e.str(rec.Seed)
	e.raw(`,"version":`)
	e.str(rec.Version)
	e.raw("}")
	if e.lossy {
		return nil, talent.Errorf(talent.KindInvalid, CodeDrawRecordNotUTF8, "a string in the draw record is not valid UTF-8")
	}
	return e.buf, nil
}

// wireRecord and wirePool are the JSON shapes of a record and its pool.
type wireRecord struct {
	Commitment  string   `json:"commitment"`
	Pool        wirePool `json:"pool"`
	PoolHash    string   `json:"poolHash"`
	PublishedAt string   `json:"publishedAt"`
	Result      []Ranked `json:"result"`
	RoundID     string   `json:"roundId"`
	Seed        string   `json:"seed"`
	Version     string   `json:"version"`
}

type wirePool struct {
	Applications []Application `json:"applications"`
	RoundID      string        `json:"roundId"`
	Units        []Unit        `json:"units"`
	Version      string        `json:"version"`
}

// UnmarshalRecord parses a record written by MarshalRecord. It accepts any
// JSON layout of the same fields but no unknown fields and nothing after the
// record, and returns a talent.KindMalformed error when data is not such a
// record. It does not verify the record.
func UnmarshalRecord(data []byte) (Record, error) {
	malformed := func(format string, args ...any) (Record, error) {
		return Record{}, talent.Errorf(talent.KindMalformed, CodeDrawRecordMalformed, "draw record: "+format, args...)
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	var w wireRecord
	if err := dec.Decode(&w); err != nil {
		return malformed("%v", err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return malformed("data after the record")
	}
	if w.Pool.Version != PoolEncoding {
		return malformed("pool encoding %q is not %q", w.Pool.Version, PoolEncoding)
	}
	at, err := time.Parse(time.RFC3339Nano, w.PublishedAt)
	if err != nil {
		return malformed("publishedAt is not an RFC 3339 time")
	}
	return Record{
		Version:     w.Version,
		RoundID:     w.RoundID,
		Commitment:  w.Commitment,
		PoolHash:    w.PoolHash,
		Seed:        w.Seed,
		Pool:        Pool{RoundID: w.Pool.RoundID, Units: w.Pool.Units, Applications: w.Pool.Applications},
		Result:      w.Result,
		PublishedAt: at.UTC(),
	}, nil
}

// recordLimit is MaxRecordSize; tests lower it.
var recordLimit = MaxRecordSize

// VerifyFile is what `anju verify-draw FILE` runs: it reads a record file of
// at most MaxRecordSize bytes, parses it (UnmarshalRecord), verifies it
// (Verify), and finally checks that the file is byte for byte the canonical
// JSON of the record it holds, so that what a reader sees in the file (or
// hashes with sha256sum) is exactly what was verified: a file that was
// reformatted, or edited to carry duplicate or differently spelled keys,
// fails with Field "encoding". It returns nil only when all of that holds;
// otherwise a read error as it is, a talent.KindMalformed error for a file
// that is not a record, or a *MismatchError, with the record as parsed.
func VerifyFile(r io.Reader) (Record, error) {
	data, err := io.ReadAll(io.LimitReader(r, int64(recordLimit)+1))
	if err != nil {
		return Record{}, err
	}
	if len(data) > recordLimit {
		return Record{}, talent.Errorf(talent.KindMalformed, CodeDrawRecordTooLarge, "draw record is larger than %d bytes", recordLimit)
	}
	rec, err := UnmarshalRecord(data)
	if err != nil {
		return Record{}, err
	}
	if err := Verify(rec); err != nil {
		return rec, err
	}
	canon, err := MarshalRecord(rec)
	if err != nil {
		return rec, &MismatchError{Field: "encoding", Detail: err.Error()}
	}
	if !bytes.Equal(canon, data) {
		at := 0
		for at < min(len(canon), len(data)) && canon[at] == data[at] {
			at++
		}
		return rec, &MismatchError{Field: "encoding", Detail: fmt.Sprintf(
			"the file is not the canonical JSON of the record it holds, from byte %d on: it was reformatted or edited", at)}
	}
	return rec, nil
}
