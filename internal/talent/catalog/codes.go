package catalog

import "github.com/anju-city/anju/internal/talent"

// Codes of the catalogue.
var (
	CodePolicyMissing    = talent.NewCode("policy_missing")    // a version a claim or round names is gone
	CodePolicyUnreadable = talent.NewCode("policy_unreadable") // a stored version no longer parses
)
