package api

import (
	"bytes"
	"context"
	"encoding/csv"
	"strconv"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
	"github.com/xuri/excelize/v2"
)

func (h *allowanceHandlers) CreateBatch(c *fiber.Ctx) error {
	return respond(c, fiber.StatusCreated, h.allowance.CreateBatch, toBatch)
}

func (h *allowanceHandlers) GetBatch(c *fiber.Ctx, id gen.ID) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.BatchDetail, error) {
		b, lines, err := h.allowance.BatchLines(ctx, u, id.String(), talent.AccessBatch)
		if err != nil {
			return gen.BatchDetail{}, err
		}
		return gen.BatchDetail{Batch: toBatch(b), Lines: each(lines, func(l allowance.BatchLine) gen.BatchLine {
			return gen.BatchLine{Payment: toPayment(l.Payment), Package: string(l.Package), Name: l.Name,
				NationalId: optional(l.NationalID), BankName: l.BankName, BankAccount: talent.MaskBankAccount(l.BankAccount)}
		})}, nil
	}, same)
}

// exportHeader is the spreadsheet's first row, in Chinese for the bank's
// and the finance office's staff.
var exportHeader = []string{"序号", "付款编号", "姓名", "身份证号（脱敏）", "开户行", "银行账号", "金额（元）", "补贴项目", "应付日期"}

// ExportBatch writes the batch for the bank. It is the only place account
// numbers leave Anju in full, so it is never cached.
func (h *allowanceHandlers) ExportBatch(c *fiber.Ctx, id gen.ID, params gen.ExportBatchParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	b, lines, err := h.allowance.BatchLines(c.UserContext(), u, id.String(), talent.AccessBatchExport)
	if err != nil {
		return err
	}
	rows := make([][]string, 0, len(lines)+1)
	rows = append(rows, exportHeader)
	for i, l := range lines {
		rows = append(rows, []string{strconv.Itoa(i + 1), l.ID, l.Name, l.NationalID, l.BankName, l.BankAccount,
			yuan(l.Amount), string(l.Package), l.DueOn.Format("2006-01-02")})
	}
	c.Set(fiber.HeaderCacheControl, "no-store")
	name := "anju-batch-" + b.CreatedAt.Format("20060102") + "-" + b.ID[:8]
	if params.Format != nil && *params.Format == gen.ExportBatchParamsFormatCsv {
		var buf bytes.Buffer
		buf.WriteString("\ufeff") // a BOM, so spreadsheet programs read the UTF-8 names right
		w := csv.NewWriter(&buf)
		if err := w.WriteAll(rows); err != nil {
			return err
		}
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
		return c.Send(buf.Bytes())
	}
	book, err := spreadsheet(rows)
	if err != nil {
		return err
	}
	return sendXLSX(c, name, book)
}

// spreadsheet writes rows into one sheet, every cell as text: account and
// ID numbers stay text, since a number cell would round them.
func spreadsheet(rows [][]string) ([]byte, error) {
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	for r, row := range rows {
		for col, v := range row {
			cell, _ := excelize.CoordinatesToCellName(col+1, r+1)
			if err := f.SetCellStr(sheet, cell, v); err != nil {
				return nil, err
			}
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// sendXLSX answers with a spreadsheet to download.
func sendXLSX(c *fiber.Ctx, name string, book []byte) error {
	c.Set(fiber.HeaderContentType, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
	c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.xlsx"`)
	return c.Send(book)
}

func (h *allowanceHandlers) MarkPaymentPaid(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (allowance.Payment, error) {
		return h.allowance.MarkPayment(ctx, u, id.String(), true, "")
	}, toPayment)
}

func (h *allowanceHandlers) MarkPaymentFailed(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.PaymentFailureInput) (allowance.Payment, error) {
		return h.allowance.MarkPayment(ctx, u, id.String(), false, body.Reason)
	}, toPayment)
}

func (h *allowanceHandlers) Reconcile(c *fiber.Ctx) error {
	return respond(c, fiber.StatusOK, h.allowance.Reconcile, func(r allowance.Reconciliation) gen.Reconciliation {
		return gen.Reconciliation{Approved: r.Approved, Paid: r.Paid, Scheduled: r.Scheduled, Suspended: r.Suspended,
			ClawedBack: r.ClawedBack, Balanced: r.Balanced()}
	})
}

func (h *allowanceHandlers) DeliveryStats(c *fiber.Ctx, params gen.DeliveryStatsParams) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) ([]allowance.DeliveryStats, error) {
		return h.allowance.Delivery(ctx, u, params.From.Time, params.To.Time)
	}, func(rows []allowance.DeliveryStats) gen.DeliveryReport {
		return gen.DeliveryReport{From: params.From, To: params.To, Items: each(rows, func(r allowance.DeliveryStats) gen.DeliveryRow {
			return gen.DeliveryRow{
				Package: string(r.Package), Claims: r.Claims, Decided: r.Decided, Paid: r.Paid,
				MedianToDecisionSeconds: int64(r.MedianToDecision.Seconds()), P90ToDecisionSeconds: int64(r.P90ToDecision.Seconds()),
				MedianToFirstPaymentSeconds: int64(r.MedianToFirstPay.Seconds()), P90ToFirstPaymentSeconds: int64(r.P90ToFirstPay.Seconds()),
				DeadlinesBreached: r.DeadlinesBreached,
			}
		})}
	})
}

func toBatch(b allowance.Batch) gen.Batch {
	return gen.Batch{Id: uuid.MustParse(b.ID), CreatedAt: b.CreatedAt.UTC(), Count: b.Count, Total: b.Total}
}

func toPayment(p allowance.Payment) gen.Payment {
	out := gen.Payment{Id: uuid.MustParse(p.ID), ClaimId: uuid.MustParse(p.ClaimID), Seq: p.Seq, Kind: gen.PaymentKind(p.Kind),
		Amount: p.Amount, DueOn: date(p.DueOn), Status: gen.PaymentStatus(p.Status), PaidAt: utc(p.PaidAt),
		FailureReason: optional(p.FailureReason)}
	if p.GateMonths > 0 {
		out.GateMonths = &p.GateMonths
	}
	return out
}
