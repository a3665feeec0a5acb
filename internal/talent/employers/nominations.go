package employers

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// Nomination is a graduate naming their employer when it is not
// registered: the employment waits for it instead of being refused.
type Nomination struct {
	ID            string
	EmployerID    string
	UserID        string
	ContactName   string
	ContactSealed string
	InvitationID  string // the invitation Anju made for the contact, if this nomination made one
	CreatedAt     time.Time
}

// NominationInput is what the graduate knows of the employer.
type NominationInput struct {
	CreditCode   string
	Name         string
	Since        time.Time
	ContactName  string
	ContactPhone string
	ContactEmail string
}

// NominationItem is a nomination as city admins list it, with its employer
// and the code to pass to the employer's contact while it is open.
type NominationItem struct {
	Nomination
	Employer   talent.Employer
	Invitation *Invitation
}

// NominationView is a nomination as its reader sees it.
type NominationView struct {
	Nomination
	Employer talent.Employer
	Contact  string // masked
	Code     string // city admins only, while the invitation is open
}

// Nominate records that the caller works for an employer Anju does not
// know (any signed-in graduate) and declares it on their profile, so that
// their claims wait for the employer. The employer is created unregistered;
// the first nomination of it invites its contact to take up the account as
// its admin and alerts the city's admins, who pass the code on.
func (s *Service) Nominate(ctx context.Context, actor talent.User, in NominationInput) (NominationView, error) {
	name, code, err := talent.ValidateEmployer(in.Name, in.CreditCode)
	var fields []talent.FieldError
	if te, ok := err.(*talent.Error); ok {
		fields = te.Fields
	} else if err != nil {
		return NominationView{}, err
	}
	fields = append(fields, text("contactName", in.ContactName, 64)...)
	to, err := contact(in.ContactPhone, in.ContactEmail)
	if te, ok := err.(*talent.Error); ok {
		fields = append(fields, te.Fields...)
	}
	if len(fields) > 0 {
		return NominationView{}, talent.Invalid(fields...)
	}
	e, err := s.Store.EmployerByCreditCode(ctx, code)
	fresh := talent.ErrorKind(err) == talent.KindNotFound
	switch {
	case err == nil && e.Status == talent.EmployerRegistered:
		return NominationView{}, talent.Errorf(talent.KindConflict, CodeEmployerRegistered, "the employer is registered: declare it on the profile")
	case fresh:
		e = talent.Employer{ID: talent.NewID(), Name: name, CreditCode: code, Status: talent.EmployerUnregistered, CreatedAt: s.now()}
	case err != nil:
		return NominationView{}, err
	}
	id := talent.NewID()
	sealed, err := s.Vault.Seal(talent.SealedNominationContact, id, to)
	if err != nil {
		return NominationView{}, err
	}
	n := Nomination{ID: id, EmployerID: e.ID, UserID: actor.ID, ContactName: strings.TrimSpace(in.ContactName),
		ContactSealed: sealed, CreatedAt: s.now()}
	change := Change{Nomination: &n, Audit: []talent.Audit{s.audit(e.ID, actor, "employer.named", n.ID, "")}}
	if fresh {
		// The first to name it: its contact is invited, and the city's
		// admins, alerted, read the code in their list to pass it on.
		inv, _, err := s.newInvitation(e.ID, talent.RoleEmployerAdmin, to, "")
		if err != nil {
			return NominationView{}, err
		}
		admins, err := s.Staff.UsersWithRole(ctx, talent.RoleAdmin)
		if err != nil {
			return NominationView{}, err
		}
		change.Employer, change.Invitation, n.InvitationID = &e, &inv, inv.ID
		change.Tasks = notify(admins, "employer.named:"+e.ID, "employer.named", map[string]string{"name": e.Name},
			"anju://admin/employers/nominations")
	}
	if err := s.Store.Apply(ctx, change); err != nil {
		return NominationView{}, err
	}
	if _, err := s.Declarer.DeclareEmployer(ctx, actor, talent.EmployerDeclaration{Name: e.Name, CreditCode: e.CreditCode, Since: in.Since}); err != nil {
		return NominationView{}, err
	}
	return NominationView{Nomination: n, Employer: e, Contact: maskContact(to)}, nil
}

// Nominations lists the employers graduates named (city admin), with the
// code for each open invitation of a contact.
func (s *Service) Nominations(ctx context.Context, actor talent.User, page talent.Page) ([]NominationView, string, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return nil, "", err
	}
	list, next, err := s.Store.Nominations(ctx, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]NominationView, len(list))
	for i, it := range list {
		to, err := s.Vault.Open(talent.SealedNominationContact, it.ID, it.ContactSealed)
		if err != nil {
			return nil, "", err
		}
		out[i] = NominationView{Nomination: it.Nomination, Employer: it.Employer, Contact: maskContact(to)}
		if it.Invitation != nil {
			v, err := s.viewInvitation(*it.Invitation)
			if err != nil {
				return nil, "", err
			}
			out[i].Code = v.Code
		}
	}
	return out, next, nil
}
