package talent

import (
	"context"
	"time"
)

// Access is one view of someone's personal data by a member of staff: who,
// whose, what and when. Admins read the log; nobody edits it.
type Access struct {
	ID        string
	At        time.Time
	ActorID   string
	SubjectID string // the user whose data was seen
	What      string // e.g. AccessReviewClaim
	ObjectID  string
	RequestID string // set by the log from the request's context
}

// What a view of personal data was.
const (
	AccessReviewClaim = "review_claim" // a claim with its applicant, for review
	AccessDocument    = "document"     // a document's bytes, by someone other than its owner
	AccessBatch       = "batch"        // a payment batch's lines
	AccessBatchExport = "batch_export" // a batch exported for the bank, account numbers in full
	AccessUserSearch  = "user_search"  // a user listed by the admin's search, personal data masked
)

// AccessLog records views of personal data. Record returns KindUnavailable
// when the log cannot be written; the view is then refused, never unlogged.
type AccessLog interface {
	Record(ctx context.Context, a Access) error
}
