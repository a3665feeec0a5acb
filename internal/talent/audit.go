package talent

import "time"

// Audit is one append-only record of a change that is not a claim's
// transition (claims keep their own audit): who did what to which record,
// and when. Detail never holds personal data in clear.
type Audit struct {
	At       time.Time
	ActorID  string // a user's id, or SystemID
	Entity   string // what kind of record: "batch", "clawback", "profile"
	EntityID string
	Event    string // e.g. "approve", "export", "bank_account_changed"
	Detail   string
}
