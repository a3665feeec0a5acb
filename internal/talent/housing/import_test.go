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

func TestHeaderIndex(t *testing.T) {
	t.Parallel()
	col, missing := headerIndex([]string{"\ufeff楼盘", "房号", "Layout", "面积", "floor", "市场租金"})
	if len(missing) != 0 || col["property"] != 0 || col["layout"] != 2 || col["marketRent"] != 5 {
		t.Fatalf("col %v, missing %v", col, missing)
	}
	if _, missing := headerIndex([]string{"property", "number"}); len(missing) != 4 {
		t.Fatalf("missing %v", missing)
	}
}
