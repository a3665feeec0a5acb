package talent

import (
	"strings"
	"time"
	"unicode/utf8"
)

// Employer is an organisation whose HR office confirms graduates' employment.
type Employer struct {
	ID         string
	Name       string
	CreditCode string // 统一社会信用代码, validated
	Address    string
	Status     EmployerStatus
	CreatedAt  time.Time
}

// EmployerStatus says whether an employer has taken up its account.
type EmployerStatus string

// Employer statuses.
const (
	// EmployerRegistered: registered by a city admin, or approved, or its
	// named contact accepted the invitation; it has an account to act from.
	EmployerRegistered EmployerStatus = "registered"
	// EmployerUnregistered: a graduate named it; nobody acts for it yet, and
	// its graduates' claims wait for it while the city is alerted.
	EmployerUnregistered EmployerStatus = "unregistered"
)

// EmploymentSource says how an employment came to Anju.
type EmploymentSource string

// Employment sources.
const (
	SourceDeclared EmploymentSource = "declared" // the graduate declared it; HR answers
	SourceFiled    EmploymentSource = "filed"    // HR filed it among its new hires: confirmed from the start
)

// EmploymentStatus is where a declared employment stands.
type EmploymentStatus string

// Employment statuses.
const (
	// EmploymentPending: declared by the graduate; HR has not answered.
	EmploymentPending EmploymentStatus = "pending"
	// EmploymentConfirmed: HR confirmed the contract and social insurance.
	EmploymentConfirmed EmploymentStatus = "confirmed"
	// EmploymentRejected: HR says the graduate does not work there.
	EmploymentRejected EmploymentStatus = "rejected"
	// EmploymentSuperseded: the graduate declared another employer since.
	EmploymentSuperseded EmploymentStatus = "superseded"
	// EmploymentEnded: HR says the graduate left on EndedOn.
	EmploymentEnded EmploymentStatus = "ended"
)

// EmploymentEvent is something that happens to an employment.
type EmploymentEvent string

// Employment events.
const (
	EmploymentConfirm   EmploymentEvent = "confirm"   // HR confirms
	EmploymentReject    EmploymentEvent = "reject"    // HR refuses
	EmploymentSupersede EmploymentEvent = "supersede" // the graduate declares another employer
	EmploymentEnd       EmploymentEvent = "end"       // HR records that the graduate left
)

// EmploymentTransitions is the employment state machine.
var EmploymentTransitions = Transitions[EmploymentStatus, EmploymentEvent]{
	EmploymentConfirm:   {From: []EmploymentStatus{EmploymentPending}, To: EmploymentConfirmed},
	EmploymentReject:    {From: []EmploymentStatus{EmploymentPending}, To: EmploymentRejected},
	EmploymentSupersede: {From: []EmploymentStatus{EmploymentPending, EmploymentConfirmed}, To: EmploymentSuperseded},
	EmploymentEnd:       {From: []EmploymentStatus{EmploymentConfirmed}, To: EmploymentEnded},
}

// Employment is a graduate's declared job and the employer's answer.
type Employment struct {
	ID                   string
	UserID               string
	EmployerID           string
	Status               EmploymentStatus
	DeclaredSince        *time.Time
	ContractStart        *time.Time
	ContractEnd          *time.Time
	SocialInsuranceStart *time.Time // first day of the first month paid locally
	RejectReason         string
	EndedOn              *time.Time
	DecidedBy            string
	DecidedAt            *time.Time
	Source               EmploymentSource
	CreatedAt            time.Time
	UpdatedAt            time.Time
}

// EmploymentRequest is an employment as HR sees it: who declared it, masked.
type EmploymentRequest struct {
	Employment
	GraduateName     string
	NationalIDMasked string
}

// Confirmation is what HR states when confirming employment.
type Confirmation struct {
	ContractStart        time.Time
	ContractEnd          time.Time
	SocialInsuranceStart time.Time // any day of the month; stored as the 1st
}

// EmploymentDecision is one item of a bulk answer: Confirm or, when nil, reject with Reason.
type EmploymentDecision struct {
	EmploymentID string
	Confirm      *Confirmation
	Reason       string
}

// EmploymentDecisionResult reports one item of a bulk answer.
type EmploymentDecisionResult struct {
	EmploymentID string
	Employment   *Employment
	Err          error
}

// decide checks that actor is HR of this employment's employer and that it
// still awaits an answer. Another employer's request is not found.
func (e *Employment) decide(actor User, ev EmploymentEvent) error {
	if !actor.HROf(e.EmployerID) {
		return NotFound(CodeEmploymentNotFound)
	}
	if e.UserID == actor.ID {
		return Errorf(KindForbidden, CodeOwnEmployment, "nobody confirms their own employment")
	}
	if !EmploymentTransitions.Allows(e.Status, ev) {
		return Errorf(KindConflict, CodeEmploymentDecided, "the employment was already answered (%s)", e.Status)
	}
	return nil
}

// Confirm records HR's confirmation.
func (e *Employment) Confirm(actor User, c Confirmation, now time.Time) error {
	if err := e.decide(actor, EmploymentConfirm); err != nil {
		return err
	}
	if fields := c.Check("", now); len(fields) > 0 {
		return Invalid(fields...)
	}
	e.Status, _ = EmploymentTransitions.Next(e.Status, EmploymentConfirm)
	si := c.insuranceMonth()
	e.ContractStart, e.ContractEnd, e.SocialInsuranceStart = &c.ContractStart, &c.ContractEnd, &si
	e.DecidedBy, e.DecidedAt, e.UpdatedAt = actor.ID, &now, now
	return nil
}

// Check reports what is wrong with a confirmation, each field named with
// prefix: a contract that ends after it starts, and social insurance that
// started by this month.
func (c Confirmation) Check(prefix string, now time.Time) []FieldError {
	var fields []FieldError
	if c.ContractStart.IsZero() {
		fields = append(fields, FieldError{Field: prefix + "contractStart", Code: CodeRequired})
	}
	if !c.ContractEnd.After(c.ContractStart) {
		fields = append(fields, FieldError{Field: prefix + "contractEnd", Code: CodeContractEndBeforeStart})
	}
	if c.SocialInsuranceStart.IsZero() || c.insuranceMonth().After(now) {
		fields = append(fields, FieldError{Field: prefix + "socialInsuranceStart", Code: CodeDateOutOfRange})
	}
	return fields
}

// insuranceMonth is the first day of the month social insurance started.
func (c Confirmation) insuranceMonth() time.Time {
	return time.Date(c.SocialInsuranceStart.Year(), c.SocialInsuranceStart.Month(), 1, 0, 0, 0, 0, time.UTC)
}

// FiledEmployment is the employment of a graduate whom HR filed among its
// new hires: confirmed from the start by the filing HR user, whose
// confirmation the filing checked.
func FiledEmployment(userID, employerID, filedBy string, c Confirmation, now time.Time) Employment {
	si := c.insuranceMonth()
	return Employment{ID: NewID(), UserID: userID, EmployerID: employerID, Status: EmploymentConfirmed,
		ContractStart: &c.ContractStart, ContractEnd: &c.ContractEnd, SocialInsuranceStart: &si,
		DecidedBy: filedBy, DecidedAt: &now, Source: SourceFiled, CreatedAt: now, UpdatedAt: now}
}

// Reject records HR's refusal, which must give a reason the graduate reads.
func (e *Employment) Reject(actor User, reason string, now time.Time) error {
	if err := e.decide(actor, EmploymentReject); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > 500 {
		return Field("reason", CodeTextLength)
	}
	e.Status, _ = EmploymentTransitions.Next(e.Status, EmploymentReject)
	e.RejectReason = reason
	e.DecidedBy, e.DecidedAt, e.UpdatedAt = actor.ID, &now, now
	return nil
}

// End records, as HR of its employer, that a confirmed employee left on
// endedOn, which may be at most a month ahead and not before the contract.
func (e *Employment) End(actor User, endedOn, now time.Time) error {
	if !actor.HROf(e.EmployerID) {
		return NotFound(CodeEmploymentNotFound)
	}
	if e.UserID == actor.ID {
		return Errorf(KindForbidden, CodeOwnEmployment, "nobody records the end of their own employment")
	}
	if !EmploymentTransitions.Allows(e.Status, EmploymentEnd) {
		return Errorf(KindConflict, CodeEmploymentNotConfirmed, "only a confirmed employment can end")
	}
	if endedOn.IsZero() || endedOn.After(now.AddDate(0, 1, 0)) || (e.ContractStart != nil && endedOn.Before(*e.ContractStart)) {
		return Field("endedOn", CodeDateOutOfRange)
	}
	e.Status, _ = EmploymentTransitions.Next(e.Status, EmploymentEnd)
	e.EndedOn, e.UpdatedAt = &endedOn, now
	return nil
}

// ValidateEmployer checks an employer as an admin registers it and returns
// the normalised credit code.
func ValidateEmployer(name, creditCode string) (string, string, error) {
	var fields []FieldError
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 128 {
		fields = append(fields, FieldError{Field: "name", Code: CodeTextLength})
	}
	code, err := ParseCreditCode(creditCode, "creditCode")
	if err != nil {
		fields = append(fields, err.Fields...)
	}
	if len(fields) > 0 {
		return "", "", Invalid(fields...)
	}
	return name, code, nil
}
