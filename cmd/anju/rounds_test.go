package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// TestRoundDrawEndToEnd: housing staff open a round over two units (its
// seed's commitment published at once); graduates apply and get their
// eligibility with a trace; the close publishes the pool hash; the draw
// reveals the seed, allocates, tells everyone, and cannot run twice; the
// published record verifies with `anju verify-draw`, and a tampered one does
// not.
func TestRoundDrawEndToEnd(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	staff := in.staff(t, admin, "housing", "")
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)

	var prop struct{ ID string }
	in.call(t, "POST", "/v1/housing/properties", staff, map[string]any{"name": "人才公寓一期", "district": "慈溪市", "address": "新城大道 1 号"}, "Idempotency-Key", newKey()).json(t, &prop)
	var units []string
	for _, u := range []struct{ number, layout string }{{"101", "studio"}, {"102", "1br"}} {
		var unit struct{ ID string }
		in.call(t, "POST", "/v1/housing/properties/"+prop.ID+"/units", staff,
			map[string]any{"number": u.number, "layout": u.layout, "area": "40", "floor": 1, "marketRent": 200000}, "Idempotency-Key", newKey()).json(t, &unit)
		units = append(units, unit.ID)
	}

	// Three employed graduates and one without a job.
	graduate := func(name, id, level string, employed bool) string {
		token := in.signUp(t)
		profile := map[string]any{"name": name, "nationalId": id, "hukouPlace": "江西省南昌市",
			"education": []map[string]any{{"level": level, "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}}}
		if employed {
			profile["employer"] = map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}
		}
		if r := in.call(t, "PUT", "/v1/me", token, profile); r.Status != 200 {
			t.Fatalf("profile %s: %d %s", name, r.Status, r.Body)
		}
		return token
	}
	a := graduate("李明", testNationalID, "master", true)
	b := graduate("王芳", "330282199903050029", "bachelor", true)
	c := graduate("赵强", "330203200002290017", "bachelor", true)
	jobless := graduate("孙丽", "330203199001011236", "doctorate", false)
	var pending struct{ Items []struct{ ID string } }
	in.call(t, "GET", "/v1/hr/employments", hr, nil).json(t, &pending)
	for _, e := range pending.Items {
		if r := in.call(t, "POST", "/v1/hr/employments/"+e.ID+"/confirm", hr,
			map[string]any{"contractStart": "2025-07-01", "contractEnd": "2028-06-30", "socialInsuranceStart": "2025-08-01"}); r.Status != 200 {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
	}

	now := time.Now().UTC()
	roundBody := map[string]any{"name": "2026 年第一批", "opensAt": now.Add(-time.Minute), "closesAt": now.Add(time.Hour), "unitIds": units}
	if r := in.call(t, "POST", "/v1/housing/rounds", a, roundBody, "Idempotency-Key", newKey()); r.Status != 403 {
		t.Fatalf("a graduate opening a round: %d", r.Status)
	}
	var round struct{ ID, Status, Commitment, PoolHash string }
	r := in.call(t, "POST", "/v1/housing/rounds", staff, roundBody, "Idempotency-Key", newKey())
	r.json(t, &round)
	if r.Status != 201 || len(round.Commitment) != 64 || round.PoolHash != "" {
		t.Fatalf("open round: %d %s", r.Status, r.Body)
	}

	apply := func(token string, prefs ...map[string]any) response {
		return in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/applications", token,
			map[string]any{"preferences": prefs, "householdSize": 1, "ownsHomeInCity": false, "publicRentalHousing": false}, "Idempotency-Key", newKey())
	}
	var appA struct {
		ID, Status string
		Score      int
		Decision   struct{ Outcome string }
	}
	r = apply(a, map[string]any{"layout": "1br"}, map[string]any{"propertyId": prop.ID})
	r.json(t, &appA)
	if r.Status != 201 || appA.Status != "eligible" || appA.Score == 0 {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	}
	if r := apply(a, map[string]any{"layout": "studio"}); r.Status != 409 {
		t.Fatalf("a second active application: %d %s", r.Status, r.Body)
	}
	if r := apply(b, map[string]any{"layout": "1br"}, map[string]any{"layout": "studio"}); r.Status != 201 {
		t.Fatalf("apply b: %d %s", r.Status, r.Body)
	}
	if r := apply(c, map[string]any{"layout": "1br"}); r.Status != 201 {
		t.Fatalf("apply c: %d %s", r.Status, r.Body)
	}
	var refused struct {
		Status   string
		Decision struct {
			Trace []struct{ RuleID, Outcome string }
		}
	}
	apply(jobless, map[string]any{"layout": "studio"}).json(t, &refused)
	if refused.Status != "ineligible" || len(refused.Decision.Trace) == 0 {
		t.Fatalf("jobless applicant: %+v", refused)
	}
	if r := in.call(t, "GET", "/v1/housing/applications/"+appA.ID, b, nil); r.Status != 404 {
		t.Fatalf("another graduate reading an application: %d", r.Status)
	}
	if r := apply(a, map[string]any{"layout": "3br"}); r.Status != 409 && r.Status != 422 {
		t.Fatalf("a preference no unit matches: %d", r.Status)
	}

	if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/draw", staff, nil); r.Status != 409 {
		t.Fatalf("drawing before the close: %d %s", r.Status, r.Body)
	}
	r = in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/close", staff, nil)
	r.json(t, &round)
	if r.Status != 200 || round.Status != "closed" || len(round.PoolHash) != 64 {
		t.Fatalf("close: %d %s", r.Status, r.Body)
	}
	r = in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/draw", staff, nil)
	if r.Status != 200 {
		t.Fatalf("draw: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/draw", staff, nil); r.Status != 409 {
		t.Fatalf("a second draw: %d %s", r.Status, r.Body)
	}

	record := in.call(t, "GET", "/v1/housing/rounds/"+round.ID+"/draw", b, nil)
	if record.Status != 200 || strings.Contains(string(record.Body), testNationalID) || strings.Contains(string(record.Body), "李明") {
		t.Fatalf("record: %d %.300s", record.Status, record.Body)
	}
	dir := t.TempDir()
	file := filepath.Join(dir, "draw.json")
	_ = os.WriteFile(file, record.Body, 0o600)
	var out syncBuffer
	if err := run(context.Background(), []string{"verify-draw", file}, func(string) string { return "" }, &out); err != nil {
		t.Fatalf("verify-draw: %v", err)
	}
	if !strings.Contains(out.String(), "verifies") || !strings.Contains(out.String(), "3 applications, 2 units") {
		t.Fatalf("verify-draw said: %s", out.String())
	}
	tampered := strings.Replace(string(record.Body), `"householdSize":1`, `"householdSize":2`, 1)
	_ = os.WriteFile(file, []byte(tampered), 0o600)
	if err := run(context.Background(), []string{"verify-draw", file}, func(string) string { return "" }, &out); err == nil {
		t.Fatal("a tampered record verified")
	}

	// Two units for three eligible applicants: two housed, one waitlisted, each told.
	statuses := map[string]int{}
	for _, token := range []string{a, b, c} {
		var list struct{ Items []struct{ Template string } }
		eventually(t, 20*time.Second, "the draw notice", func() bool {
			in.call(t, "GET", "/v1/me/notifications", token, nil).json(t, &list)
			return len(list.Items) > 0 && strings.HasPrefix(list.Items[0].Template, "draw.")
		})
		statuses[list.Items[0].Template]++
	}
	if statuses["draw.allocated"] != 2 || statuses["draw.waitlisted"] != 1 {
		t.Fatalf("draw notices: %v", statuses)
	}
	var got struct {
		Status string
		UnitID string `json:"unitId"`
	}
	in.call(t, "GET", "/v1/housing/applications/"+appA.ID, a, nil).json(t, &got)
	if got.Status != "allocated" && got.Status != "waitlisted" {
		t.Fatalf("application after the draw: %+v", got)
	}
}
