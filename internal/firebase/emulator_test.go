package firebase

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"strings"
	"sync"
	"testing"
)

func TestEnsureUserIsIdempotent(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	ctx := context.Background()
	uid := unique("fixture")
	email := uid + "@example.com"

	// Concurrent first calls race on creation; all must succeed.
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Go(func() { errs <- env.emu.EnsureUser(ctx, uid, email, "password-1", "") })
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("EnsureUser: %v", err)
		}
	}

	token, err := env.emu.TokenFor(ctx, uid, email, "password-1")
	if err != nil {
		t.Fatalf("TokenFor: %v", err)
	}
	if id, err := env.verifier.Verify(ctx, token); err != nil || id.UID != uid || id.Email != email {
		t.Fatalf("Verify: %+v, %v", id, err)
	}

	// A later call with a phone brings the user in line without touching the
	// password or revoking the token already handed out.
	phone := uniquePhone(t)
	if err := env.emu.EnsureUser(ctx, uid, email, "another-password", phone); err != nil {
		t.Fatalf("EnsureUser again: %v", err)
	}
	user, err := env.admin.GetUser(ctx, uid)
	if err != nil || user.PhoneNumber != phone {
		t.Fatalf("user after update: %+v, %v", user, err)
	}
	if _, err := env.verifier.Verify(ctx, token); err != nil {
		t.Errorf("old token after EnsureUser: %v", err)
	}
	if _, err := env.emu.TokenFor(ctx, uid, email, "password-1"); err != nil {
		t.Errorf("TokenFor with the original password: %v", err)
	}
}

func TestDeleteUserMissing(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	if err := env.emu.DeleteUser(context.Background(), unique("never-created")); err != nil {
		t.Errorf("DeleteUser of a missing user: %v", err)
	}
}

func TestSignInWrongPassword(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	_, email, _, _ := env.newUser(t)
	_, _, err := env.emu.SignIn(context.Background(), email, "wrong")
	if err == nil {
		t.Fatal("SignIn with a wrong password succeeded")
	}
	if code := emulatorCode(err); code == "" {
		t.Errorf("error %v carries no emulator code", err)
	}
}

func TestUnsignedTokenFormat(t *testing.T) {
	t.Parallel()
	e := &Emulator{ProjectID: "demo-x"}
	tok := e.UnsignedToken(e.Claims("u1"))
	parts := strings.Split(tok, ".")
	if len(parts) != 3 || parts[2] != "" {
		t.Fatalf("token %q is not header.payload.(empty signature)", tok)
	}
	var header map[string]string
	var claims map[string]any
	for i, dst := range []any{&header, &claims} {
		b, err := base64.RawURLEncoding.DecodeString(parts[i])
		if err != nil {
			t.Fatal(err)
		}
		if err := json.Unmarshal(b, dst); err != nil {
			t.Fatal(err)
		}
	}
	if header["alg"] != "none" {
		t.Errorf("header = %v", header)
	}
	if claims["aud"] != "demo-x" || claims["iss"] != "https://securetoken.google.com/demo-x" || claims["sub"] != "u1" {
		t.Errorf("claims = %v", claims)
	}
}

func TestImportUsers(t *testing.T) {
	t.Parallel()
	env := newEmulatorEnv(t)
	ctx := context.Background()
	uids := []string{unique("import"), unique("import"), unique("import")}
	if err := env.emu.ImportUsers(ctx, uids); err != nil {
		t.Fatalf("ImportUsers: %v", err)
	}
	// Importing again (a harness run after another) is not an error.
	if err := env.emu.ImportUsers(ctx, uids[:2]); err != nil {
		t.Fatalf("ImportUsers again: %v", err)
	}
	for _, uid := range uids {
		id, err := env.verifier.Verify(ctx, env.emu.UnsignedToken(env.emu.Claims(uid)))
		if err != nil || id.UID != uid {
			t.Errorf("token of imported %s: %+v %v", uid, id, err)
		}
	}
}
