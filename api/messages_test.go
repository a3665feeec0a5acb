package api

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"unicode"

	"github.com/anju-city/anju/internal/talent"
	// Linked so that their codes are declared here too (the api imports
	// them only through the application).
	_ "github.com/anju-city/anju/internal/firebase"
	_ "github.com/anju-city/anju/internal/objectstore"
	_ "github.com/anju-city/anju/internal/postgres"
)

// TestEveryCodeHasMessages: every declared error code has a zh-CN and an
// en message, so no problem or field error goes out without a readable
// explanation. Codes are declared with talent.NewCode beside their module;
// the source walk makes sure no package declaring codes is missing from
// this test binary.
func TestEveryCodeHasMessages(t *testing.T) {
	codes := talent.Codes()
	seen := map[string]bool{}
	for _, c := range codes {
		if seen[c.String()] {
			t.Errorf("code %q is declared twice", c)
		}
		seen[c.String()] = true
		m, ok := messages[c]
		switch {
		case !ok:
			t.Errorf("code %q has no message", c)
		case strings.TrimSpace(m.zh) == "" || !hasHan(m.zh):
			t.Errorf("code %q has no zh-CN message: %q", c, m.zh)
		case strings.TrimSpace(m.en) == "" || hasHan(m.en):
			t.Errorf("code %q has no en message: %q", c, m.en)
		}
	}
	declared := declaredInSource(t)
	for name := range declared {
		if !seen[name] {
			t.Errorf("code %q is declared in the source but not linked into this test; import its package here", name)
		}
	}
	if len(declared) < 100 {
		t.Fatalf("found only %d declared codes in the source; is the walk looking in the right place?", len(declared))
	}
}

func hasHan(s string) bool {
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			return true
		}
	}
	return false
}

var newCode = regexp.MustCompile(`NewCode\("([a-z0-9_]+)"\)`)

// declaredInSource finds every code declared in the project's non-test Go
// files.
func declaredInSource(t *testing.T) map[string]bool {
	t.Helper()
	out := map[string]bool{}
	for _, dir := range []string{"..", "../internal", "../workers", "../cmd"} {
		err := filepath.WalkDir(dir, func(path string, d os.DirEntry, err error) error {
			if err != nil {
				return err
			}
			if d.IsDir() && dir == ".." && path != ".." {
				return filepath.SkipDir // the top level only; the others are walked whole
			}
			if d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return nil
			}
			b, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range newCode.FindAllSubmatch(b, -1) {
				out[string(m[1])] = true
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	// The api's own codes live here.
	files, _ := filepath.Glob("*.go")
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") {
			continue
		}
		b, _ := os.ReadFile(f)
		for _, m := range newCode.FindAllSubmatch(b, -1) {
			out[string(m[1])] = true
		}
	}
	return out
}
