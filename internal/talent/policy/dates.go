package policy

import (
	"fmt"
	"strings"
	"time"
)

// shanghai is Asia/Shanghai: UTC+8 without daylight saving time since 1991.
// A fixed zone keeps the package free of the time-zone database.
var shanghai = time.FixedZone("Asia/Shanghai", 8*60*60)

// dateLayout is how policy dates are written: 2026-01-01.
const dateLayout = time.DateOnly

// Civil returns the calendar date of t in Asia/Shanghai as UTC midnight; the
// zero time stays zero.
func Civil(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// date returns the civil date y-m-d at UTC midnight.
func date(y int, m time.Month, d int) time.Time {
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// AddMonths adds n calendar months to the civil date d, clamping the day to
// the end of the target month: 2024-08-31 + 6 months is 2025-02-28 and
// 2024-02-29 + 12 months is 2025-02-28. d is read as a civil date (Civil).
func AddMonths(d time.Time, n int) time.Time {
	y, m, day := Civil(d).Date()
	first := date(y, m+time.Month(n), 1)
	if last := daysIn(first.Year(), first.Month()); day > last {
		day = last
	}
	return date(first.Year(), first.Month(), day)
}

// daysIn is the number of days in month m of year y.
func daysIn(y int, m time.Month) int {
	return date(y, m+1, 0).Day()
}

// Birthday is the civil date on which someone born on birth has their
// birthday in year. A 29 February birthday falls on 1 March in a common year,
// the reading Anju uses for age limits (see Age).
func Birthday(birth time.Time, year int) time.Time {
	_, m, d := Civil(birth).Date()
	if m == time.February && d == 29 && daysIn(year, time.February) == 28 {
		return date(year, time.March, 1)
	}
	return date(year, m, d)
}

// Age is the age in whole years (周岁) on the civil date on of someone born
// on birth: it goes up by one on each Birthday. Born 2000-02-29, a person is
// 34 on 2035-02-28 and 35 on 2035-03-01.
func Age(birth, on time.Time) int {
	b, o := Civil(birth), Civil(on)
	age := o.Year() - b.Year()
	if o.Before(Birthday(b, o.Year())) {
		age--
	}
	return age
}

// firstOfMonth is the first day of d's month.
func firstOfMonth(d time.Time) time.Time {
	y, m, _ := d.Date()
	return date(y, m, 1)
}

// later returns the later of a and b; a zero time counts as earliest.
func later(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}

// fmtDate writes a civil date as 2006-01-02, or "unknown" for the zero time.
func fmtDate(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format(dateLayout)
}

// fmtMonth writes the month of a civil date as 2006-01.
func fmtMonth(t time.Time) string {
	if t.IsZero() {
		return "unknown"
	}
	return t.Format("2006-01")
}

// parseDate reads a policy date: a time.Time (as YAML decodes an unquoted
// date) or a "2006-01-02" string.
func parseDate(v any) (time.Time, error) {
	switch v := v.(type) {
	case time.Time:
		return Civil(v), nil
	case string:
		t, err := time.Parse(dateLayout, strings.TrimSpace(v))
		if err != nil {
			return time.Time{}, fmt.Errorf("not a date: %q", v)
		}
		return t, nil
	}
	return time.Time{}, fmt.Errorf("not a date: %v", v)
}

// yuan formats an amount in fen as yuan for messages: 1000000 → "10,000",
// 123456 → "1,234.56".
func yuan(fen int64) string {
	neg := fen < 0
	if neg {
		fen = -fen
	}
	whole, cents := fen/100, fen%100
	s := fmt.Sprint(whole)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	if cents != 0 {
		s += fmt.Sprintf(".%02d", cents)
	}
	if neg {
		s = "-" + s
	}
	return s
}

// StartOfDay is the instant the civil date d (read at UTC midnight, as Civil
// returns it) begins in Asia/Shanghai.
func StartOfDay(d time.Time) time.Time {
	y, m, day := d.UTC().Date()
	return time.Date(y, m, day, 0, 0, 0, 0, shanghai).UTC()
}
