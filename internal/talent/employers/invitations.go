package employers

import (
	"context"
	"crypto/rand"
	"crypto/sha256"
	"encoding/hex"
	"net/mail"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// InvitationStatus is where an invitation stands. An invitation pending
// past its expiry reads as expired.
type InvitationStatus string

// Invitation statuses.
const (
	InvitationPending  InvitationStatus = "pending"
	InvitationAccepted InvitationStatus = "accepted"
	InvitationRevoked  InvitationStatus = "revoked"
	InvitationExpired  InvitationStatus = "expired" // shown, never stored
)

// InvitationEvent is something that happens to an invitation.
type InvitationEvent string

// Invitation events.
const (
	InvitationAccept InvitationEvent = "accept"
	InvitationRevoke InvitationEvent = "revoke"
)

// InvitationTransitions is the invitation state machine; an invitation is
// created pending.
var InvitationTransitions = talent.Transitions[InvitationStatus, InvitationEvent]{
	InvitationAccept: {From: []InvitationStatus{InvitationPending}, To: InvitationAccepted},
	InvitationRevoke: {From: []InvitationStatus{InvitationPending}, To: InvitationRevoked},
}

// Invitation asks someone, by phone number or email address, to act for an
// employer in a role. Its code is the proof: whoever signs in with it takes
// the role. SMS is not Anju's: the inviter passes the code on.
type Invitation struct {
	ID            string
	EmployerID    string
	Role          talent.Role // hr or employer_admin
	CodeHash      string
	CodeSealed    string
	ContactSealed string
	InvitedBy     string // "" when Anju invited a named employer's contact
	Status        InvitationStatus
	ExpiresAt     time.Time
	AcceptedBy    string
	DecidedAt     *time.Time
	CreatedAt     time.Time
}

// StatusAt is the invitation's status as read at now.
func (i Invitation) StatusAt(now time.Time) InvitationStatus {
	if i.Status == InvitationPending && !now.Before(i.ExpiresAt) {
		return InvitationExpired
	}
	return i.Status
}

// InvitationView is an invitation as its employer's admin reads it: the
// code to pass on and the contact masked.
type InvitationView struct {
	Invitation
	Code    string
	Contact string
	Status  InvitationStatus
}

// codeAlphabet has no letters or digits that read alike (0/O, 1/I/L).
const codeAlphabet = "23456789ABCDEFGHJKMNPQRSTUVWXYZ"

// newCode is a 10-character invitation code: about 49 bits, guessed by
// nobody within the rate limits, short enough to read out on the phone.
func newCode() string {
	b := make([]byte, 10)
	_, _ = rand.Read(b)
	for i := range b {
		b[i] = codeAlphabet[int(b[i])%len(codeAlphabet)]
	}
	return string(b)
}

// hashCode is how a code is looked up; the code itself is stored sealed.
func hashCode(code string) string {
	sum := sha256.Sum256([]byte(strings.ToUpper(strings.TrimSpace(code))))
	return hex.EncodeToString(sum[:])
}

// contact checks a phone number or an email address.
func contact(phone, email string) (string, error) {
	phone, email = strings.TrimSpace(phone), strings.TrimSpace(email)
	switch {
	case phone != "" && email != "", phone == "" && email == "":
		return "", talent.Field("contact", CodeContactRequired)
	case phone != "":
		if !talent.ValidPhone(phone) {
			return "", talent.Field("phone", talent.CodePhoneFormat)
		}
		return phone, nil
	}
	if a, err := mail.ParseAddress(email); err != nil || a.Address != email || len(email) > 254 {
		return "", talent.Field("email", CodeEmailFormat)
	}
	return email, nil
}

// maskContact masks a phone number, or an email address's local part.
func maskContact(c string) string {
	if local, domain, ok := strings.Cut(c, "@"); ok {
		if len(local) > 1 {
			local = local[:1] + strings.Repeat("*", len(local)-1)
		}
		return local + "@" + domain
	}
	return talent.MaskPhone(c)
}

// newInvitation makes an invitation and its code.
func (s *Service) newInvitation(employerID string, role talent.Role, to, by string) (Invitation, string, error) {
	id, code := talent.NewID(), newCode()
	sealedCode, err := s.Vault.Seal(talent.SealedInvitationCode, id, code)
	if err != nil {
		return Invitation{}, "", err
	}
	sealedContact, err := s.Vault.Seal(talent.SealedInvitationContact, id, to)
	if err != nil {
		return Invitation{}, "", err
	}
	now := s.now()
	return Invitation{ID: id, EmployerID: employerID, Role: role, CodeHash: hashCode(code), CodeSealed: sealedCode,
		ContactSealed: sealedContact, InvitedBy: by, Status: InvitationPending, ExpiresAt: now.Add(InvitationTTL), CreatedAt: now}, code, nil
}

// Invite asks someone to act for an employer as HR or as its admin (the
// employer's admin, or a city admin). The code comes back to pass on.
func (s *Service) Invite(ctx context.Context, actor talent.User, employerID string, role talent.Role, phone, email string) (InvitationView, error) {
	e, err := s.employerOf(ctx, actor, employerID)
	if err != nil {
		return InvitationView{}, err
	}
	if !role.EmployerScoped() {
		return InvitationView{}, talent.Field("role", talent.CodeValueRejected)
	}
	to, err := contact(phone, email)
	if err != nil {
		return InvitationView{}, err
	}
	inv, code, err := s.newInvitation(e.ID, role, to, actor.ID)
	if err != nil {
		return InvitationView{}, err
	}
	change := Change{Invitation: &inv, Audit: []talent.Audit{s.audit(e.ID, actor, "invitation.created", inv.ID, string(role)+" "+maskContact(to))}}
	if err := s.Store.Apply(ctx, change); err != nil {
		return InvitationView{}, err
	}
	return InvitationView{Invitation: inv, Code: code, Contact: maskContact(to), Status: inv.StatusAt(s.now())}, nil
}

// Invitations lists an employer's invitations, with their codes, for
// someone who runs it.
func (s *Service) Invitations(ctx context.Context, actor talent.User, employerID string, page talent.Page) ([]InvitationView, string, error) {
	if _, err := s.employerOf(ctx, actor, employerID); err != nil {
		return nil, "", err
	}
	list, next, err := s.Store.Invitations(ctx, employerID, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]InvitationView, len(list))
	for i, inv := range list {
		if out[i], err = s.viewInvitation(inv); err != nil {
			return nil, "", err
		}
	}
	return out, next, nil
}

func (s *Service) viewInvitation(inv Invitation) (InvitationView, error) {
	code, err := s.Vault.Open(talent.SealedInvitationCode, inv.ID, inv.CodeSealed)
	if err != nil {
		return InvitationView{}, err
	}
	to, err := s.Vault.Open(talent.SealedInvitationContact, inv.ID, inv.ContactSealed)
	if err != nil {
		return InvitationView{}, err
	}
	v := InvitationView{Invitation: inv, Contact: maskContact(to), Status: inv.StatusAt(s.now())}
	if v.Status == InvitationPending {
		v.Code = code // a spent code is of no use to anyone
	}
	return v, nil
}

// Revoke withdraws a pending invitation (someone who runs the employer).
func (s *Service) Revoke(ctx context.Context, actor talent.User, employerID, id string) (InvitationView, error) {
	if _, err := s.employerOf(ctx, actor, employerID); err != nil {
		return InvitationView{}, err
	}
	inv, err := s.Store.UpdateInvitation(ctx, id, false, func(inv *Invitation) (Change, error) {
		if inv.EmployerID != employerID {
			return Change{}, talent.NotFound(CodeInvitationNotFound)
		}
		if inv.StatusAt(s.now()) == InvitationExpired {
			return Change{}, talent.Errorf(talent.KindConflict, CodeInvitationClosed, "the invitation expired")
		}
		if err := InvitationTransitions.Apply(&inv.Status, InvitationRevoke, CodeInvitationClosed); err != nil {
			return Change{}, err
		}
		now := s.now()
		inv.DecidedAt = &now
		return Change{Audit: []talent.Audit{s.audit(employerID, actor, "invitation.revoked", inv.ID, "")}}, nil
	})
	if err != nil {
		return InvitationView{}, err
	}
	return s.viewInvitation(inv)
}

// Accept takes up an invitation by its code (anyone signed in): the caller
// gets the role for the employer, and an employer a graduate named is
// registered by its contact taking up the account. Whoever invited is told.
// A code that is unknown, spent or expired is not found.
func (s *Service) Accept(ctx context.Context, actor talent.User, code string) (InvitationView, error) {
	var employer talent.Employer
	inv, err := s.Store.UpdateInvitation(ctx, hashCode(code), true, func(inv *Invitation) (Change, error) {
		if inv.StatusAt(s.now()) != InvitationPending {
			return Change{}, talent.NotFound(CodeInvitationNotFound)
		}
		for _, g := range actor.Roles {
			if g.Role == inv.Role && g.EmployerID != inv.EmployerID {
				return Change{}, talent.Errorf(talent.KindConflict, CodeStaffElsewhere, "the caller is %s of another employer", inv.Role)
			}
		}
		var err error
		if employer, err = s.Store.Employer(ctx, inv.EmployerID); err != nil {
			return Change{}, err
		}
		_ = InvitationTransitions.Apply(&inv.Status, InvitationAccept, CodeInvitationClosed)
		now := s.now()
		inv.AcceptedBy, inv.DecidedAt = actor.ID, &now
		change := Change{
			Grants: []Grant{{UserID: actor.ID, Role: inv.Role, EmployerID: inv.EmployerID, By: inv.InvitedBy}},
			Audit:  []talent.Audit{s.audit(inv.EmployerID, actor, "invitation.accepted", inv.ID, string(inv.Role))},
		}
		if employer.Status == talent.EmployerUnregistered && inv.Role == talent.RoleEmployerAdmin {
			registered := employer
			registered.Status = talent.EmployerRegistered
			change.Employer = &registered
			change.Audit = append(change.Audit, s.audit(inv.EmployerID, actor, "employer.registered", inv.ID, "by its named contact"))
		}
		if inv.InvitedBy != "" {
			change.Tasks = notify([]string{inv.InvitedBy}, "invitation.accepted:"+inv.ID, "invitation.accepted",
				map[string]string{"employer": employer.Name, "role": string(inv.Role)}, "anju://employers/"+inv.EmployerID)
		}
		return change, nil
	})
	if err != nil {
		return InvitationView{}, err
	}
	return s.viewInvitation(inv)
}

// StaffMember is one of an employer's HR users or admins.
type StaffMember struct {
	UserID string
	Role   talent.Role
}

// StaffOf lists an employer's HR users and admins (someone who runs it).
func (s *Service) StaffOf(ctx context.Context, actor talent.User, employerID string) ([]StaffMember, error) {
	if _, err := s.employerOf(ctx, actor, employerID); err != nil {
		return nil, err
	}
	var out []StaffMember
	for _, role := range []talent.Role{talent.RoleEmployerAdmin, talent.RoleHR} {
		ids, err := s.Staff.EmployerStaff(ctx, employerID, role)
		if err != nil {
			return nil, err
		}
		for _, id := range ids {
			out = append(out, StaffMember{UserID: id, Role: role})
		}
	}
	return out, nil
}

// RemoveHR takes the hr role for the employer from a user (someone who
// runs it); the user is told. Removing someone who is not its HR is not
// found.
func (s *Service) RemoveHR(ctx context.Context, actor talent.User, employerID, userID string) error {
	e, err := s.employerOf(ctx, actor, employerID)
	if err != nil {
		return err
	}
	u, err := s.Staff.User(ctx, userID)
	if err != nil {
		return err
	}
	if !u.HROf(employerID) {
		return talent.NotFound(talent.CodeUserNotFound)
	}
	return s.Store.Apply(ctx, Change{
		Revokes: []Grant{{UserID: userID, Role: talent.RoleHR, EmployerID: employerID, By: actor.ID}},
		Audit:   []talent.Audit{s.audit(employerID, actor, "hr.removed", userID, "")},
		Tasks: notify([]string{userID}, "hr.removed:"+employerID+":"+s.now().Format(time.RFC3339Nano), "employer.hr_removed",
			map[string]string{"employer": e.Name}, "anju://me"),
	})
}
