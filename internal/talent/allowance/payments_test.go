package allowance_test

import (
	"testing"

	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/testenv"
)

func TestPaymentTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, allowance.PaymentTransitions,
		[]allowance.PaymentStatus{allowance.PaymentScheduled, allowance.PaymentHeld, allowance.PaymentDue, allowance.PaymentBatched, allowance.PaymentPaid, allowance.PaymentFailed, allowance.PaymentSuspended},
		[]allowance.PaymentEvent{allowance.PaymentRelease, allowance.PaymentHold, allowance.PaymentBatch, allowance.PaymentUnbatch, allowance.PaymentPay, allowance.PaymentFail, allowance.PaymentSuspend},
		map[allowance.PaymentStatus]map[allowance.PaymentEvent]allowance.PaymentStatus{
			allowance.PaymentScheduled: {allowance.PaymentRelease: allowance.PaymentDue, allowance.PaymentHold: allowance.PaymentHeld, allowance.PaymentSuspend: allowance.PaymentSuspended},
			allowance.PaymentHeld:      {allowance.PaymentRelease: allowance.PaymentDue, allowance.PaymentSuspend: allowance.PaymentSuspended},
			allowance.PaymentDue:       {allowance.PaymentBatch: allowance.PaymentBatched, allowance.PaymentSuspend: allowance.PaymentSuspended},
			allowance.PaymentBatched:   {allowance.PaymentUnbatch: allowance.PaymentDue, allowance.PaymentPay: allowance.PaymentPaid, allowance.PaymentFail: allowance.PaymentFailed},
			allowance.PaymentFailed:    {allowance.PaymentBatch: allowance.PaymentBatched, allowance.PaymentPay: allowance.PaymentPaid},
		})
}

func TestBatchTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, allowance.BatchTransitions,
		[]allowance.BatchStatus{allowance.BatchPendingApproval, allowance.BatchApproved, allowance.BatchSettled, allowance.BatchRejected},
		[]allowance.BatchEvent{allowance.BatchApprove, allowance.BatchReject, allowance.BatchSettle},
		map[allowance.BatchStatus]map[allowance.BatchEvent]allowance.BatchStatus{
			allowance.BatchPendingApproval: {allowance.BatchApprove: allowance.BatchApproved, allowance.BatchReject: allowance.BatchRejected},
			allowance.BatchApproved:        {allowance.BatchSettle: allowance.BatchSettled},
		})
}

func TestClawbackTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, allowance.ClawbackTransitions,
		[]allowance.ClawbackStatus{allowance.ClawbackProposed, allowance.ClawbackOwed, allowance.ClawbackRepaid, allowance.ClawbackCancelled},
		[]allowance.ClawbackEvent{allowance.ClawbackConfirm, allowance.ClawbackCancel, allowance.ClawbackRepay},
		map[allowance.ClawbackStatus]map[allowance.ClawbackEvent]allowance.ClawbackStatus{
			allowance.ClawbackProposed: {allowance.ClawbackConfirm: allowance.ClawbackOwed, allowance.ClawbackCancel: allowance.ClawbackCancelled},
			allowance.ClawbackOwed:     {allowance.ClawbackRepay: allowance.ClawbackRepaid},
		})
}
