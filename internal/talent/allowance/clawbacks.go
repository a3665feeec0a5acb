package allowance

import (
	"context"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// ClawbackStatus is where a clawback stands.
type ClawbackStatus string

// Clawback statuses.
const (
	// ClawbackProposed: the daily job saw the graduate's employment end
	// early; a reviewer confirms or cancels it. The graduate is not told yet.
	ClawbackProposed ClawbackStatus = "proposed"
	// ClawbackOwed: raised or confirmed by a reviewer; the graduate was told
	// and owes the amount.
	ClawbackOwed ClawbackStatus = "owed"
	// ClawbackRepaid: finance recorded the repayment.
	ClawbackRepaid ClawbackStatus = "repaid"
	// ClawbackCancelled: a reviewer found nothing to reclaim (a new job in
	// the city, say). A cancelled proposal is not proposed again.
	ClawbackCancelled ClawbackStatus = "cancelled"
)

// ClawbackEvent is something that happens to a clawback.
type ClawbackEvent string

// Clawback events.
const (
	ClawbackConfirm ClawbackEvent = "confirm" // a reviewer
	ClawbackCancel  ClawbackEvent = "cancel"  // a reviewer
	ClawbackRepay   ClawbackEvent = "repay"   // finance
)

// ClawbackTransitions is the clawback state machine. A reviewer who raises
// a clawback directly creates it owed.
var ClawbackTransitions = talent.Transitions[ClawbackStatus, ClawbackEvent]{
	ClawbackConfirm: {From: []ClawbackStatus{ClawbackProposed}, To: ClawbackOwed},
	ClawbackCancel:  {From: []ClawbackStatus{ClawbackProposed}, To: ClawbackCancelled},
	ClawbackRepay:   {From: []ClawbackStatus{ClawbackOwed}, To: ClawbackRepaid},
}

// Clawback is money reclaimed from a graduate who left the city's
// employment before the package's clawback_months had passed since the
// first payment. Amount is ClawbackAmount of what the claim had paid.
type Clawback struct {
	ID             string
	ClaimID        string
	UserID         string
	Package        policy.ID
	Status         ClawbackStatus
	Reason         string // the reviewer's, as the graduate reads it; none while proposed
	Paid           int64  // fen the claim had paid when Amount was computed
	Amount         int64  // fen
	ServedMonths   int
	ClawbackMonths int
	FirstPaidOn    time.Time // civil date
	LeftOn         time.Time // civil date
	ProposedBy     string    // a reviewer's id, or talent.SystemID
	CreatedAt      time.Time
	DecidedBy      string
	DecidedAt      *time.Time
	CancelReason   string
	RepaidBy       string
	RepaidAt       *time.Time
	RepaymentRef   string
	UpdatedAt      time.Time
}

// ClawbackAmount is the proration rule: a graduate who served fewer than
// months whole months between the first payment and leaving repays the
// unserved share of what was paid, paid × (months − served) / months,
// rounded down to the fen (in the graduate's favour). Leaving before the
// first payment repays all of it; serving the whole period repays nothing.
func ClawbackAmount(paid int64, firstPaid, left time.Time, months int) (amount int64, served int) {
	if months <= 0 || paid <= 0 {
		return 0, 0
	}
	served = min(max(wholeMonths(firstPaid, left), 0), months)
	return paid * int64(months-served) / int64(months), served
}

// ClawbackFilter narrows the list of clawbacks; zero values do not filter.
type ClawbackFilter struct {
	Status ClawbackStatus
}

// ClawbackChange is what an update of a claim's clawbacks writes.
type ClawbackChange struct {
	// Clawback is inserted, or saved when it exists.
	Clawback *Clawback
	// Claim, when set, is saved with the claim (its suspension, say).
	Claim *ClaimChange
	Audit []talent.Audit
	Tasks []talent.Task
}

// ClawbackStore keeps clawbacks. Errors: KindNotFound (CodeClawbackNotFound,
// CodeClaimNotFound), KindConflict (CodeClawbackExists for a second live
// clawback of a claim), KindMalformed (a bad cursor), KindUnavailable.
type ClawbackStore interface {
	// Clawback returns a clawback.
	Clawback(ctx context.Context, id string) (Clawback, error)
	// Clawbacks lists clawbacks newest first.
	Clawbacks(ctx context.Context, f ClawbackFilter, page talent.Page) ([]Clawback, string, error)
	// ClawbackCandidates lists one page (talent.SweepPage) of the claims
	// that paid something and have no clawback, of graduates whose latest
	// employment ended, in (FirstPaidAt, ID) order after the claim after
	// (nil: from the start).
	ClawbackCandidates(ctx context.Context, after *Claim) ([]Claim, error)
	// UpdateClawbacks locks a claim and reads its clawbacks and what it has
	// paid (fen), and runs fn; the clawback, the claim's change, audit rows
	// and tasks fn returns are saved in one transaction, and the clawback
	// returned. Nothing is written when fn fails or returns no clawback.
	UpdateClawbacks(ctx context.Context, claimID string, fn func(c *Claim, list []Clawback, paid int64) (ClawbackChange, error)) (Clawback, error)
}

// terms computes what a claim's graduate who left on left owes back under
// the claim's package: the clawback's figures, or the code that says why
// nothing is owed.
func (s *Service) terms(ctx context.Context, c *Claim, paid int64, left time.Time) (Clawback, talent.Code, error) {
	pkg, err := s.Catalog.Package(ctx, c.Package, c.PolicyVersion)
	if err != nil {
		return Clawback{}, talent.Code{}, err
	}
	months, ok := pkg.IntParam("clawback_months")
	if !ok || months <= 0 {
		return Clawback{}, CodeClawbackNotInPackage, nil
	}
	if c.FirstPaidAt == nil || paid <= 0 {
		return Clawback{}, CodeClawbackNothingPaid, nil
	}
	first := policy.Civil(*c.FirstPaidAt)
	amount, served := ClawbackAmount(paid, first, left, int(months))
	if amount == 0 {
		return Clawback{}, CodeClawbackNotOwed, nil
	}
	return Clawback{ClaimID: c.ID, UserID: c.UserID, Package: c.Package, Paid: paid, Amount: amount, ServedMonths: served,
		ClawbackMonths: int(months), FirstPaidOn: first, LeftOn: left}, talent.Code{}, nil
}

// leftOn is when the graduate left: the date a reviewer gives, or the end
// of the latest employment as HR recorded it.
func (s *Service) leftOn(ctx context.Context, userID string, given *time.Time) (time.Time, error) {
	today := policy.Civil(s.now())
	if given != nil {
		if given.After(today) {
			return time.Time{}, talent.Field("leftOn", talent.CodeDateOutOfRange)
		}
		return policy.Civil(*given), nil
	}
	emp, err := s.Employments.CurrentEmployment(ctx, userID)
	if err != nil && talent.ErrorKind(err) != talent.KindNotFound {
		return time.Time{}, err
	}
	if err != nil || emp.Status != talent.EmploymentEnded || emp.EndedOn == nil {
		return time.Time{}, talent.Field("leftOn", talent.CodeRequired)
	}
	return policy.Civil(*emp.EndedOn), nil
}

// RaiseClawback reclaims from a graduate who left early (reviewer): the
// amount follows ClawbackAmount under the package's clawback_months, from
// the first payment to leftOn (or the end of employment HR recorded). The
// graduate is told, and an active claim is suspended so nothing more is
// paid. A claim has at most one live clawback: a proposed one is confirmed
// (ConfirmClawback), not raised again.
func (s *Service) RaiseClawback(ctx context.Context, actor talent.User, claimID, reason string, leftOn *time.Time) (Clawback, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return Clawback{}, err
	}
	reason, err := clawbackReason(reason, "reason")
	if err != nil {
		return Clawback{}, err
	}
	c, err := s.ClaimStore.Claim(ctx, claimID)
	if err != nil {
		return Clawback{}, err
	}
	left, err := s.leftOn(ctx, c.UserID, leftOn)
	if err != nil {
		return Clawback{}, err
	}
	return s.ClawbackStore.UpdateClawbacks(ctx, claimID, func(c *Claim, list []Clawback, paid int64) (ClawbackChange, error) {
		if c.UserID == actor.ID {
			return ClawbackChange{}, talent.Errorf(talent.KindForbidden, CodeOwnClaim, "nobody reclaims their own claim")
		}
		for _, k := range list {
			if k.Status != ClawbackCancelled {
				return ClawbackChange{}, talent.Errorf(talent.KindConflict, CodeClawbackExists, "the claim has a %s clawback", k.Status)
			}
		}
		k, why, err := s.terms(ctx, c, paid, left)
		if err != nil {
			return ClawbackChange{}, err
		}
		if why != (talent.Code{}) {
			return ClawbackChange{}, talent.Errorf(talent.KindConflict, why, "nothing to reclaim")
		}
		now := s.now()
		k.ID, k.Status, k.Reason, k.ProposedBy, k.CreatedAt, k.UpdatedAt = talent.NewID(), ClawbackOwed, reason, actor.ID, now, now
		k.DecidedBy, k.DecidedAt = actor.ID, &now
		return s.owed(c, &k, actor, "raise", now)
	})
}

// owed is the change that makes a clawback owed: the audit row, the
// graduate's notice, and the suspension of an active claim.
func (s *Service) owed(c *Claim, k *Clawback, actor talent.User, event string, now time.Time) (ClawbackChange, error) {
	change := ClawbackChange{Clawback: k,
		Audit: []talent.Audit{k.audit(actor, event, now, fmt.Sprintf("%d fen of %d paid; served %d of %d months", k.Amount, k.Paid, k.ServedMonths, k.ClawbackMonths))},
		Tasks: []talent.Task{talent.NotifyRequest{
			UserID: k.UserID, EventID: "clawback.raised:" + k.ID, Template: "clawback.raised",
			Params: map[string]string{"amount": talent.Yuan(k.Amount), "left": k.LeftOn.Format(time.DateOnly), "reason": k.Reason},
			Texts:  map[string]talent.Text{"package": talent.Text(k.Package.Name())}, Link: "anju://claims/" + k.ClaimID,
		}},
	}
	if c.Status == ClaimActive {
		suspend, err := s.transition(c, EventSuspend, actor, "clawback: "+k.Reason, now, StageNone, false)
		if err != nil {
			return ClawbackChange{}, err
		}
		suspend.SuspendPayments = true
		change.Claim = &suspend
	}
	return change, nil
}

func (k Clawback) audit(actor talent.User, event string, now time.Time, detail string) talent.Audit {
	return talent.Audit{At: now, ActorID: actor.ID, Entity: "clawback", EntityID: k.ID, Event: event, Detail: detail}
}

func clawbackReason(text, field string) (string, error) {
	text = strings.TrimSpace(text)
	if text == "" || utf8.RuneCountInString(text) > 500 {
		return "", talent.Field(field, talent.CodeTextLength)
	}
	return text, nil
}

// decideClawback runs fn on a clawback under its claim's lock.
func (s *Service) decideClawback(ctx context.Context, id string, fn func(c *Claim, k *Clawback, paid int64, now time.Time) (ClawbackChange, error)) (Clawback, error) {
	k, err := s.ClawbackStore.Clawback(ctx, id)
	if err != nil {
		return Clawback{}, err
	}
	return s.ClawbackStore.UpdateClawbacks(ctx, k.ClaimID, func(c *Claim, list []Clawback, paid int64) (ClawbackChange, error) {
		for i := range list {
			if list[i].ID == id {
				return fn(c, &list[i], paid, s.now())
			}
		}
		return ClawbackChange{}, talent.NotFound(CodeClawbackNotFound)
	})
}

// ConfirmClawback makes a proposed clawback owed with the reason the
// graduate reads (reviewer): the amount is computed again from what the
// claim has paid by now, the graduate is told and an active claim suspended.
func (s *Service) ConfirmClawback(ctx context.Context, actor talent.User, id, reason string) (Clawback, error) {
	return s.reviewClawback(ctx, actor, id, reason, ClawbackConfirm, func(c *Claim, k *Clawback, paid int64, reason string, now time.Time) (ClawbackChange, error) {
		terms, why, err := s.terms(ctx, c, paid, k.LeftOn)
		if err != nil {
			return ClawbackChange{}, err
		}
		if why != (talent.Code{}) {
			return ClawbackChange{}, talent.Errorf(talent.KindConflict, why, "nothing to reclaim any more")
		}
		k.Paid, k.Amount, k.ServedMonths, k.ClawbackMonths, k.FirstPaidOn = terms.Paid, terms.Amount, terms.ServedMonths, terms.ClawbackMonths, terms.FirstPaidOn
		k.Reason = reason
		return s.owed(c, k, actor, "confirm", now)
	})
}

// CancelClawback drops a proposed clawback with a reason (reviewer).
func (s *Service) CancelClawback(ctx context.Context, actor talent.User, id, reason string) (Clawback, error) {
	return s.reviewClawback(ctx, actor, id, reason, ClawbackCancel, func(_ *Claim, k *Clawback, _ int64, reason string, now time.Time) (ClawbackChange, error) {
		k.CancelReason = reason
		return ClawbackChange{Clawback: k, Audit: []talent.Audit{k.audit(actor, "cancel", now, reason)}}, nil
	})
}

// reviewClawback is a reviewer's decision ev on a proposed clawback, with
// the reason they give (trimmed for fn), never on their own claim; fn
// completes it.
func (s *Service) reviewClawback(ctx context.Context, actor talent.User, id, reason string, ev ClawbackEvent,
	fn func(c *Claim, k *Clawback, paid int64, reason string, now time.Time) (ClawbackChange, error)) (Clawback, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return Clawback{}, err
	}
	reason, err := clawbackReason(reason, "reason")
	if err != nil {
		return Clawback{}, err
	}
	return s.decideClawback(ctx, id, func(c *Claim, k *Clawback, paid int64, now time.Time) (ClawbackChange, error) {
		if c.UserID == actor.ID {
			return ClawbackChange{}, talent.Errorf(talent.KindForbidden, CodeOwnClaim, "nobody decides their own clawback")
		}
		if err := ClawbackTransitions.Apply(&k.Status, ev, CodeClawbackStatusConflict); err != nil {
			return ClawbackChange{}, err
		}
		k.DecidedBy, k.DecidedAt, k.UpdatedAt = actor.ID, &now, now
		return fn(c, k, paid, reason, now)
	})
}

// RepayClawback records that the graduate repaid an owed clawback
// (finance), with the bank's reference of the repayment if there is one.
// The graduate is told. Recording it again changes nothing.
func (s *Service) RepayClawback(ctx context.Context, actor talent.User, id, reference string) (Clawback, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return Clawback{}, err
	}
	reference = strings.TrimSpace(reference)
	if utf8.RuneCountInString(reference) > 64 {
		return Clawback{}, talent.Field("reference", talent.CodeTextTooLong)
	}
	return s.decideClawback(ctx, id, func(_ *Claim, k *Clawback, _ int64, now time.Time) (ClawbackChange, error) {
		if k.Status == ClawbackRepaid {
			return ClawbackChange{Clawback: k}, nil
		}
		if err := ClawbackTransitions.Apply(&k.Status, ClawbackRepay, CodeClawbackStatusConflict); err != nil {
			return ClawbackChange{}, err
		}
		k.RepaidBy, k.RepaidAt, k.RepaymentRef, k.UpdatedAt = actor.ID, &now, reference, now
		return ClawbackChange{Clawback: k,
			Audit: []talent.Audit{k.audit(actor, "repay", now, reference)},
			Tasks: []talent.Task{talent.NotifyRequest{
				UserID: k.UserID, EventID: "clawback.repaid:" + k.ID, Template: "clawback.repaid",
				Params: map[string]string{"amount": talent.Yuan(k.Amount)},
				Texts:  map[string]talent.Text{"package": talent.Text(k.Package.Name())}, Link: "anju://claims/" + k.ClaimID,
			}},
		}, nil
	})
}

// Clawbacks lists clawbacks newest first (finance, who collect them, and
// reviewers, who decide the proposed ones).
func (s *Service) Clawbacks(ctx context.Context, actor talent.User, f ClawbackFilter, page talent.Page) ([]Clawback, string, error) {
	if err := actor.Require(append([]talent.Role{talent.RoleFinance}, talent.ReviewRoles...)...); err != nil {
		return nil, "", err
	}
	return s.ClawbackStore.Clawbacks(ctx, f, page)
}

// ProposeClawbacks is the daily job that sees employment HR ended: for
// each claim that paid something to a graduate whose latest employment
// ended before the package's clawback_months passed since the first
// payment, it proposes a clawback for reviewers to confirm or cancel, and
// tells them.
func (s *Service) ProposeClawbacks(ctx context.Context) error {
	reviewers, err := s.Staff.UsersWithRole(ctx, talent.RoleReviewer)
	if err != nil {
		return err
	}
	return talent.Sweep(ctx, "clawbacks:propose", s.ClawbackStore.ClawbackCandidates, func(c Claim) string { return c.ID }, func(ctx context.Context, c Claim) error {
		emp, err := s.Employments.CurrentEmployment(ctx, c.UserID)
		if err != nil || emp.Status != talent.EmploymentEnded || emp.EndedOn == nil {
			if err != nil && talent.ErrorKind(err) != talent.KindNotFound {
				return err
			}
			return nil // back in work since, or never employed
		}
		left := policy.Civil(*emp.EndedOn)
		_, err = s.ClawbackStore.UpdateClawbacks(ctx, c.ID, func(c *Claim, list []Clawback, paid int64) (ClawbackChange, error) {
			if len(list) > 0 {
				return ClawbackChange{}, nil // proposed or decided since
			}
			k, why, err := s.terms(ctx, c, paid, left)
			if err != nil || why != (talent.Code{}) {
				return ClawbackChange{}, err
			}
			now := s.now()
			k.ID, k.Status, k.ProposedBy, k.CreatedAt, k.UpdatedAt = talent.NewID(), ClawbackProposed, talent.SystemID, now, now
			change := ClawbackChange{Clawback: &k, Audit: []talent.Audit{k.audit(talent.System, "propose",
				now, fmt.Sprintf("%d fen of %d paid; served %d of %d months", k.Amount, k.Paid, k.ServedMonths, k.ClawbackMonths))}}
			for _, uid := range reviewers {
				change.Tasks = append(change.Tasks, talent.NotifyRequest{
					UserID: uid, EventID: "clawback.proposed:" + k.ID, Template: "clawback.proposed",
					Params: map[string]string{"amount": talent.Yuan(k.Amount), "left": left.Format(time.DateOnly)},
					Texts:  map[string]talent.Text{"package": talent.Text(k.Package.Name())}, Link: "anju://review/clawbacks/" + k.ID,
				})
			}
			return change, nil
		})
		return err
	})
}
