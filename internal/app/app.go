// Package app builds Anju's application graph once: every module wired to
// its ports, for the api, the workers, the command line and the tests
// alike. It holds no rules of its own; those live in the modules.
package app

import (
	"fmt"
	"log/slog"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/calendar"
	"github.com/anju-city/anju/internal/talent/catalog"
	"github.com/anju-city/anju/internal/talent/employers"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/anju-city/anju/internal/talent/publicity"
)

// Stores are the adapters of every module's storage ports (internal/postgres
// gives them all on one pool).
type Stores struct {
	Users       account.UserStore
	Profiles    account.ProfileStore
	Employers   EmployerStore
	Employments account.EmploymentStore
	Documents   account.DocumentStore
	Inbox       account.InboxStore
	Policies    catalog.Store
	Claims      allowance.ClaimStore
	Payments    allowance.PaymentStore
	Batches     allowance.BatchStore
	Clawbacks   allowance.ClawbackStore
	Inventory   housing.InventoryStore
	Rounds      housing.RoundStore
	Offers      housing.OfferStore
	Leases      LeaseStore
	Corrections housing.CorrectionStore
	Publicity   publicity.Store
	AccessLog   account.AccessLogStore
	// HousingLists are the housing officer's lists of applications and leases.
	HousingLists HousingListStore
}

// HousingListStore lists what housing staff read across rounds and leases.
type HousingListStore interface {
	housing.ApplicationListStore
	housing.LeaseListStore
}

// EmployerStore is the employers adapter: account reads employers from it,
// and the employer's office keeps registrations, invitations, nominations
// and filings in it.
type EmployerStore interface {
	account.EmployerStore
	employers.Store
}

// LeaseStore is the leases adapter, which housing keeps and the claims
// workflow asks whether a graduate holds one.
type LeaseStore interface {
	housing.LeaseStore
	allowance.Leases
}

// Settings are the figures an installation sets.
type Settings struct {
	// City is matched against the household-registration place to tell
	// out-of-town graduates, e.g. "慈溪".
	City string
	// BootstrapAdmins are Firebase uids that become admins at sign-in.
	BootstrapAdmins []string
	// StaffProviders: sign-in providers accepted for staff without a
	// second factor (account.Service.StaffProviders).
	StaffProviders []string
	// UploadTTL and DownloadTTL bound presigned URLs.
	UploadTTL   time.Duration
	DownloadTTL time.Duration
}

// Deps are what the application is built from.
type Deps struct {
	Stores  Stores
	Objects talent.ObjectStore
	// Pusher delivers push notifications (FCM, or a log in development);
	// PushByPlatform routes a device platform ("harmony", say) to another
	// channel instead.
	Pusher         talent.Pusher
	PushByPlatform map[string]talent.Pusher
	Vault          talent.Vault
	Clock          talent.Clock
	Logger         *slog.Logger
	Settings       Settings
	// Users caches signed-in users and Presence records when they were
	// last seen; both optional (the API process has them).
	Users    account.UserCache
	Presence account.Presence
	// Calendar and Policies default to the embedded working-day calendar
	// and policy packages.
	Calendar *calendar.Calendar
	Policies []policy.Package
}

// App is every module, wired once.
type App struct {
	Account   *account.Service
	Catalog   *catalog.Catalog
	Allowance *allowance.Service
	Housing   *housing.Service
	Rounds    *housing.Rounds
	Leases    *housing.Leases
	Publicity *publicity.Service
	Employers *employers.Service
	Clock     talent.Clock
	Logger    *slog.Logger
}

// New builds the application. It connects nothing and starts nothing, so a
// process can build it while a dependency is still coming up.
func New(d Deps) (*App, error) {
	if d.Calendar == nil {
		cal, err := calendar.Default()
		if err != nil {
			return nil, fmt.Errorf("working-day calendar: %w", err)
		}
		d.Calendar = cal
	}
	if d.Policies == nil {
		pkgs, err := policy.DefaultPackages()
		if err != nil {
			return nil, fmt.Errorf("default policy packages: %w", err)
		}
		d.Policies = pkgs
	}
	if d.Clock == nil {
		d.Clock = SystemClock{}
	}
	s := d.Stores
	a := &App{Clock: d.Clock, Logger: d.Logger}
	a.Account = &account.Service{
		UserStore: s.Users, ProfileStore: s.Profiles, EmployerStore: s.Employers, EmploymentStore: s.Employments,
		DocumentStore: s.Documents, InboxStore: s.Inbox, AccessLog: s.AccessLog, Objects: d.Objects,
		Pusher: route(d.Pusher, d.PushByPlatform),
		Vault:  d.Vault, Clock: d.Clock, Logger: d.Logger, Users: d.Users, Presence: d.Presence,
		BootstrapAdmins: d.Settings.BootstrapAdmins, StaffProviders: d.Settings.StaffProviders, UploadTTL: d.Settings.UploadTTL, DownloadTTL: d.Settings.DownloadTTL,
	}
	a.Catalog = catalog.New(s.Policies, d.Clock, d.Policies)
	a.Allowance = &allowance.Service{
		ClaimStore: s.Claims, PaymentStore: s.Payments, BatchStore: s.Batches, ClawbackStore: s.Clawbacks, Catalog: a.Catalog, People: a.Account,
		Employments: s.Employments, Documents: s.Documents, Staff: s.Users, Notifier: a.Account, Leases: s.Leases,
		AccessLog: s.AccessLog, Objects: d.Objects, Vault: d.Vault, Clock: d.Clock, Calendar: d.Calendar,
		City: d.Settings.City, PreviewTTL: d.Settings.DownloadTTL,
	}
	a.Account.WorkOf = a.Allowance.DocumentInWork
	a.Housing = &housing.Service{Inventory: s.Inventory, Clock: d.Clock}
	a.Rounds = &housing.Rounds{
		RoundStore: s.Rounds, OfferStore: s.Offers, CorrectionStore: s.Corrections, Catalog: a.Catalog,
		People: a.Account, Facts: a.Allowance, Staff: s.Users, Vault: d.Vault, Clock: d.Clock, Calendar: d.Calendar,
		Lists: s.HousingLists,
	}
	a.Leases = &housing.Leases{LeaseStore: s.Leases, Lists: s.HousingLists, Employments: s.Employments, Vault: d.Vault, Clock: d.Clock}
	a.Publicity = &publicity.Service{Store: s.Publicity, Claims: a.Allowance, Rounds: a.Rounds, Clock: d.Clock}
	var employerStore employers.Store = s.Employers
	if d.Users != nil {
		employerStore = employerChanges{Store: s.Employers, users: d.Users}
	}
	a.Employers = &employers.Service{Store: employerStore, Staff: s.Users, Employments: s.Employments, Declarer: a.Account,
		Drafts: a.Allowance, Vault: d.Vault, Clock: d.Clock}
	return a, nil
}

// SystemClock is the wall clock.
type SystemClock struct{}

// Now returns the current time.
func (SystemClock) Now() time.Time { return time.Now() }
