package talent

import "testing"

func TestYuan(t *testing.T) {
	t.Parallel()
	for fen, want := range map[int64]string{1500000: "¥15000", 120050: "¥1200.50", 5: "¥0.05"} {
		if got := Yuan(fen); got != want {
			t.Errorf("Yuan(%d) = %q, want %q", fen, got, want)
		}
	}
}
