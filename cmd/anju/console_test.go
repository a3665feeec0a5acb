package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/console"
	"github.com/anju-city/anju/internal/dataset"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/chromedp/chromedp"
)

// The staff console in a real browser: Debian's chromium, headless, driven
// by chromedp against the real binary and services. Each person gets their
// own browser (their own Firebase session in IndexedDB), signs in with
// email and password at the Auth emulator, clicks through the screens, and
// the API is then asked whether the work was done.

const staffPassword = "console-password-1"

// chromiumPath finds the browser; a missing one fails under CI (make test
// installs it with scripts/services.sh browser) and skips elsewhere.
func chromiumPath(t *testing.T) string {
	t.Helper()
	for _, p := range []string{os.Getenv("ANJU_CHROMIUM"), "/usr/bin/chromium"} {
		if p != "" {
			if _, err := os.Stat(p); err == nil {
				return p
			}
		}
	}
	if p, err := exec.LookPath("chromium"); err == nil {
		return p
	}
	testenv.Require(t, "chromium", errors.New("not found; scripts/services.sh browser installs it"))
	return ""
}

// consoleBuilt fails under CI, and skips elsewhere, when the binary was
// built without the console: `make console` builds it.
func consoleBuilt(t *testing.T) {
	t.Helper()
	if !console.Built() {
		testenv.Require(t, "the console build", errors.New("not built into this test binary; make console builds it"))
	}
}

// page is one person's browser.
type page struct {
	t    *testing.T
	in   *instance
	ctx  context.Context
	name string
	mu   sync.Mutex
	// problems are console errors, uncaught exceptions and CSP violations.
	problems []string
}

func (in *instance) browser(t *testing.T, name string) *page {
	t.Helper()
	exe := chromiumPath(t)
	consoleBuilt(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(exe),
		chromedp.NoSandbox, // tests run as root in CI
		chromedp.DisableGPU,
		chromedp.WindowSize(1400, 1000),
		chromedp.Flag("lang", "zh-CN"),
	)
	alloc, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelCtx := chromedp.NewContext(alloc)
	p := &page{t: t, in: in, ctx: ctx, name: name}
	if err := chromedp.Do(ctx, chromedp.Navigate("about:blank")); err != nil {
		cancelCtx()
		cancelAlloc()
		t.Fatalf("starting chromium: %v", err)
	}
	messages := chromedp.Console(ctx)
	go func() {
		for m, err := range messages {
			if err != nil {
				return
			}
			if m.Type == chromedp.ConsoleError || m.Type == chromedp.ConsoleException {
				p.mu.Lock()
				p.problems = append(p.problems, string(m.Type)+": "+m.Text)
				p.mu.Unlock()
			}
		}
	}()
	t.Cleanup(func() {
		cancelCtx()
		cancelAlloc()
	})
	// Registered after the browser, so it runs before it is closed.
	t.Cleanup(func() {
		if t.Failed() {
			p.screenshot("failure")
		}
	})
	return p
}

// screenshotDir is where failures (and the main pages) are saved.
func screenshotDir() string {
	if d := os.Getenv("ANJU_SCREENSHOT_DIR"); d != "" {
		return d
	}
	return filepath.Join(os.TempDir(), "anju-console-screenshots")
}

func (p *page) screenshot(what string) string {
	if what != "failure" {
		defer p.accessible(what)
	}
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	buf, err := chromedp.Run(ctx, chromedp.FullScreenshot(100))
	if err != nil {
		p.t.Logf("screenshot of %s: %v", p.name, err)
		return ""
	}
	dir := screenshotDir()
	_ = os.MkdirAll(dir, 0o755)
	name := filepath.Join(dir, strings.NewReplacer("/", "-", " ", "-").Replace(p.t.Name())+"-"+p.name+"-"+what+".png")
	if err := os.WriteFile(name, buf, 0o644); err != nil {
		p.t.Logf("screenshot: %v", err)
		return ""
	}
	p.t.Logf("screenshot of %s (%s): %s", p.name, what, name)
	return name
}

// accessible checks the page as a screen reader would meet it: every field
// and control has a name (its label, aria-label or title; a placeholder
// counts for a field, as Element Plus's own selects rely on it), every
// image an alt text, and the page a language. It is run on each page a
// journey saves a screenshot of.
func (p *page) accessible(what string) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	problems, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`(() => {
		if (!location.pathname.startsWith('/console/')) return []; // the API reference is Scalar's own page
		const bad = [];
		const shown = (e) => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden' && !e.closest('[aria-hidden=true]');
		const named = (e) => {
			const by = (e.getAttribute('aria-labelledby') || '').split(/\s+/).map((id) => document.getElementById(id)?.textContent || '').join('');
			const labels = e.labels ? [...e.labels].map((l) => l.textContent).join('') : '';
			return [e.getAttribute('aria-label'), by, labels, e.getAttribute('title')].some((s) => (s || '').trim());
		};
		const tag = (e) => e.outerHTML.slice(0, 160);
		for (const e of document.querySelectorAll('input:not([type=hidden]), select, textarea')) {
			if (e.closest('[aria-hidden=true]') || (!shown(e) && !e.closest('label, .el-checkbox, .el-radio'))) continue;
			if (!named(e) && !(e.getAttribute('placeholder') || '').trim()) bad.push('a field without a label: ' + tag(e));
		}
		for (const e of document.querySelectorAll('button, a[href], [role=button]')) {
			if (shown(e) && !(e.textContent || '').trim() && !named(e)) bad.push('a control without a name: ' + tag(e));
		}
		for (const e of document.querySelectorAll('img')) if (!e.hasAttribute('alt')) bad.push('an image without alt text: ' + tag(e));
		if (!document.documentElement.lang) bad.push('the page has no lang');
		return [...new Set(bad)];
	})()`))
	if err != nil {
		p.t.Errorf("%s: checking %s for accessibility: %v", p.name, what, err)
		return
	}
	for _, m := range problems {
		p.t.Errorf("%s (%s): %s", p.name, what, m)
	}
}

// run performs actions within 30 seconds, failing the test with what it
// was doing.
func (p *page) run(what string, actions ...chromedp.Action[chromedp.Void]) {
	p.t.Helper()
	ctx, cancel := context.WithTimeout(p.ctx, 30*time.Second)
	defer cancel()
	if err := chromedp.Do(ctx, actions...); err != nil {
		p.mu.Lock()
		problems := strings.Join(p.problems, "\n  ")
		p.mu.Unlock()
		p.t.Fatalf("%s: %s: %v\nbrowser problems:\n  %s", p.name, what, err, problems)
	}
}

// text is the visible text of the first element matching sel.
func (p *page) text(sel string) string {
	p.t.Helper()
	p.run("waiting for "+sel, chromedp.WaitVisible(chromedp.CSS(sel)))
	ctx, cancel := context.WithTimeout(p.ctx, 10*time.Second)
	defer cancel()
	s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
	if err != nil {
		p.t.Fatalf("%s: reading %s: %v", p.name, sel, err)
	}
	return s
}

// waitText waits until the element's text contains want.
func (p *page) waitText(sel, want string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		s, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(sel)))
		cancel()
		if err == nil {
			got = s
		}
		if err == nil && strings.Contains(got, want) {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("%s: %s never showed %q (last: %q)", p.name, sel, want, got)
}

// press clicks a button once it can be pressed: shown, enabled and not
// loading. Screens keep an action's button busy until the page has reloaded
// what the action changed, so a new status can show a moment before the
// next button accepts a click.
func (p *page) press(what, sel string) {
	p.t.Helper()
	p.clickWhenReady(what+": "+sel, "document.querySelector(`"+sel+"`)")
}

// clickWhenReady clicks, by script, the element the JavaScript expression
// find yields, once it is shown, enabled and not loading, trying again for
// up to 20 s. Screens re-render and animate, so finding the element and
// clicking it are one step.
func (p *page) clickWhenReady(what, find string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const b = `+find+`;
			if (!b || b.disabled || b.classList.contains('is-loading') || !b.offsetParent) return false;
			b.click();
			return true;
		})()`))
		cancel()
		if err == nil && ok {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("%s: %s never could be pressed", p.name, what)
}

// waitStatus waits until the element (or one inside it) shows the status
// value: a StatusTag carries the contract's value in data-status beside the
// label in the user's language.
func (p *page) waitStatus(sel, value string) {
	p.t.Helper()
	q := fmt.Sprintf(`%[1]s[data-status=%[2]q], %[1]s [data-status=%[2]q]`, sel, value)
	ctx, cancel := context.WithTimeout(p.ctx, 20*time.Second)
	defer cancel()
	if _, err := chromedp.Run(ctx, chromedp.WaitVisible(chromedp.CSS(q))); err != nil {
		p.t.Fatalf("%s: %s never showed the status %q (last: %q)", p.name, sel, value, p.text(sel))
	}
}

// selectAll ticks the header checkbox of a table until the button counting
// the selection shows want. A click can land while a popup fades or just
// before the page reloads its rows (which clears a selection), so the tick
// is a script click on the checkbox itself, repeated until it holds.
func (p *page) selectAll(table, button, want string) {
	p.t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	var got string
	for time.Now().Before(deadline) {
		if got = p.text(button); strings.Contains(got, want) {
			return
		}
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		_, _ = chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
			const box = document.querySelector(`+"`"+table+` thead .el-checkbox__original`+"`"+`);
			if (!box || box.checked) return false;
			box.click();
			return true;
		})()`))
		cancel()
		time.Sleep(300 * time.Millisecond)
	}
	p.t.Fatalf("%s: %s never showed %q (last: %q)", p.name, button, want, got)
}

// confirm accepts the Element Plus confirmation box an irreversible action
// opens. The box animates in and may be re-rendered, so the button is
// looked up and pressed in one step, until that works.
func (p *page) confirm() {
	p.t.Helper()
	const ok = `.el-message-box__btns .el-button--primary`
	p.clickWhenReady("the confirmation box", "document.querySelector(`"+ok+"`)")
	// Wait for the box to go, so that the next confirm cannot press this
	// one's button while it fades out.
	p.waitGone(ok)
}

// waitGone waits until no element matching sel is displayed.
func (p *page) waitGone(sel string) {
	p.t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		ctx, cancel := context.WithTimeout(p.ctx, 2*time.Second)
		shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`[...document.querySelectorAll(`+"`"+sel+"`"+`)].some((e) => e.offsetParent !== null)`))
		cancel()
		if err == nil && !shown {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	p.t.Fatalf("%s: %s stayed on screen", p.name, sel)
}

// signIn opens path (a deep link) and signs in on the sign-in page it
// leads to; it returns once the app left the sign-in page.
func (p *page) signIn(path, email string) {
	p.t.Helper()
	p.run("signing in as "+email,
		chromedp.Navigate(p.in.URL+"/console"+path),
		chromedp.WaitVisible(chromedp.CSS(`#email`)),
		chromedp.SendKeys(chromedp.CSS(`#email`), email),
		chromedp.SendKeys(chromedp.CSS(`#password`), staffPassword),
		chromedp.Click(chromedp.CSS(`[data-test=signin]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-test=sign-out]`)),
	)
}

// noCSPViolations: the pages ran under the strict policy without being refused anything.
func (p *page) noCSPViolations() {
	p.t.Helper()
	p.mu.Lock()
	defer p.mu.Unlock()
	for _, m := range p.problems {
		if strings.Contains(m, "Content Security Policy") {
			p.t.Errorf("%s: %s", p.name, m)
		}
	}
}

// staffAccount makes an email/password account with a staff role (granted
// by the admin, or an employer's role through an accepted invitation) and
// returns its email and an API token.
func (in *instance) staffAccount(t *testing.T, admin, role, employer string) (email, token string) {
	t.Helper()
	email = role + "-" + newKey()[:8] + "@test.anju.local"
	_, token, err := in.Emu.SignUp(context.Background(), email, staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if role == "" {
		return email, token
	}
	if employer != "" {
		var inv struct{ Code string }
		r := in.call(t, "POST", "/v1/employers/"+employer+"/invitations", admin, map[string]any{"role": role, "phone": "13900000000"}, "Idempotency-Key", newKey())
		r.json(t, &inv)
		if r.Status != 201 {
			t.Fatalf("invite %s: %d %s", role, r.Status, r.Body)
		}
		if r := in.call(t, "POST", "/v1/invitations/"+inv.Code+"/accept", token, nil); r.Status != 200 {
			t.Fatalf("accept %s: %d %s", role, r.Status, r.Body)
		}
		return email, token
	}
	if r := in.call(t, "PUT", "/v1/admin/users/"+in.userID(t, token)+"/roles/"+role, admin, map[string]any{}); r.Status != 200 {
		t.Fatalf("grant %s: %d %s", role, r.Status, r.Body)
	}
	return email, token
}

// TestConsoleServing: the console and /docs come from the binary with the
// cache headers and the Content-Security-Policy; deep links get the index;
// the sign-in configuration is public.
func TestConsoleServing(t *testing.T) {
	t.Parallel()
	consoleBuilt(t)
	in := boot(t)
	index := in.call(t, "GET", "/console/", "", nil)
	csp := index.Header.Get("Content-Security-Policy")
	if index.Status != 200 || index.Header.Get("Cache-Control") != "no-cache" || !strings.Contains(string(index.Body), `<div id="app">`) {
		t.Fatalf("index: %d %v %.200s", index.Status, index.Header, index.Body)
	}
	emulator := "http://" + in.Env["FIREBASE_AUTH_EMULATOR_HOST"]
	documents := "http://" + in.Env["ANJU_MINIO_ENDPOINT"]
	for _, want := range []string{"script-src 'self'", "connect-src 'self' " + emulator, "img-src data: 'self' blob: " + documents,
		"frame-src 'self' blob: " + documents, "object-src 'none'", "frame-ancestors 'none'"} {
		if !strings.Contains(csp, want) {
			t.Errorf("CSP %q lacks %q", csp, want)
		}
	}
	if strings.Contains(csp, "unsafe-eval") || strings.Contains(strings.SplitN(csp, "script-src", 2)[1], "unsafe-inline;") {
		t.Errorf("CSP allows script evaluation: %q", csp)
	}
	// A hashed asset the index names is immutable.
	_, rest, ok := strings.Cut(string(index.Body), `src="/console/assets/`)
	if !ok {
		t.Fatalf("index names no script asset: %s", index.Body)
	}
	asset, _, _ := strings.Cut(rest, `"`)
	a := in.call(t, "GET", "/console/assets/"+asset, "", nil)
	if a.Status != 200 || a.Header.Get("Cache-Control") != "public, max-age=31536000, immutable" || !strings.Contains(a.Header.Get("Content-Type"), "javascript") {
		t.Fatalf("asset %s: %d %v", asset, a.Status, a.Header)
	}
	if z := in.call(t, "GET", "/console/assets/"+asset, "", nil, "Accept-Encoding", "gzip"); z.Header.Get("Content-Encoding") != "gzip" || len(z.Body) >= len(a.Body)/2 {
		t.Fatalf("asset asked for gzip: %v, %d bytes of %d", z.Header, len(z.Body), len(a.Body))
	}
	if r := in.call(t, "GET", "/console/assets/missing-0000.js", "", nil); r.Status != 404 {
		t.Fatalf("a missing asset: %d", r.Status)
	}
	// Deep links (from a notification) get the app.
	deep := in.call(t, "GET", "/console/claims/"+newKey(), "", nil)
	if deep.Status != 200 || string(deep.Body) != string(index.Body) || deep.Header.Get("Cache-Control") != "no-cache" {
		t.Fatalf("deep link: %d %v", deep.Status, deep.Header)
	}
	docs := in.call(t, "GET", "/docs", "", nil)
	if docs.Status != 200 || !strings.Contains(string(docs.Body), `id="reference"`) || docs.Header.Get("Content-Security-Policy") == "" {
		t.Fatalf("docs: %d %v %.200s", docs.Status, docs.Header, docs.Body)
	}
	var cfg struct {
		Firebase        struct{ APIKey, AuthDomain, ProjectID string }
		AuthEmulatorURL string
	}
	r := in.call(t, "GET", "/v1/public/config", "", nil)
	r.json(t, &cfg)
	if r.Status != 200 || cfg.AuthEmulatorURL != emulator || cfg.Firebase.ProjectID != in.Env["ANJU_FIREBASE_PROJECT_ID"] || cfg.Firebase.APIKey == "" {
		t.Fatalf("public config: %d %s", r.Status, r.Body)
	}
}

// waitFor polls the API until cond holds.
func waitFor(t *testing.T, what string, cond func() (bool, string)) {
	t.Helper()
	deadline := time.Now().Add(20 * time.Second)
	last := ""
	for time.Now().Before(deadline) {
		ok, s := cond()
		if ok {
			return
		}
		last = s
		time.Sleep(100 * time.Millisecond)
	}
	t.Fatalf("%s: never happened; last answer %s", what, last)
}

// apiStatus reads one JSON field path's status from the API.
func apiStatus(t *testing.T, in *instance, token, path string) (string, string) {
	t.Helper()
	r := in.call(t, "GET", path, token, nil)
	var v struct {
		Status string
		Batch  struct{ Status string }
	}
	r.json(t, &v)
	if v.Status == "" {
		v.Status = v.Batch.Status
	}
	return v.Status, fmt.Sprintf("%d %.300s", r.Status, r.Body)
}

// TestConsoleReviewer: a reviewer opens a claim from a deep link (as from a
// notification), signs in, sees the applicant, the rule trace in Chinese
// and the documents previewed through presigned URLs, approves after
// confirming, and the API has the claim approved.
func TestConsoleReviewer(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)
	reviewerEmail, reviewer := in.staffAccount(t, admin, "reviewer", "")
	li := in.employedApplicant(t, hr, "李明", testNationalID)
	claimID := in.claimUnderReview(t, li, true)

	b := in.browser(t, "reviewer")
	b.signIn("/claims/"+claimID, reviewerEmail)
	b.waitStatus(`[data-test=claim-status]`, "under_review")
	if got := b.text(`[data-test=claim-status]`); got != "审核中" {
		t.Errorf("claim status shown as %q, want the Chinese label", got)
	}
	if h := b.text(`h2`); !strings.Contains(h, "李明") {
		t.Errorf("claim page heading %q lacks the applicant", h)
	}
	// The trace in the user's language (zh-CN by default).
	if tr := b.text(`[data-test=trace]`); !strings.ContainsFunc(tr, func(r rune) bool { return r >= 0x4e00 && r <= 0x9fff }) {
		t.Errorf("trace is not in Chinese: %q", tr)
	}
	// A document previews inline from its presigned URL.
	b.run("previewing a document",
		chromedp.Click(chromedp.CSS(`[data-test=documents] button`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-test=preview] iframe`)),
	)
	b.screenshot("claim")
	b.press("approving", `[data-test=approve]`)
	b.confirm()
	b.waitStatus(`[data-test=claim-status]`, "approved")
	if got, body := apiStatus(t, in, reviewer, "/v1/review/claims/"+claimID); got != "approved" {
		t.Fatalf("after approving in the console the API says %s", body)
	}
	// Back to the queue through the menu: the claim has left "under review".
	b.run("opening the queue", chromedp.Navigate(in.URL+"/console/review"), chromedp.WaitVisible(chromedp.CSS(`[data-test=queue]`)))
	b.screenshot("queue")
	b.noCSPViolations()
}

// TestConsoleHR: HR confirms two employments in one go with the contract
// dates, and the API has both confirmed.
func TestConsoleHR(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hrEmail, hr := in.staffAccount(t, admin, "hr", emp.ID)
	for _, g := range []struct{ name, id string }{{"李明", testNationalID}, {"王芳", "330282199903050029"}} {
		if r := in.call(t, "PUT", "/v1/me", in.signUp(t), map[string]any{"name": g.name, "nationalId": g.id,
			"employer": map[string]any{"name": "慈溪智造", "creditCode": creditCodeA, "since": "2025-07-15"}}); r.Status != 200 {
			t.Fatalf("declare: %d %s", r.Status, r.Body)
		}
	}
	var pending struct{ Items []struct{ ID, Status string } }
	waitFor(t, "two declarations waiting", func() (bool, string) {
		r := in.call(t, "GET", "/v1/hr/employments?status=pending", hr, nil)
		r.json(t, &pending)
		return len(pending.Items) == 2, string(r.Body)
	})

	b := in.browser(t, "hr")
	b.signIn("/", hrEmail)
	b.waitText(`[data-test=employments]`, "王芳")
	b.screenshot("employments")
	// rowsAre waits until the table lists these names in this order, and
	// nothing else: the server searches and sorts, the page only shows.
	rowsAre := func(what string, want ...string) {
		t.Helper()
		var got []string
		deadline := time.Now().Add(20 * time.Second)
		for time.Now().Before(deadline) {
			ctx, cancel := context.WithTimeout(b.ctx, 2*time.Second)
			rows, err := chromedp.Run(ctx, chromedp.Evaluate[[]string](`[...document.querySelectorAll('[data-test=employments] .el-table__body tbody tr')]
				.map((r) => ['李明', '王芳'].find((n) => r.innerText.includes(n)) || r.innerText)`))
			cancel()
			if got = rows; err == nil && slices.Equal(rows, want) {
				return
			}
			time.Sleep(200 * time.Millisecond)
		}
		t.Fatalf("%s: rows %q, want %q", what, got, want)
	}
	rowsAre("the newest declaration first", "王芳", "李明")
	b.run("searching a name", chromedp.SendKeys(chromedp.CSS(`input[data-test=hr-search]`), "王"))
	b.press("searching", `[data-test=hr-search-go]`)
	rowsAre("found by the start of the name", "王芳")
	b.run("clearing the search", chromedp.SendKeys(chromedp.CSS(`input[data-test=hr-search]`), "\b"))
	b.press("searching everyone", `[data-test=hr-search-go]`)
	rowsAre("everyone again", "王芳", "李明")
	ctx, cancel := context.WithTimeout(b.ctx, 10*time.Second)
	if _, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`(() => {
		const th = [...document.querySelectorAll('[data-test=employments] thead th')].find((h) => h.innerText.includes('毕业生'));
		th.querySelector('.caret-wrapper .ascending').click();
		return true;
	})()`)); err != nil {
		t.Fatalf("sorting by name: %v", err)
	}
	cancel()
	rowsAre("by name", "李明", "王芳")
	b.run("typing the contract dates",
		chromedp.SendKeys(chromedp.CSS(`#contract-start`), "2025-07-15\r"),
		chromedp.SendKeys(chromedp.CSS(`#contract-end`), "2028-07-14\r"),
		chromedp.SendKeys(chromedp.CSS(`#si-start`), "2025-08-01\r"),
		chromedp.Click(chromedp.CSS(`h2`)),
	)
	b.selectAll(`[data-test=employments]`, `[data-test=confirm-selected]`, "(2)")
	b.press("confirming both", `[data-test=confirm-selected]`)
	b.confirm()
	b.waitText(`[data-test=results]`, "王芳")
	for _, e := range pending.Items {
		var got struct{ Status, ContractStart, ContractEnd string }
		waitFor(t, "employment confirmed", func() (bool, string) {
			r := in.call(t, "GET", "/v1/hr/employments?status=confirmed", hr, nil)
			var page struct {
				Items []struct{ ID, Status, ContractStart, ContractEnd string }
			}
			r.json(t, &page)
			for _, x := range page.Items {
				if x.ID == e.ID {
					got = struct{ Status, ContractStart, ContractEnd string }{x.Status, x.ContractStart, x.ContractEnd}
				}
			}
			return got.Status == "confirmed", string(r.Body)
		})
		if got.ContractStart != "2025-07-15" || got.ContractEnd != "2028-07-14" {
			t.Errorf("employment %s confirmed with %+v, want the dates typed in the console", e.ID, got)
		}
	}
	b.noCSPViolations()
}

// TestConsoleFinance: one finance officer makes a batch in the console, the
// console does not let them approve it, a second officer approves it,
// downloads the XLSX and marks both payments paid at once; the API has the
// batch approved, the export recorded and the batch settled.
func TestConsoleFinance(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	makerEmail, maker := in.staffAccount(t, admin, "finance", "")
	checkerEmail, _ := in.staffAccount(t, admin, "finance", "")
	grad, _ := in.graduate(t, map[string]any{"name": "李明", "bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": testBankAccount}})
	in.paying(t, in.userID(t, grad), allowance.ClaimActive, allowance.PaymentDue, nil, 1500000, 1500000)

	m := in.browser(t, "maker")
	m.signIn("/finance/batches", makerEmail)
	m.press("making a batch", `[data-test=create-batch]`)
	m.confirm()
	m.waitStatus(`[data-test=batch-status]`, "pending_approval")
	var loc string
	ctx, cancel := context.WithTimeout(m.ctx, 5*time.Second)
	loc, err := chromedp.Run(ctx, chromedp.Location())
	cancel()
	if err != nil {
		t.Fatal(err)
	}
	batchID := loc[strings.LastIndex(loc, "/")+1:]
	if got, body := apiStatus(t, in, maker, "/v1/finance/batches/"+batchID); got != "pending_approval" || !strings.Contains(body, `"count":2`) {
		t.Fatalf("the batch made in the console: %s", body)
	}
	disabled, err := chromedp.Run(m.ctx, chromedp.Evaluate[bool](`document.querySelector('[data-test=approve-batch]').disabled`))
	if err != nil || !disabled {
		t.Errorf("the maker may press approve on their own batch (disabled=%v, %v)", disabled, err)
	}
	m.screenshot("batch")

	c := in.browser(t, "checker")
	c.signIn("/finance/batches/"+batchID, checkerEmail)
	c.waitStatus(`[data-test=batch-status]`, "pending_approval")
	c.press("approving", `[data-test=approve-batch]`)
	c.confirm()
	c.waitStatus(`[data-test=batch-status]`, "approved")
	if got, body := apiStatus(t, in, maker, "/v1/finance/batches/"+batchID); got != "approved" {
		t.Fatalf("after the second officer approved in the console: %s", body)
	}
	c.press("downloading the XLSX", `[data-test=export]`)
	waitFor(t, "the export recorded", func() (bool, string) {
		r := in.call(t, "GET", "/v1/finance/batches/"+batchID, maker, nil)
		return strings.Contains(string(r.Body), `"format":"xlsx"`), string(r.Body)
	})
	// The bank says both were paid: marked together in the console.
	// The page reloads the batch once the export is recorded, which clears
	// a selection made before it.
	c.selectAll(`[data-test=lines]`, `[data-test=mark-paid]`, "(2)")
	c.press("confirming", `[data-test=mark-paid]`)
	c.confirm()
	c.waitStatus(`[data-test=batch-status]`, "settled")
	if got, body := apiStatus(t, in, maker, "/v1/finance/batches/"+batchID); got != "settled" || !strings.Contains(body, `"paid":2`) {
		t.Fatalf("after marking both paid in the console: %s", body)
	}
	m.noCSPViolations()
	c.noCSPViolations()
}

// TestConsoleAdmin: a new staff member signs in and is told they have no
// role, with their user id; an admin grants them the reviewer role in the
// console; on reload they see the review queue.
func TestConsoleAdmin(t *testing.T) {
	t.Parallel()
	in := services(t)
	uid := "admin-" + newKey()
	adminEmail := uid + "@test.anju.local"
	if err := in.Emu.EnsureUser(context.Background(), uid, adminEmail, staffPassword, ""); err != nil {
		t.Fatal(err)
	}
	in.start(t, "all", withEnv("ANJU_BOOTSTRAP_ADMINS", uid))
	newEmail, newToken := in.staffAccount(t, "", "", "")
	newID := in.userID(t, newToken)
	// Signed in by password, the newcomer sees who they are and nothing a
	// graduate does: that takes a phone sign-in.
	if r := in.call(t, "PUT", "/v1/me", newToken, map[string]any{"name": "新同事"}); r.Status != 401 || r.problem(t).Code != "phone_sign_in_required" {
		t.Fatalf("a newcomer by password writing a profile: %d %s", r.Status, r.Body)
	}

	n := in.browser(t, "newcomer")
	n.signIn("/", newEmail)
	n.waitText(`[data-test=no-role]`, newID)

	a := in.browser(t, "admin")
	a.signIn("/", adminEmail)
	a.run("looking the newcomer up",
		chromedp.WaitVisible(chromedp.CSS(`#user-id`)),
		chromedp.SendKeys(chromedp.CSS(`#user-id`), newID),
		chromedp.Click(chromedp.CSS(`[data-test=lookup]`)),
		chromedp.WaitVisible(chromedp.CSS(`[data-test=grant]`)),
		chromedp.Click(chromedp.CSS(`[data-test=grant]`)),
	)
	a.waitText(`[data-test=user-roles]`, "审核员")
	a.screenshot("users")
	var me struct {
		User struct{ Roles []struct{ Role string } }
	}
	in.call(t, "GET", "/v1/me", newToken, nil).json(t, &me)
	if !slices.ContainsFunc(me.User.Roles, func(g struct{ Role string }) bool { return g.Role == "reviewer" }) {
		t.Fatalf("after the grant in the console the newcomer has %+v", me.User.Roles)
	}
	n.run("reloading", chromedp.Navigate(in.URL+"/console/"), chromedp.WaitVisible(chromedp.CSS(`[data-test=queue]`)))
	// English on request, kept across a reload.
	a.run("switching to English", chromedp.Click(chromedp.CSS(`[data-test=locale]`)))
	a.waitText(`h2`, "Users and roles")
	a.run("reloading", chromedp.Reload(), chromedp.WaitVisible(chromedp.CSS(`#user-id`)))
	a.waitText(`h2`, "Users and roles")
	n.noCSPViolations()
	a.noCSPViolations()
}

// TestConsoleHousing: a housing officer imports units from a file (a bad
// file shows its row report and imports nothing), runs a round to its draw,
// and proposes a unit by hand for the waitlisted applicant; the console
// does not let them approve their own proposal; a second officer approves it
// from the list, and the API has it applied with an offer.
func TestConsoleHousing(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	oneEmail, one := in.staffAccount(t, admin, "housing", "")
	twoEmail, _ := in.staffAccount(t, admin, "housing", "")
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)
	var prop struct{ ID string }
	in.call(t, "POST", "/v1/housing/properties", one, map[string]any{"name": "慈溪人才公寓一期", "district": "慈溪市", "address": "新城大道 1 号"}, "Idempotency-Key", newKey()).json(t, &prop)

	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	good := filepath.Join(dir, "good.csv")
	if err := os.WriteFile(bad, []byte("楼盘,房号,户型,面积,楼层,市场租金\n慈溪人才公寓一期,1-101,penthouse,30,1,1500\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, []byte("楼盘,房号,户型,面积,楼层,市场租金\n慈溪人才公寓一期,1-101,studio,30,1,1500\n慈溪人才公寓一期,1-102,1br,45,1,2200\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	o := in.browser(t, "officer-one")
	o.signIn("/housing/units", oneEmail)
	o.run("importing a bad file",
		chromedp.SetUploadFiles(chromedp.CSS(`[data-test=units-file]`), []string{bad}),
		chromedp.Click(chromedp.CSS(`[data-test=units-import]`)),
	)
	o.waitText(`[data-test=row-report]`, "layout")
	if n := in.unitCount(t); n != 0 {
		t.Fatalf("a refused file left %d units", n)
	}
	o.run("importing a good file",
		chromedp.SetUploadFiles(chromedp.CSS(`[data-test=units-file]`), []string{good}),
		chromedp.Click(chromedp.CSS(`[data-test=units-import]`)),
	)
	o.waitText(`[data-test=units]`, "1-102")
	if n := in.unitCount(t); n != 2 {
		t.Fatalf("after the import in the console: %d units", n)
	}
	o.screenshot("units")

	// A round over the studio with two employed applicants: one housed,
	// one waitlisted; the 1br stays free for a hand assignment.
	var units struct{ Items []struct{ ID, Number string } }
	in.call(t, "GET", "/v1/housing/units", one, nil).json(t, &units)
	var studio, free string
	for _, u := range units.Items {
		if u.Number == "1-101" {
			studio = u.ID
		} else {
			free = u.ID
		}
	}
	var tokens []string
	for _, g := range []struct{ name, id string }{{"李明", testNationalID}, {"王芳", "330282199903050029"}} {
		tok := in.signUp(t)
		if r := in.call(t, "PUT", "/v1/me", tok, map[string]any{"name": g.name, "nationalId": g.id, "hukouPlace": "江西省南昌市",
			"education": []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
			"employer":  map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}}); r.Status != 200 {
			t.Fatalf("profile: %d %s", r.Status, r.Body)
		}
		tokens = append(tokens, tok)
	}
	in.confirmPending(t, hr, "2025-07-01", "2028-06-30")
	now := time.Now().UTC()
	var round struct{ ID string }
	in.call(t, "POST", "/v1/housing/rounds", one, map[string]any{"name": "2026 年第一批", "opensAt": now.Add(-time.Minute), "closesAt": now.Add(time.Hour), "unitIds": []string{studio}},
		"Idempotency-Key", newKey()).json(t, &round)
	for _, tok := range tokens {
		if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/applications", tok,
			map[string]any{"preferences": []map[string]any{{"layout": "studio"}}, "householdSize": 1, "ownsHomeInCity": false, "publicRentalHousing": false},
			"Idempotency-Key", newKey()); r.Status != 201 {
			t.Fatalf("apply: %d %s", r.Status, r.Body)
		}
	}
	// Close and draw in the console.
	o.run("opening the rounds", chromedp.Navigate(in.URL+"/console/housing/rounds"), chromedp.WaitVisible(chromedp.CSS(`[data-test=rounds]`)))
	o.waitStatus(`[data-test=rounds]`, "open")
	o.press("closing", `[data-test=rounds] tbody button`)
	o.confirm()
	o.waitStatus(`[data-test=rounds]`, "closed")
	o.press("drawing", `[data-test=rounds] tbody button`)
	o.confirm()
	o.waitStatus(`[data-test=rounds]`, "drawn")
	var rec response
	waitFor(t, "the public draw record", func() (bool, string) {
		rec = in.call(t, "GET", "/v1/public/rounds/"+round.ID+"/draw", "", nil)
		return rec.Status == 200, string(rec.Body)
	})
	var waitlisted string
	row := in.DB.Pool().QueryRow(context.Background(), `SELECT id::text FROM applications WHERE round_id = $1 AND status = 'waitlisted'`, round.ID)
	if err := row.Scan(&waitlisted); err != nil {
		t.Fatalf("the waitlisted application: %v", err)
	}

	o.run("proposing the free unit for the waitlisted applicant",
		chromedp.SendKeys(chromedp.CSS(`input[data-test=assign-unit]`), free),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=assign-application]`), waitlisted),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=assign-reason]`), "残疾人优先，经两名工作人员核实"),
		chromedp.Click(chromedp.CSS(`[data-test=assign-propose]`)),
	)
	o.waitText(`[data-test=proposals]`, "人工分配")
	var list struct {
		Items []struct{ ID, Status, Kind string }
	}
	in.call(t, "GET", "/v1/housing/corrections", one, nil).json(t, &list)
	if len(list.Items) != 1 || list.Items[0].Kind != "assignment" || list.Items[0].Status != "proposed" {
		t.Fatalf("proposals after the console proposed one: %+v", list)
	}
	proposal := list.Items[0].ID
	own, err := chromedp.Run(o.ctx, chromedp.Evaluate[bool](`document.querySelector('[data-test=approve-`+proposal+`]').disabled`))
	if err != nil || !own {
		t.Errorf("the proposer may press approve on their own proposal (disabled=%v, %v)", own, err)
	}
	o.screenshot("rounds")

	s := in.browser(t, "officer-two")
	s.signIn("/housing/rounds", twoEmail)
	s.waitText(`[data-test=proposals]`, "人工分配")
	s.run("approving", chromedp.Click(chromedp.CSS(`[data-test=approve-`+proposal+`]`)))
	s.confirm()
	waitFor(t, "the assignment applied", func() (bool, string) {
		r := in.call(t, "GET", "/v1/housing/corrections?status=applied", one, nil)
		var applied struct {
			Items []struct{ ID, OfferID string }
		}
		r.json(t, &applied)
		return len(applied.Items) == 1 && applied.Items[0].ID == proposal && applied.Items[0].OfferID != "", string(r.Body)
	})
	// Only housing staff see the proposals.
	if r := in.call(t, "GET", "/v1/housing/corrections", tokens[0], nil); r.Status != 403 {
		t.Fatalf("a graduate listing corrections: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "GET", "/v1/housing/corrections", admin, nil); r.Status != 403 {
		t.Fatalf("an admin listing corrections: %d %s", r.Status, r.Body)
	}
	o.noCSPViolations()
	s.noCSPViolations()
}

// TestConsoleQueueAt10000Claims times the review queue, from a fresh page
// load to its first rows on screen, with 10,000 claims in the database
// (internal/dataset). The figure is logged for docs/performance.md; the
// test fails only far above the 2 s budget, where the queue would have
// stopped paging on the server.
func TestConsoleQueueAt10000Claims(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	if _, err := dataset.Generate(context.Background(), in.DB.Pool(), dataset.Size{Claims: 10_000}); err != nil {
		t.Fatal(err)
	}
	email, _ := in.staffAccount(t, admin, "reviewer", "")
	b := in.browser(t, "reviewer")
	b.signIn("/review", email)
	b.run("the first load", chromedp.WaitVisible(chromedp.CSS(`[data-test=queue] tbody tr`)))
	var best time.Duration
	for range 3 {
		start := time.Now()
		b.run("loading the queue", chromedp.Navigate(in.URL+"/console/review"), chromedp.WaitVisible(chromedp.CSS(`[data-test=queue] tbody tr`)))
		took := time.Since(start)
		if best == 0 || took < best {
			best = took
		}
		t.Logf("queue page load to rows on screen at 10,000 claims: %s", took.Round(time.Millisecond))
	}
	rows, err := chromedp.Run(b.ctx, chromedp.Evaluate[int](`document.querySelectorAll('[data-test=queue] tbody tr').length`))
	if err != nil || rows != 50 {
		t.Errorf("the queue shows %d rows (%v), want one page of 50", rows, err)
	}
	if best > 10*time.Second {
		t.Errorf("the queue took %s at 10,000 claims (budget 2 s)", best)
	}
}

// TestConsoleDocs: /docs renders the contract in the browser from the
// embedded build, under the same policy, fetching nothing from elsewhere.
func TestConsoleDocs(t *testing.T) {
	t.Parallel()
	in := boot(t)
	b := in.browser(t, "reader")
	b.run("opening /docs", chromedp.Navigate(in.URL+"/docs"))
	b.waitText(`body`, "/v1/review/claims/{id}/approve")
	b.screenshot("docs")
	b.noCSPViolations()
}

// TestConsoleTalentTier: one reviewer proposes a graduate's talent tier
// (evidence too short is refused with the message beside the field), the
// console does not let them approve it, a second reviewer approves it, and
// the graduate's profile has the tier.
func TestConsoleTalentTier(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	oneEmail, _ := in.staffAccount(t, admin, "reviewer", "")
	twoEmail, _ := in.staffAccount(t, admin, "reviewer", "")
	grad := in.signUp(t)
	if r := in.call(t, "PUT", "/v1/me", grad, map[string]any{"name": "李明", "nationalId": testNationalID}); r.Status != 200 {
		t.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	gradID := in.userID(t, grad)

	o := in.browser(t, "proposer")
	o.signIn("/review/tiers", oneEmail)
	o.run("proposing with too little evidence",
		chromedp.WaitVisible(chromedp.CSS(`input[data-test=tier-user]`)),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=tier-user]`), gradID),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=tier-evidence]`), "abc"),
		chromedp.Click(chromedp.CSS(`[data-test=tier-propose]`)),
	)
	o.waitText(`.el-form-item__error`, "")
	if msg := o.text(`.el-form-item__error`); strings.TrimSpace(msg) == "" {
		t.Errorf("no message beside the evidence field")
	}
	o.run("proposing with the evidence",
		chromedp.SendKeys(chromedp.CSS(`input[data-test=tier-evidence]`), " 国家级人才计划入选证书 2025-118 号"),
		chromedp.Click(chromedp.CSS(`[data-test=tier-propose]`)),
	)
	o.waitText(`[data-test=tiers]`, gradID)
	own, err := chromedp.Run(o.ctx, chromedp.Evaluate[bool](`document.querySelector('[data-test=tier-approve-`+gradID+`]').disabled`))
	if err != nil || !own {
		t.Errorf("the proposer may press approve (disabled=%v, %v)", own, err)
	}

	s := in.browser(t, "approver")
	s.signIn("/review/tiers", twoEmail)
	s.waitText(`[data-test=tiers]`, gradID)
	s.run("approving", chromedp.Click(chromedp.CSS(`[data-test=tier-approve-`+gradID+`]`)))
	waitFor(t, "the tier on the graduate's profile", func() (bool, string) {
		r := in.call(t, "GET", "/v1/me", grad, nil)
		return strings.Contains(string(r.Body), `"talentTier":"C"`), string(r.Body)
	})
	o.noCSPViolations()
	s.noCSPViolations()
}
