package calendar

import "github.com/anju-city/anju/internal/talent"

// Codes of the calendar package.
var (
	CodeCalendarMalformed = talent.NewCode("calendar_malformed")
	CodeInHoliday         = talent.NewCode("in_holiday")
	CodeNotWeekend        = talent.NewCode("not_weekend")
)
