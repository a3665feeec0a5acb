// Package allowance is the allowance claims workflow: claims from draft to
// decision under the policy version in force, the eligibility worker with
// its trace, the review queue with its deadlines, and the payments that
// follow approval. It reads what it needs of accounts, documents and leases
// through the small ports below, and decides with the pure policy evaluator.
package allowance

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/calendar"
	"github.com/anju-city/anju/internal/talent/policy"
)

// Stage is the step a claim waits at; each has a deadline in working days.
type Stage string

// Stages and their deadlines (POLICY.md: documents 1, employer 5, review 5, payment 10).
const (
	StageNone     Stage = ""
	StageDocument Stage = "documents" // eligibility worker checks documents and facts
	StageEmployer Stage = "employer"  // HR confirms employment
	StageReview   Stage = "review"    // a reviewer decides
	StagePayment  Stage = "payment"   // finance pays the first amount
	// StageSupplement is the graduate's: a returned claim waits for the
	// supplement until its window ends; staff deadlines are paused.
	StageSupplement Stage = "supplement"
)

// StageWorkingDays are the deadlines of the stages.
var StageWorkingDays = map[Stage]int{StageDocument: 1, StageEmployer: 5, StageReview: 5, StagePayment: 10}

// stageNames are the stages in the texts staff read.
var stageNames = map[Stage]talent.Text{
	StageDocument:   {ZH: "材料审核", EN: "documents"},
	StageEmployer:   {ZH: "单位确认", EN: "employer confirmation"},
	StageReview:     {ZH: "资格审核", EN: "review"},
	StagePayment:    {ZH: "资金发放", EN: "payment"},
	StageSupplement: {ZH: "补正材料", EN: "supplement"},
}

// ClaimChange is what an update writes besides the claim itself.
type ClaimChange struct {
	Audit []ClaimAudit
	Tasks []talent.Task
	// Payments are a schedule to insert (on approval).
	Payments []Payment
	// SuspendPayments suspends the claim's payments not yet paid.
	SuspendPayments bool
	// AttachDocuments links documents to the claim; DetachDocuments unlinks them.
	AttachDocuments []string
	DetachDocuments []string
	// Entry is a new public-notice entry (on approval); EntryEvent moves the
	// claim's existing entry along talent.EntryTransitions, or fails.
	Entry      *talent.Entry
	EntryEvent talent.EntryEvent
	// Objections are objections to insert (filed, open) or to decide; a
	// decision on one not open any more fails the whole change.
	Objections []talent.Objection
	// Touched saves a change that has neither audit rows nor tasks.
	Touched bool
}

// DeliveryStats is how fast one package's claims were decided and paid in
// a period. Durations are from submission.
type DeliveryStats struct {
	Package           policy.ID
	Claims            int // submitted in the period
	Decided           int
	Paid              int // with a first payment
	MedianToDecision  time.Duration
	P90ToDecision     time.Duration
	MedianToFirstPay  time.Duration
	P90ToFirstPay     time.Duration
	DeadlinesBreached int // claims that went past a stage deadline
	// Clawbacks count the claims reclaimed from (owed or repaid);
	// ClawbackOwed and ClawbackRepaid are their money (fen).
	Clawbacks      int
	ClawbackOwed   int64
	ClawbackRepaid int64
}

// ClaimStore keeps claims, their documents and audit. Errors: KindNotFound
// (CodeClaimNotFound), KindConflict (CodeClaimExists for a second live claim
// of a package by the same person), KindMalformed (a bad cursor),
// KindUnavailable.
type ClaimStore interface {
	// CreateClaim stores a draft.
	CreateClaim(ctx context.Context, c Claim) error
	// Claim returns a claim by id.
	Claim(ctx context.Context, id string) (Claim, error)
	// Claims lists a user's claims, newest first.
	Claims(ctx context.Context, userID string, page talent.Page) ([]Claim, string, error)
	// UpdateClaim runs fn on the claim under a row lock and writes the claim,
	// its audit rows and its tasks in one transaction; when fn fails, or
	// returns an empty change, nothing is written.
	UpdateClaim(ctx context.Context, id string, fn func(*Claim) (ClaimChange, error)) (Claim, error)
	// DocumentClaims lists the claims a document is linked to.
	DocumentClaims(ctx context.Context, documentID string) ([]Claim, error)
	// ClaimDocuments lists the documents linked to a claim.
	ClaimDocuments(ctx context.Context, claimID string) ([]talent.Document, error)
	// ClaimAudit lists a claim's transitions, oldest first.
	ClaimAudit(ctx context.Context, claimID string) ([]ClaimAudit, error)
	// EarlierClaims lists the ids of the person's other claims of a package
	// that were neither withdrawn nor rejected.
	EarlierClaims(ctx context.Context, personIndex string, pkg policy.ID, except string) ([]string, error)
	// ClaimsAwaitingEmployer lists a user's claims waiting for HR.
	ClaimsAwaitingEmployer(ctx context.Context, userID string) ([]string, error)
	// ReviewQueue lists claims for reviewers by a filter, in its order.
	ReviewQueue(ctx context.Context, f QueueFilter, page talent.Page) ([]QueueItem, string, error)
	// PersonClaims lists a person's claims other than except, newest first.
	PersonClaims(ctx context.Context, personIndex, except string) ([]EarlierClaim, error)
	// ReturnsDue lists the ids of returned claims whose window ended before now.
	// One page (talent.SweepPage) in id order after the id after ("" from the start).
	ReturnsDue(ctx context.Context, now time.Time, after string) ([]string, error)
	// NoticesDue lists the ids of approved claims whose notice ended
	// before now with no objection open.
	// One page (talent.SweepPage) in id order after the id after ("" from the start).
	NoticesDue(ctx context.Context, now time.Time, after string) ([]string, error)
	// MonthlyDelivery reports per package and month on claims submitted in [from, to).
	MonthlyDelivery(ctx context.Context, from, to time.Time) ([]MonthStats, error)
	// Overdue lists one page (talent.SweepPage) of the claims whose stage
	// is past due and not yet escalated, in (DueAt, ID) order after the
	// claim after (nil: from the start).
	Overdue(ctx context.Context, now time.Time, after *Claim) ([]Claim, error)
	// Delivery reports per package on claims submitted in [from, to).
	Delivery(ctx context.Context, from, to time.Time) ([]DeliveryStats, error)
	// EmployeeClaims lists the submitted claims of the graduates whose
	// live employment (pending or confirmed) is with one of the filter's
	// employers, newest submission first.
	EmployeeClaims(ctx context.Context, f EmployeeClaimFilter, page talent.Page) ([]EmployeeClaimRecord, string, error)
}

// PaymentStore keeps payment schedules. Errors: KindNotFound
// (CodePaymentNotFound), KindUnavailable.
type PaymentStore interface {
	// Payment returns a payment.
	Payment(ctx context.Context, id string) (Payment, error)
	// Payments lists a claim's schedule.
	Payments(ctx context.Context, claimID string) ([]Payment, error)
	// PaymentsFallingDue lists one page (talent.SweepPage) of the payments
	// of active claims in one status due on or before the civil date today,
	// in (DueOn, ID) order after the payment after (nil: from the start).
	PaymentsFallingDue(ctx context.Context, today time.Time, status PaymentStatus, after *Payment) ([]Payment, error)
	// UpdatePayment runs fn on a payment under a row lock and saves it with the tasks fn returns.
	UpdatePayment(ctx context.Context, id string, fn func(*Payment) ([]talent.Task, error)) error
	// Reconcile totals the payments of approved claims and their clawbacks.
	Reconcile(ctx context.Context) (Reconciliation, error)
}

// Catalog is the policy catalogue (the catalog module).
type Catalog interface {
	// Package returns one version; KindInternal when it is gone.
	Package(ctx context.Context, id policy.ID, version int) (policy.Package, error)
	// InForce returns the version of a package in force on a date.
	InForce(ctx context.Context, id policy.ID, on time.Time) (policy.Package, bool, error)
	// Open returns the allowance packages in force today.
	Open(ctx context.Context) ([]policy.Package, error)
}

// People opens what the claims workflow may know of a graduate (the account module).
type People interface {
	Person(ctx context.Context, userID string) (talent.Person, error)
}

// Employments reads a graduate's current employment; KindNotFound when none was declared.
type Employments interface {
	CurrentEmployment(ctx context.Context, userID string) (talent.Employment, error)
}

// Documents reads uploaded documents.
type Documents interface {
	Document(ctx context.Context, id string) (talent.Document, error)
}

// Staff finds the people an overdue claim is escalated to, and who a
// reviewer is.
type Staff interface {
	talent.Directory
	User(ctx context.Context, id string) (talent.User, error)
}

// Notifier writes an inbox entry and pushes it, at once (the account module).
type Notifier interface {
	Notify(ctx context.Context, req talent.NotifyRequest) error
}

// Leases tells whether a graduate holds a talent-apartment lease, and which.
type Leases interface {
	HoldsLease(ctx context.Context, userID string) (bool, error)
	LeasesOf(ctx context.Context, userID string) ([]ApplicantLease, error)
}

// Service is the claims workflow.
type Service struct {
	ClaimStore    ClaimStore
	PaymentStore  PaymentStore
	BatchStore    BatchStore
	ClawbackStore ClawbackStore
	Catalog       Catalog
	People        People
	Employments   Employments
	Documents     Documents
	Staff         Staff
	Notifier      Notifier
	Leases        Leases
	AccessLog     talent.AccessLog
	Objects       talent.ObjectStore
	Vault         talent.Vault
	Clock         talent.Clock
	Calendar      *calendar.Calendar
	// City is matched against the household-registration place to tell
	// out-of-town graduates, e.g. "慈溪".
	City string
	// PreviewTTL bounds the links reviewers preview documents with.
	PreviewTTL time.Duration
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

// due returns when a stage that starts now is due.
func (s *Service) due(stage Stage, from time.Time) *time.Time {
	n, ok := StageWorkingDays[stage]
	if !ok {
		return nil
	}
	d := s.Calendar.AddWorkingDays(from, n)
	return &d
}
