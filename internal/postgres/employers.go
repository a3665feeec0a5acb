package postgres

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/employers"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/jackc/pgx/v5"
)

func init() {
	constraintCodes["employers_credit_code_key"] = account.CodeCreditCodeTaken
}

// Employers is account.EmployerStore.
type Employers struct{ db *DB }

// Employers returns the employers adapter.
func (db *DB) Employers() Employers { return Employers{db} }

// CreateEmployer implements account.EmployerStore.
func (s Employers) CreateEmployer(ctx context.Context, e talent.Employer) error {
	if e.Status == "" {
		e.Status = talent.EmployerRegistered
	}
	_, err := s.db.pool.Exec(ctx, `INSERT INTO employers (id, name, credit_code, address, status, created_at) VALUES ($1, $2, $3, $4, $5, $6)`,
		e.ID, e.Name, e.CreditCode, e.Address, e.Status, e.CreatedAt)
	return translate(err)
}

// Employers implements account.EmployerStore.
func (s Employers) Employers(ctx context.Context, query string, p talent.Page) ([]talent.Employer, string, error) {
	like := "%" + escapeLike(query) + "%"
	return newestFirst(ctx, s.db.pool, p, scanEmployer, func(e talent.Employer) (time.Time, string) { return e.CreatedAt, e.ID },
		`SELECT `+employerColumns+` FROM employers
		WHERE (name ILIKE $1 OR credit_code ILIKE $1) AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, like)
}

// employerColumnsOf lists an employer's columns, qualified by alias ("" or "e.").
func employerColumnsOf(alias string) string {
	return strings.ReplaceAll(`@id, @name, @credit_code, @address, @status, @created_at`, "@", alias)
}

var employerColumns = employerColumnsOf("")

func scanEmployer(r pgx.Row) (talent.Employer, error) {
	var e talent.Employer
	err := r.Scan(&e.ID, &e.Name, &e.CreditCode, &e.Address, &e.Status, &e.CreatedAt)
	return e, err
}

// EmployerByCreditCode implements account.EmployerStore.
func (s Employers) EmployerByCreditCode(ctx context.Context, code string) (talent.Employer, error) {
	e, err := scanEmployer(s.db.pool.QueryRow(ctx, `SELECT `+employerColumns+` FROM employers WHERE credit_code = $1`, code))
	return e, notFound(translate(err), talent.CodeEmployerNotFound)
}

func init() {
	constraintCodes["employer_registrations_one_pending"] = employers.CodeRegistrationPending
	constraintCodes["filed_hires_once"] = employers.CodeAlreadyFiled
}

// Employers is also employers.Store: registrations, invitations,
// nominations, filings and the employer audit.

// Employer implements employers.Store.
func (s Employers) Employer(ctx context.Context, id string) (talent.Employer, error) {
	return byID(ctx, s.db.pool, id, talent.CodeEmployerNotFound, scanEmployer, `SELECT `+employerColumns+` FROM employers WHERE id = $1`)
}

const registrationColumns = `id, credit_code, name, address, contact_name, contact_phone_sealed, applicant_id, status, reason,
	coalesce(employer_id::text, ''), coalesce(decided_by::text, ''), decided_at, created_at`

func scanRegistration(r pgx.Row) (employers.Registration, error) {
	var x employers.Registration
	err := r.Scan(&x.ID, &x.CreditCode, &x.Name, &x.Address, &x.ContactName, &x.ContactPhoneSealed, &x.ApplicantID, &x.Status,
		&x.Reason, &x.EmployerID, &x.DecidedBy, &x.DecidedAt, &x.CreatedAt)
	return x, err
}

// CreateRegistration implements employers.Store.
func (s Employers) CreateRegistration(ctx context.Context, r employers.Registration, change employers.Change) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO employer_registrations (id, credit_code, name, address, contact_name,
				contact_phone_sealed, applicant_id, status, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
			r.ID, r.CreditCode, r.Name, r.Address, r.ContactName, r.ContactPhoneSealed, r.ApplicantID, r.Status, r.CreatedAt); err != nil {
			return err
		}
		return applyEmployerChange(ctx, tx, change)
	})
}

// Registration implements employers.Store.
func (s Employers) Registration(ctx context.Context, id string) (employers.Registration, error) {
	return byID(ctx, s.db.pool, id, employers.CodeRegistrationNotFound, scanRegistration,
		`SELECT `+registrationColumns+` FROM employer_registrations WHERE id = $1`)
}

// Registrations implements employers.Store.
func (s Employers) Registrations(ctx context.Context, f employers.RegistrationFilter, p talent.Page) ([]employers.Registration, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanRegistration, func(r employers.Registration) (time.Time, string) { return r.CreatedAt, r.ID },
		`SELECT `+registrationColumns+` FROM employer_registrations
		WHERE ($1 = '' OR status = $1) AND ($2 = '' OR applicant_id::text = $2) AND (created_at, id) < ($3, $4)
		ORDER BY created_at DESC, id DESC LIMIT $5`, string(f.Status), f.ApplicantID)
}

// UpdateRegistration implements employers.Store.
func (s Employers) UpdateRegistration(ctx context.Context, id string, fn func(*employers.Registration) (employers.Change, error)) (employers.Registration, error) {
	return update(ctx, s.db, id, employers.CodeRegistrationNotFound,
		func(tx pgx.Tx) (employers.Registration, error) {
			return scanRegistration(tx.QueryRow(ctx, `SELECT `+registrationColumns+` FROM employer_registrations WHERE id = $1 FOR UPDATE`, id))
		}, fn,
		func(tx pgx.Tx, r *employers.Registration, change employers.Change) error {
			// The employer comes first: the registration points at it.
			if err := applyEmployerChange(ctx, tx, change); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE employer_registrations SET status = $2, reason = $3, employer_id = $4, decided_by = $5,
				decided_at = $6 WHERE id = $1`, r.ID, r.Status, r.Reason, nullable(r.EmployerID), nullable(r.DecidedBy), r.DecidedAt)
			return err
		})
}

const invitationColumns = `id, employer_id, role, code_hash, code_sealed, contact_sealed, coalesce(invited_by::text, ''), status,
	expires_at, coalesce(accepted_by::text, ''), decided_at, created_at`

func scanInvitation(r pgx.Row) (employers.Invitation, error) {
	var x employers.Invitation
	err := r.Scan(&x.ID, &x.EmployerID, &x.Role, &x.CodeHash, &x.CodeSealed, &x.ContactSealed, &x.InvitedBy, &x.Status,
		&x.ExpiresAt, &x.AcceptedBy, &x.DecidedAt, &x.CreatedAt)
	return x, err
}

// Invitation implements employers.Store.
func (s Employers) Invitation(ctx context.Context, id string) (employers.Invitation, error) {
	return byID(ctx, s.db.pool, id, employers.CodeInvitationNotFound, scanInvitation, `SELECT `+invitationColumns+` FROM invitations WHERE id = $1`)
}

// Invitations implements employers.Store.
func (s Employers) Invitations(ctx context.Context, employerID string, p talent.Page) ([]employers.Invitation, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanInvitation, func(i employers.Invitation) (time.Time, string) { return i.CreatedAt, i.ID },
		`SELECT `+invitationColumns+` FROM invitations WHERE employer_id = $1 AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, employerID)
}

// UpdateInvitation implements employers.Store. By code, the key is the
// code's hash, which is not a UUID: the lock-and-save helper is not used.
func (s Employers) UpdateInvitation(ctx context.Context, key string, byCode bool, fn func(*employers.Invitation) (employers.Change, error)) (employers.Invitation, error) {
	var inv employers.Invitation
	column := "id"
	if byCode {
		column = "code_hash"
	} else if !isUUID(key) {
		return inv, talent.NotFound(employers.CodeInvitationNotFound)
	}
	err := s.db.tx(ctx, func(tx pgx.Tx) error {
		var err error
		inv, err = scanInvitation(tx.QueryRow(ctx, `SELECT `+invitationColumns+` FROM invitations WHERE `+column+` = $1 FOR UPDATE`, key))
		if err != nil {
			return notFound(translate(err), employers.CodeInvitationNotFound)
		}
		change, err := fn(&inv)
		if err != nil {
			return err
		}
		if err := applyEmployerChange(ctx, tx, change); err != nil {
			return err
		}
		_, err = tx.Exec(ctx, `UPDATE invitations SET status = $2, accepted_by = $3, decided_at = $4 WHERE id = $1`,
			inv.ID, inv.Status, nullable(inv.AcceptedBy), inv.DecidedAt)
		return err
	})
	return inv, err
}

// Nominations implements employers.Store.
func (s Employers) Nominations(ctx context.Context, p talent.Page) ([]employers.NominationItem, string, error) {
	list, next, err := newestFirst(ctx, s.db.pool, p, func(r pgx.Row) (employers.NominationItem, error) {
		var x employers.NominationItem
		e := &x.Employer
		err := r.Scan(&x.ID, &x.EmployerID, &x.UserID, &x.ContactName, &x.ContactSealed, &x.InvitationID, &x.CreatedAt,
			&e.ID, &e.Name, &e.CreditCode, &e.Address, &e.Status, &e.CreatedAt)
		return x, err
	}, func(x employers.NominationItem) (time.Time, string) { return x.CreatedAt, x.ID },
		`SELECT n.id, n.employer_id, n.user_id, n.contact_name, n.contact_sealed, coalesce(n.invitation_id::text, ''), n.created_at,
			`+employerColumnsOf("e.")+`
		FROM employer_nominations n JOIN employers e ON e.id = n.employer_id
		WHERE (n.created_at, n.id) < ($1, $2) ORDER BY n.created_at DESC, n.id DESC LIMIT $3`)
	for i := range list {
		if id := list[i].InvitationID; id != "" && err == nil {
			var inv employers.Invitation
			inv, err = s.Invitation(ctx, id)
			list[i].Invitation = &inv
		}
	}
	return list, next, err
}

const filingColumns = `id, employer_id, filed_by, hires,
	(SELECT count(*) FROM filed_hires h WHERE h.filing_id = f.id AND h.employment_id IS NOT NULL), created_at`

func scanFiling(r pgx.Row) (employers.Filing, error) {
	var f employers.Filing
	err := r.Scan(&f.ID, &f.EmployerID, &f.FiledBy, &f.Hires, &f.Matched, &f.CreatedAt)
	return f, err
}

// hireColumnsOf lists a filed hire's columns, qualified by alias ("" or "h.").
func hireColumnsOf(alias string) string {
	return strings.ReplaceAll(`@id, @filing_id, @employer_id, @name, @national_id_sealed, @national_id_index, @phone_sealed,
	@contract_start, @contract_end, @social_insurance_start, coalesce(@user_id::text, ''), coalesce(@employment_id::text, ''),
	@matched_at`, "@", alias)
}

var hireColumns = hireColumnsOf("")

func scanHire(r pgx.Row) (employers.Hire, error) {
	var h employers.Hire
	c := &h.Confirmation
	err := r.Scan(&h.ID, &h.FilingID, &h.EmployerID, &h.Name, &h.NationalIDSealed, &h.NationalIDIndex, &h.PhoneSealed,
		&c.ContractStart, &c.ContractEnd, &c.SocialInsuranceStart, &h.UserID, &h.EmploymentID, &h.MatchedAt)
	return h, err
}

// CreateFiling implements employers.Store: the hires go in with one COPY.
func (s Employers) CreateFiling(ctx context.Context, f employers.Filing, hires []employers.Hire, change employers.Change) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error {
		if _, err := tx.Exec(ctx, `INSERT INTO filings (id, employer_id, filed_by, hires, created_at) VALUES ($1, $2, $3, $4, $5)`,
			f.ID, f.EmployerID, f.FiledBy, f.Hires, f.CreatedAt); err != nil {
			return err
		}
		rows := make([][]any, len(hires))
		for i, h := range hires {
			c := h.Confirmation
			rows[i] = []any{h.ID, f.ID, h.EmployerID, h.Name, h.NationalIDSealed, h.NationalIDIndex, h.PhoneSealed,
				c.ContractStart, c.ContractEnd, c.SocialInsuranceStart}
		}
		if _, err := tx.CopyFrom(ctx, pgx.Identifier{"filed_hires"}, []string{"id", "filing_id", "employer_id", "name",
			"national_id_sealed", "national_id_index", "phone_sealed", "contract_start", "contract_end", "social_insurance_start"},
			pgx.CopyFromRows(rows)); err != nil {
			return err
		}
		return applyEmployerChange(ctx, tx, change)
	})
}

// Filing implements employers.Store.
func (s Employers) Filing(ctx context.Context, id string) (employers.Filing, []employers.Hire, error) {
	f, err := byID(ctx, s.db.pool, id, employers.CodeFilingNotFound, scanFiling,
		`SELECT `+filingColumns+` FROM filings f WHERE id = $1`)
	if err != nil {
		return f, nil, err
	}
	hires, err := collect(ctx, s.db.pool, scanHire, `SELECT `+hireColumns+` FROM filed_hires WHERE filing_id = $1 ORDER BY name, id`, id)
	return f, hires, err
}

// Filings implements employers.Store.
func (s Employers) Filings(ctx context.Context, employerID string, p talent.Page) ([]employers.Filing, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanFiling, func(f employers.Filing) (time.Time, string) { return f.CreatedAt, f.ID },
		`SELECT `+filingColumns+` FROM filings f WHERE employer_id = $1 AND (created_at, id) < ($2, $3)
		ORDER BY created_at DESC, id DESC LIMIT $4`, employerID)
}

// UnmatchedHires implements employers.Store.
func (s Employers) UnmatchedHires(ctx context.Context, personIndex string) ([]employers.Hire, error) {
	return collect(ctx, s.db.pool, scanHire, `SELECT `+hireColumnsOf("h.")+` FROM filed_hires h JOIN filings f ON f.id = h.filing_id
		WHERE h.national_id_index = $1 AND h.matched_at IS NULL ORDER BY f.created_at DESC, h.id`, personIndex)
}

// MatchHire implements employers.Store. The person's other unmatched hires
// (older filings, other employers) are closed with it: the newest filing
// is the one that counts.
func (s Employers) MatchHire(ctx context.Context, id string, fn func(*employers.Hire) (employers.Change, error)) (employers.Hire, error) {
	return update(ctx, s.db, id, employers.CodeFilingNotFound,
		func(tx pgx.Tx) (employers.Hire, error) {
			return scanHire(tx.QueryRow(ctx, `SELECT `+hireColumns+` FROM filed_hires WHERE id = $1 FOR UPDATE`, id))
		}, fn,
		func(tx pgx.Tx, h *employers.Hire, change employers.Change) error {
			if err := applyEmployerChange(ctx, tx, change); err != nil {
				return err
			}
			if _, err := tx.Exec(ctx, `UPDATE filed_hires SET user_id = $2, employment_id = $3, matched_at = $4 WHERE id = $1`,
				h.ID, nullable(h.UserID), nullable(h.EmploymentID), h.MatchedAt); err != nil {
				return err
			}
			_, err := tx.Exec(ctx, `UPDATE filed_hires SET user_id = $2, matched_at = $3
				WHERE national_id_index = $1 AND matched_at IS NULL`, h.NationalIDIndex, nullable(h.UserID), h.MatchedAt)
			return err
		})
}

// PersonIndex implements employers.Store.
func (s Employers) PersonIndex(ctx context.Context, userID string) (string, error) {
	var idx string
	err := s.db.pool.QueryRow(ctx, `SELECT coalesce(national_id_index, '') FROM profiles WHERE user_id = $1`, userID).Scan(&idx)
	if err == pgx.ErrNoRows {
		return "", nil
	}
	return idx, translate(err)
}

// Persons implements employers.Store.
func (s Employers) Persons(ctx context.Context, employerID string, pkg policy.ID, indexes []string) (employers.Persons, error) {
	p := employers.Persons{Users: map[string]string{}, Filed: map[string]bool{}, Claimed: map[string]bool{}}
	rows, err := s.db.pool.Query(ctx, `
		SELECT x.idx,
			(SELECT user_id::text FROM profiles WHERE national_id_index = x.idx),
			EXISTS (SELECT 1 FROM filed_hires WHERE employer_id = $2 AND national_id_index = x.idx),
			EXISTS (SELECT 1 FROM claims WHERE person_index = x.idx AND package = $3 AND status NOT IN ('withdrawn', 'lapsed'))
		FROM unnest($1::text[]) AS x(idx)`, indexes, employerID, string(pkg))
	if err != nil {
		return p, translate(err)
	}
	defer rows.Close()
	for rows.Next() {
		var idx string
		var user *string
		var filed, claimed bool
		if err := rows.Scan(&idx, &user, &filed, &claimed); err != nil {
			return p, err
		}
		if user != nil {
			p.Users[idx] = *user
		}
		p.Filed[idx], p.Claimed[idx] = filed, claimed
	}
	return p, translate(rows.Err())
}

// Apply implements employers.Store.
func (s Employers) Apply(ctx context.Context, change employers.Change) error {
	return s.db.tx(ctx, func(tx pgx.Tx) error { return applyEmployerChange(ctx, tx, change) })
}

// Audit implements employers.Store.
func (s Employers) Audit(ctx context.Context, employerID string) ([]talent.Audit, error) {
	return collect(ctx, s.db.pool, func(r pgx.Row) (talent.Audit, error) {
		var a talent.Audit
		err := r.Scan(&a.At, &a.ActorID, &a.Entity, &a.EntityID, &a.Event, &a.Detail)
		return a, err
	}, `SELECT at, actor_id, entity, entity_id, event, detail FROM audit_log
		WHERE entity = 'employer' AND entity_id = $1 ORDER BY id LIMIT 1000`, employerID)
}

// applyEmployerChange writes what an employers use case changes besides its
// own row. A grant of a role the user holds for another employer is a
// conflict: a user acts for one employer per role.
func applyEmployerChange(ctx context.Context, tx pgx.Tx, c employers.Change) error {
	if e := c.Employer; e != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO employers (id, name, credit_code, address, status, created_at)
			VALUES ($1, $2, $3, $4, $5, $6)
			ON CONFLICT (id) DO UPDATE SET name = EXCLUDED.name, address = EXCLUDED.address, status = EXCLUDED.status`,
			e.ID, e.Name, e.CreditCode, e.Address, e.Status, e.CreatedAt); err != nil {
			return err
		}
	}
	for _, g := range c.Grants {
		tag, err := tx.Exec(ctx, `INSERT INTO role_grants (user_id, role, employer_id, granted_by, granted_at)
			VALUES ($1, $2, $3, $4, now())
			ON CONFLICT (user_id, role) DO UPDATE SET granted_by = EXCLUDED.granted_by, granted_at = EXCLUDED.granted_at
			WHERE role_grants.employer_id = EXCLUDED.employer_id`, g.UserID, g.Role, g.EmployerID, nullable(g.By))
		if err != nil {
			return err
		}
		if tag.RowsAffected() == 0 {
			return talent.Errorf(talent.KindConflict, employers.CodeStaffElsewhere, "the user is %s of another employer", g.Role)
		}
	}
	for _, g := range c.Revokes {
		if _, err := tx.Exec(ctx, `DELETE FROM role_grants WHERE user_id = $1 AND role = $2 AND employer_id = $3`,
			g.UserID, g.Role, g.EmployerID); err != nil {
			return err
		}
	}
	if i := c.Invitation; i != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO invitations (id, employer_id, role, code_hash, code_sealed, contact_sealed, invited_by,
				status, expires_at, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)`,
			i.ID, i.EmployerID, i.Role, i.CodeHash, i.CodeSealed, i.ContactSealed, nullable(i.InvitedBy), i.Status, i.ExpiresAt, i.CreatedAt); err != nil {
			return err
		}
	}
	if n := c.Nomination; n != nil {
		if _, err := tx.Exec(ctx, `INSERT INTO employer_nominations (id, employer_id, user_id, contact_name, contact_sealed, invitation_id, created_at)
			VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT (employer_id, user_id) DO NOTHING`,
			n.ID, n.EmployerID, n.UserID, n.ContactName, n.ContactSealed, nullable(n.InvitationID), n.CreatedAt); err != nil {
			return err
		}
	}
	if e := c.Employment; e != nil {
		if err := declareEmployment(ctx, tx, *e); err != nil {
			return err
		}
	}
	if d := c.Profile; d != nil && c.Employment != nil {
		since := d.Since
		if _, err := tx.Exec(ctx, `UPDATE profiles SET employer = $2 WHERE user_id = $1`, c.Employment.UserID,
			employerJSON{Name: d.Name, CreditCode: d.CreditCode, Since: &since}); err != nil {
			return err
		}
	}
	if err := appendAudit(ctx, tx, c.Audit); err != nil {
		return err
	}
	return enqueue(ctx, tx, c.Tasks)
}
