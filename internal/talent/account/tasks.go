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
