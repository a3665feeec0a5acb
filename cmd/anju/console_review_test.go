package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/anju-city/anju/internal/testenv"
)

// proposedClawback stores a clawback of a paid claim as the daily job
// (clawbacks:propose) proposes one; TestClawbacks runs the job itself.
func (in *instance) proposedClawback(t *testing.T, c allowance.Claim, firstPaid time.Time) string {
	t.Helper()
	now := time.Now().UTC()
	left := policy.Civil(now)
	k, err := in.DB.Clawbacks().UpdateClawbacks(context.Background(), c.ID, func(_ *allowance.Claim, _ []allowance.Clawback, paid int64) (allowance.ClawbackChange, error) {
		amount, served := allowance.ClawbackAmount(paid, policy.Civil(firstPaid), left, 36)
		return allowance.ClawbackChange{Clawback: &allowance.Clawback{ID: talent.NewID(), ClaimID: c.ID, UserID: c.UserID, Package: c.Package,
			Status: allowance.ClawbackProposed, Paid: paid, Amount: amount, ServedMonths: served, ClawbackMonths: 36,
			FirstPaidOn: policy.Civil(firstPaid), LeftOn: left, ProposedBy: talent.SystemID, CreatedAt: now, UpdatedAt: now}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return k.ID
}

// clickInRow clicks, by script, the button matching button in the table
// row that holds an element matching marker; it retries until the row is
// there (the list may be reloading).
func (p *page) clickInRow(marker, button string) {
	p.t.Helper()
	p.clickWhenReady(button+" in the row of "+marker, "(() => { const m = document.querySelector(`"+marker+"`); "+
		"return m && m.closest('tr') && m.closest('tr').querySelector(`"+button+"`); })()")
}

// clear empties an input as a user would, so that v-model sees it.
func clear(sel string) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := chromedp.Evaluate[bool](`(() => {
			const e = document.querySelector(`+"`"+sel+"`"+`);
			e.value = '';
			e.dispatchEvent(new Event('input', { bubbles: true }));
			return true;
		})()`)(ctx, t)
		return chromedp.Void{}, err
	}
}

// fillDialog types text into the open dialog's field and presses its
// submit button, once the dialog has animated in.
func (p *page) fillDialog(field, text, submit string) {
	p.t.Helper()
	p.run("filling "+field,
		chromedp.WaitVisible(chromedp.CSS(field)),
		chromedp.SendKeys(chromedp.CSS(field), text),
		chromedp.Click(chromedp.CSS(submit)),
	)
	p.waitGone(submit)
}

// TestConsoleReviewObjectionsAndClawbacks: a reviewer other than the
// approver dismisses an objection to an approval on notice, from the list
// that links to the claim; then confirms one proposed clawback and cancels
// another, each with its reason; the API has each decided so.
func TestConsoleReviewObjectionsAndClawbacks(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)
	approver := in.staff(t, admin, "reviewer", "")
	reviewerEmail, reviewer := in.staffAccount(t, admin, "reviewer", "")

	// Li's claim, approved by the first reviewer: on notice, objected to.
	li := in.employedApplicant(t, hr, "李明", testNationalID)
	claimID := in.claimUnderReview(t, li, false)
	if r := in.call(t, "POST", "/v1/review/claims/"+claimID+"/approve", approver, map[string]any{}); r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	var objection struct{ ID string }
	r := in.call(t, "POST", "/v1/publicity/"+claimID+"/objections", in.signUp(t), map[string]any{"reasons": "申请人实际在宁波工作"}, "Idempotency-Key", newKey())
	r.json(t, &objection)
	if r.Status != 201 {
		t.Fatalf("object: %d %s", r.Status, r.Body)
	}

	// Two paid claims whose graduates left: two proposals.
	firstPaid := policy.AddMonths(policy.Civil(time.Now()), -20).Add(4 * time.Hour)
	proposal := func(n int, name string) (string, string) {
		token, _ := in.graduate(t, map[string]any{"name": name, "locale": "zh-CN", "nationalId": testenv.NationalID(n)})
		c := in.paying(t, in.userID(t, token), allowance.ClaimCompleted, allowance.PaymentPaid, &firstPaid, 1500000, 1500000)
		return c.ID, in.proposedClawback(t, c, firstPaid)
	}
	confirmClaim, confirmID := proposal(401, "王芳")
	cancelClaim, cancelID := proposal(402, "赵磊")

	b := in.browser(t, "reviewer")
	b.signIn("/review/objections", reviewerEmail)
	b.waitText(`[data-test=objections]`, "申请人实际在宁波工作")
	b.waitStatus(`[data-test=objections]`, "open")
	b.screenshot("objections")
	href, err := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.querySelector('[data-test=objection-claim]').getAttribute('href')`))
	if err != nil || !strings.HasSuffix(href, "/console/claims/"+claimID) {
		t.Errorf("the objection links to %q, want the claim %s", href, claimID)
	}
	// The reviewer who decides it (not the approver) opens the claim first.
	b.run("opening the claim objected to", chromedp.Click(chromedp.CSS(`[data-test=objection-claim]`)))
	b.waitStatus(`[data-test=claim-status]`, "approved")
	b.run("back to the objections", chromedp.Navigate(in.URL+"/console/review/objections"), chromedp.WaitVisible(chromedp.CSS(`[data-test=objections]`)))
	b.waitStatus(`[data-test=objections]`, "open")
	b.clickInRow(`[data-test=objection-reasons]`, `[data-test=dismiss]`)
	b.fillDialog(`textarea[data-test=resolution]`, "经核实申请人在本市参保，异议不成立", `[data-test=resolve-confirm]`)
	waitFor(t, "the objection dismissed", func() (bool, string) {
		r := in.call(t, "GET", "/v1/review/objections?status=dismissed", reviewer, nil)
		var page struct {
			Items []struct {
				Objection struct{ ID, Status, Resolution string }
			}
		}
		r.json(t, &page)
		return len(page.Items) == 1 && page.Items[0].Objection.ID == objection.ID &&
			page.Items[0].Objection.Resolution == "经核实申请人在本市参保，异议不成立", string(r.Body)
	})
	b.waitGone(`[data-test=objection-reasons]`)

	// Clawbacks: confirm one, cancel the other.
	b.run("opening the clawbacks", chromedp.Navigate(in.URL+"/console/review/clawbacks"), chromedp.WaitVisible(chromedp.CSS(`[data-test=review-clawbacks]`)))
	b.waitStatus(`[data-test=review-clawbacks]`, "proposed")
	b.run("waiting for both", chromedp.WaitVisible(chromedp.CSS(`a[data-claim="`+confirmClaim+`"]`)), chromedp.WaitVisible(chromedp.CSS(`a[data-claim="`+cancelClaim+`"]`)))
	b.screenshot("clawbacks")
	b.clickInRow(`a[data-claim="`+confirmClaim+`"]`, `[data-test=clawback-confirm]`)
	b.fillDialog(`textarea[data-test=clawback-reason]`, "未满服务期离开本市就业", `[data-test=clawback-decide]`)
	b.waitGone(`a[data-claim="` + confirmClaim + `"]`)
	b.clickInRow(`a[data-claim="`+cancelClaim+`"]`, `[data-test=clawback-cancel]`)
	b.fillDialog(`textarea[data-test=clawback-reason]`, "已在本市重新就业", `[data-test=clawback-decide]`)
	b.waitGone(`a[data-claim="` + cancelClaim + `"]`)

	decided := func(status string) map[string]struct{ Reason, CancelReason string } {
		var page struct {
			Items []struct{ ID, Reason, CancelReason string }
		}
		in.call(t, "GET", "/v1/finance/clawbacks?status="+status, reviewer, nil).json(t, &page)
		out := map[string]struct{ Reason, CancelReason string }{}
		for _, k := range page.Items {
			out[k.ID] = struct{ Reason, CancelReason string }{k.Reason, k.CancelReason}
		}
		return out
	}
	if k, ok := decided("owed")[confirmID]; !ok || k.Reason != "未满服务期离开本市就业" {
		t.Errorf("the confirmed clawback: %+v (found %v)", k, ok)
	}
	if k, ok := decided("cancelled")[cancelID]; !ok || k.CancelReason != "已在本市重新就业" {
		t.Errorf("the cancelled clawback: %+v (found %v)", k, ok)
	}
	if left := decided("proposed"); len(left) != 0 {
		t.Errorf("proposals left: %+v", left)
	}
	b.noCSPViolations()
}

// TestConsoleAdminSearchAndPolicies: an admin finds a person by the start
// of the name and by the whole national ID number (masked in the list),
// opens them, follows the link to the access log and sees the search
// recorded there as a view of their data; a policy version shows the
// clauses it cites, and a bad version to publish shows its errors.
func TestConsoleAdminSearchAndPolicies(t *testing.T) {
	t.Parallel()
	in, bootstrap := withAdmin(t)
	adminEmail, admin := in.staffAccount(t, bootstrap, "admin", "")
	id := testenv.NationalID(501)
	tokenA, _ := in.graduate(t, map[string]any{"name": "欧阳明", "locale": "zh-CN", "nationalId": id, "phone": "13912345678"})
	in.graduate(t, map[string]any{"name": "欧阳华", "locale": "zh-CN", "nationalId": testenv.NationalID(502)})
	userA := in.userID(t, tokenA)
	masked := id[:4] + "**********" + id[14:]

	a := in.browser(t, "admin")
	a.signIn("/admin/users", adminEmail)
	search := func(q string) {
		t.Helper()
		a.run("searching "+q,
			chromedp.WaitVisible(chromedp.CSS(`#user-search`)),
			clear(`#user-search`),
			chromedp.SendKeys(chromedp.CSS(`#user-search`), q),
			chromedp.Click(chromedp.CSS(`[data-test=user-find]`)),
		)
	}
	search("欧阳")
	a.waitText(`[data-test=user-hits]`, "欧阳华")
	a.waitText(`[data-test=user-hits]`, "欧阳明")
	search(id)
	waitFor(t, "only the person with that number listed", func() (bool, string) {
		s := a.text(`[data-test=user-hits]`)
		return strings.Contains(s, "欧阳明") && strings.Contains(s, masked) && !strings.Contains(s, "欧阳华"), s
	})
	if s := a.text(`[data-test=user-hits]`); strings.Contains(s, id) || strings.Contains(s, "13912345678") {
		t.Errorf("the list shows a number in clear: %q", s)
	}
	a.screenshot("user-search")
	a.clickInRow(`[data-test=user-hits] tbody tr`, `[data-test=user-open]`)
	a.waitText(`[data-test=user-opened]`, userA)
	a.waitText(`[data-test=user-roles]`, "毕业生")
	a.run("opening the access log", chromedp.Click(chromedp.CSS(`[data-test=user-access-log]`)), chromedp.WaitVisible(chromedp.CSS(`[data-test=access-log]`)))
	a.waitText(`[data-test=access-log]`, "用户搜索")
	a.waitText(`[data-test=access-log]`, in.userID(t, admin))
	a.screenshot("access-log")
	var log struct {
		Items []struct{ ActorID, SubjectID, What string }
	}
	in.call(t, "GET", "/v1/admin/access-log?subjectId="+userA, admin, nil).json(t, &log)
	if len(log.Items) < 2 || log.Items[0].What != "user_search" || log.Items[0].ActorID != in.userID(t, admin) {
		t.Errorf("access log of the person searched: %+v", log.Items)
	}

	// A version's clauses, by part, and its YAML.
	a.run("opening the policies", chromedp.Navigate(in.URL+"/console/admin/policies"), chromedp.WaitVisible(chromedp.CSS(`[data-test=policies]`)))
	a.clickInRow(`[data-test=policy-open-relocation-1]`, `[data-test=policy-open-relocation-1]`)
	a.waitText(`[data-test=policy-opened]`, "v1")
	a.waitText(`[data-test=clauses-parameter]`, "clawback_months")
	a.waitText(`[data-test=clauses-parameter]`, "第九条")
	a.waitText(`[data-test=clauses-rule]`, "第三条")
	a.waitText(`[data-test=clauses-documents]`, "diploma")
	a.screenshot("policy")
	// Publishing the same version again is refused with its reason.
	a.run("starting from it", chromedp.Click(chromedp.CSS(`[data-test=policy-start-next]`)))
	a.run("publishing a bad version",
		clear(`textarea[aria-label="policy YAML"]`),
		chromedp.SendKeys(chromedp.CSS(`textarea[aria-label="policy YAML"]`), "id: relocation\nversion: 1\n"),
		chromedp.Click(chromedp.CSS(`[data-test=policy-publish]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-test=policy-errors]`)),
	)
	if s := a.text(`[data-test=policy-errors]`); !strings.Contains(s, "title") && !strings.Contains(s, "effectiveFrom") {
		t.Errorf("the errors of a bad version: %q", s)
	}
	a.noCSPViolations()
}
