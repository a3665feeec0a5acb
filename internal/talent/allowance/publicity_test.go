package allowance_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
)

// approved takes a claim through review to approval by reviewer.
func (b bundle) approved(t *testing.T, reviewer talent.User) allowance.Claim {
	t.Helper()
	c := b.underReview(t)
	a, err := b.svc.Approve(context.Background(), reviewer, c.ID, "材料齐全")
	if err != nil {
		t.Fatal(err)
	}
	return a
}

// listed returns the claim's entry on the public notice, if it is listed.
func (b bundle) listed(t *testing.T, id string) (talent.Entry, bool) {
	t.Helper()
	list, _, err := b.app.Publicity.Listed(context.Background(), talent.EntryClaim, talent.Page{})
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range list {
		if e.ID == id {
			return e, true
		}
	}
	return talent.Entry{}, false
}

// An approval goes on notice, masked. An objection holds its payment past
// the end of the notice; only a reviewer other than the approver decides
// it; dismissed, the claim is paid once the notice is over.
func TestObjectionHoldsPaymentUntilDismissed(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	approver := b.staffMember(t, "approver", talent.RoleReviewer)
	other := b.staffMember(t, "other", talent.RoleReviewer)
	neighbour, _ := b.db.Users().SignIn(ctx, "neighbour", false)
	c := b.approved(t, approver)

	e, ok := b.listed(t, c.ID)
	if !ok || e.Person != "李*（0423）" || e.Employer != "慈溪智造" || e.Amount != c.Decision.Entitlement.Total ||
		!e.EndsAt.Equal(*c.NoticeUntil) || strings.Contains(e.Person, "李明") {
		t.Fatalf("entry: %+v %v", e, ok)
	}
	if _, err := b.app.Publicity.Object(ctx, neighbour, c.ID, "短"); talent.ErrorKind(err) != talent.KindInvalid {
		t.Fatalf("an objection without reasons: %v", err)
	}
	o, err := b.app.Publicity.Object(ctx, neighbour, c.ID, "申请人并未在该单位实际工作")
	if err != nil || o.Status != talent.ObjectionOpen {
		t.Fatalf("object: %+v %v", o, err)
	}
	if e, _ := b.listed(t, c.ID); e.Status != talent.EntryObjected {
		t.Fatalf("objected entry: %+v", e)
	}

	// The notice ends, but the objection is open: nothing is paid.
	b.clock.T = c.NoticeUntil.Add(time.Hour)
	if err := b.svc.EndNotices(ctx); err != nil {
		t.Fatal(err)
	}
	if now, _ := b.db.Claims().Claim(ctx, c.ID); now.Status != allowance.ClaimApproved || len(b.payments(t, c.ID)) != 0 {
		t.Fatalf("paid despite an open objection: %+v", now)
	}
	if _, ok := b.listed(t, c.ID); !ok {
		t.Fatal("an objected entry stays listed past its end")
	}

	for name, who := range map[string]talent.User{"the approver": approver, "the graduate": b.grad, "the objector": neighbour} {
		if _, err := b.app.Publicity.Resolve(ctx, who, talent.EntryClaim, o.ID, false, "不予采纳"); talent.ErrorKind(err) != talent.KindForbidden {
			t.Errorf("%s deciding the objection: %v", name, err)
		}
	}
	if _, err := b.app.Publicity.Resolve(ctx, other, talent.EntryRound, o.ID, false, "不予采纳"); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("a reviewer deciding it as housing: %v", err)
	}
	d, err := b.app.Publicity.Resolve(ctx, other, talent.EntryClaim, o.ID, false, "经核实，社保缴纳记录真实")
	if err != nil || d.Status != talent.ObjectionDismissed || d.ResolvedBy != other.ID {
		t.Fatalf("dismiss: %+v %v", d, err)
	}
	if _, err := b.app.Publicity.Resolve(ctx, other, talent.EntryClaim, o.ID, true, "改判"); !talent.HasCode(err, talent.CodeObjectionResolved) {
		t.Fatalf("deciding it twice: %v", err)
	}
	if err := b.svc.EndNotices(ctx); err != nil {
		t.Fatal(err)
	}
	paid, _ := b.db.Claims().Claim(ctx, c.ID)
	if paid.Status != allowance.ClaimActive || len(b.payments(t, c.ID)) == 0 {
		t.Fatalf("after the dismissal and the notice: %+v", paid)
	}
	if _, ok := b.listed(t, c.ID); ok {
		t.Fatal("an ended entry is still listed")
	}
	if _, err := b.app.Publicity.Object(ctx, neighbour, c.ID, "公示期后再提异议"); !talent.HasCode(err, talent.CodeNoticeClosed) {
		t.Fatalf("objecting after the notice: %v", err)
	}
}

// An upheld objection sends the claim back to review by the reviewer who
// upheld it, decides the other open objections with it and takes the entry
// off the notice; nothing is paid.
func TestUpheldObjectionReopensReview(t *testing.T) {
	t.Parallel()
	b := setup(t)
	ctx := context.Background()
	approver := b.staffMember(t, "approver", talent.RoleReviewer)
	lead := b.staffMember(t, "lead", talent.RoleLeadReviewer)
	first, _ := b.db.Users().SignIn(ctx, "first", false)
	second, _ := b.db.Users().SignIn(ctx, "second", false)
	c := b.approved(t, approver)
	o1, err := b.app.Publicity.Object(ctx, first, c.ID, "该毕业生在本市已有住房")
	if err != nil {
		t.Fatal(err)
	}
	o2, err := b.app.Publicity.Object(ctx, second, c.ID, "学历证书与学信网记录不符")
	if err != nil {
		t.Fatal(err)
	}
	open, _, err := b.app.Publicity.Objections(ctx, lead, talent.EntryClaim, "", talent.Page{})
	if err != nil || len(open) != 2 || open[0].Objection.ID != o1.ID || open[0].Entry.ID != c.ID {
		t.Fatalf("open objections: %+v %v", open, err)
	}
	if _, _, err := b.app.Publicity.Objections(ctx, b.grad, talent.EntryClaim, "", talent.Page{}); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("a graduate listing objections: %v", err)
	}
	if _, err := b.app.Publicity.Resolve(ctx, lead, talent.EntryClaim, o2.ID, true, "学历存疑，重新审核"); err != nil {
		t.Fatal(err)
	}
	back, _ := b.db.Claims().Claim(ctx, c.ID)
	if back.Status != allowance.ClaimUnderReview || back.Stage != allowance.StageReview || back.AssigneeID != lead.ID ||
		back.NoticeUntil != nil || back.ObjectionsOpen != 0 || len(b.payments(t, c.ID)) != 0 {
		t.Fatalf("reopened claim: %+v", back)
	}
	upheld, _, _ := b.app.Publicity.Objections(ctx, lead, talent.EntryClaim, talent.ObjectionUpheld, talent.Page{})
	if len(upheld) != 2 {
		t.Fatalf("both objections are upheld: %+v", upheld)
	}
	if _, ok := b.listed(t, c.ID); ok {
		t.Fatal("a withdrawn entry is still listed")
	}
	// Approved again, it goes on notice again.
	again, err := b.svc.Approve(ctx, lead, c.ID, "复核通过")
	if err != nil || again.Status != allowance.ClaimApproved {
		t.Fatalf("approve again: %+v %v", again, err)
	}
	if e, ok := b.listed(t, c.ID); !ok || e.Status != talent.EntryOpen {
		t.Fatalf("on notice again: %+v %v", e, ok)
	}
}
