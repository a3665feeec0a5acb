package draw

import (
	"bytes"
	"encoding/hex"
	"encoding/json"
	"errors"
	"flag"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/iotest"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

var update = flag.Bool("update", false, "rewrite testdata/record.golden.json")

// publishedAt is when the test draws are published: 10:00 in Shanghai.
var publishedAt = time.Date(2026, 7, 1, 2, 0, 0, 0, time.UTC)

// tiedPool is a pool of 12 applications over 5 units where most scores tie.
func tiedPool() Pool {
	return randomPool(rand.New(rand.NewPCG(11, 12)), poolShape{apps: 12, units: 5, props: 2, maxScore: 3})
}

func TestPublish(t *testing.T) {
	pool := tiedPool()
	seed := testSeed(1)
	rec := mustPublish(t, pool, seed)
	if rec.Version != Version || rec.RoundID != pool.RoundID || rec.Commitment != Commitment(seed) ||
		rec.PoolHash != PoolHash(pool) || !rec.PublishedAt.Equal(publishedAt) {
		t.Errorf("record header = %+v", rec)
	}
	if err := Verify(rec); err != nil {
		t.Fatal(err)
	}
	// The record owns its pool: changing the caller's pool changes nothing.
	pool.Applications[0].Preferences[0].Layout = "changed"
	pool.Applications[0].Score = 99
	if err := Verify(rec); err != nil {
		t.Fatalf("the record shares memory with the caller's pool: %v", err)
	}
}

func TestPublishRejects(t *testing.T) {
	bad := smallPool()
	bad.Units[0].Layout = ""
	for name, call := range map[string]func() error{
		"invalid pool": func() error { _, err := Publish(bad, testSeed(1), publishedAt); return err },
		"short seed":   func() error { _, err := Publish(smallPool(), make([]byte, 16), publishedAt); return err },
		"no time":      func() error { _, err := Publish(smallPool(), testSeed(1), time.Time{}); return err },
	} {
		if err := call(); talent.ErrorKind(err) != talent.KindInvalid {
			t.Errorf("%s: %v, want an invalid error", name, err)
		}
	}
}

// TestMarshalRecordDeterministic: the same pool and seed give the same bytes,
// whatever the order of the pool and the time zone of the publication time,
// and the bytes survive a round trip.
func TestMarshalRecordDeterministic(t *testing.T) {
	pool := tiedPool()
	a, err := MarshalRecord(mustPublish(t, pool, testSeed(1)))
	if err != nil {
		t.Fatal(err)
	}
	shuffled := Pool{RoundID: pool.RoundID, Units: append([]Unit(nil), pool.Units...), Applications: append([]Application(nil), pool.Applications...)}
	rand.New(rand.NewPCG(5, 5)).Shuffle(len(shuffled.Applications), func(i, j int) {
		shuffled.Applications[i], shuffled.Applications[j] = shuffled.Applications[j], shuffled.Applications[i]
	})
	rec, err := Publish(shuffled, testSeed(1), publishedAt.In(time.FixedZone("CST", 8*3600)))
	if err != nil {
		t.Fatal(err)
	}
	b, err := MarshalRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, b) {
		t.Fatalf("two publications of one draw differ:\n%s\n%s", a, b)
	}
	back, err := UnmarshalRecord(a)
	if err != nil {
		t.Fatal(err)
	}
	c, err := MarshalRecord(back)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(a, c) {
		t.Fatal("a record does not survive a round trip")
	}
	checkSortedKeys(t, a)
	if !bytes.Contains(a, append(append([]byte(`"pool":`), EncodePool(pool)...), ',')) {
		t.Error(`the record's "pool" member is not the canonical pool encoding`)
	}

	other, err := MarshalRecord(mustPublish(t, pool, testSeed(2)))
	if err != nil {
		t.Fatal(err)
	}
	if bytes.Equal(a, other) {
		t.Error("another seed gave the same record")
	}
}

func TestMarshalRecordRejectsInvalidUTF8(t *testing.T) {
	rec := mustPublish(t, smallPool(), testSeed(1))
	rec.Result[0].Applicant = "\xff"
	if _, err := MarshalRecord(rec); talent.ErrorKind(err) != talent.KindInvalid {
		t.Errorf("MarshalRecord = %v, want an invalid error", err)
	}
}

// TestVerifyCatchesTampering changes one thing in a published record at a
// time and expects Verify to name it.
func TestVerifyCatchesTampering(t *testing.T) {
	seed := testSeed(1)
	otherSeed := testSeed(2)
	tests := []struct {
		name   string
		tamper func(r *Record)
		field  string
	}{
		{"version", func(r *Record) { r.Version = "anju-draw/0" }, "version"},
		{"round", func(r *Record) { r.RoundID = "2026-r2" }, "roundId"},
		{"seed not hex", func(r *Record) { r.Seed = "zz" + r.Seed[2:] }, "seed"},
		{"seed in upper case", func(r *Record) { r.Seed = strings.ToUpper(r.Seed) }, "seed"},
		{"seed", func(r *Record) { r.Seed = hex.EncodeToString(otherSeed) }, "commitment"},
		{"seed and commitment", func(r *Record) { r.Seed, r.Commitment = hex.EncodeToString(otherSeed), Commitment(otherSeed) }, "result"},
		{"commitment", func(r *Record) { r.Commitment = Commitment(otherSeed) }, "commitment"},
		{"pool made invalid", func(r *Record) { r.Pool.Applications[1].ID = r.Pool.Applications[0].ID }, "pool"},
		{"pool", func(r *Record) { r.Pool.Applications[3].Score += 5 }, "poolHash"},
		{"pool and pool hash", func(r *Record) {
			r.Pool.Applications[3].Score += 5
			r.PoolHash = PoolHash(r.Pool)
		}, "result"},
		{"pool hash", func(r *Record) { r.PoolHash = strings.Repeat("0", 64) }, "poolHash"},
		{"units swapped", func(r *Record) {
			r.Result[0].UnitID, r.Result[1].UnitID = r.Result[1].UnitID, r.Result[0].UnitID
		}, "result"},
		{"lines swapped", func(r *Record) { r.Result[0], r.Result[1] = r.Result[1], r.Result[0] }, "result"},
		{"tie key", func(r *Record) { r.Result[4].TieKey = strings.Repeat("0", 64) }, "result"},
		{"applicant", func(r *Record) { r.Result[2].Applicant = "某*" }, "result"},
		{"preference index", func(r *Record) { r.Result[0].PreferenceIndex++ }, "result"},
		{"line dropped", func(r *Record) { r.Result = r.Result[:len(r.Result)-1] }, "result"},
		{"line added", func(r *Record) { r.Result = append(r.Result, r.Result[0]) }, "result"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rec := mustPublish(t, tiedPool(), seed)
			tt.tamper(&rec)
			err := Verify(rec)
			var m *MismatchError
			if !errors.As(err, &m) || !errors.Is(err, ErrMismatch) {
				t.Fatalf("Verify = %v, want a mismatch", err)
			}
			if m.Field != tt.field {
				t.Errorf("Verify = %v, want a mismatch of %s", err, tt.field)
			}
			if (m.Field == "result") != (m.Rank > 0) {
				t.Errorf("Verify = %v: rank %d for field %s", err, m.Rank, m.Field)
			}
		})
	}
}

func TestVerifyNamesTheFirstDifferingLine(t *testing.T) {
	rec := mustPublish(t, tiedPool(), testSeed(1))
	rec.Result[3].UnitID = "u-999"
	err := Verify(rec)
	want := `draw record does not verify: result at rank 4: unitId: recorded "u-999", recomputed ` + `"` + Allocate(rec.Pool, testSeed(1)).Order[3].UnitID + `"`
	if err == nil || err.Error() != want {
		t.Errorf("Verify = %v\nwant %s", err, want)
	}
}

// TestVerifyFile checks a record file as `anju verify-draw` does: the
// published bytes verify, so does a reformatted copy, and a file with one
// unit changed in the result does not.
func TestVerifyFile(t *testing.T) {
	rec := mustPublish(t, tiedPool(), testSeed(1))
	data, err := MarshalRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := VerifyFile(bytes.NewReader(data)); err != nil {
		t.Fatalf("published record: %v", err)
	}

	// The content of a reformatted copy verifies, but the file is not what
	// Anju published, and neither is one with a key given twice.
	var indented bytes.Buffer
	if err := json.Indent(&indented, data, "", "  "); err != nil {
		t.Fatal(err)
	}
	back, err := UnmarshalRecord(indented.Bytes())
	if err != nil {
		t.Fatal(err)
	}
	if err := Verify(back); err != nil {
		t.Errorf("reformatted record: %v", err)
	}
	for name, file := range map[string][]byte{
		"reformatted": indented.Bytes(),
		"key twice":   bytes.Replace(data, []byte(`"seed":`), []byte(`"seed":"00","seed":`), 1),
		"key spelled": bytes.Replace(data, []byte(`"roundId":"2026-r1","seed"`), []byte(`"RoundID":"2026-r1","seed"`), 1),
	} {
		_, err := VerifyFile(bytes.NewReader(file))
		var m *MismatchError
		if !errors.As(err, &m) || m.Field != "encoding" {
			t.Errorf("%s file: %v, want an encoding mismatch", name, err)
		}
	}

	var housed Ranked
	for _, l := range rec.Result {
		if l.UnitID != "" {
			housed = l
			break
		}
	}
	line := `"unitId":"` + housed.UnitID + `"}`
	tampered := bytes.Replace(data, []byte(line), []byte(`"unitId":"u-999999"}`), 1)
	if bytes.Equal(tampered, data) {
		t.Fatal("found nothing to tamper with")
	}
	_, err = VerifyFile(bytes.NewReader(tampered))
	var m *MismatchError
	if !errors.As(err, &m) || m.Field != "result" || m.Rank != housed.Rank {
		t.Errorf("tampered file: %v, want a result mismatch at rank %d", err, housed.Rank)
	}
}

func TestUnmarshalRecordMalformed(t *testing.T) {
	data, err := MarshalRecord(mustPublish(t, smallPool(), testSeed(1)))
	if err != nil {
		t.Fatal(err)
	}
	s := string(data)
	for name, bad := range map[string]string{
		"not json":      "draw",
		"truncated":     s[:len(s)/2],
		"trailing data": s + "{}",
		"unknown field": strings.Replace(s, `"seed":`, `"salt":"00","seed":`, 1),
		"pool encoding": strings.Replace(s, `"version":"anju-pool/1"`, `"version":"anju-pool/9"`, 1),
		"time":          strings.Replace(s, `"publishedAt":"2026-07-01T02:00:00Z"`, `"publishedAt":"yesterday"`, 1),
		"float score":   strings.Replace(s, `"score":42`, `"score":42.5`, 1),
	} {
		if bad == s {
			t.Errorf("%s: the mutation did not apply", name)
			continue
		}
		if _, err := UnmarshalRecord([]byte(bad)); talent.ErrorKind(err) != talent.KindMalformed {
			t.Errorf("%s: %v, want a malformed error", name, err)
		}
	}
}

func TestVerifyFileTooLarge(t *testing.T) {
	data, err := MarshalRecord(mustPublish(t, smallPool(), testSeed(1)))
	if err != nil {
		t.Fatal(err)
	}
	defer func(limit int) { recordLimit = limit }(recordLimit)
	recordLimit = len(data)
	if _, err := VerifyFile(bytes.NewReader(data)); err != nil {
		t.Errorf("a record of exactly the limit: %v", err)
	}
	recordLimit = len(data) - 1
	if _, err := VerifyFile(bytes.NewReader(data)); talent.ErrorCode(err) != "draw_record_too_large" {
		t.Errorf("a record one byte over the limit: %v", err)
	}
}

func TestVerifyFileReadError(t *testing.T) {
	broken := errors.New("disk on fire")
	r := io.MultiReader(strings.NewReader(`{"commitment":"`), iotest.ErrReader(broken))
	if _, err := VerifyFile(r); !errors.Is(err, broken) {
		t.Errorf("VerifyFile = %v, want the read error", err)
	}
}

// goldenPool is written out by hand, not generated, so that the golden
// record depends on nothing but this package.
func goldenPool() Pool {
	pref := func(property, layout string) Preference { return Preference{PropertyID: property, Layout: layout} }
	return Pool{
		RoundID: "2026-r1",
		Units: []Unit{
			{ID: "B-0101", PropertyID: "binhai", Layout: "2br"},
			{ID: "B-0102", PropertyID: "binhai", Layout: "studio"},
			{ID: "B-0103", PropertyID: "binhai", Layout: "studio"},
			{ID: "C-0301", PropertyID: "chengdong", Layout: "1br"},
			{ID: "C-0302", PropertyID: "chengdong", Layout: "2br"},
		},
		Applications: []Application{
			{ID: "app-01", Applicant: "陈*", Score: 52, HouseholdSize: 3, Preferences: []Preference{pref("binhai", "2br"), pref("", "2br")}},
			{ID: "app-02", Applicant: "林*", Score: 41, HouseholdSize: 1, Preferences: []Preference{pref("binhai", "2br"), pref("", "studio")}},
			{ID: "app-03", Applicant: "周*", Score: 41, HouseholdSize: 1, Preferences: []Preference{pref("", "studio")}},
			{ID: "app-04", Applicant: "吴*", Score: 41, HouseholdSize: 2, Preferences: []Preference{pref("chengdong", ""), pref("binhai", "")}},
			{ID: "app-05", Applicant: "郑*", Score: 30, HouseholdSize: 2, Preferences: []Preference{pref("binhai", "")}},
			{ID: "app-06", Applicant: "王*", Score: 30, HouseholdSize: 1, Preferences: []Preference{{}}},
			{ID: "app-07", Applicant: "3302**********123X", Score: 22, HouseholdSize: 4, Preferences: []Preference{pref("chengdong", "2br")}},
			{ID: "app-08", Applicant: "138****5678", Score: 10, HouseholdSize: 1,
				Preferences: []Preference{pref("chengdong", "1br"), pref("chengdong", "2br"), pref("binhai", "studio"), pref("binhai", "2br"), pref("", "")}},
		},
	}
}

// TestGoldenRecord pins a whole record file. A change here means records
// already published would no longer verify: bump Version instead.
// Run `go test -run GoldenRecord -update` to rewrite it deliberately.
func TestGoldenRecord(t *testing.T) {
	path := filepath.Join("testdata", "record.golden.json")
	rec := mustPublish(t, goldenPool(), testSeed(1))
	data, err := MarshalRecord(rec)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if err := os.WriteFile(path, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	golden, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(data, golden) {
		t.Errorf("MarshalRecord differs from %s", path)
	}
	f, err := os.Open(path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if _, err := VerifyFile(f); err != nil {
		t.Errorf("%s: %v", path, err)
	}
}

// BenchmarkVerifyFile is `anju verify-draw` on the record of a round with
// 100,000 applications: parse, validate, hash and allocate again.
func BenchmarkVerifyFile(b *testing.B) {
	pool := randomPool(rand.New(rand.NewPCG(100_000, 42)), poolShape{apps: 100_000, units: 10_000, props: 50, maxScore: 100, prefs: MaxPreferences})
	data, err := MarshalRecord(mustPublish(b, pool, testSeed(1)))
	if err != nil {
		b.Fatal(err)
	}
	b.SetBytes(int64(len(data)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := VerifyFile(bytes.NewReader(data)); err != nil {
			b.Fatal(err)
		}
	}
}
