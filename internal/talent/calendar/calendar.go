// Package calendar is the official working-day calendar that stage deadlines
// (documents check, employer confirmation, review, payment) are counted on.
//
// The calendar is data: for each year, the public holidays and the weekend
// days made working days (调休) from the State Council's annual notice, one
// YAML file per year under data/. A year without data falls back to
// "Monday to Friday" and Covered reports it, so an operator can see that
// deadlines in that year ignore holidays until the data is added.
//
// Days are civil dates in Asia/Shanghai: every time.Time passed in is read as
// its calendar date there, and due instants are returned in UTC.
package calendar

import (
	"embed"
	"fmt"
	"io/fs"
	"time"
)

// shanghai is Asia/Shanghai: UTC+8 without daylight saving time since 1991.
var shanghai = time.FixedZone("Asia/Shanghai", 8*60*60)

//go:embed data/*.yaml
var data embed.FS

// Year is one year of calendar data.
type Year struct {
	Year int
	// Source names the notice the data comes from.
	Source string
	// Provisional: the year's arrangement is not published yet and the data
	// lists only what is certain (fixed-date holidays); Covered is false.
	Provisional bool
	Holidays    []Holiday
	// MakeUpWorkingDays are weekend days that are working days (调休).
	MakeUpWorkingDays []MakeUpDay
}

// Holiday is a block of days off, From to To inclusive (civil dates),
// weekends inside the block included.
type Holiday struct {
	Name   string // 春节
	NameEN string // Spring Festival
	From   time.Time
	To     time.Time
}

// MakeUpDay is a weekend day that is a working day, and the holiday it makes
// up for.
type MakeUpDay struct {
	Date time.Time
	For  string
}

// day is a civil date as a comparable key: yyyymmdd.
type day int

func dayOf(t time.Time) day {
	y, m, d := t.In(shanghai).Date()
	return day(y*10000 + int(m)*100 + d)
}

// Calendar answers working-day questions. A nil *Calendar knows no
// holidays: Monday to Friday are working days.
type Calendar struct {
	off     map[day]string // holiday name
	on      map[day]string // make-up working day: the holiday it is for
	covered map[int]bool   // year → complete data
}

// New builds a calendar from years of data. A later Year for the same year
// replaces an earlier one's days where they overlap.
func New(years ...Year) *Calendar {
	c := &Calendar{off: map[day]string{}, on: map[day]string{}, covered: map[int]bool{}}
	for _, y := range years {
		c.covered[y.Year] = !y.Provisional
		for _, h := range y.Holidays {
			for d := civil(h.From); !d.After(civil(h.To)); d = d.AddDate(0, 0, 1) {
				c.off[dayOf(d)] = h.Name
				delete(c.on, dayOf(d))
			}
		}
		for _, m := range y.MakeUpWorkingDays {
			c.on[dayOf(m.Date)] = m.For
			delete(c.off, dayOf(m.Date))
		}
	}
	return c
}

// Default returns the calendar of the embedded data (2026, and 2027 as far
// as it is known).
func Default() (*Calendar, error) {
	names, err := fs.Glob(data, "data/*.yaml")
	if err != nil {
		return nil, err
	}
	var years []Year
	for _, name := range names {
		b, err := data.ReadFile(name)
		if err != nil {
			return nil, err
		}
		y, err := ParseYear(b)
		if err != nil {
			return nil, fmt.Errorf("calendar %s: %w", name, err)
		}
		years = append(years, y)
	}
	return New(years...), nil
}

// Covered reports whether the calendar has the complete, published data for
// year. Outside it only weekends are days off.
func (c *Calendar) Covered(year int) bool {
	return c != nil && c.covered[year]
}

// IsWorkingDay reports whether the civil date of date (in Asia/Shanghai) is
// a working day: a make-up working day, or a weekday that is not a holiday.
func (c *Calendar) IsWorkingDay(date time.Time) bool {
	k := dayOf(date)
	if c != nil {
		if _, ok := c.on[k]; ok {
			return true
		}
		if _, ok := c.off[k]; ok {
			return false
		}
	}
	wd := date.In(shanghai).Weekday()
	return wd != time.Saturday && wd != time.Sunday
}

// Holiday returns the name of the holiday the civil date of date falls in.
func (c *Calendar) Holiday(date time.Time) (string, bool) {
	if c == nil {
		return "", false
	}
	name, ok := c.off[dayOf(date)]
	return name, ok
}

// AddWorkingDays returns when a stage that started at start and is allowed n
// working days is due: the end (24:00 Asia/Shanghai) of the nth working day
// after the civil date of start, as a UTC instant. The day of arrival does
// not count: an item arriving on a working day counts from the next working
// day, one arriving on a Saturday or a holiday from the first working day
// after it. n ≤ 0 gives the end of the day of arrival.
func (c *Calendar) AddWorkingDays(start time.Time, n int) time.Time {
	d := civil(start)
	for i := 0; i < n; {
		d = d.AddDate(0, 0, 1)
		if c.IsWorkingDay(d) {
			i++
		}
	}
	y, m, dd := d.Date()
	return time.Date(y, m, dd+1, 0, 0, 0, 0, shanghai).UTC()
}

// WorkingDaysBetween counts the working days after the civil date of from up
// to and including the civil date of to; negative when to is before from.
// For a stage started at start and finished at done it is the number of
// working days the stage took, on the same count as AddWorkingDays: a stage
// allowed n days is late when the count exceeds n.
func (c *Calendar) WorkingDaysBetween(from, to time.Time) int {
	a, b, sign := civil(from), civil(to), 1
	if b.Before(a) {
		a, b, sign = b, a, -1
	}
	n := 0
	for d := a.AddDate(0, 0, 1); !d.After(b); d = d.AddDate(0, 0, 1) {
		if c.IsWorkingDay(d) {
			n++
		}
	}
	return sign * n
}

// civil is the calendar date of t in Asia/Shanghai, at midnight there.
func civil(t time.Time) time.Time {
	y, m, d := t.In(shanghai).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, shanghai)
}
