package talent

import (
	"encoding/hex"
	"slices"
	"strings"
	"time"
)

// DocumentKind is what a document proves.
type DocumentKind string

// Document kinds.
const (
	DocIDCard                DocumentKind = "id_card"                 // 身份证 (both sides)
	DocDiploma               DocumentKind = "diploma"                 // 毕业证
	DocDegreeCertificate     DocumentKind = "degree_certificate"      // 学位证
	DocCHSIRecord            DocumentKind = "chsi_record"             // 学信网 registration record
	DocLabourContract        DocumentKind = "labour_contract"         // 劳动合同
	DocSocialInsuranceRecord DocumentKind = "social_insurance_record" // 社保缴纳记录
	DocRentalContract        DocumentKind = "rental_contract"         // 租房合同
	DocBankCard              DocumentKind = "bank_card"               // 银行卡
)

// Valid reports whether k is a known kind.
func (k DocumentKind) Valid() bool {
	switch k {
	case DocIDCard, DocDiploma, DocDegreeCertificate, DocCHSIRecord, DocLabourContract,
		DocSocialInsuranceRecord, DocRentalContract, DocBankCard:
		return true
	}
	return false
}

// DocumentStatus is where a document is in its life.
type DocumentStatus string

// Document statuses.
const (
	// DocPending: created; waiting for the app to upload the bytes.
	DocPending DocumentStatus = "pending"
	// DocInspecting: the app says it uploaded; a worker checks the bytes.
	DocInspecting DocumentStatus = "inspecting"
	// DocAccepted: the bytes are what was declared and of an allowed type.
	DocAccepted DocumentStatus = "accepted"
	// DocRejected: the bytes failed inspection and were deleted.
	DocRejected DocumentStatus = "rejected"
)

// DocumentEvent is something that happens to a document.
type DocumentEvent string

// Document events.
const (
	DocComplete DocumentEvent = "complete" // the app says the upload finished
	DocAccept   DocumentEvent = "accept"   // inspection passed
	DocReject   DocumentEvent = "reject"   // inspection failed
)

// DocumentTransitions is the document state machine.
var DocumentTransitions = Transitions[DocumentStatus, DocumentEvent]{
	DocComplete: {From: []DocumentStatus{DocPending}, To: DocInspecting},
	DocAccept:   {From: []DocumentStatus{DocInspecting}, To: DocAccepted},
	DocReject:   {From: []DocumentStatus{DocInspecting}, To: DocRejected},
}

// Reasons a document is rejected.
const (
	RejectNotUploaded      = "not_uploaded"      // nothing at the object key
	RejectSizeMismatch     = "size_mismatch"     // bytes differ in size from the declaration
	RejectChecksumMismatch = "checksum_mismatch" // SHA-256 differs from the declaration
	RejectTypeNotAllowed   = "type_not_allowed"  // not PDF, JPEG, PNG, HEIC or WebP
	RejectTypeMismatch     = "type_mismatch"     // an allowed type, but not the declared one
)

// MaxDocumentSize is the largest upload accepted (the usual official scan rule is 10 MB).
const MaxDocumentSize = 10 << 20

// AllowedContentTypes are the document formats Anju accepts.
var AllowedContentTypes = []string{"application/pdf", "image/jpeg", "image/png", "image/heic", "image/webp"}

// Document is an uploaded file's metadata; its bytes live in the ObjectStore.
type Document struct {
	ID          string
	OwnerID     string
	Kind        DocumentKind
	ContentType string
	Size        int64
	SHA256      string
	ObjectKey   string
	// InspectedKey holds the copy of the bytes inspection read: the only
	// bytes ever served once the document is accepted ("" before).
	InspectedKey string
	Status       DocumentStatus
	RejectReason string
	CreatedAt    time.Time
	UpdatedAt    time.Time
	InspectedAt  *time.Time
}

// DocumentInput is a declaration of a file the app is about to upload.
type DocumentInput struct {
	Kind        DocumentKind
	ContentType string
	Size        int64
	SHA256      string
}

// Validate checks a declaration and normalises its checksum to lower case.
func (in *DocumentInput) Validate() error {
	var fields []FieldError
	if !in.Kind.Valid() {
		fields = append(fields, FieldError{Field: "kind", Code: CodeDocumentKind})
	}
	if !slices.Contains(AllowedContentTypes, in.ContentType) {
		fields = append(fields, FieldError{Field: "contentType", Code: CodeContentTypeNotAllowed})
	}
	if in.Size < 1 || in.Size > MaxDocumentSize {
		fields = append(fields, FieldError{Field: "size", Code: CodeSizeOutOfRange})
	}
	in.SHA256 = strings.ToLower(in.SHA256)
	if b, err := hex.DecodeString(in.SHA256); err != nil || len(b) != 32 {
		fields = append(fields, FieldError{Field: "sha256", Code: CodeSHA256Format})
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	return nil
}

// InspectedKeyOf is where document id's inspected bytes are copied: a key
// outside documents/, which no upload policy names, so nothing the app
// posts can replace them.
func InspectedKeyOf(id string) string { return "inspected/" + id }

// Inspect decides a document from what the object store holds: the reason
// to reject it, or "" to accept it. sniffed is the type detected from the
// bytes ("" when not an allowed type).
func (d *Document) Inspect(info ObjectInfo, sniffed string) (reason string) {
	switch {
	case info.Size != d.Size:
		return RejectSizeMismatch
	case info.SHA256 != d.SHA256:
		return RejectChecksumMismatch
	case sniffed == "":
		return RejectTypeNotAllowed
	case sniffed != d.ContentType:
		return RejectTypeMismatch
	}
	return ""
}
