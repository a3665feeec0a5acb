package draw

// NextInLine returns the application to offer unit to when it comes back (an
// offer declined or expired, a lease ended): the best-ranked applicant in
// rec's result who has no unit, is not in declined and has a preference that
// matches unit. In a draw by serial dictatorship everyone ranked above the
// unit's first holder who has no unit wanted none of its kind, so this is
// the first matching applicant on the waitlist.
//
// declined holds the application IDs to skip: those who declined an offer or
// let it expire, and those already housed from the waitlist since the draw.
// The answer depends only on its arguments; ok is false when nobody is left.
func NextInLine(rec Record, unit Unit, declined map[string]bool) (applicationID string, ok bool) {
	prefs := make(map[string][]Preference, len(rec.Pool.Applications))
	for _, a := range rec.Pool.Applications {
		if _, dup := prefs[a.ID]; !dup {
			prefs[a.ID] = a.Preferences
		}
	}
	for _, r := range rec.Result {
		if r.UnitID != "" || declined[r.ApplicationID] {
			continue
		}
		for _, p := range prefs[r.ApplicationID] {
			if p.Matches(unit) {
				return r.ApplicationID, true
			}
		}
	}
	return "", false
}
