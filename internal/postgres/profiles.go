package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/jackc/pgx/v5"
)

func init() {
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
		SELECT p.name, p.phone_sealed, u.locale, p.national_id_sealed, coalesce(p.national_id_index, ''),
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
		Scan(&rec.Name, &rec.PhoneSealed, &rec.Locale, &rec.NationalIDSealed, &rec.NationalIDIndex,
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
	var index *string
	if rec.NationalIDIndex != "" {
		index = &rec.NationalIDIndex
	}
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `UPDATE users SET locale = $2 WHERE id = $1`, rec.UserID, rec.Locale); err != nil {
			return err
		}
		_, err := tx.Exec(ctx, `
			INSERT INTO profiles (user_id, name, phone_sealed, national_id_sealed, national_id_index,
			                      birth_date, hukou_place, employer, bank_name, bank_account_sealed, updated_at,
			                      bank_account_changed_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12)
			ON CONFLICT (user_id) DO UPDATE SET
				name = EXCLUDED.name, phone_sealed = EXCLUDED.phone_sealed,
				national_id_sealed = EXCLUDED.national_id_sealed, national_id_index = EXCLUDED.national_id_index,
				birth_date = EXCLUDED.birth_date, hukou_place = EXCLUDED.hukou_place,
				employer = EXCLUDED.employer, bank_name = EXCLUDED.bank_name,
				bank_account_sealed = EXCLUDED.bank_account_sealed, updated_at = EXCLUDED.updated_at,
				bank_account_changed_at = EXCLUDED.bank_account_changed_at`,
			rec.UserID, rec.Name, rec.PhoneSealed, rec.NationalIDSealed, index,
			rec.BirthDate, rec.HukouPlace, emp, rec.BankName, rec.BankAccountSealed, rec.UpdatedAt, rec.BankAccountChangedAt)
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

// SetTalentTier implements account.ProfileStore.
func (s Profiles) SetTalentTier(ctx context.Context, userID, tier string) error {
	tag, err := s.db.pool.Exec(ctx, `UPDATE profiles SET talent_tier = $2 WHERE user_id = $1`, userID, tier)
	if err == nil && tag.RowsAffected() == 0 {
		return talent.NotFound(talent.CodeProfileNotFound)
	}
	return translate(err)
}
