package main

import (
	"net/url"
	"slices"
	"testing"

	"github.com/anju-city/anju/internal/testenv"
)

// TestEmploymentRequestsSearchAndSort: HR searches its employer's
// declarations on the server by the start of a name (LIKE's wildcards
// typed are plain text) or an exact national ID number (matched by its
// blind index: a part of a number matches nobody, another employer's
// person is not found), and pages through them two at a time in each
// order, the cursor belonging to the order it came with.
func TestEmploymentRequestsSearchAndSort(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var empA, empB struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &empA)
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "海曙新材料", "creditCode": creditCodeB}, "Idempotency-Key", newKey()).json(t, &empB)
	hrA := in.staff(t, admin, "hr", empA.ID)

	// Declared in this order (so by submission); 赵强 gave no start date.
	people := []struct{ name, since, code string }{
		{"王芳", "2026-03-01", creditCodeA},
		{"李明", "2026-01-15", creditCodeA},
		{"李四", "2026-02-01", creditCodeB},
		{"李华", "2026-05-01", creditCodeA},
		{"赵强", "", creditCodeA},
	}
	ids := map[string]string{}
	for i, p := range people {
		employer := map[string]any{"name": p.name + "的单位", "creditCode": p.code}
		if p.since != "" {
			employer["since"] = p.since
		}
		ids[p.name] = testenv.NationalID(300 + i)
		in.graduate(t, map[string]any{"name": p.name, "nationalId": ids[p.name], "employer": employer})
	}

	list := func(query url.Values) ([]string, string) {
		t.Helper()
		var page struct {
			Items      []employment
			NextCursor string
		}
		in.get(t, hrA, "/v1/hr/employments?"+query.Encode(), &page)
		var names []string
		for _, e := range page.Items {
			names = append(names, e.GraduateName)
		}
		return names, page.NextCursor
	}
	search := func(q string) []string {
		names, _ := list(url.Values{"q": {q}, "sort": {"name"}})
		return names
	}
	for q, want := range map[string][]string{
		"李":               {"李华", "李明"}, // not 李四, another employer's
		" 李明 ":            {"李明"},
		"李%":              nil,
		"_明":              nil,
		ids["王芳"]:         {"王芳"},
		ids["李四"]:         nil,
		ids["王芳"][:10]:    nil, // a part of a number: sealed data is never searched
		ids["王芳"][:17]:    nil,
		"330282199801010": nil,
	} {
		if got := search(q); !slices.Equal(got, want) {
			t.Errorf("q=%q: %v, want %v", q, got, want)
		}
	}

	// Each order, two at a time. Names compare as the database's collation
	// does (C: by code point).
	byName := []string{"李华", "李明", "王芳", "赵强"}
	if sorted := slices.Sorted(slices.Values(byName)); !slices.Equal(sorted, byName) {
		t.Fatalf("names by code point: %v", sorted)
	}
	reversed := func(s []string) []string { s = slices.Clone(s); slices.Reverse(s); return s }
	submitted := []string{"王芳", "李明", "李华", "赵强"}
	since := []string{"李明", "王芳", "李华", "赵强"}
	var firstCursor = map[string]string{}
	for order, want := range map[string][]string{
		"":            reversed(submitted), // the newest first by default
		"-submission": reversed(submitted),
		"submission":  submitted,
		"name":        byName,
		"-name":       reversed(byName),
		"since":       since,
		"-since":      reversed(since),
	} {
		var got []string
		cursor := ""
		for pages := 0; pages < 5; pages++ {
			q := url.Values{"limit": {"2"}}
			if order != "" {
				q.Set("sort", order)
			}
			if cursor != "" {
				q.Set("cursor", cursor)
			}
			names, next := list(q)
			got = append(got, names...)
			if pages == 0 {
				firstCursor[order] = next
			}
			if cursor = next; cursor == "" {
				break
			}
		}
		if !slices.Equal(got, want) {
			t.Errorf("sort=%q: %v, want %v", order, got, want)
		}
	}

	// A cursor of one order is refused by another; so is a bad sort.
	for _, path := range []string{
		"/v1/hr/employments?sort=name&cursor=" + url.QueryEscape(firstCursor["since"]),
		"/v1/hr/employments?sort=-submission&cursor=" + url.QueryEscape(firstCursor["submission"]),
	} {
		if r := in.call(t, "GET", path, hrA, nil); r.Status != 400 || r.problem(t).Code != "cursor_invalid" {
			t.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
	}
	if r := in.call(t, "GET", "/v1/hr/employments?sort=salary", hrA, nil); r.Status != 400 {
		t.Errorf("unknown order: %d %s", r.Status, r.Body)
	}
}
