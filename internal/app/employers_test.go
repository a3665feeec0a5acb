package app

import (
	"context"
	"errors"
	"slices"
	"testing"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/employers"
)

// recorded is a user cache that remembers what was invalidated.
type recorded struct{ dropped []string }

func (r *recorded) Load(ctx context.Context, _ string, load func(context.Context) (talent.User, error)) (talent.User, error) {
	return load(ctx)
}

func (r *recorded) Profile(ctx context.Context, _ string, load func(context.Context) (talent.ProfileRecord, error)) (talent.ProfileRecord, error) {
	return load(ctx)
}

func (r *recorded) Invalidate(_ context.Context, userID string) {
	r.dropped = append(r.dropped, userID)
}

// store answers the two calls the test makes and fails when told to.
type store struct {
	employers.Store
	fail error
}

func (s store) Apply(context.Context, employers.Change) error { return s.fail }

func (s store) UpdateInvitation(_ context.Context, _ string, _ bool, fn func(*employers.Invitation) (employers.Change, error)) (employers.Invitation, error) {
	var inv employers.Invitation
	if _, err := fn(&inv); err != nil {
		return inv, err
	}
	return inv, s.fail
}

func TestEmployerChangesDropTheUsersTheyTouch(t *testing.T) {
	ctx := context.Background()
	users := &recorded{}
	s := employerChanges{Store: store{}, users: users}

	// HR removed: the user's cached roles go at once.
	if err := s.Apply(ctx, employers.Change{Revokes: []employers.Grant{{UserID: "hr-1", Role: talent.RoleHR}}}); err != nil {
		t.Fatal(err)
	}
	// An invitation accepted: the role granted inside the locked update.
	if _, err := s.UpdateInvitation(ctx, "code", true, func(*employers.Invitation) (employers.Change, error) {
		return employers.Change{Grants: []employers.Grant{{UserID: "hr-2", Role: talent.RoleHR}}}, nil
	}); err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(users.dropped, []string{"hr-1", "hr-2"}) {
		t.Fatalf("dropped %v, want hr-1 then hr-2", users.dropped)
	}

	// Nothing committed, nothing dropped.
	users.dropped = nil
	failing := employerChanges{Store: store{fail: errors.New("conflict")}, users: users}
	_ = failing.Apply(ctx, employers.Change{Revokes: []employers.Grant{{UserID: "hr-3"}}})
	_, _ = failing.UpdateInvitation(ctx, "code", true, func(*employers.Invitation) (employers.Change, error) {
		return employers.Change{Grants: []employers.Grant{{UserID: "hr-4"}}}, nil
	})
	if len(users.dropped) != 0 {
		t.Errorf("dropped %v for changes that were not written", users.dropped)
	}
}
