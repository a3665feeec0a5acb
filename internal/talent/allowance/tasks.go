package allowance

// EvaluateClaim gathers a submitted claim's facts and evaluates its package.
type EvaluateClaim struct {
	ClaimID string `json:"claimId"`
}

// Kind implements talent.Task.
func (EvaluateClaim) Kind() string { return "claim:evaluate" }

// EscalateOverdue is the periodic deadline check (Service.Escalate).
type EscalateOverdue struct{}

// Kind implements talent.Task.
func (EscalateOverdue) Kind() string { return "claim:escalate" }

// ReleasePayments is the periodic continuing-eligibility check of payments
// falling due (Service.ReleasePayments).
type ReleasePayments struct{}

// Kind implements talent.Task.
func (ReleasePayments) Kind() string { return "payments:release" }
