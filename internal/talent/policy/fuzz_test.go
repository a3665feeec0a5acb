package policy

import (
	"testing"
)

// Any YAML an admin uploads is either refused with an error or a package
// that validates and whose evaluation of empty facts does not panic.
func FuzzParse(f *testing.F) {
	for _, id := range IDs() {
		src, err := DefaultSource(id)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(src)
	}
	f.Add([]byte("id: relocation\nrules: [{kind: age_max, params: {years: 35}}]\n"))
	f.Add([]byte("{{{"))
	f.Add([]byte("a: &a [*a, *a]\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := Parse(data)
		if err != nil {
			return
		}
		if err := p.Validate(); err != nil {
			t.Fatalf("Parse accepted a package that does not validate: %v", err)
		}
		_ = Evaluate(p, Facts{})
	})
}
