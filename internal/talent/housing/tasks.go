package housing

// CloseRounds is the periodic job that closes rounds whose window has ended
// (Rounds.CloseDue).
type CloseRounds struct{}

// Kind implements talent.Task.
func (CloseRounds) Kind() string { return "rounds:close" }

// ExpireOffers is the periodic job that lapses offers past their deadline
// and reminds applicants a day before (Rounds.ExpireOffers).
type ExpireOffers struct{}

// Kind implements talent.Task.
func (ExpireOffers) Kind() string { return "offers:expire" }

// ReviewLeases is the daily job that opens renewal windows and starts
// move-outs (Leases.Review).
type ReviewLeases struct{}

// Kind implements talent.Task.
func (ReviewLeases) Kind() string { return "leases:review" }
