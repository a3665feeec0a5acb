// Package allowance is the allowance claims workflow: policy packages in
// force, the eligibility precheck, claims from draft to decision, the
// eligibility worker and the review queue with its deadlines. It builds on
// the talent package (profiles, documents, employment, notifications) and
// decides with the pure policy evaluator.
package allowance

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/calendar"
	"github.com/anju-city/anju/internal/talent/policy"
)

// Task types of the claims workflow.
const (
	// TaskEvaluateClaim gathers a claim's facts and evaluates its package.
	TaskEvaluateClaim = "claim:evaluate"
	// TaskNotifyClaim tells the graduate about a transition.
	TaskNotifyClaim = talent.TaskSendNotification
	// TaskEscalate finds overdue claims and tells the staff responsible.
	TaskEscalate = "claim:escalate"
)

// EvaluateClaim is the payload of claim:evaluate.
type EvaluateClaim struct {
	ClaimID string `json:"claimId"`
}

// Stage is the step a claim waits at; each has a deadline in working days.
type Stage string

// Stages and their deadlines (POLICY.md: documents 1, employer 5, review 5, payment 10).
const (
	StageNone     Stage = ""
	StageDocument Stage = "documents" // eligibility worker checks documents and facts
	StageEmployer Stage = "employer"  // HR confirms employment
	StageReview   Stage = "review"    // a reviewer decides
	StagePayment  Stage = "payment"   // finance pays the first amount
)

// StageWorkingDays are the deadlines of the stages.
var StageWorkingDays = map[Stage]int{StageDocument: 1, StageEmployer: 5, StageReview: 5, StagePayment: 10}

// PolicySource is a published package version as stored.
type PolicySource struct {
	Package     policy.ID
	Version     int
	Source      []byte
	PublishedAt time.Time
}

// ClaimChange is what an update writes besides the claim itself.
type ClaimChange struct {
	Audit []ClaimAudit
	Tasks []talent.Task
	// Payments are a schedule to insert (on approval).
	Payments []Payment
	// SuspendPayments suspends the claim's payments not yet paid.
	SuspendPayments bool
	// AttachDocuments links documents to the claim.
	AttachDocuments []string
	// Touched saves a change that has neither audit rows nor tasks.
	Touched bool
}

// PaymentRecord is a payment with whom and where to pay, as stored.
type PaymentRecord struct {
	Payment           Payment
	Package           policy.ID
	Profile           talent.ProfileRecord
	BankName          string
	BankAccountSealed string
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
}

// Store persists policy versions and claims. Errors follow talent.Store:
// KindNotFound, KindConflict ("claim_exists" for a second live claim of a
// package by the same person; "policy_version_exists"), KindUnavailable.
type Store interface {
	// PolicySources lists every published version.
	PolicySources(ctx context.Context) ([]PolicySource, error)
	// PublishPolicy stores a new version.
	PublishPolicy(ctx context.Context, src PolicySource, by string) error

	// CreateClaim stores a draft.
	CreateClaim(ctx context.Context, c Claim) error
	// Claim returns a claim by id.
	Claim(ctx context.Context, id string) (Claim, error)
	// Claims lists a user's claims, newest first.
	Claims(ctx context.Context, userID string, page talent.Page) ([]Claim, string, error)
	// UpdateClaim runs fn on the claim under a row lock and writes the claim,
	// its audit rows and its tasks in one transaction.
	UpdateClaim(ctx context.Context, id string, fn func(*Claim) (ClaimChange, error)) (Claim, error)
	// ClaimDocuments lists the documents linked to a claim.
	ClaimDocuments(ctx context.Context, claimID string) ([]talent.Document, error)
	// ClaimAudit lists a claim's transitions, oldest first.
	ClaimAudit(ctx context.Context, claimID string) ([]ClaimAudit, error)
	// EarlierClaims lists the ids of the person's other claims of a package
	// that were neither withdrawn nor rejected.
	EarlierClaims(ctx context.Context, personIndex string, pkg policy.ID, except string) ([]string, error)
	// ClaimsAwaitingEmployer lists a user's claims waiting for HR.
	ClaimsAwaitingEmployer(ctx context.Context, userID string) ([]string, error)
	// ReviewQueue lists claims in a status, earliest due first.
	ReviewQueue(ctx context.Context, status ClaimStatus, page talent.Page) ([]Claim, string, error)
	// Overdue lists claims whose stage is past due and not yet escalated.
	Overdue(ctx context.Context, now time.Time) ([]Claim, error)
	// UsersWithRole lists the ids of the users holding a role.
	UsersWithRole(ctx context.Context, role talent.Role) ([]string, error)
	// HoldsLease reports whether the user has an active talent-apartment lease.
	HoldsLease(ctx context.Context, userID string) (bool, error)

	// Payments lists a claim's schedule.
	Payments(ctx context.Context, claimID string) ([]Payment, error)
	// PaymentsFallingDue lists scheduled or held payments of active claims
	// due on or before the civil date today.
	PaymentsFallingDue(ctx context.Context, today time.Time) ([]Payment, error)
	// UpdatePayment runs fn on a payment under a row lock and saves it with the tasks fn returns.
	UpdatePayment(ctx context.Context, id string, fn func(*Payment) ([]talent.Task, error)) error
	// UpdatePaymentAndClaim locks a payment and its claim; fn learns how many
	// other payments of the claim are still unpaid, and its change is saved
	// with both.
	UpdatePaymentAndClaim(ctx context.Context, id string, fn func(p *Payment, c *Claim, remaining int) (ClaimChange, error)) error
	// CreateBatch moves every due payment into a new batch; KindConflict
	// "no_payments_due" when there is none.
	CreateBatch(ctx context.Context, b Batch) (Batch, error)
	// BatchPayments returns a batch and its payments with profiles.
	BatchPayments(ctx context.Context, batchID string) (Batch, []PaymentRecord, error)
	// Reconcile totals the payments of approved claims.
	Reconcile(ctx context.Context) (Reconciliation, error)
	// Delivery reports per package on claims submitted in [from, to).
	Delivery(ctx context.Context, from, to time.Time) ([]DeliveryStats, error)
}

// Service is the claims workflow.
type Service struct {
	Talent   *talent.Service
	Store    Store
	Calendar *calendar.Calendar
	// Defaults are the embedded policy packages (version 1 of each).
	Defaults []policy.Package
	// City is matched against the household-registration place to tell
	// out-of-town graduates, e.g. "慈溪".
	City string
}

func (s *Service) now() time.Time { return s.Talent.Clock.Now().UTC() }

// due returns when a stage that starts now is due.
func (s *Service) due(stage Stage, from time.Time) *time.Time {
	n, ok := StageWorkingDays[stage]
	if !ok {
		return nil
	}
	d := s.Calendar.AddWorkingDays(from, n)
	return &d
}
