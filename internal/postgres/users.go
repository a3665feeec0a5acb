package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/jackc/pgx/v5"
)

// Users is account.UserStore: accounts and their role grants.
type Users struct{ db *DB }

// Users returns the users adapter.
func (db *DB) Users() Users { return Users{db} }

// SignIn implements account.UserStore. A user already there with the
// roles asked for is only read; the insert runs at first sight and when a
// bootstrap admin lacks the admin grant.
func (s Users) SignIn(ctx context.Context, firebaseUID string, admin bool) (talent.User, error) {
	u, err := s.UserByFirebaseUID(ctx, firebaseUID)
	switch {
	case err == nil && (!admin || u.Bootstrapped):
		return u, nil
	case err != nil && talent.ErrorKind(err) != talent.KindNotFound:
		return talent.User{}, err
	}
	var id string
	err = s.db.tx(ctx, func(tx pgx.Tx) error {
		// The no-op update makes RETURNING give the id of an existing row too.
		err := tx.QueryRow(ctx, `
			INSERT INTO users (id, firebase_uid) VALUES ($1, $2)
			ON CONFLICT (firebase_uid) DO UPDATE SET firebase_uid = EXCLUDED.firebase_uid
			RETURNING id`, talent.NewID(), firebaseUID).Scan(&id)
		if err != nil {
			return err
		}
		roles := []talent.Role{talent.RoleGraduate}
		if admin {
			// The bootstrap grant is made once: an admin whose role was
			// revoked does not get it back by signing in again.
			tag, err := tx.Exec(ctx, `UPDATE users SET bootstrap_granted_at = now()
				WHERE id = $1 AND bootstrap_granted_at IS NULL`, id)
			if err != nil {
				return err
			}
			if tag.RowsAffected() == 1 {
				roles = append(roles, talent.RoleAdmin)
			}
		}
		for _, r := range roles {
			if _, err := tx.Exec(ctx, `
				INSERT INTO role_grants (user_id, role) VALUES ($1, $2)
				ON CONFLICT DO NOTHING`, id, r); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		return talent.User{}, err
	}
	return s.User(ctx, id)
}

// TouchLastSeen implements lastseen.Store: one statement for a batch, and a
// row is written only when its time moves forward.
func (s Users) TouchLastSeen(ctx context.Context, seen map[string]time.Time) error {
	ids := make([]string, 0, len(seen))
	ats := make([]time.Time, 0, len(seen))
	for id, at := range seen {
		if isUUID(id) {
			ids, ats = append(ids, id), append(ats, at)
		}
	}
	_, err := s.db.pool.Exec(ctx, `
		UPDATE users u SET last_seen_at = v.at
		FROM unnest($1::uuid[], $2::timestamptz[]) AS v (id, at)
		WHERE u.id = v.id AND (u.last_seen_at IS NULL OR u.last_seen_at < v.at)`, ids, ats)
	return translate(err)
}

// User implements account.UserStore.
func (s Users) User(ctx context.Context, id string) (talent.User, error) {
	return userByID(ctx, s.db.pool, id)
}

func userByID(ctx context.Context, q querier, id string) (talent.User, error) {
	if !isUUID(id) {
		return talent.User{}, talent.NotFound(talent.CodeUserNotFound)
	}
	return userWhere(ctx, q, "u.id = $1", id)
}

// userWhere reads one user and their role grants in one query.
func userWhere(ctx context.Context, q querier, cond string, arg any) (talent.User, error) {
	var u talent.User
	var roles []talent.Role
	var employers []string
	var granted []time.Time
	err := q.QueryRow(ctx, `
		SELECT u.id, u.firebase_uid, u.locale, u.created_at, u.bootstrap_granted_at IS NOT NULL,
			coalesce(array_agg(g.role ORDER BY g.role) FILTER (WHERE g.role IS NOT NULL), '{}'),
			coalesce(array_agg(coalesce(g.employer_id::text, '') ORDER BY g.role) FILTER (WHERE g.role IS NOT NULL), '{}'),
			coalesce(array_agg(g.granted_at ORDER BY g.role) FILTER (WHERE g.role IS NOT NULL), '{}')
		FROM users u LEFT JOIN role_grants g ON g.user_id = u.id
		WHERE `+cond+` GROUP BY u.id`, arg).
		Scan(&u.ID, &u.FirebaseUID, &u.Locale, &u.CreatedAt, &u.Bootstrapped, &roles, &employers, &granted)
	if err != nil {
		return talent.User{}, notFound(translate(err), talent.CodeUserNotFound)
	}
	u.Roles = make([]talent.RoleGrant, len(roles))
	for i := range roles {
		u.Roles[i] = talent.RoleGrant{Role: roles[i], EmployerID: employers[i], GrantedAt: granted[i]}
	}
	return u, nil
}

// UserByFirebaseUID returns the user with a Firebase uid.
func (s Users) UserByFirebaseUID(ctx context.Context, uid string) (talent.User, error) {
	return userWhere(ctx, s.db.pool, "u.firebase_uid = $1", uid)
}

// GrantRole implements account.UserStore.
func (s Users) GrantRole(ctx context.Context, userID string, g talent.RoleGrant, grantedBy string) (talent.User, error) {
	var employer, by *string
	if g.EmployerID != "" {
		employer = &g.EmployerID
	}
	if grantedBy != "" {
		by = &grantedBy
	}
	if g.GrantedAt.IsZero() {
		g.GrantedAt = time.Now()
	}
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := userByID(ctx, tx, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO role_grants (user_id, role, employer_id, granted_by, granted_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, role) DO UPDATE
			SET employer_id = EXCLUDED.employer_id, granted_by = EXCLUDED.granted_by, granted_at = EXCLUDED.granted_at`,
			userID, g.Role, employer, by, g.GrantedAt)
		if talent.HasCode(translate(err), talent.CodeReferenceUnknown) {
			return talent.Field("employerId", account.CodeEmployerUnknown)
		}
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, []talent.Audit{roleAudit(userID, "role_granted", g.Role, g.EmployerID, grantedBy, g.GrantedAt)})
	})
	if err != nil {
		return talent.User{}, err
	}
	return s.User(ctx, userID)
}

// RevokeRole implements account.UserStore.
func (s Users) RevokeRole(ctx context.Context, userID string, role talent.Role, by string) (talent.User, error) {
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		var employer string
		err := tx.QueryRow(ctx, `DELETE FROM role_grants WHERE user_id = $1 AND role = $2 RETURNING coalesce(employer_id::text, '')`,
			userID, role).Scan(&employer)
		if err == pgx.ErrNoRows {
			return nil // not held: nothing changed
		}
		if err != nil {
			return err
		}
		return appendAudit(ctx, tx, []talent.Audit{roleAudit(userID, "role_revoked", role, employer, by, time.Now())})
	})
	if err != nil {
		return talent.User{}, translate(err)
	}
	return s.User(ctx, userID)
}

// roleAudit is the audit row of a role granted or revoked; by "" is the
// command line or Anju itself.
func roleAudit(userID, event string, role talent.Role, employerID, by string, at time.Time) talent.Audit {
	if by == "" {
		by = talent.SystemID
	}
	return talent.Audit{At: at, ActorID: by, Entity: "user", EntityID: userID, Event: event,
		Detail: strings.TrimSpace(string(role) + " " + employerID)}
}

// UsersWithRole implements account.UserStore.
func (s Users) UsersWithRole(ctx context.Context, role talent.Role) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT user_id::text FROM role_grants WHERE role = $1 ORDER BY user_id`, role)
}

// EmployerStaff implements account.UserStore.
func (s Users) EmployerStaff(ctx context.Context, employerID string, role talent.Role) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT user_id::text FROM role_grants WHERE role = $2 AND employer_id = $1 ORDER BY user_id`, employerID, role)
}
