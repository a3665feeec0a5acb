package talent

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"
)

// TaskEmploymentDeclared tells the employer's HR office about a new declaration.
const TaskEmploymentDeclared = "employment:declared"

// TaskEmploymentDecided lets the claims workflow resume claims that waited
// for HR's answer.
const TaskEmploymentDecided = "employment:decided"

// EmploymentDecided is the payload of employment:decided.
type EmploymentDecided struct {
	UserID string `json:"userId"`
}

// EmploymentDeclared is the payload of employment:declared.
type EmploymentDeclared struct {
	EmploymentID string `json:"employmentId"`
}

// Employer is an organisation whose HR office confirms graduates' employment.
type Employer struct {
	ID         string
	Name       string
	CreditCode string // 统一社会信用代码, validated
	CreatedAt  time.Time
}

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
func (e *Employment) decide(actor User) error {
	if !actor.hrOf(e.EmployerID) {
		return NotFound("employment")
	}
	if e.UserID == actor.ID {
		return Errorf(KindForbidden, "own_employment", "nobody confirms their own employment")
	}
	if e.Status != EmploymentPending {
		return Errorf(KindConflict, "employment_decided", "the employment was already answered (%s)", e.Status)
	}
	return nil
}

// confirm records HR's confirmation.
func (e *Employment) confirm(actor User, c Confirmation, now time.Time) error {
	if err := e.decide(actor); err != nil {
		return err
	}
	var fields []FieldError
	if c.ContractStart.IsZero() {
		fields = append(fields, FieldError{Field: "contractStart", Code: "required"})
	}
	if !c.ContractEnd.After(c.ContractStart) {
		fields = append(fields, FieldError{Field: "contractEnd", Code: "contract_end_before_start"})
	}
	si := time.Date(c.SocialInsuranceStart.Year(), c.SocialInsuranceStart.Month(), 1, 0, 0, 0, 0, time.UTC)
	if c.SocialInsuranceStart.IsZero() || si.After(now) {
		fields = append(fields, FieldError{Field: "socialInsuranceStart", Code: "date_out_of_range"})
	}
	if len(fields) > 0 {
		return Invalid(fields...)
	}
	e.Status = EmploymentConfirmed
	e.ContractStart, e.ContractEnd, e.SocialInsuranceStart = &c.ContractStart, &c.ContractEnd, &si
	e.DecidedBy, e.DecidedAt, e.UpdatedAt = actor.ID, &now, now
	return nil
}

// reject records HR's refusal, which must give a reason the graduate reads.
func (e *Employment) reject(actor User, reason string, now time.Time) error {
	if err := e.decide(actor); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > 500 {
		return Invalid(FieldError{Field: "reason", Code: "text_length"})
	}
	e.Status, e.RejectReason = EmploymentRejected, reason
	e.DecidedBy, e.DecidedAt, e.UpdatedAt = actor.ID, &now, now
	return nil
}

// hrOf reports whether the user is HR of the employer.
func (u User) hrOf(employerID string) bool {
	for _, g := range u.Roles {
		if g.Role == RoleHR && g.EmployerID == employerID {
			return true
		}
	}
	return false
}

// hrEmployer returns the employer the user is HR of.
func (u User) hrEmployer() (string, error) {
	for _, g := range u.Roles {
		if g.Role == RoleHR {
			return g.EmployerID, nil
		}
	}
	return "", Errorf(KindForbidden, "role_required", "requires the hr role")
}

// CreateEmployer registers an employer (admin).
func (s *Service) CreateEmployer(ctx context.Context, actor User, name, creditCode string) (Employer, error) {
	if err := actor.require(RoleAdmin); err != nil {
		return Employer{}, err
	}
	var fields []FieldError
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 128 {
		fields = append(fields, FieldError{Field: "name", Code: "text_length"})
	}
	code, err := ParseCreditCode(creditCode, "creditCode")
	if err != nil {
		fields = append(fields, err.Fields...)
	}
	if len(fields) > 0 {
		return Employer{}, Invalid(fields...)
	}
	e := Employer{ID: NewID(), Name: name, CreditCode: code, CreatedAt: s.now()}
	return e, s.Store.CreateEmployer(ctx, e)
}

// Employers searches employers by name or credit code, for the app's picker.
func (s *Service) Employers(ctx context.Context, query string, page Page) ([]Employer, string, error) {
	return s.Store.Employers(ctx, strings.TrimSpace(query), page)
}

// CurrentEmployment returns the caller's latest employment declaration.
func (s *Service) CurrentEmployment(ctx context.Context, actor User) (Employment, error) {
	return s.Store.CurrentEmployment(ctx, actor.ID)
}

// EmploymentRequests lists the caller's employer's requests (HR).
func (s *Service) EmploymentRequests(ctx context.Context, actor User, status EmploymentStatus, page Page) ([]EmploymentRequest, string, error) {
	employer, err := actor.hrEmployer()
	if err != nil {
		return nil, "", err
	}
	recs, next, err := s.Store.EmploymentRequests(ctx, employer, status, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]EmploymentRequest, len(recs))
	for i, r := range recs {
		out[i] = EmploymentRequest{Employment: r.Employment, GraduateName: r.Profile.Name}
		if r.Profile.NationalIDSealed != "" {
			number, err := s.Vault.Open(r.Profile.NationalIDSealed)
			if err != nil {
				return nil, "", err
			}
			out[i].NationalIDMasked = MaskNationalID(number)
		}
	}
	return out, next, nil
}

// DecideEmployment confirms (c != nil) or rejects one employment as HR,
// and tells the graduate.
func (s *Service) DecideEmployment(ctx context.Context, actor User, id string, c *Confirmation, reason string) (Employment, error) {
	if _, err := actor.hrEmployer(); err != nil {
		return Employment{}, err
	}
	return s.Store.UpdateEmployment(ctx, id, func(e *Employment) ([]Task, error) {
		now := s.now()
		note := NotifyRequest{UserID: e.UserID, Link: "anju://me/employment"}
		if c != nil {
			if err := e.confirm(actor, *c, now); err != nil {
				return nil, err
			}
			note.Template, note.EventID = "employment.confirmed", "employment.confirmed:"+e.ID
		} else {
			if err := e.reject(actor, reason, now); err != nil {
				return nil, err
			}
			note.Template, note.EventID = "employment.rejected", "employment.rejected:"+e.ID
			note.Params = map[string]string{"reason": e.RejectReason}
		}
		return []Task{
			{Type: TaskSendNotification, Payload: note},
			{Type: TaskEmploymentDecided, Payload: EmploymentDecided{UserID: e.UserID}},
		}, nil
	})
}

// DecideEmployments answers many requests at once; each item stands alone,
// so one bad item does not hold back the others.
func (s *Service) DecideEmployments(ctx context.Context, actor User, items []EmploymentDecision) ([]EmploymentDecisionResult, error) {
	if _, err := actor.hrEmployer(); err != nil {
		return nil, err
	}
	out := make([]EmploymentDecisionResult, len(items))
	for i, it := range items {
		e, err := s.DecideEmployment(ctx, actor, it.EmploymentID, it.Confirm, it.Reason)
		out[i] = EmploymentDecisionResult{EmploymentID: it.EmploymentID, Err: err}
		if err == nil {
			out[i].Employment = &e
		}
	}
	return out, nil
}

// EndEmployment records, as HR, that a confirmed employee left on a date.
// Payments stop and, after a grace period, a talent apartment must be left.
func (s *Service) EndEmployment(ctx context.Context, actor User, id string, endedOn time.Time) (Employment, error) {
	if _, err := actor.hrEmployer(); err != nil {
		return Employment{}, err
	}
	return s.Store.UpdateEmployment(ctx, id, func(e *Employment) ([]Task, error) {
		if !actor.hrOf(e.EmployerID) {
			return nil, NotFound("employment")
		}
		if e.Status != EmploymentConfirmed {
			return nil, Errorf(KindConflict, "employment_not_confirmed", "only a confirmed employment can end")
		}
		if endedOn.IsZero() || endedOn.After(s.now().AddDate(0, 1, 0)) || (e.ContractStart != nil && endedOn.Before(*e.ContractStart)) {
			return nil, Invalid(FieldError{Field: "endedOn", Code: "date_out_of_range"})
		}
		now := s.now()
		e.Status, e.EndedOn, e.UpdatedAt = EmploymentEnded, &endedOn, now
		return []Task{{Type: TaskSendNotification, Payload: NotifyRequest{
			UserID: e.UserID, EventID: "employment.ended:" + e.ID, Template: "employment.ended",
			Params: map[string]string{"date": endedOn.Format("2006-01-02")}, Link: "anju://me/employment",
		}}}, nil
	})
}

// NotifyEmploymentDeclared tells every HR user of the employer about a new
// declaration. Each notification is once per HR user, so a retry only sends
// what is missing.
func (s *Service) NotifyEmploymentDeclared(ctx context.Context, id string) error {
	e, err := s.Store.Employment(ctx, id)
	if err != nil {
		return err
	}
	if e.Status != EmploymentPending {
		return nil
	}
	rec, err := s.Store.Profile(ctx, e.UserID)
	if err != nil {
		return err
	}
	hr, err := s.Store.HRUsers(ctx, e.EmployerID)
	if err != nil {
		return err
	}
	var retry error
	for _, uid := range hr {
		err := s.Notify(ctx, NotifyRequest{
			UserID: uid, EventID: "employment.declared:" + e.ID, Template: "employment.declared",
			Params: map[string]string{"name": rec.Name}, Link: "anju://hr/employments/" + e.ID,
		})
		if err != nil {
			retry = err
		}
	}
	return retry
}
