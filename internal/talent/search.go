package talent

import (
	"strings"
	"time"
	"unicode"
)

// PersonSearch is what one search term typed into a staff list looks for
// in a person: the start of their name (stored in clear on the profile),
// or the blind index of their exact national ID number. At most one is set.
type PersonSearch struct {
	NamePrefix      string
	NationalIDIndex string
}

// SearchPerson reads q, the one search box of a staff list (review queue,
// HR declarations, user search, leases): a national ID number whose check
// digit holds is matched by its blind index only; other text with a digit
// (a part of a number, a mistyped one) can match nobody, so ok is false,
// because sealed numbers are never searched; anything else is the start of
// a name, to be matched as text (escape it for LIKE). An empty q matches
// everyone.
func SearchPerson(q string, now time.Time, v Vault) (s PersonSearch, ok bool) {
	q = strings.TrimSpace(q)
	if q == "" {
		return PersonSearch{}, true
	}
	if id, err := ParseNationalID(q, now); err == nil {
		return PersonSearch{NationalIDIndex: v.Index(id.Number())}, true
	}
	if strings.IndexFunc(q, unicode.IsDigit) >= 0 {
		return PersonSearch{}, false
	}
	return PersonSearch{NamePrefix: q}, true
}
