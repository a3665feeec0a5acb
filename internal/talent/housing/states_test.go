package housing_test

import (
	"testing"

	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/testenv"
)

func TestUnitTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, housing.UnitTransitions,
		[]housing.UnitStatus{housing.UnitAvailable, housing.UnitOffered, housing.UnitLet, housing.UnitMaintenance},
		[]housing.UnitEvent{housing.UnitOffer, housing.UnitPassOn, housing.UnitLetOut, housing.UnitRelease, housing.UnitMaintain, housing.UnitRestore},
		map[housing.UnitStatus]map[housing.UnitEvent]housing.UnitStatus{
			housing.UnitAvailable:   {housing.UnitOffer: housing.UnitOffered, housing.UnitMaintain: housing.UnitMaintenance},
			housing.UnitOffered:     {housing.UnitPassOn: housing.UnitOffered, housing.UnitLetOut: housing.UnitLet, housing.UnitRelease: housing.UnitAvailable},
			housing.UnitLet:         {housing.UnitRelease: housing.UnitAvailable},
			housing.UnitMaintenance: {housing.UnitRestore: housing.UnitAvailable},
		})
}

func TestRoundTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, housing.RoundTransitions,
		[]housing.RoundStatus{housing.RoundOpen, housing.RoundClosed, housing.RoundDrawn},
		[]housing.RoundEvent{housing.RoundClose, housing.RoundDraw},
		map[housing.RoundStatus]map[housing.RoundEvent]housing.RoundStatus{
			housing.RoundOpen:   {housing.RoundClose: housing.RoundClosed},
			housing.RoundClosed: {housing.RoundDraw: housing.RoundDrawn},
		})
}

func TestApplicationTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, housing.ApplicationTransitions,
		[]housing.ApplicationStatus{housing.AppEligible, housing.AppIneligible, housing.AppWithdrawn, housing.AppAllocated, housing.AppWaitlisted},
		[]housing.ApplicationEvent{housing.AppDrawAllocate, housing.AppDrawWaitlist, housing.AppAcceptOffer},
		map[housing.ApplicationStatus]map[housing.ApplicationEvent]housing.ApplicationStatus{
			housing.AppEligible:   {housing.AppDrawAllocate: housing.AppAllocated, housing.AppDrawWaitlist: housing.AppWaitlisted, housing.AppAcceptOffer: housing.AppAllocated},
			housing.AppAllocated:  {housing.AppAcceptOffer: housing.AppAllocated},
			housing.AppWaitlisted: {housing.AppAcceptOffer: housing.AppAllocated},
		})
}

func TestOfferTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, housing.OfferTransitions,
		[]housing.OfferStatus{housing.OfferPending, housing.OfferAccepted, housing.OfferDeclined, housing.OfferExpired, housing.OfferEnded},
		[]housing.OfferEvent{housing.OfferAccept, housing.OfferDecline, housing.OfferExpire, housing.OfferEnd},
		map[housing.OfferStatus]map[housing.OfferEvent]housing.OfferStatus{
			housing.OfferPending:  {housing.OfferAccept: housing.OfferAccepted, housing.OfferDecline: housing.OfferDeclined, housing.OfferExpire: housing.OfferExpired},
			housing.OfferAccepted: {housing.OfferEnd: housing.OfferEnded},
		})
}

func TestLeaseTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, housing.LeaseTransitions,
		[]housing.LeaseStatus{housing.LeaseActive, housing.LeaseMovingOut, housing.LeaseEnded},
		[]housing.LeaseEvent{housing.LeaseRenew, housing.LeaseMoveOut, housing.LeaseCheckOut},
		map[housing.LeaseStatus]map[housing.LeaseEvent]housing.LeaseStatus{
			housing.LeaseActive:    {housing.LeaseRenew: housing.LeaseActive, housing.LeaseMoveOut: housing.LeaseMovingOut, housing.LeaseCheckOut: housing.LeaseEnded},
			housing.LeaseMovingOut: {housing.LeaseCheckOut: housing.LeaseEnded},
		})
}
