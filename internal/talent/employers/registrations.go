package employers

import (
	"context"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
)

// RegistrationStatus is where an employer's registration stands.
type RegistrationStatus string

// Registration statuses.
const (
	RegistrationPending  RegistrationStatus = "pending"
	RegistrationApproved RegistrationStatus = "approved"
	RegistrationRejected RegistrationStatus = "rejected"
)

// RegistrationEvent is a city admin's decision.
type RegistrationEvent string

// Registration events.
const (
	RegistrationApprove RegistrationEvent = "approve"
	RegistrationReject  RegistrationEvent = "reject"
)

// RegistrationTransitions is the registration state machine; a
// registration is filed pending.
var RegistrationTransitions = talent.Transitions[RegistrationStatus, RegistrationEvent]{
	RegistrationApprove: {From: []RegistrationStatus{RegistrationPending}, To: RegistrationApproved},
	RegistrationReject:  {From: []RegistrationStatus{RegistrationPending}, To: RegistrationRejected},
}

// Registration is an employer asking for an account: its registrant becomes
// the employer's admin once a city admin approves it.
type Registration struct {
	ID                 string
	CreditCode         string
	Name               string
	Address            string
	ContactName        string
	ContactPhoneSealed string
	ApplicantID        string
	Status             RegistrationStatus
	Reason             string // why it was rejected
	EmployerID         string // once approved
	DecidedBy          string
	DecidedAt          *time.Time
	CreatedAt          time.Time
}

// RegistrationInput is what a registrant states.
type RegistrationInput struct {
	CreditCode   string
	Name         string
	Address      string
	ContactName  string
	ContactPhone string
}

// RegistrationFilter narrows the list of registrations.
type RegistrationFilter struct {
	Status      RegistrationStatus
	ApplicantID string
}

// RegistrationView is a registration as a reader sees it: the contact's
// phone masked.
type RegistrationView struct {
	Registration
	ContactPhone string
}

// Register files an employer's registration (anyone signed in); the caller
// becomes the employer's pending admin. An employer registered already, or
// with a registration waiting, is refused; one a graduate named may register.
func (s *Service) Register(ctx context.Context, actor talent.User, in RegistrationInput) (RegistrationView, error) {
	name, code, err := talent.ValidateEmployer(in.Name, in.CreditCode)
	var fields []talent.FieldError
	if te, ok := err.(*talent.Error); ok {
		fields = te.Fields
	} else if err != nil {
		return RegistrationView{}, err
	}
	fields = append(fields, text("address", in.Address, 200)...)
	fields = append(fields, text("contactName", in.ContactName, 64)...)
	if !talent.ValidPhone(strings.TrimSpace(in.ContactPhone)) {
		fields = append(fields, talent.FieldError{Field: "contactPhone", Code: talent.CodePhoneFormat})
	}
	if len(fields) > 0 {
		return RegistrationView{}, talent.Invalid(fields...)
	}
	if e, err := s.Store.EmployerByCreditCode(ctx, code); err == nil && e.Status == talent.EmployerRegistered {
		return RegistrationView{}, talent.Errorf(talent.KindConflict, CodeEmployerRegistered, "the employer is registered already")
	} else if err != nil && talent.ErrorKind(err) != talent.KindNotFound {
		return RegistrationView{}, err
	}
	phone := strings.TrimSpace(in.ContactPhone)
	id := talent.NewID()
	sealed, err := s.Vault.Seal(talent.SealedRegistrationPhone, id, phone)
	if err != nil {
		return RegistrationView{}, err
	}
	r := Registration{ID: id, CreditCode: code, Name: name, Address: strings.TrimSpace(in.Address),
		ContactName: strings.TrimSpace(in.ContactName), ContactPhoneSealed: sealed, ApplicantID: actor.ID,
		Status: RegistrationPending, CreatedAt: s.now()}
	admins, err := s.Staff.UsersWithRole(ctx, talent.RoleAdmin)
	if err != nil {
		return RegistrationView{}, err
	}
	change := Change{Audit: []talent.Audit{s.audit("", actor, "registration.filed", r.ID, code+" "+name)},
		Tasks: notify(admins, "employer.registration:"+r.ID, "employer.registration_filed", map[string]string{"name": name},
			"anju://admin/employers/registrations/"+r.ID)}
	if err := s.Store.CreateRegistration(ctx, r, change); err != nil {
		return RegistrationView{}, err
	}
	return RegistrationView{Registration: r, ContactPhone: talent.MaskPhone(phone)}, nil
}

// text checks a required text field's length.
func text(field, v string, max int) []talent.FieldError {
	if n := utf8.RuneCountInString(strings.TrimSpace(v)); n == 0 || n > max {
		return []talent.FieldError{{Field: field, Code: talent.CodeTextLength}}
	}
	return nil
}

// Registrations lists registrations: all of them for a city admin, one's own otherwise.
func (s *Service) Registrations(ctx context.Context, actor talent.User, status RegistrationStatus, page talent.Page) ([]RegistrationView, string, error) {
	f := RegistrationFilter{Status: status}
	if !actor.Has(talent.RoleAdmin) {
		f.ApplicantID = actor.ID
	}
	list, next, err := s.Store.Registrations(ctx, f, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]RegistrationView, len(list))
	for i, r := range list {
		if out[i], err = s.viewRegistration(r); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

func (s *Service) viewRegistration(r Registration) (RegistrationView, error) {
	phone, err := s.Vault.Open(talent.SealedRegistrationPhone, r.ID, r.ContactPhoneSealed)
	return RegistrationView{Registration: r, ContactPhone: talent.MaskPhone(phone)}, err
}

// DecideRegistration approves or rejects a registration (city admin).
// Approved, the employer is created (or, named by a graduate before,
// registered) and the registrant becomes its admin; either way the
// registrant is told.
func (s *Service) DecideRegistration(ctx context.Context, actor talent.User, id string, approve bool, reason string) (RegistrationView, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return RegistrationView{}, err
	}
	reason = strings.TrimSpace(reason)
	if !approve {
		if f := text("reason", reason, 500); f != nil {
			return RegistrationView{}, talent.Invalid(f...)
		}
	}
	pending, err := s.Store.Registration(ctx, id)
	if err != nil {
		return RegistrationView{}, err
	}
	employerID := talent.NewID()
	switch e, err := s.Store.EmployerByCreditCode(ctx, pending.CreditCode); {
	case err == nil && e.Status == talent.EmployerRegistered && approve:
		return RegistrationView{}, talent.Errorf(talent.KindConflict, CodeEmployerRegistered, "the employer is registered already")
	case err == nil:
		employerID = e.ID
	case talent.ErrorKind(err) != talent.KindNotFound:
		return RegistrationView{}, err
	}
	r, err := s.Store.UpdateRegistration(ctx, id, func(r *Registration) (Change, error) {
		ev := RegistrationReject
		if approve {
			ev = RegistrationApprove
		}
		if err := RegistrationTransitions.Apply(&r.Status, ev, CodeRegistrationDecided); err != nil {
			return Change{}, err
		}
		now := s.now()
		r.DecidedBy, r.DecidedAt = actor.ID, &now
		if !approve {
			r.Reason = reason
			return Change{Audit: []talent.Audit{s.audit("", actor, "registration.rejected", r.ID, reason)},
				Tasks: notify([]string{r.ApplicantID}, "employer.registration_rejected:"+r.ID, "employer.registration_rejected",
					map[string]string{"name": r.Name, "reason": reason}, "anju://employers/registrations/"+r.ID)}, nil
		}
		r.EmployerID = employerID
		return Change{
			Employer: &talent.Employer{ID: employerID, Name: r.Name, CreditCode: r.CreditCode, Address: r.Address,
				Status: talent.EmployerRegistered, CreatedAt: now},
			Grants: []Grant{{UserID: r.ApplicantID, Role: talent.RoleEmployerAdmin, EmployerID: employerID, By: actor.ID}},
			Audit:  []talent.Audit{s.audit(employerID, actor, "registration.approved", r.ID, r.ApplicantID)},
			Tasks: notify([]string{r.ApplicantID}, "employer.registration_approved:"+r.ID, "employer.registration_approved",
				map[string]string{"name": r.Name}, "anju://employers/"+employerID),
		}, nil
	})
	if err != nil {
		return RegistrationView{}, err
	}
	return s.viewRegistration(r)
}
