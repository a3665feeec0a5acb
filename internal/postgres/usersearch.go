package postgres

import (
	"context"
	"strconv"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/logging"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/jackc/pgx/v5"
)

// SearchUsers implements account.UserStore: only the conditions q sets are
// written into the statement, so that each uses its index (the name's
// text_pattern_ops, a blind index, the firebase uid, or users_created).
func (s Users) SearchUsers(ctx context.Context, q account.UserQuery, p talent.Page) ([]account.UserMatch, string, error) {
	var where []string
	var args []any
	arg := func(v any) string {
		args = append(args, v)
		return "$" + strconv.Itoa(len(args))
	}
	if q.NamePrefix != "" {
		where = append(where, `p.name LIKE `+arg(escapeLike(q.NamePrefix))+` || '%'`)
	}
	if q.NationalIDIndex != "" {
		where = append(where, `p.national_id_index = `+arg(q.NationalIDIndex))
	}
	if q.PhoneIndex != "" {
		where = append(where, `p.phone_index = `+arg(q.PhoneIndex))
	}
	if q.FirebaseUID != "" {
		where = append(where, `u.firebase_uid = `+arg(q.FirebaseUID))
	}
	if q.Role != "" {
		where = append(where, `EXISTS (SELECT 1 FROM role_grants r WHERE r.user_id = u.id AND r.role = `+arg(q.Role)+`)`)
	}
	n := len(args)
	where = append(where, `(u.created_at, u.id) < ($`+strconv.Itoa(n+1)+`, $`+strconv.Itoa(n+2)+`)`)
	return newestFirst(ctx, s.db.pool, p, scanUserMatch, func(m account.UserMatch) (time.Time, string) { return m.User.CreatedAt, m.User.ID },
		`SELECT u.id, u.firebase_uid, u.locale, u.created_at, u.bootstrap_granted_at IS NOT NULL, u.last_seen_at,
			coalesce(array_agg(g.role ORDER BY g.role) FILTER (WHERE g.role IS NOT NULL), '{}'),
			coalesce(array_agg(coalesce(g.employer_id::text, '') ORDER BY g.role) FILTER (WHERE g.role IS NOT NULL), '{}'),
			coalesce(array_agg(g.granted_at ORDER BY g.role) FILTER (WHERE g.role IS NOT NULL), '{}'),
			p.user_id IS NOT NULL, coalesce(p.name, ''), coalesce(p.national_id_sealed, ''), coalesce(p.phone_sealed, '')
		FROM users u LEFT JOIN profiles p ON p.user_id = u.id LEFT JOIN role_grants g ON g.user_id = u.id
		WHERE `+strings.Join(where, " AND ")+`
		GROUP BY u.id, p.user_id
		ORDER BY u.created_at DESC, u.id DESC LIMIT $`+strconv.Itoa(n+3), args...)
}

func scanUserMatch(r pgx.Row) (account.UserMatch, error) {
	var m account.UserMatch
	var roles []talent.Role
	var employers []string
	var granted []time.Time
	err := r.Scan(&m.User.ID, &m.User.FirebaseUID, &m.User.Locale, &m.User.CreatedAt, &m.User.Bootstrapped, &m.LastSeenAt,
		&roles, &employers, &granted, &m.HasProfile, &m.Name, &m.NationalIDSealed, &m.PhoneSealed)
	m.User.Roles = make([]talent.RoleGrant, len(roles))
	for i := range roles {
		m.User.Roles[i] = talent.RoleGrant{Role: roles[i], EmployerID: employers[i], GrantedAt: granted[i]}
	}
	return m, err
}

// RecordAll implements account.AccessLogStore: one statement for every view.
func (s AccessLog) RecordAll(ctx context.Context, views []talent.Access) error {
	if len(views) == 0 {
		return nil
	}
	ids, ats, actors, subjects, whats, objects, requests := make([]string, len(views)), make([]time.Time, len(views)),
		make([]string, len(views)), make([]*string, len(views)), make([]string, len(views)), make([]string, len(views)), make([]string, len(views))
	for i, a := range views {
		if a.RequestID == "" {
			a.RequestID = logging.RequestID(ctx)
		}
		ids[i], ats[i], actors[i], whats[i], objects[i], requests[i] = talent.NewID(), a.At, a.ActorID, a.What, a.ObjectID, a.RequestID
		if a.SubjectID != "" {
			subjects[i] = &views[i].SubjectID
		}
	}
	_, err := s.db.pool.Exec(ctx, `INSERT INTO access_log (id, at, actor_id, subject_id, what, object_id, request_id)
		SELECT * FROM unnest($1::uuid[], $2::timestamptz[], $3::uuid[], $4::uuid[], $5::text[], $6::text[], $7::text[])`,
		ids, ats, actors, subjects, whats, objects, requests)
	return translate(err)
}
