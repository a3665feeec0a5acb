package account

// Tasks of the account module. talent.NotifyRequest (notify:send) is the
// kernel's, since every module sends notifications.

// InspectDocument checks an uploaded document's bytes against its declaration.
type InspectDocument struct {
	DocumentID string `json:"documentId"`
}

// Kind implements talent.Task.
func (InspectDocument) Kind() string { return "document:inspect" }

// EmploymentDeclared tells the employer's HR office about a new declaration.
type EmploymentDeclared struct {
	EmploymentID string `json:"employmentId"`
}

// Kind implements talent.Task.
func (EmploymentDeclared) Kind() string { return "employment:declared" }

// EmploymentDecided is the event of HR answering a declaration; the claims
// workflow resumes the claims that waited for it.
type EmploymentDecided struct {
	UserID string `json:"userId"`
}

// Kind implements talent.Task.
func (EmploymentDecided) Kind() string { return "employment:decided" }
