package account

import (
	"context"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// CreateEmployer registers an employer (admin).
func (s *Service) CreateEmployer(ctx context.Context, actor talent.User, name, creditCode string) (talent.Employer, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return talent.Employer{}, err
	}
	name, code, err := talent.ValidateEmployer(name, creditCode)
	if err != nil {
		return talent.Employer{}, err
	}
	e := talent.Employer{ID: talent.NewID(), Name: name, CreditCode: code, Status: talent.EmployerRegistered, CreatedAt: s.now()}
	return e, s.EmployerStore.CreateEmployer(ctx, e)
}

// Employers searches employers by name or credit code, for the app's picker.
func (s *Service) Employers(ctx context.Context, query string, page talent.Page) ([]talent.Employer, string, error) {
	return s.EmployerStore.Employers(ctx, strings.TrimSpace(query), page)
}

// DeclareEmployer sets the employer on the caller's profile, declaring the
// employment for the employer to answer, as saving the profile with it
// would; the rest of the profile stays. It returns the current employment.
func (s *Service) DeclareEmployer(ctx context.Context, actor talent.User, decl talent.EmployerDeclaration) (talent.Employment, error) {
	rec, err := s.ProfileStore.Profile(ctx, actor.ID)
	if talent.ErrorKind(err) == talent.KindNotFound {
		rec = talent.ProfileRecord{UserID: actor.ID, Locale: actor.Locale}
	} else if err != nil {
		return talent.Employment{}, err
	}
	rec.Employer, rec.UpdatedAt = &decl, s.now()
	declare, tasks, err := s.declaration(ctx, actor, rec.Employer)
	if err != nil {
		return talent.Employment{}, err
	}
	if err := s.ProfileStore.SaveProfile(ctx, rec, declare, nil, tasks); err != nil {
		return talent.Employment{}, err
	}
	return s.EmploymentStore.CurrentEmployment(ctx, actor.ID)
}

// CurrentEmployment returns the caller's latest employment declaration.
func (s *Service) CurrentEmployment(ctx context.Context, actor talent.User) (talent.Employment, error) {
	return s.EmploymentStore.CurrentEmployment(ctx, actor.ID)
}

// EmploymentSort orders an employer's declarations: a key, reversed by a
// leading "-" (the review queue's words, with a direction).
type EmploymentSort string

// Orders of the HR list; the default is the newest declaration first.
const (
	BySubmission       EmploymentSort = "submission"  // earliest declared first
	BySubmissionNewest EmploymentSort = "-submission" // latest declared first
	ByName             EmploymentSort = "name"        // graduate's name
	ByNameReversed     EmploymentSort = "-name"
	BySince            EmploymentSort = "since" // declared start date, none last
	BySinceReversed    EmploymentSort = "-since"
)

// Valid reports whether o is one of the orders.
func (o EmploymentSort) Valid() bool {
	switch o {
	case BySubmission, BySubmissionNewest, ByName, ByNameReversed, BySince, BySinceReversed:
		return true
	}
	return false
}

// EmploymentFilter narrows and orders an employer's declarations. Name and
// national ID come from one search term (talent.SearchPerson).
type EmploymentFilter struct {
	EmployerID string
	Status     talent.EmploymentStatus
	talent.PersonSearch
	Sort EmploymentSort
}

// EmploymentRequests lists the caller's employer's requests of a status
// (HR), searched by q (the start of a name or an exact national ID number,
// matched by its blind index) and in the order asked for.
func (s *Service) EmploymentRequests(ctx context.Context, actor talent.User, status talent.EmploymentStatus, q string, order EmploymentSort, page talent.Page) ([]talent.EmploymentRequest, string, error) {
	employer, err := actor.HREmployer()
	if err != nil {
		return nil, "", err
	}
	if order == "" {
		order = BySubmissionNewest
	}
	if !order.Valid() {
		return nil, "", talent.Field("sort", talent.CodeOutOfRange)
	}
	who, ok := talent.SearchPerson(q, s.now(), s.Vault)
	if !ok {
		return nil, "", nil
	}
	recs, next, err := s.EmploymentStore.EmploymentRequests(ctx, EmploymentFilter{EmployerID: employer, Status: status, PersonSearch: who, Sort: order}, page)
	if err != nil {
		return nil, "", err
	}
	out := make([]talent.EmploymentRequest, len(recs))
	for i, r := range recs {
		out[i] = talent.EmploymentRequest{Employment: r.Employment, GraduateName: r.Profile.Name}
		if r.Profile.NationalIDSealed != "" {
			number, err := s.Vault.Open(talent.SealedProfileNationalID, r.Employment.UserID, r.Profile.NationalIDSealed)
			if err != nil {
				return nil, "", err
			}
			out[i].NationalIDMasked = talent.MaskNationalID(number)
		}
	}
	return out, next, nil
}

// DecideEmployment confirms (c != nil) or rejects one employment as HR,
// and tells the graduate.
func (s *Service) DecideEmployment(ctx context.Context, actor talent.User, id string, c *talent.Confirmation, reason string) (talent.Employment, error) {
	if _, err := actor.HREmployer(); err != nil {
		return talent.Employment{}, err
	}
	return s.EmploymentStore.UpdateEmployment(ctx, id, func(e *talent.Employment) ([]talent.Task, error) {
		now := s.now()
		note := talent.NotifyRequest{UserID: e.UserID, Link: "anju://me/employment"}
		if c != nil {
			if err := e.Confirm(actor, *c, now); err != nil {
				return nil, err
			}
			note.Template, note.EventID = "employment.confirmed", "employment.confirmed:"+e.ID
		} else {
			if err := e.Reject(actor, reason, now); err != nil {
				return nil, err
			}
			note.Template, note.EventID = "employment.rejected", "employment.rejected:"+e.ID
			note.Params = map[string]string{"reason": e.RejectReason}
		}
		return []talent.Task{note, talent.EmploymentDecided{UserID: e.UserID}}, nil
	})
}

// DecideEmployments answers many requests at once; each item stands alone,
// so one bad item does not hold back the others.
func (s *Service) DecideEmployments(ctx context.Context, actor talent.User, items []talent.EmploymentDecision) ([]talent.EmploymentDecisionResult, error) {
	if _, err := actor.HREmployer(); err != nil {
		return nil, err
	}
	out := make([]talent.EmploymentDecisionResult, len(items))
	for i, it := range items {
		e, err := s.DecideEmployment(ctx, actor, it.EmploymentID, it.Confirm, it.Reason)
		out[i] = talent.EmploymentDecisionResult{EmploymentID: it.EmploymentID, Err: err}
		if err == nil {
			out[i].Employment = &e
		}
	}
	return out, nil
}

// EndEmployment records, as HR, that a confirmed employee left on a date.
// Payments stop and, after a grace period, a talent apartment must be left.
func (s *Service) EndEmployment(ctx context.Context, actor talent.User, id string, endedOn time.Time) (talent.Employment, error) {
	if _, err := actor.HREmployer(); err != nil {
		return talent.Employment{}, err
	}
	return s.EmploymentStore.UpdateEmployment(ctx, id, func(e *talent.Employment) ([]talent.Task, error) {
		if err := e.End(actor, endedOn, s.now()); err != nil {
			return nil, err
		}
		return []talent.Task{talent.NotifyRequest{
			UserID: e.UserID, EventID: "employment.ended:" + e.ID, Template: "employment.ended",
			Params: map[string]string{"date": endedOn.Format("2006-01-02")}, Link: "anju://me/employment",
		}}, nil
	})
}

// NotifyEmploymentDeclared tells whoever answers for the employer (its HR
// users, else its admins, else the city's) about a new declaration. Each notification is once per HR user, so a retry only sends
// what is missing.
func (s *Service) NotifyEmploymentDeclared(ctx context.Context, id string) error {
	e, err := s.EmploymentStore.Employment(ctx, id)
	if err != nil {
		return err
	}
	if e.Status != talent.EmploymentPending {
		return nil
	}
	rec, err := s.ProfileStore.Profile(ctx, e.UserID)
	if err != nil {
		return err
	}
	hr, err := talent.EmployerContacts(ctx, s.UserStore, e.EmployerID)
	if err != nil {
		return err
	}
	var retry error
	for _, uid := range hr {
		err := s.Notify(ctx, talent.NotifyRequest{
			UserID: uid, EventID: "employment.declared:" + e.ID, Template: "employment.declared",
			Params: map[string]string{"name": rec.Name}, Link: "anju://hr/employments/" + e.ID,
		})
		if err != nil {
			retry = err
		}
	}
	return retry
}
