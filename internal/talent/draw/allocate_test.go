package draw

import (
	"fmt"
	"math/rand/v2"
	"reflect"
	"slices"
	"testing"
)

func TestAllocate(t *testing.T) {
	pool := Pool{
		RoundID: "2026-r1",
		Units: []Unit{
			{ID: "u4", PropertyID: "p1", Layout: "2br"},
			{ID: "u3", PropertyID: "p2", Layout: "studio"},
			{ID: "u2", PropertyID: "p1", Layout: "1br"},
			{ID: "u1", PropertyID: "p1", Layout: "2br"},
		},
		Applications: []Application{
			{ID: "e", Score: 1, Preferences: []Preference{{}}, HouseholdSize: 1},
			{ID: "d", Score: 5, Preferences: []Preference{{PropertyID: "p2"}}, HouseholdSize: 1},
			{ID: "c", Score: 10, Preferences: []Preference{{Layout: "studio"}, {Layout: "2br"}}, HouseholdSize: 3},
			{ID: "b", Score: 20, Preferences: []Preference{{PropertyID: "p2"}, {PropertyID: "p1"}}, HouseholdSize: 2},
			{ID: "a", Score: 30, Preferences: []Preference{{PropertyID: "p1", Layout: "2br"}}, HouseholdSize: 1},
		},
	}
	got := Allocate(pool, testSeed(1)).Order
	want := []struct {
		app, unit string
		pref      int
	}{
		{"a", "u1", 0}, // two p1 2br units free: the lower ID
		{"b", "u3", 0}, // any layout at p2
		{"c", "u4", 1}, // the studio is gone; second choice, any 2br
		{"d", "", -1},  // p2 has nothing left: waitlisted
		{"e", "u2", 0}, // anything: the last free unit
	}
	if len(got) != len(want) {
		t.Fatalf("got %d lines, want %d", len(got), len(want))
	}
	for i, w := range want {
		g := got[i]
		if g.Rank != i+1 || g.ApplicationID != w.app || g.UnitID != w.unit || g.PreferenceIndex != w.pref {
			t.Errorf("line %d = rank %d %s %q pref %d, want rank %d %s %q pref %d",
				i, g.Rank, g.ApplicationID, g.UnitID, g.PreferenceIndex, i+1, w.app, w.unit, w.pref)
		}
	}
	if err := checkAllocation(pool, testSeed(1), got); err != nil {
		t.Error(err)
	}
}

func TestAllocateEmpty(t *testing.T) {
	if got := Allocate(Pool{}, testSeed(1)).Order; len(got) != 0 {
		t.Errorf("empty pool gave %v", got)
	}
	pool := Pool{RoundID: "r", Applications: []Application{{ID: "a", Preferences: []Preference{{}}, HouseholdSize: 1}}}
	if got := Allocate(pool, testSeed(1)).Order; len(got) != 1 || got[0].UnitID != "" || got[0].PreferenceIndex != -1 {
		t.Errorf("pool without units gave %+v", got)
	}
}

// TestAllocateRandomPools checks the draw's properties, and that it agrees
// line for line with the plain reference, on several hundred random pools.
func TestAllocateRandomPools(t *testing.T) {
	r := rand.New(rand.NewPCG(2026, 7))
	for i := range 400 {
		shape := poolShape{
			apps:     r.IntN(150),
			units:    r.IntN(60),
			props:    1 + r.IntN(8),
			maxScore: 1 + r.IntN(12),
		}
		pool := randomPool(r, shape)
		seed := testSeed(byte(i))
		if err := Validate(pool); err != nil {
			t.Fatalf("pool %d: generated an invalid pool: %v", i, err)
		}
		got := Allocate(pool, seed).Order
		if err := checkAllocation(pool, seed, got); err != nil {
			t.Fatalf("pool %d %+v: %v", i, shape, err)
		}
		if want := referenceAllocate(pool, seed); !reflect.DeepEqual(got, want) {
			t.Fatalf("pool %d %+v: differs from the reference allocation", i, shape)
		}
	}
}

// TestAllocateInputOrder: the order of units and applications in the pool
// changes neither the result nor the pool hash.
func TestAllocateInputOrder(t *testing.T) {
	r := rand.New(rand.NewPCG(1, 2))
	pool := randomPool(r, poolShape{apps: 300, units: 40, props: 5, maxScore: 4})
	seed := testSeed(9)
	want := Allocate(pool, seed)
	hash := PoolHash(pool)
	for range 5 {
		shuffled := Pool{RoundID: pool.RoundID, Units: slices.Clone(pool.Units), Applications: slices.Clone(pool.Applications)}
		r.Shuffle(len(shuffled.Units), func(i, j int) { shuffled.Units[i], shuffled.Units[j] = shuffled.Units[j], shuffled.Units[i] })
		r.Shuffle(len(shuffled.Applications), func(i, j int) {
			shuffled.Applications[i], shuffled.Applications[j] = shuffled.Applications[j], shuffled.Applications[i]
		})
		if got := Allocate(shuffled, seed); !reflect.DeepEqual(got, want) {
			t.Fatal("shuffling the pool changed the result")
		}
		if got := PoolHash(shuffled); got != hash {
			t.Fatal("shuffling the pool changed its hash")
		}
	}
}

// TestAllocateSeedDecidesTies: on a pool where everybody ties, another seed
// gives another order, and the same seed always the same one.
func TestAllocateSeedDecidesTies(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	pool := randomPool(r, poolShape{apps: 20, units: 5, props: 2, maxScore: 1})
	ids := func(seed []byte) []string {
		var out []string
		for _, l := range Allocate(pool, seed).Order {
			out = append(out, l.ApplicationID)
		}
		return out
	}
	a, b := ids(testSeed(1)), ids(testSeed(2))
	if slices.Equal(a, b) {
		t.Fatal("two seeds gave the same tie order")
	}
	if !slices.Equal(a, ids(testSeed(1))) {
		t.Fatal("the same seed gave two orders")
	}
}

// TestAllocateInvalidPool: duplicate unit IDs are offered once, and the
// result still does not depend on input order.
func TestAllocateInvalidPool(t *testing.T) {
	pool := Pool{
		RoundID: "r",
		Units:   []Unit{{ID: "u1", PropertyID: "p2", Layout: "1br"}, {ID: "u1", PropertyID: "p1", Layout: "1br"}, {ID: "u0"}},
		Applications: []Application{
			{ID: "a", Score: 2, Preferences: []Preference{{Layout: "1br"}}},
			{ID: "b", Score: 1, Preferences: []Preference{{Layout: "1br"}}},
			{ID: "b", Score: 1, Preferences: []Preference{{}}},
		},
	}
	got := Allocate(pool, testSeed(1)).Order
	units := 0
	for _, l := range got {
		if l.UnitID == "u1" {
			units++
		}
	}
	if units != 1 {
		t.Errorf("unit u1 given %d times", units)
	}
	slices.Reverse(pool.Units)
	slices.Reverse(pool.Applications)
	if again := Allocate(pool, testSeed(1)).Order; !reflect.DeepEqual(got, again) {
		t.Errorf("input order changed the result on an invalid pool:\n%+v\n%+v", got, again)
	}
}

// poolFromBytes builds a small valid pool from fuzz input: up to 23 units
// over 3 properties and 3 layouts, up to 39 applications with scores 0..3.
func poolFromBytes(data []byte) Pool {
	next := func() int {
		if len(data) == 0 {
			return 0
		}
		b := data[0]
		data = data[1:]
		return int(b)
	}
	props := []string{"", "p1", "p2", "p3"}
	lays := []string{"", "studio", "1br", "2br"}
	pool := Pool{RoundID: "fuzz"}
	nUnits, nApps := next()%24, next()%40
	for i := range nUnits {
		b := next()
		pool.Units = append(pool.Units, Unit{ID: fmt.Sprintf("u%02d", (i*7)%24), PropertyID: props[1+b%3], Layout: lays[1+(b/3)%3]})
	}
	for i := range nApps {
		a := Application{ID: fmt.Sprintf("a%02d", i), Applicant: "张*", Score: next() % 4, HouseholdSize: 1}
		for range 1 + next()%MaxPreferences {
			b := next()
			a.Preferences = append(a.Preferences, Preference{PropertyID: props[b%4], Layout: lays[(b/4)%4]})
		}
		pool.Applications = append(pool.Applications, a)
	}
	return pool
}

func FuzzAllocate(f *testing.F) {
	f.Add([]byte{}, []byte{})
	f.Add([]byte{5, 9, 0, 1, 2, 3, 4, 0, 1, 0, 2, 4, 7, 9, 1, 1, 3, 3}, []byte("seed"))
	f.Add([]byte{23, 39, 200, 100, 50, 25, 12, 6, 3, 1, 255, 128, 64, 32, 16, 8, 4, 2, 1, 0}, testSeed(7))
	f.Fuzz(func(t *testing.T, data, seed []byte) {
		pool := poolFromBytes(data)
		if err := Validate(pool); err != nil {
			t.Fatalf("generated an invalid pool: %v", err)
		}
		got := Allocate(pool, seed).Order
		if err := checkAllocation(pool, seed, got); err != nil {
			t.Fatal(err)
		}
		if want := referenceAllocate(pool, seed); !reflect.DeepEqual(got, want) {
			t.Fatalf("differs from the reference allocation:\n got %+v\nwant %+v", got, want)
		}
		slices.Reverse(pool.Units)
		slices.Reverse(pool.Applications)
		if again := Allocate(pool, seed).Order; !reflect.DeepEqual(got, again) {
			t.Fatal("input order changed the result")
		}
	})
}

// BenchmarkAllocate allocates n applications with 5 preferences each over
// n/10 units of about 50 properties and 3 layouts. ns/app should stay about
// flat from 1k to 100k: the time grows linearly with applications. The pool
// is in canonical order, as Publish and Verify pass it to Allocate.
func BenchmarkAllocate(b *testing.B) {
	for _, n := range []int{1_000, 10_000, 100_000} {
		b.Run(fmt.Sprintf("%dk", n/1000), func(b *testing.B) {
			r := rand.New(rand.NewPCG(uint64(n), 42))
			pool := canonical(randomPool(r, poolShape{apps: n, units: n / 10, props: 50, maxScore: 100, prefs: MaxPreferences}))
			seed := testSeed(1)
			b.ReportAllocs()
			for b.Loop() {
				Allocate(pool, seed)
			}
			b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N)/float64(n), "ns/app")
		})
	}
}
