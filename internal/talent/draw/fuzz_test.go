package draw

import (
	"bytes"
	"testing"
)

// Any file handed to verify-draw is refused with an error or is a record
// that marshals back to a record equal to it; verifying it never panics.
func FuzzUnmarshalRecord(f *testing.F) {
	rec := mustPublish(f, smallPool(), testSeed(1))
	good, err := MarshalRecord(rec)
	if err != nil {
		f.Fatal(err)
	}
	f.Add(good)
	f.Add(bytes.Replace(good, []byte(`"`), []byte(`'`), 1))
	f.Add([]byte(`{}`))
	f.Add([]byte(`{"pool":{"units":[{}]}}`))
	f.Add([]byte("null"))
	f.Fuzz(func(t *testing.T, data []byte) {
		rec, err := UnmarshalRecord(data)
		if err != nil {
			return
		}
		out, err := MarshalRecord(rec)
		if err != nil {
			return // a record Publish could not have made; Verify refuses it too
		}
		again, err := UnmarshalRecord(out)
		if err != nil {
			t.Fatalf("a marshalled record does not read back: %v", err)
		}
		if out2, _ := MarshalRecord(again); !bytes.Equal(out, out2) {
			t.Fatal("marshal, read, marshal is not stable")
		}
		_ = Verify(rec)
		_, _ = VerifyFile(bytes.NewReader(data))
	})
}
