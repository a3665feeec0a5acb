package firebase

import (
	"context"
	"errors"
	"fmt"
	"time"

	"firebase.google.com/go/v4/auth"

	"github.com/anju-city/anju/internal/talent"
)

// maxTokenBytes bounds what Verify hands to the SDK. Firebase ID tokens are
// 1–2 KB (custom claims add at most 1000 bytes); anything much larger is not
// one, and decoding it would only cost memory.
const maxTokenBytes = 16 << 10

// Verifier checks Firebase ID tokens; it implements talent.Verifier.
//
// Every check is revocation-aware (VerifyIDTokenAndCheckRevoked), so each
// Verify makes one user lookup against Firebase Auth besides the local JWT
// checks. The SDK retries a 503 or network error of that lookup up to 4
// times (0s, 1s, 2s, 4s apart); bound Verify with the request's context.
//
// What the Admin SDK (v4.19) checks, in production and against the emulator
// (FIREBASE_AUTH_EMULATOR_HOST set), from auth/token_verifier.go and auth.go:
//
//	check                                   production  emulator
//	3 segments, JSON header and payload     yes         yes
//	header kid present, alg RS256           yes         NO (emulator tokens are alg "none")
//	signature against Google's certificates yes         NO, skipped entirely
//	aud == project, iss == securetoken/...  yes         yes
//	sub non-empty, at most 128 characters   yes         yes
//	iat not in the future, exp not past     yes         yes (both with 5 minutes of skew)
//	user exists (lookup)                    yes*        yes (always, even without CheckRevoked)
//	user not disabled                       yes*        yes
//	iat >= user's tokensValidAfter (revoke) yes*        yes
//
// (*) because Verify always uses VerifyIDTokenAndCheckRevoked.
// So against the emulator anyone can forge a token for an existing uid;
// that is what makes the emulator convenient for tests, and why the
// emulator variable must never reach production. Revocation compares whole
// seconds: a token issued in the same second as the revocation survives it.
type Verifier struct {
	client *auth.Client
}

// NewVerifier builds a Verifier with the Admin SDK. Outside the emulator it
// needs credentials (CredentialsFile or Application Default Credentials)
// because the revocation check reads the user record.
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	app, err := newApp(ctx, cfg)
	if err != nil {
		return nil, err
	}
	client, err := app.Auth(ctx)
	if err != nil {
		return nil, fmt.Errorf("firebase: auth client: %w", err)
	}
	return &Verifier{client: client}, nil
}

// Verify returns the identity a valid, unrevoked ID token names. Email is
// set only when the token says the address is verified: an email/password
// account can claim any address, and Anju must not trust one it did not
// prove. Phone is always verified by Firebase (by SMS, or set by an admin).
func (v *Verifier) Verify(ctx context.Context, idToken string) (talent.Identity, error) {
	if idToken == "" {
		return talent.Identity{}, talent.Errorf(talent.KindUnauthenticated, talent.CodeTokenMissing, "no sign-in token")
	}
	if len(idToken) > maxTokenBytes {
		return talent.Identity{}, talent.Errorf(talent.KindUnauthenticated, talent.CodeTokenInvalid, "sign-in token is too long")
	}
	tok, err := v.client.VerifyIDTokenAndCheckRevoked(ctx, idToken)
	if err != nil {
		return talent.Identity{}, verifyError(err)
	}
	id := talent.Identity{UID: tok.UID}
	if tok.AuthTime > 0 {
		id.AuthTime = time.Unix(tok.AuthTime, 0)
	}
	if phone, ok := tok.Claims["phone_number"].(string); ok {
		id.Phone = phone
	}
	if email, ok := tok.Claims["email"].(string); ok {
		if verified, ok := tok.Claims["email_verified"].(bool); ok && verified {
			id.Email = email
		}
	}
	return id, nil
}

// verifyError maps an Admin SDK error to a talent.Error. The SDK's message
// is not kept for unauthenticated errors: it can quote the token's claims.
// Anything that is not clearly the token's fault is KindUnavailable, never
// KindUnauthenticated, because the app signs the user out on the latter.
func verifyError(err error) error {
	unauth := func(code talent.Code, msg string) error {
		return talent.Errorf(talent.KindUnauthenticated, code, "%s", msg)
	}
	// The revoked, expired and disabled checks come first: IsIDTokenInvalid
	// is true for all of them too.
	switch {
	case auth.IsIDTokenRevoked(err):
		return unauth(talent.CodeTokenRevoked, "sign-in token was revoked")
	case auth.IsUserDisabled(err):
		return unauth(talent.CodeUserDisabled, "user is disabled")
	case auth.IsIDTokenExpired(err):
		return unauth(talent.CodeTokenExpired, "sign-in token has expired")
	case auth.IsUserNotFound(err):
		return unauth(talent.CodeUserNotFound, "the token's user does not exist")
	case auth.IsIDTokenInvalid(err), auth.IsTenantIDMismatch(err):
		return unauth(talent.CodeTokenInvalid, "sign-in token is invalid")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return talent.Errorf(talent.KindUnavailable, talent.CodeIdentityUnavailable, "identity check interrupted: %v", err)
	}
	// Certificate fetch failures, network errors, 5xx and our own credentials
	// being refused all land here.
	return talent.Errorf(talent.KindUnavailable, talent.CodeIdentityUnavailable, "identity service failed: %v", err)
}

var _ talent.Verifier = (*Verifier)(nil)
