package talent

// Task is follow-up work a state change records, in the idiom of river's
// JobArgs: a module declares one struct per kind of work (its arguments,
// JSON-encoded in the outbox) with a Kind naming the handler, e.g.
// "claim:evaluate". The store writes a change's tasks to the outbox in the
// change's own transaction; the workers run them.
type Task interface {
	Kind() string
}

// PersonIdentified says that an account now carries a national ID number
// (set or changed on the profile), so that what was filed for the person
// before they signed up can find them.
type PersonIdentified struct {
	UserID string `json:"userId"`
}

// Kind implements Task.
func (PersonIdentified) Kind() string { return "persons:identified" }

// EmploymentDecided says that a graduate's employment was answered (HR
// confirmed or rejected it, or filed it confirmed); the claims workflow
// resumes the claims that waited for it.
type EmploymentDecided struct {
	UserID string `json:"userId"`
}

// Kind implements Task.
func (EmploymentDecided) Kind() string { return "employment:decided" }
