package account

import (
	"context"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// SignIn turns a verified identity into a user, creating it on first sign-in.
func (s *Service) SignIn(ctx context.Context, id talent.Identity) (talent.User, error) {
	if id.UID == "" {
		return talent.User{}, talent.Errorf(talent.KindUnauthenticated, talent.CodeTokenInvalid, "token has no subject")
	}
	admin := slices.Contains(s.BootstrapAdmins, id.UID)
	load := func(ctx context.Context) (talent.User, error) { return s.UserStore.SignIn(ctx, id.UID, admin) }
	byPhone := id.Provider == talent.ProviderPhone
	if !byPhone && !admin && !s.staffSignIn(id) {
		// Only staff sign in another way, and only a way the deployment
		// trusts for staff makes an account (a newcomer, see SignIn): an
		// anonymous or email account of the Firebase project is not a
		// graduate.
		load = func(ctx context.Context) (talent.User, error) {
			u, err := s.UserStore.UserByFirebaseUID(ctx, id.UID)
			if talent.ErrorKind(err) == talent.KindNotFound {
				return talent.User{}, phoneRequired()
			}
			return u, err
		}
	}
	var u talent.User
	var err error
	if s.Users != nil {
		u, err = s.Users.Load(ctx, id.UID, load)
	} else {
		u, err = load(ctx)
	}
	if err != nil {
		return talent.User{}, err
	}
	if err := s.checkSignIn(u, id); err != nil {
		// A newcomer (no staff role yet, signed in a way trusted for staff)
		// is returned with the refusal: the API lets them see who they are
		// and accept an invitation, and nothing a graduate does.
		if talent.HasCode(err, talent.CodePhoneSignInRequired) && s.staffSignIn(id) {
			return u, err
		}
		return talent.User{}, err
	}
	if s.Presence != nil {
		s.Presence.Seen(u.ID, s.now())
	}
	return u, nil
}

// checkSignIn applies the sign-in rules to a loaded user: a graduate signs
// in by phone; a staff role needs a second factor or a provider the
// deployment trusts for staff (StaffProviders).
func (s *Service) checkSignIn(u talent.User, id talent.Identity) error {
	if !u.IsStaff() {
		if id.Provider != talent.ProviderPhone {
			return phoneRequired()
		}
		return nil
	}
	if s.staffSignIn(id) {
		return nil
	}
	return talent.Errorf(talent.KindForbidden, talent.CodeSecondFactorRequired, "staff sign-in by %q without a second factor", id.Provider)
}

// staffSignIn reports whether id signed in a way the deployment trusts for
// staff: a second factor, or a provider it lists (never anonymous).
func (s *Service) staffSignIn(id talent.Identity) bool {
	return id.Provider != "anonymous" && (id.SecondFactor != "" || slices.Contains(s.StaffProviders, id.Provider))
}

func phoneRequired() error {
	return talent.Errorf(talent.KindUnauthenticated, talent.CodePhoneSignInRequired, "graduates sign in by phone")
}

// forget drops a changed user from every replica's cache of signed-in users.
func (s *Service) forget(ctx context.Context, u talent.User) {
	if s.Users != nil && u.ID != "" {
		s.Users.Invalidate(ctx, u.ID)
	}
}

// Profile returns the caller's profile, personal data opened for masking.
func (s *Service) Profile(ctx context.Context, actor talent.User) (talent.Profile, error) {
	load := func(ctx context.Context) (talent.ProfileRecord, error) { return s.ProfileStore.Profile(ctx, actor.ID) }
	var rec talent.ProfileRecord
	var err error
	if s.Users != nil {
		rec, err = s.Users.Profile(ctx, actor.ID, load)
	} else {
		rec, err = load(ctx)
	}
	if talent.ErrorKind(err) == talent.KindNotFound {
		return talent.Profile{UserID: actor.ID, Locale: actor.Locale}, nil
	}
	if err != nil {
		return talent.Profile{}, err
	}
	return s.openProfile(rec)
}

// Person returns what the other modules may know of a user: the profile
// with the national ID opened once and masked. A user with no profile is
// a Person with only UserID.
func (s *Service) Person(ctx context.Context, userID string) (talent.Person, error) {
	rec, err := s.ProfileStore.Profile(ctx, userID)
	if talent.ErrorKind(err) == talent.KindNotFound {
		return talent.Person{UserID: userID}, nil
	}
	if err != nil {
		return talent.Person{}, err
	}
	p := talent.Person{
		UserID: userID, Name: rec.Name, Locale: rec.Locale, PersonIndex: rec.NationalIDIndex, BirthDate: rec.BirthDate,
		HukouPlace: rec.HukouPlace, Education: rec.Education, Employer: rec.Employer, TalentTier: rec.TalentTier,
	}
	if rec.NationalIDSealed != "" {
		number, err := s.Vault.Open(talent.SealedProfileNationalID, userID, rec.NationalIDSealed)
		if err != nil {
			return talent.Person{}, err
		}
		p.NationalIDMasked = talent.MaskNationalID(number)
	}
	return p, nil
}

func (s *Service) openProfile(rec talent.ProfileRecord) (talent.Profile, error) {
	p := talent.Profile{
		UserID: rec.UserID, Name: rec.Name, Locale: rec.Locale, HukouPlace: rec.HukouPlace,
		Education: rec.Education, Employer: rec.Employer, BankName: rec.BankName, TalentTier: rec.TalentTier,
		UpdatedAt: rec.UpdatedAt,
	}
	if rec.BankAccountSealed != "" {
		account, err := s.Vault.Open(talent.SealedProfileBankAccount, rec.UserID, rec.BankAccountSealed)
		if err != nil {
			return talent.Profile{}, err
		}
		p.BankAccount = account
	}
	if rec.PhoneSealed != "" {
		phone, err := s.Vault.Open(talent.SealedProfilePhone, rec.UserID, rec.PhoneSealed)
		if err != nil {
			return talent.Profile{}, err
		}
		p.Phone = phone
	}
	if rec.NationalIDSealed != "" {
		number, err := s.Vault.Open(talent.SealedProfileNationalID, rec.UserID, rec.NationalIDSealed)
		if err != nil {
			return talent.Profile{}, err
		}
		// Stored numbers were valid when saved; parse against a far date so
		// that a stored value never becomes unreadable.
		id, perr := talent.ParseNationalID(number, time.Date(9999, 1, 1, 0, 0, 0, 0, time.UTC))
		if perr != nil {
			return talent.Profile{}, errors.New("stored national id no longer parses")
		}
		p.NationalID = &id
	}
	return p, nil
}

// UpdateProfile replaces the caller's profile. All invalid fields are
// reported together; a national ID held by another account is a conflict.
func (s *Service) UpdateProfile(ctx context.Context, actor talent.User, in talent.ProfileInput) (talent.Profile, error) {
	id, err := in.Validate(s.now())
	if err != nil {
		return talent.Profile{}, err
	}
	// The app only ever sees personal data masked, so it leaves those
	// fields out to keep them; the stored values carry over.
	prev, err := s.ProfileStore.Profile(ctx, actor.ID)
	if err != nil && talent.ErrorKind(err) != talent.KindNotFound {
		return talent.Profile{}, err
	}
	rec := talent.ProfileRecord{
		UserID: actor.ID, Name: in.Name, Locale: in.Locale, HukouPlace: strings.TrimSpace(in.HukouPlace),
		Education: in.Education, Employer: in.Employer, UpdatedAt: s.now(),
		PhoneSealed: prev.PhoneSealed, PhoneIndex: prev.PhoneIndex, NationalIDSealed: prev.NationalIDSealed,
		NationalIDIndex: prev.NationalIDIndex, BirthDate: prev.BirthDate,
		BankName: prev.BankName, BankAccountSealed: prev.BankAccountSealed, BankAccountChangedAt: prev.BankAccountChangedAt,
		TalentTier: prev.TalentTier,
	}
	audit, tasks, err := s.bankAccount(actor, prev, &rec, in)
	if err != nil {
		return talent.Profile{}, err
	}
	if in.Phone != "" {
		if rec.PhoneSealed, err = s.Vault.Seal(talent.SealedProfilePhone, actor.ID, in.Phone); err != nil {
			return talent.Profile{}, err
		}
		rec.PhoneIndex = s.phoneIndex(in.Phone)
	} else if rec.PhoneSealed != "" && rec.PhoneIndex == "" {
		// Sealed before phones were indexed: indexed now, at this save.
		phone, err := s.Vault.Open(talent.SealedProfilePhone, actor.ID, rec.PhoneSealed)
		if err != nil {
			return talent.Profile{}, err
		}
		rec.PhoneIndex = s.phoneIndex(phone)
	}
	if id != nil {
		if rec.NationalIDSealed, err = s.Vault.Seal(talent.SealedProfileNationalID, actor.ID, id.Number()); err != nil {
			return talent.Profile{}, err
		}
		rec.NationalIDIndex = s.Vault.Index(id.Number())
		birth := id.BirthDate()
		rec.BirthDate = &birth
	}
	declare, more, err := s.declaration(ctx, actor, rec.Employer)
	if err != nil {
		return talent.Profile{}, err
	}
	tasks = append(tasks, more...)
	if rec.NationalIDIndex != "" && rec.NationalIDIndex != prev.NationalIDIndex {
		tasks = append(tasks, talent.PersonIdentified{UserID: actor.ID})
	}
	if err := s.ProfileStore.SaveProfile(ctx, rec, declare, audit, tasks); err != nil {
		return talent.Profile{}, err
	}
	s.forget(ctx, actor)
	return s.openProfile(rec)
}

// RecentSignIn is how recently a user must have signed in to change the
// bank account allowances are paid into: a stolen session that is older
// cannot redirect anyone's money.
const RecentSignIn = 5 * time.Minute

// bankAccount puts the account of in into rec. A new account number needs
// a sign-in within RecentSignIn; it is audited, and when it replaces
// another it is a change: the owner is told (in case it was not them) and
// payments to it are held for the package's new_account_hold_days from now.
func (s *Service) bankAccount(actor talent.User, prev talent.ProfileRecord, rec *talent.ProfileRecord, in talent.ProfileInput) ([]talent.Audit, []talent.Task, error) {
	if in.BankAccount == "" {
		return nil, nil, nil
	}
	rec.BankName = strings.TrimSpace(in.BankName)
	old := ""
	if prev.BankAccountSealed != "" {
		var err error
		if old, err = s.Vault.Open(talent.SealedProfileBankAccount, actor.ID, prev.BankAccountSealed); err != nil {
			return nil, nil, err
		}
	}
	if in.BankAccount == old {
		return nil, nil, nil
	}
	now := s.now()
	if actor.AuthTime.IsZero() || now.Sub(actor.AuthTime) > RecentSignIn {
		return nil, nil, talent.Errorf(talent.KindUnauthenticated, CodeRecentSignInRequired,
			"changing the bank account needs a sign-in within %s", RecentSignIn)
	}
	var err error
	if rec.BankAccountSealed, err = s.Vault.Seal(talent.SealedProfileBankAccount, actor.ID, in.BankAccount); err != nil {
		return nil, nil, err
	}
	masked := talent.MaskBankAccount(in.BankAccount)
	audit := []talent.Audit{{At: now, ActorID: actor.ID, Entity: "profile", EntityID: actor.ID, Event: "bank_account_set", Detail: masked}}
	if old == "" {
		return audit, nil, nil
	}
	rec.BankAccountChangedAt = &now
	audit[0].Event, audit[0].Detail = "bank_account_changed", talent.MaskBankAccount(old)+" → "+masked
	return audit, []talent.Task{talent.NotifyRequest{
		UserID: actor.ID, EventID: "bank_account.changed:" + now.Format(time.RFC3339Nano), Template: "bank_account.changed",
		Params: map[string]string{"last": in.BankAccount[len(in.BankAccount)-4:]}, Link: "anju://me/profile",
	}}, nil
}

// declaration turns the profile's employer into an employment declaration
// for the employer's HR office to confirm, when it names a registered
// employer that the graduate has not already declared.
func (s *Service) declaration(ctx context.Context, actor talent.User, decl *talent.EmployerDeclaration) (*talent.Employment, []talent.Task, error) {
	if decl == nil || decl.CreditCode == "" {
		return nil, nil, nil
	}
	emp, err := s.EmployerStore.EmployerByCreditCode(ctx, decl.CreditCode)
	if talent.ErrorKind(err) == talent.KindNotFound {
		return nil, nil, talent.Field("employer.creditCode", CodeEmployerNotRegistered)
	}
	if err != nil {
		return nil, nil, err
	}
	decl.Name = emp.Name
	cur, err := s.EmploymentStore.CurrentEmployment(ctx, actor.ID)
	switch {
	case err != nil && talent.ErrorKind(err) != talent.KindNotFound:
		return nil, nil, err
	case err == nil && cur.EmployerID == emp.ID && cur.Status != talent.EmploymentSuperseded &&
		(cur.Status != talent.EmploymentRejected || sameDate(cur.DeclaredSince, decl.Since)):
		// Already declared; a rejected one is declared again only with a changed start date.
		return nil, nil, nil
	}
	now := s.now()
	e := &talent.Employment{ID: talent.NewID(), UserID: actor.ID, EmployerID: emp.ID, Status: talent.EmploymentPending, CreatedAt: now, UpdatedAt: now}
	if !decl.Since.IsZero() {
		since := decl.Since
		e.DeclaredSince = &since
	}
	return e, []talent.Task{EmploymentDeclared{EmploymentID: e.ID}}, nil
}

func sameDate(a *time.Time, b time.Time) bool {
	if a == nil {
		return b.IsZero()
	}
	return a.Format(time.DateOnly) == b.Format(time.DateOnly)
}
