package talent

import (
	"slices"
	"time"
)

// Role is what a signed-in user may do. Every user is a graduate; staff roles
// are granted by an admin and stored in PostgreSQL, never in token claims.
type Role string

// Roles.
const (
	// RoleGraduate applies for allowances and apartments.
	RoleGraduate Role = "graduate"
	// RoleHR confirms employment and files new hires for exactly one
	// employer; it is given by invitation from the employer's admin.
	RoleHR Role = "hr"
	// RoleEmployerAdmin runs one employer's account: it invites and removes
	// the employer's HR users. The registrant of an approved employer, or
	// whoever accepts an invitation to the role, holds it.
	RoleEmployerAdmin Role = "employer_admin"
	// RoleReviewer decides claims at the talent office.
	RoleReviewer Role = "reviewer"
	// RoleLeadReviewer reviews too, and assigns claims to reviewers.
	RoleLeadReviewer Role = "lead_reviewer"
	// RoleHousing runs apartment rounds and leases.
	RoleHousing Role = "housing"
	// RoleFinance pays what was approved.
	RoleFinance Role = "finance"
	// RoleAdmin grants roles and publishes policy.
	RoleAdmin Role = "admin"
)

// Valid reports whether r is a known role.
func (r Role) Valid() bool {
	switch r {
	case RoleGraduate, RoleHR, RoleEmployerAdmin, RoleReviewer, RoleLeadReviewer, RoleHousing, RoleFinance, RoleAdmin:
		return true
	}
	return false
}

// EmployerScoped reports whether the role acts for one employer, named in
// its grant. Such roles come from an employer's invitation, not from a
// city admin's grant.
func (r Role) EmployerScoped() bool { return r == RoleHR || r == RoleEmployerAdmin }

// ReviewRoles are the roles that review claims. An admin manages users,
// roles, employers and policy, and does office work only through an office
// role granted to it (and audited), never by being admin.
var ReviewRoles = []Role{RoleReviewer, RoleLeadReviewer}

// RoleGrant is one role held by a user; EmployerID scopes the
// employer-scoped roles (hr, employer_admin).
type RoleGrant struct {
	Role       Role
	EmployerID string
	GrantedAt  time.Time
}

// Locale is the language a user reads: zh-CN (default) or en.
type Locale string

// Locales.
const (
	LocaleZH Locale = "zh-CN"
	LocaleEN Locale = "en"
)

// Valid reports whether l is a supported locale.
func (l Locale) Valid() bool { return l == LocaleZH || l == LocaleEN }

// User is an account, created at first sign-in.
type User struct {
	ID          string
	FirebaseUID string
	Locale      Locale
	Roles       []RoleGrant
	CreatedAt   time.Time
	// Bootstrapped: the admin role was given once to this user as a
	// bootstrap admin, and is not given again.
	Bootstrapped bool
	// AuthTime is when the caller of this request last signed in (the
	// token's auth_time); zero outside a request and for System.
	AuthTime time.Time
}

// IsStaff reports whether the user holds any role beyond graduate.
func (u User) IsStaff() bool {
	return slices.ContainsFunc(u.Roles, func(g RoleGrant) bool { return g.Role != RoleGraduate })
}

// Has reports whether the user holds role.
func (u User) Has(role Role) bool {
	return slices.ContainsFunc(u.Roles, func(g RoleGrant) bool { return g.Role == role })
}

// HasAny reports whether the user holds any of roles.
func (u User) HasAny(roles ...Role) bool {
	return slices.ContainsFunc(roles, u.Has)
}

// Require returns KindForbidden unless the user holds one of roles.
func (u User) Require(roles ...Role) error {
	if u.HasAny(roles...) {
		return nil
	}
	return Forbidden("requires one of the roles %v", roles)
}

// HROf reports whether the user is HR of the employer.
func (u User) HROf(employerID string) bool {
	return slices.ContainsFunc(u.Roles, func(g RoleGrant) bool { return g.Role == RoleHR && g.EmployerID == employerID })
}

// RunsEmployer reports whether the user may manage the employer's account:
// its admin, or a city admin.
func (u User) RunsEmployer(employerID string) bool {
	return u.Has(RoleAdmin) || slices.ContainsFunc(u.Roles, func(g RoleGrant) bool {
		return g.Role == RoleEmployerAdmin && g.EmployerID == employerID
	})
}

// HREmployer returns the employer the user is HR of, or KindForbidden.
func (u User) HREmployer() (string, error) {
	for _, g := range u.Roles {
		if g.Role == RoleHR {
			return g.EmployerID, nil
		}
	}
	return "", Forbidden("requires the hr role")
}

// EmployersActedFor lists the employers the user acts for, as HR or as
// the employer's admin (each employer once); none for anyone else, city
// admins included.
func (u User) EmployersActedFor() []string {
	var out []string
	for _, g := range u.Roles {
		if g.Role.EmployerScoped() && g.EmployerID != "" && !slices.Contains(out, g.EmployerID) {
			out = append(out, g.EmployerID)
		}
	}
	return out
}

// System is the actor of changes made by workers and periodic jobs.
var System = User{ID: SystemID}

// SystemID is the actor id audit rows and offers record for System.
const SystemID = "system"

// IsSystem reports whether the user is System.
func (u User) IsSystem() bool { return u.ID == SystemID }
