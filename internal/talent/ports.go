package talent

import (
	"context"
	"time"
)

// Identity is what a verified sign-in token says about its holder.
type Identity struct {
	UID   string // Firebase user id
	Phone string // E.164, when the user signed in by phone
	Email string
	// AuthTime is when the holder last signed in (the token's auth_time):
	// refreshed tokens keep it, so it tells a recent sign-in from an old
	// session. Zero when the token does not say.
	AuthTime time.Time
	// Provider is how the holder signed in (the token's
	// firebase.sign_in_provider: "phone", "password", "anonymous", ...).
	Provider string
	// SecondFactor is the second factor of the sign-in
	// (firebase.sign_in_second_factor, e.g. "phone" or "totp"), "" for none.
	SecondFactor string
}

// ProviderPhone is the sign-in provider of a phone number confirmed by SMS.
const ProviderPhone = "phone"

// Verifier checks a sign-in token.
type Verifier interface {
	// Verify returns the token's identity. It returns KindUnauthenticated
	// (CodeTokenMissing, CodeTokenInvalid, CodeTokenExpired, CodeTokenRevoked,
	// CodeUserDisabled, CodeUserNotFound) for a token that does not sign
	// anyone in, and KindUnavailable (CodeIdentityUnavailable) when the
	// identity service cannot be reached.
	Verify(ctx context.Context, idToken string) (Identity, error)
}

// UploadForm is a presigned POST policy: the app sends Fields plus the file as
// multipart/form-data to URL, and the object store enforces the policy.
type UploadForm struct {
	URL       string
	Fields    map[string]string
	ExpiresAt time.Time
}

// ObjectInfo is what inspection learns about a stored object.
type ObjectInfo struct {
	Size   int64
	SHA256 string // lowercase hex of the whole object
	Head   []byte // the first bytes, for type sniffing (up to 4 KiB)
}

// ObjectStore keeps uploaded document bytes. The API never holds them.
type ObjectStore interface {
	// PresignUpload returns a POST policy for exactly this key, content type and size.
	PresignUpload(ctx context.Context, key, contentType string, size int64, ttl time.Duration) (UploadForm, error)
	// PresignDownload returns a short-lived GET URL.
	PresignDownload(ctx context.Context, key string, ttl time.Duration) (string, error)
	// Inspect reads the object once; KindNotFound (CodeObjectNotFound) when
	// it is absent, KindUnavailable (CodeObjectStoreUnavailable) when the
	// store cannot be reached.
	Inspect(ctx context.Context, key string) (ObjectInfo, error)
	// Copy copies the object at from to to inside the store, replacing to;
	// KindNotFound (CodeObjectNotFound) when from is absent.
	Copy(ctx context.Context, from, to string) error
	// Delete removes the object; deleting an absent object is not an error.
	Delete(ctx context.Context, key string) error
}

// PushMessage is one push notification to one device.
type PushMessage struct {
	// ID identifies the notification on the device: a second message with
	// the same ID replaces the first instead of showing twice. A push is
	// recorded after it is sent, so a worker killed in between sends it
	// again when the task is retried; the ID makes that repeat harmless.
	ID       string
	Token    string
	Platform string // the device's: ios, android or harmony
	Title    string
	Body     string
	Data     map[string]string
}

// Pusher delivers push notifications. It is a port so that channels other than
// FCM can be added; the in-app inbox is the reliable channel.
type Pusher interface {
	// Push sends one message. It returns an *Error with CodePushUnregistered
	// (KindNotFound), CodePushRejected (KindInvalid), or KindUnavailable
	// (CodePushUnavailable) when the send may succeed later (quota, server
	// errors, network).
	Push(ctx context.Context, msg PushMessage) error
}

// Vault seals personal data at rest and computes blind indexes for
// uniqueness checks without storing the plain value. A sealed value is
// bound to where it lives: its field and the id of the row that owns it
// (see SealedField), so that it opens only there.
type Vault interface {
	// Seal encrypts plaintext for field f of row; the result names the key
	// used. row must be the owning row's stable id, known before the row
	// is stored.
	Seal(f SealedField, row, plaintext string) (string, error)
	// Open decrypts a value sealed for field f of row with any known key.
	// A value sealed for another field or row, tampered with, or in a
	// format the deployment no longer accepts is an error (never a
	// plaintext); its text holds no personal data.
	Open(f SealedField, row, sealed string) (string, error)
	// Index returns a keyed, deterministic digest of plaintext.
	Index(plaintext string) string
}

// Clock tells the time; tests inject a fixed one.
type Clock interface {
	Now() time.Time
}
