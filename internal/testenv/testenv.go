// Package testenv connects tests to the real services Anju runs on:
// PostgreSQL, Redis, MinIO and the Firebase Auth emulator. `make test` starts
// them; a test whose service is missing fails when CI is set and skips
// otherwise, so a CI run can never pass by silently testing nothing.
package testenv

import (
	"fmt"
	"os"
	"testing"
)

// Require stops the test when a service is unavailable: Fatal under CI, Skip
// on a developer machine.
func Require(t testing.TB, service string, err error) {
	t.Helper()
	if err == nil {
		return
	}
	msg := fmt.Sprintf("%s is not available (%v); run `make test`, which starts it", service, err)
	if os.Getenv("CI") != "" {
		t.Fatal(msg)
	}
	t.Skip(msg)
}

// Getenv returns the variable or def.
func Getenv(name, def string) string {
	if v := os.Getenv(name); v != "" {
		return v
	}
	return def
}

// AuthEmulatorHost returns the Firebase Auth emulator's host:port
// (FIREBASE_AUTH_EMULATOR_HOST), failing or skipping the test when it is not
// set. The emulator's project is ProjectID.
func AuthEmulatorHost(t testing.TB) string {
	t.Helper()
	host := os.Getenv("FIREBASE_AUTH_EMULATOR_HOST")
	if host == "" {
		Require(t, "Firebase Auth emulator", fmt.Errorf("FIREBASE_AUTH_EMULATOR_HOST is not set"))
	}
	return host
}

// ProjectID is the Firebase project the emulator runs for tests and development.
const ProjectID = "demo-anju"
