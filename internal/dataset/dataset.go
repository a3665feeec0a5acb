// Package dataset fills an Anju database with a city-scale dataset made
// inside PostgreSQL (generate_series, no rows sent over the wire), so that
// a test can check query plans at a million claims in seconds and the load
// harness can measure how latency grows with the data.
//
// Rows are deterministic: user n has id UserID(n) and Firebase uid
// "dataset-n"; every claim, application, lease, notification and document
// belongs to one of them, and every user works for one of the employers, in
// turn EmployerSize at a time. Statuses and deadlines are spread the way a busy year
// spreads them: most claims are decided or paying, about a fifth wait for
// review. Generated rows carry the "dataset" marker where a column allows
// one, and nothing in them is personal data.
package dataset

import (
	"context"
	"fmt"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgxpool"
)

// Size says how many generated rows there are to be. Claims,
// applications, notifications and documents are spread over the users,
// who are made more numerous when the rules of one claim of a package and
// one live application per person need it.
type Size struct {
	Users         int
	Claims        int
	Applications  int
	Notifications int
	Documents     int
	// Leases are made of the first applications, each with its accepted
	// offer of a unit of its own; there are at least as many applications.
	Leases int
}

// Info names generated rows that queries can be aimed at.
type Info struct {
	// RoundID is the open round every generated application is in.
	RoundID string
	// Reviewer is a generated user with the reviewer role.
	Reviewer string
	// Employer is a generated employer with EmployerSize graduates.
	Employer string
	// PropertyID is the property of every generated unit (leases).
	PropertyID string
}

// EmployerSize is how many generated users each generated employer
// employs: a large employer of graduates in a city of this size. Of each
// twenty, one's employment waits for HR and one's has ended; the rest are
// confirmed.
const EmployerSize = 200

// UserID is the id of generated user n (0-based). Generated ids count up
// within a kind (the kind in the first group), so that inserting them
// appends to the primary key's index as Anju's time-ordered ids do.
func UserID(n int) string { return fmt.Sprintf("00000001-0000-7000-8000-%012x", n) }

// id is the SQL of the id of generated row i of a kind (see UserID).
func id(kind int, i string) string {
	return fmt.Sprintf(`('%08x-0000-7000-8000-' || lpad(to_hex(%s), 12, '0'))::uuid`, kind, i)
}

// Kinds of generated ids (see UserID).
const (
	kindUser = iota + 1
	kindClaim
	kindApplication
	kindNotification
	kindDocument
	kindRound
	kindEmployer
	kindEmployment
	kindProperty
	kindUnit
	kindOffer
	kindLease
)

// claimStatus is the SQL of generated claim i's status: in every thousand
// claims, 30 drafts, 60 submitted, 60 awaiting the employer, 200 under
// review, 50 approved, 300 paying, 150 completed, 100 rejected and 50
// withdrawn, interleaved.
const claimStatus = `CASE
	WHEN (i * 7) % 1000 < 30 THEN 'draft'
	WHEN (i * 7) % 1000 < 90 THEN 'submitted'
	WHEN (i * 7) % 1000 < 150 THEN 'awaiting_employer'
	WHEN (i * 7) % 1000 < 350 THEN 'under_review'
	WHEN (i * 7) % 1000 < 400 THEN 'approved'
	WHEN (i * 7) % 1000 < 700 THEN 'active'
	WHEN (i * 7) % 1000 < 850 THEN 'completed'
	WHEN (i * 7) % 1000 < 950 THEN 'rejected'
	ELSE 'withdrawn' END`

// Generate grows the generated rows to the given size in one transaction:
// rows made by an earlier call stay as they are, so a harness can measure
// at 10,000 claims, then 100,000, then 1,000,000. Foreign keys are not
// checked row by row (every reference is made to exist) and the tables are
// analysed afterwards so that plans see the new sizes. It needs a role that
// may set session_replication_role (a superuser, as in tests and on a
// bench database).
func Generate(ctx context.Context, pool *pgxpool.Pool, s Size) (Info, error) {
	info := Info{RoundID: fmt.Sprintf("%08x-0000-7000-8000-%012x", kindRound, 0), Reviewer: UserID(0),
		Employer: fmt.Sprintf("%08x-0000-7000-8000-%012x", kindEmployer, 1), PropertyID: fmt.Sprintf("%08x-0000-7000-8000-%012x", kindProperty, 0)}
	// One live claim of a package and one live application per person:
	// there are at least a third as many users as claims, and as many as
	// applications, so that the generated rows keep those rules.
	s.Applications = max(s.Applications, s.Leases)
	s.Users = max(s.Users, (s.Claims+2)/3, s.Applications, 1)
	users := s.Users
	// The owner of row i of n: rows of one user are contiguous, so that
	// the per-user indexes grow at their ends too. Claim i is user i/3's,
	// of the three packages in turn, and application i user i's, whatever
	// the sizes, so that growing the dataset in steps keeps the rules.
	owner := func(n int) string { return id(kindUser, fmt.Sprintf("(i::bigint * %d / %d)::int", users, max(n, 1))) }
	now := time.Now().UTC().Truncate(time.Second)
	steps := []struct {
		what string
		n    int
		sql  string
	}{
		{"users", s.Users, `
			INSERT INTO users (id, firebase_uid, locale, created_at)
			SELECT ` + id(kindUser, "i") + `, 'dataset-' || i, 'zh-CN', $2::timestamptz - make_interval(secs => i)
			FROM generate_series(0, $1 - 1) AS i
			ON CONFLICT DO NOTHING`},
		{"roles", s.Users, `
			INSERT INTO role_grants (user_id, role, granted_at)
			SELECT ` + id(kindUser, "i") + `, 'graduate', $2::timestamptz FROM generate_series(0, $1 - 1) AS i
			UNION ALL SELECT ` + id(kindUser, "0") + `, 'reviewer', $2::timestamptz
			ON CONFLICT DO NOTHING`},
		// User i works for employer i / EmployerSize (its employment made
		// when the user was).
		{"employers", (s.Users + EmployerSize - 1) / EmployerSize, `
			INSERT INTO employers (id, name, credit_code, created_at)
			SELECT ` + id(kindEmployer, "i") + `, 'dataset employer ' || i, 'dataset-' || i, $2::timestamptz
			FROM generate_series(0, $1 - 1) AS i
			ON CONFLICT DO NOTHING`},
		{"employments", s.Users, `
			INSERT INTO employments (id, user_id, employer_id, status, contract_start, contract_end, social_insurance_start,
				ended_on, created_at, updated_at)
			SELECT ` + id(kindEmployment, "i") + `, ` + id(kindUser, "i") + `, ` + id(kindEmployer, fmt.Sprintf("i / %d", EmployerSize)) + `, st,
				CASE WHEN st <> 'pending' THEN date '2025-07-01' END, CASE WHEN st <> 'pending' THEN date '2028-06-30' END,
				CASE WHEN st <> 'pending' THEN date '2025-07-01' END, CASE WHEN st = 'ended' THEN date '2026-01-31' END,
				$2::timestamptz - make_interval(secs => i), $2::timestamptz - make_interval(secs => i)
			FROM generate_series(0, $1 - 1) AS i,
				LATERAL (SELECT CASE i % 20 WHEN 0 THEN 'pending' WHEN 1 THEN 'ended' ELSE 'confirmed' END AS st) AS m
			ON CONFLICT DO NOTHING`},
		// Claim i was created 30·i seconds ago (newest first; a million span
		// a year) and, while it is open, has a deadline spread over three
		// weeks around now.
		{"claims", s.Claims, `
			INSERT INTO claims (id, user_id, package, person_index, policy_version, status, stage, due_at,
				breaches, submitted_at, decided_at, created_at, updated_at)
			SELECT ` + id(kindClaim, "i") + `, ` + id(kindUser, "(i / 3)::int") + `,
				(ARRAY['relocation', 'rent', 'living'])[1 + i % 3], 'dataset-' || i, 1, st, 'dataset',
				CASE WHEN st IN ('submitted', 'awaiting_employer', 'under_review', 'approved', 'active')
					THEN $2::timestamptz + make_interval(mins => ((i::bigint * 7919) % 30240)::int - 10080) END,
				0,
				CASE WHEN st <> 'draft' THEN $2::timestamptz - make_interval(secs => i * 30) END,
				CASE WHEN st IN ('approved', 'active', 'completed', 'rejected')
					THEN $2::timestamptz - make_interval(secs => i * 30) + interval '3 days' END,
				$2::timestamptz - make_interval(secs => i * 30), $2::timestamptz - make_interval(secs => i * 30)
			FROM generate_series(0, $1 - 1) AS i, LATERAL (SELECT ` + claimStatus + ` AS st) AS m
			ON CONFLICT DO NOTHING`},
		{"round", 1, `
			INSERT INTO rounds (id, name, opens_at, closes_at, policy_version, status, commitment, seed_sealed, created_by, created_at)
			SELECT ` + id(kindRound, "0") + `, 'dataset round', $2::timestamptz - interval '1 day', $2::timestamptz + interval '30 days',
				1, 'open', 'dataset', 'dataset', ` + id(kindUser, "0") + `, $2::timestamptz
			WHERE $1 > 0
			ON CONFLICT DO NOTHING`},
		{"applications", s.Applications, `
			INSERT INTO applications (id, round_id, user_id, person_index, preferences, household_size, status, active,
				score, decision, created_at, updated_at)
			SELECT ` + id(kindApplication, "i") + `, ` + id(kindRound, "0") + `, ` + id(kindUser, "i") + `,
				'dataset-application-' || i, '[]', 1 + i % 4,
				CASE WHEN i % 10 = 0 THEN 'ineligible' ELSE 'eligible' END, i % 10 <> 0,
				i % 60, '{}', $2::timestamptz - make_interval(secs => i), $2::timestamptz - make_interval(secs => i)
			FROM generate_series(0, $1 - 1) AS i
			ON CONFLICT DO NOTHING`},
		// Lease i is application i's, on unit i, through offer i; it ends
		// on a day spread over three years around now, and seven in ten
		// are active, one moving out, two ended.
		{"property", min(s.Leases, 1), `
			INSERT INTO properties (id, name, district, address, created_at, updated_at)
			SELECT ` + id(kindProperty, "0") + `, 'dataset property', 'dataset', 'dataset', $2::timestamptz, $2::timestamptz
			WHERE $1 > 0
			ON CONFLICT DO NOTHING`},
		{"units", s.Leases, `
			INSERT INTO units (id, property_id, number, layout, area_dm2, floor, market_rent, status, created_at, updated_at)
			SELECT ` + id(kindUnit, "i") + `, ` + id(kindProperty, "0") + `, 'D-' || i, 'studio', 3000, 1 + i % 30, 100000, 'let',
				$2::timestamptz, $2::timestamptz
			FROM generate_series(0, $1 - 1) AS i
			ON CONFLICT DO NOTHING`},
		{"offers", s.Leases, `
			INSERT INTO offers (id, round_id, application_id, user_id, unit_id, status, source, created_by, expires_at, created_at, decided_at)
			SELECT ` + id(kindOffer, "i") + `, ` + id(kindRound, "0") + `, ` + id(kindApplication, "i") + `, ` + id(kindUser, "i") + `,
				` + id(kindUnit, "i") + `, 'accepted', 'draw', 'system', $2::timestamptz, $2::timestamptz - make_interval(days => 7),
				$2::timestamptz - make_interval(days => 6)
			FROM generate_series(0, $1 - 1) AS i
			ON CONFLICT DO NOTHING`},
		{"leases", s.Leases, `
			INSERT INTO leases (id, offer_id, user_id, unit_id, starts_on, ends_on, months, rent_schedule, status, created_at)
			SELECT ` + id(kindLease, "i") + `, ` + id(kindOffer, "i") + `, ` + id(kindUser, "i") + `, ` + id(kindUnit, "i") + `,
				e - 365, e, 12, '[]', CASE WHEN i % 10 < 7 THEN 'active' WHEN i % 10 = 7 THEN 'moving_out' ELSE 'ended' END,
				$2::timestamptz - make_interval(days => 400)
			FROM generate_series(0, $1 - 1) AS i, LATERAL (SELECT $2::date + ((i::bigint * 7919) % 1095)::int - 365 AS e) AS d
			ON CONFLICT DO NOTHING`},
		{"notifications", s.Notifications, `
			INSERT INTO notifications (id, user_id, event_id, template, title, body, created_at)
			SELECT ` + id(kindNotification, "i") + `, ` + owner(s.Notifications) + `,
				'dataset-' || i, 'dataset', '材料已受理', '您提交的材料已通过检查。', $2::timestamptz - make_interval(secs => i)
			FROM generate_series(0, $1 - 1) AS i
			ON CONFLICT DO NOTHING`},
		{"documents", s.Documents, `
			INSERT INTO documents (id, owner_id, kind, content_type, size, sha256, object_key, status, created_at, updated_at)
			SELECT ` + id(kindDocument, "i") + `, ` + owner(s.Documents) + `,
				'diploma', 'application/pdf', 1024, repeat('0', 64), 'dataset/' || i, 'accepted',
				$2::timestamptz - make_interval(secs => i), $2::timestamptz - make_interval(secs => i)
			FROM generate_series(0, $1 - 1) AS i
			ON CONFLICT DO NOTHING`},
	}
	tx, err := pool.Begin(ctx)
	if err != nil {
		return info, err
	}
	defer func() { _ = tx.Rollback(ctx) }()
	if _, err := tx.Exec(ctx, `SET LOCAL session_replication_role = replica; SET LOCAL maintenance_work_mem = '256MB'`); err != nil {
		return info, fmt.Errorf("dataset: %w", err)
	}
	// Indexes are built once after the rows are in, which is several times
	// faster than growing them row by row; the ones that back a constraint
	// (primary keys, UNIQUE constraints) stay.
	var rebuild []string
	for _, table := range []string{"employments", "claims", "applications", "notifications", "documents", "units", "offers", "leases"} {
		defs, err := dropIndexes(ctx, tx, table)
		if err != nil {
			return info, err
		}
		rebuild = append(rebuild, defs...)
	}
	for _, st := range steps {
		if st.n <= 0 {
			continue
		}
		if _, err := tx.Exec(ctx, st.sql, st.n, now); err != nil {
			return info, fmt.Errorf("dataset: %s: %w", st.what, err)
		}
	}
	for _, def := range rebuild {
		if _, err := tx.Exec(ctx, def); err != nil {
			return info, fmt.Errorf("dataset: rebuilding an index: %w", err)
		}
	}
	if err := tx.Commit(ctx); err != nil {
		return info, err
	}
	for _, table := range []string{"users", "role_grants", "employers", "employments", "claims", "applications", "notifications", "documents", "rounds",
		"properties", "units", "offers", "leases"} {
		if _, err := pool.Exec(ctx, "ANALYZE "+pgx.Identifier{table}.Sanitize()); err != nil {
			return info, fmt.Errorf("dataset: analyse %s: %w", table, err)
		}
	}
	return info, nil
}

// dropIndexes drops a table's indexes that back no constraint and returns
// the statements that make them again, exactly as the migrations made them.
func dropIndexes(ctx context.Context, tx pgx.Tx, table string) ([]string, error) {
	rows, err := tx.Query(ctx, `
		SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid) FROM pg_index i
		WHERE i.indrelid = $1::regclass
			AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)`, table)
	if err != nil {
		return nil, fmt.Errorf("dataset: indexes of %s: %w", table, err)
	}
	type index struct{ name, def string }
	list, err := pgx.CollectRows(rows, func(r pgx.CollectableRow) (index, error) {
		var x index
		err := r.Scan(&x.name, &x.def)
		return x, err
	})
	if err != nil {
		return nil, fmt.Errorf("dataset: indexes of %s: %w", table, err)
	}
	defs := make([]string, len(list))
	for i, x := range list {
		if _, err := tx.Exec(ctx, "DROP INDEX "+x.name); err != nil {
			return nil, fmt.Errorf("dataset: dropping %s: %w", x.name, err)
		}
		defs[i] = x.def
	}
	return defs, nil
}
