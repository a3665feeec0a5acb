// Package account is the graduate's and the staff member's account: the
// profile with its sealed personal data, uploaded documents, the declared
// employment and HR's answer, the inbox with push, and the admin's side
// (roles, employers, talent tiers). The other modules read what they need
// of it through small ports of their own, which Service implements.
package account

import (
	"context"
	"log/slog"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// UserStore keeps accounts and their staff roles. Errors: KindNotFound
// (talent.CodeUserNotFound), KindInvalid (CodeEmployerUnknown for an hr grant
// naming no employer), KindUnavailable.
type UserStore interface {
	// SignIn returns the user with this Firebase uid, creating it as a
	// graduate on first sign-in. admin grants the admin role as well
	// (bootstrap); an existing admin grant is kept. It writes nothing when
	// the user exists with the roles asked for.
	SignIn(ctx context.Context, firebaseUID string, admin bool) (talent.User, error)
	// UserByFirebaseUID returns the user with this Firebase uid, creating
	// nothing; KindNotFound when there is none.
	UserByFirebaseUID(ctx context.Context, firebaseUID string) (talent.User, error)
	// User returns a user by id.
	User(ctx context.Context, id string) (talent.User, error)
	// GrantRole adds or replaces a role grant.
	GrantRole(ctx context.Context, userID string, grant talent.RoleGrant, grantedBy string) (talent.User, error)
	// RevokeRole removes a role grant; revoking a role not held is not an error.
	RevokeRole(ctx context.Context, userID string, role talent.Role, by string) (talent.User, error)
	// SearchUsers lists the users q matches (every condition set), with
	// their profiles, newest account first.
	SearchUsers(ctx context.Context, q UserQuery, page talent.Page) ([]UserMatch, string, error)
	talent.Directory
}

// UserCache keeps signed-in users and their own stored profile between
// requests, so that a request reads no row to learn who is calling. Service
// invalidates a user after every change to their roles, locale or profile.
type UserCache interface {
	// Load returns the cached user with this Firebase uid, or calls load
	// and keeps its answer unless the user was invalidated meanwhile.
	Load(ctx context.Context, firebaseUID string, load func(context.Context) (talent.User, error)) (talent.User, error)
	// Profile is Load for the stored profile of the user with this id.
	Profile(ctx context.Context, userID string, load func(context.Context) (talent.ProfileRecord, error)) (talent.ProfileRecord, error)
	// Invalidate drops the user with this id from the cache of every
	// replica. Whatever changes a user's roles, locale or profile calls it
	// (other modules through internal/app).
	Invalidate(ctx context.Context, userID string)
}

// Presence records when users were last seen, off the request path: Seen
// never blocks and never fails, and the time is written in batches.
type Presence interface {
	Seen(userID string, at time.Time)
}

// ProfileStore keeps profiles. Errors: KindNotFound (talent.CodeProfileNotFound)
// when none was saved yet, KindConflict (CodeNationalIDTaken), KindUnavailable.
type ProfileStore interface {
	// Profile returns the stored profile.
	Profile(ctx context.Context, userID string) (talent.ProfileRecord, error)
	// SaveProfile replaces the profile and the user's locale. A non-nil
	// declare is a new employment declaration: in the same transaction it
	// supersedes the user's live one and is inserted, the audit rows are
	// appended and the tasks written to the outbox.
	SaveProfile(ctx context.Context, rec talent.ProfileRecord, declare *talent.Employment, audit []talent.Audit, tasks []talent.Task) error
	// ProposeTier stores a proposed talent tier with its audit row;
	// KindConflict (CodeTierPending) while another waits for the graduate.
	ProposeTier(ctx context.Context, c TierCertification, audit talent.Audit) error
	// DecideTier runs fn on the certification under a row lock and saves it
	// with fn's audit rows and tasks; an approved tier becomes the
	// profile's in the same transaction.
	DecideTier(ctx context.Context, id string, fn func(*TierCertification) ([]talent.Audit, []talent.Task, error)) (TierCertification, error)
	// TierCertifications lists certifications in a status, newest first.
	TierCertifications(ctx context.Context, status TierStatus, page talent.Page) ([]TierCertification, string, error)
	// CorrectIdentity replaces a profile's national ID (sealed), its blind
	// index and the birth date, and moves the person's claims and
	// applications to the new index, with the audit and tasks, in one
	// transaction. SaveProfile refuses such a change (CodeIdentityFrozen)
	// once a claim, application, lease or filed hire depends on it.
	CorrectIdentity(ctx context.Context, userID, sealed, index string, birth time.Time, audit []talent.Audit, tasks []talent.Task) error
}

// EmployerStore keeps employers. Errors: KindNotFound
// (talent.CodeEmployerNotFound), KindConflict (CodeCreditCodeTaken).
type EmployerStore interface {
	CreateEmployer(ctx context.Context, e talent.Employer) error
	// Employers lists employers whose name or credit code contains query.
	Employers(ctx context.Context, query string, page talent.Page) ([]talent.Employer, string, error)
	// EmployerByCreditCode finds an employer by its normalised code.
	EmployerByCreditCode(ctx context.Context, code string) (talent.Employer, error)
}

// EmploymentRecord is an employment with the declaring graduate's stored profile.
type EmploymentRecord struct {
	Employment talent.Employment
	Profile    talent.ProfileRecord
}

// EmploymentStore keeps declared employments. Errors: KindNotFound
// (talent.CodeEmploymentNotFound), KindMalformed (a bad cursor).
type EmploymentStore interface {
	Employment(ctx context.Context, id string) (talent.Employment, error)
	// CurrentEmployment returns the user's latest declaration.
	CurrentEmployment(ctx context.Context, userID string) (talent.Employment, error)
	// EmploymentRequests lists an employer's employments in a status, in
	// the filter's order, each with the declaring graduate's profile. The
	// cursor carries the order and the last row's key in it; a cursor of
	// another order is KindMalformed.
	EmploymentRequests(ctx context.Context, f EmploymentFilter, page talent.Page) ([]EmploymentRecord, string, error)
	// UpdateEmployment runs fn under a row lock and saves the employment and
	// the tasks fn returns in one transaction; when fn fails nothing is written.
	UpdateEmployment(ctx context.Context, id string, fn func(*talent.Employment) ([]talent.Task, error)) (talent.Employment, error)
}

// DocumentStore keeps document metadata (the bytes are in the ObjectStore).
// Errors: KindNotFound (talent.CodeDocumentNotFound), KindMalformed.
type DocumentStore interface {
	CreateDocument(ctx context.Context, d talent.Document) error
	Document(ctx context.Context, id string) (talent.Document, error)
	// Documents lists an owner's documents, newest first.
	Documents(ctx context.Context, ownerID string, page talent.Page) ([]talent.Document, string, error)
	// UpdateDocument runs fn on the document under a row lock and saves the
	// document and the tasks fn returns in one transaction.
	UpdateDocument(ctx context.Context, id string, fn func(*talent.Document) ([]talent.Task, error)) (talent.Document, error)
}

// InboxStore keeps devices, inbox entries and which pushes were delivered.
// Errors: KindNotFound (talent.CodeNotificationNotFound), KindMalformed.
type InboxStore interface {
	// SaveDevice registers or refreshes a device token for a user. A token
	// bound to another user moves only if that binding was last seen
	// before idleSince; otherwise KindConflict (CodeDeviceTokenTaken).
	SaveDevice(ctx context.Context, d talent.Device, idleSince time.Time) error
	// DeleteDevice removes a user's device token; an absent token is not an error.
	DeleteDevice(ctx context.Context, userID, token string) error
	// DeleteDeviceToken removes a token FCM reported as gone, whoever held it.
	DeleteDeviceToken(ctx context.Context, token string) error
	// Devices lists a user's devices.
	Devices(ctx context.Context, userID string) ([]talent.Device, error)
	// AddNotification stores an inbox entry; when the user already has one
	// for the same EventID it returns that one instead.
	AddNotification(ctx context.Context, n talent.Notification) (talent.Notification, error)
	// Notifications lists a user's inbox, newest first.
	Notifications(ctx context.Context, userID string, page talent.Page) ([]talent.Notification, string, error)
	// MarkNotificationRead sets ReadAt once; KindNotFound for another user's entry.
	MarkNotificationRead(ctx context.Context, userID, id string, at time.Time) (talent.Notification, error)
	// PushedTokens lists the device tokens a notification was already pushed to.
	PushedTokens(ctx context.Context, notificationID string) ([]string, error)
	// WithPushLock runs fn as the only deliverer of a notification's
	// pushes (until fn returns or its process dies), so that two tasks for
	// one event (a retry racing a re-drive) do not both push to a device;
	// the store's calls fn makes with the context it is given take no
	// second connection.
	WithPushLock(ctx context.Context, notificationID string, fn func(ctx context.Context) error) error
	// RecordPush remembers that a notification reached a token, so a retried
	// send does not push it twice.
	RecordPush(ctx context.Context, notificationID, token string) error
}

// AccessLogStore records views of personal data and gives the log to admins.
type AccessLogStore interface {
	talent.AccessLog
	// RecordAll records several views at once (none is no-op), all or
	// nothing; KindUnavailable as Record.
	RecordAll(ctx context.Context, views []talent.Access) error
	// AccessEntries lists the log newest first, of one subject when subjectID is set.
	AccessEntries(ctx context.Context, subjectID string, page talent.Page) ([]talent.Access, string, error)
}

// Service is the account use cases. The api and the workers both call it,
// so a rule lives in one place whichever side triggers it.
type Service struct {
	UserStore       UserStore
	ProfileStore    ProfileStore
	EmployerStore   EmployerStore
	EmploymentStore EmploymentStore
	DocumentStore   DocumentStore
	InboxStore      InboxStore
	AccessLog       AccessLogStore
	Objects         talent.ObjectStore
	Pusher          talent.Pusher
	Vault           talent.Vault
	Clock           talent.Clock
	Logger          *slog.Logger
	// Users and Presence are optional: without them every sign-in reads
	// the user from the store and last-seen times are not kept.
	Users    UserCache
	Presence Presence
	// Accounts is optional: without it an email address finds nobody in
	// the admin's user search.
	Accounts Accounts

	// BootstrapAdmins are Firebase uids that become admins at sign-in, so a
	// new installation has someone to grant the other roles.
	BootstrapAdmins []string
	// StaffProviders are the sign-in providers ("password", "phone", an SSO
	// provider id...) accepted for a staff role without a second factor;
	// empty means every staff sign-in needs one (production's default).
	StaffProviders []string
	// WorkOf says whether a document is linked to a claim in a staff
	// member's work (allowance.Service.DocumentInWork); nil lets no staff
	// member read another's document.
	WorkOf func(ctx context.Context, actor talent.User, documentID string) (bool, error)
	// UploadTTL and DownloadTTL bound presigned URLs; short, since a leaked
	// URL grants access to personal documents.
	UploadTTL   time.Duration
	DownloadTTL time.Duration
}

func (s *Service) now() time.Time { return s.Clock.Now().UTC() }
