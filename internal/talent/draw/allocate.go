package draw

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"slices"
)

// Ranked is one line of a draw result: an application's place in the order
// and what it got.
type Ranked struct {
	// Rank is the 1-based place in the order, waitlisted applicants included.
	Rank          int    `json:"rank"`
	ApplicationID string `json:"applicationId"`
	// Applicant is the masked display name from the application.
	Applicant string `json:"applicant"`
	Score     int    `json:"score"`
	// TieKey is the application's lottery key (see TieKey), in hex.
	TieKey string `json:"tieKey"`
	// UnitID is the unit allocated; "" when the applicant is waitlisted.
	UnitID string `json:"unitId"`
	// PreferenceIndex is the 0-based index, in the application's
	// Preferences, of the preference that won the unit; -1 when waitlisted.
	PreferenceIndex int `json:"preferenceIndex"`
}

// Result is the outcome of a draw: every application in rank order, the
// housed and the waitlisted alike.
type Result struct {
	Order []Ranked
}

// Allocate runs the draw (see the package documentation): it orders the
// applications by score, breaks ties with the seed's tie keys, and gives each
// applicant in turn the best still-free unit they asked for, the lowest unit
// ID first; the others are waitlisted in order.
//
// Allocate is pure and does not validate: the result depends only on the
// pool's content and the seed, never on the order of units or applications.
// On a pool that fails Validate it still never gives a unit twice (of units
// sharing an ID, only the first in canonical order is offered).
//
// It runs in O(n log n + n·p + u log u) for n applications with p preferences
// and u units: free units are kept in ID order in one bucket per preference
// shape — (property, layout), (property, any), (any, layout), (any, any) —
// and each bucket's cursor only moves forward past units already taken.
func Allocate(pool Pool, seed []byte) Result {
	apps := pool.Applications
	order := rankApplications(apps, seed)
	units, buckets, index := bucketUnits(pool.Units)
	taken := make([]bool, len(units))

	hexKeys := make([]byte, hex.EncodedLen(sha256.Size)*len(order))
	for i := range order {
		hex.Encode(hexKeys[i*2*sha256.Size:], order[i].tie[:])
	}
	// One string for all tie keys: each line's TieKey is a slice of it.
	keys := string(hexKeys)

	out := make([]Ranked, len(order))
	for i, e := range order {
		a := &apps[e.app]
		unit, pref := "", -1
		for k, p := range a.Preferences {
			b, ok := index[p]
			if !ok {
				continue
			}
			if u := buckets[b].take(taken); u >= 0 {
				unit, pref = units[u].ID, k
				break
			}
		}
		out[i] = Ranked{
			Rank:            i + 1,
			ApplicationID:   a.ID,
			Applicant:       a.Applicant,
			Score:           a.Score,
			TieKey:          keys[i*2*sha256.Size : (i+1)*2*sha256.Size],
			UnitID:          unit,
			PreferenceIndex: pref,
		}
	}
	return Result{Order: out}
}

// ranking is an application's place in the order.
type ranking struct {
	tie   [sha256.Size]byte
	score int
	app   int
}

// rankApplications orders apps by score (highest first), tie key (smallest
// first) and then canonical order.
func rankApplications(apps []Application, seed []byte) []ranking {
	order := make([]ranking, len(apps))
	mac := hmac.New(sha256.New, seed)
	var id []byte
	for i := range apps {
		mac.Reset()
		id = append(id[:0], apps[i].ID...)
		mac.Write(id)
		mac.Sum(order[i].tie[:0])
		order[i].score = apps[i].Score
		order[i].app = i
	}
	slices.SortFunc(order, func(a, b ranking) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := bytes.Compare(a.tie[:], b.tie[:]); c != 0 {
			return c
		}
		return compareApplications(apps[a.app], apps[b.app])
	})
	return order
}

// bucket is the free units matching one preference shape: a window of
// unit indices, in ID order, into a shared array.
type bucket struct {
	units []int32
	next  int
}

// take returns the lowest-ID unit of the bucket not yet taken, marking it
// taken, or -1 when there is none.
func (b *bucket) take(taken []bool) int32 {
	for b.next < len(b.units) && taken[b.units[b.next]] {
		b.next++
	}
	if b.next == len(b.units) {
		return -1
	}
	u := b.units[b.next]
	taken[u] = true
	b.next++
	return u
}

// bucketUnits returns the units in ID order without duplicate IDs, their
// buckets, and the bucket of each preference shape that some unit matches.
func bucketUnits(all []Unit) ([]Unit, []bucket, map[Preference]int) {
	units := slices.Clone(all)
	slices.SortFunc(units, compareUnits)
	units = slices.CompactFunc(units, func(a, b Unit) bool { return a.ID == b.ID })

	// Each unit belongs to up to four buckets. Count first, then fill one
	// shared array, so that the buckets cost two allocations in all.
	index := make(map[Preference]int)
	var buckets []bucket
	of := make([][4]int, len(units))
	var counts []int
	for i, u := range units {
		shapes := [4]Preference{{u.PropertyID, u.Layout}, {u.PropertyID, ""}, {"", u.Layout}, {"", ""}}
		for s, p := range shapes {
			of[i][s] = -1
			if slices.Contains(shapes[:s], p) {
				continue // a unit without a property or layout has fewer shapes
			}
			b, ok := index[p]
			if !ok {
				b = len(counts)
				index[p] = b
				counts = append(counts, 0)
			}
			counts[b]++
			of[i][s] = b
		}
	}
	flat := make([]int32, 0, 4*len(units))
	buckets = make([]bucket, len(counts))
	for b, n := range counts {
		buckets[b].units = flat[len(flat) : len(flat) : len(flat)+n]
		flat = flat[:len(flat)+n]
	}
	for i := range units {
		for _, b := range of[i] {
			if b >= 0 {
				buckets[b].units = append(buckets[b].units, int32(i))
			}
		}
	}
	return units, buckets, index
}
