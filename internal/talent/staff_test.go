package talent

import (
	"context"
	"slices"
	"testing"
)

// directory answers from fixed lists.
type directory struct {
	byRole     map[Role][]string
	byEmployer map[Role][]string
}

func (d directory) UsersWithRole(_ context.Context, r Role) ([]string, error) {
	return d.byRole[r], nil
}
func (d directory) EmployerStaff(_ context.Context, _ string, r Role) ([]string, error) {
	return d.byEmployer[r], nil
}

// An alert about an employer reaches its HR, else its admins, else the
// city's admins: never nobody.
func TestEmployerContactsNeverEmpty(t *testing.T) {
	t.Parallel()
	city := map[Role][]string{RoleAdmin: {"city-admin"}}
	for name, tc := range map[string]struct {
		employer map[Role][]string
		want     []string
	}{
		"HR":            {map[Role][]string{RoleHR: {"hr1", "hr2"}, RoleEmployerAdmin: {"boss"}}, []string{"hr1", "hr2"}},
		"no HR":         {map[Role][]string{RoleEmployerAdmin: {"boss"}}, []string{"boss"}},
		"nobody for it": {nil, []string{"city-admin"}},
	} {
		got, err := EmployerContacts(context.Background(), directory{byRole: city, byEmployer: tc.employer}, "e1")
		if err != nil || !slices.Equal(got, tc.want) {
			t.Errorf("%s: %v %v, want %v", name, got, err, tc.want)
		}
	}
}
