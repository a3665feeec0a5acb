package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
)

// TestConsoleHousingDay: a housing officer's day in the console. The
// officer opens a drawn round and sees who got which unit with the offers
// pending and the waitlist in order; a graduate accepts an offer in the
// app; the officer finds the lease by the tenant's name, checks the tenant
// in, sees the renewal the tenant made in the app, gives notice to leave
// with a reason, and dismisses an objection to the round's notice with a
// resolution. Each step is confirmed through the API.
func TestConsoleHousingDay(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	email, officer := in.staffAccount(t, admin, "housing", "")
	d := in.drawnRound(t, admin, officer)
	a, b, c, jobless := d.grads[0], d.grads[1], d.grads[2], d.grads[3]

	// The round: two offers pending, the third applicant first on the waitlist.
	o := in.browser(t, "officer")
	o.signIn("/housing/rounds", email)
	o.press("opening the round's offers", `[data-test=offers-`+d.round+`]`)
	o.waitText(`[data-test=round-applications]`, c.name)
	o.waitText(`[data-test=round-applications]`, b.name)
	o.waitStatus(`[data-test=round-applications]`, "pending")
	o.waitStatus(`[data-test=round-applications]`, "waitlisted")
	o.waitText(`[data-test=place-`+c.app+`]`, "1")
	o.waitText(`[data-test=place-`+a.app+`]`, "—")
	o.screenshot("round")
	o.choose(`[data-test=status-waitlisted] input`)
	o.waitGone(`[data-test=app-` + a.app + `]`)
	o.waitText(`[data-test=round-applications]`, c.name)
	var waitlist roundApplicationPage
	in.call(t, "GET", "/v1/housing/rounds/"+d.round+"/applications?status=waitlisted", officer, nil).json(t, &waitlist)
	if len(waitlist.Items) != 1 || waitlist.Items[0].Application.ID != c.app || *waitlist.Items[0].WaitlistPlace != 1 {
		t.Fatalf("the waitlist in the API: %+v", waitlist)
	}

	// The first applicant accepts in the app.
	offer := in.offerOf(t, a.token)
	var accepted struct {
		Status string
		Lease  struct{ ID string }
	}
	if r := in.call(t, "POST", "/v1/housing/offers/"+offer+"/accept", a.token, nil); r.Status != 200 {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &accepted)
	}
	lease := accepted.Lease.ID

	// The officer finds the lease by the tenant's name and opens it.
	o.run("opening the leases", chromedp.Navigate(in.URL+"/console/housing/leases"), chromedp.WaitVisible(chromedp.CSS(`[data-test=leases]`)))
	o.run("searching by name",
		chromedp.SendKeys(chromedp.CSS(`input[data-test=lease-q]`), "李明"),
		chromedp.Click(chromedp.CSS(`[data-test=lease-search]`)),
	)
	o.waitText(`[data-test=leases]`, "慈溪人才公寓二期")
	if got := o.text(`[data-test=leases]`); strings.Contains(got, c.name) {
		t.Fatalf("the search by name lists another tenant: %q", got)
	}
	o.press("opening the lease", `[data-test=open-`+lease+`]`)
	o.waitText(`h2`, a.name)
	o.waitStatus(`[data-test=lease-status]`, "active")
	o.waitText(`[data-test=lease-months]`, "12 / 36")

	// Check-in.
	o.run("checking in", chromedp.Click(chromedp.CSS(`[data-test=lease-check-in]`)))
	o.confirm()
	o.waitGone(`[data-test=lease-check-in]`)
	var l leaseBody
	waitFor(t, "the tenant checked in", func() (bool, string) {
		r := in.call(t, "GET", "/v1/housing/leases/"+lease, officer, nil)
		r.json(t, &l)
		return l.CheckedInAt != nil, string(r.Body)
	})
	o.screenshot("lease")

	// The tenant renews in the app once the window opens; the page shows it.
	if _, err := in.DB.Pool().Exec(context.Background(), `UPDATE leases SET ends_on = current_date + 30 WHERE id = $1`, lease); err != nil {
		t.Fatal(err)
	}
	if r := in.call(t, "POST", "/v1/housing/leases/"+lease+"/renew", officer, nil); r.Status != 404 {
		t.Fatalf("an officer renewing a tenant's lease: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/housing/leases/"+lease+"/renew", a.token, nil); r.Status != 200 {
		t.Fatalf("the tenant renewing: %d %s", r.Status, r.Body)
	}
	o.run("reloading the lease", chromedp.Reload())
	o.waitText(`[data-test=lease-months]`, "24 / 36")
	o.waitText(`h2`, a.name)

	// Notice to leave, with a reason and a note.
	o.run("opening the notice", chromedp.Click(chromedp.CSS(`[data-test=lease-move-out-open]`)))
	o.run("waiting for the notice form", chromedp.WaitVisible(chromedp.CSS(`textarea[data-test=move-out-note]`)))
	o.choose(`[data-test=reason-home_bought] input`)
	o.run("giving notice",
		chromedp.SendKeys(chromedp.CSS(`textarea[data-test=move-out-note]`), "已在本市购房"),
		chromedp.Click(chromedp.CSS(`[data-test=move-out-submit]`)),
	)
	o.waitStatus(`[data-test=lease-status]`, "moving_out")
	o.waitText(`[data-test=lease-move-out]`, "在本市购房")
	waitFor(t, "the notice to leave", func() (bool, string) {
		r := in.call(t, "GET", "/v1/housing/leases/"+lease, a.token, nil)
		r.json(t, &l)
		return l.Status == "moving_out" && l.MoveOutReason == "home_bought 已在本市购房" && l.Months == 24, string(r.Body)
	})

	// An objection to the first allocation, dismissed with a resolution.
	var objection struct{ ID string }
	if r := in.call(t, "POST", "/v1/publicity/"+a.app+"/objections", jobless.token, map[string]any{"reasons": "该申请人学历积分有误"}, "Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("object: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &objection)
	}
	o.run("opening the objections", chromedp.Navigate(in.URL+"/console/housing/objections"), chromedp.WaitVisible(chromedp.CSS(`[data-test=objections]`)))
	o.waitText(`[data-test=objections]`, "该申请人学历积分有误")
	o.waitText(`[data-test=objections]`, "2026 年第二批")
	o.press("resolving the objection", `[data-test=resolve-`+objection.ID+`]`)
	o.run("writing the resolution",
		chromedp.WaitVisible(chromedp.CSS(`textarea[data-test=resolution]`)),
		chromedp.SendKeys(chromedp.CSS(`textarea[data-test=resolution]`), "经核实，博士学位证书真实有效，积分无误"),
		chromedp.Click(chromedp.CSS(`[data-test=dismiss]`)),
	)
	waitFor(t, "the objection dismissed", func() (bool, string) {
		r := in.call(t, "GET", "/v1/housing/objections?status=dismissed", officer, nil)
		var page struct {
			Items []struct {
				Objection struct{ ID, Status, Resolution string }
			}
		}
		r.json(t, &page)
		return len(page.Items) == 1 && page.Items[0].Objection.ID == objection.ID && page.Items[0].Objection.Resolution == "经核实，博士学位证书真实有效，积分无误", string(r.Body)
	})
	o.waitGone(`[data-test=resolve-` + objection.ID + `]`)
	o.choose(`[data-test=objections-dismissed] input`)
	o.waitText(`[data-test=objections]`, "积分无误")
	o.noCSPViolations()
}

// choose ticks a radio button by a script click on its input, repeated
// until it holds: the dialog holding it may still be animating in.
func (p *page) choose(sel string) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const box = document.querySelector(`+"`"+sel+"`"+`);
			if (!box) return false;
			if (!box.checked) box.click();
			return box.checked;
		})()`))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(200 * time.Millisecond)
	}
	p.t.Fatalf("%s: %s never got chosen", p.name, sel)
}
