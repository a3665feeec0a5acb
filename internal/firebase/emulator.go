package firebase

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// emulatorAPIKey is what the Auth emulator accepts as a web API key; it
// checks nothing about it.
const emulatorAPIKey = "fake-api-key"

// emulatorAdminToken is the bearer token the emulator treats as an admin
// (the Admin SDK sends the same one in emulator mode).
const emulatorAdminToken = "owner"

// defaultEmulatorHTTP bounds emulator calls so a hung emulator fails a test
// instead of stalling it.
var defaultEmulatorHTTP = &http.Client{Timeout: 10 * time.Second}

// Emulator drives the Firebase Auth emulator's REST API, for tests and local
// development: it creates users and signs them in the way the mobile app
// would, and builds forged tokens. It works only against the emulator.
//
// Tokens the emulator issues are unsigned JWTs (alg "none"); the Admin SDK
// accepts them only in emulator mode, where it skips signature checks but
// still checks aud, iss, sub, iat, exp and the user record (see Verifier).
type Emulator struct {
	// Host is the emulator's host:port, as in FIREBASE_AUTH_EMULATOR_HOST.
	Host string
	// ProjectID is the project the emulator runs for (demo-anju in tests).
	ProjectID string
	// HTTP is the client to use; nil means one with a 10 second timeout.
	HTTP *http.Client
}

// EmulatorError is an error answer from the emulator, e.g. EMAIL_EXISTS.
type EmulatorError struct {
	Status  int
	Message string // the emulator's code and detail, e.g. "DUPLICATE_LOCAL_ID"
}

func (e *EmulatorError) Error() string {
	return fmt.Sprintf("auth emulator: %d %s", e.Status, e.Message)
}

// Code returns the error code part of Message ("EMAIL_EXISTS" of
// "EMAIL_EXISTS : detail").
func (e *EmulatorError) Code() string {
	code, _, _ := strings.Cut(e.Message, ":")
	return strings.TrimSpace(code)
}

func emulatorCode(err error) string {
	var ee *EmulatorError
	if errors.As(err, &ee) {
		return ee.Code()
	}
	return ""
}

// Ping checks that an Auth emulator answers at Host, so a test can skip or
// fail with a clear message instead of a connection error deep inside.
func (e *Emulator) Ping(ctx context.Context) error {
	var out struct {
		AuthEmulator struct {
			Ready bool `json:"ready"`
		} `json:"authEmulator"`
	}
	if err := e.do(ctx, http.MethodGet, "/", nil, false, &out); err != nil {
		return err
	}
	if !out.AuthEmulator.Ready {
		return fmt.Errorf("auth emulator at %s is not ready", e.Host)
	}
	return nil
}

// SignUp creates an email/password account the way the app does and
// returns its uid and a fresh ID token.
func (e *Emulator) SignUp(ctx context.Context, email, password string) (uid, idToken string, err error) {
	return e.signIn(ctx, "accounts:signUp", map[string]any{"email": email, "password": password, "returnSecureToken": true})
}

// SignUpAnonymously creates an anonymous account, as any client of the
// Firebase project can, and returns its uid and a fresh ID token.
func (e *Emulator) SignUpAnonymously(ctx context.Context) (uid, idToken string, err error) {
	return e.signIn(ctx, "accounts:signUp", map[string]any{"returnSecureToken": true})
}

// SignIn signs an email/password account in and returns its uid and a fresh
// ID token.
func (e *Emulator) SignIn(ctx context.Context, email, password string) (uid, idToken string, err error) {
	return e.signIn(ctx, "accounts:signInWithPassword", map[string]any{"email": email, "password": password, "returnSecureToken": true})
}

// SignInWithPhone signs in by phone number (E.164) the way the app does:
// it asks for an SMS code, reads the code from the emulator's admin
// endpoint, and confirms it. The user is created on first sign-in. The
// token carries the phone_number claim.
func (e *Emulator) SignInWithPhone(ctx context.Context, phone string) (uid, idToken string, err error) {
	var sent struct {
		SessionInfo string `json:"sessionInfo"`
	}
	// The emulator does not check reCAPTCHA, but the API requires the field.
	if err := e.do(ctx, http.MethodPost, e.clientPath("accounts:sendVerificationCode"),
		map[string]any{"phoneNumber": phone, "recaptchaToken": "emulator"}, false, &sent); err != nil {
		return "", "", err
	}
	var codes struct {
		VerificationCodes []struct {
			Code        string `json:"code"`
			SessionInfo string `json:"sessionInfo"`
		} `json:"verificationCodes"`
	}
	if err := e.do(ctx, http.MethodGet, e.emulatorPath("verificationCodes"), nil, false, &codes); err != nil {
		return "", "", err
	}
	code := ""
	for _, c := range codes.VerificationCodes {
		if c.SessionInfo == sent.SessionInfo {
			code = c.Code
		}
	}
	if code == "" {
		return "", "", errors.New("auth emulator: no verification code for the session")
	}
	return e.signIn(ctx, "accounts:signInWithPhoneNumber", map[string]any{"sessionInfo": sent.SessionInfo, "code": code})
}

// EnsureUser makes sure a user with this fixed uid exists, creating it with
// the email (marked verified, as a fixture should be), password and phone
// (E.164; "" for none). It is idempotent and safe to call concurrently: an
// existing user gets its email and phone brought in line but keeps its
// password, because changing a password revokes tokens other tests may hold.
func (e *Emulator) EnsureUser(ctx context.Context, uid, email, password, phone string) error {
	user := map[string]any{"localId": uid, "email": email, "emailVerified": true, "password": password}
	if phone != "" {
		user["phoneNumber"] = phone
	}
	err := e.do(ctx, http.MethodPost, e.projectPath("accounts"), user, true, nil)
	if emulatorCode(err) != "DUPLICATE_LOCAL_ID" {
		return err
	}
	var found struct {
		Users []struct {
			Email       string `json:"email"`
			PhoneNumber string `json:"phoneNumber"`
		} `json:"users"`
	}
	if err := e.do(ctx, http.MethodPost, e.projectPath("accounts:lookup"),
		map[string]any{"localId": []string{uid}}, true, &found); err != nil {
		return err
	}
	if len(found.Users) == 1 && found.Users[0].Email == email && found.Users[0].PhoneNumber == phone {
		return nil
	}
	update := map[string]any{"localId": uid, "email": email, "emailVerified": true}
	if phone != "" {
		update["phoneNumber"] = phone
	} else {
		update["deleteProvider"] = []string{"phone"}
	}
	return e.do(ctx, http.MethodPost, e.projectPath("accounts:update"), update, true, nil)
}

// ImportUsers creates users with these fixed uids in one call (up to 1000,
// as the real API allows), for load tests that need many accounts; uids
// that exist already are left as they are. Tokens for them come from
// UnsignedToken(Claims(uid)).
func (e *Emulator) ImportUsers(ctx context.Context, uids []string) error {
	users := make([]map[string]any, len(uids))
	for i, uid := range uids {
		users[i] = map[string]any{"localId": uid}
	}
	var out struct {
		Error []struct {
			Index   int    `json:"index"`
			Message string `json:"message"`
		} `json:"error"`
	}
	if err := e.do(ctx, http.MethodPost, e.projectPath("accounts:batchCreate"), map[string]any{"users": users}, true, &out); err != nil {
		return err
	}
	for _, x := range out.Error {
		if !strings.Contains(x.Message, "exist") { // "localId belongs to an existing account"
			return fmt.Errorf("auth emulator: importing %s: %s", uids[x.Index], x.Message)
		}
	}
	return nil
}

// TokenFor returns a fresh ID token for the fixed uid, creating the user
// first if needed (EnsureUser, then SignIn).
func (e *Emulator) TokenFor(ctx context.Context, uid, email, password string) (string, error) {
	if err := e.EnsureUser(ctx, uid, email, password, ""); err != nil {
		return "", err
	}
	got, token, err := e.SignIn(ctx, email, password)
	if err != nil {
		return "", err
	}
	if got != uid {
		return "", fmt.Errorf("auth emulator: %s signed in as uid %q, want %q", email, got, uid)
	}
	return token, nil
}

// DeleteUser deletes the user; deleting a missing user is not an error.
func (e *Emulator) DeleteUser(ctx context.Context, uid string) error {
	err := e.do(ctx, http.MethodPost, e.projectPath("accounts:delete"), map[string]any{"localId": uid}, true, nil)
	if emulatorCode(err) == "USER_NOT_FOUND" {
		return nil
	}
	return err
}

// Claims returns the claims of a valid emulator ID token for uid (a phone
// sign-in, as a graduate's), issued now and expiring in an hour, for a test to alter and pass to
// UnsignedToken (a past "exp", another "aud", and so on).
func (e *Emulator) Claims(uid string) map[string]any {
	now := time.Now().Unix()
	return map[string]any{
		"iss":       "https://securetoken.google.com/" + e.ProjectID,
		"aud":       e.ProjectID,
		"sub":       uid,
		"user_id":   uid,
		"iat":       now,
		"auth_time": now,
		"exp":       now + 3600,
		"firebase":  map[string]any{"identities": map[string]any{}, "sign_in_provider": "phone"},
	}
}

// UnsignedToken encodes claims as the emulator encodes its ID tokens: a JWT
// with header {"alg":"none","typ":"JWT"} and an empty signature. The claims
// are used as given; start from Claims for a token that verifies.
func (e *Emulator) UnsignedToken(claims map[string]any) string {
	enc := base64.RawURLEncoding
	payload, err := json.Marshal(claims)
	if err != nil {
		// Claims that cannot be encoded make a token that cannot be decoded,
		// which is the outcome a test of a broken token wants anyway.
		payload = []byte("!")
	}
	return enc.EncodeToString([]byte(`{"alg":"none","typ":"JWT"}`)) + "." + enc.EncodeToString(payload) + "."
}

func (e *Emulator) signIn(ctx context.Context, method string, body map[string]any) (uid, idToken string, err error) {
	var out struct {
		LocalID string `json:"localId"`
		IDToken string `json:"idToken"`
	}
	if err := e.do(ctx, http.MethodPost, e.clientPath(method), body, false, &out); err != nil {
		return "", "", err
	}
	if out.LocalID == "" || out.IDToken == "" {
		return "", "", fmt.Errorf("auth emulator: %s returned no uid or token", method)
	}
	return out.LocalID, out.IDToken, nil
}

// clientPath is an Identity Toolkit method as the client SDKs call it, by
// API key.
func (e *Emulator) clientPath(method string) string {
	return "/identitytoolkit.googleapis.com/v1/" + method + "?key=" + emulatorAPIKey
}

// projectPath is an Identity Toolkit admin method scoped to the project.
func (e *Emulator) projectPath(method string) string {
	return "/identitytoolkit.googleapis.com/v1/projects/" + url.PathEscape(e.ProjectID) + "/" + method
}

// emulatorPath is one of the emulator's own endpoints (not in the real API).
func (e *Emulator) emulatorPath(what string) string {
	return "/emulator/v1/projects/" + url.PathEscape(e.ProjectID) + "/" + what
}

// do sends one JSON request to the emulator and decodes the answer into out
// (when not nil). admin adds the emulator's admin bearer token.
func (e *Emulator) do(ctx context.Context, method, path string, in any, admin bool, out any) error {
	if e.Host == "" {
		return errors.New("auth emulator: no host")
	}
	var body io.Reader
	if in != nil {
		b, err := json.Marshal(in)
		if err != nil {
			return fmt.Errorf("auth emulator: encode request: %w", err)
		}
		body = bytes.NewReader(b)
	}
	req, err := http.NewRequestWithContext(ctx, method, "http://"+e.Host+path, body)
	if err != nil {
		return fmt.Errorf("auth emulator: %w", err)
	}
	if in != nil {
		req.Header.Set("Content-Type", "application/json")
	}
	if admin {
		req.Header.Set("Authorization", "Bearer "+emulatorAdminToken)
	}
	hc := e.HTTP
	if hc == nil {
		hc = defaultEmulatorHTTP
	}
	resp, err := hc.Do(req)
	if err != nil {
		return fmt.Errorf("auth emulator: %w", err)
	}
	defer resp.Body.Close()
	raw, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if err != nil {
		return fmt.Errorf("auth emulator: read answer: %w", err)
	}
	if resp.StatusCode >= 300 {
		var apiErr struct {
			Error struct {
				Message string `json:"message"`
			} `json:"error"`
		}
		_ = json.Unmarshal(raw, &apiErr) // a non-JSON answer still has its status
		if apiErr.Error.Message == "" {
			apiErr.Error.Message = http.StatusText(resp.StatusCode)
		}
		return &EmulatorError{Status: resp.StatusCode, Message: apiErr.Error.Message}
	}
	if out == nil {
		return nil
	}
	if err := json.Unmarshal(raw, out); err != nil {
		return fmt.Errorf("auth emulator: decode answer: %w", err)
	}
	return nil
}
