package main

import (
	"context"
	"net/url"
	"strings"
	"testing"

	"github.com/anju-city/anju/internal/testenv"
)

// userHit is one user of GET /v1/admin/users.
type userHit struct {
	ID, Name, NationalID, Phone string
	Roles                       []struct{ Role string }
}

// searchUsers runs the admin's user search and returns the ids found.
func (in *instance) searchUsers(t *testing.T, admin, query string) ([]userHit, response) {
	t.Helper()
	r := in.call(t, "GET", "/v1/admin/users?"+query, admin, nil)
	var page struct{ Items []userHit }
	if r.Status == 200 {
		r.json(t, &page)
	}
	return page.Items, r
}

func hitIDs(hits []userHit) string {
	var ids []string
	for _, h := range hits {
		ids = append(ids, h.ID)
	}
	return strings.Join(ids, ",")
}

// TestAdminUserSearch: an admin finds people by the start of their name, by
// their whole national ID number or phone (blind index: a part of the
// number finds nobody), by the verified email of a staff account and by
// role, with paging; personal data comes back masked, every person shown is
// in the access log, and nobody else may search.
func TestAdminUserSearch(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	idA, idB := testenv.NationalID(101), testenv.NationalID(102)
	phoneA := "13912345678"
	gradA, _ := in.graduate(t, map[string]any{"name": "欧阳明", "locale": "zh-CN", "nationalId": idA, "phone": phoneA})
	gradB, _ := in.graduate(t, map[string]any{"name": "欧阳华", "locale": "zh-CN", "nationalId": idB})
	gradC, _ := in.graduate(t, map[string]any{"name": "张伟", "locale": "zh-CN"})
	a, b, c := in.userID(t, gradA), in.userID(t, gradB), in.userID(t, gradC)

	// A staff account with a verified email and no profile.
	uid := "search-" + newKey()
	email := uid + "@test.anju.local"
	if err := in.Emu.EnsureUser(context.Background(), uid, email, "password-123", ""); err != nil {
		t.Fatal(err)
	}
	staffToken, err := in.Emu.TokenFor(context.Background(), uid, email, "password-123")
	if err != nil {
		t.Fatal(err)
	}
	staffID := in.userID(t, staffToken)
	if r := in.call(t, "PUT", "/v1/admin/users/"+staffID+"/roles/finance", admin, map[string]any{}); r.Status != 200 {
		t.Fatalf("grant: %d %s", r.Status, r.Body)
	}

	// The start of a name, newest first, masked.
	hits, r := in.searchUsers(t, admin, "q="+url.QueryEscape("欧阳"))
	if r.Status != 200 || hitIDs(hits) != b+","+a {
		t.Fatalf("name prefix: want %s,%s, got %d %s", b, a, r.Status, r.Body)
	}
	if h := hits[1]; h.Name != "欧阳明" || h.NationalID != idA[:4]+"**********"+idA[14:] || h.Phone != "139****5678" {
		t.Errorf("masked hit: %+v", h)
	}
	if strings.Contains(string(r.Body), idA) || strings.Contains(string(r.Body), phoneA) {
		t.Errorf("the answer holds a number in clear: %s", r.Body)
	}
	if hits, _ := in.searchUsers(t, admin, "q="+url.QueryEscape("阳明")); len(hits) != 0 {
		t.Errorf("the middle of a name matched: %s", hitIDs(hits))
	}
	// A LIKE pattern is text, not a wildcard.
	if hits, _ := in.searchUsers(t, admin, "q="+url.QueryEscape("%")); len(hits) != 0 {
		t.Errorf("%% matched: %s", hitIDs(hits))
	}

	// Whole numbers by blind index; parts of them find nobody.
	for _, tc := range []struct{ q, want string }{
		{idA, a}, {strings.ToLower(idB), b}, {phoneA, a}, {"+86" + phoneA, a},
		{idA[:17], ""}, {idA[6:14], ""}, {idA[14:], ""}, {phoneA[:7], ""}, {phoneA[7:], ""},
		{testenv.NationalID(103), ""},
	} {
		hits, r := in.searchUsers(t, admin, "q="+url.QueryEscape(tc.q))
		if r.Status != 200 || hitIDs(hits) != tc.want {
			t.Errorf("q=%s: want [%s], got %d %s", tc.q, tc.want, r.Status, r.Body)
		}
	}

	// A verified email, exactly; an unknown one finds nobody.
	if hits, r := in.searchUsers(t, admin, "q="+url.QueryEscape(email)); hitIDs(hits) != staffID || hits[0].Name != "" {
		t.Errorf("email: want %s, got %d %s", staffID, r.Status, r.Body)
	}
	if hits, _ := in.searchUsers(t, admin, "q="+url.QueryEscape("nobody-"+email)); len(hits) != 0 {
		t.Errorf("unknown email matched: %s", hitIDs(hits))
	}

	// By role, alone and with a name.
	if hits, r := in.searchUsers(t, admin, "role=finance"); hitIDs(hits) != staffID {
		t.Errorf("role=finance: want %s, got %d %s", staffID, r.Status, r.Body)
	}
	if hits, _ := in.searchUsers(t, admin, "role=finance&q="+url.QueryEscape("欧阳")); len(hits) != 0 {
		t.Errorf("role and name: %s", hitIDs(hits))
	}
	if _, r := in.searchUsers(t, admin, "role=mayor"); r.Status != 400 {
		t.Errorf("unknown role: %d %s", r.Status, r.Body)
	}

	// Paging: everyone, two at a time, each once.
	seen := map[string]bool{}
	cursor := ""
	for range 10 {
		r := in.call(t, "GET", "/v1/admin/users?limit=2&cursor="+url.QueryEscape(cursor), admin, nil)
		var page struct {
			Items      []userHit
			NextCursor string
		}
		r.json(t, &page)
		for _, h := range page.Items {
			if seen[h.ID] {
				t.Errorf("user %s on two pages", h.ID)
			}
			seen[h.ID] = true
		}
		if cursor = page.NextCursor; cursor == "" {
			break
		}
	}
	for _, id := range []string{a, b, c, staffID} {
		if !seen[id] {
			t.Errorf("paging never listed %s", id)
		}
	}

	// Each person shown with a profile is in the access log, the staff
	// account without one is not.
	var log struct {
		Items []struct{ ActorID, SubjectID, What, ObjectID string }
	}
	in.call(t, "GET", "/v1/admin/access-log?subjectId="+a, admin, nil).json(t, &log)
	searched := 0
	for _, e := range log.Items {
		if e.What == "user_search" && e.SubjectID == a && e.ObjectID == a && e.ActorID == in.userID(t, admin) {
			searched++
		}
	}
	if searched < 4 { // the name, the ID, the phone twice, the pages
		t.Errorf("access log of %s: %d searches logged, %+v", a, searched, log.Items)
	}
	in.call(t, "GET", "/v1/admin/access-log?subjectId="+staffID, admin, nil).json(t, &log)
	if len(log.Items) != 0 {
		t.Errorf("a user without personal data logged as seen: %+v", log.Items)
	}

	// Only admins search.
	for _, tok := range []string{gradA, staffToken} {
		if _, r := in.searchUsers(t, tok, "q="+url.QueryEscape("欧阳")); r.Status != 403 {
			t.Errorf("a non-admin searched: %d %s", r.Status, r.Body)
		}
	}
}
