package talent

import (
	"context"
	"time"
)

// Follow-up task types. The store writes them to the outbox in the same
// transaction as the change that needs them; workers run them.
const (
	// TaskInspectDocument checks an uploaded document's bytes.
	TaskInspectDocument = "document:inspect"
	// TaskSendNotification writes an inbox entry and pushes it to devices.
	TaskSendNotification = "notify:send"
)

// Task is follow-up work recorded with a state change.
type Task struct {
	Type    string
	Payload any // marshalled to JSON
}

// InspectDocument is the payload of document:inspect.
type InspectDocument struct {
	DocumentID string `json:"documentId"`
}

// EmploymentRecord is an employment with the declaring graduate's stored profile.
type EmploymentRecord struct {
	Employment Employment
	Profile    ProfileRecord
}

// Page asks for one page of a list: Cursor is opaque, from the previous page.
type Page struct {
	Cursor string
	Limit  int
}

// Store is the system of record. Methods return *Error with KindNotFound for
// missing rows, KindConflict for uniqueness violations, KindMalformed for a
// bad cursor and KindUnavailable when the database cannot be reached.
type Store interface {
	// Ping checks that the database answers.
	Ping(ctx context.Context) error

	// SignIn returns the user with this Firebase uid, creating it as a
	// graduate on first sign-in. admin grants the admin role as well
	// (bootstrap); an existing admin grant is kept.
	SignIn(ctx context.Context, firebaseUID string, admin bool) (User, error)
	// User returns a user by id.
	User(ctx context.Context, id string) (User, error)
	// GrantRole adds or replaces a role grant; KindInvalid "employer_unknown"
	// when an hr grant names an employer that does not exist.
	GrantRole(ctx context.Context, userID string, grant RoleGrant, grantedBy string) (User, error)
	// RevokeRole removes a role grant; revoking a role not held is not an error.
	RevokeRole(ctx context.Context, userID string, role Role) (User, error)

	// Profile returns the stored profile; KindNotFound when none was saved yet.
	Profile(ctx context.Context, userID string) (ProfileRecord, error)
	// SaveProfile replaces the profile and the user's locale; KindConflict
	// "national_id_taken" when another account holds the same blind index.
	// A non-nil declare is a new employment declaration: in the same
	// transaction it supersedes the user's live one, is inserted, and tasks
	// are written to the outbox.
	SaveProfile(ctx context.Context, rec ProfileRecord, declare *Employment, tasks []Task) error
	// SetTalentTier records a user's certified tier; KindNotFound when the
	// user has no profile yet.
	SetTalentTier(ctx context.Context, userID, tier string) error

	// CreateEmployer stores an employer; KindConflict "credit_code_taken"
	// when the code is registered already.
	CreateEmployer(ctx context.Context, e Employer) error
	// Employers lists employers whose name or credit code contains query.
	Employers(ctx context.Context, query string, page Page) ([]Employer, string, error)
	// EmployerByCreditCode finds an employer by its normalised code.
	EmployerByCreditCode(ctx context.Context, code string) (Employer, error)
	// HRUsers lists the ids of the users who are HR of an employer.
	HRUsers(ctx context.Context, employerID string) ([]string, error)

	// Employment returns an employment by id.
	Employment(ctx context.Context, id string) (Employment, error)
	// CurrentEmployment returns the user's latest employment declaration.
	CurrentEmployment(ctx context.Context, userID string) (Employment, error)
	// EmploymentRequests lists an employer's employments in a status, newest
	// first, each with the declaring graduate's profile.
	EmploymentRequests(ctx context.Context, employerID string, status EmploymentStatus, page Page) ([]EmploymentRecord, string, error)
	// UpdateEmployment runs fn under a row lock and saves the employment and
	// the tasks fn returns in one transaction.
	UpdateEmployment(ctx context.Context, id string, fn func(*Employment) ([]Task, error)) (Employment, error)

	// CreateDocument stores a new document.
	CreateDocument(ctx context.Context, d Document) error
	// Document returns a document by id.
	Document(ctx context.Context, id string) (Document, error)
	// Documents lists an owner's documents, newest first.
	Documents(ctx context.Context, ownerID string, page Page) ([]Document, string, error)
	// UpdateDocument runs fn on the document under a row lock and saves the
	// document and the tasks fn returns in one transaction. When fn returns
	// an error nothing is written.
	UpdateDocument(ctx context.Context, id string, fn func(*Document) ([]Task, error)) (Document, error)

	// SaveDevice registers or refreshes a device token for a user.
	SaveDevice(ctx context.Context, d Device) error
	// DeleteDevice removes a user's device token; an absent token is not an error.
	DeleteDevice(ctx context.Context, userID, token string) error
	// DeleteDeviceToken removes a token FCM reported as gone, whoever held it.
	DeleteDeviceToken(ctx context.Context, token string) error
	// Devices lists a user's devices.
	Devices(ctx context.Context, userID string) ([]Device, error)

	// AddNotification stores an inbox entry; when the user already has one
	// for the same EventID it returns that one instead.
	AddNotification(ctx context.Context, n Notification) (Notification, error)
	// Notifications lists a user's inbox, newest first.
	Notifications(ctx context.Context, userID string, page Page) ([]Notification, string, error)
	// MarkNotificationRead sets ReadAt once; KindNotFound for another user's entry.
	MarkNotificationRead(ctx context.Context, userID, id string, at time.Time) (Notification, error)
	// PushedTokens lists the device tokens a notification was already pushed to.
	PushedTokens(ctx context.Context, notificationID string) ([]string, error)
	// RecordPush remembers that a notification reached a token, so a retried
	// send does not push it twice.
	RecordPush(ctx context.Context, notificationID, token string) error
}
