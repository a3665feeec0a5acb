package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/hibiken/asynq"
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
	phone := "fcm-applicant-phone-" + newKey()
	in.call(t, "PUT", "/v1/me/devices/"+phone, a, map[string]any{"platform": "harmony"})
	b := graduate("王芳", "330282199903050029", "bachelor", true)
	c := graduate("赵强", "330203200002290017", "bachelor", true)
	jobless := graduate("孙丽", "330203199001011236", "doctorate", false)
	in.confirmPending(t, hr, "2025-07-01", "2028-06-30")

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

	r = in.call(t, "PUT", "/v1/housing/units/"+units[0], staff,
		map[string]any{"number": "101", "layout": "studio", "area": "40", "floor": 1, "marketRent": 200000, "status": "maintenance"})
	if p := r.problem(t); r.Status != 409 || p.Code != "unit_in_round" {
		t.Fatalf("maintenance for a unit waiting for its draw: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/housing/rounds", staff, roundBody, "Idempotency-Key", newKey()); r.Status != 422 {
		t.Fatalf("a second round over the same units: %d %s", r.Status, r.Body)
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
	if r := apply(c, map[string]any{"layout": "1br"}, map[string]any{"layout": "studio"}); r.Status != 201 {
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
		eventually(t, 20*time.Second, "the draw notice", func() bool {
			for _, tpl := range in.inboxTemplates(t, token) {
				if strings.HasPrefix(tpl, "draw.") {
					statuses[tpl]++
					return true
				}
			}
			return false
		})
	}
	if statuses["draw.allocated"] != 2 || statuses["draw.waitlisted"] != 1 {
		t.Fatalf("draw notices: %v", statuses)
	}
	// Offers: one housed applicant declines, the unit cascades to the
	// waitlist; the other accepts and gets a lease with its rent by year.
	offerOf := func(token string) string {
		var id string
		eventually(t, 20*time.Second, "an offer", func() bool {
			var list struct {
				Items []struct {
					Template string
					Data     map[string]string
				}
			}
			in.call(t, "GET", "/v1/me/notifications", token, nil).json(t, &list)
			for _, n := range list.Items {
				if n.Template == "offer.made" {
					id = strings.TrimPrefix(n.Data["link"], "anju://housing/offers/")
					return true
				}
			}
			return false
		})
		return id
	}
	var housed, waiting []string
	for _, token := range []string{a, b, c} {
		var list struct{ Items []struct{ Template string } }
		in.call(t, "GET", "/v1/me/notifications", token, nil).json(t, &list)
		for _, n := range list.Items {
			if n.Template == "draw.allocated" {
				housed = append(housed, token)
			}
			if n.Template == "draw.waitlisted" {
				waiting = append(waiting, token)
			}
		}
	}
	if len(housed) != 2 || len(waiting) != 1 {
		t.Fatalf("%d housed, %d waiting", len(housed), len(waiting))
	}
	accepting, declining, next := housed[0], housed[1], waiting[0]
	for _, line := range strings.Split(in.Logs.String(), "\n") {
		if strings.Contains(line, "task failed") || strings.Contains(line, "retried") {
			t.Log(line)
		}
	}
	var offer struct {
		ID, Status, Source, UnitID string
		Lease                      *struct {
			ID           string
			RentSchedule []struct {
				Year, Percent int
				MonthlyRent   int64
			}
		}
	}
	acceptID := offerOf(accepting)
	if r := in.call(t, "POST", "/v1/housing/offers/"+acceptID+"/accept", declining, nil); r.Status != 404 {
		t.Fatalf("accepting another's offer: %d", r.Status)
	}
	r = in.call(t, "POST", "/v1/housing/offers/"+acceptID+"/accept", accepting, nil)
	r.json(t, &offer)
	if r.Status != 200 || offer.Status != "accepted" || offer.Lease == nil || len(offer.Lease.RentSchedule) != 3 ||
		offer.Lease.RentSchedule[0].MonthlyRent != 120000 || offer.Lease.RentSchedule[2].Percent != 100 {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/housing/offers/"+acceptID+"/decline", accepting, nil); r.Status != 409 {
		t.Fatalf("declining an accepted offer: %d", r.Status)
	}
	leaseID := offer.Lease.ID
	in.leaseLife(t, leaseID, accepting, staff, hr)
	declineID := offerOf(declining)
	if r := in.call(t, "POST", "/v1/housing/offers/"+declineID+"/decline", declining, nil); r.Status != 200 {
		t.Fatalf("decline: %d %s", r.Status, r.Body)
	}
	cascaded := offerOf(next)
	offer.Lease = nil
	in.call(t, "GET", "/v1/housing/offers/"+cascaded, next, nil).json(t, &offer)
	if offer.Source != "waitlist" || offer.Status != "pending" {
		t.Fatalf("the waitlisted applicant's offer: %+v", offer)
	}
	// The waitlisted applicant lets it lapse: nobody is left, the unit is free.
	ctx := context.Background()
	if _, err := in.DB.Pool().Exec(ctx, `UPDATE offers SET expires_at = now() - interval '1 minute' WHERE id = $1`, cascaded); err != nil {
		t.Fatal(err)
	}
	in.runJob(t, "offers:expire")
	eventually(t, 20*time.Second, "the offer to expire", func() bool {
		in.call(t, "GET", "/v1/housing/offers/"+cascaded, next, nil).json(t, &offer)
		return offer.Status == "expired"
	})
	var unit struct{ Status string }
	eventually(t, 5*time.Second, "the unit to be free", func() bool {
		var page struct{ Items []struct{ ID, Status string } }
		in.call(t, "GET", "/v1/housing/units?propertyId="+prop.ID, staff, nil).json(t, &page)
		for _, u := range page.Items {
			if u.ID == offer.UnitID {
				unit.Status = u.Status
			}
		}
		return unit.Status == "available"
	})

	// Two staff assign the freed unit at once: one offer, one conflict.
	staff2 := in.staff(t, admin, "housing", "")
	var apps []string
	rows, err := in.DB.Pool().Query(ctx, `SELECT id::text FROM applications a WHERE status IN ('allocated', 'waitlisted')
		AND NOT EXISTS (SELECT 1 FROM offers o WHERE o.application_id = a.id AND o.status IN ('pending', 'accepted')) ORDER BY id`)
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var id string
		_ = rows.Scan(&id)
		apps = append(apps, id)
	}
	rows.Close()
	if len(apps) < 2 {
		t.Fatalf("applications without a live offer: %v", apps)
	}
	// An assignment by hand is a proposal a second officer approves. Two
	// proposals of the freed unit for two applications, each approved by
	// the other officer at once: one offer, one conflict.
	var proposals [2]struct{ ID, Kind, Status, ApplicationID string }
	for i, tok := range []string{staff, staff2} {
		r := in.call(t, "POST", "/v1/housing/units/"+offer.UnitID+"/assign", tok,
			map[string]any{"applicationId": apps[i], "reason": "special need"}, "Idempotency-Key", newKey())
		r.json(t, &proposals[i])
		if r.Status != 201 || proposals[i].Kind != "assignment" || proposals[i].Status != "proposed" {
			t.Fatalf("propose an assignment: %d %s", r.Status, r.Body)
		}
	}
	var wg sync.WaitGroup
	results := make([]response, 2)
	for i, tok := range []string{staff2, staff} {
		wg.Go(func() {
			results[i] = in.call(t, "POST", "/v1/housing/corrections/"+proposals[i].ID+"/approve", tok, nil)
		})
	}
	wg.Wait()
	if (results[0].Status == 200) == (results[1].Status == 200) || (results[0].Status != 409 && results[1].Status != 409) {
		t.Fatalf("racing assignments: %d %s / %d %s", results[0].Status, results[0].Body, results[1].Status, results[1].Body)
	}
	if r := in.call(t, "POST", "/v1/housing/units/"+offer.UnitID+"/assign", staff, map[string]any{"applicationId": apps[0], "reason": " "}, "Idempotency-Key", newKey()); r.Status != 422 && r.Status != 409 {
		t.Fatalf("assignment without a reason: %d", r.Status)
	}

	// A correction of the draw needs a second officer.
	var winner string
	for i, r := range results {
		if r.Status == 200 {
			winner = proposals[i].ApplicationID
		}
	}
	loser := apps[0]
	if loser == winner {
		loser = apps[1]
	}
	var freeUnit struct{ ID string }
	in.call(t, "POST", "/v1/housing/properties/"+prop.ID+"/units", staff,
		map[string]any{"number": "103", "layout": "studio", "area": "40", "floor": 1, "marketRent": 200000}, "Idempotency-Key", newKey()).json(t, &freeUnit)
	var corr struct{ ID, Status, OfferID string }
	r = in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/corrections", staff,
		map[string]any{"applicationId": loser, "unitId": freeUnit.ID, "reason": "score miscounted: 2 months of social insurance missing"}, "Idempotency-Key", newKey())
	r.json(t, &corr)
	if r.Status != 201 || corr.Status != "proposed" {
		t.Fatalf("propose correction: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/housing/corrections/"+corr.ID+"/approve", staff, nil); r.Status != 403 {
		t.Fatalf("approving one's own correction: %d %s", r.Status, r.Body)
	}
	r = in.call(t, "POST", "/v1/housing/corrections/"+corr.ID+"/approve", staff2, nil)
	r.json(t, &corr)
	if r.Status != 200 || corr.Status != "applied" || corr.OfferID == "" {
		t.Fatalf("approve correction: %d %s", r.Status, r.Body)
	}

	// Only housing staff manage rounds, units, offers and leases; nobody
	// else's application, offer or lease can be seen.
	outsider := in.signUp(t)
	for _, e := range []struct {
		method, path string
		body         any
		want         int
	}{
		{"POST", "/v1/housing/rounds/" + round.ID + "/close", nil, 403},
		{"POST", "/v1/housing/rounds/" + round.ID + "/draw", nil, 403},
		{"POST", "/v1/housing/rounds/" + round.ID + "/corrections", map[string]any{"applicationId": loser, "unitId": freeUnit.ID, "reason": "x"}, 403},
		{"POST", "/v1/housing/corrections/" + corr.ID + "/approve", nil, 403},
		{"POST", "/v1/housing/units/" + freeUnit.ID + "/assign", map[string]any{"applicationId": loser, "reason": "x"}, 403},
		{"PUT", "/v1/housing/units/" + freeUnit.ID, map[string]any{"number": "103", "layout": "studio", "area": "40", "floor": 1, "marketRent": 1}, 403},
		{"PUT", "/v1/housing/properties/" + prop.ID, map[string]any{"name": "x", "district": "x", "address": "x"}, 403},
		{"GET", "/v1/housing/applications/" + appA.ID, nil, 404},
		{"GET", "/v1/housing/offers/" + acceptID, nil, 404},
		{"GET", "/v1/housing/leases/" + leaseID, nil, 404},
		{"POST", "/v1/housing/leases/" + leaseID + "/renew", nil, 404},
		{"POST", "/v1/housing/leases/" + leaseID + "/check-out", nil, 403},
	} {
		if r := in.call(t, e.method, e.path, outsider, e.body, "Idempotency-Key", newKey()); r.Status != e.want {
			t.Errorf("%s %s as another graduate: %d, want %d", e.method, e.path, r.Status, e.want)
		}
	}

	// Every notice to the first applicant reached the phone as well.
	eventually(t, 20*time.Second, "a push per inbox entry", func() bool {
		pushes := 0
		for _, m := range in.FCM.Messages() {
			if m.Token == phone {
				pushes++
			}
		}
		return pushes > 0 && pushes == len(in.inboxTemplates(t, a))
	})

	// The public notice masks everyone.
	notice := in.call(t, "GET", "/v1/housing/rounds/"+round.ID+"/notice", grad(t, in), nil)
	if notice.Status != 200 || strings.Contains(string(notice.Body), "李明") || !strings.Contains(string(notice.Body), "李*") {
		t.Fatalf("notice: %d %s", notice.Status, notice.Body)
	}
	if x := in.call(t, "GET", "/v1/housing/rounds/"+round.ID+"/notice?format=xlsx", staff, nil); x.Status != 200 || len(x.Body) < 1000 {
		t.Fatalf("notice xlsx: %d", x.Status)
	}

	// The graduate's own housing, each item with what comes next.
	var mine struct {
		Applications []struct {
			RoundName string
			NextStep  struct{ Name, Actor string }
		}
		Offers []struct {
			Offer    struct{ ID, Status string }
			NextStep struct {
				Name  string
				DueAt *time.Time
			}
		}
		Leases []struct {
			Lease    struct{ ID string }
			NextStep struct{ Name string }
		}
	}
	in.call(t, "GET", "/v1/me/housing", accepting, nil).json(t, &mine)
	offers := map[string]string{}
	for _, o := range mine.Offers {
		offers[o.Offer.ID] = o.Offer.Status
		if o.Offer.Status == "pending" && (o.NextStep.Name != "answer_offer" || o.NextStep.DueAt == nil) {
			t.Fatalf("a pending offer's next step: %+v", o)
		}
	}
	if len(mine.Applications) != 1 || mine.Applications[0].RoundName != "2026 年第一批" || offers[acceptID] != "ended" ||
		len(mine.Leases) != 1 || mine.Leases[0].Lease.ID != leaseID {
		t.Fatalf("my housing: %+v", mine)
	}
	// An offer waiting for an answer says so, with its deadline.
	in.call(t, "GET", "/v1/me/housing", declining, nil).json(t, &mine)
	for _, o := range mine.Offers {
		if o.Offer.ID == declineID && o.Offer.Status != "declined" {
			t.Fatalf("the declined offer: %+v", o)
		}
	}
	if in.call(t, "GET", "/v1/me/housing", outsider, nil).json(t, &mine); len(mine.Applications)+len(mine.Offers)+len(mine.Leases) != 0 {
		t.Fatalf("an outsider's housing: %+v", mine)
	}

	// The round's notice, its draw record and its allocations on the public
	// notice need no sign-in, and name nobody.
	secrets := []string{"李明", "王芳", "赵强", "孙丽", testNationalID, "330282199903050029", "330203200002290017", "330203199001011236"}
	for _, path := range []string{"/v1/public/rounds/" + round.ID + "/notice", "/v1/public/rounds/" + round.ID + "/notice?format=xlsx",
		"/v1/public/rounds/" + round.ID + "/draw", "/v1/public/publicity?kind=round"} {
		assertNoPersonalData(t, path, in.public(t, path), secrets...)
	}
	if body := in.public(t, "/v1/public/rounds/"+round.ID+"/draw"); string(body) != string(in.call(t, "GET", "/v1/housing/rounds/"+round.ID+"/draw", a, nil).Body) {
		t.Fatal("the public draw record differs from the signed-in one")
	}
	var entries struct {
		Items []struct{ ID, RoundID, Status string }
	}
	response{Body: in.public(t, "/v1/public/publicity?kind=round")}.json(t, &entries)
	if len(entries.Items) != 2 || entries.Items[0].RoundID != round.ID {
		t.Fatalf("allocations on notice: %+v", entries)
	}

	// Objections to an allocation go to housing staff: one dismissed, one
	// upheld; the applicant is told the office will correct it.
	entry := entries.Items[0].ID
	var objections []string
	for _, token := range []string{outsider, jobless} {
		var o struct{ ID string }
		r := in.call(t, "POST", "/v1/publicity/"+entry+"/objections", token, map[string]any{"reasons": "该申请人积分计算有误"}, "Idempotency-Key", newKey())
		r.json(t, &o)
		if r.Status != 201 {
			t.Fatalf("object to an allocation: %d %s", r.Status, r.Body)
		}
		objections = append(objections, o.ID)
	}
	var open struct {
		Items []struct{ Objection struct{ ID string } }
	}
	in.call(t, "GET", "/v1/housing/objections", staff, nil).json(t, &open)
	if len(open.Items) != 2 {
		t.Fatalf("housing's open objections: %+v", open)
	}
	for _, path := range []string{"/v1/housing/objections", "/v1/review/objections"} {
		if r := in.call(t, "GET", path, outsider, nil); r.Status != 403 {
			t.Errorf("a graduate listing %s: %d", path, r.Status)
		}
	}
	if r := in.call(t, "POST", "/v1/housing/objections/"+objections[0]+"/resolve", outsider, map[string]any{"uphold": true, "resolution": "x"}); r.Status != 403 {
		t.Fatalf("a graduate deciding an objection: %d", r.Status)
	}
	reviewer := in.staff(t, admin, "reviewer", "")
	if r := in.call(t, "POST", "/v1/review/objections/"+objections[0]+"/resolve", reviewer, map[string]any{"uphold": true, "resolution": "x"}); r.Status != 404 {
		t.Fatalf("an allocation's objection decided as a claim's: %d", r.Status)
	}
	if r := in.call(t, "POST", "/v1/housing/objections/"+objections[0]+"/resolve", admin, map[string]any{"uphold": true, "resolution": "x"}); r.Status != 403 {
		t.Fatalf("an admin deciding an objection: %d", r.Status)
	}
	if r := in.call(t, "POST", "/v1/housing/objections/"+objections[0]+"/resolve", staff, map[string]any{"uphold": false, "resolution": "积分经复核无误"}); r.Status != 200 {
		t.Fatalf("dismiss: %d %s", r.Status, r.Body)
	}
	var still struct{ Items []struct{ ID, Status string } }
	response{Body: in.call(t, "GET", "/v1/public/publicity?kind=round", "", nil).Body}.json(t, &still)
	for _, e := range still.Items {
		if e.ID == entry && e.Status != "objected" {
			t.Fatalf("one objection dismissed, one open: %+v", e)
		}
	}
	if r := in.call(t, "POST", "/v1/housing/objections/"+objections[1]+"/resolve", staff2, map[string]any{"uphold": true, "resolution": "社保月数少计两个月，将依程序更正"}); r.Status != 200 {
		t.Fatalf("uphold: %d %s", r.Status, r.Body)
	}
	eventually(t, 20*time.Second, "the applicant is told of the upheld objection", func() bool {
		n := 0
		for _, token := range []string{a, b, c} {
			for _, tpl := range in.inboxTemplates(t, token) {
				if tpl == "allocation.objection_upheld" {
					n++
				}
			}
		}
		return n == 1
	})
}

func grad(t *testing.T, in *instance) string { return in.signUp(t) }

// runJob has the running worker do a periodic job now.
func (in *instance) runJob(t *testing.T, taskType string) {
	t.Helper()
	client := asynq.NewClient(asynq.RedisClientOpt{Addr: in.Redis.Addr})
	defer client.Close()
	if _, err := client.Enqueue(asynq.NewTask(taskType, nil), asynq.Queue("low")); err != nil {
		t.Fatal(err)
	}
}

type leaseBody struct {
	ID, Status, EndsOn, MoveOutReason string
	Months                            int
	CheckedInAt                       *time.Time
}

// leaseLife walks a lease: check-in, renewal refused before its window and
// granted in it, notice to leave once HR says the job ended 61 days ago,
// and check-out.
func (in *instance) leaseLife(t *testing.T, id, tenant, staff, hr string) {
	t.Helper()
	var l leaseBody
	if r := in.call(t, "POST", "/v1/housing/leases/"+id+"/check-in", tenant, nil); r.Status != 403 {
		t.Fatalf("a tenant checking in: %d", r.Status)
	}
	in.call(t, "POST", "/v1/housing/leases/"+id+"/check-in", staff, nil).json(t, &l)
	if l.CheckedInAt == nil || l.Months != 12 {
		t.Fatalf("check-in: %+v", l)
	}
	if r := in.call(t, "POST", "/v1/housing/leases/"+id+"/renew", tenant, nil); r.Status != 409 {
		t.Fatalf("renewing a year early: %d %s", r.Status, r.Body)
	}
	ctx := context.Background()
	if _, err := in.DB.Pool().Exec(ctx, `UPDATE leases SET ends_on = current_date + 30 WHERE id = $1`, id); err != nil {
		t.Fatal(err)
	}
	in.runJob(t, "leases:review")
	eventually(t, 20*time.Second, "the renewal notice", func() bool {
		return slices.Contains(in.inboxTemplates(t, tenant), "lease.renewal_open")
	})
	r := in.call(t, "POST", "/v1/housing/leases/"+id+"/renew", tenant, nil)
	r.json(t, &l)
	if r.Status != 200 || l.Months != 24 {
		t.Fatalf("renew: %d %s", r.Status, r.Body)
	}
	var emp struct{ ID string }
	in.call(t, "GET", "/v1/me/employment", tenant, nil).json(t, &emp)
	ended := time.Now().UTC().AddDate(0, 0, -61).Format(time.DateOnly)
	if r := in.call(t, "POST", "/v1/hr/employments/"+emp.ID+"/end", hr, map[string]any{"endedOn": ended}); r.Status != 200 {
		t.Fatalf("HR ending the employment: %d %s", r.Status, r.Body)
	}
	in.runJob(t, "leases:review")
	eventually(t, 20*time.Second, "the notice to leave", func() bool {
		in.call(t, "GET", "/v1/housing/leases/"+id, tenant, nil).json(t, &l)
		return l.Status == "moving_out"
	})
	if !strings.HasPrefix(l.MoveOutReason, "employment_ended") {
		t.Fatalf("move-out reason: %+v", l)
	}
	eventually(t, 20*time.Second, "the tenant's notice", func() bool {
		return slices.Contains(in.inboxTemplates(t, tenant), "lease.move_out")
	})
	if r := in.call(t, "POST", "/v1/housing/leases/"+id+"/move-out", tenant, map[string]any{"reason": "other"}); r.Status != 403 {
		t.Fatalf("a tenant giving notice to themselves: %d", r.Status)
	}
	in.call(t, "POST", "/v1/housing/leases/"+id+"/check-out", staff, nil).json(t, &l)
	if l.Status != "ended" {
		t.Fatalf("check-out: %+v", l)
	}
}
