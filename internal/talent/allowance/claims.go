package allowance

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// RejectCodes are the reasons a reviewer may give, each with free text.
var RejectCodes = []string{
	"ineligible",         // 不符合政策条件
	"documents_invalid",  // 材料不合格
	"information_false",  // 申报信息不实
	"duplicate_benefit",  // 重复享受或互斥待遇
	"employment_unclear", // 就业情况无法确认
	"other",              // 其他
}

// CreateClaim starts a draft claim of a package that is open today. The
// profile must hold a national ID number: it is what makes a claim one per
// person.
func (s *Service) CreateClaim(ctx context.Context, actor talent.User, pkg policy.ID, decl Declarations) (Claim, error) {
	person, err := s.People.Person(ctx, actor.ID)
	if err != nil {
		return Claim{}, err
	}
	if person.PersonIndex == "" {
		return Claim{}, talent.Field("profile.nationalId", talent.CodeRequired)
	}
	open, err := s.Catalog.Open(ctx)
	if err != nil {
		return Claim{}, err
	}
	if !slices.ContainsFunc(open, func(p policy.Package) bool { return p.ID == pkg }) {
		return Claim{}, talent.Field("package", policy.CodePackageClosed)
	}
	if decl.MonthlyRent < 0 {
		return Claim{}, talent.Field("declarations.monthlyRent", talent.CodeRange)
	}
	now := s.now()
	c := Claim{ID: talent.NewID(), UserID: actor.ID, PersonIndex: person.PersonIndex, Package: pkg,
		Status: ClaimDraft, Declarations: decl, CreatedAt: now, UpdatedAt: now}
	return c, s.ClaimStore.CreateClaim(ctx, c)
}

// Prefill prepares a draft claim of pkg for a graduate whose employer filed
// them among its new hires, for them to complete with documents. It
// returns the draft, or the graduate's own live claim of pkg when there is
// one already; "" when the package is closed to new claims or the person
// claimed it from another account.
func (s *Service) Prefill(ctx context.Context, user talent.User, pkg policy.ID) (string, error) {
	c, err := s.CreateClaim(ctx, user, pkg, Declarations{})
	switch {
	case err == nil:
		return c.ID, nil
	case talent.HasCode(err, policy.CodePackageClosed):
		return "", nil
	case !talent.HasCode(err, CodeClaimExists):
		return "", err
	}
	mine, _, err := s.ClaimStore.Claims(ctx, user.ID, talent.Page{Limit: 100})
	for _, c := range mine {
		if c.Package == pkg && c.Status != ClaimWithdrawn && c.Status != ClaimLapsed {
			return c.ID, err
		}
	}
	return "", err
}

// ClaimView is a claim with what its owner or a reviewer sees beside it.
type ClaimView struct {
	Claim
	Documents []talent.Document
	Audit     []ClaimAudit
	Payments  []Payment
}

// Claim returns a claim to its owner or to staff who decide or pay claims.
func (s *Service) Claim(ctx context.Context, actor talent.User, id string) (ClaimView, error) {
	c, err := s.ClaimStore.Claim(ctx, id)
	if err != nil {
		return ClaimView{}, err
	}
	if c.UserID != actor.ID && !InWork(actor, c) {
		return ClaimView{}, talent.NotFound(CodeClaimNotFound)
	}
	v := ClaimView{Claim: c}
	if v.Documents, err = s.ClaimStore.ClaimDocuments(ctx, id); err != nil {
		return ClaimView{}, err
	}
	if v.Audit, err = s.ClaimStore.ClaimAudit(ctx, id); err != nil {
		return ClaimView{}, err
	}
	v.Payments, err = s.PaymentStore.Payments(ctx, id)
	return v, err
}

// inReview are the statuses of a claim on the review side of the office.
var inReview = []ClaimStatus{ClaimSubmitted, ClaimAwaitingEmployer, ClaimUnderReview, ClaimReturned}

// payable are the statuses of a claim with money to pay or paid.
var payable = []ClaimStatus{ClaimApproved, ClaimActive, ClaimSuspended, ClaimCompleted}

// InWork says whether claim c is in the work of staff member actor: the
// only claims whose detail, evaluation trace and documents staff may read.
//   - a reviewer: claims in review that nobody has taken or they have,
//     the claims they decided (an appeal or objection comes back to them),
//     and a claim with an objection open, which a reviewer other than the
//     one who approved it decides;
//   - a lead reviewer: every claim in review, since they assign them;
//   - finance: claims with money to pay or paid (approved, active,
//     suspended, completed), the ones batches and payments are made of.
//
// Any other staff role, and an admin as such, sees none.
func InWork(actor talent.User, c Claim) bool {
	switch {
	case actor.Has(talent.RoleLeadReviewer) && (slices.Contains(inReview, c.Status) || c.DecidedBy == actor.ID):
		return true
	case actor.Has(talent.RoleReviewer) && (c.DecidedBy == actor.ID || c.ObjectionsOpen > 0 ||
		slices.Contains(inReview, c.Status) && (c.AssigneeID == "" || c.AssigneeID == actor.ID)):
		return true
	case actor.Has(talent.RoleFinance) && slices.Contains(payable, c.Status):
		return true
	}
	return false
}

// DocumentInWork says whether staff member actor may read document id:
// it is linked to a claim in their work (InWork).
func (s *Service) DocumentInWork(ctx context.Context, actor talent.User, id string) (bool, error) {
	claims, err := s.ClaimStore.DocumentClaims(ctx, id)
	if err != nil {
		return false, err
	}
	return slices.ContainsFunc(claims, func(c Claim) bool { return InWork(actor, c) }), nil
}

// Claims lists the caller's claims.
func (s *Service) Claims(ctx context.Context, actor talent.User, page talent.Page) ([]Claim, string, error) {
	return s.ClaimStore.Claims(ctx, actor.ID, page)
}

// AttachDocuments links the caller's documents to a draft claim, to one
// returned for supplement, or to a rejected one that is about to be
// appealed with extra documents.
func (s *Service) AttachDocuments(ctx context.Context, actor talent.User, id string, documentIDs []string) (ClaimView, error) {
	if c, err := s.ClaimStore.Claim(ctx, id); err != nil || c.UserID != actor.ID {
		return ClaimView{}, talent.NotFound(CodeClaimNotFound)
	}
	var fields []talent.FieldError
	for i, docID := range documentIDs {
		field := "documentIds[" + strconv.Itoa(i) + "]"
		d, err := s.Documents.Document(ctx, docID)
		switch {
		case talent.ErrorKind(err) == talent.KindNotFound || err == nil && d.OwnerID != actor.ID:
			fields = append(fields, talent.FieldError{Field: field, Code: talent.CodeDocumentNotFound})
		case err != nil:
			return ClaimView{}, err
		case d.Status == talent.DocRejected:
			fields = append(fields, talent.FieldError{Field: field, Code: CodeDocumentRejected})
		}
	}
	if len(fields) > 0 {
		return ClaimView{}, talent.Invalid(fields...)
	}
	// Under the claim's row lock, so a concurrent submit sees all or none.
	_, err := s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if c.UserID != actor.ID {
			return ClaimChange{}, talent.NotFound(CodeClaimNotFound)
		}
		appealable := c.Status == ClaimRejected && !c.Appealed
		if c.Status != ClaimDraft && c.Status != ClaimReturned && !appealable {
			return ClaimChange{}, talent.Errorf(talent.KindConflict, CodeClaimStatusConflict, "documents can be added to a draft, a returned claim or before an appeal")
		}
		return ClaimChange{AttachDocuments: documentIDs, Touched: true}, nil
	})
	if err != nil {
		return ClaimView{}, err
	}
	return s.Claim(ctx, actor, id)
}

// Submit sends a draft for decision under the package version in force
// today. Everything missing (documents, profile facts) is reported at once.
func (s *Service) Submit(ctx context.Context, actor talent.User, id string) (Claim, error) {
	c, err := s.ClaimStore.Claim(ctx, id)
	if err != nil {
		return Claim{}, err
	}
	// A claim is decided under the version in force when it was first
	// submitted; one returned for supplement keeps it, even if the package
	// has closed to new claims since.
	var pkg policy.Package
	open := true
	if c.PolicyVersion > 0 {
		pkg, err = s.Catalog.Package(ctx, c.Package, c.PolicyVersion)
	} else {
		pkg, open, err = s.Catalog.InForce(ctx, c.Package, s.now())
	}
	if err != nil {
		return Claim{}, err
	}
	docs, err := s.ClaimStore.ClaimDocuments(ctx, id)
	if err != nil {
		return Claim{}, err
	}
	person, err := s.People.Person(ctx, actor.ID)
	if err != nil {
		return Claim{}, err
	}
	_, empErr := s.Employments.CurrentEmployment(ctx, actor.ID)
	if empErr != nil && talent.ErrorKind(empErr) != talent.KindNotFound {
		return Claim{}, empErr
	}
	return s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if c.UserID != actor.ID {
			return ClaimChange{}, talent.NotFound(CodeClaimNotFound)
		}
		if c.Status != ClaimDraft && c.Status != ClaimReturned {
			return ClaimChange{}, talent.Errorf(talent.KindConflict, CodeClaimStatusConflict, "only a draft or a returned claim can be submitted")
		}
		if !open {
			return ClaimChange{}, talent.Field("package", policy.CodePackageClosed)
		}
		var missing []talent.FieldError
		for _, kind := range pkg.Documents.Required {
			if !slices.ContainsFunc(docs, func(d talent.Document) bool { return d.Kind == kind && d.Status != talent.DocRejected }) {
				missing = append(missing, talent.FieldError{Field: "documents." + string(kind), Code: CodeDocumentMissing})
			}
		}
		if len(person.Education) == 0 {
			missing = append(missing, talent.FieldError{Field: "profile.education", Code: talent.CodeRequired})
		}
		if person.HukouPlace == "" {
			missing = append(missing, talent.FieldError{Field: "profile.hukouPlace", Code: talent.CodeRequired})
		}
		if empErr != nil {
			missing = append(missing, talent.FieldError{Field: "profile.employer", Code: talent.CodeRequired})
		}
		if len(missing) > 0 {
			return ClaimChange{}, &talent.Error{Kind: talent.KindInvalid, Code: CodeClaimIncomplete, Message: "the claim is incomplete", Fields: missing}
		}
		c.PolicyVersion = pkg.Version
		return s.transition(c, EventSubmit, actor, "", s.now(), StageDocument, true)
	})
}

// Withdraw gives a claim up.
func (s *Service) Withdraw(ctx context.Context, actor talent.User, id string) (Claim, error) {
	return s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		return s.transition(c, EventWithdraw, actor, "", s.now(), StageNone, false)
	})
}

// Appeal asks, once, for a rejected claim to be decided again, under the
// same policy version, with the documents attached since.
func (s *Service) Appeal(ctx context.Context, actor talent.User, id, reason string) (Claim, error) {
	return s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		c.RejectCode, c.RejectReason = "", ""
		return s.transition(c, EventAppeal, actor, reason, s.now(), StageDocument, true)
	})
}

// transition applies an event, moves the claim to a stage with its
// deadline, and returns the audit row, the graduate's notification and,
// when evaluate is set, the eligibility task.
func (s *Service) transition(c *Claim, ev ClaimEvent, actor talent.User, reason string, now time.Time, stage Stage, evaluate bool) (ClaimChange, error) {
	audit, err := c.Apply(ev, actor, reason, now)
	if err != nil {
		return ClaimChange{}, err
	}
	c.Stage, c.DueAt, c.EscalatedAt = stage, s.due(stage, now), nil
	change := ClaimChange{Audit: []ClaimAudit{audit}}
	change.Tasks = append(change.Tasks, talent.NotifyRequest{
		UserID: c.UserID, EventID: "claim." + string(c.Status) + ":" + c.ID + ":" + now.Format(time.RFC3339Nano),
		Template: "claim.status", Texts: map[string]talent.Text{"package": talent.Text(c.Package.Name()), "status": statusNames[c.Status]},
		Link: "anju://claims/" + c.ID,
	})
	if evaluate {
		change.Tasks = append(change.Tasks, EvaluateClaim{ClaimID: c.ID})
	}
	return change, nil
}

// Evaluate is the eligibility worker: it gathers the facts, evaluates the
// package version the claim was submitted under, records the decision and
// its trace, and moves the claim on to review, or to wait for the employer
// when employment is not confirmed yet. A redelivered task changes nothing.
func (s *Service) Evaluate(ctx context.Context, id string) error {
	c, err := s.ClaimStore.Claim(ctx, id)
	if err != nil {
		return err
	}
	if c.Status != ClaimSubmitted {
		return nil
	}
	pkg, err := s.Catalog.Package(ctx, c.Package, c.PolicyVersion)
	if err != nil {
		return err
	}
	facts, waiting, employerID, err := s.gather(ctx, c)
	if err != nil {
		return err
	}
	decision := policy.Evaluate(pkg, facts)
	_, err = s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if c.Status != ClaimSubmitted {
			return ClaimChange{}, nil
		}
		c.Decision, c.EmployerID = &decision, employerID
		now := s.now()
		if waiting {
			return s.transition(c, EventWaitForEmployer, talent.System, "", now, StageEmployer, false)
		}
		change, err := s.transition(c, EventEvaluate, talent.System, string(decision.Outcome), now, StageReview, false)
		if err == nil && c.PausedDueAt != nil && c.ReturnedAt != nil {
			// Back from a return: the review deadline resumes where it was
			// paused, later by the time the claim was with the graduate.
			due := c.PausedDueAt.Add(now.Sub(*c.ReturnedAt))
			c.DueAt, c.PausedDueAt = &due, nil
		}
		return change, err
	})
	return err
}

// EmploymentDecided moves a user's claims that wait for the employer back
// to evaluation once HR has answered.
func (s *Service) EmploymentDecided(ctx context.Context, userID string) error {
	ids, err := s.ClaimStore.ClaimsAwaitingEmployer(ctx, userID)
	if err != nil {
		return err
	}
	for _, id := range ids {
		_, err := s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
			if c.Status != ClaimAwaitingEmployer {
				return ClaimChange{}, nil
			}
			return s.transition(c, EventEmployerConfirmed, talent.System, "", s.now(), StageDocument, true)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

// Approve grants a claim under review (reviewer). The approval goes on
// public notice (公示) for the package's publicity_days: nothing is paid
// until the notice ends with no objection upheld (EndNotices). A package
// without a notice starts paying at once.
func (s *Service) Approve(ctx context.Context, actor talent.User, id, note string) (Claim, error) {
	c, err := s.ClaimStore.Claim(ctx, id)
	if err != nil {
		return Claim{}, err
	}
	var pkg policy.Package
	if c.PolicyVersion > 0 {
		if pkg, err = s.Catalog.Package(ctx, c.Package, c.PolicyVersion); err != nil {
			return Claim{}, err
		}
	}
	person, err := s.People.Person(ctx, c.UserID)
	if err != nil {
		return Claim{}, err
	}
	return s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if err := decide(c, actor); err != nil {
			return ClaimChange{}, err
		}
		now := s.now()
		change, err := s.transition(c, EventApprove, actor, note, now, StageNone, false)
		if err != nil {
			return ClaimChange{}, err
		}
		// Checked after the transition so that who may approve is answered
		// first; returning an error writes nothing.
		if c.Decision == nil || c.Decision.Outcome == policy.Ineligible {
			return ClaimChange{}, talent.Errorf(talent.KindConflict, CodeClaimIneligible, "an ineligible claim is rejected, not approved")
		}
		if len(schedule(c, now)) == 0 {
			return ClaimChange{}, talent.Errorf(talent.KindConflict, CodeClaimNothingToPay, "the decision gives no amount to pay")
		}
		days := figure(pkg, "publicity_days", defaultPublicityDays)
		if days == 0 {
			return s.activate(c, change, now)
		}
		until := s.Calendar.AddWorkingDays(now, days)
		c.NoticeUntil = &until
		employer := ""
		if person.Employer != nil {
			employer = person.Employer.Name
		}
		change.Entry = &talent.Entry{ID: c.ID, Kind: talent.EntryClaim, Person: talent.MaskPerson(person.Name, person.NationalIDMasked),
			Employer: employer, Package: string(c.Package), Amount: c.Decision.Entitlement.Total, StartsAt: now, EndsAt: until,
			Status: talent.EntryOpen, CreatedAt: now}
		return change, nil
	})
}

// activate starts paying an approved claim: its schedule is created and
// finance's deadline starts when a first payment is due now.
func (s *Service) activate(c *Claim, change ClaimChange, now time.Time) (ClaimChange, error) {
	payments := schedule(c, now)
	stage := StageNone
	if len(payments) > 0 && !payments[0].DueOn.After(policy.Civil(now)) {
		stage = StagePayment // a first payment is due now: finance has its deadline
	}
	more, err := s.transition(c, EventActivate, talent.System, "", now, stage, false)
	if err != nil {
		return ClaimChange{}, err
	}
	change.Audit, change.Tasks = append(change.Audit, more.Audit...), append(change.Tasks, more.Tasks...)
	change.Payments = payments
	return change, nil
}

// EndNotices starts paying the approvals whose public notice ended with no
// objection open (periodic job).
func (s *Service) EndNotices(ctx context.Context) error {
	start := s.now()
	return talent.SweepIDs(ctx, "claims:end_notices",
		func(ctx context.Context, after string) ([]string, error) {
			return s.ClaimStore.NoticesDue(ctx, start, after)
		},
		func(ctx context.Context, id string) error {
			_, err := s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
				now := s.now()
				if c.Status != ClaimApproved || c.ObjectionsOpen > 0 || c.NoticeUntil == nil || c.NoticeUntil.After(now) {
					return ClaimChange{}, nil // objected to, or reopened, since the list was read
				}
				return s.activate(c, ClaimChange{EntryEvent: talent.EntryEnd}, now)
			})
			return err
		})
}

// Reject refuses a claim under review with a reason code and text (reviewer).
func (s *Service) Reject(ctx context.Context, actor talent.User, id, code, reason string) (Claim, error) {
	if !slices.Contains(RejectCodes, code) {
		return Claim{}, talent.Field("code", CodeRejectCodeUnknown)
	}
	return s.ClaimStore.UpdateClaim(ctx, id, func(c *Claim) (ClaimChange, error) {
		if err := decide(c, actor); err != nil {
			return ClaimChange{}, err
		}
		change, err := s.transition(c, EventReject, actor, strings.TrimSpace(code+": "+reason), s.now(), StageNone, false)
		if err == nil {
			c.RejectCode, c.RejectReason = code, strings.TrimSpace(reason)
		}
		return change, err
	})
}
