package employers

import "github.com/anju-city/anju/internal/talent"

// Codes of the employers module.
var (
	CodeRegistrationNotFound = talent.NewCode("employer_registration_not_found")
	CodeRegistrationPending  = talent.NewCode("employer_registration_pending") // one registration per credit code waits at a time
	CodeRegistrationDecided  = talent.NewCode("employer_registration_decided")
	CodeEmployerRegistered   = talent.NewCode("employer_already_registered")
	CodeInvitationNotFound   = talent.NewCode("invitation_not_found")
	CodeInvitationClosed     = talent.NewCode("invitation_closed") // accepted, revoked or expired
	CodeContactRequired      = talent.NewCode("contact_required")  // a phone number or an email address
	CodeEmailFormat          = talent.NewCode("email_format")
	CodeStaffElsewhere       = talent.NewCode("employer_staff_elsewhere") // the role is held for another employer
	CodeFilingNotFound       = talent.NewCode("filing_not_found")
	CodeAlreadyFiled         = talent.NewCode("already_filed")   // this employer filed the person before
	CodeAlreadyClaimed       = talent.NewCode("already_claimed") // the person has a live claim of the package
)
