package policy

import (
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// params reads one rule's params for its kind, resolving "$name" references
// to package parameters and reporting problems under the rule's field path.
type params struct {
	r    *reader
	path string // rules[2].params
	rule string // the rule's id and kind, for messages
	raw  map[string]any
	pkg  *Package
	seen []string
}

// paramState says what lookup found.
type paramState int

const (
	paramMissing paramState = iota
	paramBroken             // present but refers to an unknown parameter (already reported)
	paramFound
)

// maxCount bounds month and year counts; anything larger is a typo.
const maxCount = 1200

func (p *params) fail(name string, code talent.Code, format string, args ...any) {
	p.r.fail(join(p.path, name), code, "rule %s: %s", p.rule, fmt.Sprintf(format, args...))
}

// lookup returns the param's value, resolving a reference.
func (p *params) lookup(name string) (any, paramState) {
	p.seen = append(p.seen, name)
	v, ok := p.raw[name]
	if !ok || v == nil {
		return nil, paramMissing
	}
	return p.resolve(v, name)
}

// resolve follows a "$name" reference to a package parameter.
func (p *params) resolve(v any, field string) (any, paramState) {
	s, ok := v.(string)
	if !ok || !strings.HasPrefix(s, "$") {
		return v, paramFound
	}
	q, found := p.pkg.Param(strings.TrimPrefix(s, "$"))
	if !found || q.Value == nil {
		p.fail(field, CodeParameterUnknown, "refers to %s, which is not a parameter of the package", s)
		return nil, paramBroken
	}
	return q.Value, paramFound
}

// count reads a whole number in [lo, maxCount].
func (p *params) count(name string, required bool, lo int) (int, bool) {
	v, st := p.lookup(name)
	switch st {
	case paramMissing:
		if required {
			p.fail(name, talent.CodeRequired, "%s is required", name)
		}
		return 0, false
	case paramBroken:
		return 0, false
	}
	return p.countValue(v, name, lo)
}

func (p *params) countValue(v any, field string, lo int) (int, bool) {
	n, ok := asInt(v)
	if !ok {
		p.fail(field, CodeNotInteger, "must be a whole number, not %v", v)
		return 0, false
	}
	if n < int64(lo) || n > maxCount {
		p.fail(field, talent.CodeOutOfRange, "must be between %d and %d, not %d", lo, maxCount, n)
		return 0, false
	}
	return int(n), true
}

// flag reads an optional bool with a default.
func (p *params) flag(name string, def bool) bool {
	v, st := p.lookup(name)
	if st != paramFound {
		return def
	}
	b, ok := v.(bool)
	if !ok {
		p.fail(name, CodeNotBoolean, "must be true or false")
		return def
	}
	return b
}

// level reads a required education level.
func (p *params) level(name string) talent.EducationLevel {
	v, st := p.lookup(name)
	switch st {
	case paramMissing:
		p.fail(name, talent.CodeRequired, "%s is required", name)
		return ""
	case paramBroken:
		return ""
	}
	s, _ := v.(string)
	if l := talent.EducationLevel(s); l.Valid() {
		return l
	}
	p.fail(name, CodeUnknownLevel, "must be one of %v, not %v", levels, v)
	return ""
}

// day reads an optional civil date.
func (p *params) day(name string) time.Time {
	v, st := p.lookup(name)
	if st != paramFound {
		return time.Time{}
	}
	t, err := parseDate(v)
	if err != nil {
		p.fail(name, talent.CodeNotDate, "must be a date written 2006-01-02")
	}
	return t
}

// choice reads a required string from options.
func (p *params) choice(name string, options ...string) string {
	v, st := p.lookup(name)
	switch st {
	case paramMissing:
		p.fail(name, talent.CodeRequired, "%s is required (one of %v)", name, options)
		return ""
	case paramBroken:
		return ""
	}
	s, _ := v.(string)
	if !slices.Contains(options, s) {
		p.fail(name, CodeNotAllowed, "must be one of %v, not %v", options, v)
		return ""
	}
	return s
}

// levelCounts reads an optional mapping from education level to a count.
func (p *params) levelCounts(name string, lo int) map[talent.EducationLevel]int {
	v, st := p.lookup(name)
	if st != paramFound {
		return nil
	}
	m, ok := asMap(v)
	if !ok {
		p.fail(name, CodeNotObject, "must map education levels to numbers")
		return nil
	}
	out := make(map[talent.EducationLevel]int, len(m))
	for _, k := range sortedKeys(m) {
		field := join(name, k)
		if !talent.EducationLevel(k).Valid() {
			p.fail(field, CodeUnknownLevel, "%q is not an education level %v", k, levels)
			continue
		}
		val, st := p.resolve(m[k], field)
		if st != paramFound {
			continue
		}
		if n, ok := p.countValue(val, field, lo); ok {
			out[talent.EducationLevel(k)] = n
		}
	}
	return out
}

// names reads a required, non-empty list of distinct strings.
func (p *params) names(name string) []string {
	v, st := p.lookup(name)
	switch st {
	case paramMissing:
		p.fail(name, talent.CodeRequired, "%s is required", name)
		return nil
	case paramBroken:
		return nil
	}
	l, ok := v.([]any)
	if !ok {
		if s, isStrs := v.([]string); isStrs {
			l = make([]any, len(s))
			for i := range s {
				l[i] = s[i]
			}
		} else {
			p.fail(name, CodeNotList, "must be a list")
			return nil
		}
	}
	if len(l) == 0 {
		p.fail(name, CodeEmpty, "must not be empty")
		return nil
	}
	var out []string
	for i, e := range l {
		s, ok := e.(string)
		field := fmt.Sprintf("%s[%d]", name, i)
		switch {
		case !ok || strings.TrimSpace(s) == "":
			p.fail(field, CodeNotString, "must be a non-empty string")
		case slices.Contains(out, strings.TrimSpace(s)):
			p.fail(field, talent.CodeDuplicate, "%q is listed twice", s)
		default:
			out = append(out, strings.TrimSpace(s))
		}
	}
	return out
}

// text reads an optional string.
func (p *params) text(name string) string {
	v, st := p.lookup(name)
	if st != paramFound {
		return ""
	}
	s, ok := v.(string)
	if !ok {
		p.fail(name, CodeNotString, "must be a string")
	}
	return strings.TrimSpace(s)
}

// finish reports params the kind does not read: a misspelt param must not
// silently leave a default in force.
func (p *params) finish() {
	for _, k := range sortedKeys(p.raw) {
		if !slices.Contains(p.seen, k) {
			p.fail(k, CodeUnknownParam, "%q is not a param of this kind", k)
		}
	}
}
