package policy

import "github.com/anju-city/anju/internal/talent"

// Codes of the policy package.
var (
	CodePackageClosed        = talent.NewCode("package_closed") // no version of the package is in force
	CodeBadName              = talent.NewCode("bad_name")
	CodeBeforeStart          = talent.NewCode("before_start")
	CodeEmpty                = talent.NewCode("empty")
	CodeNotAllowed           = talent.NewCode("not_allowed")
	CodeNotBoolean           = talent.NewCode("not_boolean")
	CodeNotInteger           = talent.NewCode("not_integer")
	CodeNotList              = talent.NewCode("not_list")
	CodeNotObject            = talent.NewCode("not_object")
	CodeNotString            = talent.NewCode("not_string")
	CodeParameterUnknown     = talent.NewCode("parameter_unknown")
	CodePercentTotal         = talent.NewCode("percent_total")
	CodePolicyMalformed      = talent.NewCode("policy_malformed")
	CodePolicyVersionExists  = talent.NewCode("policy_version_exists")
	CodePolicyVersionNotNext = talent.NewCode("policy_version_not_next")
	CodeRuleMissing          = talent.NewCode("rule_missing")
	CodeSelf                 = talent.NewCode("self")
	CodeUnknownBenefit       = talent.NewCode("unknown_benefit")
	CodeUnknownDocumentKind  = talent.NewCode("unknown_document_kind")
	CodeUnknownID            = talent.NewCode("unknown_id")
	CodeUnknownKind          = talent.NewCode("unknown_kind")
	CodeUnknownLevel         = talent.NewCode("unknown_level")
	CodeUnknownParam         = talent.NewCode("unknown_param")
	CodeVersionNotNext       = talent.NewCode("version_not_next")
)
