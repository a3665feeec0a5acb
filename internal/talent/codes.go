package talent

// Codes of the kernel: the general ones every module uses, and those of the
// kernel's own values (national ID, credit code, profile, documents,
// employment, notifications). Each has a zh-CN and an en message in the api.
var (
	// General.
	CodeInternal         = NewCode("internal")          // a bug or an unexpected failure
	CodeNotFound         = NewCode("not_found")         // a row that does not exist
	CodeValidationFailed = NewCode("validation_failed") // see the field errors
	CodeRoleRequired     = NewCode("role_required")     // the caller's roles do not allow it
	CodeRetry            = NewCode("retry")             // a transient clash; try again
	CodeDuplicate        = NewCode("duplicate")         // a unique value exists already
	CodeReferenceUnknown = NewCode("reference_unknown") // a referenced row does not exist
	CodeValueRejected    = NewCode("value_rejected")    // the database refused a value
	CodeDatabaseDown     = NewCode("database_unavailable")
	CodeCursorInvalid    = NewCode("cursor_invalid")

	// The kernel's records that a caller may not see answer these.
	CodeUserNotFound         = NewCode("user_not_found")
	CodeProfileNotFound      = NewCode("profile_not_found")
	CodeDocumentNotFound     = NewCode("document_not_found")
	CodeEmployerNotFound     = NewCode("employer_not_found")
	CodeEmploymentNotFound   = NewCode("employment_not_found")
	CodeNotificationNotFound = NewCode("notification_not_found")

	// Field problems any module reports.
	CodeRequired       = NewCode("required")
	CodeTextLength     = NewCode("text_length")
	CodeTextTooLong    = NewCode("text_too_long")
	CodeTooManyItems   = NewCode("too_many_items")
	CodeRange          = NewCode("range")
	CodeLength         = NewCode("length")
	CodeDateOutOfRange = NewCode("date_out_of_range")
	CodeNumberFormat   = NewCode("number_format")
	CodeUnknownField   = NewCode("unknown_field")
	CodeOutOfRange     = NewCode("out_of_range")
	CodeNotDate        = NewCode("not_date")

	// Spreadsheets uploaded whole (units, new hires, the bank's return file).
	CodeSpreadsheetUnreadable = NewCode("spreadsheet_unreadable")
	CodeImportEmpty           = NewCode("import_empty")
	CodeDuplicateInFile       = NewCode("duplicate_in_file")
	CodeImportRejected        = NewCode("import_rejected") // some rows are bad: nothing was taken

	// National ID (GB 11643) and credit code (GB 32100).
	CodeNationalIDLength    = NewCode("national_id_length")
	CodeNationalIDFormat    = NewCode("national_id_format")
	CodeNationalIDChecksum  = NewCode("national_id_checksum")
	CodeNationalIDRegion    = NewCode("national_id_region")
	CodeNationalIDBirthDate = NewCode("national_id_birth_date")
	CodeCreditCodeLength    = NewCode("credit_code_length")
	CodeCreditCodeFormat    = NewCode("credit_code_format")
	CodeCreditCodeChecksum  = NewCode("credit_code_checksum")

	// Profile.
	CodeNameLength        = NewCode("name_length")
	CodePhoneFormat       = NewCode("phone_format")
	CodeLocaleUnsupported = NewCode("locale_unsupported")
	CodeEducationLevel    = NewCode("education_level")
	CodeBankAccountFormat = NewCode("bank_account_format")

	// Documents.
	CodeDocumentKind          = NewCode("document_kind")
	CodeContentTypeNotAllowed = NewCode("content_type_not_allowed")
	CodeSizeOutOfRange        = NewCode("size_out_of_range")
	CodeSHA256Format          = NewCode("sha256_format")

	// Employment.
	CodeOwnEmployment          = NewCode("own_employment")
	CodeEmploymentDecided      = NewCode("employment_decided")
	CodeEmploymentNotConfirmed = NewCode("employment_not_confirmed")
	CodeContractEndBeforeStart = NewCode("contract_end_before_start")

	// Public notice and objections.
	CodeEntryNotFound     = NewCode("publicity_entry_not_found")
	CodeObjectionNotFound = NewCode("objection_not_found")
	CodeObjectionResolved = NewCode("objection_resolved")       // decided already
	CodeNoticeClosed      = NewCode("notice_closed")            // the entry is no longer on notice
	CodeOwnDecision       = NewCode("own_decision")             // nobody resolves an objection to their own decision
	CodeOwnBenefit        = NewCode("own_benefit")              // no staff operation may benefit the one who does it
	CodeSecondApprover    = NewCode("second_approver_required") // what one officer proposes, another approves

	// Sign-in: the codes of the KindUnauthenticated errors a Verifier
	// returns, and of its KindUnavailable one.
	CodeTokenMissing = NewCode("token_missing")
	CodeTokenInvalid = NewCode("token_invalid") // malformed, forged, wrong project
	CodeTokenExpired = NewCode("token_expired")
	CodeTokenRevoked = NewCode("token_revoked")
	CodeUserDisabled = NewCode("user_disabled")
	// A graduate signs in by phone only; anonymous, email and other sign-ins
	// do not make or open a graduate account.
	CodePhoneSignInRequired = NewCode("phone_sign_in_required")
	// A staff role needs a sign-in with a second factor (or by a provider
	// the deployment trusts for staff, ANJU_STAFF_SIGN_IN_PROVIDERS).
	CodeSecondFactorRequired = NewCode("second_factor_required")
	CodeIdentityUnavailable  = NewCode("identity_unavailable")

	// Object store (ObjectStore's contract).
	CodeObjectNotFound         = NewCode("object_not_found")
	CodeObjectStoreUnavailable = NewCode("object_store_unavailable")
	CodeObjectStoreFailed      = NewCode("object_store_failed")

	// Notifications and push.
	CodeTemplateUnknown   = NewCode("template_unknown")
	CodePushUnregistered  = NewCode("push_token_unregistered") // the token is gone for good; delete it
	CodePushRejected      = NewCode("push_rejected")           // the message or token was refused; keep the token
	CodePushUnavailable   = NewCode("push_unavailable")        // the send may succeed later
	CodeDeviceTokenFormat = NewCode("device_token_format")
	// The push token is registered to another account that used it lately.
	CodeDeviceTokenTaken    = NewCode("device_token_taken")
	CodePlatformUnsupported = NewCode("platform_unsupported")
)
