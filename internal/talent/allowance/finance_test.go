package allowance_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/testenv"
)

const (
	firstAccount  = "6217856100012345678"
	secondAccount = "6222021234567890123"
)

// finance is a bundle with two finance officers and a graduate with a
// bank account set long enough ago (a first account is not held).
type finance struct {
	bundle
	maker, checker talent.User
	// payees are the graduates paid besides the first, made by due.
	payees *[]talent.User
}

func setupFinance(t *testing.T) finance {
	t.Helper()
	b := setup(t)
	f := finance{bundle: b, maker: b.staffMember(t, "maker", talent.RoleFinance), checker: b.staffMember(t, "checker", talent.RoleFinance),
		payees: new([]talent.User)}
	f.setAccount(t, firstAccount)
	return f
}

// setAccount puts an account in the profiles of the graduate and of every
// payee, signed in just now.
func (f finance) setAccount(t *testing.T, account string) {
	t.Helper()
	grad := f.grad
	grad.AuthTime = f.clock.T
	_, err := f.app.Account.UpdateProfile(context.Background(), grad, talent.ProfileInput{Name: "李明", HukouPlace: "江西省南昌市",
		Education: []talent.Education{{Level: talent.LevelMaster, Institution: "南昌大学", FullTime: true,
			GraduationDate: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}},
		Employer: &talent.EmployerDeclaration{Name: "慈溪智造", CreditCode: "91330282MA2H3B8K4N"},
		BankName: "中国银行慈溪支行", BankAccount: account})
	if err != nil {
		t.Fatal(err)
	}
	for i, u := range *f.payees {
		f.payeeAccount(t, u, i, account)
	}
}

// payeeAccount gives a payee a profile with an ID number and an account.
func (f finance) payeeAccount(t *testing.T, u talent.User, i int, account string) {
	t.Helper()
	u.AuthTime = f.clock.T
	if _, err := f.app.Account.UpdateProfile(context.Background(), u, talent.ProfileInput{Name: "王芳",
		NationalID: testenv.NationalID(100 + i), BankName: "中国银行慈溪支行", BankAccount: account}); err != nil {
		t.Fatal(err)
	}
}

// due stores n active claims with one payment due each: the graduate's,
// then payees'.
func (f finance) due(t *testing.T, n int, amount int64) []allowance.Claim {
	t.Helper()
	today := time.Date(2026, 11, 25, 0, 0, 0, 0, time.UTC)
	out := make([]allowance.Claim, n)
	for i := range out {
		payment := allowance.Payment{Kind: "instalment", Amount: amount, DueOn: today, Status: allowance.PaymentDue}
		if i == 0 {
			out[i] = f.claim(t, allowance.ClaimActive, nil, payment)
			continue
		}
		// One claim of a package per person: the others are other people's.
		u, err := f.db.Users().SignIn(context.Background(), fmt.Sprintf("payee-%d", len(*f.payees)), false)
		if err != nil {
			t.Fatal(err)
		}
		f.payeeAccount(t, u, len(*f.payees), firstAccount)
		*f.payees = append(*f.payees, u)
		out[i] = f.claimOf(t, u.ID, allowance.ClaimActive, nil, payment)
	}
	return out
}

// render is a bank file as tests read it: a line per payment.
func render(_ allowance.Batch, lines []allowance.BatchLine) ([]byte, error) {
	var sb strings.Builder
	for _, l := range lines {
		fmt.Fprintf(&sb, "%d,%s,%s,%s,%d\n", l.Seq, l.Payment.ID, l.Name, l.BankAccount, l.Amount)
	}
	return []byte(sb.String()), nil
}

// approved is a new batch of everything due, approved by the checker.
func (f finance) approved(t *testing.T) allowance.Batch {
	t.Helper()
	ctx := context.Background()
	b, err := f.svc.CreateBatch(ctx, f.maker)
	if err != nil {
		t.Fatal(err)
	}
	if b, err = f.svc.ApproveBatch(ctx, f.checker, b.ID); err != nil {
		t.Fatal(err)
	}
	return b
}

func (f finance) count(t *testing.T, sql string, args ...any) int {
	t.Helper()
	var n int
	if err := f.db.Pool().QueryRow(context.Background(), sql, args...).Scan(&n); err != nil {
		t.Fatal(err)
	}
	return n
}

// A batch waits for a second finance officer: its maker neither approves
// nor exports it, nobody exports it before approval, and every export is
// the same file, paying the accounts of the day it was made.
func TestBatchMakerChecker(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	f.due(t, 2, 1500000)
	b, err := f.svc.CreateBatch(ctx, f.maker)
	if err != nil || b.Status != allowance.BatchPendingApproval || b.Count != 2 || b.Total != 3000000 {
		t.Fatalf("batch: %+v %v", b, err)
	}
	if _, err := f.svc.ApproveBatch(ctx, f.maker, b.ID); talent.ErrorKind(err) != talent.KindForbidden || !talent.HasCode(err, allowance.CodeOwnBatch) {
		t.Fatalf("the maker approving: %v", err)
	}
	if _, _, err := f.svc.ExportBatch(ctx, f.checker, b.ID, "csv", render); !talent.HasCode(err, allowance.CodeBatchNotApproved) {
		t.Fatalf("exporting before approval: %v", err)
	}
	if _, err := f.svc.ApproveBatch(ctx, f.grad, b.ID); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("a graduate approving: %v", err)
	}
	if b, err = f.svc.ApproveBatch(ctx, f.checker, b.ID); err != nil || b.Status != allowance.BatchApproved || b.ApprovedBy != f.checker.ID {
		t.Fatalf("approval: %+v %v", b, err)
	}
	if _, err := f.svc.ApproveBatch(ctx, f.checker, b.ID); err != nil {
		t.Fatalf("approving again: %v", err)
	}
	if _, _, err := f.svc.ExportBatch(ctx, f.maker, b.ID, "csv", render); !talent.HasCode(err, allowance.CodeOwnBatch) {
		t.Fatalf("the maker exporting: %v", err)
	}
	_, first, err := f.svc.ExportBatch(ctx, f.checker, b.ID, "csv", render)
	if err != nil || !strings.Contains(string(first), firstAccount) {
		t.Fatalf("export: %s %v", first, err)
	}
	// The graduate changes the account: the batch still pays the old one.
	f.setAccount(t, secondAccount)
	_, second, err := f.svc.ExportBatch(ctx, f.checker, b.ID, "csv", render)
	if err != nil || string(second) != string(first) {
		t.Fatalf("a second export differs:\n%s\n%s", first, second)
	}
	_, _, exports, err := f.svc.BatchLines(ctx, f.checker, b.ID)
	if err != nil || len(exports) != 2 || exports[0].SHA256 != exports[1].SHA256 || exports[0].ActorID != f.checker.ID || exports[0].Format != "csv" {
		t.Fatalf("exports: %+v %v", exports, err)
	}
	if n := f.count(t, `SELECT count(*) FROM access_log WHERE what = 'batch_export' AND object_id = $1`, b.ID); n != 2 {
		t.Fatalf("%d exports in the access log", n)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'batch' AND entity_id = $1`, b.ID); n != 4 {
		t.Fatalf("%d audit rows (create, approve, two exports)", n)
	}
	// The checker was told of the batch, the maker of its approval.
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'batch.submitted' AND payload->>'userId' = $1`, f.checker.ID); n != 1 {
		t.Fatalf("%d notices to the checker", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'batch.approved' AND payload->>'userId' = $1`, f.maker.ID); n != 1 {
		t.Fatalf("%d notices to the maker", n)
	}
}

// A rejected batch gives its payments back: they go in the next batch.
func TestRejectedBatchPaymentsAreDueAgain(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	c := f.due(t, 1, 500000)[0]
	b, err := f.svc.CreateBatch(ctx, f.maker)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RejectBatch(ctx, f.checker, b.ID, " "); err == nil {
		t.Fatal("a rejection without a reason")
	}
	if b, err = f.svc.RejectBatch(ctx, f.checker, b.ID, "金额与审批单不符"); err != nil || b.Status != allowance.BatchRejected {
		t.Fatalf("reject: %+v %v", b, err)
	}
	if _, err := f.svc.ApproveBatch(ctx, f.checker, b.ID); !talent.HasCode(err, allowance.CodeBatchStatusConflict) {
		t.Fatalf("approving a rejected batch: %v", err)
	}
	if got := f.payments(t, c.ID); got[0] != allowance.PaymentDue {
		t.Fatalf("payment after the rejection: %v", got)
	}
	next := f.approved(t)
	if next.Count != 1 {
		t.Fatalf("next batch: %+v", next)
	}
}

// returnFile is a bank return file: paid for the first paid lines, failed
// for the rest.
func returnFile(lines []allowance.BatchLine, paid int) [][]string {
	rows := [][]string{{"付款编号", "结果", "失败原因", "银行流水号"}}
	for i, l := range lines {
		if i < paid {
			rows = append(rows, []string{l.Payment.ID, "成功", "", fmt.Sprintf("SN%06d", i)})
		} else {
			rows = append(rows, []string{l.Payment.ID, "失败", "账户已销户", ""})
		}
	}
	return rows
}

// state is what a return file changes, to compare before and after.
func (f finance) state(t *testing.T, batchID string) string {
	t.Helper()
	var s string
	err := f.db.Pool().QueryRow(context.Background(), `SELECT
		(SELECT string_agg(p.status || coalesce(p.paid_at::text, '') || coalesce(p.failed_at::text, '') || p.failure_reason, ',' ORDER BY p.id)
			FROM payments p) || '|' ||
		(SELECT string_agg(c.status || coalesce(c.first_paid_at::text, ''), ',' ORDER BY c.id) FROM claims c) || '|' ||
		(SELECT string_agg(l.result || l.reason || l.bank_serial, ',' ORDER BY l.seq) FROM batch_lines l WHERE l.batch_id = $1) || '|' ||
		(SELECT count(*) FROM outbox)::text || '|' || (SELECT count(*) FROM claim_audit)::text || '|' ||
		(SELECT status || paid || '/' || failed FROM payment_batches WHERE id = $1)`, batchID).Scan(&s)
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// The bank answers 200 payments, 150 paid and 50 failed: one transaction
// pays and fails them, tells the graduate, completes the paid claims and
// settles the batch. The same file again, or written as another file with
// the same content, changes nothing; answers a payment already has change
// nothing either. The failed payments go in a later batch once the
// account is corrected and its hold has passed, to the new account.
func TestReturnFileAppliedTwice(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	f.due(t, 200, 100000)
	b := f.approved(t)
	if b.Count != 200 {
		t.Fatalf("batch of %d", b.Count)
	}
	_, lines, _, err := f.svc.BatchLines(ctx, f.checker, b.ID)
	if err != nil {
		t.Fatal(err)
	}
	file := returnFile(lines, 150)
	start := time.Now()
	r, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, file)
	t.Logf("200 answers applied in %s", time.Since(start))
	if err != nil || r.Repeated || r.Lines != 200 || r.Paid != 150 || r.Failed != 50 || r.Changed != 200 {
		t.Fatalf("return file: %+v %v", r, err)
	}
	after := f.state(t, b.ID)
	if !strings.HasSuffix(after, "|settled150/50") {
		t.Fatalf("batch after the file: %s", after)
	}
	if n := f.count(t, `SELECT count(*) FROM claims WHERE status = 'completed'`); n != 150 {
		t.Fatalf("%d claims completed", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'payment.failed' AND payload->'params'->>'reason' = '账户已销户'`); n != 50 {
		t.Fatalf("%d failure notices with the reason", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'payment.paid'`); n != 150 {
		t.Fatalf("%d payment notices", n)
	}

	again, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, file)
	if err != nil || !again.Repeated || again.ID != r.ID || again.Changed != 0 || f.state(t, b.ID) != after {
		t.Fatalf("the same file again: %+v %v", again, err)
	}
	// The same content written otherwise (English, another column order,
	// spaces) is the same file.
	english := [][]string{{"Result", "Reference", "Reason", "Bank serial"}}
	for _, row := range file[1:] {
		english = append(english, []string{map[string]string{"成功": "paid", "失败": "failed"}[row[1]], " " + row[0], row[2], row[3]})
	}
	if r, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, english); err != nil || !r.Repeated || r.ID != again.ID {
		t.Fatalf("the same content as another file: %+v %v", r, err)
	}
	// Another file with answers the payments already have changes nothing.
	part := append([][]string{file[0]}, file[140:160]...)
	if r, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, part); err != nil || r.Repeated || r.Changed != 0 || r.Lines != 20 {
		t.Fatalf("answers again in another file: %+v %v", r, err)
	}
	if got := f.state(t, b.ID); got != after {
		t.Fatalf("answers payments already had changed something:\n%s\n%s", after, got)
	}
	// A paid payment is never failed afterwards; the whole file is refused.
	flipped := [][]string{file[0], {lines[0].Payment.ID, "失败", "退票", ""}}
	if _, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, flipped); !talent.HasCode(err, allowance.CodeReturnRejected) {
		t.Fatalf("failing a paid payment: %v", err)
	}
	// Marking one by one goes the same way.
	if _, err := f.svc.MarkPayment(ctx, f.maker, lines[0].Payment.ID, false, "退票"); !talent.HasCode(err, allowance.CodePaymentStatusConflict) {
		t.Fatalf("marking a paid payment failed: %v", err)
	}
	if p, err := f.svc.MarkPayment(ctx, f.maker, lines[0].Payment.ID, true, ""); err != nil || p.Status != allowance.PaymentPaid {
		t.Fatalf("marking a paid payment paid: %+v %v", p, err)
	}

	// Failed payments wait for a corrected account, then for its hold.
	if _, err := f.svc.CreateBatch(ctx, f.maker); !talent.HasCode(err, allowance.CodeNoPaymentsDue) {
		t.Fatalf("a batch before the account is corrected: %v", err)
	}
	f.clock.T = f.clock.T.Add(time.Hour)
	f.setAccount(t, secondAccount)
	_, err = f.svc.CreateBatch(ctx, f.maker)
	if !talent.HasCode(err, allowance.CodeNoPaymentsDue) || !strings.Contains(err.Error(), "50 held back") {
		t.Fatalf("a batch within the new account's hold: %v", err)
	}
	// A claim suspended since (a clawback, say) pays nothing, not even what failed.
	if _, err := f.db.Pool().Exec(ctx, `UPDATE claims SET status = 'suspended' WHERE id = $1`, lines[199].Payment.ClaimID); err != nil {
		t.Fatal(err)
	}
	f.clock.T = f.clock.T.Add(3*24*time.Hour + time.Minute)
	rebatch := f.approved(t)
	_, relines, _, _ := f.svc.BatchLines(ctx, f.checker, rebatch.ID)
	if rebatch.Count != 49 || len(relines) != 49 || relines[0].BankAccount != secondAccount {
		t.Fatalf("re-batched: %+v, account %q", rebatch, relines[0].BankAccount)
	}
	// The old batch's answers stand; its failed lines are answered in the new one.
	if _, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, [][]string{file[0], {relines[0].Payment.ID, "成功", "", "SN9"}}); !talent.HasCode(err, allowance.CodeReturnRejected) {
		t.Fatalf("paying a re-batched payment in its old batch: %v", err)
	}
}

// A return file with bad rows is refused whole, each problem named by row
// and column; nothing is applied.
func TestReturnFileRejectedWhole(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	f.due(t, 3, 100000)
	b, err := f.svc.CreateBatch(ctx, f.maker)
	if err != nil {
		t.Fatal(err)
	}
	_, lines, _, _ := f.svc.BatchLines(ctx, f.maker, b.ID)
	good := returnFile(lines, 3)
	if _, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, good); !talent.HasCode(err, allowance.CodeBatchNotApproved) {
		t.Fatalf("answers to a batch not approved: %v", err)
	}
	if _, err := f.svc.ApproveBatch(ctx, f.checker, b.ID); err != nil {
		t.Fatal(err)
	}
	before := f.state(t, b.ID)
	bad := [][]string{good[0], good[1],
		{lines[1].Payment.ID, "maybe", "", ""},
		{"0193a4f0-0000-7000-8000-000000000001", "成功", "", "SN1"},
		{lines[2].Payment.ID, "失败", "", ""},
		{lines[0].Payment.ID, "成功", "", "SN0"},
	}
	_, err = f.svc.ApplyReturns(ctx, f.maker, b.ID, bad)
	var te *talent.Error
	if !talent.HasCode(err, allowance.CodeReturnRejected) || !errors.As(err, &te) {
		t.Fatalf("bad file: %v", err)
	}
	want := map[string]string{"rows[3].result": "return_result_unknown", "rows[4].reference": "return_reference_unknown",
		"rows[5].reason": "required", "rows[6].reference": "return_reference_repeated"}
	got := map[string]string{}
	for _, fe := range te.Fields {
		got[fe.Field] = fe.Code.String()
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Fatalf("problems %v, want %v", got, want)
	}
	if f.state(t, b.ID) != before {
		t.Fatal("a refused file changed something")
	}
	if _, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, [][]string{{"payment", "status"}}); !talent.HasCode(err, talent.CodeValidationFailed) {
		t.Fatalf("an empty file: %v", err)
	}
	if _, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, [][]string{{"名字"}, {"x"}}); err == nil || !strings.Contains(err.Error(), "header.reference") {
		t.Fatalf("a file without the columns: %v", err)
	}
}

// Changing the bank account needs a recent sign-in, is audited and told to
// the owner, and holds payments to the new account for the package's
// new_account_hold_days; the batch says which it left out until when.
func TestNewAccountHold(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	f.due(t, 1, 100000)
	stale := f.grad
	stale.AuthTime = f.clock.T.Add(-allowanceRecentSignIn - time.Second)
	in := talent.ProfileInput{Name: "李明", BankName: "工商银行", BankAccount: secondAccount}
	_, err := f.app.Account.UpdateProfile(ctx, stale, in)
	if talent.ErrorKind(err) != talent.KindUnauthenticated || talent.ErrorCode(err) != "recent_sign_in_required" {
		t.Fatalf("an old sign-in changing the account: %v", err)
	}
	// The same account again is no change and needs no new sign-in.
	in.BankAccount = firstAccount
	if _, err := f.app.Account.UpdateProfile(ctx, stale, in); err != nil {
		t.Fatalf("keeping the account: %v", err)
	}
	f.setAccount(t, secondAccount)
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'profile' AND entity_id = $1 AND event = 'bank_account_changed'
		AND detail = '***************5678 → ***************0123'`, f.grad.ID); n != 1 {
		t.Fatalf("%d audit rows of the change", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'bank_account.changed' AND payload->'params'->>'last' = '0123'`); n != 1 {
		t.Fatalf("%d notices of the change", n)
	}
	f.due(t, 1, 200000)
	f.clock.T = f.clock.T.Add(3*24*time.Hour - time.Minute)
	_, err = f.svc.CreateBatch(ctx, f.maker)
	if !talent.HasCode(err, allowance.CodeNoPaymentsDue) {
		t.Fatalf("a batch within the hold: %v", err)
	}
	f.clock.T = f.clock.T.Add(2 * time.Minute)
	b, err := f.svc.CreateBatch(ctx, f.maker)
	if err != nil || b.Count != 2 || len(b.HeldBack) != 0 {
		t.Fatalf("after the hold: %+v %v", b, err)
	}
}

// allowanceRecentSignIn mirrors account.RecentSignIn for the test's clock.
const allowanceRecentSignIn = 5 * time.Minute

// A payment left out says why and until when.
func TestHeldBackSaysWhy(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	f.due(t, 1, 100000)
	f.setAccount(t, secondAccount)
	until := f.clock.T.Add(3 * 24 * time.Hour)
	// Another graduate never gave an account; a third set a first one.
	other, _ := f.db.Users().SignIn(ctx, "other", false)
	if _, err := f.app.Account.UpdateProfile(ctx, other, talent.ProfileInput{Name: "赵强", NationalID: testenv.NationalID(7)}); err != nil {
		t.Fatal(err)
	}
	noAccount := f.dueTo(t, other.ID, 700)
	third, _ := f.db.Users().SignIn(ctx, "third", false)
	third.AuthTime = f.clock.T
	if _, err := f.app.Account.UpdateProfile(ctx, third, talent.ProfileInput{Name: "王芳", NationalID: testenv.NationalID(8),
		BankName: "农业银行", BankAccount: "6228480012345678"}); err != nil {
		t.Fatal(err)
	}
	f.dueTo(t, third.ID, 300000)
	b, err := f.svc.CreateBatch(ctx, f.maker)
	if err != nil || b.Count != 1 || b.Total != 300000 || len(b.HeldBack) != 2 {
		t.Fatalf("batch: %+v %v", b, err)
	}
	stored, _ := f.db.Batches().Batch(ctx, b.ID)
	reasons := map[string]allowance.HeldPayment{}
	for _, h := range stored.HeldBack {
		reasons[h.Reason] = h
	}
	if h := reasons[allowance.HoldNewAccount]; h.Amount != 100000 || h.Until == nil || !h.Until.Equal(until) {
		t.Fatalf("held for the new account: %+v", h)
	}
	if h := reasons[allowance.HoldNoAccount]; h.PaymentID != noAccount.ID || h.Until != nil {
		t.Fatalf("held for no account: %+v", h)
	}
}

// dueTo stores an active claim of a user with one payment due.
func (f finance) dueTo(t *testing.T, userID string, amount int64) allowance.Payment {
	t.Helper()
	ctx := context.Background()
	c := f.newClaim(t, userID)
	c.Status = allowance.ClaimActive
	if err := f.db.Claims().CreateClaim(ctx, c); err != nil {
		t.Fatal(err)
	}
	p := allowance.Payment{ID: talent.NewID(), ClaimID: c.ID, UserID: userID, Seq: 1, Kind: "instalment", Amount: amount,
		DueOn: f.clock.T, Status: allowance.PaymentDue, UpdatedAt: f.clock.T}
	if _, err := f.db.Claims().UpdateClaim(ctx, c.ID, func(*allowance.Claim) (allowance.ClaimChange, error) {
		return allowance.ClaimChange{Touched: true, Payments: []allowance.Payment{p}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	return p
}

func day(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 0, 0, 0, 0, time.UTC) }

// The proration rule at its boundaries: whole months served from the first
// payment; the unserved share of what was paid, rounded down to the fen.
func TestClawbackAmount(t *testing.T) {
	t.Parallel()
	first := day(2026, 1, 15)
	for _, c := range []struct {
		paid   int64
		left   time.Time
		months int
		amount int64
		served int
	}{
		{3000000, first, 36, 3000000, 0},                       // left on the day of the first payment
		{3000000, day(2025, 12, 1), 36, 3000000, 0},            // left before it
		{3000000, day(2027, 9, 14), 36, 3000000 * 17 / 36, 19}, // a day short of 20 months
		{3000000, day(2027, 9, 15), 36, 1333333, 20},           // 20 months: 16/36, rounded down
		{3000000, day(2029, 1, 14), 36, 83333, 35},             // a day short of the period
		{3000000, day(2029, 1, 15), 36, 0, 36},                 // the whole period served
		{3000000, day(2031, 1, 1), 36, 0, 36},                  // longer
		{3000000, day(2027, 1, 1), 0, 0, 0},                    // a package without a period
		{0, day(2027, 1, 1), 36, 0, 0},                         // nothing paid
		{1, day(2026, 2, 15), 36, 0, 1},                        // a fen rounds down to nothing
	} {
		amount, served := allowance.ClawbackAmount(c.paid, first, c.left, c.months)
		if amount != c.amount || served != c.served {
			t.Errorf("ClawbackAmount(%d, %s, %d) = %d, %d; want %d, %d", c.paid, c.left.Format(time.DateOnly), c.months, amount, served, c.amount, c.served)
		}
	}
}

// paidClaim stores a claim of the graduate that paid amounts, first on firstPaid.
func (f finance) paidClaim(t *testing.T, status allowance.ClaimStatus, firstPaid time.Time, amounts ...int64) allowance.Claim {
	t.Helper()
	return f.paidClaimOf(t, f.grad.ID, status, firstPaid, amounts...)
}

// paidClaimOf stores a claim of a user that paid amounts, first on firstPaid.
func (f finance) paidClaimOf(t *testing.T, userID string, status allowance.ClaimStatus, firstPaid time.Time, amounts ...int64) allowance.Claim {
	t.Helper()
	ctx := context.Background()
	c := f.newClaim(t, userID)
	c.Status, c.FirstPaidAt, c.SubmittedAt, c.CreatedAt, c.UpdatedAt = status, &firstPaid, &firstPaid, firstPaid, firstPaid
	if err := f.db.Claims().CreateClaim(ctx, c); err != nil {
		t.Fatal(err)
	}
	var list []allowance.Payment
	for i, a := range amounts {
		list = append(list, allowance.Payment{ID: talent.NewID(), ClaimID: c.ID, UserID: userID, Seq: i + 1, Kind: "instalment",
			Amount: a, DueOn: firstPaid, Status: allowance.PaymentPaid, UpdatedAt: firstPaid})
	}
	if _, err := f.db.Claims().UpdateClaim(ctx, c.ID, func(*allowance.Claim) (allowance.ClaimChange, error) {
		return allowance.ClaimChange{Touched: true, Payments: list}, nil
	}); err != nil {
		t.Fatal(err)
	}
	return c
}

// endEmployment has HR record that the graduate left on a date.
func (f finance) endEmployment(t *testing.T, on time.Time) {
	t.Helper()
	ctx := context.Background()
	e, err := f.db.Employments().CurrentEmployment(ctx, f.grad.ID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.app.Account.EndEmployment(ctx, f.hr, e.ID, on); err != nil {
		t.Fatal(err)
	}
}

// A relocation allowance paid through a batch; 20 months later HR records
// that the graduate left. The daily job proposes a clawback of 16/36 of it,
// once; a reviewer confirms it and the graduate is told; finance records
// the repayment. Reconciliation and the delivery statistics count it.
func TestClawbackLife(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	reviewer := f.staffMember(t, "reviewer", talent.RoleReviewer)
	c := f.claim(t, allowance.ClaimActive, nil,
		allowance.Payment{Kind: "instalment", Amount: 1500000, DueOn: day(2026, 11, 25), Status: allowance.PaymentDue},
		allowance.Payment{Kind: "instalment", Amount: 1500000, DueOn: day(2026, 11, 25), Status: allowance.PaymentDue})
	if _, err := f.db.Pool().Exec(ctx, `UPDATE claims SET submitted_at = $2 WHERE id = $1`, c.ID, f.clock.T); err != nil {
		t.Fatal(err)
	}
	b := f.approved(t)
	_, lines, _, _ := f.svc.BatchLines(ctx, f.checker, b.ID)
	if _, err := f.svc.ApplyReturns(ctx, f.maker, b.ID, returnFile(lines, 2)); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ProposeClawbacks(ctx); err != nil {
		t.Fatal(err)
	}
	if list, _, _ := f.svc.Clawbacks(ctx, f.maker, allowance.ClawbackFilter{}, talent.Page{}); len(list) != 0 {
		t.Fatalf("a clawback while the graduate works: %+v", list)
	}

	f.clock.T = time.Date(2028, 7, 25, 2, 0, 0, 0, time.UTC)
	f.endEmployment(t, day(2028, 7, 25))
	for range 2 {
		if err := f.svc.ProposeClawbacks(ctx); err != nil {
			t.Fatal(err)
		}
	}
	list, _, err := f.svc.Clawbacks(ctx, reviewer, allowance.ClawbackFilter{Status: allowance.ClawbackProposed}, talent.Page{})
	if err != nil || len(list) != 1 {
		t.Fatalf("proposed: %+v %v", list, err)
	}
	k := list[0]
	if k.ClaimID != c.ID || k.Paid != 3000000 || k.ServedMonths != 20 || k.ClawbackMonths != 36 || k.Amount != 1333333 || k.ProposedBy != talent.SystemID {
		t.Fatalf("proposal: %+v", k)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'clawback.proposed' AND payload->>'userId' = $1`, reviewer.ID); n != 1 {
		t.Fatalf("%d proposals told to the reviewer", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'clawback.raised'`); n != 0 {
		t.Fatal("the graduate was told of a mere proposal")
	}
	if _, err := f.svc.ConfirmClawback(ctx, f.maker, k.ID, "x"); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("finance confirming: %v", err)
	}
	if _, err := f.svc.RepayClawback(ctx, f.maker, k.ID, ""); !talent.HasCode(err, allowance.CodeClawbackStatusConflict) {
		t.Fatalf("repaying a proposal: %v", err)
	}
	k, err = f.svc.ConfirmClawback(ctx, reviewer, k.ID, "未满服务期离开本市就业")
	if err != nil || k.Status != allowance.ClawbackOwed || k.DecidedBy != reviewer.ID || k.Amount != 1333333 {
		t.Fatalf("confirmed: %+v %v", k, err)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'clawback.raised' AND payload->>'userId' = $1
		AND payload->'params'->>'amount' = '¥13333.33' AND payload->'params'->>'reason' = '未满服务期离开本市就业'`, f.grad.ID); n != 1 {
		t.Fatalf("%d notices to the graduate", n)
	}
	r, _ := f.svc.Reconcile(ctx, f.maker)
	if r.Paid != 3000000 || r.ClawbackOwed != 1333333 || r.ClawedBack != 0 || !r.Balanced() {
		t.Fatalf("reconciliation while owed: %+v", r)
	}
	for range 2 { // recording twice is harmless
		if k, err = f.svc.RepayClawback(ctx, f.maker, k.ID, "HX20280801"); err != nil || k.Status != allowance.ClawbackRepaid || k.RepaymentRef != "HX20280801" {
			t.Fatalf("repaid: %+v %v", k, err)
		}
	}
	r, _ = f.svc.Reconcile(ctx, f.maker)
	if r.ClawbackOwed != 0 || r.ClawedBack != 1333333 || !r.Balanced() {
		t.Fatalf("reconciliation after repayment: %+v", r)
	}
	stats, err := f.svc.Delivery(ctx, f.maker, day(2026, 11, 1), day(2026, 12, 1))
	if err != nil || len(stats) != 1 || stats[0].Clawbacks != 1 || stats[0].ClawbackRepaid != 1333333 || stats[0].ClawbackOwed != 0 {
		t.Fatalf("delivery: %+v %v", stats, err)
	}
	if n := f.count(t, `SELECT count(*) FROM audit_log WHERE entity = 'clawback' AND entity_id = $1`, k.ID); n != 3 {
		t.Fatalf("%d audit rows (propose, confirm, repay)", n)
	}
	if n := f.count(t, `SELECT count(*) FROM outbox WHERE payload->>'template' = 'clawback.repaid'`); n != 1 {
		t.Fatalf("%d repayment notices", n)
	}
}

// A cancelled proposal is not proposed again; a reviewer may still raise a
// clawback, but never on their own claim, never twice, and only what the
// package and the months served say.
func TestClawbackRaisedByReviewer(t *testing.T) {
	t.Parallel()
	f := setupFinance(t)
	ctx := context.Background()
	reviewer := f.staffMember(t, "reviewer", talent.RoleReviewer)
	c := f.paidClaim(t, allowance.ClaimActive, day(2026, 5, 25), 1500000)
	scheduled := f.dueTo(t, f.grad.ID, 1500000) // of another claim: stays
	if _, err := f.db.Claims().UpdateClaim(ctx, c.ID, func(*allowance.Claim) (allowance.ClaimChange, error) {
		return allowance.ClaimChange{Touched: true, Payments: []allowance.Payment{{ID: talent.NewID(), ClaimID: c.ID, UserID: f.grad.ID,
			Seq: 2, Kind: "instalment", Amount: 1500000, DueOn: day(2027, 5, 25), Status: allowance.PaymentScheduled, UpdatedAt: f.clock.T}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RaiseClawback(ctx, reviewer, c.ID, "未满服务期", nil); talent.ErrorKind(err) != talent.KindInvalid || !strings.Contains(err.Error(), "leftOn") {
		t.Fatalf("raising while the graduate works, without a date: %v", err)
	}
	f.endEmployment(t, day(2026, 11, 25))
	if err := f.svc.ProposeClawbacks(ctx); err != nil {
		t.Fatal(err)
	}
	list, _, _ := f.svc.Clawbacks(ctx, reviewer, allowance.ClawbackFilter{Status: allowance.ClawbackProposed}, talent.Page{})
	if len(list) != 1 {
		t.Fatalf("proposals: %+v", list)
	}
	if _, err := f.svc.CancelClawback(ctx, reviewer, list[0].ID, "已在本市重新就业"); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.ProposeClawbacks(ctx); err != nil {
		t.Fatal(err)
	}
	if list, _, _ = f.svc.Clawbacks(ctx, reviewer, allowance.ClawbackFilter{Status: allowance.ClawbackProposed}, talent.Page{}); len(list) != 0 {
		t.Fatalf("proposed again after a cancellation: %+v", list)
	}

	self := f.staffMember(t, "grad", talent.RoleReviewer) // the graduate is a reviewer too
	if _, err := f.svc.RaiseClawback(ctx, self, c.ID, "x", nil); !talent.HasCode(err, allowance.CodeOwnClaim) {
		t.Fatalf("raising on one's own claim: %v", err)
	}
	k, err := f.svc.RaiseClawback(ctx, reviewer, c.ID, "未满服务期离职", nil)
	// Six whole months served of 36: 30/36 of ¥15000.
	if err != nil || k.Status != allowance.ClawbackOwed || k.Amount != 1250000 || k.ServedMonths != 6 || !k.LeftOn.Equal(day(2026, 11, 25)) {
		t.Fatalf("raised: %+v %v", k, err)
	}
	after, _ := f.db.Claims().Claim(ctx, c.ID)
	pays, _ := f.db.Payments().Payments(ctx, c.ID)
	if after.Status != allowance.ClaimSuspended || pays[0].Status != allowance.PaymentPaid || pays[1].Status != allowance.PaymentSuspended {
		t.Fatalf("claim after the clawback: %s %+v", after.Status, pays)
	}
	if p, _ := f.db.Payments().Payment(ctx, scheduled.ID); p.Status != allowance.PaymentDue {
		t.Fatalf("another claim's payment: %+v", p)
	}
	if _, err := f.svc.RaiseClawback(ctx, reviewer, c.ID, "again", nil); !talent.HasCode(err, allowance.CodeClawbackExists) {
		t.Fatalf("a second clawback: %v", err)
	}
	// Other graduates' claims: one claim of a package per person.
	others := make([]talent.User, 2)
	for i := range others {
		others[i], _ = f.db.Users().SignIn(ctx, fmt.Sprintf("other-%d", i), false)
		if _, err := f.app.Account.UpdateProfile(ctx, others[i], talent.ProfileInput{Name: "赵强", NationalID: testenv.NationalID(20 + i)}); err != nil {
			t.Fatal(err)
		}
	}
	served := f.paidClaimOf(t, others[0].ID, allowance.ClaimCompleted, day(2023, 1, 1), 1000000)
	left := day(2026, 6, 1) // more than 36 months after the first payment
	if _, err := f.svc.RaiseClawback(ctx, reviewer, served.ID, "x", &left); !talent.HasCode(err, allowance.CodeClawbackNotOwed) {
		t.Fatalf("after the whole period: %v", err)
	}
	rent := f.paidClaimOf(t, others[1].ID, allowance.ClaimActive, day(2026, 6, 1), 80000)
	if _, err := f.db.Pool().Exec(ctx, `UPDATE claims SET package = 'rent' WHERE id = $1`, rent.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.RaiseClawback(ctx, reviewer, rent.ID, "x", &left); !talent.HasCode(err, allowance.CodeClawbackNotInPackage) {
		t.Fatalf("a package without clawback: %v", err)
	}
	future := f.clock.T.AddDate(0, 0, 1)
	if _, err := f.svc.RaiseClawback(ctx, reviewer, served.ID, "x", &future); talent.ErrorKind(err) != talent.KindInvalid {
		t.Fatalf("leaving tomorrow: %v", err)
	}
}
