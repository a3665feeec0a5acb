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

	// Batches (maker–checker) and the bank's return files.
	CodeBatchStatusConflict     = talent.NewCode("batch_status_conflict")
	CodeBatchNotApproved        = talent.NewCode("batch_not_approved") // exported or answered before a second officer approved it
	CodeOwnBatch                = talent.NewCode("own_batch")          // the maker of a batch approves or exports it
	CodeReturnRejected          = talent.NewCode("return_file_rejected")
	CodeReturnEmpty             = talent.NewCode("return_file_empty")
	CodeReturnReferenceUnknown  = talent.NewCode("return_reference_unknown") // not a payment of the batch
	CodeReturnReferenceRepeated = talent.NewCode("return_reference_repeated")
	CodeReturnResultUnknown     = talent.NewCode("return_result_unknown")

	// Clawbacks.
	CodeClawbackNotFound       = talent.NewCode("clawback_not_found")
	CodeClawbackExists         = talent.NewCode("clawback_exists") // the claim has a live clawback
	CodeClawbackStatusConflict = talent.NewCode("clawback_status_conflict")
	CodeClawbackNotInPackage   = talent.NewCode("clawback_not_in_package") // the package reclaims nothing
	CodeClawbackNothingPaid    = talent.NewCode("clawback_nothing_paid")
	CodeClawbackNotOwed        = talent.NewCode("clawback_not_owed") // the whole period was served
)
