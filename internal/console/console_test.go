package console

import (
	"strings"
	"testing"
)

// directive returns the sources of one directive of a policy.
func directive(csp, name string) string {
	for _, d := range strings.Split(csp, ";") {
		if rest, ok := strings.CutPrefix(strings.TrimSpace(d), name+" "); ok {
			return rest
		}
	}
	return ""
}

// TestCSPRecaptcha: Google's reCAPTCHA is let in, by its paths only, for
// phone sign-in at the real Firebase Auth, and nowhere else.
func TestCSPRecaptcha(t *testing.T) {
	closed := CSP(Options{ConnectOrigins: []string{"http://127.0.0.1:59099"}, DocumentOrigin: "http://127.0.0.1:59000"})
	if strings.Contains(closed, "google") || strings.Contains(closed, "gstatic") {
		t.Errorf("without phone sign-in at Google the policy names Google: %s", closed)
	}
	if got := directive(closed, "script-src"); got != "'self'" {
		t.Errorf("script-src %q, want 'self' only", got)
	}
	open := CSP(Options{ConnectOrigins: []string{"https://identitytoolkit.googleapis.com"}, Recaptcha: true})
	for name, want := range map[string][]string{
		"script-src": {"'self'", "https://www.google.com/recaptcha/", "https://www.gstatic.com/recaptcha/"},
		"frame-src":  {"'self'", "blob:", "https://www.google.com/recaptcha/", "https://recaptcha.google.com/recaptcha/"},
	} {
		got := strings.Fields(directive(open, name))
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s %q, want %q", name, got, want)
		}
	}
	for _, bad := range []string{"'unsafe-eval'", "'unsafe-inline' https://www.google", "https://www.google.com ", "*"} {
		if strings.Contains(directive(open, "script-src")+" ", bad) {
			t.Errorf("script-src allows %s: %s", bad, open)
		}
	}
}
