package account

import (
	"context"
	"net/mail"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// UserQuery is what the admin's user search looks for, worked out from the
// words typed (see SearchUsers). Numbers are matched by blind index only.
type UserQuery struct {
	NamePrefix      string
	NationalIDIndex string
	PhoneIndex      string
	FirebaseUID     string // the account a verified email belongs to
	Role            talent.Role
}

// UserMatch is a user a search found, with their profile as stored
// (personal data sealed); HasProfile is false for an account without one.
type UserMatch struct {
	User             talent.User
	LastSeenAt       *time.Time
	HasProfile       bool
	Name             string
	NationalIDSealed string
	PhoneSealed      string
}

// UserHit is a user as the search shows them: personal data masked.
type UserHit struct {
	User             talent.User
	LastSeenAt       *time.Time
	Name             string
	NationalIDMasked string
	PhoneMasked      string
}

// Accounts finds sign-in accounts by what the identity provider holds and
// Anju does not store (an email address).
type Accounts interface {
	// UIDByEmail returns the uid of the account whose verified email is
	// exactly this address, "" when there is none; KindUnavailable when the
	// provider cannot be reached.
	UIDByEmail(ctx context.Context, email string) (string, error)
}

// SearchUsers finds users for an admin. q is read as a national ID number
// (check digit verified) or a mainland mobile number, each matched exactly
// by its blind index; an email address, matched against the verified email
// of the sign-in account; otherwise the start of the name. Other digits (a
// part of a number) match nobody: sealed numbers are never searched. Every
// user shown with their personal data is written to the access log first:
// no log, no answer.
func (s *Service) SearchUsers(ctx context.Context, actor talent.User, q string, role talent.Role, page talent.Page) ([]UserHit, string, error) {
	if err := actor.Require(talent.RoleAdmin); err != nil {
		return nil, "", err
	}
	if role != "" && !role.Valid() {
		return nil, "", talent.Field("role", CodeRoleUnknown)
	}
	query, ok, err := s.userQuery(ctx, strings.TrimSpace(q))
	if err != nil || !ok {
		return nil, "", err
	}
	query.Role = role
	matches, next, err := s.UserStore.SearchUsers(ctx, query, page)
	if err != nil {
		return nil, "", err
	}
	hits := make([]UserHit, len(matches))
	var seen []talent.Access
	now := s.now()
	for i, m := range matches {
		hits[i] = UserHit{User: m.User, LastSeenAt: m.LastSeenAt, Name: m.Name}
		if !m.HasProfile {
			continue
		}
		if m.NationalIDSealed != "" {
			number, err := s.Vault.Open(talent.SealedProfileNationalID, m.User.ID, m.NationalIDSealed)
			if err != nil {
				return nil, "", err
			}
			hits[i].NationalIDMasked = talent.MaskNationalID(number)
		}
		if m.PhoneSealed != "" {
			phone, err := s.Vault.Open(talent.SealedProfilePhone, m.User.ID, m.PhoneSealed)
			if err != nil {
				return nil, "", err
			}
			hits[i].PhoneMasked = talent.MaskPhone(phone)
		}
		seen = append(seen, talent.Access{At: now, ActorID: actor.ID, SubjectID: m.User.ID,
			What: talent.AccessUserSearch, ObjectID: m.User.ID})
	}
	if err := s.AccessLog.RecordAll(ctx, seen); err != nil {
		return nil, "", err
	}
	return hits, next, nil
}

// userQuery reads the words typed; ok is false when they can match nobody.
func (s *Service) userQuery(ctx context.Context, q string) (UserQuery, bool, error) {
	switch {
	case q == "":
		return UserQuery{}, true, nil
	case strings.Contains(q, "@"):
		a, err := mail.ParseAddress(q)
		if err != nil || a.Address != q || s.Accounts == nil {
			return UserQuery{}, false, nil
		}
		uid, err := s.Accounts.UIDByEmail(ctx, q)
		return UserQuery{FirebaseUID: uid}, err == nil && uid != "", err
	case talent.ValidPhone(q):
		return UserQuery{PhoneIndex: s.phoneIndex(q)}, true, nil
	}
	who, ok := talent.SearchPerson(q, s.now(), s.Vault)
	return UserQuery{NamePrefix: who.NamePrefix, NationalIDIndex: who.NationalIDIndex}, ok, nil
}

// phoneIndex is the blind index of a mainland mobile number, the same
// whether or not it was written with +86.
func (s *Service) phoneIndex(phone string) string {
	return s.Vault.Index("phone:" + strings.TrimPrefix(strings.TrimSpace(phone), "+86"))
}
