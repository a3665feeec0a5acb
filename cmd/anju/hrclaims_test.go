package main

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/testenv"
)

// employeeClaims is GET /v1/hr/claims as these tests read it.
type employeeClaims struct {
	Items []struct {
		ID, GraduateName, NationalID, Package, Status, EmploymentStatus string
		SubmittedAt, DecidedAt                                          string
		NextStep                                                        struct{ Name, Actor string }
		NextPayment                                                     *struct{ Status, DueOn string }
	}
	NextCursor string
}

func (e employeeClaims) names() []string {
	var out []string
	for _, c := range e.Items {
		out = append(out, c.GraduateName)
	}
	slices.Sort(out)
	return out
}

// hiredGraduate signs up a graduate with a national ID number and a bank
// account who declares the employer of the credit code; hr (when given)
// confirms the employment. It returns the graduate's token and the
// employment's id.
func (in *instance) hiredGraduate(t *testing.T, name, nationalID, creditCode, hr string) (string, string) {
	t.Helper()
	token, _ := in.graduate(t, map[string]any{"name": name, "nationalId": nationalID, "hukouPlace": "江西省南昌市",
		"education":   []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
		"employer":    map[string]any{"name": name + "的单位", "creditCode": creditCode},
		"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": testBankAccount}})
	var job struct{ ID string }
	in.call(t, "GET", "/v1/me/employment", token, nil).json(t, &job)
	if hr != "" {
		if r := in.call(t, "POST", "/v1/hr/employments/"+job.ID+"/confirm", hr,
			map[string]any{"contractStart": "2025-07-15", "contractEnd": "2028-07-14", "socialInsuranceStart": "2025-08-01"}); r.Status != 200 {
			t.Fatalf("confirm %s: %d %s", name, r.Status, r.Body)
		}
	}
	return token, job.ID
}

// TestEmployeeClaims: an employer's HR and admin list the submitted claims
// of the people employed there (confirmed or still pending), with the
// graduate masked and the next payment's status and date but no amount or
// bank detail; drafts, people who left and another employer's people are
// not listed, and HR of another employer sees none of them. Filters and
// paging hold; nobody outside the employer's office may list.
func TestEmployeeClaims(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var empA, empB struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &empA)
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "海曙新材料", "creditCode": creditCodeB}, "Idempotency-Key", newKey()).json(t, &empB)
	hrA, hrB := in.staff(t, admin, "hr", empA.ID), in.staff(t, admin, "hr", empB.ID)
	adminA := in.staff(t, admin, "employer_admin", empA.ID)

	// At A: 李明 with a claim under review (and a draft of another
	// package), 王芳 paid by instalments (the next one scheduled), 赵强
	// whose claim waits for A to confirm the employment, 孙丽 who left.
	li, _ := in.hiredGraduate(t, "李明", testNationalID, creditCodeA, hrA)
	in.claimUnderReview(t, applicant{token: li, name: "李明", nationalID: testNationalID}, false)
	if r := in.call(t, "POST", "/v1/claims", li, map[string]any{"package": "living", "declarations": map[string]any{}}, "Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("draft: %d %s", r.Status, r.Body)
	}
	wang, _ := in.hiredGraduate(t, "王芳", testenv.NationalID(11), creditCodeA, hrA)
	in.paying(t, in.userID(t, wang), allowance.ClaimActive, allowance.PaymentScheduled, nil, 1234567, 7654321)
	zhao, _ := in.hiredGraduate(t, "赵强", testenv.NationalID(12), creditCodeA, "")
	in.paying(t, in.userID(t, zhao), allowance.ClaimAwaitingEmployer, allowance.PaymentScheduled, nil)
	sun, sunJob := in.hiredGraduate(t, "孙丽", testenv.NationalID(13), creditCodeA, hrA)
	in.paying(t, in.userID(t, sun), allowance.ClaimActive, allowance.PaymentDue, nil, 100000)
	if r := in.call(t, "POST", "/v1/hr/employments/"+sunJob+"/end", hrA, map[string]any{"endedOn": "2026-01-31"}); r.Status != 200 {
		t.Fatalf("end: %d %s", r.Status, r.Body)
	}
	// At B: 周敏, paid.
	zhou, _ := in.hiredGraduate(t, "周敏", testenv.NationalID(14), creditCodeB, hrB)
	in.paying(t, in.userID(t, zhou), allowance.ClaimActive, allowance.PaymentDue, nil, 200000)

	list := func(token, query string) (employeeClaims, response) {
		t.Helper()
		r := in.call(t, "GET", "/v1/hr/claims"+query, token, nil)
		if r.Status != 200 {
			t.Fatalf("GET /v1/hr/claims%s: %d %s", query, r.Status, r.Body)
		}
		var page employeeClaims
		r.json(t, &page)
		return page, r
	}
	for _, who := range []string{hrA, adminA} {
		page, r := list(who, "")
		if got := page.names(); !slices.Equal(got, []string{"李明", "王芳", "赵强"}) {
			t.Fatalf("A's office lists %v, want its three people's submitted claims", got)
		}
		for _, bad := range []string{"1234567", "12345.67", testBankAccount, "amount", "bank", "reason", testNationalID} {
			if strings.Contains(string(r.Body), bad) {
				t.Errorf("A's list shows %q: %s", bad, r.Body)
			}
		}
		for _, c := range page.Items {
			if c.NationalID == "" || !strings.Contains(c.NationalID, "*") || c.SubmittedAt == "" || c.NextStep.Actor == "" {
				t.Errorf("item %+v: want a masked ID number, the submission and the next step", c)
			}
			switch c.GraduateName {
			case "王芳":
				if c.Status != "active" || c.EmploymentStatus != "confirmed" || c.NextPayment == nil || c.NextPayment.Status != "scheduled" || c.NextPayment.DueOn == "" {
					t.Errorf("王芳's claim: %+v (next payment %+v)", c, c.NextPayment)
				}
			case "赵强":
				if c.Status != "awaiting_employer" || c.EmploymentStatus != "pending" || c.NextStep.Actor != "employer" || c.NextPayment != nil {
					t.Errorf("赵强's claim: %+v", c)
				}
			case "李明":
				if c.Status != "under_review" || c.Package != "relocation" || c.NextStep.Name != "review" {
					t.Errorf("李明's claim: %+v", c)
				}
			}
		}
	}
	// HR of B sees B's person and none of A's; A's sees none of B's.
	if page, _ := list(hrB, ""); !slices.Equal(page.names(), []string{"周敏"}) {
		t.Errorf("HR of B lists %v", page.names())
	}

	// Filters and paging.
	if page, _ := list(hrA, "?status=active"); !slices.Equal(page.names(), []string{"王芳"}) {
		t.Errorf("status=active lists %v", page.names())
	}
	if page, _ := list(hrA, "?package=rent"); len(page.Items) != 0 {
		t.Errorf("package=rent lists %v", page.names())
	}
	first, _ := list(hrA, "?limit=2")
	if len(first.Items) != 2 || first.NextCursor == "" {
		t.Fatalf("first page of 2: %+v", first)
	}
	second, _ := list(hrA, "?limit=2&cursor="+first.NextCursor)
	if len(second.Items) != 1 || second.NextCursor != "" || slices.Contains(first.names(), second.Items[0].GraduateName) {
		t.Errorf("second page: %+v after %v", second, first.names())
	}
	at := func(s string) time.Time {
		v, err := time.Parse(time.RFC3339Nano, s)
		if err != nil {
			t.Fatalf("submittedAt %q: %v", s, err)
		}
		return v
	}
	if at(first.Items[0].SubmittedAt).Before(at(first.Items[1].SubmittedAt)) || at(first.Items[1].SubmittedAt).Before(at(second.Items[0].SubmittedAt)) {
		t.Errorf("not newest submission first: %v, %v", first.Items, second.Items)
	}
	if r := in.call(t, "GET", "/v1/hr/claims?cursor=not-a-cursor", hrA, nil); r.Status != 400 && r.Status != 422 {
		t.Errorf("a bad cursor: %d %s", r.Status, r.Body)
	}

	// Nobody else: a graduate, the review office, finance, a city admin.
	for who, token := range map[string]string{"graduate": li, "reviewer": in.staff(t, admin, "reviewer", ""),
		"finance": in.staff(t, admin, "finance", ""), "admin": admin} {
		if r := in.call(t, "GET", "/v1/hr/claims", token, nil); r.Status != 403 {
			t.Errorf("%s listing employees' claims: %d %s", who, r.Status, r.Body)
		}
	}
}
