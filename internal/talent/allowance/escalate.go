package allowance

import (
	"context"

	"github.com/anju-city/anju/internal/talent"
)

// Escalate is the periodic deadline check: for each claim past its stage's
// due time it alerts the staff responsible (inbox and push) and flags the
// claim, once per stage: whoever answers for the graduate's employer for
// the employer stage (talent.EmployerContacts), finance for the first
// payment, reviewers for the others.
func (s *Service) Escalate(ctx context.Context) error {
	now := s.now()
	return talent.Sweep(ctx, "claims:escalate",
		func(ctx context.Context, after *Claim) ([]Claim, error) { return s.ClaimStore.Overdue(ctx, now, after) },
		func(c Claim) string { return c.ID }, s.escalate)
}

func (s *Service) escalate(ctx context.Context, c Claim) error {
	var staff []string
	var err error
	switch c.Stage {
	case StageEmployer:
		emp, eerr := s.Employments.CurrentEmployment(ctx, c.UserID)
		if eerr == nil {
			staff, err = talent.EmployerContacts(ctx, s.Staff, emp.EmployerID)
		}
	case StagePayment:
		staff, err = s.Staff.UsersWithRole(ctx, talent.RoleFinance)
	default:
		staff, err = s.Staff.UsersWithRole(ctx, talent.RoleReviewer)
	}
	if err != nil {
		return err
	}
	for _, uid := range staff {
		err := s.Notifier.Notify(ctx, talent.NotifyRequest{
			UserID: uid, EventID: "claim.overdue:" + c.ID + ":" + string(c.Stage), Template: "claim.overdue",
			Texts: map[string]talent.Text{"package": talent.Text(c.Package.Name()), "stage": stageNames[c.Stage]},
			Link:  "anju://review/claims/" + c.ID,
		})
		if err != nil {
			return err
		}
	}
	_, err = s.ClaimStore.UpdateClaim(ctx, c.ID, func(cur *Claim) (ClaimChange, error) {
		if cur.EscalatedAt != nil || cur.Stage != c.Stage {
			return ClaimChange{}, nil
		}
		now := s.now()
		cur.EscalatedAt = &now
		cur.Breaches++
		return ClaimChange{Touched: true}, nil
	})
	return err
}
