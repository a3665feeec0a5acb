package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/xuri/excelize/v2"
)

const newBankAccount = "6222021234567890123"

// graduate signs up a graduate with a profile and an account; it returns
// the ID token and the Firebase uid.
func (in *instance) graduate(t *testing.T, profile map[string]any) (string, string) {
	t.Helper()
	uid, token, err := in.Emu.SignInWithPhone(context.Background(), randomPhone())
	if err != nil {
		t.Fatal(err)
	}
	if r := in.call(t, "PUT", "/v1/me", token, profile); r.Status != 200 {
		t.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	return token, uid
}

// paying stores a claim of the user in status with payments of amounts,
// as the approval would have left them: claims built through the whole
// review are TestClaimEndToEnd's; here they only need to exist.
func (in *instance) paying(t *testing.T, userID string, status allowance.ClaimStatus, paymentStatus allowance.PaymentStatus,
	firstPaid *time.Time, amounts ...int64) allowance.Claim {
	t.Helper()
	ctx := context.Background()
	now := time.Now().UTC()
	rec, err := in.DB.Profiles().Profile(ctx, userID)
	if err != nil {
		t.Fatal(err)
	}
	c := allowance.Claim{ID: talent.NewID(), UserID: userID, PersonIndex: rec.NationalIDIndex, Package: policy.Relocation, PolicyVersion: 1,
		Status: status, SubmittedAt: &now, FirstPaidAt: firstPaid, CreatedAt: now, UpdatedAt: now}
	if err := in.DB.Claims().CreateClaim(ctx, c); err != nil {
		t.Fatal(err)
	}
	var list []allowance.Payment
	for i, a := range amounts {
		list = append(list, allowance.Payment{ID: talent.NewID(), ClaimID: c.ID, UserID: userID, Seq: i + 1, Kind: "instalment",
			Amount: a, DueOn: policy.Civil(now), Status: paymentStatus, UpdatedAt: now})
	}
	if _, err := in.DB.Claims().UpdateClaim(ctx, c.ID, func(*allowance.Claim) (allowance.ClaimChange, error) {
		return allowance.ClaimChange{Touched: true, Payments: list}, nil
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

// returnFile sends the bank's return file for a batch as finance would.
func (in *instance) returnFile(t *testing.T, token, batchID, format string, body []byte) response {
	t.Helper()
	return in.postFile(t, token, "/v1/finance/batches/"+batchID+"/returns?format="+format, body)
}

type batchDetail struct {
	Batch struct {
		ID, Status   string
		Count        int
		Paid, Failed int
	}
	Lines []struct {
		Seq               int
		Name, BankAccount string
		Result, Reason    string
		Payment           struct{ ID, Status string }
	}
	Exports []struct{ Format, Sha256, ActorID string }
}

// TestFinanceEndToEnd: a batch made by one finance officer can be neither
// approved nor exported by that officer; a second one approves it; every
// export is the same file, even after the graduate changed the account
// (which needs a recent sign-in and tells the graduate); exports are
// recorded and logged; the bank's return file, sent twice, pays and fails
// the same payments once; a file with a bad row is refused whole.
func TestFinanceEndToEnd(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	maker, checker := in.staff(t, admin, "finance", ""), in.staff(t, admin, "finance", "")
	grad, uid := in.graduate(t, map[string]any{"name": "李明", "locale": "en",
		"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": testBankAccount}})
	gradID := in.userID(t, grad)
	in.paying(t, gradID, allowance.ClaimActive, allowance.PaymentDue, nil, 500000, 500000, 500000, 500000)

	r := in.call(t, "POST", "/v1/finance/batches", maker, nil, "Idempotency-Key", newKey())
	var batch struct {
		ID, Status string
		Count      int
	}
	r.json(t, &batch)
	if r.Status != 201 || batch.Status != "pending_approval" || batch.Count != 4 {
		t.Fatalf("batch: %d %s", r.Status, r.Body)
	}
	path := "/v1/finance/batches/" + batch.ID
	if r := in.call(t, "POST", path+"/approve", maker, nil); r.Status != 403 || r.problem(t).Code != "own_batch" {
		t.Fatalf("the maker approving: %d %s", r.Status, r.Body)
	}
	for _, who := range []string{maker, checker} {
		if r := in.call(t, "GET", path+"/export?format=csv", who, nil); r.Status != 409 || r.problem(t).Code != "batch_not_approved" {
			t.Fatalf("export before approval: %d %s", r.Status, r.Body)
		}
	}
	var pending struct{ Items []struct{ ID string } }
	in.call(t, "GET", "/v1/finance/batches?status=pending_approval", checker, nil).json(t, &pending)
	if len(pending.Items) != 1 || pending.Items[0].ID != batch.ID {
		t.Fatalf("batches waiting for approval: %+v", pending)
	}
	if r := in.call(t, "POST", path+"/approve", checker, nil); r.Status != 200 || !strings.Contains(string(r.Body), `"status":"approved"`) {
		t.Fatalf("approval: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "GET", path+"/export?format=csv", maker, nil); r.Status != 403 || r.problem(t).Code != "own_batch" {
		t.Fatalf("the maker exporting: %d %s", r.Status, r.Body)
	}
	first := in.call(t, "GET", path+"/export?format=csv", checker, nil)
	if first.Status != 200 || !strings.Contains(string(first.Body), testBankAccount) || first.Header.Get("X-Content-SHA256") != sha(first.Body) {
		t.Fatalf("export: %d %s", first.Status, first.Body)
	}
	xlsx := in.call(t, "GET", path+"/export", checker, nil)

	// Changing the account needs a sign-in within five minutes.
	change := map[string]any{"name": "李明", "locale": "en", "bankAccount": map[string]any{"bankName": "工商银行", "accountNumber": newBankAccount}}
	claims := in.Emu.Claims(uid)
	claims["auth_time"] = time.Now().Add(-10 * time.Minute).Unix()
	stale := in.Emu.UnsignedToken(claims)
	if r := in.call(t, "PUT", "/v1/me", stale, change); r.Status != 401 || r.problem(t).Code != "recent_sign_in_required" {
		t.Fatalf("an old sign-in changing the account: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "PUT", "/v1/me", grad, change); r.Status != 200 || !strings.Contains(string(r.Body), "***0123") {
		t.Fatalf("changing the account: %d %s", r.Status, r.Body)
	}
	again := in.call(t, "GET", path+"/export?format=csv", checker, nil)
	if !bytes.Equal(again.Body, first.Body) || strings.Contains(string(again.Body), newBankAccount) {
		t.Fatalf("the export after the account changed differs:\n%s\n%s", first.Body, again.Body)
	}
	if again := in.call(t, "GET", path+"/export", checker, nil); !bytes.Equal(again.Body, xlsx.Body) {
		t.Fatal("two XLSX exports differ")
	}
	var detail batchDetail
	in.call(t, "GET", path, checker, nil).json(t, &detail)
	if len(detail.Exports) != 4 || detail.Exports[0].Sha256 != sha(first.Body) || detail.Exports[2].Sha256 != sha(first.Body) ||
		detail.Exports[1].Format != "xlsx" || detail.Exports[1].Sha256 != sha(xlsx.Body) || detail.Exports[0].ActorID != in.userID(t, checker) {
		t.Fatalf("recorded exports: %+v", detail.Exports)
	}
	if !strings.HasSuffix(detail.Lines[0].BankAccount, "5678") {
		t.Fatalf("the batch shows the account of its day: %+v", detail.Lines[0])
	}
	var log struct {
		Items []struct{ What, ObjectID string }
	}
	in.call(t, "GET", "/v1/admin/access-log", admin, nil).json(t, &log)
	exports := 0
	for _, e := range log.Items {
		if e.What == "batch_export" && e.ObjectID == batch.ID {
			exports++
		}
	}
	if exports != 4 {
		t.Fatalf("%d exports in the access log", exports)
	}

	// The bank answers: three paid, one failed, in an XLSX file sent twice.
	book := excelize.NewFile()
	rows := [][]string{{"付款编号", "结果", "失败原因", "银行流水号"}}
	for i, l := range detail.Lines {
		if i < 3 {
			rows = append(rows, []string{l.Payment.ID, "成功", "", "SN" + l.Payment.ID[:8]})
		} else {
			rows = append(rows, []string{l.Payment.ID, "失败", "户名不符", ""})
		}
	}
	for i, row := range rows {
		_ = book.SetSheetRow(book.GetSheetName(0), "A"+string(rune('1'+i)), &row)
	}
	var file bytes.Buffer
	_ = book.Write(&file)
	r = in.returnFile(t, maker, batch.ID, "xlsx", file.Bytes())
	if r.Status != 201 || !strings.Contains(string(r.Body), `"paid":3`) || !strings.Contains(string(r.Body), `"changed":4`) {
		t.Fatalf("return file: %d %s", r.Status, r.Body)
	}
	var settled batchDetail
	in.call(t, "GET", path, checker, nil).json(t, &settled)
	r = in.returnFile(t, maker, batch.ID, "xlsx", file.Bytes())
	if r.Status != 200 || !strings.Contains(string(r.Body), `"repeated":true`) {
		t.Fatalf("the same file again: %d %s", r.Status, r.Body)
	}
	var twice batchDetail
	in.call(t, "GET", path, checker, nil).json(t, &twice)
	if settled.Batch.Status != "settled" || settled.Batch.Paid != 3 || settled.Batch.Failed != 1 || len(twice.Lines) != 4 {
		t.Fatalf("after the file: %+v", settled.Batch)
	}
	for i := range twice.Lines {
		if twice.Lines[i] != settled.Lines[i] {
			t.Fatalf("a second application changed line %d: %+v → %+v", i, settled.Lines[i], twice.Lines[i])
		}
	}
	if l := twice.Lines[3]; l.Result != "failed" || l.Reason != "户名不符" || l.Payment.Status != "failed" {
		t.Fatalf("the failed line: %+v", l)
	}
	bad := "reference,result,reason,serial\n" + detail.Lines[0].Payment.ID + ",paid,,SN1\n" + detail.Lines[1].Payment.ID + ",unknown,,\n"
	r = in.returnFile(t, maker, batch.ID, "csv", []byte(bad))
	if p := r.problem(t); r.Status != 422 || p.Code != "return_file_rejected" || p.field("rows[3].result") != "return_result_unknown" || len(p.Errors) != 1 {
		t.Fatalf("a file with a bad row: %d %s", r.Status, r.Body)
	}

	// The graduate heard of the change, the payments and the failure's reason.
	eventually(t, 20*time.Second, "the graduate's notices", func() bool {
		n := map[string]int{}
		for _, tpl := range in.inboxTemplates(t, grad) {
			n[tpl]++
		}
		return n["bank_account.changed"] == 1 && n["payment.paid"] == 3 && n["payment.failed"] == 1
	})
	var inbox struct {
		Items []struct{ Template, Body string }
	}
	in.call(t, "GET", "/v1/me/notifications", grad, nil).json(t, &inbox)
	for _, n := range inbox.Items {
		if n.Template == "payment.failed" && !strings.Contains(n.Body, "户名不符") {
			t.Fatalf("the failure notice lacks its reason: %s", n.Body)
		}
	}
	var rec struct {
		Approved, Paid, Scheduled int64
		Balanced                  bool
	}
	in.call(t, "GET", "/v1/finance/reconciliation", maker, nil).json(t, &rec)
	if rec.Approved != 2000000 || rec.Paid != 1500000 || rec.Scheduled != 500000 || !rec.Balanced {
		t.Fatalf("reconciliation: %+v", rec)
	}
}

// TestClawbackEndToEnd: HR records that a graduate paid a relocation
// allowance 20 months ago left; the daily job proposes a clawback of 16/36
// of it, a reviewer confirms it and the graduate is told; finance records
// the repayment, and reconciliation and the delivery statistics count it.
func TestClawbackEndToEnd(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)
	reviewer, finance := in.staff(t, admin, "reviewer", ""), in.staff(t, admin, "finance", "")
	grad, _ := in.graduate(t, map[string]any{"name": "李明", "locale": "en", "nationalId": testNationalID,
		"employer":    map[string]any{"name": "慈溪智造", "creditCode": creditCodeA},
		"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": testBankAccount}})
	var employment struct{ ID string }
	in.call(t, "GET", "/v1/me/employment", grad, nil).json(t, &employment)
	start := time.Now().AddDate(-2, 0, 0).Format("2006-01") + "-01"
	if r := in.call(t, "POST", "/v1/hr/employments/"+employment.ID+"/confirm", hr, map[string]any{"contractStart": start,
		"contractEnd": time.Now().AddDate(1, 0, 0).Format(time.DateOnly), "socialInsuranceStart": start}); r.Status != 200 {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	// Paid first 20 months ago to the day, in Shanghai, where months are counted.
	firstPaid := policy.AddMonths(policy.Civil(time.Now()), -20).Add(4 * time.Hour)
	c := in.paying(t, in.userID(t, grad), allowance.ClaimCompleted, allowance.PaymentPaid, &firstPaid, 1500000, 1500000)

	in.runJob(t, "clawbacks:propose") // still employed: nothing
	today := time.Now().In(time.FixedZone("Asia/Shanghai", 8*3600)).Format(time.DateOnly)
	if r := in.call(t, "POST", "/v1/hr/employments/"+employment.ID+"/end", hr, map[string]any{"endedOn": today}); r.Status != 200 {
		t.Fatalf("end: %d %s", r.Status, r.Body)
	}
	in.runJob(t, "clawbacks:propose")
	type clawback struct {
		ID, ClaimID, Status          string
		Amount, Paid                 int64
		ServedMonths, ClawbackMonths int
	}
	var list struct{ Items []clawback }
	eventually(t, 20*time.Second, "a proposed clawback", func() bool {
		in.call(t, "GET", "/v1/finance/clawbacks?status=proposed", reviewer, nil).json(t, &list)
		return len(list.Items) == 1
	})
	k := list.Items[0]
	if k.ClaimID != c.ID || k.Paid != 3000000 || k.ServedMonths != 20 || k.ClawbackMonths != 36 || k.Amount != 1333333 {
		t.Fatalf("proposal: %+v", k)
	}
	decision := map[string]any{"reason": "未满服务期离开本市就业"}
	if r := in.call(t, "POST", "/v1/review/clawbacks/"+k.ID+"/confirm", finance, decision); r.Status != 403 {
		t.Fatalf("finance confirming: %d", r.Status)
	}
	r := in.call(t, "POST", "/v1/review/clawbacks/"+k.ID+"/confirm", reviewer, decision)
	if r.Status != 200 || !strings.Contains(string(r.Body), `"status":"owed"`) {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/review/claims/"+c.ID+"/clawbacks", reviewer, decision, "Idempotency-Key", newKey()); r.Status != 409 ||
		r.problem(t).Code != "clawback_exists" {
		t.Fatalf("a second clawback: %d %s", r.Status, r.Body)
	}
	eventually(t, 20*time.Second, "the graduate told", func() bool {
		var inbox struct {
			Items []struct{ Template, Body string }
		}
		in.call(t, "GET", "/v1/me/notifications", grad, nil).json(t, &inbox)
		for _, n := range inbox.Items {
			if n.Template == "clawback.raised" {
				return strings.Contains(n.Body, "¥13333.33") && strings.Contains(n.Body, decision["reason"].(string))
			}
		}
		return false
	})
	var rec struct {
		Paid, ClawbackOwed, ClawedBack int64
		Balanced                       bool
	}
	in.call(t, "GET", "/v1/finance/reconciliation", finance, nil).json(t, &rec)
	if rec.Paid != 3000000 || rec.ClawbackOwed != 1333333 || rec.ClawedBack != 0 || !rec.Balanced {
		t.Fatalf("reconciliation while owed: %+v", rec)
	}
	if r := in.call(t, "POST", "/v1/finance/clawbacks/"+k.ID+"/repaid", reviewer, map[string]any{}); r.Status != 403 {
		t.Fatalf("a reviewer recording the repayment: %d", r.Status)
	}
	if r := in.call(t, "POST", "/v1/finance/clawbacks/"+k.ID+"/repaid", finance, map[string]any{"reference": "HX0001"}); r.Status != 200 ||
		!strings.Contains(string(r.Body), `"status":"repaid"`) {
		t.Fatalf("repaid: %d %s", r.Status, r.Body)
	}
	in.call(t, "GET", "/v1/finance/reconciliation", finance, nil).json(t, &rec)
	if rec.ClawbackOwed != 0 || rec.ClawedBack != 1333333 || !rec.Balanced {
		t.Fatalf("reconciliation after repayment: %+v", rec)
	}
	now := time.Now().In(time.FixedZone("Asia/Shanghai", 8*3600))
	var stats struct {
		Items []struct {
			Package                      string
			Clawbacks                    int
			ClawbackOwed, ClawbackRepaid int64
		}
	}
	in.call(t, "GET", "/v1/stats/delivery?from="+now.Format(time.DateOnly)+"&to="+now.AddDate(0, 0, 1).Format(time.DateOnly), finance, nil).json(t, &stats)
	if len(stats.Items) != 1 || stats.Items[0].Clawbacks != 1 || stats.Items[0].ClawbackRepaid != 1333333 {
		t.Fatalf("delivery stats: %+v", stats)
	}
	var public struct {
		Items []struct {
			Clawbacks      int
			ClawbackRepaid int64
		}
	}
	in.call(t, "GET", "/v1/public/stats/delivery?from="+today+"&to="+today, "", nil).json(t, &public)
	if len(public.Items) != 1 || public.Items[0].Clawbacks != 1 || public.Items[0].ClawbackRepaid != 1333333 {
		t.Fatalf("public delivery stats: %+v", public)
	}
	eventually(t, 20*time.Second, "the repayment told", func() bool {
		for _, tpl := range in.inboxTemplates(t, grad) {
			if tpl == "clawback.repaid" {
				return true
			}
		}
		return false
	})
}
