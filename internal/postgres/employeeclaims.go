package postgres

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/jackc/pgx/v5"
)

// EmployeeClaims implements allowance.ClaimStore. The cursor is the
// position of the last claim of the previous page in (submitted_at, id),
// newest first.
//
// The employer's live employments (employments_employer) lead to their
// graduates' claims (claims_user); the page is then taken in submission
// order. That order cannot come from an index, because a claim does not
// carry the employer its graduate works for now, so the rows sorted are
// the claims of this employer's people: they grow with its headcount
// (a few per graduate), never with the city's claims. The page is picked
// first and only its claims are joined to their profiles and next payment.
func (s Claims) EmployeeClaims(ctx context.Context, f allowance.EmployeeClaimFilter, p talent.Page) ([]allowance.EmployeeClaimRecord, string, error) {
	return newestFirst(ctx, s.db.pool, p, scanEmployeeClaim,
		func(r allowance.EmployeeClaimRecord) (time.Time, string) { return *r.Claim.SubmittedAt, r.Claim.ID },
		`WITH picked AS (
			SELECT c.id, c.submitted_at, e.status AS employment
			FROM employments e JOIN claims c ON c.user_id = e.user_id
			WHERE e.employer_id = ANY($1::uuid[]) AND e.status IN ('pending', 'confirmed')
				AND c.submitted_at IS NOT NULL
				AND ($2 = '' OR c.status = $2)
				AND ($3 = '' OR c.package = $3)
				AND (c.submitted_at, c.id) < ($4, $5::uuid)
			ORDER BY c.submitted_at DESC, c.id DESC
			LIMIT $6)
		SELECT `+claimColumnsOf("c.")+`, coalesce(pr.name, ''), coalesce(pr.national_id_sealed, ''), picked.employment,
			np.status, np.due_on
		FROM picked JOIN claims c ON c.id = picked.id
		LEFT JOIN profiles pr ON pr.user_id = c.user_id
		LEFT JOIN LATERAL (
			SELECT status, due_on FROM payments
			WHERE claim_id = c.id AND status IN ('scheduled', 'held', 'due', 'batched', 'failed')
			ORDER BY seq LIMIT 1) np ON true
		ORDER BY picked.submitted_at DESC, picked.id DESC`,
		f.EmployerIDs, string(f.Status), string(f.Package))
}

func scanEmployeeClaim(r pgx.Row) (allowance.EmployeeClaimRecord, error) {
	var x allowance.EmployeeClaimRecord
	var decision, items []byte
	var payStatus *string
	var payDue *time.Time
	fields := append(claimFields(&x.Claim, &decision, &items), &x.GraduateName, &x.NationalIDSealed, &x.Employment, &payStatus, &payDue)
	if err := r.Scan(fields...); err != nil {
		return x, err
	}
	if payStatus != nil && payDue != nil {
		x.NextPayment = &allowance.Payment{ClaimID: x.Claim.ID, Status: allowance.PaymentStatus(*payStatus), DueOn: *payDue}
	}
	return x, decodeClaim(&x.Claim, decision, items)
}
