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

// LapseReturns is the periodic job that lapses returned claims whose
// supplement window passed (Service.LapseReturns).
type LapseReturns struct{}

// Kind implements talent.Task.
func (LapseReturns) Kind() string { return "claims:lapse" }

// EndNotices is the periodic job that starts paying approvals whose public
// notice ended (Service.EndNotices).
type EndNotices struct{}

// Kind implements talent.Task.
func (EndNotices) Kind() string { return "claims:notices" }
