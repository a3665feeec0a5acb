package policy

import (
	"fmt"
	"math"
	"slices"
	"strings"

	"github.com/anju-city/anju/internal/talent"
)

// reader collects every problem found in a package, so an admin publishing a
// version sees them all at once, each named by its field path
// ("rules[2].params.months") with a stable code.
type reader struct {
	fields []talent.FieldError
	notes  []string // English, for the error message and logs
}

// fail records a problem with field; the note explains it in English.
func (r *reader) fail(field string, code talent.Code, format string, args ...any) {
	r.fields = append(r.fields, talent.FieldError{Field: field, Code: code})
	r.notes = append(r.notes, field+": "+fmt.Sprintf(format, args...))
}

// err is the KindInvalid error for the problems found, nil when none.
func (r *reader) err() error {
	if len(r.fields) == 0 {
		return nil
	}
	return &talent.Error{
		Kind:    talent.KindInvalid,
		Code:    talent.CodeValidationFailed,
		Message: "policy package is invalid: " + strings.Join(r.notes, "; "),
		Fields:  r.fields,
	}
}

// object reads v as a mapping with string keys; keys outside known are
// reported (a misspelt key must not silently drop a condition).
func (r *reader) object(v any, path string, known ...string) map[string]any {
	m, ok := asMap(v)
	if !ok {
		r.fail(path, CodeNotObject, "must be a mapping")
		return nil
	}
	if known != nil {
		for _, k := range sortedKeys(m) {
			if !slices.Contains(known, k) {
				r.fail(join(path, k), talent.CodeUnknownField, "unknown field %q", k)
			}
		}
	}
	return m
}

// str reads an optional string.
func (r *reader) str(m map[string]any, key, path string) string {
	v, ok := m[key]
	if !ok || v == nil {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		r.fail(join(path, key), CodeNotString, "must be a string")
	}
	return strings.TrimSpace(s)
}

// integer reads an optional whole number.
func (r *reader) integer(m map[string]any, key, path string) int64 {
	v, ok := m[key]
	if !ok || v == nil {
		return 0
	}
	n, ok := asInt(v)
	if !ok {
		r.fail(join(path, key), CodeNotInteger, "must be a whole number, not %v", v)
	}
	return n
}

// boolean reads an optional bool.
func (r *reader) boolean(m map[string]any, key, path string) bool {
	v, ok := m[key]
	if !ok || v == nil {
		return false
	}
	b, ok := v.(bool)
	if !ok {
		r.fail(join(path, key), CodeNotBoolean, "must be true or false")
	}
	return b
}

// list reads an optional sequence.
func (r *reader) list(m map[string]any, key, path string) []any {
	v, ok := m[key]
	if !ok || v == nil {
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		r.fail(join(path, key), CodeNotList, "must be a list")
	}
	return l
}

// strs reads an optional list of strings.
func (r *reader) strs(m map[string]any, key, path string) []string {
	var out []string
	for i, v := range r.list(m, key, path) {
		s, ok := v.(string)
		if !ok {
			r.fail(fmt.Sprintf("%s[%d]", join(path, key), i), CodeNotString, "must be a string")
			continue
		}
		out = append(out, strings.TrimSpace(s))
	}
	return out
}

// text reads a {zh-CN, en} mapping.
func (r *reader) text(m map[string]any, key, path string) Text {
	v, ok := m[key]
	if !ok || v == nil {
		return Text{}
	}
	tm := r.object(v, join(path, key), "zh-CN", "en")
	if tm == nil {
		return Text{}
	}
	return Text{ZH: r.str(tm, "zh-CN", join(path, key)), EN: r.str(tm, "en", join(path, key))}
}

// asMap accepts the mappings YAML and JSON decoders produce.
func asMap(v any) (map[string]any, bool) {
	switch m := v.(type) {
	case map[string]any:
		return m, true
	case map[any]any:
		out := make(map[string]any, len(m))
		for k, v := range m {
			out[fmt.Sprint(k)] = v
		}
		return out, true
	}
	return nil, false
}

// asInt accepts whole numbers as decoders produce them; a fraction is not
// silently truncated.
func asInt(v any) (int64, bool) {
	switch n := v.(type) {
	case int:
		return int64(n), true
	case int64:
		return n, true
	case int32:
		return int64(n), true
	case uint64:
		if n > math.MaxInt64 {
			return 0, false
		}
		return int64(n), true
	case float64: // JSON numbers
		if n != math.Trunc(n) || math.Abs(n) > 1<<53 {
			return 0, false
		}
		return int64(n), true
	}
	return 0, false
}

// sortedKeys returns m's keys in order, so problems are reported in the same
// order every time.
func sortedKeys[K ~string, V any](m map[K]V) []K {
	keys := make([]K, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	return keys
}

// join appends a key to a field path.
func join(path, key string) string {
	if path == "" {
		return key
	}
	return path + "." + key
}

// validName reports whether s is a lower-case identifier: rule ids and
// parameter names.
func validName(s string) bool {
	if s == "" || len(s) > 64 || s[0] < 'a' || s[0] > 'z' {
		return false
	}
	for _, c := range s {
		if (c < 'a' || c > 'z') && (c < '0' || c > '9') && c != '_' {
			return false
		}
	}
	return true
}
