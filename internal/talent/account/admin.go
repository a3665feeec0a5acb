package account

import (
	"context"
	"slices"

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
	u, err := s.UserStore.RevokeRole(ctx, userID, role)
	if err == nil {
		// Effective at the user's next request, on every replica.
		s.forget(ctx, u)
	}
	return u, err
}

// SetTalentTier records the tier the talent office certified for a
// graduate, or clears it with "" (reviewer or admin).
func (s *Service) SetTalentTier(ctx context.Context, actor talent.User, userID, tier string) (talent.Profile, error) {
	if err := actor.Require(talent.RoleReviewer, talent.RoleAdmin); err != nil {
		return talent.Profile{}, err
	}
	if tier != "" && !slices.Contains(talent.TalentTiers, tier) {
		return talent.Profile{}, talent.Field("tier", CodeTalentTier)
	}
	if err := s.ProfileStore.SetTalentTier(ctx, userID, tier); err != nil {
		return talent.Profile{}, err
	}
	u, err := s.UserStore.User(ctx, userID)
	if err != nil {
		return talent.Profile{}, err
	}
	s.forget(ctx, u)
	return s.Profile(ctx, u)
}

// AccessEntries gives an admin the log of who viewed whose personal data,
// of one user when subjectID is set.
func (s *Service) AccessEntries(ctx context.Context, actor talent.User, subjectID string, page talent.Page) ([]talent.Access, string, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return nil, "", err
	}
	return s.AccessLog.AccessEntries(ctx, subjectID, page)
}
