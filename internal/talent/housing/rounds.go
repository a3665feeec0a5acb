package housing

import (
	"context"
	"encoding/hex"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/calendar"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/policy"
)

// TaskCloseRounds closes rounds whose application window has ended.
const TaskCloseRounds = "rounds:close"

// RoundStatus is where an allocation round stands.
type RoundStatus string

// Round statuses.
const (
	// RoundOpen: the commitment is published; graduates apply in the window.
	RoundOpen RoundStatus = "open"
	// RoundClosed: the window ended; the pool of eligible applications is
	// frozen and its hash published.
	RoundClosed RoundStatus = "closed"
	// RoundDrawn: the seed is revealed and the draw record published; it
	// cannot be run again.
	RoundDrawn RoundStatus = "drawn"
)

// RoundEvent is something that happens to a round.
type RoundEvent string

// Round events.
const (
	RoundClose RoundEvent = "close" // the window ends; the pool is frozen
	RoundDraw  RoundEvent = "draw"  // the seed is revealed and the pool allocated
)

// RoundTransitions is the round state machine; a round is created open.
var RoundTransitions = talent.Transitions[RoundStatus, RoundEvent]{
	RoundClose: {From: []RoundStatus{RoundOpen}, To: RoundClosed},
	RoundDraw:  {From: []RoundStatus{RoundClosed}, To: RoundDrawn},
}

// Round is an allocation round of talent apartments.
type Round struct {
	ID            string
	Name          string
	OpensAt       time.Time
	ClosesAt      time.Time
	PolicyVersion int // of the apartment package, in force when the round opened
	Status        RoundStatus
	Commitment    string // hex SHA-256 of the seed, public from the opening
	SealedSeed    string // the seed, sealed by the Vault until the draw
	PoolHash      string // public from the close
	Pool          *draw.Pool
	Record        *draw.Record
	UnitIDs       []string
	CreatedBy     string
	CreatedAt     time.Time
	ClosedAt      *time.Time
	DrawnAt       *time.Time
}

// ApplicationStatus is where a graduate's application stands.
type ApplicationStatus string

// Application statuses.
const (
	AppEligible   ApplicationStatus = "eligible"   // in the pool
	AppIneligible ApplicationStatus = "ineligible" // refused, with the trace saying why
	AppWithdrawn  ApplicationStatus = "withdrawn"
	AppAllocated  ApplicationStatus = "allocated" // the draw, or an accepted offer, gave a unit
	AppWaitlisted ApplicationStatus = "waitlisted"
)

// ApplicationEvent is something that happens to an application.
type ApplicationEvent string

// Application events. An application is created eligible or ineligible.
const (
	AppDrawAllocate ApplicationEvent = "draw_allocate" // the draw gave it a unit
	AppDrawWaitlist ApplicationEvent = "draw_waitlist" // the draw ranked it without a unit
	AppAcceptOffer  ApplicationEvent = "accept_offer"  // the applicant accepted an offer
)

// ApplicationTransitions is the application state machine.
var ApplicationTransitions = talent.Transitions[ApplicationStatus, ApplicationEvent]{
	AppDrawAllocate: {From: []ApplicationStatus{AppEligible}, To: AppAllocated},
	AppDrawWaitlist: {From: []ApplicationStatus{AppEligible}, To: AppWaitlisted},
	AppAcceptOffer:  {From: []ApplicationStatus{AppEligible, AppAllocated, AppWaitlisted}, To: AppAllocated},
}

// Application is a graduate's entry in a round.
type Application struct {
	ID            string
	RoundID       string
	UserID        string
	PersonIndex   string
	Preferences   []draw.Preference
	HouseholdSize int
	OwnsHome      bool
	// Applicant is how the published pool names the applicant: the surname
	// and the last four characters of the ID number, e.g. "李*（0423）".
	Applicant string
	Status    ApplicationStatus
	Active    bool
	Score     int
	Decision  policy.Decision
	UnitID    string // after the draw
	// Rank is the application's place in the draw's order, from 1; 0
	// before the draw and for applications outside its pool.
	Rank      int
	CreatedAt time.Time
	UpdatedAt time.Time
}

// RoundStore keeps rounds and applications. Errors: KindNotFound
// (CodeRoundNotFound, CodeApplicationNotFound), KindConflict
// (CodeApplicationExists for a second active application of the same
// person, CodeRoundNotOpen), KindUnavailable.
type RoundStore interface {
	CreateRound(ctx context.Context, r Round) error
	Round(ctx context.Context, id string) (Round, error)
	Rounds(ctx context.Context, page talent.Page) ([]Round, string, error)
	// UpdateRound runs fn on the round and its applications under a row
	// lock and saves the round with fn's change in the same transaction.
	UpdateRound(ctx context.Context, id string, fn func(*Round, []Application) (Change, error)) (Round, error)
	CreateApplication(ctx context.Context, a Application, tasks []talent.Task) error
	Application(ctx context.Context, id string) (Application, error)
	RoundUnits(ctx context.Context, roundID string) ([]Unit, error)
	// DueRounds lists one page (talent.SweepPage) of the open rounds whose
	// window closed before now, in id order after the id after ("" from the start).
	DueRounds(ctx context.Context, now time.Time, after string) ([]string, error)
	// ApplicationsOf lists a user's applications with their rounds, newest first.
	ApplicationsOf(ctx context.Context, userID string) ([]UserApplication, error)
}

// Catalog is the policy catalogue (the catalog module).
type Catalog interface {
	// Package returns one version; KindInternal when it is gone.
	Package(ctx context.Context, id policy.ID, version int) (policy.Package, error)
	// InForce returns the version of a package in force on a date.
	InForce(ctx context.Context, id policy.ID, on time.Time) (policy.Package, bool, error)
}

// People opens what housing may know of a graduate (the account module).
type People interface {
	Person(ctx context.Context, userID string) (talent.Person, error)
}

// Facts tells what a graduate's profile, employment and benefits say on a
// date, the facts the apartment package is evaluated with (the allowance
// module gathers them for claims too).
type Facts interface {
	// PersonFacts takes the person the caller has already read, so that
	// an application reads the profile once.
	PersonFacts(ctx context.Context, person talent.Person, on time.Time) (policy.Facts, error)
}

// Staff finds the housing officers to tell.
type Staff interface {
	UsersWithRole(ctx context.Context, role talent.Role) ([]string, error)
}

// Rounds are the allocation use cases: rounds, applications, the draw,
// offers, corrections and objections to the notice.
type Rounds struct {
	RoundStore      RoundStore
	OfferStore      OfferStore
	CorrectionStore CorrectionStore
	Lists           ApplicationListStore
	Catalog         Catalog
	People          People
	Facts           Facts
	Staff           Staff
	Vault           talent.Vault
	Clock           talent.Clock
	Calendar        *calendar.Calendar
}

func (s *Rounds) now() time.Time { return s.Clock.Now().UTC() }

// OpenRound creates a round over units that are available, under the
// apartment package in force at its opening, and publishes the commitment
// to a fresh secret seed (housing).
func (s *Rounds) OpenRound(ctx context.Context, actor talent.User, name string, opensAt, closesAt time.Time, unitIDs []string) (Round, error) {
	if err := requireHousing(actor); err != nil {
		return Round{}, err
	}
	var fields []talent.FieldError
	name = strings.TrimSpace(name)
	if n := utf8.RuneCountInString(name); n == 0 || n > 64 {
		fields = append(fields, talent.FieldError{Field: "name", Code: talent.CodeTextLength})
	}
	if !closesAt.After(opensAt) {
		fields = append(fields, talent.FieldError{Field: "closesAt", Code: CodeWindowEmpty})
	}
	if len(unitIDs) == 0 {
		fields = append(fields, talent.FieldError{Field: "unitIds", Code: talent.CodeRequired})
	}
	if len(fields) > 0 {
		return Round{}, talent.Invalid(fields...)
	}
	pkg, ok, err := s.Catalog.InForce(ctx, policy.Apartment, opensAt)
	if err != nil {
		return Round{}, err
	}
	if !ok || pkg.Scoring == nil {
		return Round{}, talent.Field("opensAt", policy.CodePackageClosed)
	}
	seed, err := draw.NewSeed()
	if err != nil {
		return Round{}, err
	}
	id := talent.NewID()
	sealed, err := s.Vault.Seal(talent.SealedRoundSeed, id, hex.EncodeToString(seed))
	if err != nil {
		return Round{}, err
	}
	r := Round{ID: id, Name: name, OpensAt: opensAt.UTC(), ClosesAt: closesAt.UTC(), PolicyVersion: pkg.Version,
		Status: RoundOpen, Commitment: draw.Commitment(seed), SealedSeed: sealed, UnitIDs: unitIDs, CreatedBy: actor.ID, CreatedAt: s.now()}
	return r, s.RoundStore.CreateRound(ctx, r)
}

// ApplicationInput is what a graduate sends to apply.
type ApplicationInput struct {
	Preferences         []draw.Preference
	HouseholdSize       int
	OwnsHome            bool
	PublicRentalHousing bool
}

// Apply enters the caller in an open round. Eligibility is decided at once
// under the round's apartment package, with the same rule-by-rule trace as
// allowances, and the score that ranks the pool.
func (s *Rounds) Apply(ctx context.Context, actor talent.User, roundID string, in ApplicationInput) (Application, error) {
	r, err := s.RoundStore.Round(ctx, roundID)
	if err != nil {
		return Application{}, err
	}
	now := s.now()
	if r.Status != RoundOpen || now.Before(r.OpensAt) || !now.Before(r.ClosesAt) {
		return Application{}, talent.Errorf(talent.KindConflict, CodeRoundNotOpen, "the round is not taking applications")
	}
	units, err := s.RoundStore.RoundUnits(ctx, roundID)
	if err != nil {
		return Application{}, err
	}
	var fields []talent.FieldError
	if n := len(in.Preferences); n == 0 || n > draw.MaxPreferences {
		fields = append(fields, talent.FieldError{Field: "preferences", Code: talent.CodeLength})
	}
	for i, p := range in.Preferences {
		if !slices.ContainsFunc(units, func(u Unit) bool {
			return draw.Preference(p).Matches(draw.Unit{ID: u.ID, PropertyID: u.PropertyID, Layout: string(u.Layout)})
		}) {
			fields = append(fields, talent.FieldError{Field: "preferences[" + strconv.Itoa(i) + "]", Code: CodePreferenceMatchesNothing})
		}
	}
	if in.HouseholdSize < 1 || in.HouseholdSize > 10 {
		fields = append(fields, talent.FieldError{Field: "householdSize", Code: talent.CodeRange})
	}
	if len(fields) > 0 {
		return Application{}, talent.Invalid(fields...)
	}
	person, err := s.People.Person(ctx, actor.ID)
	if err != nil {
		return Application{}, err
	}
	if person.PersonIndex == "" || person.NationalIDMasked == "" {
		return Application{}, talent.Field("profile.nationalId", talent.CodeRequired)
	}
	pkg, err := s.Catalog.Package(ctx, policy.Apartment, r.PolicyVersion)
	if err != nil {
		return Application{}, err
	}
	facts, err := s.Facts.PersonFacts(ctx, person, now)
	if err != nil {
		return Application{}, err
	}
	facts.OwnsHome, facts.HouseholdSize = policy.Known(in.OwnsHome), in.HouseholdSize
	facts.Holds[policy.BenefitPublicRentalHousing] = policy.Known(in.PublicRentalHousing)
	decision := policy.Evaluate(pkg, facts)
	score, _ := policy.Score(*pkg.Scoring, facts)
	a := Application{ID: talent.NewID(), RoundID: roundID, UserID: actor.ID, PersonIndex: person.PersonIndex,
		Preferences: in.Preferences, HouseholdSize: in.HouseholdSize, OwnsHome: in.OwnsHome, Score: score,
		Applicant: talent.MaskPerson(person.Name, person.NationalIDMasked),
		Decision:  decision, Status: AppIneligible, CreatedAt: now, UpdatedAt: now}
	template := "application.ineligible"
	if decision.Outcome == policy.Eligible {
		a.Status, a.Active, template = AppEligible, true, "application.eligible"
	}
	note := talent.NotifyRequest{
		UserID: actor.ID, EventID: "application:" + a.ID, Template: template, Params: map[string]string{"round": r.Name},
		Link: "anju://housing/applications/" + a.ID,
	}
	return a, s.RoundStore.CreateApplication(ctx, a, []talent.Task{note})
}

// CloseDue closes every round whose window has ended (periodic job).
func (s *Rounds) CloseDue(ctx context.Context) error {
	now := s.now()
	return talent.SweepIDs(ctx, "rounds:close",
		func(ctx context.Context, after string) ([]string, error) {
			return s.RoundStore.DueRounds(ctx, now, after)
		},
		func(ctx context.Context, id string) error {
			_, err := s.close(ctx, id)
			return err
		})
}

// CloseRound ends the window early or on time (housing).
func (s *Rounds) CloseRound(ctx context.Context, actor talent.User, id string) (Round, error) {
	if err := requireHousing(actor); err != nil {
		return Round{}, err
	}
	return s.close(ctx, id)
}

// close freezes the pool of eligible applications and publishes its hash.
func (s *Rounds) close(ctx context.Context, id string) (Round, error) {
	units, err := s.RoundStore.RoundUnits(ctx, id)
	if err != nil {
		return Round{}, err
	}
	return s.RoundStore.UpdateRound(ctx, id, func(r *Round, apps []Application) (Change, error) {
		if err := RoundTransitions.Apply(&r.Status, RoundClose, CodeRoundNotOpen); err != nil {
			return Change{}, err
		}
		pool := draw.Pool{RoundID: r.ID}
		for _, u := range units {
			pool.Units = append(pool.Units, draw.Unit{ID: u.ID, PropertyID: u.PropertyID, Layout: string(u.Layout)})
		}
		for _, a := range apps {
			if a.Status == AppEligible {
				pool.Applications = append(pool.Applications, draw.Application{ID: a.ID, Applicant: a.Applicant,
					Score: a.Score, Preferences: a.Preferences, HouseholdSize: a.HouseholdSize})
			}
		}
		if err := draw.Validate(pool); err != nil {
			return Change{}, err
		}
		now := s.now()
		r.Pool, r.PoolHash, r.ClosedAt = &pool, draw.PoolHash(pool), &now
		return Change{}, nil
	})
}

// Draw reveals the seed, allocates the frozen pool and publishes the record
// (housing). A published draw cannot be run again.
func (s *Rounds) Draw(ctx context.Context, actor talent.User, id string) (Round, error) {
	if err := requireHousing(actor); err != nil {
		return Round{}, err
	}
	return s.RoundStore.UpdateRound(ctx, id, func(r *Round, apps []Application) (Change, error) {
		if !RoundTransitions.Allows(r.Status, RoundDraw) {
			return Change{}, talent.Errorf(talent.KindConflict, CodeRoundNotClosed, "the round is %s; a draw runs once, after the close", r.Status)
		}
		hexSeed, err := s.Vault.Open(talent.SealedRoundSeed, r.ID, r.SealedSeed)
		if err != nil {
			return Change{}, err
		}
		seed, err := hex.DecodeString(hexSeed)
		if err != nil {
			return Change{}, err
		}
		now := s.now()
		rec, err := draw.Publish(*r.Pool, seed, now)
		if err != nil {
			return Change{}, err
		}
		r.Status, _ = RoundTransitions.Next(r.Status, RoundDraw)
		r.Record, r.DrawnAt = &rec, &now
		result := map[string]draw.Ranked{}
		for _, x := range rec.Result {
			result[x.ApplicationID] = x
		}
		var change Change
		for _, a := range apps {
			x, ok := result[a.ID]
			if !ok {
				continue
			}
			ev, template := AppDrawWaitlist, "draw.waitlisted"
			if x.UnitID != "" {
				ev, template = AppDrawAllocate, "draw.allocated"
			}
			if err := ApplicationTransitions.Apply(&a.Status, ev, CodeApplicationStatusConflict); err != nil {
				return Change{}, err
			}
			a.UnitID, a.Rank, a.UpdatedAt = x.UnitID, x.Rank, now
			if x.UnitID != "" {
				change.offer(s.newOffer(r.ID, a, x.UnitID, "draw", "", talent.SystemID, now), UnitOffer)
				change.Entries = append(change.Entries, talent.Entry{ID: a.ID, Kind: talent.EntryRound, RoundID: r.ID,
					Person: x.Applicant, Package: r.Name, StartsAt: now, EndsAt: s.Calendar.AddWorkingDays(now, noticeDays),
					Status: talent.EntryOpen, CreatedAt: now})
			}
			change.Applications = append(change.Applications, a)
			change.notify(a.UserID, "draw:"+a.ID, template, "anju://housing/rounds/"+r.ID+"/draw",
				map[string]string{"round": r.Name, "rank": strconv.Itoa(x.Rank)})
		}
		return change, nil
	})
}

// Application returns an application to its applicant or to housing staff.
func (s *Rounds) Application(ctx context.Context, actor talent.User, id string) (Application, error) {
	a, err := s.RoundStore.Application(ctx, id)
	if err != nil {
		return Application{}, err
	}
	if a.UserID != actor.ID && requireHousing(actor) != nil {
		return Application{}, talent.NotFound(CodeApplicationNotFound)
	}
	return a, nil
}

// List returns rounds with their public commitments; anyone signed in may see them.
func (s *Rounds) List(ctx context.Context, page talent.Page) ([]Round, string, error) {
	return s.RoundStore.Rounds(ctx, page)
}

// Record returns a round's published draw record.
func (s *Rounds) Record(ctx context.Context, id string) (draw.Record, error) {
	r, err := s.RoundStore.Round(ctx, id)
	if err != nil {
		return draw.Record{}, err
	}
	if r.Record == nil {
		return draw.Record{}, talent.Errorf(talent.KindNotFound, CodeDrawNotPublished, "the draw of this round is not published yet")
	}
	return *r.Record, nil
}

// NoticeLine is one line of a round's public notice (公示).
type NoticeLine struct {
	Rank      int
	Applicant string // masked
	Score     int
	UnitID    string
}

// Notice is a drawn round's result as published: the draw's proof and the
// ranked, masked list. Anyone signed in may read it.
func (s *Rounds) Notice(ctx context.Context, id string) (Round, []NoticeLine, error) {
	r, err := s.RoundStore.Round(ctx, id)
	if err != nil {
		return Round{}, nil, err
	}
	if r.Record == nil {
		return Round{}, nil, talent.Errorf(talent.KindNotFound, CodeDrawNotPublished, "the draw of this round is not published yet")
	}
	lines := make([]NoticeLine, len(r.Record.Result))
	for i, x := range r.Record.Result {
		lines[i] = NoticeLine{Rank: x.Rank, Applicant: x.Applicant, Score: x.Score, UnitID: x.UnitID}
	}
	return r, lines, nil
}
