package calendar

import (
	"bytes"
	"fmt"
	"strings"
	"time"

	"gopkg.in/yaml.v3"

	"github.com/anju-city/anju/internal/talent"
)

// yearFile is the YAML form of a Year:
//
//	year: 2026
//	source: 国务院办公厅关于2026年部分节假日安排的通知（2025年11月4日）
//	provisional: false
//	holidays:
//	  - {name: 春节, en: Spring Festival, from: 2026-02-15, to: 2026-02-23}
//	makeUpWorkingDays:
//	  - {date: 2026-02-14, for: 春节}
type yearFile struct {
	Year        int    `yaml:"year"`
	Source      string `yaml:"source"`
	Provisional bool   `yaml:"provisional"`
	Holidays    []struct {
		Name string `yaml:"name"`
		EN   string `yaml:"en"`
		From string `yaml:"from"`
		To   string `yaml:"to"`
	} `yaml:"holidays"`
	MakeUp []struct {
		Date string `yaml:"date"`
		For  string `yaml:"for"`
	} `yaml:"makeUpWorkingDays"`
}

// maxBlock bounds a holiday block; a longer one is a typo.
const maxBlock = 31

// ParseYear reads one year of calendar data and checks it: dates are real,
// blocks run forwards and are at most a month long, every make-up working
// day is a Saturday or Sunday outside the holidays, and every date is in the
// year or the month either side of it (a block may straddle New Year).
// Problems are a KindInvalid *talent.Error with a FieldError each.
func ParseYear(data []byte) (Year, error) {
	var f yearFile
	dec := yaml.NewDecoder(bytes.NewReader(data))
	dec.KnownFields(true)
	if err := dec.Decode(&f); err != nil {
		return Year{}, talent.Errorf(talent.KindMalformed, CodeCalendarMalformed, "calendar data is not valid: %v", err)
	}
	var fields []talent.FieldError
	var notes []string
	bad := func(field string, code talent.Code, format string, args ...any) {
		fields = append(fields, talent.FieldError{Field: field, Code: code})
		notes = append(notes, field+": "+fmt.Sprintf(format, args...))
	}
	inRange := func(t time.Time) bool {
		lo := time.Date(f.Year-1, time.December, 1, 0, 0, 0, 0, time.UTC)
		hi := time.Date(f.Year+1, time.February, 1, 0, 0, 0, 0, time.UTC)
		return !t.Before(lo) && t.Before(hi)
	}
	date := func(s, field string) time.Time {
		t, err := time.Parse(time.DateOnly, strings.TrimSpace(s))
		switch {
		case err != nil:
			bad(field, talent.CodeNotDate, "%q is not a date written 2006-01-02", s)
		case !inRange(t):
			bad(field, talent.CodeOutOfRange, "%s is not in %d or the month either side", s, f.Year)
		}
		return t
	}

	if f.Year < 2000 || f.Year > 2100 {
		bad("year", talent.CodeOutOfRange, "year must be between 2000 and 2100")
	}
	y := Year{Year: f.Year, Source: strings.TrimSpace(f.Source), Provisional: f.Provisional}
	for i, h := range f.Holidays {
		path := fmt.Sprintf("holidays[%d]", i)
		hol := Holiday{Name: strings.TrimSpace(h.Name), NameEN: strings.TrimSpace(h.EN), From: date(h.From, path+".from"), To: date(h.To, path+".to")}
		if hol.Name == "" {
			bad(path+".name", talent.CodeRequired, "a holiday has a name")
		}
		if n := hol.To.Sub(hol.From).Hours() / 24; n < 0 || n >= maxBlock {
			bad(path+".to", talent.CodeOutOfRange, "a block runs forwards and lasts at most %d days", maxBlock)
		}
		y.Holidays = append(y.Holidays, hol)
	}
	for i, m := range f.MakeUp {
		path := fmt.Sprintf("makeUpWorkingDays[%d]", i)
		d := date(m.Date, path+".date")
		if wd := d.Weekday(); !d.IsZero() && wd != time.Saturday && wd != time.Sunday {
			bad(path+".date", CodeNotWeekend, "%s is a %s; make-up working days are weekend days", m.Date, wd)
		}
		for _, h := range y.Holidays {
			if !d.Before(h.From) && !d.After(h.To) {
				bad(path+".date", CodeInHoliday, "%s is inside the %s holiday", m.Date, h.Name)
			}
		}
		y.MakeUpWorkingDays = append(y.MakeUpWorkingDays, MakeUpDay{Date: d, For: strings.TrimSpace(m.For)})
	}
	if len(fields) > 0 {
		return Year{}, &talent.Error{
			Kind: talent.KindInvalid, Code: talent.CodeValidationFailed,
			Message: "calendar data is invalid: " + strings.Join(notes, "; "), Fields: fields,
		}
	}
	return y, nil
}
