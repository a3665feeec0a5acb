package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

// Documents is account.DocumentStore: uploaded documents' metadata.
type Documents struct{ db *DB }

// Documents returns the documents adapter.
func (db *DB) Documents() Documents { return Documents{db} }

const documentColumns = `id, owner_id, kind, content_type, size, sha256, object_key, status,
	reject_reason, created_at, updated_at, inspected_at, inspected_key`

func scanDocument(r pgx.Row) (talent.Document, error) {
	var d talent.Document
	var inspected *string
	err := r.Scan(&d.ID, &d.OwnerID, &d.Kind, &d.ContentType, &d.Size, &d.SHA256, &d.ObjectKey, &d.Status,
		&d.RejectReason, &d.CreatedAt, &d.UpdatedAt, &d.InspectedAt, &inspected)
	if inspected != nil {
		d.InspectedKey = *inspected
	}
	return d, err
}

// CreateDocument implements account.DocumentStore.
func (s Documents) CreateDocument(ctx context.Context, d talent.Document) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO documents (id, owner_id, kind, content_type, size, sha256, object_key, status,
		reject_reason, created_at, updated_at, inspected_at, inspected_key)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, nullif($13, ''))`,
		d.ID, d.OwnerID, d.Kind, d.ContentType, d.Size, d.SHA256, d.ObjectKey, d.Status,
		d.RejectReason, d.CreatedAt, d.UpdatedAt, d.InspectedAt, d.InspectedKey)
	return translate(err)
}

// Document implements account.DocumentStore.
func (s Documents) Document(ctx context.Context, id string) (talent.Document, error) {
	return byID(ctx, s.db.pool, id, talent.CodeDocumentNotFound, scanDocument, `SELECT `+documentColumns+` FROM documents WHERE id = $1`)
}

// Documents implements account.DocumentStore.
func (s Documents) Documents(ctx context.Context, ownerID string, p talent.Page) ([]talent.Document, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanDocument, func(d talent.Document) (time.Time, string) { return d.CreatedAt, d.ID },
		`SELECT `+documentColumns+` FROM documents WHERE owner_id = $1 AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, ownerID)
}

// UpdateDocument implements account.DocumentStore.
func (s Documents) UpdateDocument(ctx context.Context, id string, fn func(*talent.Document) ([]talent.Task, error)) (talent.Document, error) {
	return update(ctx, s.db, id, talent.CodeDocumentNotFound,
		func(tx pgx.Tx) (talent.Document, error) {
			return scanDocument(tx.QueryRow(ctx, `SELECT `+documentColumns+` FROM documents WHERE id = $1 FOR UPDATE`, id))
		}, fn,
		func(tx pgx.Tx, d *talent.Document, tasks []talent.Task) error {
			_, err := tx.Exec(ctx, `UPDATE documents SET status = $2, reject_reason = $3, updated_at = $4, inspected_at = $5,
				inspected_key = nullif($6, '') WHERE id = $1`, d.ID, d.Status, d.RejectReason, d.UpdatedAt, d.InspectedAt, d.InspectedKey)
			if err != nil {
				return err
			}
			return enqueue(ctx, tx, tasks)
		})
}
