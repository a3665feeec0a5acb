package allowance

import "github.com/anju-city/anju/internal/talent"

// Codes of the claims workflow.
var (
	CodeClaimNotFound         = talent.NewCode("claim_not_found")
	CodePaymentNotFound       = talent.NewCode("payment_not_found")
	CodeBatchNotFound         = talent.NewCode("batch_not_found")
	CodeClaimExists           = talent.NewCode("claim_exists") // a live claim of the package by the same person
	CodeClaimStatusConflict   = talent.NewCode("claim_status_conflict")
	CodeClaimEventUnknown     = talent.NewCode("claim_event_unknown")
	CodeClaimAlreadyAppealed  = talent.NewCode("claim_already_appealed")
	CodeClaimIncomplete       = talent.NewCode("claim_incomplete")
	CodeClaimIneligible       = talent.NewCode("claim_ineligible")
	CodeClaimNothingToPay     = talent.NewCode("claim_nothing_to_pay")
	CodeOwnClaim              = talent.NewCode("own_claim")
	CodeDocumentRejected      = talent.NewCode("document_rejected")
	CodeDocumentMissing       = talent.NewCode("document_missing")
	CodeRejectCodeUnknown     = talent.NewCode("reject_code_unknown")
	CodePaymentStatusConflict = talent.NewCode("payment_status_conflict")
	CodeNoPaymentsDue         = talent.NewCode("no_payments_due")
	CodeClaimAssigned         = talent.NewCode("claim_assigned") // another reviewer holds the claim
	CodeAssigneeNotReviewer   = talent.NewCode("assignee_not_reviewer")
	CodeReturnLimit           = talent.NewCode("claim_return_limit")
	CodeReturnTarget          = talent.NewCode("return_target_unknown")
	CodeReturnCodeUnknown     = talent.NewCode("return_code_unknown")
)
