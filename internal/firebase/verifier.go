package firebase

import (
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"firebase.google.com/go/v4/auth"
	lru "github.com/hashicorp/golang-lru/v2"

	"github.com/anju-city/anju/internal/revocation"
	"github.com/anju-city/anju/internal/talent"
)

// maxTokenBytes bounds what Verify decodes. Firebase ID tokens are 1–2 KB
// (custom claims add at most 1000 bytes); anything much larger is not one,
// and decoding it would only cost memory.
const maxTokenBytes = 16 << 10

// Verifier checks Firebase ID tokens; it implements talent.Verifier.
//
// A token is checked in two steps. First, locally: the Admin SDK's
// VerifyIDToken checks the signature against Google's public keys (fetched
// once and cached for as long as Google's Cache-Control says, about six
// hours), the algorithm, aud, iss, sub, iat and exp, with no network call.
// Then revocation: whether the user still exists, is not disabled and did
// not have their sessions revoked after the token was issued. That needs
// the user record from Firebase Auth; a Verifier built with a
// revocation.Cache (UseRevocationCache) asks at most once per user per
// revocation delay across all replicas, one without it on every Verify.
//
// What is checked, in production and against the emulator
// (Config.AuthEmulatorHost set):
//
//	check                                   production   emulator
//	3 segments, JSON header and payload     SDK          here
//	header kid present, alg RS256           SDK          NO (emulator tokens are alg "none")
//	signature against Google's certificates SDK          NO
//	aud == project, iss == securetoken/...  SDK          here
//	sub non-empty, at most 128 characters   SDK          here
//	iat not in the future, exp not past     SDK          here (both with 5 minutes of skew)
//	user exists, not disabled, not revoked  revocation   revocation
//
// Against the emulator the SDK's own VerifyIDToken would look the user up
// on every call, so the same claim checks are made here instead; the user
// lookup then goes through the same revocation cache as in production.
// Anyone can forge an emulator token for an existing uid; that is what
// makes the emulator convenient for tests, and why the emulator must never
// be configured in production (cmd/anju refuses it). Revocation compares
// whole seconds: a token issued in the same second as the revocation
// survives it.
type Verifier struct {
	client    *auth.Client
	projectID string
	emulator  bool
	now       func() time.Time
	revoked   interface {
		Check(ctx context.Context, uid string, issuedAt time.Time) error
	}
	// verified remembers tokens whose signature and claims were checked,
	// by SHA-256 of the token, until they expire: the app sends the same
	// token for an hour, and decoding and checking it again (an RSA
	// verification in production) is most of a cached request's cost.
	// Revocation is still checked on every Verify.
	verified *lru.Cache[[sha256.Size]byte, verifiedToken]
}

// verifiedTokens bounds the tokens remembered (about 150 bytes each).
const verifiedTokens = 100_000

// verifiedToken is what Verify needs of a checked token.
type verifiedToken struct {
	uid, phone, email      string
	provider, secondFactor string
	issued, expires        time.Time
	authTime               time.Time // when the user last signed in, for operations that need a recent sign-in
}

// NewVerifier builds a Verifier with the Admin SDK. Outside the emulator it
// needs credentials (CredentialsFile or Application Default Credentials)
// because the revocation check reads the user record. Until
// UseRevocationCache, every Verify looks the user up.
func NewVerifier(ctx context.Context, cfg Config) (*Verifier, error) {
	app, err := newApp(ctx, cfg)
	if err != nil {
		return nil, err
	}
	client, err := app.Auth(ctx)
	if err != nil {
		return nil, fmt.Errorf("firebase: auth client: %w", err)
	}
	verified, _ := lru.New[[sha256.Size]byte, verifiedToken](verifiedTokens) // only fails for a size <= 0
	v := &Verifier{client: client, projectID: cfg.ProjectID, emulator: cfg.AuthEmulatorHost != "", now: time.Now, verified: verified}
	v.revoked = uncached{v}
	return v, nil
}

// UseRevocationCache makes Verify answer revocation from c. c is built over
// v (v implements revocation.Source).
func (v *Verifier) UseRevocationCache(c *revocation.Cache) { v.revoked = c }

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
	key := sha256.Sum256([]byte(idToken))
	tok, ok := v.verified.Get(key)
	if !ok || v.now().After(tok.expires.Add(clockSkew)) {
		var err error
		if tok, err = v.check(ctx, idToken); err != nil {
			return talent.Identity{}, err
		}
		v.verified.Add(key, tok)
	}
	if err := v.revoked.Check(ctx, tok.uid, tok.issued); err != nil {
		return talent.Identity{}, err
	}
	return talent.Identity{UID: tok.uid, Phone: tok.phone, Email: tok.email, AuthTime: tok.authTime,
		Provider: tok.provider, SecondFactor: tok.secondFactor}, nil
}

// check verifies a token's signature and claims (see Verifier).
func (v *Verifier) check(ctx context.Context, idToken string) (verifiedToken, error) {
	var tok *auth.Token
	var err error
	if v.emulator {
		tok, err = v.emulatorToken(idToken)
	} else {
		tok, err = v.client.VerifyIDToken(ctx, idToken)
	}
	if err != nil {
		return verifiedToken{}, verifyError(err)
	}
	out := verifiedToken{uid: tok.UID, issued: time.Unix(tok.IssuedAt, 0), expires: time.Unix(tok.Expires, 0)}
	if tok.AuthTime > 0 {
		out.authTime = time.Unix(tok.AuthTime, 0)
	}
	if phone, ok := tok.Claims["phone_number"].(string); ok {
		out.phone = phone
	}
	// How the user signed in, for the sign-in rules of account.SignIn.
	if fb, ok := tok.Claims["firebase"].(map[string]any); ok {
		out.provider, _ = fb["sign_in_provider"].(string)
		out.secondFactor, _ = fb["sign_in_second_factor"].(string)
	}
	if email, ok := tok.Claims["email"].(string); ok {
		if verified, ok := tok.Claims["email_verified"].(bool); ok && verified {
			out.email = email
		}
	}
	return out, nil
}

// Lookup implements revocation.Source with the user records from Firebase
// Auth: one HTTP call to Google, or to the emulator, for up to 100 users.
func (v *Verifier) Lookup(ctx context.Context, uids []string) (map[string]revocation.State, error) {
	ids := make([]auth.UserIdentifier, len(uids))
	for i, uid := range uids {
		ids[i] = auth.UIDIdentifier{UID: uid}
	}
	res, err := v.client.GetUsers(ctx, ids)
	if err != nil {
		return nil, verifyError(err)
	}
	out := make(map[string]revocation.State, len(uids))
	for _, u := range res.Users {
		out[u.UID] = revocation.State{ValidAfter: time.UnixMilli(u.TokensValidAfterMillis), Disabled: u.Disabled}
	}
	for _, id := range res.NotFound {
		if uid, ok := id.(auth.UIDIdentifier); ok {
			out[uid.UID] = revocation.State{Missing: true}
		}
	}
	return out, nil
}

// uncached checks revocation with a lookup on every call.
type uncached struct{ v *Verifier }

func (u uncached) Check(ctx context.Context, uid string, issuedAt time.Time) error {
	states, err := u.v.Lookup(ctx, []string{uid})
	if err != nil {
		return err
	}
	s, err := revocation.For(states, uid)
	if err != nil {
		return err
	}
	return s.Check(issuedAt)
}

// clockSkew is the Admin SDK's allowance for clocks that disagree.
const clockSkew = 5 * time.Minute

// Errors of emulatorToken, told apart by verifyError.
var (
	errTokenExpired = errors.New("token has expired")
	errTokenInvalid = errors.New("invalid emulator token")
)

// emulatorToken makes the Admin SDK's claim checks on an unsigned
// emulator token (see Verifier), without the user lookup the SDK adds in
// emulator mode.
func (v *Verifier) emulatorToken(idToken string) (*auth.Token, error) {
	invalid := errTokenInvalid
	parts := strings.Split(idToken, ".")
	if len(parts) != 3 {
		return nil, invalid
	}
	var header struct {
		Alg string `json:"alg"`
	}
	var tok auth.Token
	var claims map[string]any
	if decodeSegment(parts[0], &header) != nil || decodeSegment(parts[1], &tok) != nil || decodeSegment(parts[1], &claims) != nil {
		return nil, invalid
	}
	now := v.now()
	switch {
	case tok.Audience != v.projectID, tok.Issuer != "https://securetoken.google.com/"+v.projectID,
		tok.Subject == "", len(tok.Subject) > 128:
		return nil, invalid
	case time.Unix(tok.IssuedAt, 0).After(now.Add(clockSkew)):
		return nil, invalid
	case time.Unix(tok.Expires, 0).Add(clockSkew).Before(now):
		return nil, errTokenExpired
	}
	tok.UID = tok.Subject
	for _, standard := range []string{"iss", "aud", "exp", "iat", "sub", "uid"} {
		delete(claims, standard)
	}
	tok.Claims = claims
	return &tok, nil
}

func decodeSegment(s string, v any) error {
	b, err := base64.RawURLEncoding.DecodeString(strings.TrimRight(s, "="))
	if err != nil {
		return err
	}
	return json.Unmarshal(b, v)
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
	case auth.IsIDTokenExpired(err), errors.Is(err, errTokenExpired):
		return unauth(talent.CodeTokenExpired, "sign-in token has expired")
	case auth.IsUserNotFound(err):
		return unauth(talent.CodeUserNotFound, "the token's user does not exist")
	case auth.IsIDTokenInvalid(err), auth.IsTenantIDMismatch(err), errors.Is(err, errTokenInvalid):
		return unauth(talent.CodeTokenInvalid, "sign-in token is invalid")
	case errors.Is(err, context.Canceled), errors.Is(err, context.DeadlineExceeded):
		return talent.Errorf(talent.KindUnavailable, talent.CodeIdentityUnavailable, "identity check interrupted: %v", err)
	}
	// Certificate fetch failures, network errors, 5xx and our own credentials
	// being refused all land here.
	return talent.Errorf(talent.KindUnavailable, talent.CodeIdentityUnavailable, "identity service failed: %v", err)
}

var (
	_ talent.Verifier   = (*Verifier)(nil)
	_ revocation.Source = (*Verifier)(nil)
)
