package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

// SaveDevice implements talent.Store.
func (db *DB) SaveDevice(ctx context.Context, d talent.Device) error {
	_, err := db.pool.Exec(ctx, `
		INSERT INTO devices (token, user_id, platform, app_version, last_seen_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (token) DO UPDATE SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform,
			app_version = EXCLUDED.app_version, last_seen_at = EXCLUDED.last_seen_at`,
		d.Token, d.UserID, d.Platform, d.AppVersion, d.LastSeenAt)
	return translate(err)
}

// DeleteDevice implements talent.Store.
func (db *DB) DeleteDevice(ctx context.Context, userID, token string) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM devices WHERE user_id = $1 AND token = $2`, userID, token)
	return translate(err)
}

// DeleteDeviceToken implements talent.Store.
func (db *DB) DeleteDeviceToken(ctx context.Context, token string) error {
	_, err := db.pool.Exec(ctx, `DELETE FROM devices WHERE token = $1`, token)
	return translate(err)
}

// Devices implements talent.Store.
func (db *DB) Devices(ctx context.Context, userID string) ([]talent.Device, error) {
	rows, err := db.pool.Query(ctx, `
		SELECT token, user_id, platform, app_version, last_seen_at FROM devices
		WHERE user_id = $1 ORDER BY last_seen_at DESC`, userID)
	if err != nil {
		return nil, translate(err)
	}
	devices, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (talent.Device, error) {
		var d talent.Device
		err := r.Scan(&d.Token, &d.UserID, &d.Platform, &d.AppVersion, &d.LastSeenAt)
		return d, err
	})
	return devices, translate(err)
}

const notificationColumns = `id, user_id, event_id, template, title, body, data, created_at, read_at`

func scanNotification(r pgx.Row) (talent.Notification, error) {
	var n talent.Notification
	err := r.Scan(&n.ID, &n.UserID, &n.EventID, &n.Template, &n.Title, &n.Body, &n.Data, &n.CreatedAt, &n.ReadAt)
	return n, err
}

// AddNotification implements talent.Store.
func (db *DB) AddNotification(ctx context.Context, n talent.Notification) (talent.Notification, error) {
	if n.Data == nil {
		n.Data = map[string]string{}
	}
	_, err := db.pool.Exec(ctx, `INSERT INTO notifications (`+notificationColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_id, event_id) DO NOTHING`,
		n.ID, n.UserID, n.EventID, n.Template, n.Title, n.Body, n.Data, n.CreatedAt, n.ReadAt)
	if err != nil {
		return talent.Notification{}, translate(err)
	}
	stored, err := scanNotification(db.pool.QueryRow(ctx, `SELECT `+notificationColumns+`
		FROM notifications WHERE user_id = $1 AND event_id = $2`, n.UserID, n.EventID))
	return stored, translate(err)
}

// Notifications implements talent.Store.
func (db *DB) Notifications(ctx context.Context, userID string, p talent.Page) ([]talent.Notification, string, error) {
	at, after, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := limit(p)
	rows, err := db.pool.Query(ctx, `SELECT `+notificationColumns+` FROM notifications
		WHERE user_id = $1 AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, userID, at, after, n+1)
	if err != nil {
		return nil, "", translate(err)
	}
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (talent.Notification, error) { return scanNotification(r) })
	if err != nil {
		return nil, "", translate(err)
	}
	list, next := page(list, n, func(x talent.Notification) (time.Time, string) { return x.CreatedAt, x.ID })
	return list, next, nil
}

// MarkNotificationRead implements talent.Store.
func (db *DB) MarkNotificationRead(ctx context.Context, userID, id string, at time.Time) (talent.Notification, error) {
	if !isUUID(id) {
		return talent.Notification{}, talent.NotFound("notification")
	}
	n, err := scanNotification(db.pool.QueryRow(ctx, `UPDATE notifications SET read_at = coalesce(read_at, $3)
		WHERE id = $1 AND user_id = $2 RETURNING `+notificationColumns, id, userID, at))
	return n, notFound(translate(err), "notification")
}

// PushedTokens implements talent.Store.
func (db *DB) PushedTokens(ctx context.Context, notificationID string) ([]string, error) {
	rows, err := db.pool.Query(ctx, `SELECT token FROM push_deliveries WHERE notification_id = $1`, notificationID)
	if err != nil {
		return nil, translate(err)
	}
	tokens, err := pgx.CollectRows(rows, pgx.RowTo[string])
	return tokens, translate(err)
}

// RecordPush implements talent.Store.
func (db *DB) RecordPush(ctx context.Context, notificationID, token string) error {
	_, err := db.pool.Exec(ctx, `INSERT INTO push_deliveries (notification_id, token) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, notificationID, token)
	return translate(err)
}
