package draw

import (
	"bytes"
	"encoding/json"
	"fmt"
	"io"
	"slices"
	"strings"
	"testing"
)

// smallPool is a hand-written pool with strings that need escaping.
func smallPool() Pool {
	return Pool{
		RoundID: "2026-r1",
		Units: []Unit{
			{ID: "u-2", PropertyID: "滨海人才公寓", Layout: "2br"},
			{ID: "u-1", PropertyID: "滨海人才公寓", Layout: "studio"},
		},
		Applications: []Application{
			{ID: "a-2", Applicant: "王*\"\\\t\u0001\u2028<&>", Score: 42, HouseholdSize: 3,
				Preferences: []Preference{{PropertyID: "滨海人才公寓", Layout: "2br"}, {Layout: "studio"}}},
			{ID: "a-1", Applicant: "李*", Score: 7, HouseholdSize: 1, Preferences: []Preference{{}}},
		},
	}
}

// TestEncodePoolGolden pins the canonical encoding and its hash: if this
// test fails, published pool hashes no longer verify, and the change needs
// a new PoolEncoding version.
func TestEncodePoolGolden(t *testing.T) {
	const want = `{"applications":[` +
		`{"applicant":"李*","householdSize":1,"id":"a-1","preferences":[{"layout":"","propertyId":""}],"score":7},` +
		`{"applicant":"王*\"\\\t\u0001` + "\u2028" + `<&>","householdSize":3,"id":"a-2","preferences":[{"layout":"2br","propertyId":"滨海人才公寓"},{"layout":"studio","propertyId":""}],"score":42}],` +
		`"roundId":"2026-r1",` +
		`"units":[{"id":"u-1","layout":"studio","propertyId":"滨海人才公寓"},{"id":"u-2","layout":"2br","propertyId":"滨海人才公寓"}],` +
		`"version":"anju-pool/1"}`
	got := string(EncodePool(smallPool()))
	if got != want {
		t.Fatalf("EncodePool:\n got %s\nwant %s", got, want)
	}
	const hash = "1e1e3ad8adc8c336e273f9402f65b6d52a2d01633910ddb5650f17e1312bcf4f"
	if got := PoolHash(smallPool()); got != hash {
		t.Errorf("PoolHash = %s, want %s", got, hash)
	}
}

// TestEncodePoolIsJSON: the encoding parses back to the same values, has
// no whitespace and lists every object's keys in ascending order (RFC 8785).
func TestEncodePoolIsJSON(t *testing.T) {
	data := EncodePool(smallPool())
	var w wirePool
	if err := json.Unmarshal(data, &w); err != nil {
		t.Fatal(err)
	}
	back := Pool{RoundID: w.RoundID, Units: w.Units, Applications: w.Applications}
	if !bytes.Equal(EncodePool(back), data) {
		t.Error("the encoding does not survive a JSON round trip")
	}
	checkSortedKeys(t, data)
}

// checkSortedKeys fails unless every object in data has its keys in strictly
// ascending order and data has no insignificant whitespace.
func checkSortedKeys(t *testing.T, data []byte) {
	t.Helper()
	var compact bytes.Buffer
	if err := json.Compact(&compact, data); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(compact.Bytes(), data) {
		t.Error("the encoding has insignificant whitespace")
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		object  bool
		lastKey string
		wantKey bool
	}
	var stack []frame
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return
		}
		if err != nil {
			t.Fatal(err)
		}
		top := len(stack) - 1
		switch tok {
		case json.Delim('{'), json.Delim('['):
			if top >= 0 && stack[top].object {
				stack[top].wantKey = true
			}
			stack = append(stack, frame{object: tok == json.Delim('{'), wantKey: true})
			continue
		case json.Delim('}'), json.Delim(']'):
			stack = stack[:top]
			continue
		}
		if top < 0 || !stack[top].object {
			continue
		}
		if stack[top].wantKey {
			key := tok.(string)
			if stack[top].lastKey != "" && key <= stack[top].lastKey {
				t.Errorf("key %q after %q", key, stack[top].lastKey)
			}
			stack[top].lastKey = key
			stack[top].wantKey = false
		} else {
			stack[top].wantKey = true
		}
	}
}

// TestPoolHashChanges: changing any field of any application or unit, the
// ranking of preferences or the round changes the pool hash.
func TestPoolHashChanges(t *testing.T) {
	base := PoolHash(smallPool())
	mutations := map[string]func(p *Pool){
		"round":                    func(p *Pool) { p.RoundID = "2026-r2" },
		"application id":           func(p *Pool) { p.Applications[0].ID = "a-3" },
		"applicant":                func(p *Pool) { p.Applications[1].Applicant = "李**" },
		"score":                    func(p *Pool) { p.Applications[0].Score++ },
		"household size":           func(p *Pool) { p.Applications[1].HouseholdSize = 2 },
		"preference property":      func(p *Pool) { p.Applications[1].Preferences[0].PropertyID = "x" },
		"preference layout":        func(p *Pool) { p.Applications[0].Preferences[1].Layout = "1br" },
		"preference ranking":       func(p *Pool) { slices.Reverse(p.Applications[0].Preferences) },
		"preference added":         func(p *Pool) { p.Applications[1].Preferences = append(p.Applications[1].Preferences, Preference{}) },
		"field moved into another": func(p *Pool) { p.Applications[0].Preferences[1] = Preference{PropertyID: "studio"} },
		"application removed":      func(p *Pool) { p.Applications = p.Applications[:1] },
		"unit id":                  func(p *Pool) { p.Units[0].ID = "u-3" },
		"unit property":            func(p *Pool) { p.Units[1].PropertyID = "p" },
		"unit layout":              func(p *Pool) { p.Units[1].Layout = "1br" },
		"unit removed":             func(p *Pool) { p.Units = p.Units[1:] },
	}
	seen := map[string]string{base: "base"}
	for name, mutate := range mutations {
		p := smallPool()
		mutate(&p)
		h := PoolHash(p)
		if other, dup := seen[h]; dup {
			t.Errorf("%s: same pool hash as %s", name, other)
		}
		seen[h] = name
	}
}

// TestPoolHashEveryApplication: on a larger pool, changing one field of any
// single application changes the hash.
func TestPoolHashEveryApplication(t *testing.T) {
	pool := Pool{RoundID: "r"}
	for i := range 50 {
		pool.Applications = append(pool.Applications, Application{
			ID: fmt.Sprintf("a-%02d", i), Applicant: "赵*", Score: i % 3, HouseholdSize: 1,
			Preferences: []Preference{{PropertyID: "p", Layout: "1br"}},
		})
	}
	base := PoolHash(pool)
	for i := range pool.Applications {
		for field, mutate := range map[string]func(a *Application){
			"score":     func(a *Application) { a.Score += 10 },
			"household": func(a *Application) { a.HouseholdSize++ },
			"applicant": func(a *Application) { a.Applicant += "*" },
			"layout":    func(a *Application) { a.Preferences = []Preference{{PropertyID: "p", Layout: "2br"}} },
		} {
			p := Pool{RoundID: pool.RoundID, Applications: slices.Clone(pool.Applications)}
			mutate(&p.Applications[i])
			if PoolHash(p) == base {
				t.Errorf("application %d: changing %s kept the hash", i, field)
			}
		}
	}
}

func TestEncodeInvalidUTF8(t *testing.T) {
	var e encoder
	e.str("ok\xffok")
	if !e.lossy || !strings.Contains(string(e.buf), "\uFFFD") {
		t.Errorf("invalid UTF-8 encoded as %q, lossy=%v", e.buf, e.lossy)
	}
}
