package firebase

import (
	"context"
	"crypto/rand"
	"fmt"
	"math/big"
	"strings"
	"sync"
	"testing"
	"time"

	fb "firebase.google.com/go/v4"
	"firebase.google.com/go/v4/auth"

	"github.com/anju-city/anju/internal/revocation"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

// emulatorEnv is what a Verifier test needs: the emulator, a Verifier in
// emulator mode, and an admin client to change users behind its back.
type emulatorEnv struct {
	emu      *Emulator
	verifier *Verifier
	admin    *auth.Client
}

// newEmulatorEnv connects to the Auth emulator, failing under CI and
// skipping elsewhere when it is missing. The Admin SDK finds the emulator
// through FIREBASE_AUTH_EMULATOR_HOST, the variable testenv reads too.
func newEmulatorEnv(t *testing.T) emulatorEnv {
	t.Helper()
	host := testenv.AuthEmulatorHost(t)
	ctx := context.Background()
	emu := &Emulator{Host: host, ProjectID: testenv.ProjectID}
	testenv.Require(t, "Firebase Auth emulator", emu.Ping(ctx))
	v, err := NewVerifier(ctx, Config{ProjectID: testenv.ProjectID, AuthEmulatorHost: host})
	if err != nil {
		t.Fatalf("NewVerifier: %v", err)
	}
	app, err := fb.NewApp(ctx, &fb.Config{ProjectID: testenv.ProjectID})
	if err != nil {
		t.Fatal(err)
	}
	admin, err := app.Auth(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return emulatorEnv{emu: emu, verifier: v, admin: admin}
}

// unique returns a fresh lowercase name, so parallel tests and repeated runs
// against a long-lived emulator never share users.
func unique(prefix string) string {
	return prefix + "-" + strings.ToLower(rand.Text()[:16])
}

// uniquePhone returns a random Singapore mobile number in E.164.
func uniquePhone(t *testing.T) string {
	t.Helper()
	n, err := rand.Int(rand.Reader, big.NewInt(10_000_000))
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("+659%07d", n.Int64())
}

// newUser creates a user with a fixed uid, verified email and a phone
// number, and returns the uid, email, phone and a fresh ID token.
func (env emulatorEnv) newUser(t *testing.T) (uid, email, phone, token string) {
	t.Helper()
	ctx := context.Background()
	uid = unique("uid")
	email = uid + "@example.com"
	phone = uniquePhone(t)
	if err := env.emu.EnsureUser(ctx, uid, email, "password-1", phone); err != nil {
		t.Fatalf("EnsureUser: %v", err)
	}
	got, token, err := env.emu.SignIn(ctx, email, "password-1")
	if err != nil || got != uid {
		t.Fatalf("SignIn: uid %q, %v", got, err)
	}
	return uid, email, phone, token
}

func wantUnauthenticated(t *testing.T, err error, code string) {
	t.Helper()
	if talent.ErrorKind(err) != talent.KindUnauthenticated || talent.ErrorCode(err) != code {
		t.Fatalf("error = %v (kind %s), want unauthenticated %s", err, talent.ErrorKind(err), code)
	}
}

func TestVerifyEmulatorToken(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	uid, email, phone, token := env.newUser(t)
	id, err := env.verifier.Verify(context.Background(), token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	// auth_time is when the user signed in: just now, to the second.
	if time.Since(id.AuthTime) > time.Minute || time.Until(id.AuthTime) > time.Minute {
		t.Errorf("auth time %v, want about now", id.AuthTime)
	}
	want := talent.Identity{UID: uid, Phone: phone, Email: email, AuthTime: id.AuthTime, Provider: "password"}
	if id != want {
		t.Errorf("identity = %+v, want %+v", id, want)
	}
}

func TestVerifyUnverifiedEmailIsDropped(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	email := unique("signup") + "@example.com"
	uid, token, err := env.emu.SignUp(context.Background(), email, "password-1")
	if err != nil {
		t.Fatalf("SignUp: %v", err)
	}
	id, err := env.verifier.Verify(context.Background(), token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if id.UID != uid || id.Email != "" || id.Phone != "" {
		t.Errorf("identity = %+v; an unverified email must not be trusted", id)
	}
}

func TestVerifyPhoneSignIn(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	phone := uniquePhone(t)
	uid, token, err := env.emu.SignInWithPhone(context.Background(), phone)
	if err != nil {
		t.Fatalf("SignInWithPhone: %v", err)
	}
	id, err := env.verifier.Verify(context.Background(), token)
	if err != nil {
		t.Fatalf("Verify: %v", err)
	}
	if id != (talent.Identity{UID: uid, Phone: phone, AuthTime: id.AuthTime, Provider: "phone"}) || id.AuthTime.IsZero() {
		t.Errorf("identity = %+v", id)
	}
}

func TestVerifyRejects(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	uid, _, _, _ := env.newUser(t)
	now := time.Now().Unix()
	forged := func(change func(map[string]any)) string {
		c := env.emu.Claims(uid)
		change(c)
		return env.emu.UnsignedToken(c)
	}
	tests := []struct {
		name  string
		token string
		code  string
	}{
		{"empty", "", talent.CodeTokenMissing.String()},
		{"garbage", "not a token", talent.CodeTokenInvalid.String()},
		{"three garbage segments", "a.b.c", talent.CodeTokenInvalid.String()},
		{"oversized", strings.Repeat("a", maxTokenBytes+1), talent.CodeTokenInvalid.String()},
		// Past the SDK's 5 minutes of clock skew.
		{"expired", forged(func(c map[string]any) { c["iat"], c["exp"] = now-7200, now-3600 }), talent.CodeTokenExpired.String()},
		{"issued in the future", forged(func(c map[string]any) { c["iat"], c["exp"] = now+3600, now+7200 }), talent.CodeTokenInvalid.String()},
		{"wrong aud", forged(func(c map[string]any) { c["aud"] = "another-project" }), talent.CodeTokenInvalid.String()},
		{"wrong iss", forged(func(c map[string]any) { c["iss"] = "https://securetoken.google.com/another-project" }), talent.CodeTokenInvalid.String()},
		{"session cookie iss", forged(func(c map[string]any) { c["iss"] = "https://session.firebase.google.com/" + testenv.ProjectID }), talent.CodeTokenInvalid.String()},
		{"no sub", forged(func(c map[string]any) { delete(c, "sub") }), talent.CodeTokenInvalid.String()},
		{"sub too long", forged(func(c map[string]any) { c["sub"] = strings.Repeat("u", 129) }), talent.CodeTokenInvalid.String()},
		{"unknown uid", forged(func(c map[string]any) { c["sub"] = unique("nobody") }), talent.CodeUserNotFound.String()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			t.Parallel()
			_, err := env.verifier.Verify(context.Background(), tt.token)
			wantUnauthenticated(t, err, tt.code)
			if tt.token != "" && strings.Contains(err.Error(), tt.token) {
				t.Errorf("error message quotes the token")
			}
		})
	}
}

func TestVerifyEmulatorTokensWithoutSignatures(t *testing.T) {
	t.Parallel()
	// Not a feature: this pins down why FIREBASE_AUTH_EMULATOR_HOST must
	// never reach production. An unsigned token for an existing user passes.
	env := newEmulatorEnv(t)
	uid, _, _, _ := env.newUser(t)
	id, err := env.verifier.Verify(context.Background(), env.emu.UnsignedToken(env.emu.Claims(uid)))
	if err != nil || id.UID != uid {
		t.Fatalf("forged emulator token: %+v, %v", id, err)
	}
}

func TestVerifyDeletedUser(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	uid, _, _, token := env.newUser(t)
	if err := env.emu.DeleteUser(context.Background(), uid); err != nil {
		t.Fatalf("DeleteUser: %v", err)
	}
	_, err := env.verifier.Verify(context.Background(), token)
	wantUnauthenticated(t, err, talent.CodeUserNotFound.String())
}

func TestVerifyDisabledUser(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	uid, _, _, token := env.newUser(t)
	if _, err := env.admin.UpdateUser(context.Background(), uid, (&auth.UserToUpdate{}).Disabled(true)); err != nil {
		t.Fatalf("disable: %v", err)
	}
	_, err := env.verifier.Verify(context.Background(), token)
	wantUnauthenticated(t, err, talent.CodeUserDisabled.String())
}

func TestVerifyRevokedToken(t *testing.T) {
	t.Parallel()
	// The emulator supports revocation: RevokeRefreshTokens sets the user's
	// validSince, and the SDK's user lookup compares the token's iat to it.
	env := newEmulatorEnv(t)
	ctx := context.Background()
	uid, email, _, token := env.newUser(t)
	if _, err := env.verifier.Verify(ctx, token); err != nil {
		t.Fatalf("Verify before revocation: %v", err)
	}
	// Both sides are whole seconds and a token issued in the revocation's
	// second stays valid, so revoke in a later second than the token's iat.
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(1100 * time.Millisecond)))
	if err := env.admin.RevokeRefreshTokens(ctx, uid); err != nil {
		t.Fatalf("RevokeRefreshTokens: %v", err)
	}
	_, err := env.verifier.Verify(ctx, token)
	wantUnauthenticated(t, err, talent.CodeTokenRevoked.String())

	// Signing in again gives a token that works.
	_, fresh, err := env.emu.SignIn(ctx, email, "password-1")
	if err != nil {
		t.Fatalf("SignIn: %v", err)
	}
	if _, err := env.verifier.Verify(ctx, fresh); err != nil {
		t.Errorf("Verify after a new sign-in: %v", err)
	}
}

func TestLookupManyUsers(t *testing.T) {
	t.Parallel()
	// One call answers for several users: an active one, a disabled one,
	// one whose sessions were revoked and one that does not exist.
	env := newEmulatorEnv(t)
	ctx := context.Background()
	active, _, _, _ := env.newUser(t)
	disabled, _, _, _ := env.newUser(t)
	revoked, _, _, _ := env.newUser(t)
	if _, err := env.admin.UpdateUser(ctx, disabled, (&auth.UserToUpdate{}).Disabled(true)); err != nil {
		t.Fatal(err)
	}
	before := time.Now().Truncate(time.Second)
	if err := env.admin.RevokeRefreshTokens(ctx, revoked); err != nil {
		t.Fatal(err)
	}
	missing := unique("uid")
	got, err := env.verifier.Lookup(ctx, []string{active, disabled, revoked, missing})
	if err != nil {
		t.Fatalf("Lookup: %v", err)
	}
	if len(got) != 4 {
		t.Fatalf("answers for %d users, want 4: %+v", len(got), got)
	}
	if s := got[active]; s.Disabled || s.Missing || s.ValidAfter.After(before) {
		t.Errorf("active user: %+v", s)
	}
	if s := got[disabled]; !s.Disabled || s.Missing {
		t.Errorf("disabled user: %+v", s)
	}
	if s := got[revoked]; s.ValidAfter.Before(before) || s.Disabled {
		t.Errorf("revoked user: %+v, want tokens valid after %v", s, before)
	}
	if s := got[missing]; !s.Missing {
		t.Errorf("missing user: %+v", s)
	}
}

func TestVerifyCancelledIsUnavailable(t *testing.T) {
	t.Parallel()
	// A check that could not finish must not read as a bad token: the app
	// signs users out on KindUnauthenticated.
	env := newEmulatorEnv(t)
	_, _, _, token := env.newUser(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := env.verifier.Verify(ctx, token)
	if talent.ErrorKind(err) != talent.KindUnavailable || talent.ErrorCode(err) != talent.CodeIdentityUnavailable.String() {
		t.Fatalf("error = %v, want unavailable", err)
	}
}

func TestNewVerifierNeedsProject(t *testing.T) {
	t.Parallel()
	if _, err := NewVerifier(context.Background(), Config{}); err == nil {
		t.Error("NewVerifier accepted a config without ProjectID")
	}
}

func TestVerifyThroughRevocationCache(t *testing.T) {
	t.Parallel()
	// With the cache, a revocation in Firebase takes effect once the cached
	// answer is older than MaxAge, and not before: that is the documented
	// revocation delay.
	env := newEmulatorEnv(t)
	ctx := context.Background()
	uid, _, _, token := env.newUser(t)
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	env.verifier.UseRevocationCache(revocation.New(env.verifier, nil, revocation.Options{MaxAge: time.Minute, Now: clock}))
	if _, err := env.verifier.Verify(ctx, token); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	time.Sleep(time.Until(time.Now().Truncate(time.Second).Add(1100 * time.Millisecond)))
	if err := env.admin.RevokeRefreshTokens(ctx, uid); err != nil {
		t.Fatalf("RevokeRefreshTokens: %v", err)
	}
	if _, err := env.verifier.Verify(ctx, token); err != nil {
		t.Fatalf("Verify within the revocation delay: %v", err)
	}
	mu.Lock()
	now = now.Add(61 * time.Second)
	mu.Unlock()
	_, err := env.verifier.Verify(ctx, token)
	wantUnauthenticated(t, err, talent.CodeTokenRevoked.String())
}

func TestRememberedTokenStillExpires(t *testing.T) {
	t.Parallel()
	// A token checked once is remembered, but not past its expiry.
	env := newEmulatorEnv(t)
	uid, _, _, _ := env.newUser(t)
	claims := env.emu.Claims(uid)
	token := env.emu.UnsignedToken(claims)
	if _, err := env.verifier.Verify(context.Background(), token); err != nil {
		t.Fatalf("Verify: %v", err)
	}
	exp := time.Unix(claims["exp"].(int64), 0)
	env.verifier.now = func() time.Time { return exp.Add(clockSkew + time.Second) }
	_, err := env.verifier.Verify(context.Background(), token)
	wantUnauthenticated(t, err, talent.CodeTokenExpired.String())
}
