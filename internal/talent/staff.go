package talent

import "context"

// Directory finds staff by role.
type Directory interface {
	// UsersWithRole lists the ids of the users holding a role.
	UsersWithRole(ctx context.Context, role Role) ([]string, error)
	// EmployerStaff lists the ids of the users who hold an employer-scoped
	// role (hr, employer_admin) for the employer.
	EmployerStaff(ctx context.Context, employerID string, role Role) ([]string, error)
}

// EmployerContacts are who answers for an employer: its HR users; when it
// has none, its admins; when it has neither (an employer a graduate named
// that nobody acts for yet), the city's admins, so that an alert about it
// always reaches someone.
func EmployerContacts(ctx context.Context, d Directory, employerID string) ([]string, error) {
	for _, role := range []Role{RoleHR, RoleEmployerAdmin} {
		ids, err := d.EmployerStaff(ctx, employerID, role)
		if err != nil || len(ids) > 0 {
			return ids, err
		}
	}
	return d.UsersWithRole(ctx, RoleAdmin)
}
