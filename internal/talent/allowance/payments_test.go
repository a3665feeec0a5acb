package allowance_test

import (
	"testing"

	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/testenv"
)

func TestPaymentTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, allowance.PaymentTransitions,
		[]allowance.PaymentStatus{allowance.PaymentScheduled, allowance.PaymentHeld, allowance.PaymentDue, allowance.PaymentBatched, allowance.PaymentPaid, allowance.PaymentFailed, allowance.PaymentSuspended, allowance.PaymentClawedBack},
		[]allowance.PaymentEvent{allowance.PaymentRelease, allowance.PaymentHold, allowance.PaymentBatch, allowance.PaymentPay, allowance.PaymentFail, allowance.PaymentSuspend, allowance.PaymentClawBack},
		map[allowance.PaymentStatus]map[allowance.PaymentEvent]allowance.PaymentStatus{
			allowance.PaymentScheduled: {allowance.PaymentRelease: allowance.PaymentDue, allowance.PaymentHold: allowance.PaymentHeld, allowance.PaymentSuspend: allowance.PaymentSuspended},
			allowance.PaymentHeld:      {allowance.PaymentRelease: allowance.PaymentDue, allowance.PaymentSuspend: allowance.PaymentSuspended},
			allowance.PaymentDue:       {allowance.PaymentBatch: allowance.PaymentBatched, allowance.PaymentSuspend: allowance.PaymentSuspended},
			allowance.PaymentBatched:   {allowance.PaymentPay: allowance.PaymentPaid, allowance.PaymentFail: allowance.PaymentFailed},
			allowance.PaymentFailed:    {allowance.PaymentPay: allowance.PaymentPaid},
			allowance.PaymentPaid:      {allowance.PaymentClawBack: allowance.PaymentClawedBack},
		})
}
