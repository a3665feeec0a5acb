package talent

import (
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
)

var placeholder = regexp.MustCompile(`\{[a-z]+\}`)

// Every template reads in both languages and asks for the same parameters
// in each, so that nobody is told half of something.
func TestEveryTemplateHasBothLanguages(t *testing.T) {
	for name, byLocale := range templates {
		zh, en := byLocale[LocaleZH], byLocale[LocaleEN]
		if zh.Title == "" || zh.Body == "" || en.Title == "" || en.Body == "" {
			t.Errorf("%s: a language is missing: %+v", name, byLocale)
			continue
		}
		a, b := placeholder.FindAllString(zh.Title+zh.Body, -1), placeholder.FindAllString(en.Title+en.Body, -1)
		slices.Sort(a)
		slices.Sort(b)
		if !slices.Equal(slices.Compact(a), slices.Compact(b)) {
			t.Errorf("%s: zh asks for %v, en for %v", name, a, b)
		}
	}
}

// Every template the code sends exists: a typo would otherwise be found
// by the first graduate who should have been told.
func TestEveryTemplateSentExists(t *testing.T) {
	sent := regexp.MustCompile(`Template: +"([a-z_.]+)"|notify\([^,]+, [^,]+, "([a-z_]+\.[a-z_.]+)"`)
	found := 0
	root := filepath.Join("..", "..")
	for _, dir := range []string{"internal", "workers"} {
		err := filepath.WalkDir(filepath.Join(root, dir), func(path string, d os.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") || strings.HasSuffix(path, "_test.go") {
				return err
			}
			src, err := os.ReadFile(path)
			if err != nil {
				return err
			}
			for _, m := range sent.FindAllStringSubmatch(string(src), -1) {
				name := m[1] + m[2]
				found++
				if _, ok := templates[name]; !ok {
					t.Errorf("%s sends template %q, which does not exist", path, name)
				}
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if found < 15 {
		t.Fatalf("found only %d templates sent; is the walk looking in the right place?", found)
	}
}
