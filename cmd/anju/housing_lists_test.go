package main

import (
	"context"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"
)

// applicantIn is a graduate in a round: their token, name, ID number and application.
type applicantIn struct {
	token, name, nationalID, app string
}

// drawnRound is a round over two studios, drawn: three employed graduates
// with different degrees rank by score (doctorate, master, bachelor), the
// first two are housed with offers and the third waits; a fourth without a
// job is ineligible and outside the draw.
type drawnRound struct {
	round, property string
	units           []string
	grads           []applicantIn // in the draw's order; the last is ineligible
}

func (in *instance) drawnRound(t *testing.T, admin, officer string) drawnRound {
	t.Helper()
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)
	var d drawnRound
	var prop struct{ ID string }
	in.call(t, "POST", "/v1/housing/properties", officer, map[string]any{"name": "慈溪人才公寓二期", "district": "慈溪市", "address": "新城大道 2 号"},
		"Idempotency-Key", newKey()).json(t, &prop)
	d.property = prop.ID
	for _, n := range []string{"2-101", "2-102"} {
		var u struct{ ID string }
		if r := in.call(t, "POST", "/v1/housing/properties/"+prop.ID+"/units", officer,
			map[string]any{"number": n, "layout": "studio", "area": "35", "floor": 1, "marketRent": 150000}, "Idempotency-Key", newKey()); r.Status != 201 {
			t.Fatalf("unit: %d %s", r.Status, r.Body)
		} else {
			r.json(t, &u)
		}
		d.units = append(d.units, u.ID)
	}
	for _, g := range []struct {
		name, id, level string
		employed        bool
	}{{"李明", testNationalID, "doctorate", true}, {"王芳", "330282199903050029", "master", true},
		{"赵强", "330203200002290017", "bachelor", true}, {"孙丽", "330203199001011236", "master", false}} {
		tok := in.signUp(t)
		profile := map[string]any{"name": g.name, "nationalId": g.id, "hukouPlace": "江西省南昌市",
			"education": []map[string]any{{"level": g.level, "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}}}
		if g.employed {
			profile["employer"] = map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}
		}
		if r := in.call(t, "PUT", "/v1/me", tok, profile); r.Status != 200 {
			t.Fatalf("profile %s: %d %s", g.name, r.Status, r.Body)
		}
		d.grads = append(d.grads, applicantIn{token: tok, name: g.name, nationalID: g.id})
	}
	in.confirmPending(t, hr, "2025-07-01", "2028-06-30")
	now := time.Now().UTC()
	var round struct{ ID string }
	in.call(t, "POST", "/v1/housing/rounds", officer, map[string]any{"name": "2026 年第二批", "opensAt": now.Add(-time.Minute),
		"closesAt": now.Add(time.Hour), "unitIds": d.units}, "Idempotency-Key", newKey()).json(t, &round)
	d.round = round.ID
	for i := range d.grads {
		var app struct{ ID string }
		if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/applications", d.grads[i].token,
			map[string]any{"preferences": []map[string]any{{"layout": "studio"}}, "householdSize": 1, "ownsHomeInCity": false, "publicRentalHousing": false},
			"Idempotency-Key", newKey()); r.Status != 201 {
			t.Fatalf("apply: %d %s", r.Status, r.Body)
		} else {
			r.json(t, &app)
		}
		d.grads[i].app = app.ID
	}
	for _, step := range []string{"close", "draw"} {
		if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/"+step, officer, nil); r.Status != 200 {
			t.Fatalf("%s: %d %s", step, r.Status, r.Body)
		}
	}
	return d
}

// offerOf is the graduate's latest offer, once the draw or the waitlist made it.
func (in *instance) offerOf(t *testing.T, token string) string {
	t.Helper()
	var mine struct {
		Offers []struct{ Offer struct{ ID, Status string } }
	}
	eventually(t, 20*time.Second, "an offer", func() bool {
		in.call(t, "GET", "/v1/me/housing", token, nil).json(t, &mine)
		return len(mine.Offers) > 0 && mine.Offers[0].Offer.Status == "pending"
	})
	return mine.Offers[0].Offer.ID
}

type roundApplicationPage struct {
	Items []struct {
		Application struct {
			ID, Status string
			Rank       *int
		}
		Applicant, Name, UnitNumber, LeaseID string
		Offer                                *struct{ ID, Status, Source, UnitID string }
		WaitlistPlace                        *int
	}
	NextCursor string
}

type leasePage struct {
	Items []struct {
		Lease                                                      struct{ ID, Status, EndsOn string }
		TenantID, TenantName, UnitNumber, PropertyID, PropertyName string
	}
	NextCursor string
}

// TestHousingStaffLists: a round's applications come in the draw's order,
// page by page, with each offer, lease and place on the waitlist, filtered
// by status; leases come soonest ending first, filtered by status,
// property and end date and searched by name or exact ID number. Only
// housing staff list them; a bad cursor is refused; lease operations are
// audited.
func TestHousingStaffLists(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	officer := in.staff(t, admin, "housing", "")
	d := in.drawnRound(t, admin, officer)
	a, b, c, jobless := d.grads[0], d.grads[1], d.grads[2], d.grads[3]

	apps := func(query string) roundApplicationPage {
		t.Helper()
		var p roundApplicationPage
		in.get(t, officer, "/v1/housing/rounds/"+d.round+"/applications"+query, &p)
		return p
	}
	// One at a time, in the draw's order, the ineligible applicant last.
	var order []string
	cursor := ""
	for range 5 {
		p := apps("?limit=1&cursor=" + url.QueryEscape(cursor))
		if len(p.Items) != 1 {
			t.Fatalf("a page of one: %+v", p)
		}
		order = append(order, p.Items[0].Application.ID)
		if cursor = p.NextCursor; cursor == "" {
			break
		}
	}
	if want := []string{a.app, b.app, c.app, jobless.app}; !slices.Equal(order, want) {
		t.Fatalf("paged order %v, want %v", order, want)
	}
	all := apps("")
	if len(all.Items) != 4 || all.NextCursor != "" {
		t.Fatalf("all applications: %+v", all)
	}
	for i, x := range all.Items[:3] {
		if x.Application.Rank == nil || *x.Application.Rank != i+1 || x.Name != d.grads[i].name || !strings.HasPrefix(x.Applicant, string([]rune(d.grads[i].name)[:1])+"*") {
			t.Errorf("application %d: %+v", i, x)
		}
	}
	if x := all.Items[0]; x.Offer == nil || x.Offer.Status != "pending" || x.Offer.Source != "draw" || x.UnitNumber == "" || x.WaitlistPlace != nil {
		t.Errorf("the first housed applicant: %+v", x)
	}
	if x := all.Items[2]; x.Offer != nil || x.Application.Status != "waitlisted" || x.WaitlistPlace == nil || *x.WaitlistPlace != 1 {
		t.Errorf("the waitlisted applicant: %+v", x)
	}
	if x := all.Items[3]; x.Application.Rank != nil || x.Application.Status != "ineligible" || x.Offer != nil {
		t.Errorf("the ineligible applicant: %+v", x)
	}
	if p := apps("?status=allocated"); len(p.Items) != 2 || p.Items[0].Application.ID != a.app || p.Items[1].Application.ID != b.app {
		t.Errorf("allocated: %+v", p)
	}
	if p := apps("?status=waitlisted"); len(p.Items) != 1 || p.Items[0].Application.ID != c.app {
		t.Errorf("the waitlist: %+v", p)
	}
	// The applicant reads their rank too.
	var own struct{ Rank int }
	in.call(t, "GET", "/v1/housing/applications/"+b.app, b.token, nil).json(t, &own)
	if own.Rank != 2 {
		t.Errorf("the applicant's own rank: %+v", own)
	}

	// The second declines: the unit passes to the waitlist, which is now empty.
	if r := in.call(t, "POST", "/v1/housing/offers/"+in.offerOf(t, b.token)+"/decline", b.token, nil); r.Status != 200 {
		t.Fatalf("decline: %d %s", r.Status, r.Body)
	}
	all = apps("")
	if x := all.Items[1]; x.Offer == nil || x.Offer.Status != "declined" {
		t.Errorf("the declined applicant: %+v", x)
	}
	if x := all.Items[2]; x.Offer == nil || x.Offer.Status != "pending" || x.Offer.Source != "waitlist" || x.WaitlistPlace != nil {
		t.Errorf("the applicant the unit passed to: %+v", x)
	}

	// Leases: the first and the third accept.
	for _, g := range []applicantIn{a, c} {
		if r := in.call(t, "POST", "/v1/housing/offers/"+in.offerOf(t, g.token)+"/accept", g.token, nil); r.Status != 200 {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
	}
	if x := apps("").Items[0]; x.LeaseID == "" || x.Offer.Status != "accepted" {
		t.Errorf("an accepted offer's lease: %+v", x)
	}
	leases := func(query string) leasePage {
		t.Helper()
		var p leasePage
		in.get(t, officer, "/v1/housing/leases"+query, &p)
		return p
	}
	first := leases("?limit=1")
	if len(first.Items) != 1 || first.NextCursor == "" {
		t.Fatalf("a first page of one lease: %+v", first)
	}
	second := leases("?limit=1&cursor=" + url.QueryEscape(first.NextCursor))
	if len(second.Items) != 1 || second.NextCursor != "" || second.Items[0].Lease.ID == first.Items[0].Lease.ID {
		t.Fatalf("a second page: %+v", second)
	}
	byName := leases("?q=" + url.QueryEscape("李"))
	if len(byName.Items) != 1 || byName.Items[0].TenantName != a.name || byName.Items[0].PropertyName != "慈溪人才公寓二期" || byName.Items[0].UnitNumber == "" {
		t.Fatalf("by name: %+v", byName)
	}
	lease := byName.Items[0].Lease.ID
	if p := leases("?q=" + c.nationalID); len(p.Items) != 1 || p.Items[0].TenantName != c.name {
		t.Errorf("by national ID: %+v", p)
	}
	// A part of a tenant's number finds nobody: sealed numbers are never searched.
	for _, q := range []string{"?q=" + url.QueryEscape("%"), "?q=" + url.QueryEscape("李_"), "?q=" + b.nationalID, "?q=" + c.nationalID[:10], "?status=moving_out",
		"?endsBefore=" + time.Now().AddDate(0, 0, 2).Format(time.DateOnly), "?propertyId=" + nobody} {
		if p := leases(q); len(p.Items) != 0 {
			t.Errorf("leases%s: %+v", q, p)
		}
	}
	if p := leases("?propertyId=" + d.property + "&status=active&endsBefore=" + time.Now().AddDate(2, 0, 0).Format(time.DateOnly)); len(p.Items) != 2 {
		t.Errorf("the property's active leases ending within two years: %+v", p)
	}

	// Notice to leave, check-in and check-out are audited; the list follows the status.
	if r := in.call(t, "POST", "/v1/housing/leases/"+lease+"/check-in", officer, nil); r.Status != 200 {
		t.Fatalf("check-in: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/housing/leases/"+lease+"/check-in", officer, nil); r.Status != 200 {
		t.Fatalf("a second check-in: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/housing/leases/"+lease+"/move-out", officer, map[string]any{"reason": "home_bought", "note": "已在本市购房"}); r.Status != 200 {
		t.Fatalf("move-out: %d %s", r.Status, r.Body)
	}
	if p := leases("?status=moving_out"); len(p.Items) != 1 || p.Items[0].Lease.ID != lease {
		t.Errorf("moving out: %+v", p)
	}
	if r := in.call(t, "POST", "/v1/housing/leases/"+lease+"/check-out", officer, nil); r.Status != 200 {
		t.Fatalf("check-out: %d %s", r.Status, r.Body)
	}
	officerID := in.userID(t, officer)
	rows, err := in.DB.Pool().Query(context.Background(), `SELECT event || ' ' || actor_id || ' ' || detail FROM audit_log
		WHERE entity = 'lease' AND entity_id = $1 ORDER BY id`, lease)
	if err != nil {
		t.Fatal(err)
	}
	var audit []string
	for rows.Next() {
		var s string
		_ = rows.Scan(&s)
		audit = append(audit, s)
	}
	rows.Close()
	if len(audit) != 3 || audit[0] != "check_in "+officerID+" " || !strings.HasPrefix(audit[1], "move_out "+officerID+" reason=home_bought by=") ||
		strings.Contains(audit[1], "购房") || audit[2] != "check_out "+officerID+" " {
		t.Errorf("the lease's audit: %q", audit)
	}
	eventually(t, 20*time.Second, "the tenant told of check-in, notice and check-out", func() bool {
		tpls := in.inboxTemplates(t, a.token)
		return slices.Contains(tpls, "lease.checked_in") && slices.Contains(tpls, "lease.move_out") && slices.Contains(tpls, "lease.ended")
	})

	// Refusals: a cursor that is not one, a round that does not exist, anyone but housing staff.
	for _, path := range []string{"/v1/housing/rounds/" + d.round + "/applications?cursor=bm90LWEtY3Vyc29y", "/v1/housing/leases?cursor=bm90LWEtY3Vyc29y"} {
		if r := in.call(t, "GET", path, officer, nil); r.Status != 400 || r.problem(t).Code != "cursor_invalid" {
			t.Errorf("%s: %d %s", path, r.Status, r.Body)
		}
	}
	if r := in.call(t, "GET", "/v1/housing/rounds/"+nobody+"/applications", officer, nil); r.Status != 404 || r.problem(t).Code != "round_not_found" {
		t.Errorf("a round that does not exist: %d %s", r.Status, r.Body)
	}
	for _, tok := range []string{a.token, admin} {
		for _, path := range []string{"/v1/housing/rounds/" + d.round + "/applications", "/v1/housing/leases"} {
			if r := in.call(t, "GET", path, tok, nil); r.Status != 403 {
				t.Errorf("%s by someone not housing staff: %d %s", path, r.Status, r.Body)
			}
		}
	}
}
