package housing

import "testing"

func TestHundredths(t *testing.T) {
	t.Parallel()
	for in, want := range map[string]int{"45": 4500, "45.5": 4550, "45.25": 4525, "0.05": 5, "3100.50": 310050} {
		if got, bad := hundredths(in); bad || got != want {
			t.Errorf("hundredths(%q) = %d, %v; want %d", in, got, bad, want)
		}
	}
	for _, in := range []string{"", ".5", "45.123", "4a", "-3", "1e3"} {
		if _, bad := hundredths(in); !bad {
			t.Errorf("hundredths(%q) accepted", in)
		}
	}
}
