package postgres

import (
	"context"
	"encoding/base64"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

// Lists are ordered newest first by (created_at, id); a cursor is the
// position of the last row of the previous page, opaque to clients.

const (
	defaultLimit = 20
	maxLimit     = 100
)

func limit(p talent.Page) int {
	switch {
	case p.Limit <= 0:
		return defaultLimit
	case p.Limit > maxLimit:
		return maxLimit
	}
	return p.Limit
}

func encodeCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(at.UTC().Format(time.RFC3339Nano) + "|" + id))
}

// decodeCursor returns the position after which to continue; an empty cursor
// starts from the newest row.
func decodeCursor(c string) (time.Time, string, error) {
	if c == "" {
		return time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC), "ffffffff-ffff-ffff-ffff-ffffffffffff", nil
	}
	bad := talent.Errorf(talent.KindMalformed, talent.CodeCursorInvalid, "the cursor is not one this server issued")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", bad
	}
	ts, id, ok := strings.Cut(string(raw), "|")
	at, err := time.Parse(time.RFC3339Nano, ts)
	if !ok || err != nil || len(id) != 36 {
		return time.Time{}, "", bad
	}
	return at, id, nil
}

// page trims the extra row fetched to learn whether another page exists and
// returns the next cursor ("" on the last page).
func page[T any](rows []T, n int, key func(T) (time.Time, string)) ([]T, string) {
	if len(rows) <= n {
		return rows, ""
	}
	rows = rows[:n]
	at, id := key(rows[n-1])
	return rows, encodeCursor(at, id)
}

// newestFirst reads one page of a list ordered newest first by
// (created_at, id). sql filters with its args and then takes the position
// and the limit as its next three placeholders, in that order.
func newestFirst[T any](ctx context.Context, q querier, p talent.Page, scan func(pgx.Row) (T, error), key func(T) (time.Time, string), sql string, args ...any) ([]T, string, error) {
	at, after, err := decodeCursor(p.Cursor)
	if err != nil {
		return nil, "", err
	}
	n := limit(p)
	list, err := collect(ctx, q, scan, sql, append(args, at, after, n+1)...)
	if err != nil {
		return nil, "", err
	}
	list, next := page(list, n, key)
	return list, next, nil
}

// Lists in another order than by time (a round's applications in the
// draw's order) page by (a 32-bit number, id); their cursor is written the
// same way, with the number in place of the time.

func encodeRankCursor(n int32, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(int64(n), 10) + "|" + id))
}

// decodeRankCursor returns the position after which to continue; an
// empty cursor starts before the first row.
func decodeRankCursor(c string) (int32, string, error) {
	if c == "" {
		return math.MinInt32, "00000000-0000-0000-0000-000000000000", nil
	}
	bad := talent.Errorf(talent.KindMalformed, talent.CodeCursorInvalid, "the cursor is not one this server issued")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return 0, "", bad
	}
	num, id, ok := strings.Cut(string(raw), "|")
	n, err := strconv.ParseInt(num, 10, 32)
	if !ok || err != nil || !isUUID(id) {
		return 0, "", bad
	}
	return int32(n), id, nil
}

// Lists a caller may order in several ways page by (the order's key, id);
// their cursor names the order, so that a cursor is refused by a request
// in another order instead of skipping or repeating rows, and holds the
// key as PostgreSQL wrote it (key::text), read back with the same cast.

func encodeKeyCursor(order, key, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(order + "|" + id + "|" + key))
}

// decodeKeyCursor returns the key and id after which to continue in order;
// ok is false for an empty cursor (start from the first row).
func decodeKeyCursor(c, order string) (key, id string, ok bool, err error) {
	if c == "" {
		return "", "", false, nil
	}
	bad := talent.Errorf(talent.KindMalformed, talent.CodeCursorInvalid, "the cursor is not one this server issued for this order")
	raw, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", "", false, bad
	}
	o, rest, _ := strings.Cut(string(raw), "|")
	id, key, found := strings.Cut(rest, "|")
	if o != order || !found || !isUUID(id) {
		return "", "", false, bad
	}
	return key, id, true, nil
}
