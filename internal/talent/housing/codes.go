package housing

import "github.com/anju-city/anju/internal/talent"

// Codes of the housing module.
var (
	CodePropertyNotFound          = talent.NewCode("property_not_found")
	CodeUnitNotFound              = talent.NewCode("unit_not_found")
	CodeRoundNotFound             = talent.NewCode("round_not_found")
	CodeApplicationNotFound       = talent.NewCode("application_not_found")
	CodeOfferNotFound             = talent.NewCode("offer_not_found")
	CodeLeaseNotFound             = talent.NewCode("lease_not_found")
	CodeCorrectionNotFound        = talent.NewCode("correction_not_found")
	CodePropertyNameTaken         = talent.NewCode("property_name_taken")
	CodeUnitNumberTaken           = talent.NewCode("unit_number_taken")
	CodeUnitTaken                 = talent.NewCode("unit_taken")            // a live offer or lease holds the unit
	CodeUnitInRound               = talent.NewCode("unit_in_round")         // the unit waits for its round's draw
	CodeUnitNotAvailable          = talent.NewCode("unit_not_available")    // a round over units that are not free
	CodeUnitStatusConflict        = talent.NewCode("unit_status_conflict")  // the unit's status does not allow the change
	CodeApplicationExists         = talent.NewCode("application_exists")    // a second active application of a person
	CodeApplicationHasOffer       = talent.NewCode("application_has_offer") // a second live offer for an application
	CodeApplicationNotEligible    = talent.NewCode("application_not_eligible")
	CodeApplicationStatusConflict = talent.NewCode("application_status_conflict")
	CodeRoundNotOpen              = talent.NewCode("round_not_open")
	CodeRoundNotClosed            = talent.NewCode("round_not_closed")
	CodeRoundNotDrawn             = talent.NewCode("round_not_drawn")
	CodeDrawNotPublished          = talent.NewCode("draw_not_published")
	CodeWindowEmpty               = talent.NewCode("window_empty")
	CodePreferenceMatchesNothing  = talent.NewCode("preference_matches_nothing")
	CodeOfferNotPending           = talent.NewCode("offer_not_pending")
	CodeLeaseNotActive            = talent.NewCode("lease_not_active")
	CodeRenewalNotOpen            = talent.NewCode("renewal_not_open")
	CodeLeaseAtMaximum            = talent.NewCode("lease_at_maximum")
	CodeMoveOutReason             = talent.NewCode("move_out_reason")
	CodeCorrectionApplied         = talent.NewCode("correction_applied")
	CodePropertyUnknown           = talent.NewCode("property_unknown")
	CodeLayoutUnknown             = talent.NewCode("layout_unknown")
	CodeUnitStatus                = talent.NewCode("unit_status")
)
