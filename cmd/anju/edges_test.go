package main

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/talent"
)

// An accepted document is immutable: the upload policy is still valid and
// MinIO takes other bytes of the same size under the upload key, but every
// download is of the bytes inspection accepted.
func TestAcceptedDocumentCannotBeReplaced(t *testing.T) {
	t.Parallel()
	in := boot(t)
	token := in.signUp(t)
	in.call(t, "PUT", "/v1/me", token, map[string]any{"name": "张三", "locale": "zh-CN"})

	original := []byte(minimalPDF + "% original\n")
	up := in.createDocument(t, token, "diploma", "application/pdf", original)
	if code := upload(t, up, "application/pdf", original); code != http.StatusNoContent {
		t.Fatalf("upload: %d", code)
	}
	in.call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", token, nil)
	if d := in.waitDocument(t, token, up.Document.ID, "accepted", "rejected"); d.Status != "accepted" {
		t.Fatalf("document: %+v", d)
	}

	forged := []byte(minimalPDF + "% replaced\n")
	if len(forged) != len(original) {
		t.Fatal("the replacement must have the declared size")
	}
	if code := upload(t, up, "application/pdf", forged); code != http.StatusNoContent {
		t.Fatalf("the policy no longer takes an upload (%d); this test needs it to", code)
	}
	for range 2 { // a fresh URL each time, and after the worker has had time
		d := in.waitDocument(t, token, up.Document.ID, "accepted")
		res, err := http.Get(d.DownloadURL)
		if err != nil {
			t.Fatal(err)
		}
		got, _ := io.ReadAll(res.Body)
		res.Body.Close()
		if res.StatusCode != 200 || string(got) != string(original) {
			t.Fatalf("download after a re-upload: %d %q", res.StatusCode, got[len(got)-min(len(got), 12):])
		}
	}
}

// Graduates sign in by phone: an anonymous or email account of the
// Firebase project is refused with a code that says so, and no user is
// made for it. Staff need a second factor unless their provider is trusted
// for staff (ANJU_STAFF_SIGN_IN_PROVIDERS, none here, as in production).
// A bootstrap admin is made admin once: revoked, the role does not come
// back at the next sign-in.
func TestSignInRules(t *testing.T) {
	t.Parallel()
	in := services(t)
	ctx := context.Background()
	adminUID := "admin-" + newKey()
	email := adminUID + "@test.anju.local"
	if err := in.Emu.EnsureUser(ctx, adminUID, email, "password-123", ""); err != nil {
		t.Fatal(err)
	}
	in.start(t, "all", withEnv("ANJU_BOOTSTRAP_ADMINS", adminUID), withEnv("ANJU_STAFF_SIGN_IN_PROVIDERS", "saml.city"),
		withEnv("ANJU_USER_CACHE_TTL", "1ms")) // every sign-in reaches the users table

	anonUID, anon, err := in.Emu.SignUpAnonymously(ctx)
	if err != nil {
		t.Fatal(err)
	}
	pwUID, pw, err := in.Emu.SignUp(ctx, "g-"+newKey()+"@test.anju.local", "password-123")
	if err != nil {
		t.Fatal(err)
	}
	for name, tok := range map[string]string{"anonymous": anon, "password": pw} {
		r := in.call(t, "GET", "/v1/me", tok, nil)
		var p struct{ Code string }
		r.json(t, &p)
		if r.Status != 401 || p.Code != "phone_sign_in_required" {
			t.Errorf("a graduate signing in by %s: %d %s", name, r.Status, r.Body)
		}
	}
	for _, uid := range []string{anonUID, pwUID} {
		if _, err := in.DB.Users().UserByFirebaseUID(ctx, uid); talent.ErrorKind(err) != talent.KindNotFound {
			t.Errorf("a refused sign-in made user %s: %v", uid, err)
		}
	}
	if r := in.call(t, "GET", "/v1/me", in.signUp(t), nil); r.Status != 200 {
		t.Fatalf("a phone sign-in: %d %s", r.Status, r.Body)
	}

	// The bootstrap admin by password alone: no second factor.
	byPassword, err := in.Emu.TokenFor(ctx, adminUID, email, "password-123")
	if err != nil {
		t.Fatal(err)
	}
	r := in.call(t, "GET", "/v1/me", byPassword, nil)
	if r.Status != 403 || !strings.Contains(string(r.Body), "second_factor_required") {
		t.Fatalf("an admin without a second factor: %d %s", r.Status, r.Body)
	}
	claims := in.Emu.Claims(adminUID)
	claims["firebase"] = map[string]any{"identities": map[string]any{}, "sign_in_provider": "password", "sign_in_second_factor": "phone"}
	mfa := in.Emu.UnsignedToken(claims)
	var me struct {
		User struct {
			ID    string
			Roles []struct{ Role string }
		}
	}
	r = in.call(t, "GET", "/v1/me", mfa, nil)
	r.json(t, &me)
	if r.Status != 200 || len(me.User.Roles) != 2 {
		t.Fatalf("an admin with a second factor: %d %s", r.Status, r.Body)
	}
	if _, err := in.DB.Users().RevokeRole(ctx, me.User.ID, talent.RoleAdmin, ""); err != nil {
		t.Fatal(err)
	}
	// Now a graduate, who signs in by phone.
	claims["firebase"] = map[string]any{"identities": map[string]any{}, "sign_in_provider": "phone"}
	for range 2 {
		if r := in.call(t, "GET", "/v1/me", in.Emu.UnsignedToken(claims), nil); r.Status != 200 {
			t.Fatalf("the former admin signing in: %d %s", r.Status, r.Body)
		}
	}
	if u, err := in.DB.Users().UserByFirebaseUID(ctx, adminUID); err != nil || u.Has(talent.RoleAdmin) {
		t.Fatalf("the revoked bootstrap admin is admin again: %+v %v", u.Roles, err)
	}
}

// A push token registered to one account is not taken by another without
// that account letting it go (signing out on the phone) or leaving it
// unused for DeviceTakeoverIdle: the owner keeps their notifications.
func TestDeviceTokenCannotBeTakenOver(t *testing.T) {
	t.Parallel()
	in := boot(t)
	ctx := context.Background()
	owner, other := in.signUp(t), in.signUp(t)
	ownerID, otherID := in.userID(t, owner), in.userID(t, other)
	device := "fcm-device-token-" + newKey()
	put := func(token string) response {
		return in.call(t, "PUT", "/v1/me/devices/"+device, token, map[string]any{"platform": "android"})
	}
	devicesOf := func(userID string) int {
		list, err := in.DB.Inbox().Devices(ctx, userID)
		if err != nil {
			t.Fatal(err)
		}
		return len(list)
	}
	if r := put(owner); r.Status != http.StatusNoContent {
		t.Fatalf("owner registers: %d %s", r.Status, r.Body)
	}
	if r := put(other); r.Status != http.StatusConflict || !strings.Contains(string(r.Body), "device_token_taken") {
		t.Fatalf("another account takes the token: %d %s", r.Status, r.Body)
	}
	if devicesOf(ownerID) != 1 || devicesOf(otherID) != 0 {
		t.Fatal("the token moved")
	}
	if r := put(owner); r.Status != http.StatusNoContent {
		t.Fatalf("owner refreshes: %d %s", r.Status, r.Body)
	}
	// Unused past the idle period, it may be registered by the next user.
	if _, err := in.DB.Pool().Exec(ctx, `UPDATE devices SET last_seen_at = now() - interval '31 days' WHERE token = $1`, device); err != nil {
		t.Fatal(err)
	}
	if r := put(other); r.Status != http.StatusNoContent || devicesOf(otherID) != 1 || devicesOf(ownerID) != 0 {
		t.Fatalf("an idle token: %d %s", r.Status, r.Body)
	}
	// Signing out frees it at once.
	if r := in.call(t, "DELETE", "/v1/me/devices/"+device, other, nil); r.Status != http.StatusNoContent {
		t.Fatalf("sign-out: %d %s", r.Status, r.Body)
	}
	if r := put(owner); r.Status != http.StatusNoContent || devicesOf(ownerID) != 1 {
		t.Fatalf("after sign-out: %d %s", r.Status, r.Body)
	}
}
