package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["tier_certifications_one_open"] = account.CodeTierPending
	constraintCodes["profiles_national_id_index_key"] = account.CodeNationalIDTaken
}

// Profiles is account.ProfileStore: profiles and their education records.
type Profiles struct{ db *DB }

// Profiles returns the profiles adapter.
func (db *DB) Profiles() Profiles { return Profiles{db} }

// employerJSON is the stored shape of an employer declaration.
type employerJSON struct {
	Name       string     `json:"name"`
	CreditCode string     `json:"creditCode,omitempty"`
	Since      *time.Time `json:"since,omitempty"`
}

// Profile implements account.ProfileStore: the profile and its education
// records in one round trip (GET /v1/me reads it on every call).
func (s Profiles) Profile(ctx context.Context, userID string) (talent.ProfileRecord, error) {
	rec := talent.ProfileRecord{UserID: userID}
	var emp *employerJSON
	var levels []talent.EducationLevel
	var institutions, diplomas []string
	var fullTime []bool
	var graduated []time.Time
	err := s.db.pool.QueryRow(ctx, `
		SELECT p.name, p.phone_sealed, coalesce(p.phone_index, ''), u.locale, p.national_id_sealed, coalesce(p.national_id_index, ''),
		       p.birth_date, p.hukou_place, p.employer, p.bank_name, p.bank_account_sealed, p.bank_account_changed_at,
		       p.talent_tier, p.updated_at, e.levels, e.institutions, e.full_time, e.graduated, e.diplomas
		FROM profiles p JOIN users u ON u.id = p.user_id,
		LATERAL (SELECT coalesce(array_agg(level ORDER BY position), '{}') AS levels,
		                coalesce(array_agg(institution ORDER BY position), '{}') AS institutions,
		                coalesce(array_agg(full_time ORDER BY position), '{}') AS full_time,
		                coalesce(array_agg(graduation_date ORDER BY position), '{}') AS graduated,
		                coalesce(array_agg(diploma_number ORDER BY position), '{}') AS diplomas
		         FROM education_records WHERE user_id = p.user_id) AS e
		WHERE p.user_id = $1`, userID).
		Scan(&rec.Name, &rec.PhoneSealed, &rec.PhoneIndex, &rec.Locale, &rec.NationalIDSealed, &rec.NationalIDIndex,
			&rec.BirthDate, &rec.HukouPlace, &emp, &rec.BankName, &rec.BankAccountSealed, &rec.BankAccountChangedAt,
			&rec.TalentTier, &rec.UpdatedAt, &levels, &institutions, &fullTime, &graduated, &diplomas)
	if err != nil {
		return talent.ProfileRecord{}, notFound(translate(err), talent.CodeProfileNotFound)
	}
	if emp != nil {
		rec.Employer = &talent.EmployerDeclaration{Name: emp.Name, CreditCode: emp.CreditCode}
		if emp.Since != nil {
			rec.Employer.Since = *emp.Since
		}
	}
	rec.Education = make([]talent.Education, len(levels))
	for i := range levels {
		rec.Education[i] = talent.Education{Level: levels[i], Institution: institutions[i], FullTime: fullTime[i],
			GraduationDate: graduated[i], DiplomaNumber: diplomas[i]}
	}
	return rec, nil
}

// SaveProfile implements account.ProfileStore.
func (s Profiles) SaveProfile(ctx context.Context, rec talent.ProfileRecord, declare *talent.Employment, audit []talent.Audit, tasks []talent.Task) error {
	var emp *employerJSON
	if e := rec.Employer; e != nil {
		emp = &employerJSON{Name: e.Name, CreditCode: e.CreditCode}
		if !e.Since.IsZero() {
			emp.Since = &e.Since
		}
	}
	var index, phoneIndex *string
	if rec.NationalIDIndex != "" {
		index = &rec.NationalIDIndex
	}
	if rec.PhoneIndex != "" {
		phoneIndex = &rec.PhoneIndex
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		// Once anything depends on the identity, it changes only by a staff
		// correction (CorrectIdentity).
		var prev string
		err := tx.QueryRow(ctx, `SELECT coalesce(national_id_index, '') FROM profiles WHERE user_id = $1 FOR UPDATE`, rec.UserID).Scan(&prev)
		if err != nil && err != pgx.ErrNoRows {
			return err
		}
		if prev != "" && prev != rec.NationalIDIndex {
			used, err := identityInUse(ctx, tx, rec.UserID)
			if err != nil {
				return err
			}
			if used {
				return talent.Errorf(talent.KindConflict, account.CodeIdentityFrozen, "the identity is in use; the office corrects it")
			}
		}
		if _, err := tx.Exec(ctx, `UPDATE users SET locale = $2 WHERE id = $1`, rec.UserID, rec.Locale); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `
			INSERT INTO profiles (user_id, name, phone_sealed, national_id_sealed, national_id_index,
			                      birth_date, hukou_place, employer, bank_name, bank_account_sealed, updated_at,
			                      bank_account_changed_at, phone_index)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13)
			ON CONFLICT (user_id) DO UPDATE SET
				name = EXCLUDED.name, phone_sealed = EXCLUDED.phone_sealed,
				national_id_sealed = EXCLUDED.national_id_sealed, national_id_index = EXCLUDED.national_id_index,
				birth_date = EXCLUDED.birth_date, hukou_place = EXCLUDED.hukou_place,
				employer = EXCLUDED.employer, bank_name = EXCLUDED.bank_name,
				bank_account_sealed = EXCLUDED.bank_account_sealed, updated_at = EXCLUDED.updated_at,
				bank_account_changed_at = EXCLUDED.bank_account_changed_at, phone_index = EXCLUDED.phone_index`,
			rec.UserID, rec.Name, rec.PhoneSealed, rec.NationalIDSealed, index,
			rec.BirthDate, rec.HukouPlace, emp, rec.BankName, rec.BankAccountSealed, rec.UpdatedAt, rec.BankAccountChangedAt, phoneIndex)
		if err != nil {
			return err
		}
		if _, err := tx.Exec(ctx, `DELETE FROM education_records WHERE user_id = $1`, rec.UserID); err != nil {
			return err
		}
		for i, e := range rec.Education {
			if _, err := tx.Exec(ctx, `
				INSERT INTO education_records (user_id, position, level, institution, full_time, graduation_date, diploma_number)
				VALUES ($1, $2, $3, $4, $5, $6, $7)`,
				rec.UserID, i, e.Level, e.Institution, e.FullTime, e.GraduationDate, e.DiplomaNumber); err != nil {
				return err
			}
		}
		if declare != nil {
			if err := declareEmployment(ctx, tx, *declare); err != nil {
				return err
			}
		}
		if err := appendAudit(ctx, tx, audit); err != nil {
			return err
		}
		return enqueue(ctx, tx, tasks)
	})
}

const tierColumns = `id, user_id, tier, evidence, status, proposed_by, proposed_at, coalesce(decided_by::text, ''), decided_at, reason`

func scanTier(r pgx.Row) (account.TierCertification, error) {
	var c account.TierCertification
	err := r.Scan(&c.ID, &c.UserID, &c.Tier, &c.Evidence, &c.Status, &c.ProposedBy, &c.ProposedAt, &c.DecidedBy, &c.DecidedAt, &c.Reason)
	return c, err
}

// ProposeTier implements account.ProfileStore.
func (s Profiles) ProposeTier(ctx context.Context, c account.TierCertification, audit talent.Audit) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO tier_certifications (id, user_id, tier, evidence, status, proposed_by, proposed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7)`, c.ID, c.UserID, c.Tier, c.Evidence, c.Status, c.ProposedBy, c.ProposedAt); err != nil {
			return err
		}
		return appendAudit(ctx, tx, []talent.Audit{audit})
	})
}

// DecideTier implements account.ProfileStore.
func (s Profiles) DecideTier(ctx context.Context, id string, fn func(*account.TierCertification) ([]talent.Audit, []talent.Task, error)) (account.TierCertification, error) {
	type change struct {
		audit []talent.Audit
		tasks []talent.Task
	}
	return update(ctx, s.db, id, account.CodeTierNotFound,
		func(tx pgx.Tx) (account.TierCertification, error) {
			return scanTier(tx.QueryRow(ctx, `SELECT `+tierColumns+` FROM tier_certifications WHERE id = $1 FOR UPDATE`, id))
		},
		func(c *account.TierCertification) (change, error) {
			audit, tasks, err := fn(c)
			return change{audit, tasks}, err
		},
		func(tx pgx.Tx, c *account.TierCertification, ch change) error {
			if _, err := tx.Exec(ctx, `UPDATE tier_certifications SET status = $2, decided_by = $3, decided_at = $4, reason = $5 WHERE id = $1`,
				c.ID, c.Status, nullable(c.DecidedBy), c.DecidedAt, c.Reason); err != nil {
				return err
			}
			if c.Status == account.TierApproved {
				if _, err := tx.Exec(ctx, `UPDATE profiles SET talent_tier = $2 WHERE user_id = $1`, c.UserID, c.Tier); err != nil {
					return err
				}
			}
			if err := appendAudit(ctx, tx, ch.audit); err != nil {
				return err
			}
			return enqueue(ctx, tx, ch.tasks)
		})
}

// TierCertifications implements account.ProfileStore.
func (s Profiles) TierCertifications(ctx context.Context, status account.TierStatus, p talent.Page) ([]account.TierCertification, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanTier, func(c account.TierCertification) (time.Time, string) { return c.ProposedAt, c.ID },
		`SELECT `+tierColumns+` FROM tier_certifications WHERE status = $1 AND (proposed_at, id) < ($2, $3)
		ORDER BY proposed_at DESC, id DESC LIMIT $4`, string(status))
}

// holdIdentity takes a share lock on the user's profile and checks that it
// still names the person personIndex: a claim or an application is written
// only under the identity it was made for, and an identity is not changed
// while one is being written (SaveProfile locks the row for update).
func holdIdentity(ctx context.Context, tx pgx.Tx, userID, personIndex string) error {
	var idx string
	err := tx.QueryRow(ctx, `SELECT coalesce(national_id_index, '') FROM profiles WHERE user_id = $1 FOR SHARE`, userID).Scan(&idx)
	if err == nil && idx != personIndex {
		return talent.Errorf(talent.KindConflict, talent.CodeRetry, "the profile's identity changed meanwhile")
	}
	return err
}

// identityInUse reports whether anything depends on a user's identity:
// a claim, a housing application, a lease or a filed hire matched to them.
func identityInUse(ctx context.Context, tx pgx.Tx, userID string) (bool, error) {
	var used bool
	err := tx.QueryRow(ctx, `SELECT EXISTS (SELECT 1 FROM claims WHERE user_id = $1)
		OR EXISTS (SELECT 1 FROM applications WHERE user_id = $1)
		OR EXISTS (SELECT 1 FROM leases WHERE user_id = $1)
		OR EXISTS (SELECT 1 FROM filed_hires WHERE user_id = $1)`, userID).Scan(&used)
	return used, err
}

// CorrectIdentity implements account.ProfileStore: the person's claims and
// applications follow the corrected identity, in the same transaction.
func (s Profiles) CorrectIdentity(ctx context.Context, userID, sealed, index string, birth time.Time, audit []talent.Audit, tasks []talent.Task) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		tag, err := tx.Exec(ctx, `UPDATE profiles SET national_id_sealed = $2, national_id_index = $3, birth_date = $4, updated_at = now()
			WHERE user_id = $1`, userID, sealed, index, birth)
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return talent.NotFound(talent.CodeProfileNotFound)
		}
		for _, q := range []string{`UPDATE claims SET person_index = $2 WHERE user_id = $1`,
			`UPDATE applications SET person_index = $2 WHERE user_id = $1`} {
			if _, err := tx.Exec(ctx, q, userID, index); err != nil {
				return err
			}
		}
		if err := appendAudit(ctx, tx, audit); err != nil {
			return err
		}
		return enqueue(ctx, tx, tasks)
	})
}
