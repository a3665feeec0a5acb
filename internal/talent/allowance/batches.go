package allowance

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// BatchStatus is where a payment batch stands. Finance works maker–checker:
// the officer who makes a batch never approves it, and nothing goes to the
// bank before a second officer has.
type BatchStatus string

// Batch statuses.
const (
	// BatchPendingApproval: made by one finance officer; waits for another.
	BatchPendingApproval BatchStatus = "pending_approval"
	// BatchApproved: a second officer approved it; it may be exported for
	// the bank, and the bank's answers come back against it.
	BatchApproved BatchStatus = "approved"
	// BatchSettled: the bank answered every line.
	BatchSettled BatchStatus = "settled"
	// BatchRejected: turned down before it went to the bank; its payments
	// are due again.
	BatchRejected BatchStatus = "rejected"
)

// BatchEvent is something that happens to a batch.
type BatchEvent string

// Batch events.
const (
	BatchApprove BatchEvent = "approve" // a finance officer other than the maker
	BatchReject  BatchEvent = "reject"  // any finance officer, before approval
	BatchSettle  BatchEvent = "settle"  // system: the bank answered the last line
)

// BatchTransitions is the batch state machine.
var BatchTransitions = talent.Transitions[BatchStatus, BatchEvent]{
	BatchApprove: {From: []BatchStatus{BatchPendingApproval}, To: BatchApproved},
	BatchReject:  {From: []BatchStatus{BatchPendingApproval}, To: BatchRejected},
	BatchSettle:  {From: []BatchStatus{BatchApproved}, To: BatchSettled},
}

// Why a payment that is due was left out of a batch.
const (
	// HoldNewAccount: the graduate changed the account within the package's
	// new_account_hold_days; the payment goes in a batch made after Until.
	HoldNewAccount = "new_account"
	// HoldNoAccount: the graduate has given no account to pay into.
	HoldNoAccount = "no_account"
)

// defaultNewAccountHoldDays holds payments to a changed account for this
// many days when the package does not say (new_account_hold_days).
const defaultNewAccountHoldDays = 3

// HeldPayment is a due payment a batch left out, and why.
type HeldPayment struct {
	PaymentID string     `json:"paymentId"`
	ClaimID   string     `json:"claimId"`
	Amount    int64      `json:"amount"`
	Reason    string     `json:"reason"`
	Until     *time.Time `json:"until,omitempty"`
}

// Batch is a set of payments finance sends to the bank together.
type Batch struct {
	ID           string
	Status       BatchStatus
	CreatedBy    string
	CreatedAt    time.Time
	Count        int
	Total        int64 // fen
	ApprovedBy   string
	ApprovedAt   *time.Time
	RejectedBy   string
	RejectReason string
	// Paid and Failed count the lines the bank answered.
	Paid, Failed int
	// HeldBack are the payments that were due but left out, and why.
	HeldBack  []HeldPayment
	UpdatedAt time.Time
}

// LineResult is the bank's answer to one line of a batch.
type LineResult string

// Line results.
const (
	LineOpen   LineResult = ""       // not answered yet
	LinePaid   LineResult = "paid"   // the bank paid it
	LineFailed LineResult = "failed" // the bank refused it
)

// BatchLine is one payment of a batch with whom and where to pay, as the
// profile said when the batch was made: every export of a batch is the
// same, and a later change of account cannot redirect its money.
type BatchLine struct {
	BatchID          string
	Seq              int
	Payment          Payment // as it stands now
	Package          policy.ID
	Amount           int64
	DueOn            time.Time
	Name             string
	NationalIDMasked string
	BankName         string
	// BankAccountSealed is the profile's sealed account number as it was,
	// copied, not sealed again: bound to talent.SealedProfileBankAccount
	// and the payee's user id, it opens for this payment's payee only.
	BankAccountSealed string
	// BankAccount is the account opened for finance; never stored.
	BankAccount string
	Result      LineResult
	Reason      string
	BankSerial  string
	AnsweredAt  *time.Time
}

// BatchCandidate is a payment that may go in a new batch, with its payee as
// the profile says now.
type BatchCandidate struct {
	Payment           Payment
	Package           policy.ID
	PolicyVersion     int
	Name              string
	NationalIDSealed  string
	BankName          string
	BankAccountSealed string
	// AccountChangedAt is when the graduate last changed the account
	// number; nil when never (a first account is not a change).
	AccountChangedAt *time.Time
}

// BatchExport is one export of a batch for the bank: who, when, in which
// format, and the SHA-256 of the file.
type BatchExport struct {
	ID      string
	BatchID string
	ActorID string
	At      time.Time
	Format  string // xlsx | csv
	SHA256  string
	Size    int
}

// BatchFilter narrows the list of batches; zero values do not filter.
type BatchFilter struct {
	Status      BatchStatus
	CreatedFrom time.Time
	CreatedTo   time.Time // exclusive
}

// Settlement is a batch locked with what its changes touch: its lines with
// their payments, the claims of those payments, and the return files
// applied to it already.
type Settlement struct {
	Batch Batch
	Lines []BatchLine
	// Claims are the claims of the lines' payments, by id.
	Claims map[string]*Claim
	// Unpaid counts, per claim, its payments outside this batch that are not paid.
	Unpaid  map[string]int
	Returns []BankReturn
}

// BatchChange is what an update of a batch writes besides the batch.
type BatchChange struct {
	// Lines are the payment ids of the lines to save, each with its payment.
	Lines []string
	// Claims are claims to save with their change.
	Claims map[string]ClaimChange
	// Return is a return file to record.
	Return *BankReturn
	Audit  []talent.Audit
	Tasks  []talent.Task
}

// Empty reports whether the change writes nothing.
func (c BatchChange) Empty() bool {
	return len(c.Lines) == 0 && len(c.Claims) == 0 && c.Return == nil && len(c.Audit) == 0 && len(c.Tasks) == 0
}

// BatchStore keeps payment batches with their lines, exports and return
// files. Errors: KindNotFound (CodeBatchNotFound), KindConflict
// (CodeNoPaymentsDue), KindMalformed (a bad cursor), KindUnavailable.
type BatchStore interface {
	// CreateBatch, in one transaction, locks every payment of an active
	// claim that is due or failed, with its payee as the profile says now
	// (a suspended claim pays nothing, not even what failed before); pick
	// chooses the lines
	// (setting the batch's totals and what it held back), and the batch is
	// saved with them and with the audit and tasks of pick's change, its
	// payments moved into it. When pick fails nothing is written.
	CreateBatch(ctx context.Context, b Batch, pick func(*Batch, []BatchCandidate) ([]BatchLine, BatchChange, error)) (Batch, error)
	// Batch returns a batch.
	Batch(ctx context.Context, id string) (Batch, error)
	// Batches lists batches newest first.
	Batches(ctx context.Context, f BatchFilter, page talent.Page) ([]Batch, string, error)
	// BatchLines lists a batch's lines in order, each with its payment as it stands.
	BatchLines(ctx context.Context, id string) ([]BatchLine, error)
	// Exports lists a batch's exports, oldest first.
	Exports(ctx context.Context, batchID string) ([]BatchExport, error)
	// RecordExport stores an export with its audit row.
	RecordExport(ctx context.Context, e BatchExport, audit talent.Audit) error
	// UpdateBatch locks the batch, the claims of its payments (in id order,
	// as UpdateClaim locks them) and its payments, and runs fn; the batch,
	// the lines and payments fn names, the claims with their changes, the
	// return file, audit rows and tasks are saved in one transaction.
	// Nothing is written when fn fails or its change is empty.
	UpdateBatch(ctx context.Context, id string, fn func(*Settlement) (BatchChange, error)) (Batch, error)
}

// CreateBatch puts the payments that are due in a new batch waiting for a
// second finance officer's approval (finance). The payees are snapshotted
// from the profiles now. Left out, and listed in HeldBack, are payments to
// an account changed within the package's new_account_hold_days and to
// graduates with no account; a failed payment goes in again only once the
// graduate has changed the account since it failed.
func (s *Service) CreateBatch(ctx context.Context, actor talent.User) (Batch, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return Batch{}, err
	}
	checkers, err := s.Staff.UsersWithRole(ctx, talent.RoleFinance)
	if err != nil {
		return Batch{}, err
	}
	now := s.now()
	b := Batch{ID: talent.NewID(), Status: BatchPendingApproval, CreatedBy: actor.ID, CreatedAt: now, UpdatedAt: now}
	return s.BatchStore.CreateBatch(ctx, b, func(b *Batch, candidates []BatchCandidate) ([]BatchLine, BatchChange, error) {
		slices.SortFunc(candidates, func(x, y BatchCandidate) int {
			if c := x.Payment.DueOn.Compare(y.Payment.DueOn); c != 0 {
				return c
			}
			return strings.Compare(x.Payment.ID, y.Payment.ID)
		})
		var lines []BatchLine
		for _, c := range candidates {
			p := c.Payment
			if p.Status == PaymentFailed && !correctedSince(c.AccountChangedAt, p.FailedAt) {
				continue // waits for the graduate to correct the account
			}
			held := HeldPayment{PaymentID: p.ID, ClaimID: p.ClaimID, Amount: p.Amount}
			if c.BankAccountSealed == "" {
				held.Reason = HoldNoAccount
				b.HeldBack = append(b.HeldBack, held)
				continue
			}
			if c.AccountChangedAt != nil {
				days, err := s.holdDays(ctx, c.Package, c.PolicyVersion)
				if err != nil {
					return nil, BatchChange{}, err
				}
				if until := c.AccountChangedAt.Add(time.Duration(days) * 24 * time.Hour); now.Before(until) {
					held.Reason, held.Until = HoldNewAccount, &until
					b.HeldBack = append(b.HeldBack, held)
					continue
				}
			}
			line := BatchLine{BatchID: b.ID, Seq: len(lines) + 1, Payment: p, Package: c.Package, Amount: p.Amount, DueOn: p.DueOn,
				Name: c.Name, BankName: c.BankName, BankAccountSealed: c.BankAccountSealed}
			if c.NationalIDSealed != "" {
				number, err := s.Vault.Open(talent.SealedProfileNationalID, p.UserID, c.NationalIDSealed)
				if err != nil {
					return nil, BatchChange{}, err
				}
				line.NationalIDMasked = talent.MaskNationalID(number)
			}
			lines = append(lines, line)
			b.Count++
			b.Total += p.Amount
		}
		if len(lines) == 0 {
			return nil, BatchChange{}, talent.Errorf(talent.KindConflict, CodeNoPaymentsDue, "no payment can be batched (%d held back)", len(b.HeldBack))
		}
		change := BatchChange{Audit: []talent.Audit{{At: now, ActorID: actor.ID, Entity: "batch", EntityID: b.ID, Event: "create",
			Detail: fmt.Sprintf("%d payments, %d fen; %d held back", b.Count, b.Total, len(b.HeldBack))}}}
		for _, uid := range checkers {
			if uid != actor.ID {
				change.Tasks = append(change.Tasks, b.notify(uid, "batch.submitted", ""))
			}
		}
		return lines, change, nil
	})
}

// correctedSince reports whether the account changed after a payment failed.
func correctedSince(changed, failed *time.Time) bool {
	return changed != nil && (failed == nil || changed.After(*failed))
}

// holdDays is the package's new_account_hold_days.
func (s *Service) holdDays(ctx context.Context, id policy.ID, version int) (int, error) {
	pkg, err := s.Catalog.Package(ctx, id, version)
	if err != nil {
		return 0, err
	}
	return figure(pkg, "new_account_hold_days", defaultNewAccountHoldDays), nil
}

// notify is a notification about the batch to one finance officer.
func (b Batch) notify(userID, template, reason string) talent.NotifyRequest {
	params := map[string]string{"count": strconv.Itoa(b.Count), "amount": talent.Yuan(b.Total)}
	if reason != "" {
		params["reason"] = reason
	}
	return talent.NotifyRequest{UserID: userID, EventID: template + ":" + b.ID, Template: template, Params: params,
		Link: "anju://finance/batches/" + b.ID}
}

// Batches lists batches, newest first (finance).
func (s *Service) Batches(ctx context.Context, actor talent.User, f BatchFilter, page talent.Page) ([]Batch, string, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return nil, "", err
	}
	return s.BatchStore.Batches(ctx, f, page)
}

// ApproveBatch is the checker's approval (finance, never the batch's
// maker): the batch may then be exported for the bank. Approving an
// approved batch again changes nothing.
func (s *Service) ApproveBatch(ctx context.Context, actor talent.User, id string) (Batch, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return Batch{}, err
	}
	return s.BatchStore.UpdateBatch(ctx, id, func(st *Settlement) (BatchChange, error) {
		b := &st.Batch
		if b.CreatedBy == actor.ID {
			return BatchChange{}, ownBatch("approve")
		}
		for _, l := range st.Lines {
			if l.Payment.UserID == actor.ID {
				return BatchChange{}, talent.OwnBenefit("nobody approves a batch that pays them")
			}
		}
		if b.Status == BatchApproved {
			return BatchChange{}, nil
		}
		if err := BatchTransitions.Apply(&b.Status, BatchApprove, CodeBatchStatusConflict); err != nil {
			return BatchChange{}, err
		}
		now := s.now()
		b.ApprovedBy, b.ApprovedAt, b.UpdatedAt = actor.ID, &now, now
		return BatchChange{
			Audit: []talent.Audit{{At: now, ActorID: actor.ID, Entity: "batch", EntityID: b.ID, Event: "approve"}},
			Tasks: []talent.Task{b.notify(b.CreatedBy, "batch.approved", "")},
		}, nil
	})
}

func ownBatch(what string) error {
	return talent.Errorf(talent.KindForbidden, CodeOwnBatch, "the maker of a batch does not %s it", what)
}

// RejectBatch turns a batch down before it goes to the bank (finance, its
// maker too, who may withdraw it): its payments are due again and go in
// the next batch.
func (s *Service) RejectBatch(ctx context.Context, actor talent.User, id, reason string) (Batch, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return Batch{}, err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" || utf8.RuneCountInString(reason) > 500 {
		return Batch{}, talent.Field("reason", talent.CodeTextLength)
	}
	return s.BatchStore.UpdateBatch(ctx, id, func(st *Settlement) (BatchChange, error) {
		b := &st.Batch
		if err := BatchTransitions.Apply(&b.Status, BatchReject, CodeBatchStatusConflict); err != nil {
			return BatchChange{}, err
		}
		now := s.now()
		b.RejectedBy, b.RejectReason, b.UpdatedAt = actor.ID, reason, now
		change := BatchChange{Audit: []talent.Audit{{At: now, ActorID: actor.ID, Entity: "batch", EntityID: b.ID, Event: "reject", Detail: reason}}}
		for i := range st.Lines {
			p := &st.Lines[i].Payment
			if p.BatchID != b.ID || !PaymentTransitions.Allows(p.Status, PaymentUnbatch) {
				continue
			}
			p.Status, _ = PaymentTransitions.Next(p.Status, PaymentUnbatch)
			p.UpdatedAt = now
			change.Lines = append(change.Lines, p.ID)
		}
		if b.CreatedBy != actor.ID {
			change.Tasks = append(change.Tasks, b.notify(b.CreatedBy, "batch.rejected", reason))
		}
		return change, nil
	})
}

// BatchLines returns a batch with its lines, account numbers opened, and
// its exports (finance), to look at: the view is written to the access log
// (talent.AccessBatch) first.
func (s *Service) BatchLines(ctx context.Context, actor talent.User, id string) (Batch, []BatchLine, []BatchExport, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return Batch{}, nil, nil, err
	}
	b, err := s.BatchStore.Batch(ctx, id)
	if err != nil {
		return Batch{}, nil, nil, err
	}
	if err := s.AccessLog.Record(ctx, talent.Access{At: s.now(), ActorID: actor.ID, What: talent.AccessBatch, ObjectID: b.ID}); err != nil {
		return Batch{}, nil, nil, err
	}
	lines, err := s.openLines(ctx, id)
	if err != nil {
		return Batch{}, nil, nil, err
	}
	exports, err := s.BatchStore.Exports(ctx, id)
	return b, lines, exports, err
}

func (s *Service) openLines(ctx context.Context, id string) ([]BatchLine, error) {
	lines, err := s.BatchStore.BatchLines(ctx, id)
	if err != nil {
		return nil, err
	}
	for i := range lines {
		if lines[i].BankAccountSealed == "" {
			continue
		}
		if lines[i].BankAccount, err = s.Vault.Open(talent.SealedProfileBankAccount, lines[i].Payment.UserID, lines[i].BankAccountSealed); err != nil {
			return nil, err
		}
	}
	return lines, nil
}

// ExportBatch writes an approved batch for the bank with render, in format
// (finance, not the batch's maker: whoever made a batch never holds its bank
// file). The lines come from the batch's snapshot, so every export of a
// batch in a format is the same file. The export goes to the access log
// (talent.AccessBatchExport) before the file is made and is recorded with
// the file's SHA-256 before it is returned.
func (s *Service) ExportBatch(ctx context.Context, actor talent.User, id, format string,
	render func(Batch, []BatchLine) ([]byte, error)) (Batch, []byte, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return Batch{}, nil, err
	}
	b, err := s.BatchStore.Batch(ctx, id)
	if err != nil {
		return Batch{}, nil, err
	}
	if b.Status != BatchApproved && b.Status != BatchSettled {
		return Batch{}, nil, talent.Errorf(talent.KindConflict, CodeBatchNotApproved, "a %s batch is not exported", b.Status)
	}
	if b.CreatedBy == actor.ID {
		return Batch{}, nil, ownBatch("export")
	}
	now := s.now()
	if err := s.AccessLog.Record(ctx, talent.Access{At: now, ActorID: actor.ID, What: talent.AccessBatchExport, ObjectID: b.ID}); err != nil {
		return Batch{}, nil, err
	}
	lines, err := s.openLines(ctx, id)
	if err != nil {
		return Batch{}, nil, err
	}
	file, err := render(b, lines)
	if err != nil {
		return Batch{}, nil, err
	}
	sum := sha256.Sum256(file)
	e := BatchExport{ID: talent.NewID(), BatchID: b.ID, ActorID: actor.ID, At: now, Format: format,
		SHA256: hex.EncodeToString(sum[:]), Size: len(file)}
	audit := talent.Audit{At: now, ActorID: actor.ID, Entity: "batch", EntityID: b.ID, Event: "export",
		Detail: format + " sha256:" + e.SHA256}
	if err := s.BatchStore.RecordExport(ctx, e, audit); err != nil {
		return Batch{}, nil, err
	}
	return b, file, nil
}
