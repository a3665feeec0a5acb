package main

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/chromedp/chromedp"
)

// The console's HR claims, finance reports and phone sign-in, in a real
// browser (see console_test.go).

// TestConsoleHRClaims: HR sees the claims of the people employed at its
// employer, with statuses and packages in Chinese (and in English on
// request), and none of another employer's people.
func TestConsoleHRClaims(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var empA, empB struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &empA)
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "海曙新材料", "creditCode": creditCodeB}, "Idempotency-Key", newKey()).json(t, &empB)
	hrEmail, hrA := in.staffAccount(t, admin, "hr", empA.ID)
	hrB := in.staff(t, admin, "hr", empB.ID)

	li, _ := in.hiredGraduate(t, "李明", testNationalID, creditCodeA, hrA)
	in.paying(t, in.userID(t, li), allowance.ClaimActive, allowance.PaymentScheduled, nil, 1500000)
	wang, _ := in.hiredGraduate(t, "王芳", testenv.NationalID(21), creditCodeA, "")
	in.paying(t, in.userID(t, wang), allowance.ClaimAwaitingEmployer, allowance.PaymentScheduled, nil)
	zhou, _ := in.hiredGraduate(t, "周敏", testenv.NationalID(22), creditCodeB, hrB)
	in.paying(t, in.userID(t, zhou), allowance.ClaimActive, allowance.PaymentDue, nil, 200000)

	b := in.browser(t, "hr")
	b.signIn("/hr/claims", hrEmail)
	b.waitText(`[data-test=hr-claims]`, "王芳")
	b.waitText(`[data-test=hr-claims]`, "李明")
	b.waitStatus(`[data-test=hr-claims]`, "active")
	b.waitStatus(`[data-test=hr-claims]`, "awaiting_employer")
	// Li's first payment is scheduled for today: the release job may have
	// made it due already. The table shows whichever the API says.
	var listed struct {
		Items []struct {
			GraduateName string
			NextPayment  *struct{ Status string }
		}
	}
	in.call(t, "GET", "/v1/hr/claims", hrA, nil).json(t, &listed)
	nextPayment := ""
	for _, it := range listed.Items {
		if it.GraduateName == "李明" && it.NextPayment != nil {
			nextPayment = map[string]string{"scheduled": "待发放", "due": "应付", "batched": "已入批次"}[it.NextPayment.Status]
		}
	}
	if nextPayment == "" {
		t.Fatalf("the API lists no next payment for Li: %+v", listed)
	}
	b.waitText(`[data-test=hr-claims]`, nextPayment)
	table := b.text(`[data-test=hr-claims]`)
	for _, want := range []string{"发放中", "待单位确认", "一次性安家补贴", nextPayment, "待确认", "单位确认在职", "3302**********0423"} {
		if !strings.Contains(table, want) {
			t.Errorf("the HR claims table lacks %q:\n%s", want, table)
		}
	}
	for _, not := range []string{"周敏", "15,000", "awaiting_employer", "relocation", testBankAccount} {
		if strings.Contains(table, not) {
			t.Errorf("the HR claims table shows %q:\n%s", not, table)
		}
	}
	b.screenshot("hr-claims")
	b.run("switching to English", chromedp.Click(chromedp.CSS(`[data-test=locale]`)))
	b.waitText(`[data-test=hr-claims]`, "Awaiting employer")
	b.waitText(`[data-test=hr-claims]`, "Relocation allowance")
	b.noCSPViolations()
}

// yuanText is an amount in fen as the console shows it in Chinese: ¥15,000.00.
func yuanText(fen int64) string {
	s := strconv.FormatInt(fen/100, 10)
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "," + s[i:]
	}
	return fmt.Sprintf("¥%s.%02d", s, fen%100)
}

// TestConsoleReports: finance opens reconciliation and delivery; the
// amounts are the API's in yuan, and each chart's bars and table carry the
// API's numbers for every package and month, counted by Shanghai months.
func TestConsoleReports(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	email, finance := in.staffAccount(t, admin, "finance", "")
	claims := map[string]allowance.Claim{}
	for i, c := range []struct {
		name    string
		status  allowance.ClaimStatus
		payment allowance.PaymentStatus
		amounts []int64
	}{
		{"due", allowance.ClaimActive, allowance.PaymentDue, []int64{1500000, 1500000}},
		{"paid", allowance.ClaimActive, allowance.PaymentPaid, []int64{2000000}},
		{"suspended", allowance.ClaimSuspended, allowance.PaymentSuspended, []int64{500000}},
	} {
		grad, _ := in.graduate(t, map[string]any{"name": "李明", "nationalId": testenv.NationalID(31 + i)})
		claims[c.name] = in.paying(t, in.userID(t, grad), c.status, c.payment, nil, c.amounts...)
	}
	// In this month of Shanghai, within its first hours (UTC's previous
	// day): relocation decided in 2 days and not paid yet, one deadline
	// missed; rent decided in 3.5 days, paid in 12. In the month before:
	// relocation decided in 1 day and paid in 8, two deadlines missed.
	thisMonth := `(date_trunc('month', now() AT TIME ZONE 'Asia/Shanghai') AT TIME ZONE 'Asia/Shanghai')`
	in.sql(t, `UPDATE claims SET submitted_at = `+thisMonth+` + interval '1 hour', decided_at = `+thisMonth+` + interval '49 hours', breaches = 1 WHERE id = $1`, claims["due"].ID)
	in.sql(t, `UPDATE claims SET package = 'rent', submitted_at = `+thisMonth+` + interval '2 hours', decided_at = `+thisMonth+` + interval '86 hours',
		first_paid_at = `+thisMonth+` + interval '290 hours' WHERE id = $1`, claims["paid"].ID)
	in.sql(t, `UPDATE claims SET submitted_at = `+thisMonth+` - interval '20 days', decided_at = `+thisMonth+` - interval '19 days',
		first_paid_at = `+thisMonth+` - interval '12 days', breaches = 2 WHERE id = $1`, claims["suspended"].ID)

	var rec map[string]any
	in.call(t, "GET", "/v1/finance/reconciliation", finance, nil).json(t, &rec)
	if rec["approved"] != 5500000.0 || rec["paid"] != 2000000.0 || rec["scheduled"] != 3000000.0 || rec["suspended"] != 500000.0 || rec["balanced"] != true {
		t.Fatalf("reconciliation: %v", rec)
	}

	b := in.browser(t, "finance")
	b.signIn("/reports", email)
	b.waitText(`[data-test=reconciliation]`, yuanText(5500000))
	for _, k := range []string{"approved", "paid", "scheduled", "suspended", "clawbackOwed", "clawedBack"} {
		want := int64(rec[k].(float64))
		if got := b.text(`[data-test=reconciliation] [data-field=` + k + `]`); got != yuanText(want) {
			t.Errorf("reconciliation %s shown as %q, want %q (the API's %d fen)", k, got, yuanText(want), want)
		}
	}
	if got := b.text(`[data-test=balanced]`); got != "账实相符" {
		t.Errorf("balance shown as %q", got)
	}

	// The last six months of Shanghai, as the API reports each.
	sh := time.FixedZone("Asia/Shanghai", 8*3600)
	now := time.Now().In(sh)
	type point struct{ series, month string }
	want := map[string]map[point]float64{"chart-decision": {}, "chart-money": {}, "chart-breaches": {}}
	days := func(s int64) float64 { return math.Round(float64(s)/86400*10) / 10 }
	for i := range 6 {
		m := time.Date(now.Year(), now.Month()-5+time.Month(i), 1, 0, 0, 0, 0, sh)
		next := m.AddDate(0, 1, 0)
		var rep struct {
			Items []struct {
				Package                                              string
				MedianToDecisionSeconds, MedianToFirstPaymentSeconds int64
				Decided, Paid, DeadlinesBreached                     int
			}
		}
		in.call(t, "GET", "/v1/stats/delivery?from="+m.Format(time.DateOnly)+"&to="+next.Format(time.DateOnly), finance, nil).json(t, &rep)
		for _, r := range rep.Items {
			// A time of no claim decided (or paid) is not drawn.
			p := point{r.Package, m.Format("2006-01")}
			if r.Decided > 0 {
				want["chart-decision"][p] = days(r.MedianToDecisionSeconds)
			}
			if r.Paid > 0 {
				want["chart-money"][p] = days(r.MedianToFirstPaymentSeconds)
			}
			want["chart-breaches"][p] = float64(r.DeadlinesBreached)
		}
	}
	cur, prev := now.Format("2006-01"), time.Date(now.Year(), now.Month()-1, 1, 0, 0, 0, 0, sh).Format("2006-01")
	for chart, p := range map[string]map[point]float64{
		"chart-decision": {{"relocation", cur}: 2, {"rent", cur}: 3.5, {"relocation", prev}: 1},
		"chart-money":    {{"rent", cur}: 12, {"relocation", prev}: 8},
		"chart-breaches": {{"relocation", cur}: 1, {"rent", cur}: 0, {"relocation", prev}: 1},
	} {
		for k, v := range p {
			if got, ok := want[chart][k]; !ok || got != v {
				t.Errorf("the API's %s for %v: %v (reported %v), want %v", chart, k, got, ok, v)
			}
		}
	}
	if _, drawn := want["chart-money"][point{"relocation", cur}]; drawn {
		t.Errorf("a time to money is drawn for relocation this month, where nothing was paid")
	}
	for chart, points := range want {
		b.run("waiting for "+chart, chromedp.WaitVisible(chromedp.CSS(`[data-test=`+chart+`] svg rect`)))
		for _, what := range []string{"td", "rect"} {
			ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
			raw, err := chromedp.Run(ctx, chromedp.Evaluate[string](`JSON.stringify([...document.querySelectorAll('[data-test=`+chart+`] `+what+`[data-series]')]
				.filter((e) => e.dataset.value !== '').map((e) => [e.dataset.series, e.dataset.category, Number(e.dataset.value)]))`))
			cancel()
			if err != nil {
				t.Fatal(err)
			}
			var shown [][3]any
			if err := json.Unmarshal([]byte(raw), &shown); err != nil {
				t.Fatalf("%s %s: %v: %s", chart, what, err, raw)
			}
			got := map[point]float64{}
			for _, s := range shown {
				got[point{s[0].(string), s[1].(string)}] = s[2].(float64)
			}
			if fmt.Sprint(got) != fmt.Sprint(points) {
				t.Errorf("%s %ss show %v, the API says %v", chart, what, got, points)
			}
		}
	}
	if got := b.text(`[data-test=chart-decision] table`); !strings.Contains(got, "3.5 天") || !strings.Contains(got, "租房补贴") {
		t.Errorf("the time-to-decision table reads %q", got)
	}
	b.screenshot("reports")
	b.noCSPViolations()
}

// TestConsolePhoneSignIn: a staff member signs in to the console by phone
// (the SMS code read from the Auth emulator, as the person would read it
// on their phone) and lands on their role's screen; the policy lets
// nothing of Google's in against the emulator.
func TestConsolePhoneSignIn(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	phone := randomPhone()
	_, token, err := in.Emu.SignInWithPhone(context.Background(), phone)
	if err != nil {
		t.Fatal(err)
	}
	if r := in.call(t, "PUT", "/v1/admin/users/"+in.userID(t, token)+"/roles/finance", admin, map[string]any{}); r.Status != 200 {
		t.Fatalf("grant: %d %s", r.Status, r.Body)
	}
	var cfg struct{ StaffSignInProviders []string }
	in.call(t, "GET", "/v1/public/config", "", nil).json(t, &cfg)
	if !strings.Contains(strings.Join(cfg.StaffSignInProviders, ","), "phone") {
		t.Fatalf("the public config does not offer phone sign-in to staff: %+v", cfg)
	}
	if csp := in.call(t, "GET", "/console/", "", nil).Header.Get("Content-Security-Policy"); strings.Contains(csp, "google") || strings.Contains(csp, "gstatic") {
		t.Errorf("against the emulator the policy lets Google in: %s", csp)
	}
	codes := func() map[string]string {
		res, err := http.Get("http://" + in.Env["FIREBASE_AUTH_EMULATOR_HOST"] + "/emulator/v1/projects/" + testenv.ProjectID + "/verificationCodes")
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		var out struct {
			VerificationCodes []struct{ PhoneNumber, Code, SessionInfo string }
		}
		if err := json.NewDecoder(res.Body).Decode(&out); err != nil {
			t.Fatal(err)
		}
		m := map[string]string{}
		for _, c := range out.VerificationCodes {
			if c.PhoneNumber == phone {
				m[c.SessionInfo] = c.Code
			}
		}
		return m
	}
	before := codes()

	b := in.browser(t, "phone")
	b.run("asking for a code",
		chromedp.Navigate(in.URL+"/console/finance/batches"),
		chromedp.WaitVisible(chromedp.CSS(`[data-test=method-phone]`)),
		chromedp.Click(chromedp.CSS(`[data-test=method-phone]`)),
		chromedp.WaitVisible(chromedp.CSS(`#phone`)),
		chromedp.SendKeys(chromedp.CSS(`#phone`), strings.TrimPrefix(phone, "+86")),
		chromedp.Click(chromedp.CSS(`[data-test=send-code]`)),
		chromedp.WaitVisible(chromedp.CSS(`#code`)),
	)
	b.screenshot("code-sent")
	code := ""
	waitFor(t, "the emulator's code for the console's request", func() (bool, string) {
		for session, c := range codes() {
			if _, old := before[session]; !old {
				code = c
			}
		}
		return code != "", fmt.Sprint(before)
	})
	b.run("signing in with the code",
		chromedp.SendKeys(chromedp.CSS(`#code`), code),
		chromedp.Click(chromedp.CSS(`[data-test=signin-phone]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-test=sign-out]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-test=create-batch]`)),
	)
	b.screenshot("signed-in-by-phone")
	// A wrong code is refused with the SDK's reason.
	b.run("signing out", chromedp.Click(chromedp.CSS(`[data-test=sign-out]`)), chromedp.WaitVisible(chromedp.CSS(`[data-test=method-phone]`)))
	b.run("asking again",
		chromedp.Click(chromedp.CSS(`[data-test=method-phone]`)),
		chromedp.WaitVisible(chromedp.CSS(`#phone`)),
		chromedp.SendKeys(chromedp.CSS(`#phone`), phone),
		chromedp.Click(chromedp.CSS(`[data-test=send-code]`)),
		chromedp.WaitVisible(chromedp.CSS(`#code`)),
		chromedp.SendKeys(chromedp.CSS(`#code`), "000000"),
		chromedp.Click(chromedp.CSS(`[data-test=signin-phone]`)),
	)
	b.waitText(`[data-test=signin-error]`, "invalid-verification-code")
	b.noCSPViolations()
}
