package api

import (
	"context"
	"log/slog"
	"strconv"
	"time"

	"github.com/anju-city/anju/api/gen"
	"github.com/anju-city/anju/internal/sheet"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/anju-city/anju/internal/talent/publicity"
	"github.com/gofiber/fiber/v2"
	"github.com/google/uuid"
)

// publicityHandlers are the public notice (公示), the objections to it and
// what anyone may read without signing in.
type publicityHandlers struct {
	publicity *publicity.Service
	allowance *allowance.Service
	rounds    *housing.Rounds
	// objections caps how often one account objects: an objection holds a
	// payment, so a flood of them is an attack on the people named.
	limiter    Limiter
	objections int // per hour; zero disables the cap
	logger     *slog.Logger
}

func (h *publicityHandlers) ListPublicity(c *fiber.Ctx, params gen.ListPublicityParams) error {
	list, next, err := h.publicity.Listed(c.UserContext(), talent.EntryKind(value(params.Kind)), page(params.Cursor, params.Limit))
	if err != nil {
		return err
	}
	if value(params.Format) != gen.ListPublicityParamsFormatXlsx {
		return c.JSON(gen.PublicityPage{Items: each(list, toEntry), NextCursor: optional(next)})
	}
	rows := [][]string{{"类别", "公示对象", "用人单位", "项目", "金额（元）", "公示开始", "公示结束", "状态"}}
	for _, e := range list {
		rows = append(rows, []string{entryKindZH[e.Kind], e.Person, e.Employer, e.Package, amountCell(e.Amount),
			policy.Civil(e.StartsAt).Format(time.DateOnly), policy.Civil(e.EndsAt).Format(time.DateOnly), entryStatusZH[e.Status]})
	}
	book, err := sheet.XLSX(rows)
	if err != nil {
		return err
	}
	return sendXLSX(c, "anju-publicity", book)
}

var entryKindZH = map[talent.EntryKind]string{talent.EntryClaim: "补贴", talent.EntryRound: "人才公寓"}

// amountCell is an entry's amount for the sheet; an apartment has none.
func amountCell(fen int64) string {
	if fen == 0 {
		return ""
	}
	return yuan(fen)
}

var entryStatusZH = map[talent.EntryStatus]string{talent.EntryOpen: "公示中", talent.EntryObjected: "异议处理中"}

func (h *publicityHandlers) ObjectToEntry(c *fiber.Ctx, id gen.ID) error {
	return respondBody(c, fiber.StatusCreated, func(ctx context.Context, u talent.User, body gen.ObjectionInput) (talent.Objection, error) {
		if err := allow(c, h.limiter, h.logger, "objections:"+u.ID, h.objections, time.Hour); err != nil {
			return talent.Objection{}, err
		}
		return h.publicity.Object(ctx, u, id.String(), body.Reasons)
	}, toObjection)
}

func (h *publicityHandlers) ListClaimObjections(c *fiber.Ctx, params gen.ListClaimObjectionsParams) error {
	return h.objectionsOf(c, talent.EntryClaim, talent.ObjectionStatus(value(params.Status)), page(params.Cursor, params.Limit))
}

func (h *publicityHandlers) ListRoundObjections(c *fiber.Ctx, params gen.ListRoundObjectionsParams) error {
	return h.objectionsOf(c, talent.EntryRound, talent.ObjectionStatus(value(params.Status)), page(params.Cursor, params.Limit))
}

func (h *publicityHandlers) objectionsOf(c *fiber.Ctx, kind talent.EntryKind, status talent.ObjectionStatus, p talent.Page) error {
	return respond(c, fiber.StatusOK, func(ctx context.Context, u talent.User) (gen.ObjectionPage, error) {
		list, next, err := h.publicity.Objections(ctx, u, kind, status, p)
		return gen.ObjectionPage{Items: each(list, func(x publicity.ObjectionItem) gen.ObjectionItem {
			return gen.ObjectionItem{Objection: toObjection(x.Objection), Entry: toEntry(x.Entry)}
		}), NextCursor: optional(next)}, err
	}, same)
}

func (h *publicityHandlers) ResolveClaimObjection(c *fiber.Ctx, id gen.ID) error {
	return h.resolve(c, talent.EntryClaim, id)
}

func (h *publicityHandlers) ResolveRoundObjection(c *fiber.Ctx, id gen.ID) error {
	return h.resolve(c, talent.EntryRound, id)
}

func (h *publicityHandlers) resolve(c *fiber.Ctx, kind talent.EntryKind, id gen.ID) error {
	return respondBody(c, fiber.StatusOK, func(ctx context.Context, u talent.User, body gen.ObjectionResolution) (talent.Objection, error) {
		return h.publicity.Resolve(ctx, u, kind, id.String(), body.Uphold, body.Resolution)
	}, toObjection)
}

// PublicDeliveryStats reports how fast claims submitted between two civil
// dates, both included, were decided and paid.
func (h *publicityHandlers) PublicDeliveryStats(c *fiber.Ctx, params gen.PublicDeliveryStatsParams) error {
	from, to := policy.StartOfDay(params.From.Time), policy.StartOfDay(params.To.AddDate(0, 0, 1))
	rows, err := h.allowance.PublicDelivery(c.UserContext(), from, to)
	if err != nil {
		return err
	}
	return c.JSON(gen.PublicDeliveryReport{From: params.From, To: params.To, Items: each(rows, func(m allowance.MonthStats) gen.MonthDelivery {
		return gen.MonthDelivery{Package: string(m.Package), Month: m.Month.Format("2006-01"), Claims: m.Claims, Decided: m.Decided, Paid: m.Paid,
			MedianDaysToDecision: days(m.MedianToDecision), P90DaysToDecision: days(m.P90ToDecision),
			MedianDaysToMoney: days(m.MedianToFirstPay), P90DaysToMoney: days(m.P90ToFirstPay), DeadlinesBreached: m.DeadlinesBreached,
			Clawbacks: m.Clawbacks, ClawbackOwed: m.ClawbackOwed, ClawbackRepaid: m.ClawbackRepaid}
	})})
}

// days is a duration in days, to a tenth.
func days(d time.Duration) float32 {
	return float32(int64(d.Hours()*10/24+0.5)) / 10
}

func (h *publicityHandlers) PublicRoundNotice(c *fiber.Ctx, id gen.ID, params gen.PublicRoundNoticeParams) error {
	return roundNotice(c, h.rounds, id, value(params.Format) == gen.PublicRoundNoticeParamsFormatXlsx)
}

func (h *publicityHandlers) PublicDrawRecord(c *fiber.Ctx, id gen.ID) error {
	return drawRecord(c, h.rounds, id)
}

// roundNotice publishes a drawn round's result with names and ID numbers
// masked, as JSON or as a spreadsheet to post.
func roundNotice(c *fiber.Ctx, rounds *housing.Rounds, id gen.ID, xlsx bool) error {
	r, lines, err := rounds.Notice(c.UserContext(), id.String())
	if err != nil {
		return err
	}
	if !xlsx {
		out := gen.RoundNotice{RoundId: r.ID, Name: r.Name, Commitment: r.Commitment, PoolHash: r.PoolHash,
			Seed: r.Record.Seed, Lines: make([]gen.NoticeLine, len(lines))}
		for i, l := range lines {
			out.Lines[i] = gen.NoticeLine{Rank: l.Rank, Applicant: l.Applicant, Score: l.Score, UnitId: optional(l.UnitID)}
		}
		return c.JSON(out)
	}
	rows := [][]string{{"名次", "申请人", "积分", "分配房源"}}
	for _, l := range lines {
		unit := "候补"
		if l.UnitID != "" {
			unit = l.UnitID
		}
		rows = append(rows, []string{strconv.Itoa(l.Rank), l.Applicant, strconv.Itoa(l.Score), unit})
	}
	rows = append(rows, nil, []string{"种子承诺", r.Commitment}, []string{"申请池哈希", r.PoolHash}, []string{"种子", r.Record.Seed})
	book, err := sheet.XLSX(rows)
	if err != nil {
		return err
	}
	return sendXLSX(c, "anju-notice-"+r.ID[:8], book)
}

// drawRecord serves a round's draw record in its canonical encoding, byte
// for byte what `anju verify-draw` checks.
func drawRecord(c *fiber.Ctx, rounds *housing.Rounds, id gen.ID) error {
	rec, err := rounds.Record(c.UserContext(), id.String())
	if err != nil {
		return err
	}
	b, err := draw.MarshalRecord(rec)
	if err != nil {
		return err
	}
	c.Set(fiber.HeaderContentType, fiber.MIMEApplicationJSON)
	return c.Send(b)
}

func toEntry(e talent.Entry) gen.PublicityEntry {
	out := gen.PublicityEntry{Id: uuidOf(e.ID), Kind: gen.PublicityEntryKind(e.Kind), Person: e.Person, Employer: optional(e.Employer),
		Package: e.Package, Amount: e.Amount, StartsAt: e.StartsAt.UTC(), EndsAt: e.EndsAt.UTC(), Status: gen.PublicityEntryStatus(e.Status)}
	if e.RoundID != "" {
		id := uuid.MustParse(e.RoundID)
		out.RoundId = &id
	}
	return out
}

func toObjection(o talent.Objection) gen.Objection {
	return gen.Objection{Id: uuidOf(o.ID), EntryId: uuidOf(o.EntryID), Reasons: o.Reasons, Status: gen.ObjectionStatus(o.Status),
		Resolution: optional(o.Resolution), CreatedAt: o.CreatedAt.UTC(), ResolvedAt: utc(o.ResolvedAt)}
}
