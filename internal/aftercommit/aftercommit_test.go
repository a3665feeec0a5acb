package aftercommit

import (
	"context"
	"testing"
)

// TestDo: outside a transaction the work runs at once; inside, only when
// the owner runs the hooks after its commit, in order, once.
func TestDo(t *testing.T) {
	var got []int
	Do(context.Background(), func() { got = append(got, 1) })
	if len(got) != 1 || Pending(context.Background()) {
		t.Fatalf("outside a transaction: %v", got)
	}
	h := &Hooks{}
	ctx := With(context.Background(), h)
	if !Pending(ctx) {
		t.Fatal("a transaction's context is not pending")
	}
	Do(ctx, func() { got = append(got, 2) })
	Do(ctx, func() { got = append(got, 3) })
	if len(got) != 1 {
		t.Fatalf("ran before the commit: %v", got)
	}
	h.Run()
	h.Run()
	if len(got) != 3 || got[1] != 2 || got[2] != 3 {
		t.Fatalf("after the commit: %v", got)
	}
}
