package calendar

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// d is a civil date, as the rest of Anju stores them (UTC midnight).
func d(y int, m time.Month, day int) time.Time { return time.Date(y, m, day, 0, 0, 0, 0, time.UTC) }

// endOf is 24:00 in Shanghai on the civil date y-m-d, in UTC.
func endOf(y int, m time.Month, day int) time.Time {
	return time.Date(y, m, day, 16, 0, 0, 0, time.UTC)
}

func defaultCalendar(t *testing.T) *Calendar {
	t.Helper()
	c, err := Default()
	if err != nil {
		t.Fatalf("Default: %v", err)
	}
	return c
}

func TestAddWorkingDays(t *testing.T) {
	t.Parallel()
	c := defaultCalendar(t)
	tests := []struct {
		name  string
		start time.Time
		n     int
		want  time.Time
	}{
		{"working day: counts from the next working day", d(2026, 3, 10), 1, endOf(2026, 3, 11)},
		{"Friday, across a weekend", d(2026, 3, 13), 1, endOf(2026, 3, 16)},
		{"Friday, five days", d(2026, 3, 13), 5, endOf(2026, 3, 20)},
		{"Saturday counts from Monday", d(2026, 3, 14), 1, endOf(2026, 3, 16)},
		{"Sunday counts from Monday", d(2026, 3, 15), 5, endOf(2026, 3, 20)},
		{"late Friday night in Shanghai is Saturday", time.Date(2026, 3, 13, 17, 0, 0, 0, time.UTC), 1, endOf(2026, 3, 16)},
		{"Friday evening in Shanghai is still Friday", time.Date(2026, 3, 13, 15, 59, 0, 0, time.UTC), 1, endOf(2026, 3, 16)},
		{"before the National Day block", d(2026, 9, 30), 1, endOf(2026, 10, 8)},
		{"across the National Day block and its make-up Saturday", d(2026, 9, 30), 5, endOf(2026, 10, 13)},
		{"make-up Saturday after National Day counts", d(2026, 10, 9), 1, endOf(2026, 10, 10)},
		{"make-up Sunday before National Day counts", d(2026, 9, 18), 1, endOf(2026, 9, 20)},
		{"arriving on a holiday", d(2026, 2, 17), 1, endOf(2026, 2, 24)},
		{"arriving on a holiday, five days, ending on the make-up Saturday", d(2026, 2, 17), 5, endOf(2026, 2, 28)},
		{"arriving on the make-up Saturday counts from the next working day", d(2026, 2, 14), 1, endOf(2026, 2, 24)},
		{"the Labour Day block and its make-up Saturday", d(2026, 4, 30), 5, endOf(2026, 5, 11)},
		{"year boundary into New Year's Day and its make-up Sunday", d(2025, 12, 31), 1, endOf(2026, 1, 4)},
		{"year boundary into 2027: New Year's Day is off", d(2026, 12, 31), 2, endOf(2027, 1, 5)},
		{"n = 0 is the end of the day of arrival", d(2026, 3, 14), 0, endOf(2026, 3, 14)},
		{"payment: ten working days", d(2026, 9, 24), 10, endOf(2026, 10, 15)},
	}
	for _, tt := range tests {
		got := c.AddWorkingDays(tt.start, tt.n)
		if !got.Equal(tt.want) {
			t.Errorf("%s: AddWorkingDays(%s, %d) = %s, want %s", tt.name, tt.start, tt.n, got, tt.want)
		}
		if got.Location() != time.UTC {
			t.Errorf("%s: due instant in %s, want UTC", tt.name, got.Location())
		}
		if tt.n > 0 {
			// The due instant is the end of a working day, and exactly n
			// working days lie between the start and that day.
			last := got.Add(-time.Nanosecond)
			if !c.IsWorkingDay(last) {
				t.Errorf("%s: due on a day off", tt.name)
			}
			if n := c.WorkingDaysBetween(tt.start, last); n != tt.n {
				t.Errorf("%s: WorkingDaysBetween(start, due) = %d, want %d", tt.name, n, tt.n)
			}
		}
	}
}

func TestIsWorkingDay(t *testing.T) {
	t.Parallel()
	c := defaultCalendar(t)
	tests := []struct {
		day  time.Time
		want bool
	}{
		{d(2026, 1, 1), false},  // New Year's Day, Thursday
		{d(2026, 1, 4), true},   // make-up Sunday
		{d(2026, 2, 14), true},  // make-up Saturday
		{d(2026, 2, 16), false}, // 除夕, Monday
		{d(2026, 2, 23), false}, // last day of the Spring Festival block, Monday
		{d(2026, 2, 28), true},  // make-up Saturday
		{d(2026, 3, 1), false},  // Sunday
		{d(2026, 4, 6), false},  // Qingming, Monday
		{d(2026, 10, 7), false}, // National Day block, Wednesday
		{d(2026, 10, 8), true},  // Thursday
		{d(2026, 10, 10), true}, // make-up Saturday
		{d(2025, 10, 1), true},  // no 2025 data: a Wednesday is a working day
		{d(2027, 1, 1), false},  // fixed-date holiday in the provisional 2027 data
		{d(2027, 10, 4), true},  // 2027's block beyond 1–3 October is not known yet
	}
	for _, tt := range tests {
		if got := c.IsWorkingDay(tt.day); got != tt.want {
			t.Errorf("IsWorkingDay(%s) = %v, want %v", tt.day.Format(time.DateOnly), got, tt.want)
		}
	}
	if name, ok := c.Holiday(d(2026, 2, 17)); !ok || name != "春节" {
		t.Errorf("Holiday(2026-02-17) = %q, %v", name, ok)
	}
}

func TestWorkingDaysIn2026(t *testing.T) {
	t.Parallel()
	// 365 days − 104 weekend days − 13 statutory holidays = 248.
	if n := defaultCalendar(t).WorkingDaysBetween(d(2025, 12, 31), d(2026, 12, 31)); n != 248 {
		t.Errorf("working days in 2026 = %d, want 248", n)
	}
}

func TestWorkingDaysBetween(t *testing.T) {
	t.Parallel()
	c := defaultCalendar(t)
	tests := []struct {
		from, to time.Time
		want     int
	}{
		{d(2026, 3, 10), d(2026, 3, 10), 0},
		{d(2026, 3, 10), d(2026, 3, 11), 1},
		{d(2026, 3, 13), d(2026, 3, 15), 0}, // Friday to Sunday
		{d(2026, 9, 30), d(2026, 10, 10), 3},
		{d(2026, 10, 10), d(2026, 9, 30), -3},
		// A review received Tuesday 10 March and decided the next Wednesday at
		// 10:00 in Shanghai took six working days: one more than allowed.
		{time.Date(2026, 3, 10, 1, 0, 0, 0, time.UTC), time.Date(2026, 3, 18, 2, 0, 0, 0, time.UTC), 6},
	}
	for _, tt := range tests {
		if got := c.WorkingDaysBetween(tt.from, tt.to); got != tt.want {
			t.Errorf("WorkingDaysBetween(%s, %s) = %d, want %d", tt.from, tt.to, got, tt.want)
		}
	}
}

func TestCoveredAndFallback(t *testing.T) {
	t.Parallel()
	c := defaultCalendar(t)
	for year, want := range map[int]bool{2025: false, 2026: true, 2027: false, 2028: false} {
		if got := c.Covered(year); got != want {
			t.Errorf("Covered(%d) = %v, want %v", year, got, want)
		}
	}
	var none *Calendar // weekends only
	if none.Covered(2026) || none.IsWorkingDay(d(2026, 3, 14)) || !none.IsWorkingDay(d(2026, 1, 1)) {
		t.Error("a nil calendar should know weekends only")
	}
	if got := none.AddWorkingDays(d(2026, 3, 13), 1); !got.Equal(endOf(2026, 3, 16)) {
		t.Errorf("nil calendar: due %s", got)
	}
	empty := New()
	if got := empty.AddWorkingDays(d(2026, 9, 30), 1); !got.Equal(endOf(2026, 10, 1)) {
		t.Errorf("no data: due %s, want the end of 1 October", got)
	}
}

func TestNewLaterYearWins(t *testing.T) {
	t.Parallel()
	first := Year{Year: 2030, Holidays: []Holiday{{Name: "A", From: d(2030, 5, 1), To: d(2030, 5, 3)}}}
	fixed := Year{Year: 2030, MakeUpWorkingDays: []MakeUpDay{{Date: d(2030, 5, 4), For: "A"}}, Holidays: []Holiday{{Name: "A", From: d(2030, 5, 1), To: d(2030, 5, 2)}}}
	c := New(first, fixed)
	if !c.IsWorkingDay(d(2030, 5, 4)) || !c.Covered(2030) {
		t.Error("the make-up Saturday of the later data is a working day")
	}
}

func TestParseYearRejects(t *testing.T) {
	t.Parallel()
	valid := `
year: 2026
source: test
holidays:
  - {name: 春节, en: Spring Festival, from: 2026-02-15, to: 2026-02-23}
makeUpWorkingDays:
  - {date: 2026-02-14, for: 春节}
`
	if _, err := ParseYear([]byte(valid)); err != nil {
		t.Fatalf("base data: %v", err)
	}
	tests := []struct {
		name, from, to, field, code string
	}{
		{"make-up day on a weekday", "date: 2026-02-14", "date: 2026-02-13", "makeUpWorkingDays[0].date", "not_weekend"},
		{"make-up day inside the block", "date: 2026-02-14", "date: 2026-02-21", "makeUpWorkingDays[0].date", "in_holiday"},
		{"block running backwards", "to: 2026-02-23", "to: 2026-02-10", "holidays[0].to", "out_of_range"},
		{"block too long", "to: 2026-02-23", "to: 2026-04-23", "holidays[0].to", "out_of_range"},
		{"not a date", "from: 2026-02-15", "from: 2026-02-30", "holidays[0].from", "not_date"},
		{"another year", "from: 2026-02-15", "from: 2024-02-15", "holidays[0].from", "out_of_range"},
		{"no name", "name: 春节,", "name: '',", "holidays[0].name", "required"},
	}
	for _, tt := range tests {
		_, err := ParseYear([]byte(strings.Replace(valid, tt.from, tt.to, 1)))
		var e *talent.Error
		if !errors.As(err, &e) || e.Kind != talent.KindInvalid {
			t.Errorf("%s: got %v, want KindInvalid", tt.name, err)
			continue
		}
		found := false
		for _, f := range e.Fields {
			found = found || (f.Field == tt.field && f.Code.String() == tt.code)
		}
		if !found {
			t.Errorf("%s: fields %v, want %s %s", tt.name, e.Fields, tt.field, tt.code)
		}
	}
	if _, err := ParseYear([]byte(strings.Replace(valid, "source:", "sauce:", 1))); talent.ErrorKind(err) != talent.KindMalformed {
		t.Errorf("unknown field: got %v, want KindMalformed", err)
	}
}
