package publicity

import "github.com/anju-city/anju/internal/talent"

// Codes of the public notice.
var (
	CodeEntryKind = talent.NewCode("publicity_kind_unknown")
)
