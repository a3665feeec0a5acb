package app

import (
	"context"

	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/employers"
)

// employerChanges is the employers store with the cache of signed-in users
// kept true: a change that grants or revokes a role or rewrites a profile
// (an invitation accepted, a registration approved, HR removed, a filed
// hire matched) drops the users it touches on every API replica once it
// is committed, as the account module does for its own changes. The
// employers module itself knows nothing of the cache.
type employerChanges struct {
	employers.Store
	users account.UserCache
}

func (s employerChanges) forget(ctx context.Context, c employers.Change) {
	for _, g := range append(c.Grants, c.Revokes...) {
		s.users.Invalidate(ctx, g.UserID)
	}
	if c.Profile != nil && c.Employment != nil {
		s.users.Invalidate(ctx, c.Employment.UserID)
	}
}

// capture wraps fn so that the change it returns is kept for forget.
func capture[T any](fn func(*T) (employers.Change, error), into *employers.Change) func(*T) (employers.Change, error) {
	return func(x *T) (employers.Change, error) {
		c, err := fn(x)
		*into = c
		return c, err
	}
}

func (s employerChanges) CreateRegistration(ctx context.Context, r employers.Registration, c employers.Change) error {
	err := s.Store.CreateRegistration(ctx, r, c)
	if err == nil {
		s.forget(ctx, c)
	}
	return err
}

func (s employerChanges) UpdateRegistration(ctx context.Context, id string, fn func(*employers.Registration) (employers.Change, error)) (employers.Registration, error) {
	var c employers.Change
	r, err := s.Store.UpdateRegistration(ctx, id, capture(fn, &c))
	if err == nil {
		s.forget(ctx, c)
	}
	return r, err
}

func (s employerChanges) UpdateInvitation(ctx context.Context, key string, byCode bool, fn func(*employers.Invitation) (employers.Change, error)) (employers.Invitation, error) {
	var c employers.Change
	i, err := s.Store.UpdateInvitation(ctx, key, byCode, capture(fn, &c))
	if err == nil {
		s.forget(ctx, c)
	}
	return i, err
}

func (s employerChanges) CreateFiling(ctx context.Context, f employers.Filing, hires []employers.Hire, c employers.Change) error {
	err := s.Store.CreateFiling(ctx, f, hires, c)
	if err == nil {
		s.forget(ctx, c)
	}
	return err
}

func (s employerChanges) MatchHire(ctx context.Context, id string, fn func(*employers.Hire) (employers.Change, error)) (employers.Hire, error) {
	var c employers.Change
	h, err := s.Store.MatchHire(ctx, id, capture(fn, &c))
	if err == nil {
		s.forget(ctx, c)
	}
	return h, err
}

func (s employerChanges) Apply(ctx context.Context, c employers.Change) error {
	err := s.Store.Apply(ctx, c)
	if err == nil {
		s.forget(ctx, c)
	}
	return err
}
