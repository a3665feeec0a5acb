package talent

import "time"

// Step is what something of a graduate's waits for next and who is to act,
// so that the app can show it without waiting for a notification.
type Step struct {
	Name  string     // e.g. "supplement", "answer_offer"; "" when nothing is left to do
	Actor string     // graduate | employer | office | finance | housing
	DueAt *time.Time // when the step is due, when it has a deadline
}
