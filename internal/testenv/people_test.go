package testenv

import (
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

func TestNationalIDsAreValidAndDistinct(t *testing.T) {
	seen := map[string]bool{}
	for n := range 2500 {
		id := NationalID(n)
		if _, err := talent.ParseNationalID(id, time.Now()); err != nil {
			t.Fatalf("%d: %s: %v", n, id, err)
		}
		if seen[id] {
			t.Fatalf("%s twice", id)
		}
		seen[id] = true
	}
}
