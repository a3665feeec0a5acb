package talent

import "context"

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
