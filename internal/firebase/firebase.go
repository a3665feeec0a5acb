// Package firebase adapts the Firebase Admin SDK to Anju's ports: Verifier
// checks sign-in tokens (talent.Verifier) and Pusher sends push notifications
// through FCM (talent.Pusher). LogPusher stands in for FCM in development,
// and Emulator drives the Auth emulator for tests and local sign-in.
//
// The package reads no environment variables; cmd/anju does and passes a
// Config. The Admin SDK itself reads FIREBASE_AUTH_EMULATOR_HOST: when it is
// set, the auth client talks to the emulator and SKIPS SIGNATURE CHECKS (see
// Verifier), so it must never be set in production.
package firebase

import (
	"context"
	"errors"

	fb "firebase.google.com/go/v4"
	"google.golang.org/api/option"
)

// Config says which Firebase project to use and how to reach it.
type Config struct {
	// ProjectID is the Firebase project. It is required: without it the SDK
	// would look for a project in the environment and the metadata server.
	ProjectID string
	// CredentialsFile is a service account JSON key. Empty means Application
	// Default Credentials, except for a Pusher with FCMEndpoint set, which
	// then sends no credentials (a local fake needs no OAuth).
	CredentialsFile string
	// AuthEmulatorHost is FIREBASE_AUTH_EMULATOR_HOST as cmd/anju read it.
	// Set, the Verifier accepts the emulator's unsigned tokens (the Admin
	// SDK, which reads the variable itself, talks to the emulator then).
	// Never in production.
	AuthEmulatorHost string
	// FCMEndpoint replaces https://fcm.googleapis.com/v1, e.g. the URL of an
	// fcmfake server ("http://127.0.0.1:9098" or ".../v1"). Empty means FCM.
	FCMEndpoint string
}

// newApp builds an Admin SDK app for cfg with extra client options.
func newApp(ctx context.Context, cfg Config, opts ...option.ClientOption) (*fb.App, error) {
	if cfg.ProjectID == "" {
		return nil, errors.New("firebase: Config.ProjectID is required")
	}
	if cfg.CredentialsFile != "" {
		// Service account only: accepting any credential type from a path is
		// what option.WithCredentialsFile is deprecated for.
		opts = append(opts, option.WithAuthCredentialsFile(option.ServiceAccount, cfg.CredentialsFile))
	}
	// A non-nil config keeps the SDK from reading FIREBASE_CONFIG.
	return fb.NewApp(ctx, &fb.Config{ProjectID: cfg.ProjectID}, opts...)
}
