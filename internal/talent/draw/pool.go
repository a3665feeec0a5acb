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
	RoundID      string        `json:"roundId"`
	Units        []Unit        `json:"units"`
	Applications []Application `json:"applications"`
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
	// Field paths are built only for problems found, so that checking a
	// valid pool of 100,000 applications formats no strings.
	add := func(code talent.Code, format string, args ...any) {
		if len(fields) < maxFieldErrors {
			fields = append(fields, talent.FieldError{Field: fmt.Sprintf(format, args...), Code: code})
		}
	}
	// textCode returns the problem with a string field, or the zero Code.
	textCode := func(s string, required bool) talent.Code {
		switch {
		case required && s == "":
			return talent.CodeRequired
		case !utf8.ValidString(s):
			return CodeInvalidUTF8
		}
		return talent.Code{}
	}

	if c := textCode(pool.RoundID, true); c != (talent.Code{}) {
		add(c, "roundId")
	}

	units := make(map[string]bool, len(pool.Units))
	for i, u := range pool.Units {
		if c := textCode(u.ID, true); c != (talent.Code{}) {
			add(c, "units[%d].id", i)
		} else if units[u.ID] {
			add(talent.CodeDuplicate, "units[%d].id", i)
		}
		units[u.ID] = true
		if c := textCode(u.PropertyID, true); c != (talent.Code{}) {
			add(c, "units[%d].propertyId", i)
		}
		if c := textCode(u.Layout, true); c != (talent.Code{}) {
			add(c, "units[%d].layout", i)
		}
	}

	apps := make(map[string]bool, len(pool.Applications))
	for i, a := range pool.Applications {
		if c := textCode(a.ID, true); c != (talent.Code{}) {
			add(c, "applications[%d].id", i)
		} else if apps[a.ID] {
			add(talent.CodeDuplicate, "applications[%d].id", i)
		}
		apps[a.ID] = true
		if c := textCode(a.Applicant, false); c != (talent.Code{}) {
			add(c, "applications[%d].applicant", i)
		} else if hasDigitRun(a.Applicant, clearNumberDigits) {
			add(CodeNotMasked, "applications[%d].applicant", i)
		}
		if a.Score < 0 || a.Score > MaxScore {
			add(talent.CodeOutOfRange, "applications[%d].score", i)
		}
		if a.HouseholdSize < 1 || a.HouseholdSize > MaxHouseholdSize {
			add(talent.CodeOutOfRange, "applications[%d].householdSize", i)
		}
		if n := len(a.Preferences); n < 1 || n > MaxPreferences {
			add(CodeCount, "applications[%d].preferences", i)
		}
		for k, p := range a.Preferences {
			if c := textCode(p.PropertyID, false); c != (talent.Code{}) {
				add(c, "applications[%d].preferences[%d].propertyId", i, k)
			}
			if c := textCode(p.Layout, false); c != (talent.Code{}) {
				add(c, "applications[%d].preferences[%d].layout", i, k)
			}
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
