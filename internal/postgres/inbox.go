package postgres

import (
	"context"
	"errors"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

// Inbox is account.InboxStore: devices, inbox entries and push deliveries.
type Inbox struct{ db *DB }

// Inbox returns the inbox adapter.
func (db *DB) Inbox() Inbox { return Inbox{db} }

// SaveDevice implements account.InboxStore: one statement, so that two
// accounts registering one token at once cannot both win.
func (s Inbox) SaveDevice(ctx context.Context, d talent.Device, idleSince time.Time) error {
	var owner string
	err := s.db.pool.QueryRow(ctx, `
		INSERT INTO devices (token, user_id, platform, app_version, last_seen_at) VALUES ($1, $2, $3, $4, $5)
		ON CONFLICT (token) DO UPDATE SET user_id = EXCLUDED.user_id, platform = EXCLUDED.platform,
			app_version = EXCLUDED.app_version, last_seen_at = EXCLUDED.last_seen_at
		WHERE devices.user_id = EXCLUDED.user_id OR devices.last_seen_at < $6
		RETURNING user_id`,
		d.Token, d.UserID, d.Platform, d.AppVersion, d.LastSeenAt, idleSince).Scan(&owner)
	if errors.Is(err, pgx.ErrNoRows) {
		return talent.Errorf(talent.KindConflict, talent.CodeDeviceTokenTaken, "device token registered to another account")
	}
	return translate(err)
}

// DeleteDevice implements account.InboxStore.
func (s Inbox) DeleteDevice(ctx context.Context, userID, token string) error {
	_, err := s.db.pool.Exec(ctx, `DELETE FROM devices WHERE user_id = $1 AND token = $2`, userID, token)
	return translate(err)
}

// DeleteDeviceToken implements account.InboxStore.
func (s Inbox) DeleteDeviceToken(ctx context.Context, token string) error {
	_, err := s.db.pool.Exec(ctx, `DELETE FROM devices WHERE token = $1`, token)
	return translate(err)
}

// Devices implements account.InboxStore.
func (s Inbox) Devices(ctx context.Context, userID string) ([]talent.Device, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (talent.Device, error) {
		var d talent.Device
		err := r.Scan(&d.Token, &d.UserID, &d.Platform, &d.AppVersion, &d.LastSeenAt)
		return d, err
	}, `SELECT token, user_id, platform, app_version, last_seen_at FROM devices
		WHERE user_id = $1 ORDER BY last_seen_at DESC`, userID)
}

const notificationColumns = `id, user_id, event_id, template, title, body, data, created_at, read_at`

func scanNotification(r pgx.Row) (talent.Notification, error) {
	var n talent.Notification
	err := r.Scan(&n.ID, &n.UserID, &n.EventID, &n.Template, &n.Title, &n.Body, &n.Data, &n.CreatedAt, &n.ReadAt)
	return n, err
}

// AddNotification implements account.InboxStore.
func (s Inbox) AddNotification(ctx context.Context, n talent.Notification) (talent.Notification, error) {
	if n.Data == nil {
		n.Data = map[string]string{}
	}
	_, err := s.db.pool.Exec(ctx, `INSERT INTO notifications (`+notificationColumns+`)
		VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) ON CONFLICT (user_id, event_id) DO NOTHING`,
		n.ID, n.UserID, n.EventID, n.Template, n.Title, n.Body, n.Data, n.CreatedAt, n.ReadAt)
	if err != nil {
		return talent.Notification{}, translate(err)
	}
	stored, err := scanNotification(s.db.pool.QueryRow(ctx, `SELECT `+notificationColumns+`
		FROM notifications WHERE user_id = $1 AND event_id = $2`, n.UserID, n.EventID))
	return stored, translate(err)
}

// Notifications implements account.InboxStore.
func (s Inbox) Notifications(ctx context.Context, userID string, p talent.Page) ([]talent.Notification, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanNotification, func(x talent.Notification) (time.Time, string) { return x.CreatedAt, x.ID },
		`SELECT `+notificationColumns+` FROM notifications WHERE user_id = $1 AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, userID)
}

// MarkNotificationRead implements account.InboxStore.
func (s Inbox) MarkNotificationRead(ctx context.Context, userID, id string, at time.Time) (talent.Notification, error) {
	if !isUUID(id) {
		return talent.Notification{}, talent.NotFound(talent.CodeNotificationNotFound)
	}
	n, err := scanNotification(s.db.pool.QueryRow(ctx, `UPDATE notifications SET read_at = coalesce(read_at, $3)
		WHERE id = $1 AND user_id = $2 RETURNING `+notificationColumns, id, userID, at))
	return n, notFound(translate(err), talent.CodeNotificationNotFound)
}

// PushedTokens implements account.InboxStore.
func (s Inbox) PushedTokens(ctx context.Context, notificationID string) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT token FROM push_deliveries WHERE notification_id = $1`, notificationID)
}

// WithPushLock implements account.InboxStore with a session advisory lock
// on one connection, which fn's statements use too (each committed by
// itself): released at the end, or by PostgreSQL when the worker dies.
func (s Inbox) WithPushLock(ctx context.Context, notificationID string, fn func(ctx context.Context) error) error {
	c, err := s.db.pool.p.Acquire(ctx)
	if err != nil {
		return translate(err)
	}
	defer c.Release()
	key := "push:" + notificationID
	if _, err := c.Exec(ctx, `SELECT pg_advisory_lock(hashtextextended($1, 0))`, key); err != nil {
		return translate(err)
	}
	defer func() {
		_, _ = c.Exec(context.WithoutCancel(ctx), `SELECT pg_advisory_unlock(hashtextextended($1, 0))`, key)
	}()
	return fn(context.WithValue(ctx, requestTxKey{}, &reqTx{c: c, autocommit: true}))
}

// RecordPush implements account.InboxStore.
func (s Inbox) RecordPush(ctx context.Context, notificationID, token string) error {
	_, err := s.db.pool.Exec(ctx, `INSERT INTO push_deliveries (notification_id, token) VALUES ($1, $2)
		ON CONFLICT DO NOTHING`, notificationID, token)
	return translate(err)
}
