package policy

import (
	"testing"
	"time"
)

// d is a civil date for tests.
func d(y int, m time.Month, day int) time.Time { return date(y, m, day) }

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	t.Parallel()
	tests := []struct {
		from time.Time
		n    int
		want time.Time
	}{
		{d(2024, 8, 31), 6, d(2025, 2, 28)},
		{d(2024, 8, 31), 24, d(2026, 8, 31)},
		{d(2024, 2, 29), 12, d(2025, 2, 28)},
		{d(2024, 2, 29), 48, d(2028, 2, 29)},
		{d(2024, 1, 31), 1, d(2024, 2, 29)},
		{d(2025, 1, 31), 1, d(2025, 2, 28)},
		{d(2025, 11, 30), 3, d(2026, 2, 28)},
		{d(2024, 6, 30), 24, d(2026, 6, 30)},
		{d(2026, 3, 31), -1, d(2026, 2, 28)},
		{d(2026, 5, 15), 0, d(2026, 5, 15)},
	}
	for _, tt := range tests {
		if got := AddMonths(tt.from, tt.n); !got.Equal(tt.want) {
			t.Errorf("AddMonths(%s, %d) = %s, want %s", fmtDate(tt.from), tt.n, fmtDate(got), fmtDate(tt.want))
		}
	}
}

func TestAge(t *testing.T) {
	t.Parallel()
	tests := []struct {
		name        string
		birth, on   time.Time
		want        int
		wantBirthdy time.Time // Birthday in on's year
	}{
		{"day before birthday", d(1990, 6, 15), d(2025, 6, 14), 34, d(2025, 6, 15)},
		{"on the 35th birthday", d(1990, 6, 15), d(2025, 6, 15), 35, d(2025, 6, 15)},
		{"day before the 36th birthday", d(1990, 6, 15), d(2026, 6, 14), 35, d(2026, 6, 15)},
		{"on the 36th birthday", d(1990, 6, 15), d(2026, 6, 15), 36, d(2026, 6, 15)},
		{"leap-day birth, 28 Feb of a common year", d(2000, 2, 29), d(2035, 2, 28), 34, d(2035, 3, 1)},
		{"leap-day birth, 1 Mar of a common year", d(2000, 2, 29), d(2035, 3, 1), 35, d(2035, 3, 1)},
		{"leap-day birth, 28 Feb of a leap year", d(2000, 2, 29), d(2036, 2, 28), 35, d(2036, 2, 29)},
		{"leap-day birth, 29 Feb of a leap year", d(2000, 2, 29), d(2036, 2, 29), 36, d(2036, 2, 29)},
		{"born 28 Feb", d(2000, 2, 28), d(2035, 2, 28), 35, d(2035, 2, 28)},
		{"born 1 Mar, leap year", d(2000, 3, 1), d(2036, 2, 29), 35, d(2036, 3, 1)},
	}
	for _, tt := range tests {
		if got := Age(tt.birth, tt.on); got != tt.want {
			t.Errorf("%s: Age = %d, want %d", tt.name, got, tt.want)
		}
		if got := Birthday(tt.birth, tt.on.Year()); !got.Equal(tt.wantBirthdy) {
			t.Errorf("%s: Birthday = %s, want %s", tt.name, fmtDate(got), fmtDate(tt.wantBirthdy))
		}
	}
}

func TestCivilReadsShanghaiDate(t *testing.T) {
	t.Parallel()
	tests := []struct {
		in   time.Time
		want time.Time
	}{
		{time.Date(2026, 6, 30, 15, 59, 59, 0, time.UTC), d(2026, 6, 30)},
		{time.Date(2026, 6, 30, 16, 0, 0, 0, time.UTC), d(2026, 7, 1)}, // 00:00 in Shanghai
		{d(2000, 2, 29), d(2000, 2, 29)},                               // a civil date at UTC midnight stays
		{time.Date(2026, 7, 1, 0, 0, 0, 0, shanghai), d(2026, 7, 1)},
		{time.Time{}, time.Time{}},
	}
	for _, tt := range tests {
		if got := Civil(tt.in); !got.Equal(tt.want) {
			t.Errorf("Civil(%s) = %s, want %s", tt.in, got, tt.want)
		}
	}
}

func TestYuan(t *testing.T) {
	t.Parallel()
	for fen, want := range map[int64]string{0: "0", 60000: "600", 1000000: "10,000", 123456: "1,234.56", 5: "0.05", -200000: "-2,000"} {
		if got := yuan(fen); got != want {
			t.Errorf("yuan(%d) = %q, want %q", fen, got, want)
		}
	}
}
