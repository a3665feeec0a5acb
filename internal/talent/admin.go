package talent

import (
	"context"
	"slices"
)

// UserByID returns a user for an admin.
func (s *Service) UserByID(ctx context.Context, actor User, id string) (User, error) {
	if err := actor.require(RoleAdmin); err != nil {
		return User{}, err
	}
	return s.Store.User(ctx, id)
}

// GrantRole gives a user a staff role. The hr role needs an employer, the
// other roles must not name one.
func (s *Service) GrantRole(ctx context.Context, actor User, userID string, grant RoleGrant) (User, error) {
	if err := actor.require(RoleAdmin); err != nil {
		return User{}, err
	}
	switch {
	case !grant.Role.Valid() || grant.Role == RoleGraduate:
		return User{}, Invalid(FieldError{Field: "role", Code: "role_unknown"})
	case grant.Role == RoleHR && grant.EmployerID == "":
		return User{}, Invalid(FieldError{Field: "employerId", Code: "employer_required"})
	case grant.Role != RoleHR && grant.EmployerID != "":
		return User{}, Invalid(FieldError{Field: "employerId", Code: "employer_not_allowed"})
	}
	grant.GrantedAt = s.now()
	return s.Store.GrantRole(ctx, userID, grant, actor.ID)
}

// RevokeRole takes a staff role away. An admin cannot revoke their own admin
// role, so an installation is never left without one by accident.
func (s *Service) RevokeRole(ctx context.Context, actor User, userID string, role Role) (User, error) {
	if err := actor.require(RoleAdmin); err != nil {
		return User{}, err
	}
	if !role.Valid() || role == RoleGraduate {
		return User{}, Invalid(FieldError{Field: "role", Code: "role_unknown"})
	}
	if role == RoleAdmin && userID == actor.ID {
		return User{}, Errorf(KindConflict, "last_admin", "an admin cannot revoke their own admin role")
	}
	return s.Store.RevokeRole(ctx, userID, role)
}

// TalentTiers are the recognised talent tiers, A the highest.
var TalentTiers = []string{"A", "B", "C", "D", "E"}

// SetTalentTier records the tier the talent office certified for a
// graduate, or clears it with "" (reviewer or admin).
func (s *Service) SetTalentTier(ctx context.Context, actor User, userID, tier string) (Profile, error) {
	if err := actor.require(RoleReviewer, RoleAdmin); err != nil {
		return Profile{}, err
	}
	if tier != "" && !slices.Contains(TalentTiers, tier) {
		return Profile{}, Invalid(FieldError{Field: "tier", Code: "talent_tier"})
	}
	if err := s.Store.SetTalentTier(ctx, userID, tier); err != nil {
		return Profile{}, err
	}
	u, err := s.Store.User(ctx, userID)
	if err != nil {
		return Profile{}, err
	}
	return s.Profile(ctx, u)
}
