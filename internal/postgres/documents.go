package postgres

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

const documentColumns = `id, owner_id, kind, content_type, size, sha256, object_key, status,
	reject_reason, created_at, updated_at, inspected_at`

func scanDocument(r pgx.Row) (talent.Document, error) {
	var d talent.Document
	err := r.Scan(&d.ID, &d.OwnerID, &d.Kind, &d.ContentType, &d.Size, &d.SHA256, &d.ObjectKey, &d.Status,
		&d.RejectReason, &d.CreatedAt, &d.UpdatedAt, &d.InspectedAt)
	return d, err
}

// CreateDocument implements talent.Store.
func (db *DB) CreateDocument(ctx context.Context, d talent.Document) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO documents (`+documentColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)`,
		d.ID, d.OwnerID, d.Kind, d.ContentType, d.Size, d.SHA256, d.ObjectKey, d.Status,
		d.RejectReason, d.CreatedAt, d.UpdatedAt, d.InspectedAt)
	return translate(err)
}

// Document implements talent.Store.
func (db *DB) Document(ctx context.Context, id string) (talent.Document, error) {
	if !isUUID(id) {
		return talent.Document{}, talent.NotFound("document")
	}
	d, err := scanDocument(db.pool.QueryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = $1`, id))
	return d, notFound(translate(err), "document")
}

// Documents implements talent.Store.
func (db *DB) Documents(ctx context.Context, ownerID string, p talent.Page) ([]talent.Document, string, error) {
	at, after, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := limit(p)
	rows, err := db.pool.Query(ctx, `SELECT `+documentColumns+` FROM documents
		WHERE owner_id = $1 AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, ownerID, at, after, n+1)
	if err != nil {
		return nil, "", translate(err)
	}
	docs, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (talent.Document, error) { return scanDocument(r) })
	if err != nil {
		return nil, "", translate(err)
	}
	docs, next := page(docs, n, func(d talent.Document) (time.Time, string) { return d.CreatedAt, d.ID })
	return docs, next, nil
}

// UpdateDocument implements talent.Store.
func (db *DB) UpdateDocument(ctx context.Context, id string, fn func(*talent.Document) ([]talent.Task, error)) (talent.Document, error) {
	if !isUUID(id) {
		return talent.Document{}, talent.NotFound("document")
	}
	var d talent.Document
	err := db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		d, err = scanDocument(tx.QueryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = $1 FOR UPDATE`, id))
		if err != nil {
			return notFound(translate(err), "document")
		}
		tasks, err := fn(&d)
		if err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE documents SET status = $2, reject_reason = $3, updated_at = $4, inspected_at = $5
			WHERE id = $1`, d.ID, d.Status, d.RejectReason, d.UpdatedAt, d.InspectedAt)
		if err != nil {
			return err
		}
		return enqueue(ctx, tx, tasks)
	})
	return d, err
}

// enqueue writes tasks to the outbox inside the caller's transaction.
func enqueue(ctx context.Context, tx pgx.Tx, tasks []talent.Task) error {
	for _, t := range tasks {
		payload, err := json.Marshal(t.Payload)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `INSERT INTO outbox (id, task_type, payload) VALUES ($1, $2, $3)`,
			talent.NewID(), t.Type, payload); err != nil {
			return err
		}
	}
	if len(tasks) > 0 {
		// Wake the relay now rather than at its next poll.
		_, err := tx.Exec(ctx, `SELECT pg_notify('anju_outbox', '')`)
		return err
	}
	return nil
}

// isUUID keeps ids that cannot exist away from the database, where they would
// be a type error rather than "not found".
func isUUID(s string) bool {
	if len(s) != 36 {
		return false
	}
	for i, c := range s {
		switch i {
		case 8, 13, 18, 23:
			if c != '-' {
				return false
			}
		default:
			if (c < '0' || c > '9') && (c < 'a' || c > 'f') && (c < 'A' || c > 'F') {
				return false
			}
		}
	}
	return true
}

// prefixed qualifies a column list with a table alias.
func prefixed(alias, columns string) string {
	var out []string
	for _, c := range strings.Split(columns, ",") {
		out = append(out, alias+strings.TrimSpace(c))
	}
	return strings.Join(out, ", ")
}
