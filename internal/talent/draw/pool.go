package draw

import (
	"fmt"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
)

// Limits a Pool must respect (Validate). They keep every number exact in any
// JSON reader, including JavaScript's, so a record verifies everywhere.
const (
	// MaxPreferences is how many ranked preferences an application may give.
	MaxPreferences = 5
	// MaxScore is the highest score an application may carry; scores are
	// never negative.
	MaxScore = 1_000_000
	// MaxHouseholdSize is the largest household an application may declare.
	MaxHouseholdSize = 99
)

// Unit is one apartment offered in a round.
type Unit struct {
	ID         string `json:"id"`
	PropertyID string `json:"propertyId"`
	// Layout is the kind of apartment: studio, 1br, 2br …
	Layout string `json:"layout"`
}

// Preference is what an applicant asks for. An empty field means "any": a
// preference matches a unit when each of its non-empty fields equals the
// unit's, so {PropertyID: "p-1"} is any layout at p-1 and the zero Preference
// is any unit at all.
type Preference struct {
	PropertyID string `json:"propertyId"`
	Layout     string `json:"layout"`
}

// Matches reports whether u is a unit p asks for.
func (p Preference) Matches(u Unit) bool {
	return (p.PropertyID == "" || p.PropertyID == u.PropertyID) && (p.Layout == "" || p.Layout == u.Layout)
}

// Application is one graduate's entry in a round, as it is published.
type Application struct {
	ID string `json:"id"`
	// Applicant is a masked display name or number ("李*", "3302**********123X");
	// never a clear name or ID number, because the pool is published.
	Applicant string `json:"applicant"`
	// Score ranks the application; it comes from the apartment policy package.
	Score int `json:"score"`
	// Preferences are ranked, best first: 1 to MaxPreferences of them.
	Preferences   []Preference `json:"preferences"`
	HouseholdSize int          `json:"householdSize"`
}

// Pool is the frozen set of eligible applications and the units of a round.
// Its PoolHash is published when the application window closes.
type Pool struct {
	RoundID      string
	Units        []Unit
	Applications []Application
}

// maxFieldErrors caps the field errors Validate reports, so that a broken
// pool of 100,000 applications gives a readable error.
const maxFieldErrors = 20

// clearNumberDigits is the shortest run of digits taken as a clear identity
// or phone number (a mainland mobile number has 11 digits, an ID number 18).
const clearNumberDigits = 11

// Validate checks that pool can be published: a round ID; units with unique
// non-empty IDs, a property and a layout; applications with unique non-empty
// IDs, a masked applicant, a score in 0..MaxScore, a household size in
// 1..MaxHouseholdSize and 1..MaxPreferences preferences; and valid UTF-8
// everywhere, which the canonical encoding needs to be faithful. It returns a
// talent.KindInvalid error listing the first problems, by field path and
// stable code.
func Validate(pool Pool) error {
	var fields []talent.FieldError
	add := func(field, code string) {
		if len(fields) < maxFieldErrors {
			fields = append(fields, talent.FieldError{Field: field, Code: code})
		}
	}
	text := func(field, s string, required bool) {
		switch {
		case required && s == "":
			add(field, "required")
		case !utf8.ValidString(s):
			add(field, "invalid_utf8")
		}
	}

	text("roundId", pool.RoundID, true)

	units := make(map[string]bool, len(pool.Units))
	for i, u := range pool.Units {
		at := fmt.Sprintf("units[%d].", i)
		text(at+"id", u.ID, true)
		text(at+"propertyId", u.PropertyID, true)
		text(at+"layout", u.Layout, true)
		if units[u.ID] {
			add(at+"id", "duplicate")
		}
		units[u.ID] = true
	}

	apps := make(map[string]bool, len(pool.Applications))
	for i, a := range pool.Applications {
		at := fmt.Sprintf("applications[%d].", i)
		text(at+"id", a.ID, true)
		if apps[a.ID] {
			add(at+"id", "duplicate")
		}
		apps[a.ID] = true
		text(at+"applicant", a.Applicant, false)
		if hasDigitRun(a.Applicant, clearNumberDigits) {
			add(at+"applicant", "not_masked")
		}
		if a.Score < 0 || a.Score > MaxScore {
			add(at+"score", "out_of_range")
		}
		if a.HouseholdSize < 1 || a.HouseholdSize > MaxHouseholdSize {
			add(at+"householdSize", "out_of_range")
		}
		if n := len(a.Preferences); n < 1 || n > MaxPreferences {
			add(at+"preferences", "count")
		}
		for k, p := range a.Preferences {
			text(fmt.Sprintf("%spreferences[%d].propertyId", at, k), p.PropertyID, false)
			text(fmt.Sprintf("%spreferences[%d].layout", at, k), p.Layout, false)
		}
	}

	if len(fields) > 0 {
		return talent.Invalid(fields...)
	}
	return nil
}

// hasDigitRun reports whether s holds n or more ASCII digits in a row: a
// clear phone or ID number that must not be published.
func hasDigitRun(s string, n int) bool {
	run := 0
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			run++
			if run >= n {
				return true
			}
		} else {
			run = 0
		}
	}
	return false
}
