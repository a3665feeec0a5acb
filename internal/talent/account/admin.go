package account

import (
	"context"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
)

// UserByID returns a user for an admin.
func (s *Service) UserByID(ctx context.Context, actor talent.User, id string) (talent.User, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return talent.User{}, err
	}
	return s.UserStore.User(ctx, id)
}

// GrantRole gives a user a city staff role. The roles that act for an
// employer (hr, employer_admin) are not granted here: they come from the
// employer's invitation, accepted by the invitee (package employers).
func (s *Service) GrantRole(ctx context.Context, actor talent.User, userID string, grant talent.RoleGrant) (talent.User, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return talent.User{}, err
	}
	switch {
	case !grant.Role.Valid() || grant.Role == talent.RoleGraduate:
		return talent.User{}, talent.Field("role", CodeRoleUnknown)
	case grant.Role.EmployerScoped():
		return talent.User{}, talent.Field("role", CodeRoleByInvitation)
	case grant.EmployerID != "":
		return talent.User{}, talent.Field("employerId", CodeEmployerNotAllowed)
	}
	grant.GrantedAt = s.now()
	u, err := s.UserStore.GrantRole(ctx, userID, grant, actor.ID)
	if err == nil {
		s.forget(ctx, u)
	}
	return u, err
}

// RevokeRole takes a staff role away. An admin cannot revoke their own admin
// role, so an installation is never left without one by accident.
func (s *Service) RevokeRole(ctx context.Context, actor talent.User, userID string, role talent.Role) (talent.User, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return talent.User{}, err
	}
	if !role.Valid() || role == talent.RoleGraduate {
		return talent.User{}, talent.Field("role", CodeRoleUnknown)
	}
	if role == talent.RoleAdmin && userID == actor.ID {
		return talent.User{}, talent.Errorf(talent.KindConflict, CodeLastAdmin, "an admin cannot revoke their own admin role")
	}
	u, err := s.UserStore.RevokeRole(ctx, userID, role, actor.ID)
	if err == nil {
		// Effective at the user's next request, on every replica.
		s.forget(ctx, u)
	}
	return u, err
}

// TierCertification is a talent tier (or its withdrawal, Tier "") one
// officer of the talent office proposes for a graduate, with the evidence,
// and a second officer approves or rejects. Neither may be the graduate.
type TierCertification struct {
	ID         string
	UserID     string
	Tier       string
	Evidence   string
	Status     TierStatus
	ProposedBy string
	ProposedAt time.Time
	DecidedBy  string
	DecidedAt  *time.Time
	Reason     string // why it was rejected
}

// TierStatus is where a certification stands.
type TierStatus string

// Certification statuses.
const (
	TierProposed TierStatus = "proposed"
	TierApproved TierStatus = "approved"
	TierRejected TierStatus = "rejected"
)

// TierEvent is the second officer's decision.
type TierEvent string

// Certification events.
const (
	TierApprove TierEvent = "approve"
	TierReject  TierEvent = "reject"
)

// TierTransitions is the certification state machine; it is proposed first.
var TierTransitions = talent.Transitions[TierStatus, TierEvent]{
	TierApprove: {From: []TierStatus{TierProposed}, To: TierApproved},
	TierReject:  {From: []TierStatus{TierProposed}, To: TierRejected},
}

// ProposeTalentTier proposes the tier the talent office would certify for
// a graduate, or its withdrawal with "" (the office's reviewers), with the
// evidence a second officer checks. One proposal per graduate waits at a
// time.
func (s *Service) ProposeTalentTier(ctx context.Context, actor talent.User, userID, tier, evidence string) (TierCertification, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return TierCertification{}, err
	}
	if userID == actor.ID {
		return TierCertification{}, talent.OwnBenefit("nobody certifies their own talent tier")
	}
	var fields []talent.FieldError
	if tier != "" && !slices.Contains(talent.TalentTiers, tier) {
		fields = append(fields, talent.FieldError{Field: "tier", Code: CodeTalentTier})
	}
	evidence = strings.TrimSpace(evidence)
	if n := utf8.RuneCountInString(evidence); n < 5 || n > 500 {
		fields = append(fields, talent.FieldError{Field: "evidence", Code: talent.CodeTextLength})
	}
	if len(fields) > 0 {
		return TierCertification{}, talent.Invalid(fields...)
	}
	if _, err := s.ProfileStore.Profile(ctx, userID); err != nil {
		return TierCertification{}, err
	}
	now := s.now()
	c := TierCertification{ID: talent.NewID(), UserID: userID, Tier: tier, Evidence: evidence, Status: TierProposed,
		ProposedBy: actor.ID, ProposedAt: now}
	audit := talent.Audit{At: now, ActorID: actor.ID, Entity: "profile", EntityID: userID, Event: "tier_proposed",
		Detail: "tier " + tierName(tier) + ": " + evidence}
	return c, s.ProfileStore.ProposeTier(ctx, c, audit)
}

// DecideTalentTier approves or rejects a proposed tier (a second officer of
// the talent office, not the graduate). Approved, the tier is the
// graduate's at once and they are told.
func (s *Service) DecideTalentTier(ctx context.Context, actor talent.User, id string, approve bool, reason string) (TierCertification, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return TierCertification{}, err
	}
	reason = strings.TrimSpace(reason)
	if !approve && (reason == "" || utf8.RuneCountInString(reason) > 500) {
		return TierCertification{}, talent.Field("reason", talent.CodeTextLength)
	}
	c, err := s.ProfileStore.DecideTier(ctx, id, func(c *TierCertification) ([]talent.Audit, []talent.Task, error) {
		switch {
		case c.UserID == actor.ID:
			return nil, nil, talent.OwnBenefit("nobody certifies their own talent tier")
		case c.ProposedBy == actor.ID:
			return nil, nil, talent.Errorf(talent.KindForbidden, talent.CodeSecondApprover, "a tier is approved by a second officer")
		}
		ev, event, detail := TierReject, "tier_rejected", reason
		if approve {
			ev, event, detail = TierApprove, "tier_certified", "tier "+tierName(c.Tier)+" on "+c.ProposedBy+"'s proposal"
		}
		if err := TierTransitions.Apply(&c.Status, ev, CodeTierDecided); err != nil {
			return nil, nil, err
		}
		now := s.now()
		c.DecidedBy, c.DecidedAt, c.Reason = actor.ID, &now, reason
		audit := []talent.Audit{{At: now, ActorID: actor.ID, Entity: "profile", EntityID: c.UserID, Event: event, Detail: detail}}
		if !approve || c.Tier == "" {
			return audit, nil, nil
		}
		return audit, []talent.Task{talent.NotifyRequest{UserID: c.UserID, EventID: "talent.tier:" + c.ID,
			Template: "talent.tier_certified", Params: map[string]string{"tier": c.Tier}, Link: "anju://me"}}, nil
	})
	if err != nil {
		return TierCertification{}, err
	}
	if approve {
		if u, err := s.UserStore.User(ctx, c.UserID); err == nil {
			s.forget(ctx, u)
		}
	}
	return c, nil
}

// TierCertifications lists certifications in a status (the office's
// reviewers), newest first.
func (s *Service) TierCertifications(ctx context.Context, actor talent.User, status TierStatus, page talent.Page) ([]TierCertification, string, error) {
	if err := actor.Require(talent.ReviewRoles...); err != nil {
		return nil, "", err
	}
	if status == "" {
		status = TierProposed
	}
	return s.ProfileStore.TierCertifications(ctx, status, page)
}

func tierName(tier string) string {
	if tier == "" {
		return "(none)"
	}
	return tier
}

// AccessEntries gives an admin the log of who viewed whose personal data,
// of one user when subjectID is set.
func (s *Service) AccessEntries(ctx context.Context, actor talent.User, subjectID string, page talent.Page) ([]talent.Access, string, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return nil, "", err
	}
	return s.AccessLog.AccessEntries(ctx, subjectID, page)
}

// CorrectIdentity replaces a user's national ID number when it was wrong,
// after claims, applications or leases came to depend on it (admin, with a
// reason; never one's own). The person's claims and applications follow;
// the change is audited with both numbers masked and the user is told.
func (s *Service) CorrectIdentity(ctx context.Context, actor talent.User, userID, number, reason string) (talent.Profile, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return talent.Profile{}, err
	}
	if userID == actor.ID {
		return talent.Profile{}, talent.OwnBenefit("nobody corrects their own identity")
	}
	reason = strings.TrimSpace(reason)
	if n := utf8.RuneCountInString(reason); n == 0 || n > 500 {
		return talent.Profile{}, talent.Field("reason", talent.CodeTextLength)
	}
	id, perr := talent.ParseNationalID(number, s.now())
	if perr != nil {
		return talent.Profile{}, perr
	}
	prev, err := s.ProfileStore.Profile(ctx, userID)
	if err != nil {
		return talent.Profile{}, err
	}
	old := ""
	if prev.NationalIDSealed != "" {
		if old, err = s.Vault.Open(talent.SealedProfileNationalID, userID, prev.NationalIDSealed); err != nil {
			return talent.Profile{}, err
		}
	}
	sealed, err := s.Vault.Seal(talent.SealedProfileNationalID, userID, id.Number())
	if err != nil {
		return talent.Profile{}, err
	}
	now := s.now()
	audit := []talent.Audit{{At: now, ActorID: actor.ID, Entity: "profile", EntityID: userID, Event: "identity_corrected",
		Detail: talent.MaskNationalID(old) + " → " + talent.MaskNationalID(id.Number()) + ": " + reason}}
	tasks := []talent.Task{talent.NotifyRequest{UserID: userID, EventID: "identity.corrected:" + userID + ":" + now.Format(time.RFC3339Nano),
		Template: "identity.corrected", Params: map[string]string{"reason": reason}, Link: "anju://me"}, talent.PersonIdentified{UserID: userID}}
	if err := s.ProfileStore.CorrectIdentity(ctx, userID, sealed, s.Vault.Index(id.Number()), id.BirthDate(), audit, tasks); err != nil {
		return talent.Profile{}, err
	}
	u, err := s.UserStore.User(ctx, userID)
	if err != nil {
		return talent.Profile{}, err
	}
	s.forget(ctx, u)
	return s.Profile(ctx, u)
}
