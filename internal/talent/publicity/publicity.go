// Package publicity is the public notice (公示): approved allowances before
// they are paid and the allocations of drawn rounds, listed for anyone to
// read, masked, and the objections anyone signed in may raise against them.
// The workflow behind an entry (claims, rounds) decides what an objection
// does to it, through the Target port.
package publicity

import (
	"context"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// ObjectionItem is an objection as staff list it, with its entry.
type ObjectionItem struct {
	Objection talent.Objection
	Entry     talent.Entry
}

// Store reads the notice and its objections (the workflows write them in
// their own transactions). Errors: KindNotFound (talent.CodeEntryNotFound,
// talent.CodeObjectionNotFound), KindMalformed (a bad cursor).
type Store interface {
	// Listed lists the entries on notice at now, newest first: open or
	// objected, and not past their end unless objected. kind "" lists all.
	Listed(ctx context.Context, kind talent.EntryKind, now time.Time, page talent.Page) ([]talent.Entry, string, error)
	Entry(ctx context.Context, id string) (talent.Entry, error)
	Objection(ctx context.Context, id string) (talent.Objection, error)
	// OpenObjections lists an entry's open objections.
	OpenObjections(ctx context.Context, entryID string) ([]talent.Objection, error)
	// Objections lists objections to entries of a kind in a status, oldest first.
	Objections(ctx context.Context, kind talent.EntryKind, status talent.ObjectionStatus, page talent.Page) ([]ObjectionItem, string, error)
}

// Target is a workflow whose decisions go on notice: it records an
// objection with what it does to the decision, and decides one.
type Target interface {
	FileObjection(ctx context.Context, actor talent.User, entry talent.Entry, reasons string) (talent.Objection, error)
	// ResolveObjection decides o; upheld, others (the entry's other open
	// objections) are decided the same way.
	ResolveObjection(ctx context.Context, actor talent.User, o talent.Objection, others []talent.Objection, uphold bool, resolution string) (talent.Objection, error)
}

// Service is the public notice.
type Service struct {
	Store  Store
	Claims Target // entries of talent.EntryClaim
	Rounds Target // entries of talent.EntryRound
	Clock  talent.Clock
}

// Listed is the notice as the public reads it; no sign-in is needed.
func (s *Service) Listed(ctx context.Context, kind talent.EntryKind, page talent.Page) ([]talent.Entry, string, error) {
	if kind != "" && kind != talent.EntryClaim && kind != talent.EntryRound {
		return nil, "", talent.Field("kind", CodeEntryKind)
	}
	return s.Store.Listed(ctx, kind, s.Clock.Now().UTC(), page)
}

// Object files an objection, with reasons, to an entry on notice (anyone
// signed in). What it does to the decision is the workflow's.
func (s *Service) Object(ctx context.Context, actor talent.User, entryID, reasons string) (talent.Objection, error) {
	e, err := s.Store.Entry(ctx, entryID)
	if err != nil {
		return talent.Objection{}, err
	}
	if !listed(e, s.Clock.Now()) {
		return talent.Objection{}, talent.Errorf(talent.KindConflict, talent.CodeNoticeClosed, "the entry is no longer on notice")
	}
	return s.target(e.Kind).FileObjection(ctx, actor, e, reasons)
}

// listed reports whether an entry is on notice at now.
func listed(e talent.Entry, now time.Time) bool {
	return e.Status == talent.EntryObjected || e.Status == talent.EntryOpen && !now.After(e.EndsAt)
}

// Resolve decides an objection to an entry of kind: reviewers decide those
// to approvals, housing staff those to allocations.
func (s *Service) Resolve(ctx context.Context, actor talent.User, kind talent.EntryKind, id string, uphold bool, resolution string) (talent.Objection, error) {
	if err := actor.Require(staffOf(kind)...); err != nil {
		return talent.Objection{}, err
	}
	o, err := s.Store.Objection(ctx, id)
	if err != nil {
		return talent.Objection{}, err
	}
	e, err := s.Store.Entry(ctx, o.EntryID)
	if err != nil {
		return talent.Objection{}, err
	}
	if e.Kind != kind {
		return talent.Objection{}, talent.NotFound(talent.CodeObjectionNotFound)
	}
	var others []talent.Objection
	if uphold {
		open, err := s.Store.OpenObjections(ctx, e.ID)
		if err != nil {
			return talent.Objection{}, err
		}
		for _, x := range open {
			if x.ID != o.ID {
				others = append(others, x)
			}
		}
	}
	return s.target(kind).ResolveObjection(ctx, actor, o, others, uphold, resolution)
}

// Objections lists the objections staff of kind decide.
func (s *Service) Objections(ctx context.Context, actor talent.User, kind talent.EntryKind, status talent.ObjectionStatus, page talent.Page) ([]ObjectionItem, string, error) {
	if err := actor.Require(staffOf(kind)...); err != nil {
		return nil, "", err
	}
	if status == "" {
		status = talent.ObjectionOpen
	}
	return s.Store.Objections(ctx, kind, status, page)
}

func (s *Service) target(kind talent.EntryKind) Target {
	if kind == talent.EntryRound {
		return s.Rounds
	}
	return s.Claims
}

// staffOf are the roles that decide objections to entries of a kind.
func staffOf(kind talent.EntryKind) []talent.Role {
	if kind == talent.EntryRound {
		return []talent.Role{talent.RoleHousing}
	}
	return talent.ReviewRoles
}
