package api

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"strconv"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/sheet"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

func (h *allowanceHandlers) ListBatches(c *fiber.Ctx, params gen.ListBatchesParams) error {
	f := allowance.BatchFilter{Status: allowance.BatchStatus(value(params.Status)), CreatedFrom: value(params.CreatedFrom),
		CreatedTo: value(params.CreatedTo)}
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.BatchPage, error) {
		list, next, err := h.allowance.Batches(ctx, u, f, page(params.Cursor, params.Limit))
		return gen.BatchPage{Items: each(list, toBatch), NextCursor: optional(next)}, err
	}, same)
}

func (h *allowanceHandlers) CreateBatch(c *fiber.Ctx) error {
	return respond(c, fiber.StatusCreated, h.allowance.CreateBatch, toBatch)
}

func (h *allowanceHandlers) ApproveBatch(c *fiber.Ctx, id gen.ID) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (allowance.Batch, error) {
		return h.allowance.ApproveBatch(ctx, u, id.String())
	}, toBatch)
}

func (h *allowanceHandlers) RejectBatch(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.BatchRejection) (allowance.Batch, error) {
		return h.allowance.RejectBatch(ctx, u, id.String(), body.Reason)
	}, toBatch)
}

func (h *allowanceHandlers) GetBatch(c *fiber.Ctx, id gen.ID) error {
	c.Set(fiber.HeaderCacheControl, "no-store")
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.BatchDetail, error) {
		b, lines, exports, err := h.allowance.BatchLines(ctx, u, id.String())
		if err != nil {
			return gen.BatchDetail{}, err
		}
		return gen.BatchDetail{Batch: toBatch(b), Lines: each(lines, func(l allowance.BatchLine) gen.BatchLine {
			out := gen.BatchLine{Seq: l.Seq, Payment: toPayment(l.Payment), Package: string(l.Package), Amount: l.Amount, Name: l.Name,
				NationalId: optional(l.NationalIDMasked), BankName: l.BankName, BankAccount: talent.MaskBankAccount(l.BankAccount),
				Reason: optional(l.Reason), BankSerial: optional(l.BankSerial), AnsweredAt: utc(l.AnsweredAt)}
			if l.Result != allowance.LineOpen {
				r := gen.BatchLineResult(l.Result)
				out.Result = &r
			}
			return out
		}), Exports: each(exports, func(e allowance.BatchExport) gen.BatchExport {
			return gen.BatchExport{ActorId: uuidOf(e.ActorID), At: e.At.UTC(), Format: gen.BatchExportFormat(e.Format), Sha256: e.SHA256, Size: e.Size}
		})}, nil
	}, same)
}

// exportHeader is the spreadsheet's first row, in Chinese for the bank's
// and the finance office's staff. The payment id (付款编号) is the reference
// the bank's return file answers each line by.
var exportHeader = []string{"序号", "付款编号", "姓名", "身份证号（脱敏）", "开户行", "银行账号", "金额（元）", "补贴项目", "应付日期"}

// ExportBatch writes an approved batch for the bank. It is the only place
// account numbers leave Anju in full, so it is never cached. The file is
// made from the batch's snapshot only, so each export in a format is the
// same bytes; its SHA-256, which the export's record keeps, is sent too.
func (h *allowanceHandlers) ExportBatch(c *fiber.Ctx, id gen.ID, params gen.ExportBatchParams) error {
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	csvFormat := params.Format != nil && *params.Format == gen.ExportBatchParamsFormatCsv
	format := "xlsx"
	if csvFormat {
		format = "csv"
	}
	b, file, err := h.allowance.ExportBatch(c.UserContext(), u, id.String(), format, func(_ allowance.Batch, lines []allowance.BatchLine) ([]byte, error) {
		rows := make([][]string, 0, len(lines)+1)
		rows = append(rows, exportHeader)
		for _, l := range lines {
			rows = append(rows, []string{strconv.Itoa(l.Seq), l.Payment.ID, l.Name, l.NationalIDMasked, l.BankName, l.BankAccount,
				yuan(l.Amount), string(l.Package), l.DueOn.Format("2006-01-02")})
		}
		if csvFormat {
			return sheet.CSV(rows)
		}
		return sheet.XLSX(rows)
	})
	if err != nil {
		return err
	}
	sum := sha256.Sum256(file)
	c.Set(fiber.HeaderCacheControl, "no-store")
	c.Set("X-Content-SHA256", hex.EncodeToString(sum[:]))
	name := "anju-batch-" + b.CreatedAt.Format("20060102") + "-" + b.ID[:8]
	if csvFormat {
		c.Set(fiber.HeaderContentType, "text/csv; charset=utf-8")
		c.Set(fiber.HeaderContentDisposition, `attachment; filename="`+name+`.csv"`)
		return c.Send(file)
	}
	return sendXLSX(c, name, file)
}

// ApplyBankReturns reads the bank's return file into rows; the allowance
// service checks them all and applies all or nothing.
func (h *allowanceHandlers) ApplyBankReturns(c *fiber.Ctx, id gen.ID, params gen.ApplyBankReturnsParams) error {
	rows, err := sheet.Read(c.Body(), params.Format == gen.ApplyBankReturnsParamsFormatCsv, allowance.MaxReturnRows)
	if err != nil {
		return err
	}
	u, err := currentUser(c)
	if err != nil {
		return err
	}
	r, err := h.allowance.ApplyReturns(c.UserContext(), u, id.String(), rows)
	if err != nil {
		return err
	}
	status := fiber.StatusCreated
	if r.Repeated {
		status = fiber.StatusOK
	}
	return c.Status(status).JSON(gen.BankReturn{Id: uuidOf(r.ID), BatchId: uuidOf(r.BatchID), Sha256: r.SHA256, At: r.At.UTC(),
		Lines: r.Lines, Paid: r.Paid, Failed: r.Failed, Changed: r.Changed, Repeated: r.Repeated})
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
			ClawbackOwed: r.ClawbackOwed, ClawedBack: r.ClawedBack, Balanced: r.Balanced()}
	})
}

// DeliveryStats reports on the claims submitted from the first civil day
// (in Shanghai, where the scheme's days and months are counted, as the
// public statistics do) up to the second, excluded.
func (h *allowanceHandlers) DeliveryStats(c *fiber.Ctx, params gen.DeliveryStatsParams) error {
	from, to := policy.StartOfDay(params.From.Time), policy.StartOfDay(params.To.Time)
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) ([]allowance.DeliveryStats, error) {
		return h.allowance.Delivery(ctx, u, from, to)
	}, func(rows []allowance.DeliveryStats) gen.DeliveryReport {
		return gen.DeliveryReport{From: params.From, To: params.To, Items: each(rows, func(r allowance.DeliveryStats) gen.DeliveryRow {
			return gen.DeliveryRow{
				Package: string(r.Package), Claims: r.Claims, Decided: r.Decided, Paid: r.Paid,
				MedianToDecisionSeconds: int64(r.MedianToDecision.Seconds()), P90ToDecisionSeconds: int64(r.P90ToDecision.Seconds()),
				MedianToFirstPaymentSeconds: int64(r.MedianToFirstPay.Seconds()), P90ToFirstPaymentSeconds: int64(r.P90ToFirstPay.Seconds()),
				DeadlinesBreached: r.DeadlinesBreached, Clawbacks: r.Clawbacks, ClawbackOwed: r.ClawbackOwed, ClawbackRepaid: r.ClawbackRepaid,
			}
		})}
	})
}

func toBatch(b allowance.Batch) gen.Batch {
	return gen.Batch{Id: uuidOf(b.ID), Status: gen.BatchStatus(b.Status), CreatedBy: uuidOf(b.CreatedBy), CreatedAt: b.CreatedAt.UTC(),
		Count: b.Count, Total: b.Total, ApprovedBy: uuidPtr(b.ApprovedBy), ApprovedAt: utc(b.ApprovedAt), RejectedBy: uuidPtr(b.RejectedBy),
		RejectReason: optional(b.RejectReason), Paid: b.Paid, Failed: b.Failed,
		HeldBack: each(b.HeldBack, func(p allowance.HeldPayment) gen.HeldPayment {
			return gen.HeldPayment{PaymentId: uuidOf(p.PaymentID), ClaimId: uuidOf(p.ClaimID), Amount: p.Amount,
				Reason: gen.HeldPaymentReason(p.Reason), Until: utc(p.Until)}
		})}
}

func toPayment(p allowance.Payment) gen.Payment {
	out := gen.Payment{Id: uuid.MustParse(p.ID), ClaimId: uuid.MustParse(p.ClaimID), Seq: p.Seq, Kind: gen.PaymentKind(p.Kind),
		Amount: p.Amount, DueOn: date(p.DueOn), Status: gen.PaymentStatus(p.Status), PaidAt: utc(p.PaidAt), FailedAt: utc(p.FailedAt),
		FailureReason: optional(p.FailureReason)}
	if p.GateMonths > 0 {
		out.GateMonths = &p.GateMonths
	}
	return out
}
