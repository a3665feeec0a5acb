package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/logging"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/publicity"
	"github.com/jackc/pgx/v5"
)

// Publicity is publicity.Store: the public notice and its objections. The
// workflows write entries and objections in their own transactions with
// the helpers below.
type Publicity struct{ db *DB }

// Publicity returns the public-notice adapter.
func (db *DB) Publicity() Publicity { return Publicity{db} }

const entryColumns = `id, kind, coalesce(round_id::text, ''), person, employer, package, amount, starts_at, ends_at, status, created_at`

func scanEntry(r pgx.Row) (talent.Entry, error) {
	var e talent.Entry
	err := r.Scan(&e.ID, &e.Kind, &e.RoundID, &e.Person, &e.Employer, &e.Package, &e.Amount, &e.StartsAt, &e.EndsAt, &e.Status, &e.CreatedAt)
	return e, err
}

const objectionColumns = `id, entry_id, filed_by, reasons, status, coalesce(resolved_by::text, ''), resolution, created_at, resolved_at`

func scanObjection(r pgx.Row) (talent.Objection, error) {
	var o talent.Objection
	err := r.Scan(&o.ID, &o.EntryID, &o.FiledBy, &o.Reasons, &o.Status, &o.ResolvedBy, &o.Resolution, &o.CreatedAt, &o.ResolvedAt)
	return o, err
}

// Listed implements publicity.Store.
func (s Publicity) Listed(ctx context.Context, kind talent.EntryKind, now time.Time, p talent.Page) ([]talent.Entry, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanEntry, func(e talent.Entry) (time.Time, string) { return e.StartsAt, e.ID },
		`SELECT `+entryColumns+` FROM publicity_entries
		WHERE status IN ('open', 'objected') AND (status = 'objected' OR ends_at >= $1) AND ($2 = '' OR kind = $2)
		AND (starts_at, id) < ($3, $4) ORDER BY starts_at DESC, id DESC LIMIT $5`, now, string(kind))
}

// Entry implements publicity.Store.
func (s Publicity) Entry(ctx context.Context, id string) (talent.Entry, error) {
	return byID(ctx, s.db.pool, id, talent.CodeEntryNotFound, scanEntry, `SELECT `+entryColumns+` FROM publicity_entries WHERE id = $1`)
}

// Objection implements publicity.Store.
func (s Publicity) Objection(ctx context.Context, id string) (talent.Objection, error) {
	return byID(ctx, s.db.pool, id, talent.CodeObjectionNotFound, scanObjection, `SELECT `+objectionColumns+` FROM objections WHERE id = $1`)
}

// OpenObjections implements publicity.Store.
func (s Publicity) OpenObjections(ctx context.Context, entryID string) ([]talent.Objection, error) {
	return collect(ctx, s.db.pool, scanObjection, `SELECT `+objectionColumns+` FROM objections
		WHERE entry_id = $1 AND status = 'open' ORDER BY created_at, id`, entryID)
}

// Objections implements publicity.Store, oldest first so that the longest
// waiting is decided first.
func (s Publicity) Objections(ctx context.Context, kind talent.EntryKind, status talent.ObjectionStatus, p talent.Page) ([]publicity.ObjectionItem, string, error) {
	at, after := time.Time{}, "00000000-0000-0000-0000-000000000000"
	if p.Cursor != "" {
		var err error
		if at, after, err = decodeCursor(p.Cursor); err != nil {
			return nil, "", err
		}
	}
	n := limit(p)
	list, err := collect(ctx, s.db.pool, func(r pgx.Row) (publicity.ObjectionItem, error) {
		var x publicity.ObjectionItem
		o, e := &x.Objection, &x.Entry
		err := r.Scan(&o.ID, &o.EntryID, &o.FiledBy, &o.Reasons, &o.Status, &o.ResolvedBy, &o.Resolution, &o.CreatedAt, &o.ResolvedAt,
			&e.ID, &e.Kind, &e.RoundID, &e.Person, &e.Employer, &e.Package, &e.Amount, &e.StartsAt, &e.EndsAt, &e.Status, &e.CreatedAt)
		return x, err
	}, `SELECT o.id, o.entry_id, o.filed_by, o.reasons, o.status, coalesce(o.resolved_by::text, ''), o.resolution, o.created_at,
			o.resolved_at, `+prefixed("e.", `id, kind`)+`, coalesce(e.round_id::text, ''), e.person, e.employer, e.package, e.amount,
			e.starts_at, e.ends_at, e.status, e.created_at
		FROM objections o JOIN publicity_entries e ON e.id = o.entry_id
		WHERE e.kind = $1 AND o.status = $2 AND (o.created_at, o.id) > ($3, $4)
		ORDER BY o.created_at, o.id LIMIT $5`, kind, status, at, after, n+1)
	if err != nil {
		return nil, "", err
	}
	list, next := page(list, n, func(x publicity.ObjectionItem) (time.Time, string) { return x.Objection.CreatedAt, x.Objection.ID })
	return list, next, nil
}

// insertEntry puts an entry on the notice, in the caller's transaction.
func insertEntry(ctx context.Context, tx pgx.Tx, e talent.Entry) error {
	var round *string
	if e.RoundID != "" {
		round = &e.RoundID
	}
	// A decision reconsidered after an upheld objection goes on notice
	// again under the same entry, which keeps the objections' history.
	tag, err := tx.Exec(ctx, `INSERT INTO publicity_entries (id, kind, round_id, person, employer, package, amount, starts_at, ends_at, status, created_at)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)
		ON CONFLICT (id) DO UPDATE SET person = excluded.person, employer = excluded.employer, package = excluded.package,
			amount = excluded.amount, starts_at = excluded.starts_at, ends_at = excluded.ends_at, status = excluded.status
		WHERE publicity_entries.status = 'withdrawn'`,
		e.ID, e.Kind, round, e.Person, e.Employer, e.Package, e.Amount, e.StartsAt, e.EndsAt, e.Status, e.CreatedAt)
	if err == nil && tag.RowsAffected() == 0 {
		return talent.Errorf(talent.KindConflict, talent.CodeDuplicate, "entry %s is already on notice", e.ID)
	}
	return err
}

// moveEntry moves an entry along talent.EntryTransitions, guarded by its
// current status. A dismissal reopens the entry only when no objection to
// it is open any more; any other event the status does not allow fails.
func moveEntry(ctx context.Context, tx pgx.Tx, id string, ev talent.EntryEvent) error {
	edge := talent.EntryTransitions[ev]
	tag, err := tx.Exec(ctx, `UPDATE publicity_entries SET status = $2 WHERE id = $1 AND status = ANY($3)
		AND ($4 <> 'dismiss' OR NOT EXISTS (SELECT 1 FROM objections WHERE entry_id = $1 AND status = 'open'))`,
		id, edge.To, strs(edge.From), string(ev))
	if err != nil || tag.RowsAffected() == 1 || ev == talent.EntryDismiss {
		return err
	}
	return talent.Errorf(talent.KindConflict, talent.CodeNoticeClosed, "entry %s: its status does not allow %s", id, ev)
}

// saveObjections inserts open objections and records decisions, each
// decision guarded so that one decided already fails the whole change.
func saveObjections(ctx context.Context, tx pgx.Tx, list []talent.Objection) error {
	for _, o := range list {
		if o.Status == talent.ObjectionOpen {
			if _, err := tx.Exec(ctx, `INSERT INTO objections (id, entry_id, filed_by, reasons, status, created_at)
				VALUES ($1, $2, $3, $4, $5, $6)`, o.ID, o.EntryID, o.FiledBy, o.Reasons, o.Status, o.CreatedAt); err != nil {
				return err
			}
			continue
		}
		tag, err := tx.Exec(ctx, `UPDATE objections SET status = $2, resolved_by = $3, resolution = $4, resolved_at = $5
			WHERE id = $1 AND status = 'open'`, o.ID, o.Status, o.ResolvedBy, o.Resolution, o.ResolvedAt)
		if err != nil {
			return err
		}
		if tag.RowsAffected() != 1 {
			return talent.Errorf(talent.KindConflict, talent.CodeObjectionResolved, "objection %s was decided already", o.ID)
		}
	}
	return nil
}

// AccessLog is talent.AccessLog and the admin's reading of it.
type AccessLog struct{ db *DB }

// AccessLog returns the access-log adapter.
func (db *DB) AccessLog() AccessLog { return AccessLog{db} }

// Record implements talent.AccessLog, with the request id of the context.
func (s AccessLog) Record(ctx context.Context, a talent.Access) error {
	if a.RequestID == "" {
		a.RequestID = logging.RequestID(ctx)
	}
	var subject *string
	if a.SubjectID != "" {
		subject = &a.SubjectID
	}
	_, err := s.db.pool.Exec(ctx, `INSERT INTO access_log (id, at, actor_id, subject_id, what, object_id, request_id)
		VALUES ($1, $2, $3, $4, $5, $6, $7)`, talent.NewID(), a.At, a.ActorID, subject, a.What, a.ObjectID, a.RequestID)
	return translate(err)
}

// AccessEntries lists the log newest first, of one subject when subjectID is set.
func (s AccessLog) AccessEntries(ctx context.Context, subjectID string, p talent.Page) ([]talent.Access, string, error) {
	return newestFirst(ctx, s.db.pool, p, func(r pgx.Row) (talent.Access, error) {
		var a talent.Access
		err := r.Scan(&a.ID, &a.At, &a.ActorID, &a.SubjectID, &a.What, &a.ObjectID, &a.RequestID)
		return a, err
	}, func(a talent.Access) (time.Time, string) { return a.At, a.ID }, `SELECT id, at, actor_id::text,
		coalesce(subject_id::text, ''), what, object_id, request_id FROM access_log
		WHERE ($1 = '' OR subject_id::text = $1) AND (at, id) < ($2, $3) ORDER BY at DESC, id DESC LIMIT $4`, subjectID)
}
