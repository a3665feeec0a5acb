package draw

import (
	"bytes"
	"cmp"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/binary"
	"encoding/hex"
	"slices"
	"strings"
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
	ties := tieKeys(apps, seed)
	order := rankApplications(apps, ties)
	units, buckets, index := bucketUnits(pool.Units)
	taken := make([]bool, len(units))

	// Resolve every preference to its bucket in one pass in input order, so
	// that the allocation loop below, which visits applications in rank
	// order, touches small arrays instead of the applications themselves.
	first := make([]int32, len(apps)+1)
	n := 0
	for _, a := range apps {
		n += len(a.Preferences)
	}
	wants := make([]int32, 0, n)
	for i := range apps {
		for _, p := range apps[i].Preferences {
			b, ok := index[p]
			if !ok {
				b = -1
			}
			wants = append(wants, int32(b))
		}
		first[i+1] = int32(len(wants))
	}

	// One string holds all tie keys, written in rank order; each line's
	// TieKey is a slice of it.
	const keyLen = 2 * sha256.Size
	var keys strings.Builder
	keys.Grow(keyLen * len(order))
	var key [keyLen]byte
	out := make([]Ranked, len(order))
	for i, r := range order {
		unit, pref := "", -1
		for k, b := range wants[first[r.app]:first[r.app+1]] {
			if b < 0 {
				continue
			}
			if u := buckets[b].take(taken); u >= 0 {
				unit, pref = units[u].ID, k
				break
			}
		}
		hex.Encode(key[:], ties[r.app][:])
		keys.Write(key[:])
		a := &apps[r.app]
		out[i] = Ranked{
			Rank:            i + 1,
			ApplicationID:   a.ID,
			Applicant:       a.Applicant,
			Score:           a.Score,
			UnitID:          unit,
			PreferenceIndex: pref,
		}
	}
	all := keys.String()
	for i := range out {
		out[i].TieKey = all[i*keyLen : (i+1)*keyLen]
	}
	return Result{Order: out}
}

// tieKeys returns the tie key of each application (see TieKey).
func tieKeys(apps []Application, seed []byte) [][sha256.Size]byte {
	ties := make([][sha256.Size]byte, len(apps))
	mac := hmac.New(sha256.New, seed)
	var id []byte
	for i := range apps {
		mac.Reset()
		id = append(id[:0], apps[i].ID...)
		mac.Write(id)
		mac.Sum(ties[i][:0])
	}
	return ties
}

// ranking is an application's place in the order: its score, the first
// eight bytes of its tie key, which nearly always settle a tie without
// looking further, and its index in the pool.
type ranking struct {
	score int
	tie   uint64
	app   int
}

// rankApplications orders apps by score (highest first), tie key (smallest
// first) and then canonical order.
func rankApplications(apps []Application, ties [][sha256.Size]byte) []ranking {
	order := make([]ranking, len(apps))
	for i := range apps {
		order[i] = ranking{score: apps[i].Score, tie: binary.BigEndian.Uint64(ties[i][:8]), app: i}
	}
	slices.SortFunc(order, func(a, b ranking) int {
		if c := cmp.Compare(b.score, a.score); c != 0 {
			return c
		}
		if c := cmp.Compare(a.tie, b.tie); c != 0 {
			return c
		}
		if c := bytes.Compare(ties[a.app][:], ties[b.app][:]); c != 0 {
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
	buckets := make([]bucket, len(counts))
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
