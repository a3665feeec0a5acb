package talent

import "slices"

// Transitions is a state machine on one screen: for each event, the
// statuses it may start from and the status it leads to. Each status type
// of the domain has one, and one test walks its whole status × event matrix.
type Transitions[S ~string, E ~string] map[E]Edge[S]

// Edge is one row of a Transitions table.
type Edge[S ~string] struct {
	From []S
	To   S
}

// Next returns the status ev leads to from status, and false when the table
// does not allow ev from there.
func (t Transitions[S, E]) Next(status S, ev E) (S, bool) {
	e, ok := t[ev]
	if !ok || !slices.Contains(e.From, status) {
		return status, false
	}
	return e.To, true
}

// Apply moves *status along ev, or returns a KindConflict error with the
// given code, leaving *status as it was.
func (t Transitions[S, E]) Apply(status *S, ev E, conflict Code) error {
	next, ok := t.Next(*status, ev)
	if !ok {
		return Errorf(KindConflict, conflict, "cannot %s when %s", ev, *status)
	}
	*status = next
	return nil
}

// Allows reports whether ev may happen from status.
func (t Transitions[S, E]) Allows(status S, ev E) bool {
	_, ok := t.Next(status, ev)
	return ok
}
