// Package employers is the employer's office at city scale: employers
// register themselves and a city admin approves them; an employer's admin
// invites its HR users by code, revokes invitations and removes HR users; a
// graduate names an employer that is not registered yet, so that the claim
// waits for it instead of being refused; and HR files its new hires in
// bulk, each of whom finds a confirmed employment and a pre-filled draft
// claim on signing in (免申即享: the graduate declares as little as possible).
package employers

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/policy"
)

// Store keeps registrations, invitations, nominations, filings and the
// employer audit; each Change is written in one transaction with the rows it
// goes with. Errors: KindNotFound (the module's not-found codes),
// KindConflict (CodeRegistrationPending, account.CodeCreditCodeTaken,
// CodeAlreadyFiled), KindMalformed (a bad cursor).
type Store interface {
	Employer(ctx context.Context, id string) (talent.Employer, error)
	EmployerByCreditCode(ctx context.Context, code string) (talent.Employer, error)

	CreateRegistration(ctx context.Context, r Registration, change Change) error
	Registration(ctx context.Context, id string) (Registration, error)
	// Registrations lists registrations newest first; zero filter fields do not filter.
	Registrations(ctx context.Context, f RegistrationFilter, page talent.Page) ([]Registration, string, error)
	// UpdateRegistration runs fn on the registration under a row lock and
	// saves it with the change fn returns.
	UpdateRegistration(ctx context.Context, id string, fn func(*Registration) (Change, error)) (Registration, error)

	Invitation(ctx context.Context, id string) (Invitation, error)
	// Invitations lists an employer's invitations, newest first.
	Invitations(ctx context.Context, employerID string, page talent.Page) ([]Invitation, string, error)
	// UpdateInvitation runs fn on the invitation with this id, or (byCode)
	// with this code hash, under a row lock, and saves it with the change.
	UpdateInvitation(ctx context.Context, key string, byCode bool, fn func(*Invitation) (Change, error)) (Invitation, error)

	// Nominations lists the employers graduates named, newest first.
	Nominations(ctx context.Context, page talent.Page) ([]NominationItem, string, error)

	// CreateFiling stores a filing and its hires with the change.
	CreateFiling(ctx context.Context, f Filing, hires []Hire, change Change) error
	Filing(ctx context.Context, id string) (Filing, []Hire, error)
	// Filings lists an employer's filings, newest first.
	Filings(ctx context.Context, employerID string, page talent.Page) ([]Filing, string, error)
	// UnmatchedHires lists the hires filed for a person (by the blind index
	// of the national ID) that no account took up yet, newest first.
	UnmatchedHires(ctx context.Context, personIndex string) ([]Hire, error)
	// MatchHire runs fn on the hire under a row lock and saves it with the
	// change (the employment it becomes).
	MatchHire(ctx context.Context, id string, fn func(*Hire) (Change, error)) (Hire, error)

	// PersonIndex is the blind index of the national ID on a user's
	// profile, or "" when none was given.
	PersonIndex(ctx context.Context, userID string) (string, error)
	// Persons answers, for blind indexes of national ID numbers, which
	// belong to an account (index → user id), which this employer filed
	// before, and which have a live claim of pkg.
	Persons(ctx context.Context, employerID string, pkg policy.ID, indexes []string) (Persons, error)

	// Apply writes a change that goes with no locked row.
	Apply(ctx context.Context, change Change) error
	// Audit lists an employer's audit (talent.Audit of entity "employer"), oldest first.
	Audit(ctx context.Context, employerID string) ([]talent.Audit, error)
}

// Persons is what Store.Persons found.
type Persons struct {
	Users   map[string]string // index → user id
	Filed   map[string]bool
	Claimed map[string]bool
}

// Change is what a use case writes besides its own row, in one transaction.
type Change struct {
	// Employer is created; an unregistered one with the same credit code is
	// registered instead (its name and address updated).
	Employer   *talent.Employer
	Grants     []Grant
	Revokes    []Grant
	Invitation *Invitation // a new invitation
	Nomination *Nomination // a new nomination; once per employer and graduate
	// Employment is a filed graduate's confirmed employment, superseding
	// their live one, with the profile's employer set to match.
	Employment *talent.Employment
	Profile    *talent.EmployerDeclaration
	Audit      []talent.Audit
	Tasks      []talent.Task
}

// Grant is an employer-scoped role given to, or taken from, a user.
type Grant struct {
	UserID     string
	Role       talent.Role
	EmployerID string
	By         string // "" for Anju itself
}

// Staff finds the users to tell.
type Staff interface {
	talent.Directory
	User(ctx context.Context, id string) (talent.User, error)
}

// Employments reads a graduate's current employment (account's store).
type Employments interface {
	CurrentEmployment(ctx context.Context, userID string) (talent.Employment, error)
}

// Declarer declares a graduate's employer on their profile, as the
// graduate would (account.Service).
type Declarer interface {
	DeclareEmployer(ctx context.Context, actor talent.User, decl talent.EmployerDeclaration) (talent.Employment, error)
}

// Drafts prepares a claim for a graduate to complete (allowance.Service).
type Drafts interface {
	// Prefill creates a draft claim of pkg for the user unless the person
	// has a live claim of it; it returns the claim's id, or "".
	Prefill(ctx context.Context, user talent.User, pkg policy.ID) (string, error)
}

// Service is the employer's office.
type Service struct {
	Store       Store
	Staff       Staff
	Employments Employments
	Declarer    Declarer
	Drafts      Drafts
	Vault       talent.Vault
	Clock       talent.Clock
}

// InvitationTTL is how long an invitation code can be accepted.
const InvitationTTL = 7 * 24 * time.Hour

// FiledPackage is the allowance a filed new hire finds prefilled: the
// one-off relocation allowance, for which a new hire is made.
const FiledPackage = policy.Relocation

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }

// audit is a row of an employer's audit by actor now: what was done
// (event), to what (subject: a registration, invitation, user or filing)
// and how. Before an employer exists, its registration is the entity.
func (s *Service) audit(employerID string, actor talent.User, event, subject, detail string) talent.Audit {
	a := talent.Audit{At: s.now(), ActorID: actor.ID, Entity: "employer", EntityID: employerID, Event: event,
		Detail: strings.TrimSpace(subject + " " + detail)}
	if employerID == "" {
		a.Entity, a.EntityID, a.Detail = "employer_registration", subject, detail
	}
	return a
}

// notify builds a notification task for each user.
func notify(users []string, eventID, template string, params map[string]string, link string) []talent.Task {
	out := make([]talent.Task, 0, len(users))
	for _, uid := range users {
		out = append(out, talent.NotifyRequest{UserID: uid, EventID: eventID, Template: template, Params: params, Link: link})
	}
	return out
}

// employerOf returns the employer for someone who runs it (its admin or a
// city admin); another employer is not found.
func (s *Service) employerOf(ctx context.Context, actor talent.User, id string) (talent.Employer, error) {
	if !actor.RunsEmployer(id) {
		return talent.Employer{}, talent.NotFound(talent.CodeEmployerNotFound)
	}
	return s.Store.Employer(ctx, id)
}

// AuditOf lists an employer's audit for someone who runs it.
func (s *Service) AuditOf(ctx context.Context, actor talent.User, employerID string) ([]talent.Audit, error) {
	if _, err := s.employerOf(ctx, actor, employerID); err != nil {
		return nil, err
	}
	return s.Store.Audit(ctx, employerID)
}
