package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/jackc/pgx/v5"
)

// querier is what both a pool and a transaction offer.
type querier interface {
	Query(ctx context.Context, sql string, args ...any) (pgx.Rows, error)
	QueryRow(ctx context.Context, sql string, args ...any) pgx.Row
}

// SignIn implements talent.Store.
func (db *DB) SignIn(ctx context.Context, firebaseUID string, admin bool) (talent.User, error) {
	var id string
	err := db.tx(ctx, func(tx pgx.Tx) error {
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
			roles = append(roles, talent.RoleAdmin)
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
	return db.User(ctx, id)
}

// User implements talent.Store.
func (db *DB) User(ctx context.Context, id string) (talent.User, error) {
	return userByID(ctx, db.pool, id)
}

func userByID(ctx context.Context, q querier, id string) (talent.User, error) {
	var u talent.User
	err := q.QueryRow(ctx, `SELECT id, firebase_uid, locale, created_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.FirebaseUID, &u.Locale, &u.CreatedAt)
	if err != nil {
		return talent.User{}, notFound(translate(err), "user")
	}
	rows, err := q.Query(ctx, `
		SELECT role, coalesce(employer_id::text, ''), granted_at FROM role_grants
		WHERE user_id = $1 ORDER BY role`, id)
	if err != nil {
		return talent.User{}, translate(err)
	}
	u.Roles, err = pgx.CollectRows(rows, func(r pgx.CollectableRow) (talent.RoleGrant, error) {
		var g talent.RoleGrant
		err := r.Scan(&g.Role, &g.EmployerID, &g.GrantedAt)
		return g, err
	})
	return u, translate(err)
}

// UserByFirebaseUID returns the user with a Firebase uid, for operator commands.
func (db *DB) UserByFirebaseUID(ctx context.Context, uid string) (talent.User, error) {
	var id string
	if err := db.pool.QueryRow(ctx, `SELECT id FROM users WHERE firebase_uid = $1`, uid).Scan(&id); err != nil {
		return talent.User{}, notFound(translate(err), "user")
	}
	return db.User(ctx, id)
}

// GrantRole implements talent.Store.
func (db *DB) GrantRole(ctx context.Context, userID string, g talent.RoleGrant, grantedBy string) (talent.User, error) {
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
	err := db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := userByID(ctx, tx, userID); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO role_grants (user_id, role, employer_id, granted_by, granted_at)
			VALUES ($1, $2, $3, $4, $5)
			ON CONFLICT (user_id, role) DO UPDATE
			SET employer_id = EXCLUDED.employer_id, granted_by = EXCLUDED.granted_by, granted_at = EXCLUDED.granted_at`,
			userID, g.Role, employer, by, g.GrantedAt)
		if talent.ErrorCode(translate(err)) == "reference_unknown" {
			return talent.Invalid(talent.FieldError{Field: "employerId", Code: "employer_unknown"})
		}
		return err
	})
	if err != nil {
		return talent.User{}, err
	}
	return db.User(ctx, userID)
}

// RevokeRole implements talent.Store.
func (db *DB) RevokeRole(ctx context.Context, userID string, role talent.Role) (talent.User, error) {
	if _, err := db.pool.Exec(ctx, `DELETE FROM role_grants WHERE user_id = $1 AND role = $2`, userID, role); err != nil {
		return talent.User{}, translate(err)
	}
	return db.User(ctx, userID)
}
