package testenv

import (
	"fmt"
	"slices"
	"testing"

	"github.com/anju-city/anju/internal/talent"
)

// Matrix walks every status × event of a transitions table and checks it
// against want, an independent statement of the rules written in the test:
// want[from][ev] is the status ev leads to from from, and an absent entry
// means the event is refused there (a conflict that leaves the status as it
// was). statuses and events must list every value of their types; a table
// that names one the test does not know fails.
func Matrix[S ~string, E ~string](t *testing.T, table talent.Transitions[S, E], statuses []S, events []E, want map[S]map[E]S) {
	t.Helper()
	for ev, edge := range table {
		if !slices.Contains(events, ev) {
			t.Errorf("the table has event %q, which the test does not list", ev)
		}
		for _, s := range append(slices.Clone(edge.From), edge.To) {
			if !slices.Contains(statuses, s) {
				t.Errorf("event %q names status %q, which the test does not list", ev, s)
			}
		}
	}
	for _, from := range statuses {
		for _, ev := range events {
			t.Run(fmt.Sprintf("%s/%s", from, ev), func(t *testing.T) {
				status := from
				err := table.Apply(&status, ev, talent.Code{})
				to, allowed := want[from][ev]
				switch {
				case !allowed && (talent.ErrorKind(err) != talent.KindConflict || status != from):
					t.Fatalf("want a conflict and no change, got %v, status %s", err, status)
				case allowed && (err != nil || status != to):
					t.Fatalf("want %s, got %v, status %s", to, err, status)
				}
			})
		}
	}
}
