package draw

import "github.com/anju-city/anju/internal/talent"

// Codes of the draw package.
var (
	CodeInvalidUTF8         = talent.NewCode("invalid_utf8")
	CodeCount               = talent.NewCode("count")
	CodeDrawRecordMalformed = talent.NewCode("draw_record_malformed")
	CodeDrawRecordTooLarge  = talent.NewCode("draw_record_too_large")
	CodeNotMasked           = talent.NewCode("not_masked")
	CodeDrawRecordNotUTF8   = talent.NewCode("draw_record_not_utf8")
)
