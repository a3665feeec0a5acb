package account

import "github.com/anju-city/anju/internal/talent"

// Codes of the account module.
var (
	CodeNationalIDTaken       = talent.NewCode("national_id_taken")       // another account holds the number
	CodeCreditCodeTaken       = talent.NewCode("credit_code_taken")       // the employer is registered already
	CodeEmployerNotRegistered = talent.NewCode("employer_not_registered") // a declared employer Anju does not know
	CodeEmployerUnknown       = talent.NewCode("employer_unknown")        // an hr grant naming no employer
	CodeIdentityFrozen        = talent.NewCode("identity_frozen")         // a claim, application or lease depends on the ID number
	CodeRoleByInvitation      = talent.NewCode("role_by_invitation")      // hr and employer_admin come from an employer's invitation
	CodeEmployerNotAllowed    = talent.NewCode("employer_not_allowed")    // another role with an employer
	CodeRoleUnknown           = talent.NewCode("role_unknown")
	CodeLastAdmin             = talent.NewCode("last_admin")
	CodeTalentTier            = talent.NewCode("talent_tier")
	CodeTierPending           = talent.NewCode("talent_tier_pending") // one proposal per graduate waits at a time
	CodeTierDecided           = talent.NewCode("talent_tier_decided")
	CodeTierNotFound          = talent.NewCode("talent_tier_not_found")
	// CodeRecentSignInRequired: changing where allowances are paid needs a
	// sign-in within RecentSignIn; the app signs the user in again and retries.
	CodeRecentSignInRequired = talent.NewCode("recent_sign_in_required")
)
