package main

import (
	"bytes"
	"context"
	"net/http"
	"os"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"
)

var relocationDocuments = []string{"id_card", "diploma", "degree_certificate", "chsi_record", "labour_contract", "social_insurance_record", "bank_card"}

type claimBody struct {
	ID            string
	Status        string
	PolicyVersion int
	Stage         string
	DueAt         *time.Time
	RejectCode    string
	NoticeUntil   *time.Time
	AssigneeID    string
	Decision      *struct {
		Outcome string
		Version int
		Trace   []struct {
			RuleID, Clause, Outcome string
			Message                 struct{ Zh, En string }
		} `json:"trace"`
		Entitlement *struct {
			Total       int64
			Instalments []struct {
				AfterMonths int
				Amount      int64
			}
		}
	}
	Audit    []struct{ Event, From, To, ActorID string } `json:"audit"`
	Payments []struct {
		ID     string
		Amount int64
		Status string
	}
}

const testBankAccount = "6217856100012345678"

// acceptedDocument uploads a real PDF as kind and waits for the worker to accept it.
func (in *instance) acceptedDocument(t *testing.T, token, kind string) string {
	t.Helper()
	pdf := []byte(minimalPDF + "% " + kind + "\n")
	up := in.createDocument(t, token, kind, "application/pdf", pdf)
	if code := upload(t, up, "application/pdf", pdf); code != http.StatusNoContent {
		t.Fatalf("upload %s: %d", kind, code)
	}
	in.call(t, "POST", "/v1/documents/"+up.Document.ID+"/complete", token, nil)
	if d := in.waitDocument(t, token, up.Document.ID, "accepted", "rejected"); d.Status != "accepted" {
		t.Fatalf("%s: %+v", kind, d)
	}
	return up.Document.ID
}

func (in *instance) claim(t *testing.T, token, id string) claimBody {
	t.Helper()
	var c claimBody
	in.call(t, "GET", "/v1/claims/"+id, token, nil).json(t, &c)
	return c
}

func (in *instance) waitClaim(t *testing.T, token, id, status string) claimBody {
	t.Helper()
	var c claimBody
	eventually(t, 30*time.Second, "claim "+status, func() bool {
		c = in.claim(t, token, id)
		return c.Status == status
	})
	return c
}

// staff signs up a user and gives them a role: a city role by the admin's
// grant, an employer's role (hr, employer_admin) by the admin inviting them
// for the employer and the user accepting the code.
// confirmPending has HR confirm every declaration waiting for them, with a
// contract from contractStart to contractEnd and social insurance from
// the August after the start.
func (in *instance) confirmPending(t *testing.T, hr, contractStart, contractEnd string) {
	t.Helper()
	var pending struct{ Items []struct{ ID string } }
	in.call(t, "GET", "/v1/hr/employments", hr, nil).json(t, &pending)
	for _, e := range pending.Items {
		if r := in.call(t, "POST", "/v1/hr/employments/"+e.ID+"/confirm", hr,
			map[string]any{"contractStart": contractStart, "contractEnd": contractEnd, "socialInsuranceStart": "2025-08-01"}); r.Status != 200 {
			t.Fatalf("confirm: %d %s", r.Status, r.Body)
		}
	}
}

func (in *instance) staff(t *testing.T, admin, role, employer string) string {
	t.Helper()
	token := in.signUp(t)
	if employer != "" {
		var inv struct{ Code string }
		r := in.call(t, "POST", "/v1/employers/"+employer+"/invitations", admin, map[string]any{"role": role, "phone": "13900000000"},
			"Idempotency-Key", newKey())
		r.json(t, &inv)
		if r.Status != 201 {
			t.Fatalf("invite %s: %d %s", role, r.Status, r.Body)
		}
		if r := in.call(t, "POST", "/v1/invitations/"+inv.Code+"/accept", token, nil); r.Status != 200 {
			t.Fatalf("accept %s: %d %s", role, r.Status, r.Body)
		}
		return token
	}
	if r := in.call(t, "PUT", "/v1/admin/users/"+in.userID(t, token)+"/roles/"+role, admin, map[string]any{}); r.Status != 200 {
		t.Fatalf("grant %s: %d %s", role, r.Status, r.Body)
	}
	return token
}

// TestClaimEndToEnd: profile and documents → employment declared → claim
// submitted (everything missing reported at once; a retried submit counts
// once) → the worker waits for HR → HR confirms → the worker decides with a
// trace → two reviewers race to approve: one decision, one audit row. A
// policy version published mid-flight does not change the claim, and the
// same person cannot claim the package again from another account.
func TestClaimEndToEnd(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)
	reviewer1, reviewer2 := in.staff(t, admin, "reviewer", ""), in.staff(t, admin, "reviewer", "")
	finance, checker := in.staff(t, admin, "finance", ""), in.staff(t, admin, "finance", "")
	housing := in.staff(t, admin, "housing", "")

	grad := in.signUp(t)
	profile := map[string]any{
		"name": "李明", "locale": "en", "nationalId": testNationalID, "hukouPlace": "江西省南昌市",
		"education":   []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
		"employer":    map[string]any{"name": "慈溪智造", "creditCode": creditCodeA, "since": "2025-07-15"},
		"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": testBankAccount},
	}
	if r := in.call(t, "PUT", "/v1/me", grad, profile); r.Status != 200 {
		t.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	phone := "fcm-graduate-phone-" + newKey()
	in.call(t, "PUT", "/v1/me/devices/"+phone, grad, map[string]any{"platform": "android"})

	var policies struct {
		Items []struct {
			ID                string
			Version           int
			RequiredDocuments []string
		}
	}
	in.call(t, "GET", "/v1/policies", grad, nil).json(t, &policies)
	if len(policies.Items) != 3 {
		t.Fatalf("open packages: %+v", policies)
	}

	r := in.call(t, "POST", "/v1/claims", grad, map[string]any{"package": "relocation", "declarations": map[string]any{"ownsHomeInCity": false}}, "Idempotency-Key", newKey())
	if r.Status != http.StatusCreated {
		t.Fatalf("create claim: %d %s", r.Status, r.Body)
	}
	var c claimBody
	r.json(t, &c)

	// Submitting without documents reports every missing one at once.
	r = in.call(t, "POST", "/v1/claims/"+c.ID+"/submit", grad, nil, "Idempotency-Key", newKey())
	p := r.problem(t)
	if r.Status != 422 || p.Code != "claim_incomplete" || len(p.Errors) != len(relocationDocuments) {
		t.Fatalf("incomplete submit: %d %s", r.Status, r.Body)
	}
	var ids []string
	for _, kind := range relocationDocuments {
		ids = append(ids, in.acceptedDocument(t, grad, kind))
	}
	if r := in.call(t, "POST", "/v1/claims/"+c.ID+"/documents", grad, map[string]any{"documentIds": ids}); r.Status != 200 {
		t.Fatalf("attach: %d %s", r.Status, r.Body)
	}
	other := in.signUp(t)
	if r := in.call(t, "GET", "/v1/claims/"+c.ID, other, nil); r.Status != 404 {
		t.Fatalf("another graduate reading the claim: %d", r.Status)
	}

	// A flaky network retries the submit with the same key: one submission.
	key := newKey()
	var wg sync.WaitGroup
	var first, second response
	wg.Go(func() { first = in.call(t, "POST", "/v1/claims/"+c.ID+"/submit", grad, nil, "Idempotency-Key", key) })
	wg.Go(func() { second = in.call(t, "POST", "/v1/claims/"+c.ID+"/submit", grad, nil, "Idempotency-Key", key) })
	wg.Wait()
	if first.Status != 202 || second.Status != 202 || string(first.Body) != string(second.Body) {
		t.Fatalf("retried submit: %d %s / %d %s", first.Status, first.Body, second.Status, second.Body)
	}

	// HR has not confirmed yet: the claim waits for the employer.
	c = in.waitClaim(t, grad, c.ID, "awaiting_employer")
	if c.PolicyVersion != 1 || c.Stage != "employer" || c.DueAt == nil {
		t.Fatalf("waiting claim: %+v", c)
	}

	// A new version published now applies to new claims only.
	v2 := strings.Replace(strings.Replace(relocationV1(t), "version: 1", "version: 2", 1), "master: 3000000", "master: 4000000", 1)
	v2 = strings.Replace(v2, "effectiveFrom: 2026-01-01", "effectiveFrom: "+time.Now().UTC().Format(time.DateOnly), 1)
	r = in.call(t, "POST", "/v1/admin/policies", admin, map[string]any{"source": v2}, "Idempotency-Key", newKey())
	if r.Status != http.StatusCreated {
		t.Fatalf("publish v2: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/admin/policies", housing, map[string]any{"source": v2}, "Idempotency-Key", newKey()); r.Status != 403 {
		t.Fatalf("housing publishing policy: %d", r.Status)
	}
	if r := in.call(t, "POST", "/v1/admin/policies", admin, map[string]any{"source": v2}, "Idempotency-Key", newKey()); r.Status != 409 {
		t.Fatalf("republishing a version: %d %s", r.Status, r.Body)
	}

	var pending struct{ Items []struct{ ID string } }
	in.call(t, "GET", "/v1/hr/employments", hr, nil).json(t, &pending)
	if len(pending.Items) != 1 {
		t.Fatalf("HR's pending list: %+v", pending)
	}
	confirm := map[string]any{"contractStart": "2025-07-15", "contractEnd": "2028-07-14", "socialInsuranceStart": "2025-08-01"}
	if r := in.call(t, "POST", "/v1/hr/employments/"+pending.Items[0].ID+"/confirm", hr, confirm); r.Status != 200 {
		t.Fatalf("HR confirm: %d %s", r.Status, r.Body)
	}

	c = in.waitClaim(t, grad, c.ID, "under_review")
	if c.Decision == nil || c.Decision.Outcome != "eligible" || c.Decision.Version != 1 || c.Decision.Entitlement.Total != 3000000 {
		t.Fatalf("decision: %+v", c.Decision)
	}
	for _, step := range c.Decision.Trace {
		if step.Clause == "" || step.Message.Zh == "" || step.Message.En == "" || step.Outcome != "pass" {
			t.Fatalf("trace step: %+v", step)
		}
	}
	if len(c.Decision.Trace) < 8 {
		t.Fatalf("trace has %d steps", len(c.Decision.Trace))
	}

	// Only reviewers see the queue and decide.
	for name, token := range map[string]string{"graduate": grad, "hr": hr, "finance": finance, "housing": housing} {
		if r := in.call(t, "GET", "/v1/review/queue", token, nil); r.Status != 403 {
			t.Errorf("%s reading the review queue: %d", name, r.Status)
		}
		if r := in.call(t, "POST", "/v1/review/claims/"+c.ID+"/approve", token, map[string]any{}); r.Status != 403 {
			t.Errorf("%s approving: %d", name, r.Status)
		}
	}
	var queue struct{ Items []claimBody }
	in.call(t, "GET", "/v1/review/queue", reviewer1, nil).json(t, &queue)
	if len(queue.Items) != 1 || queue.Items[0].ID != c.ID {
		t.Fatalf("review queue: %+v", queue)
	}

	// Two reviewers approve at once: one decision, one audit row; the one
	// who lost is told who holds the claim.
	var a, b response
	wg.Go(func() {
		a = in.call(t, "POST", "/v1/review/claims/"+c.ID+"/approve", reviewer1, map[string]any{"note": "ok"})
	})
	wg.Go(func() {
		b = in.call(t, "POST", "/v1/review/claims/"+c.ID+"/approve", reviewer2, map[string]any{"note": "ok too"})
	})
	wg.Wait()
	winner, loser := reviewer1, b
	if b.Status == 200 {
		winner, loser = reviewer2, a
	}
	if lost := loser.problem(t); loser.Status != 409 || lost.Code != "claim_assigned" || lost.AssigneeID != in.userID(t, winner) {
		t.Fatalf("racing reviewers: %d %s / %d %s", a.Status, a.Body, b.Status, b.Body)
	}

	// Approved, the claim goes on public notice first: nothing is paid yet.
	c = in.claim(t, grad, c.ID)
	if c.Status != "approved" || c.NoticeUntil == nil || len(c.Payments) != 0 || c.AssigneeID != in.userID(t, winner) {
		t.Fatalf("approved claim: %+v", c)
	}
	notice := in.call(t, "GET", "/v1/public/publicity?kind=claim", "", nil)
	if notice.Status != 200 || !strings.Contains(string(notice.Body), "李*（") || !strings.Contains(string(notice.Body), c.ID) ||
		strings.Contains(string(notice.Body), "李明") || strings.Contains(string(notice.Body), testNationalID) {
		t.Fatalf("public notice: %d %s", notice.Status, notice.Body)
	}
	in.runJob(t, "claims:notices") // not due yet: nothing changes
	if _, err := in.DB.Pool().Exec(context.Background(), `UPDATE claims SET notice_until = now() - interval '1 minute' WHERE id = $1`, c.ID); err != nil {
		t.Fatal(err)
	}
	in.runJob(t, "claims:notices")
	c = in.waitClaim(t, grad, c.ID, "active")
	decisions := 0
	for _, row := range c.Audit {
		if row.Event == "approve" || row.Event == "reject" {
			decisions++
		}
	}
	if decisions != 1 || len(c.Payments) != 2 {
		t.Fatalf("after the notice: %d decisions, %+v", decisions, c)
	}
	for _, p := range c.Payments {
		if p.Amount != 1500000 || p.Status != "due" {
			t.Fatalf("schedule: %+v", c.Payments)
		}
	}
	wantEvents := "submit wait_for_employer employer_confirmed evaluate"
	var got []string
	for _, row := range c.Audit[:4] {
		got = append(got, row.Event)
	}
	if strings.Join(got, " ") != wantEvents {
		t.Fatalf("audit trail: %v", got)
	}

	// Finance batches what is due; a second officer approves and exports it
	// for the bank; it is marked paid.
	for name, token := range map[string]string{"graduate": grad, "hr": hr, "reviewer": reviewer1, "housing": housing} {
		if r := in.call(t, "POST", "/v1/finance/batches", token, nil, "Idempotency-Key", newKey()); r.Status != 403 {
			t.Errorf("%s creating a batch: %d", name, r.Status)
		}
	}
	r = in.call(t, "POST", "/v1/finance/batches", finance, nil, "Idempotency-Key", newKey())
	var batch struct {
		ID    string
		Count int
		Total int64
	}
	r.json(t, &batch)
	if r.Status != 201 || batch.Count != 2 || batch.Total != 3000000 {
		t.Fatalf("batch: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/finance/batches", finance, nil, "Idempotency-Key", newKey()); r.Status != 409 {
		t.Fatalf("an empty batch: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/finance/batches/"+batch.ID+"/approve", checker, nil); r.Status != 200 {
		t.Fatalf("approval: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "GET", "/v1/finance/batches/"+batch.ID, finance, nil); r.Status != 200 ||
		strings.Contains(string(r.Body), testBankAccount) || !strings.Contains(string(r.Body), "***5678") {
		t.Fatalf("batch view must mask accounts: %d %s", r.Status, r.Body)
	}
	csvFile := in.call(t, "GET", "/v1/finance/batches/"+batch.ID+"/export?format=csv", checker, nil)
	if csvFile.Status != 200 || !strings.Contains(string(csvFile.Body), testBankAccount) || !strings.Contains(string(csvFile.Body), "15000.00") ||
		strings.Contains(string(csvFile.Body), testNationalID) {
		t.Fatalf("csv export: %d %s", csvFile.Status, csvFile.Body)
	}
	xlsxFile := in.call(t, "GET", "/v1/finance/batches/"+batch.ID+"/export", checker, nil)
	book, err := excelize.OpenReader(bytes.NewReader(xlsxFile.Body))
	if err != nil {
		t.Fatalf("xlsx export: %v", err)
	}
	rows, _ := book.GetRows(book.GetSheetName(0))
	if len(rows) != 3 || rows[1][5] != testBankAccount || rows[1][2] != "李明" {
		t.Fatalf("xlsx rows: %v", rows)
	}
	if r := in.call(t, "GET", "/v1/finance/batches/"+batch.ID+"/export", reviewer1, nil); r.Status != 403 {
		t.Fatalf("a reviewer exporting: %d", r.Status)
	}
	for _, p := range c.Payments {
		for range 2 { // marking twice is harmless
			if r := in.call(t, "POST", "/v1/finance/payments/"+p.ID+"/paid", finance, nil); r.Status != 200 {
				t.Fatalf("mark paid: %d %s", r.Status, r.Body)
			}
		}
	}
	c = in.claim(t, grad, c.ID)
	if c.Status != "completed" {
		t.Fatalf("after paying everything: %+v", c)
	}
	var rec struct {
		Approved, Paid, Scheduled int64
		Balanced                  bool
	}
	in.call(t, "GET", "/v1/finance/reconciliation", finance, nil).json(t, &rec)
	if rec.Approved != 3000000 || rec.Paid != 3000000 || !rec.Balanced {
		t.Fatalf("reconciliation: %+v", rec)
	}
	today := time.Now().In(time.FixedZone("Asia/Shanghai", 8*3600))
	var stats struct {
		Items []struct {
			Package                 string
			Claims, Decided, Paid   int
			MedianToDecisionSeconds int64
		}
	}
	in.call(t, "GET", "/v1/stats/delivery?from="+today.Format(time.DateOnly)+"&to="+today.AddDate(0, 0, 1).Format(time.DateOnly), reviewer1, nil).json(t, &stats)
	if len(stats.Items) != 1 || stats.Items[0].Package != "relocation" || stats.Items[0].Decided != 1 || stats.Items[0].Paid != 1 {
		t.Fatalf("delivery stats: %+v", stats)
	}
	// The public sees the same counts by month, without signing in.
	var public struct {
		Items []struct {
			Package, Month        string
			Claims, Decided, Paid int
		}
	}
	shanghai := time.Now().In(time.FixedZone("Asia/Shanghai", 8*3600))
	span := "from=" + shanghai.AddDate(0, 0, -1).Format(time.DateOnly) + "&to=" + shanghai.Format(time.DateOnly)
	in.call(t, "GET", "/v1/public/stats/delivery?"+span, "", nil).json(t, &public)
	if len(public.Items) != 1 || public.Items[0].Package != "relocation" || public.Items[0].Paid != 1 ||
		public.Items[0].Month != shanghai.Format("2006-01") {
		t.Fatalf("public delivery stats: %+v", public)
	}

	// The graduate heard about every transition and every payment.
	eventually(t, 20*time.Second, "a notice per transition", func() bool {
		n := 0
		for _, tpl := range in.inboxTemplates(t, grad) {
			if tpl == "claim.status" {
				n++
			}
		}
		return n == len(c.Audit)
	})
	paidNotices := 0
	for _, tpl := range in.inboxTemplates(t, grad) {
		if tpl == "payment.paid" {
			paidNotices++
		}
	}
	if paidNotices != 2 {
		t.Fatalf("%d payment notices", paidNotices)
	}
	// Each inbox entry was pushed to the phone too, in the graduate's language.
	inbox := in.inboxTemplates(t, grad)
	eventually(t, 10*time.Second, "a push per inbox entry", func() bool {
		pushes := 0
		for _, m := range in.FCM.Messages() {
			if m.Token == phone && m.Notification != nil && m.Notification.Title != "" && m.Data["link"] != "" {
				pushes++
			}
		}
		return pushes == len(inbox)
	})

	// The identity is frozen once a claim depends on it: the ID number
	// cannot be swapped away to claim again from another account.
	changed := map[string]any{"name": "李明", "nationalId": "11010519491231002X"}
	if r := in.call(t, "PUT", "/v1/me", grad, changed); r.Status != 409 || r.problem(t).Code != "identity_frozen" {
		t.Fatalf("changing the first account's ID: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "PUT", "/v1/me", other, map[string]any{"name": "李明", "nationalId": testNationalID}); r.Status != 409 {
		t.Fatalf("a second account with the same ID number: %d %s", r.Status, r.Body)
	}
	// The office corrects a wrong number, with a reason, audited.
	gradID := in.userID(t, grad)
	if r := in.call(t, "PUT", "/v1/admin/users/"+gradID+"/identity", reviewer1, map[string]any{"nationalId": "11010519491231002X", "reason": "x"}); r.Status != 403 {
		t.Fatalf("a reviewer correcting an identity: %d", r.Status)
	}
	r = in.call(t, "PUT", "/v1/admin/users/"+gradID+"/identity", admin, map[string]any{"nationalId": "11010519491231002X", "reason": "登记时号码录入错误，见户籍证明"})
	if r.Status != 200 || !strings.Contains(string(r.Body), `"nationalId":"1101**********002X"`) {
		t.Fatalf("correct the identity: %d %s", r.Status, r.Body)
	}
	var audit int
	_ = in.DB.Pool().QueryRow(context.Background(), `SELECT count(*) FROM audit_log WHERE entity = 'profile' AND entity_id = $1 AND event = 'identity_corrected'`, gradID).Scan(&audit)
	if audit != 1 {
		t.Fatalf("%d identity audit rows", audit)
	}
	if r := in.call(t, "PUT", "/v1/me", other, map[string]any{"name": "李明", "nationalId": testNationalID}); r.Status != 200 {
		t.Fatalf("second account: %d %s", r.Status, r.Body)
	}
	// A new claim now is decided under version 2.
	r = in.call(t, "POST", "/v1/claims", other, map[string]any{"package": "rent", "declarations": map[string]any{"monthlyRent": 150000}}, "Idempotency-Key", newKey())
	if r.Status != 201 {
		t.Fatalf("rent claim: %d %s", r.Status, r.Body)
	}
	in.call(t, "GET", "/v1/policies", other, nil).json(t, &policies)
	for _, pol := range policies.Items {
		if pol.ID == "relocation" && pol.Version != 2 {
			t.Fatalf("relocation in force: v%d", pol.Version)
		}
	}
}

// TestPrecheck: from the profile alone, what can be claimed now, later and
// from when, rule by rule.
func TestPrecheck(t *testing.T) {
	t.Parallel()
	in := boot(t)
	grad := in.signUp(t)
	in.call(t, "PUT", "/v1/me", grad, map[string]any{
		"name": "王芳", "nationalId": testNationalID, "hukouPlace": "江西省南昌市",
		"education": []map[string]any{{"level": "bachelor", "institution": "南昌大学", "fullTime": true, "graduationDate": "2026-06-30"}},
	})
	var res struct {
		Results []struct {
			Package, Outcome string
			Trace            []struct{ RuleID, Outcome string }
		}
	}
	r := in.call(t, "POST", "/v1/eligibility/precheck", grad, nil)
	r.json(t, &res)
	if r.Status != 200 || len(res.Results) != 3 {
		t.Fatalf("precheck: %d %s", r.Status, r.Body)
	}
	for _, d := range res.Results {
		if d.Outcome == "eligible" || len(d.Trace) == 0 {
			t.Fatalf("%s without an employer must not be eligible: %+v", d.Package, d)
		}
	}
}

// relocationV1 is the default relocation package's source.
func relocationV1(t *testing.T) string {
	t.Helper()
	b, err := os.ReadFile("../../internal/talent/policy/packages/relocation.yaml")
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}
