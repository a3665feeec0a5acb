package allowance

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
)

// ReturnRow is one answer of the bank: the payment it is about (the
// reference the export gave it: the payment's id), whether it was paid,
// why not, and the bank's serial number.
type ReturnRow struct {
	Reference  string
	Paid       bool
	Reason     string
	BankSerial string
}

// BankReturn is a return file of the bank applied to a batch. Lines counts
// its rows, Paid and Failed their answers, Changed the payments it moved.
type BankReturn struct {
	ID         string
	BatchID    string
	SHA256     string // of the file's content, row by row
	UploadedBy string
	At         time.Time
	Lines      int
	Paid       int
	Failed     int
	Changed    int
	// Repeated says the same content was applied before, as ID: nothing
	// changed this time.
	Repeated bool
}

// returnColumns are the return file's columns, recognised by an English or
// Chinese header in the first row, in any order. reason and serial may be
// left out.
var returnColumns = map[string][]string{
	"reference": {"reference", "payment", "paymentid", "付款编号", "参考号", "业务参考号"},
	"result":    {"result", "status", "结果", "处理结果", "状态"},
	"reason":    {"reason", "failurereason", "失败原因", "原因", "备注"},
	"serial":    {"serial", "bankserial", "银行流水号", "流水号"},
}

// returnResults are the answers a row may give.
var returnResults = map[string]bool{
	"paid": true, "success": true, "成功": true, "已付": true,
	"failed": false, "fail": false, "失败": false, "退回": false,
}

// MaxReturnRows bounds one return file.
const MaxReturnRows = 5000

// ApplyReturns applies the bank's return file for a batch (finance): rows
// are the file's cells, the first row a header. The whole file is checked
// first: when any row is bad nothing is applied and every problem is
// reported by row and column ("rows[3].result", counting the header as
// row 1). A good file is applied in one transaction. The same content sent
// again changes nothing, and so does an answer a payment already has.
// MayApplyReturns says whether actor may apply a bank's return file at
// all. The API asks it before reading the uploaded file.
func MayApplyReturns(actor talent.User) error { return actor.Require(talent.RoleFinance) }

func (s *Service) ApplyReturns(ctx context.Context, actor talent.User, batchID string, rows [][]string) (BankReturn, error) {
	if err := MayApplyReturns(actor); err != nil {
		return BankReturn{}, err
	}
	answers, fields, bad := parseReturns(rows)
	if answers == nil {
		return BankReturn{}, talent.Invalid(fields...)
	}
	sum := returnDigest(answers)
	var out BankReturn
	_, err := s.BatchStore.UpdateBatch(ctx, batchID, func(st *Settlement) (BatchChange, error) {
		for _, r := range st.Returns {
			if r.SHA256 == sum {
				out, out.Repeated, out.Changed = r, true, 0
				return BatchChange{}, nil
			}
		}
		now := s.now()
		change, problems, err := s.answer(st, answers, now)
		if err != nil {
			return BatchChange{}, err
		}
		for _, p := range problems {
			if !bad[p.row] { // a row the file itself gets wrong is reported once
				fields = append(fields, talent.FieldError{Field: "rows[" + strconv.Itoa(p.row+2) + "]." + p.column, Code: p.code})
			}
		}
		if len(fields) > 0 {
			return BatchChange{}, &talent.Error{Kind: talent.KindInvalid, Code: CodeReturnRejected,
				Message: "some rows are invalid; nothing was applied", Fields: fields}
		}
		out = BankReturn{ID: talent.NewID(), BatchID: st.Batch.ID, SHA256: sum, UploadedBy: actor.ID, At: now,
			Lines: len(answers), Changed: len(change.Lines)}
		for _, a := range answers {
			if a.Paid {
				out.Paid++
			} else {
				out.Failed++
			}
		}
		change.Return = &out
		change.Audit = append(change.Audit, talent.Audit{At: now, ActorID: actor.ID, Entity: "batch", EntityID: st.Batch.ID,
			Event: "bank_return", Detail: fmt.Sprintf("sha256:%s rows %d, paid %d, failed %d, changed %d", sum, out.Lines, out.Paid, out.Failed, out.Changed)})
		return change, nil
	})
	return out, err
}

// MarkPayment records the bank's answer for one payment of an approved
// batch (finance), as one line of a return file would. Marking again with
// the same answer changes nothing.
func (s *Service) MarkPayment(ctx context.Context, actor talent.User, id string, paid bool, reason string) (Payment, error) {
	if err := actor.Require(talent.RoleFinance); err != nil {
		return Payment{}, err
	}
	p, err := s.PaymentStore.Payment(ctx, id)
	if err != nil {
		return Payment{}, err
	}
	if p.UserID == actor.ID {
		return Payment{}, talent.OwnBenefit("nobody marks their own payment")
	}
	if p.BatchID == "" {
		return Payment{}, talent.Errorf(talent.KindConflict, CodePaymentStatusConflict, "a %s payment is in no batch", p.Status)
	}
	answer := ReturnRow{Reference: id, Paid: paid, Reason: strings.TrimSpace(reason)}
	_, err = s.BatchStore.UpdateBatch(ctx, p.BatchID, func(st *Settlement) (BatchChange, error) {
		now := s.now()
		change, problems, err := s.answer(st, []ReturnRow{answer}, now)
		if err != nil {
			return BatchChange{}, err
		}
		if len(problems) > 0 {
			return BatchChange{}, talent.Errorf(talent.KindConflict, problems[0].code, "the payment cannot be marked so")
		}
		for _, l := range st.Lines {
			if l.Payment.ID == id {
				p = l.Payment
			}
		}
		if len(change.Lines) > 0 {
			change.Audit = append(change.Audit, talent.Audit{At: now, ActorID: actor.ID, Entity: "batch", EntityID: st.Batch.ID,
				Event: "payment_marked", Detail: id + " " + string(p.Status)})
		}
		return change, nil
	})
	return p, err
}

// rowProblem is one answer that cannot be applied to the batch.
type rowProblem struct {
	row    int
	column string
	code   talent.Code
}

// answer applies the bank's answers to a locked batch: each answer's line
// is answered, its payment paid or failed, the graduate told (a failure
// with its reason), and a claim whose last payment was paid is completed.
// Each answer that cannot be applied is reported; an answer a line already
// has changes nothing, and a paid line is never failed afterwards.
func (s *Service) answer(st *Settlement, answers []ReturnRow, now time.Time) (BatchChange, []rowProblem, error) {
	b := &st.Batch
	if b.Status != BatchApproved && b.Status != BatchSettled {
		return BatchChange{}, nil, talent.Errorf(talent.KindConflict, CodeBatchNotApproved, "the bank answers only an approved batch")
	}
	byRef := make(map[string]int, len(st.Lines))
	for i, l := range st.Lines {
		byRef[l.Payment.ID] = i
	}
	var problems []rowProblem
	change := BatchChange{Claims: map[string]ClaimChange{}}
	paidClaims := map[string]bool{}
	for row, a := range answers {
		i, ok := byRef[a.Reference]
		if !ok {
			problems = append(problems, rowProblem{row, "reference", CodeReturnReferenceUnknown})
			continue
		}
		l := &st.Lines[i]
		want, ev := LineFailed, PaymentFail
		if a.Paid {
			want, ev = LinePaid, PaymentPay
		}
		p := &l.Payment
		switch {
		case l.Result == want:
			continue // answered so already
		case l.Result == LinePaid, p.BatchID != b.ID, !PaymentTransitions.Allows(p.Status, ev):
			// Paid is final, and a payment batched again since is answered
			// with its later batch.
			problems = append(problems, rowProblem{row, "result", CodePaymentStatusConflict})
			continue
		}
		l.Result, l.Reason, l.BankSerial, l.AnsweredAt = want, a.Reason, a.BankSerial, &now
		p.Status, _ = PaymentTransitions.Next(p.Status, ev)
		p.UpdatedAt = now
		change.Lines = append(change.Lines, p.ID)
		if a.Paid {
			p.PaidAt, p.FailureReason = &now, ""
			change.Tasks = append(change.Tasks, talent.NotifyRequest{
				UserID: p.UserID, EventID: "payment.paid:" + p.ID, Template: "payment.paid",
				Params: map[string]string{"amount": talent.Yuan(p.Amount)}, Link: "anju://claims/" + p.ClaimID,
			})
			c := st.Claims[p.ClaimID]
			paidClaims[c.ID] = true
			if c.FirstPaidAt == nil {
				c.FirstPaidAt = &now
				if c.Stage == StagePayment {
					c.Stage, c.DueAt = StageNone, nil
				}
				change.Claims[c.ID] = ClaimChange{Touched: true}
			}
		} else {
			p.FailedAt, p.FailureReason = &now, a.Reason
			change.Tasks = append(change.Tasks, talent.NotifyRequest{
				UserID: p.UserID, EventID: "payment.failed:" + p.ID + ":" + b.ID, Template: "payment.failed",
				Params: map[string]string{"amount": talent.Yuan(p.Amount), "reason": a.Reason}, Link: "anju://me/profile",
			})
		}
	}
	if len(problems) > 0 {
		return BatchChange{}, problems, nil
	}
	if err := s.completePaid(st, paidClaims, change, now); err != nil {
		return BatchChange{}, nil, err
	}
	b.Paid, b.Failed = 0, 0
	for _, l := range st.Lines {
		switch l.Result {
		case LinePaid:
			b.Paid++
		case LineFailed:
			b.Failed++
		}
	}
	if b.Paid+b.Failed == len(st.Lines) && BatchTransitions.Allows(b.Status, BatchSettle) {
		b.Status, _ = BatchTransitions.Next(b.Status, BatchSettle)
	}
	if len(change.Lines) > 0 {
		b.UpdatedAt = now
	}
	return change, nil, nil
}

// completePaid completes the active claims, among those just paid, that
// have nothing left to pay.
func (s *Service) completePaid(st *Settlement, paid map[string]bool, change BatchChange, now time.Time) error {
	unpaid := make(map[string]int, len(paid))
	for _, l := range st.Lines {
		if paid[l.Payment.ClaimID] && l.Payment.Status != PaymentPaid {
			unpaid[l.Payment.ClaimID]++
		}
	}
	for id := range paid {
		c := st.Claims[id]
		if unpaid[id]+st.Unpaid[id] > 0 || c.Status != ClaimActive {
			continue
		}
		more, err := s.transition(c, EventComplete, talent.System, "", now, StageNone, false)
		if err != nil {
			return err
		}
		more.Touched = true
		change.Claims[id] = more
	}
	return nil
}

// parseReturns reads a return file's rows into answers, reporting every
// problem a row has on its own (a missing reference or result, an
// unknown result, a failure without a reason, a reference given twice).
// bad holds the answers' indexes of the rows with a problem. It returns
// nil answers when the file cannot be read at all.
func parseReturns(rows [][]string) ([]ReturnRow, []talent.FieldError, map[int]bool) {
	if len(rows) < 2 {
		return nil, []talent.FieldError{{Field: "rows", Code: CodeReturnEmpty}}, nil
	}
	if len(rows) > MaxReturnRows+1 {
		return nil, []talent.FieldError{{Field: "rows", Code: talent.CodeTooManyItems}}, nil
	}
	col := map[string]int{}
	for i, h := range rows[0] {
		h = strings.ToLower(strings.Join(strings.Fields(strings.TrimPrefix(h, "\ufeff")), ""))
		for name, aliases := range returnColumns {
			for _, a := range aliases {
				if h == a {
					col[name] = i
				}
			}
		}
	}
	var fields []talent.FieldError
	for _, name := range []string{"reference", "result"} {
		if _, ok := col[name]; !ok {
			fields = append(fields, talent.FieldError{Field: "header." + name, Code: talent.CodeRequired})
		}
	}
	if len(fields) > 0 {
		return nil, fields, nil
	}
	get := func(r []string, name string) string {
		if i, ok := col[name]; ok && i < len(r) {
			return strings.TrimSpace(r[i])
		}
		return ""
	}
	answers := make([]ReturnRow, 0, len(rows)-1)
	seen, bad := map[string]bool{}, map[int]bool{}
	for i, r := range rows[1:] {
		before := len(fields)
		prefix := "rows[" + strconv.Itoa(i+2) + "]."
		a := ReturnRow{Reference: strings.ToLower(get(r, "reference")), Reason: get(r, "reason"), BankSerial: get(r, "serial")}
		paid, known := returnResults[strings.ToLower(get(r, "result"))]
		a.Paid = paid
		switch {
		case a.Reference == "":
			fields = append(fields, talent.FieldError{Field: prefix + "reference", Code: talent.CodeRequired})
		case seen[a.Reference]:
			fields = append(fields, talent.FieldError{Field: prefix + "reference", Code: CodeReturnReferenceRepeated})
		}
		seen[a.Reference] = true
		switch {
		case get(r, "result") == "":
			fields = append(fields, talent.FieldError{Field: prefix + "result", Code: talent.CodeRequired})
		case !known:
			fields = append(fields, talent.FieldError{Field: prefix + "result", Code: CodeReturnResultUnknown})
		case !paid && a.Reason == "":
			fields = append(fields, talent.FieldError{Field: prefix + "reason", Code: talent.CodeRequired})
		}
		if utf8.RuneCountInString(a.Reason) > 500 {
			fields = append(fields, talent.FieldError{Field: prefix + "reason", Code: talent.CodeTextTooLong})
		}
		if utf8.RuneCountInString(a.BankSerial) > 64 {
			fields = append(fields, talent.FieldError{Field: prefix + "serial", Code: talent.CodeTextTooLong})
		}
		bad[i] = len(fields) > before
		answers = append(answers, a)
	}
	return answers, fields, bad
}

// returnDigest is the SHA-256 of a return file's content: its answers, in
// order, however the file was written (CSV or XLSX, header in either
// language).
func returnDigest(answers []ReturnRow) string {
	b, _ := json.Marshal(answers) // a slice of plain structs always encodes
	sum := sha256.Sum256(b)
	return hex.EncodeToString(sum[:])
}
