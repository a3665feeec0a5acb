package talent

import "time"

// TalentTiers are the recognised talent tiers, A the highest.
var TalentTiers = []string{"A", "B", "C", "D", "E"}

// Person is what the other modules know of a graduate: the profile with
// its personal data opened once and masked, and the blind index that makes
// "one per person" hold across accounts. A user with no profile yet is a
// Person with only UserID and Locale.
type Person struct {
	UserID           string
	Name             string
	Locale           Locale
	NationalIDMasked string     // "" until the national ID is given
	PersonIndex      string     // blind index of the national ID number
	BirthDate        *time.Time // from the national ID
	HukouPlace       string
	Education        []Education
	Employer         *EmployerDeclaration
	TalentTier       string
}
