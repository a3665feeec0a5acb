package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/jackc/pgx/v5"
)

// Users is account.UserStore: accounts and their role grants.
type Users struct{ db *DB }

// Users returns the users adapter.
func (db *DB) Users() Users { return Users{db} }

// SignIn implements account.UserStore.
func (s Users) SignIn(ctx context.Context, firebaseUID string, admin bool) (talent.User, error) {
	var id string
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
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
	return s.User(ctx, id)
}

// User implements account.UserStore.
func (s Users) User(ctx context.Context, id string) (talent.User, error) {
	return userByID(ctx, s.db.pool, id)
}

func userByID(ctx context.Context, q querier, id string) (talent.User, error) {
	var u talent.User
	if !isUUID(id) {
		return u, talent.NotFound(talent.CodeUserNotFound)
	}
	err := q.QueryRow(ctx, `SELECT id, firebase_uid, locale, created_at FROM users WHERE id = $1`, id).
		Scan(&u.ID, &u.FirebaseUID, &u.Locale, &u.CreatedAt)
	if err != nil {
		return talent.User{}, notFound(translate(err), talent.CodeUserNotFound)
	}
	u.Roles, err = collect(ctx, q, func(r pgx.Row) (talent.RoleGrant, error) {
		var g talent.RoleGrant
		err := r.Scan(&g.Role, &g.EmployerID, &g.GrantedAt)
		return g, err
	}, `SELECT role, coalesce(employer_id::text, ''), granted_at FROM role_grants WHERE user_id = $1 ORDER BY role`, id)
	return u, err
}

// UserByFirebaseUID returns the user with a Firebase uid, for operator commands.
func (s Users) UserByFirebaseUID(ctx context.Context, uid string) (talent.User, error) {
	var id string
	if err := s.db.pool.QueryRow(ctx, `SELECT id FROM users WHERE firebase_uid = $1`, uid).Scan(&id); err != nil {
		return talent.User{}, notFound(translate(err), talent.CodeUserNotFound)
	}
	return s.User(ctx, id)
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
		return err
	})
	if err != nil {
		return talent.User{}, err
	}
	return s.User(ctx, userID)
}

// RevokeRole implements account.UserStore.
func (s Users) RevokeRole(ctx context.Context, userID string, role talent.Role) (talent.User, error) {
	if _, err := s.db.pool.Exec(ctx, `DELETE FROM role_grants WHERE user_id = $1 AND role = $2`, userID, role); err != nil {
		return talent.User{}, translate(err)
	}
	return s.User(ctx, userID)
}

// UsersWithRole implements account.UserStore.
func (s Users) UsersWithRole(ctx context.Context, role talent.Role) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT user_id::text FROM role_grants WHERE role = $1 ORDER BY user_id`, role)
}

// EmployerStaff implements account.UserStore.
func (s Users) EmployerStaff(ctx context.Context, employerID string, role talent.Role) ([]string, error) {
	return ids(ctx, s.db.pool, `SELECT user_id::text FROM role_grants WHERE role = $2 AND employer_id = $1 ORDER BY user_id`, employerID, role)
}
