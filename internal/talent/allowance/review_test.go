package allowance_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
)

// staffMember signs a user in with a role.
func (b bundle) staffMember(t *testing.T, uid string, role talent.Role) talent.User {
	t.Helper()
	ctx := context.Background()
	u, err := b.db.Users().SignIn(ctx, uid, false)
	if err != nil {
		t.Fatal(err)
	}
	if u, err = b.db.Users().GrantRole(ctx, u.ID, talent.RoleGrant{Role: role}, ""); err != nil {
		t.Fatal(err)
	}
	return u
}

// underReview takes a relocation claim of the graduate's through
// submission and evaluation, every document accepted.
func (b bundle) underReview(t *testing.T) allowance.Claim {
	t.Helper()
	ctx := context.Background()
	pkg, err := b.app.Catalog.Package(ctx, policy.Relocation, 1)
	if err != nil {
		t.Fatal(err)
	}
	var docs []string
	for _, kind := range pkg.Documents.Required {
		d := talent.Document{ID: talent.NewID(), OwnerID: b.grad.ID, Kind: kind, ContentType: "application/pdf", Size: 100,
			SHA256: strings.Repeat("0", 64), ObjectKey: "documents/" + talent.NewID(), Status: talent.DocAccepted, CreatedAt: b.clock.T, UpdatedAt: b.clock.T}
		if err := b.db.Documents().CreateDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
		docs = append(docs, d.ID)
	}
	c, err := b.svc.CreateClaim(ctx, b.grad, policy.Relocation, allowance.Declarations{})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := b.svc.AttachDocuments(ctx, b.grad, c.ID, docs); err != nil {
		t.Fatal(err)
	}
	return b.resubmit(t, c.ID)
}

// resubmit submits a draft or returned claim and runs the evaluation.
func (b bundle) resubmit(t *testing.T, id string) allowance.Claim {
	t.Helper()
	ctx := context.Background()
	if _, err := b.svc.Submit(ctx, b.grad, id); err != nil {
		t.Fatal(err)
	}
	if err := b.svc.Evaluate(ctx, id); err != nil {
		t.Fatal(err)
	}
	c, err := b.db.Claims().Claim(ctx, id)
	if err != nil || c.Status != allowance.ClaimUnderReview || c.Decision == nil || c.Decision.Outcome != policy.Eligible {
		t.Fatalf("evaluated claim: %+v %v", c, err)
	}
	return c
}

var diplomaIllegible = []allowance.ReturnItem{{Target: "documents.diploma", Code: "illegible"}}

// A claim is returned twice at most. While it is with the graduate the
// review deadline stands still: back from supplement it resumes, later by
// exactly the time the graduate took. The policy version stays the one it
// was first submitted under.
func TestReturnPausesTheReviewDeadline(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	reviewer := b.staffMember(t, "reviewer", talent.RoleReviewer)
	c := b.underReview(t)
	due := *c.DueAt

	b.clock.T = b.clock.T.Add(26 * time.Hour)
	r, err := b.svc.Return(ctx, reviewer, c.ID, diplomaIllegible)
	if err != nil {
		t.Fatal(err)
	}
	window := b.app.Allowance.Calendar.AddWorkingDays(b.clock.T, 10)
	if r.Status != allowance.ClaimReturned || r.Stage != allowance.StageSupplement || r.DueAt == nil || !r.DueAt.Equal(window) ||
		r.Returns != 1 || r.AssigneeID != reviewer.ID || len(r.ReturnItems) != 1 || !r.PausedDueAt.Equal(due) {
		t.Fatalf("returned: %+v", r)
	}
	// The graduate may change declarations and documents only now.
	if _, err := b.svc.UpdateDeclarations(ctx, b.grad, c.ID, allowance.Declarations{PublicRentalHousing: false, TopSchool: true}); err != nil {
		t.Fatalf("updating a returned claim: %v", err)
	}
	if _, err := b.svc.UpdateDeclarations(ctx, reviewer, c.ID, allowance.Declarations{}); talent.ErrorKind(err) != talent.KindNotFound {
		t.Fatalf("someone else updating it: %v", err)
	}

	b.clock.T = b.clock.T.Add(3 * 24 * time.Hour)
	back := b.resubmit(t, c.ID)
	if want := due.Add(3 * 24 * time.Hour); !back.DueAt.Equal(want) || back.PausedDueAt != nil || back.PolicyVersion != 1 ||
		!back.SubmittedAt.Equal(*c.SubmittedAt) {
		t.Fatalf("back from the first return: due %v, want %v; %+v", back.DueAt, want, back)
	}

	if _, err := b.svc.Return(ctx, reviewer, c.ID, diplomaIllegible); err != nil {
		t.Fatal(err)
	}
	b.clock.T = b.clock.T.Add(5 * time.Hour)
	back = b.resubmit(t, c.ID)
	if want := due.Add(3*24*time.Hour + 5*time.Hour); !back.DueAt.Equal(want) || back.Returns != 2 {
		t.Fatalf("back from the second return: due %v, want %v", back.DueAt, want)
	}

	// A third return is refused and changes nothing: the reviewer decides.
	if _, err := b.svc.Return(ctx, reviewer, c.ID, diplomaIllegible); !talent.HasCode(err, allowance.CodeReturnLimit) {
		t.Fatalf("a third return: %v", err)
	}
	if now, _ := b.db.Claims().Claim(ctx, c.ID); now.Status != allowance.ClaimUnderReview || now.Returns != 2 {
		t.Fatalf("after a refused return: %+v", now)
	}
	approved, err := b.svc.Approve(ctx, reviewer, c.ID, "材料齐全")
	if err != nil || approved.Status != allowance.ClaimApproved || approved.NoticeUntil == nil || approved.DecidedBy != reviewer.ID {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	audit, _ := b.db.Claims().ClaimAudit(ctx, c.ID)
	var events []string
	for _, a := range audit {
		events = append(events, string(a.Event))
	}
	want := "submit evaluate return submit evaluate return submit evaluate approve"
	if got := strings.Join(events, " "); got != want {
		t.Fatalf("audit: %s, want %s", got, want)
	}
}

// Items must name what is at fault and why; a bad list is refused whole.
func TestReturnItemsAreChecked(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	reviewer := b.staffMember(t, "reviewer", talent.RoleReviewer)
	c := b.underReview(t)
	for name, items := range map[string][]allowance.ReturnItem{
		"none":           nil,
		"unknown target": {{Target: "documents.passport", Code: "missing"}},
		"unknown code":   {{Target: "documents.diploma", Code: "ugly"}},
		"no reason":      {{Target: "documents.diploma"}},
	} {
		if _, err := b.svc.Return(ctx, reviewer, c.ID, items); talent.ErrorKind(err) != talent.KindInvalid {
			t.Errorf("%s: %v", name, err)
		}
	}
	ok := []allowance.ReturnItem{{Target: "declarations.monthlyRent", Text: talent.Text{ZH: "请提供租房合同", EN: "Attach the lease"}}}
	if _, err := b.svc.Return(ctx, b.grad, c.ID, ok); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("the graduate returning their own claim: %v", err)
	}
	if r, err := b.svc.Return(ctx, reviewer, c.ID, ok); err != nil || r.ReturnItems[0].Text.EN != "Attach the lease" {
		t.Fatalf("a return in words: %+v %v", r, err)
	}
}

// A returned claim the graduate does not answer in the window lapses, with
// notice, and no longer blocks a new claim to the package.
func TestUnansweredReturnLapses(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	reviewer := b.staffMember(t, "reviewer", talent.RoleReviewer)
	c := b.underReview(t)
	r, err := b.svc.Return(ctx, reviewer, c.ID, diplomaIllegible)
	if err != nil {
		t.Fatal(err)
	}
	b.clock.T = r.DueAt.Add(-time.Minute)
	if err := b.svc.LapseReturns(ctx); err != nil {
		t.Fatal(err)
	}
	if now, _ := b.db.Claims().Claim(ctx, c.ID); now.Status != allowance.ClaimReturned {
		t.Fatalf("before the window ends: %s", now.Status)
	}
	b.clock.T = r.DueAt.Add(time.Minute)
	if err := b.svc.LapseReturns(ctx); err != nil {
		t.Fatal(err)
	}
	lapsed, _ := b.db.Claims().Claim(ctx, c.ID)
	if lapsed.Status != allowance.ClaimLapsed || lapsed.DueAt != nil {
		t.Fatalf("after the window: %+v", lapsed)
	}
	if _, err := b.svc.Submit(ctx, b.grad, c.ID); talent.ErrorKind(err) != talent.KindConflict {
		t.Fatalf("submitting a lapsed claim: %v", err)
	}
	if _, err := b.svc.CreateClaim(ctx, b.grad, policy.Relocation, allowance.Declarations{}); err != nil {
		t.Fatalf("a new claim after a lapse: %v", err)
	}
	audit, _ := b.db.Claims().ClaimAudit(ctx, c.ID)
	if last := audit[len(audit)-1]; last.Event != allowance.EventLapse || last.ActorID != talent.System.ID {
		t.Fatalf("the lapse is audited: %+v", last)
	}
}

// A reviewer takes a claim by deciding it or by taking it; another reviewer
// may not decide it until they take it over, which the audit records; only
// a lead reviewer gives a claim to someone else, and only to a reviewer.
func TestAssignment(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	first := b.staffMember(t, "first", talent.RoleReviewer)
	second := b.staffMember(t, "second", talent.RoleReviewer)
	lead := b.staffMember(t, "lead", talent.RoleLeadReviewer)
	finance := b.staffMember(t, "finance", talent.RoleFinance)
	c := b.underReview(t)

	if got, err := b.svc.Assign(ctx, first, c.ID, "", false); err != nil || got.AssigneeID != first.ID {
		t.Fatalf("take: %+v %v", got, err)
	}
	_, err := b.svc.Approve(ctx, second, c.ID, "")
	if !talent.HasCode(err, allowance.CodeClaimAssigned) || talent.ErrorKind(err) != talent.KindConflict {
		t.Fatalf("deciding another's claim: %v", err)
	}
	var te *talent.Error
	if !errors.As(err, &te) || te.Params["assigneeId"] != first.ID {
		t.Fatalf("the conflict names the holder: %+v", te)
	}
	if _, err := b.svc.Assign(ctx, second, c.ID, "", false); !talent.HasCode(err, allowance.CodeClaimAssigned) {
		t.Fatalf("taking without takeOver: %v", err)
	}
	if _, err := b.svc.Assign(ctx, second, c.ID, first.ID, false); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("a reviewer assigning to someone: %v", err)
	}
	if _, err := b.svc.Assign(ctx, lead, c.ID, finance.ID, true); talent.ErrorKind(err) != talent.KindInvalid {
		t.Fatalf("assigning to finance: %v", err)
	}
	if _, err := b.svc.Assign(ctx, finance, c.ID, "", false); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("finance taking a claim: %v", err)
	}
	if got, err := b.svc.Assign(ctx, second, c.ID, "", true); err != nil || got.AssigneeID != second.ID {
		t.Fatalf("take over: %+v %v", got, err)
	}
	if got, err := b.svc.Assign(ctx, lead, c.ID, first.ID, true); err != nil || got.AssigneeID != first.ID {
		t.Fatalf("lead gives it back: %+v %v", got, err)
	}
	audit, _ := b.db.Claims().ClaimAudit(ctx, c.ID)
	var events []string
	for _, a := range audit {
		if a.Event == allowance.EventAssign || a.Event == allowance.EventTakeOver {
			events = append(events, string(a.Event)+":"+a.ActorID)
		}
	}
	if got, want := strings.Join(events, " "), "assign:"+first.ID+" take_over:"+second.ID+" take_over:"+lead.ID; got != want {
		t.Fatalf("assignment audit: %s, want %s", got, want)
	}
	// The queue filters by holder.
	mine, _, err := b.svc.Queue(ctx, first, allowance.QueueFilter{Assignee: "me"}, "", talent.Page{})
	if err != nil || len(mine) != 1 {
		t.Fatalf("my queue: %+v %v", mine, err)
	}
	free, _, _ := b.svc.Queue(ctx, first, allowance.QueueFilter{Assignee: allowance.AssigneeNone}, "", talent.Page{})
	if len(free) != 0 {
		t.Fatalf("unassigned: %+v", free)
	}
}
