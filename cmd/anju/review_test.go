package main

import (
	"context"
	"io"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
)

// applicant is a seeded graduate: token and the personal data no public
// answer may show.
type applicant struct {
	token, name, nationalID, phone, account string
}

// reviewClaim is the review view of a claim, as much as these tests read.
type reviewClaim struct {
	claimBody
	Applicant struct {
		UserID, Name, NationalID, HukouPlace string
		Age                                  int
		Employer                             *struct{ Name, Status string }
		SocialInsurance                      *struct {
			Months int
			Source string
		}
	}
	Documents []struct{ ID, Kind, DownloadURL string }
}

type queueBody struct {
	Items []struct{ ID, ApplicantName string }
}

func (q queueBody) ids() []string {
	var out []string
	for _, c := range q.Items {
		out = append(out, c.ID)
	}
	return out
}

// employedApplicant signs up a master's graduate who declares employer A
// (creditCodeA) and has hr confirm the declaration: ready to claim.
func (in *instance) employedApplicant(t *testing.T, hr, name, nationalID string) applicant {
	t.Helper()
	a := applicant{token: in.signUp(t), name: name, nationalID: nationalID}
	if r := in.call(t, "PUT", "/v1/me", a.token, map[string]any{"name": name, "nationalId": nationalID, "hukouPlace": "江西省南昌市",
		"education": []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
		"employer":  map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}}); r.Status != 200 {
		t.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	in.confirmPending(t, hr, "2025-07-15", "2028-07-14")
	return a
}

// claimUnderReview has a graduate claim the relocation allowance with every
// document accepted; upload puts real files through the worker, otherwise
// accepted documents are stored directly to keep the test short.
func (in *instance) claimUnderReview(t *testing.T, a applicant, upload bool) string {
	t.Helper()
	ctx := context.Background()
	var ids []string
	for _, kind := range relocationDocuments {
		if upload {
			ids = append(ids, in.acceptedDocument(t, a.token, kind))
			continue
		}
		d := talent.Document{ID: talent.NewID(), OwnerID: in.userID(t, a.token), Kind: talent.DocumentKind(kind), ContentType: "application/pdf",
			Size: 100, SHA256: strings.Repeat("0", 64), ObjectKey: "documents/" + talent.NewID(), Status: talent.DocAccepted,
			CreatedAt: time.Now(), UpdatedAt: time.Now()}
		if err := in.DB.Documents().CreateDocument(ctx, d); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, d.ID)
	}
	var c claimBody
	in.call(t, "POST", "/v1/claims", a.token, map[string]any{"package": "relocation", "declarations": map[string]any{}}, "Idempotency-Key", newKey()).json(t, &c)
	if r := in.call(t, "POST", "/v1/claims/"+c.ID+"/documents", a.token, map[string]any{"documentIds": ids}); r.Status != 200 {
		t.Fatalf("attach: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/claims/"+c.ID+"/submit", a.token, nil, "Idempotency-Key", newKey()); r.Status != 202 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	in.waitClaim(t, a.token, c.ID, "under_review")
	return c.ID
}

func (in *instance) queue(t *testing.T, token, query string) queueBody {
	t.Helper()
	var q queueBody
	in.get(t, token, "/v1/review/queue?"+query, &q)
	return q
}

// sql runs one statement on the instance's database: for the clock, which
// the binary reads from the system.
func (in *instance) sql(t *testing.T, q string, args ...any) {
	t.Helper()
	if _, err := in.DB.Pool().Exec(context.Background(), q, args...); err != nil {
		t.Fatalf("%s: %v", q, err)
	}
}

// TestReviewOffice: the review office's day through the binary. Reviewers
// see who applies (and the view is logged), find claims by name, exact ID
// number, employer and deadline, return one for supplement twice with its
// deadline paused, and approve. Approvals go on public notice: an
// objection dismissed lets the payment go once the notice ends, one
// upheld sends the claim back to review; nothing is paid before. The
// public answers show nobody's personal data.
func TestReviewOffice(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var empA, empB struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &empA)
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "宁波海曙新材料有限公司", "creditCode": creditCodeB}, "Idempotency-Key", newKey()).json(t, &empB)
	hrA, hrB := in.staff(t, admin, "hr", empA.ID), in.staff(t, admin, "hr", empB.ID)
	r1, r2 := in.staff(t, admin, "reviewer", ""), in.staff(t, admin, "reviewer", "")
	lead := in.staff(t, admin, "lead_reviewer", "")
	finance := in.staff(t, admin, "finance", "")

	seed := func(name, id, phone, account, employer, credit string) applicant {
		a := applicant{token: in.signUp(t), name: name, nationalID: id, phone: phone, account: account}
		profile := map[string]any{"name": name, "nationalId": id, "phone": phone, "hukouPlace": "江西省南昌市",
			"education":   []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
			"employer":    map[string]any{"name": employer, "creditCode": credit},
			"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": account}}
		if r := in.call(t, "PUT", "/v1/me", a.token, profile); r.Status != 200 {
			t.Fatalf("profile %s: %d %s", name, r.Status, r.Body)
		}
		return a
	}
	li := seed("李明", testNationalID, testPhone, testBankAccount, "慈溪智造", creditCodeA)
	wang := seed("王芳", "330282199903050029", "13900139000", "6222020200112233445", "海曙新材料", creditCodeB)
	zhang := seed("张伟", "330203200002290017", "13700137000", "6228480010203040506", "慈溪智造", creditCodeA)
	for _, hr := range []string{hrA, hrB} {
		in.confirmPending(t, hr, "2025-07-15", "2028-07-14")
	}
	liClaim := in.claimUnderReview(t, li, true)
	wangClaim := in.claimUnderReview(t, wang, false)
	zhangClaim := in.claimUnderReview(t, zhang, false)

	// Search: by name, by exact ID number only (a part of one finds
	// nothing), by employer, overdue, and in submission order.
	if q := in.queue(t, r1, "q="+url.QueryEscape("王")); len(q.Items) != 1 || q.Items[0].ID != wangClaim || q.Items[0].ApplicantName != "王芳" {
		t.Fatalf("by name: %+v", q)
	}
	if q := in.queue(t, r1, "q="+zhang.nationalID); strings.Join(q.ids(), ",") != zhangClaim {
		t.Fatalf("by ID number: %+v", q)
	}
	if q := in.queue(t, r1, "q="+zhang.nationalID[:10]); len(q.Items) != 0 {
		t.Fatalf("part of an ID number: %+v", q)
	}
	if q := in.queue(t, r1, "employer="+empB.ID); strings.Join(q.ids(), ",") != wangClaim {
		t.Fatalf("by employer: %+v", q)
	}
	in.sql(t, `UPDATE claims SET due_at = now() - interval '1 hour' WHERE id = $1`, zhangClaim)
	if q := in.queue(t, r1, "overdue=true"); strings.Join(q.ids(), ",") != zhangClaim {
		t.Fatalf("overdue: %+v", q)
	}
	if q := in.queue(t, r1, "sort=submission"); strings.Join(q.ids(), ",") != strings.Join([]string{liClaim, wangClaim, zhangClaim}, ",") {
		t.Fatalf("by submission: %+v", q)
	}
	if q := in.queue(t, r1, "package=rent"); len(q.Items) != 0 {
		t.Fatalf("by package: %+v", q)
	}

	// The review view: who applies, documents to preview; every view logged.
	var view reviewClaim
	r := in.call(t, "GET", "/v1/review/claims/"+liClaim, r1, nil)
	r.json(t, &view)
	if r.Status != 200 || r.Header.Get("Cache-Control") != "no-store" || view.Applicant.Name != "李明" ||
		view.Applicant.NationalID == "" || strings.Contains(string(r.Body), testNationalID) || strings.Contains(string(r.Body), testBankAccount) ||
		view.Applicant.Age < 20 || view.Applicant.Employer == nil || view.Applicant.Employer.Status != "confirmed" ||
		view.Applicant.SocialInsurance == nil || view.Applicant.SocialInsurance.Source != "employer_confirmation" || len(view.Documents) != len(relocationDocuments) {
		t.Fatalf("review view: %d %s", r.Status, r.Body)
	}
	preview, err := http.Get(view.Documents[0].DownloadURL)
	if err != nil {
		t.Fatal(err)
	}
	pdf, _ := io.ReadAll(preview.Body)
	preview.Body.Close()
	if preview.StatusCode != 200 || !strings.HasPrefix(string(pdf), "%PDF") {
		t.Fatalf("preview: %d %.40s", preview.StatusCode, pdf)
	}
	for name, token := range map[string]string{"the graduate": li.token, "HR": hrA, "finance": finance} {
		if r := in.call(t, "GET", "/v1/review/claims/"+liClaim, token, nil); r.Status != 403 {
			t.Errorf("%s reading the review view: %d", name, r.Status)
		}
	}
	var log struct {
		Items []struct{ ActorID, SubjectID, What, ObjectID, RequestID string }
	}
	in.call(t, "GET", "/v1/admin/access-log?subjectId="+in.userID(t, li.token), admin, nil).json(t, &log)
	if len(log.Items) != 1 || log.Items[0].ActorID != in.userID(t, r1) || log.Items[0].What != "review_claim" ||
		log.Items[0].ObjectID != liClaim || log.Items[0].RequestID == "" {
		t.Fatalf("access log: %+v", log)
	}
	if r := in.call(t, "GET", "/v1/admin/access-log", r1, nil); r.Status != 403 {
		t.Fatalf("a reviewer reading the access log: %d", r.Status)
	}

	// Returned twice for supplement: the deadline pauses while the
	// graduate has the claim (two days, as the database is told).
	dueBefore := *in.claim(t, li.token, liClaim).DueAt
	items := map[string]any{"items": []map[string]any{{"target": "documents.diploma", "code": "illegible"},
		{"target": "declarations.ownsHomeInCity", "text": map[string]any{"zh": "请说明在本市有无住房", "en": "Say whether you own a home in the city"}}}}
	for round := 1; round <= 2; round++ {
		r = in.call(t, "POST", "/v1/review/claims/"+liClaim+"/return", r1, items)
		var returned claimBody
		r.json(t, &returned)
		if r.Status != 200 || returned.Status != "returned" || returned.Stage != "supplement" || returned.DueAt == nil {
			t.Fatalf("return %d: %d %s", round, r.Status, r.Body)
		}
		if round == 1 {
			var mine struct {
				Items []struct {
					ID       string
					NextStep struct {
						Name, Actor string
						DueAt       *time.Time
					}
				}
			}
			in.call(t, "GET", "/v1/claims", li.token, nil).json(t, &mine)
			if len(mine.Items) != 1 || mine.Items[0].NextStep.Name != "supplement" || mine.Items[0].NextStep.Actor != "graduate" ||
				mine.Items[0].NextStep.DueAt == nil || !mine.Items[0].NextStep.DueAt.Equal(*returned.DueAt) {
				t.Fatalf("the graduate's list: %+v", mine)
			}
			// The graduate answers: a declaration changed, the diploma replaced.
			if r := in.call(t, "PUT", "/v1/claims/"+liClaim, wang.token, map[string]any{"declarations": map[string]any{"ownsHomeInCity": false}}); r.Status != 404 {
				t.Fatalf("another graduate editing the claim: %d", r.Status)
			}
			if r := in.call(t, "PUT", "/v1/claims/"+liClaim, li.token, map[string]any{"declarations": map[string]any{"ownsHomeInCity": false, "topSchool": true}}); r.Status != 200 {
				t.Fatalf("update declarations: %d %s", r.Status, r.Body)
			}
			diploma := view.Documents[1].ID
			for _, d := range view.Documents {
				if d.Kind == "diploma" {
					diploma = d.ID
				}
			}
			if r := in.call(t, "DELETE", "/v1/claims/"+liClaim+"/documents/"+diploma, li.token, nil); r.Status != 200 {
				t.Fatalf("detach: %d %s", r.Status, r.Body)
			}
			fresh := in.acceptedDocument(t, li.token, "diploma")
			if r := in.call(t, "POST", "/v1/claims/"+liClaim+"/documents", li.token, map[string]any{"documentIds": []string{fresh}}); r.Status != 200 {
				t.Fatalf("attach the new diploma: %d %s", r.Status, r.Body)
			}
		}
		in.sql(t, `UPDATE claims SET returned_at = returned_at - interval '1 day' WHERE id = $1`, liClaim)
		if r := in.call(t, "POST", "/v1/claims/"+liClaim+"/submit", li.token, nil, "Idempotency-Key", newKey()); r.Status != 202 {
			t.Fatalf("resubmit %d: %d %s", round, r.Status, r.Body)
		}
		back := in.waitClaim(t, li.token, liClaim, "under_review")
		if paused := back.DueAt.Sub(dueBefore); paused < time.Duration(round)*24*time.Hour || paused > time.Duration(round)*24*time.Hour+time.Minute {
			t.Fatalf("after return %d the deadline moved by %v", round, paused)
		}
	}
	if r := in.call(t, "PUT", "/v1/claims/"+liClaim, li.token, map[string]any{"declarations": map[string]any{}}); r.Status != 409 {
		t.Fatalf("editing a claim under review: %d", r.Status)
	}
	r = in.call(t, "POST", "/v1/review/claims/"+liClaim+"/return", r1, items)
	if p := r.problem(t); r.Status != 409 || p.Code != "claim_return_limit" {
		t.Fatalf("a third return: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/review/claims/"+liClaim+"/approve", r2, map[string]any{}); r.Status != 409 {
		t.Fatalf("another reviewer deciding a held claim: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/review/claims/"+liClaim+"/approve", r1, map[string]any{"note": "补正后材料齐全"}); r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	eventually(t, 20*time.Second, "the graduate hears of each return", func() bool {
		n := 0
		var inbox struct {
			Items []struct{ Template, Body string }
		}
		in.call(t, "GET", "/v1/me/notifications", li.token, nil).json(t, &inbox)
		for _, m := range inbox.Items {
			if m.Template == "claim.status" && strings.Contains(m.Body, "退回") {
				n++
			}
		}
		return n == 2
	})

	// Zhang's claim is approved by the second reviewer, after the lead gives it to them.
	if r := in.call(t, "POST", "/v1/review/claims/"+zhangClaim+"/assign", r1, map[string]any{"assigneeId": in.userID(t, r2)}); r.Status != 403 {
		t.Fatalf("a reviewer assigning to another: %d", r.Status)
	}
	if r := in.call(t, "POST", "/v1/review/claims/"+zhangClaim+"/assign", lead, map[string]any{"assigneeId": in.userID(t, r2)}); r.Status != 200 {
		t.Fatalf("lead assigns: %d %s", r.Status, r.Body)
	}
	if q := in.queue(t, r2, "assignee=me"); strings.Join(q.ids(), ",") != zhangClaim {
		t.Fatalf("r2's queue: %+v", q)
	}
	// Staff read only the claims in their work (allowance.InWork), with
	// their trace and documents: zhang's claim is with r2 now, so not r1's
	// nor finance's; li's, approved by r1, is r1's and (payable) finance's,
	// not r2's.
	for who, tok := range map[string]string{"another reviewer": r1, "finance": finance} {
		for _, path := range []string{"/v1/claims/" + zhangClaim, "/v1/review/claims/" + zhangClaim} {
			if r := in.call(t, "GET", path, tok, nil); r.Status != 404 && r.Status != 403 {
				t.Fatalf("%s reads %s: %d", who, path, r.Status)
			}
		}
	}
	if r := in.call(t, "GET", "/v1/review/claims/"+zhangClaim, r2, nil); r.Status != 200 {
		t.Fatalf("the assignee reads the claim: %d %s", r.Status, r.Body)
	}
	var liView reviewClaim
	in.call(t, "GET", "/v1/review/claims/"+liClaim, r1, nil).json(t, &liView)
	if len(liView.Documents) == 0 {
		t.Fatal("the reviewer who decided li's claim cannot read it")
	}
	liDoc := "/v1/documents/" + liView.Documents[0].ID
	for who, want := range map[string]int{r1: 200, finance: 200, r2: 404, hrA: 404} {
		if r := in.call(t, "GET", liDoc, who, nil); r.Status != want {
			t.Fatalf("li's document read by %s: %d, want %d", who[:12], r.Status, want)
		}
	}
	if r := in.call(t, "POST", "/v1/review/claims/"+zhangClaim+"/approve", r2, map[string]any{}); r.Status != 200 {
		t.Fatalf("approve zhang: %d %s", r.Status, r.Body)
	}

	// On public notice, without a sign-in and masked.
	var notice struct {
		Items []struct{ ID, Person, Employer, Status string }
	}
	body := in.public(t, "/v1/public/publicity?kind=claim")
	response{Status: 200, Body: body}.json(t, &notice)
	if len(notice.Items) != 2 {
		t.Fatalf("public notice: %s", body)
	}
	for _, e := range notice.Items {
		if !strings.HasPrefix(e.Person, "李*（") && !strings.HasPrefix(e.Person, "张*（") {
			t.Fatalf("entry: %+v", e)
		}
	}

	// An objection to Li's approval: the approver may not decide it; the
	// other reviewer dismisses it. Nothing is paid until the notice ends.
	objector := in.signUp(t)
	object := func(entry, reasons string) string {
		t.Helper()
		var o struct{ ID, Status string }
		r := in.call(t, "POST", "/v1/publicity/"+entry+"/objections", objector, map[string]any{"reasons": reasons}, "Idempotency-Key", newKey())
		r.json(t, &o)
		if r.Status != 201 || o.Status != "open" {
			t.Fatalf("object: %d %s", r.Status, r.Body)
		}
		return o.ID
	}
	if r := in.call(t, "POST", "/v1/publicity/"+liClaim+"/objections", "", map[string]any{"reasons": "匿名异议不受理"}, "Idempotency-Key", newKey()); r.Status != 401 {
		t.Fatalf("an objection without sign-in: %d", r.Status)
	}
	dismissed := object(liClaim, "申请人在本市已有住房，不符合条件")
	// While the objection is open the claim is in every reviewer's work:
	// one who did not approve it decides the objection and reads it first.
	if r := in.call(t, "GET", "/v1/review/claims/"+liClaim, r2, nil); r.Status != 200 {
		t.Fatalf("the reviewer to decide the objection reads the claim: %d %s", r.Status, r.Body)
	}
	r = in.call(t, "POST", "/v1/review/objections/"+dismissed+"/resolve", r1, map[string]any{"uphold": false, "resolution": "x"})
	if p := r.problem(t); r.Status != 403 || p.Code != "own_decision" {
		t.Fatalf("the approver deciding the objection: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/review/objections/"+dismissed+"/resolve", objector, map[string]any{"uphold": false, "resolution": "x"}); r.Status != 403 {
		t.Fatalf("the objector deciding: %d", r.Status)
	}
	if r := in.call(t, "POST", "/v1/review/objections/"+dismissed+"/resolve", r2, map[string]any{"uphold": false, "resolution": "经不动产登记查询，申请人名下无房"}); r.Status != 200 {
		t.Fatalf("dismiss: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "GET", "/v1/review/claims/"+liClaim, r2, nil); r.Status != 404 && r.Status != 403 {
		t.Fatalf("with the objection decided the claim left r2's work: %d", r.Status)
	}

	// An objection to Zhang's approval is upheld by the lead: back to review.
	upheld := object(zhangClaim, "申请人学历证书与学信网记录不一致")
	var objections struct {
		Items []struct {
			Objection struct{ ID, Status string }
			Entry     struct{ ID, Person string }
		}
	}
	in.call(t, "GET", "/v1/review/objections", lead, nil).json(t, &objections)
	if len(objections.Items) != 1 || objections.Items[0].Objection.ID != upheld || objections.Items[0].Entry.ID != zhangClaim {
		t.Fatalf("open objections: %+v", objections)
	}
	if r := in.call(t, "GET", "/v1/housing/objections", lead, nil); r.Status != 403 {
		t.Fatalf("a reviewer listing housing objections: %d", r.Status)
	}
	if r := in.call(t, "POST", "/v1/review/objections/"+upheld+"/resolve", lead, map[string]any{"uphold": true, "resolution": "学历存疑，退回重新审核"}); r.Status != 200 {
		t.Fatalf("uphold: %d %s", r.Status, r.Body)
	}
	if c := in.claim(t, zhang.token, zhangClaim); c.Status != "under_review" || len(c.Payments) != 0 || c.NoticeUntil != nil {
		t.Fatalf("after the upheld objection: %+v", c)
	}
	eventually(t, 20*time.Second, "the applicant and the objector are told", func() bool {
		reopened := false
		for _, tpl := range in.inboxTemplates(t, zhang.token) {
			reopened = reopened || tpl == "claim.reopened"
		}
		resolved := 0
		for _, tpl := range in.inboxTemplates(t, objector) {
			if tpl == "objection.resolved" {
				resolved++
			}
		}
		return reopened && resolved == 2
	})

	// No payment before the notice ends; then Li's is scheduled.
	in.runJob(t, "claims:notices")
	time.Sleep(time.Second)
	if c := in.claim(t, li.token, liClaim); c.Status != "approved" || len(c.Payments) != 0 {
		t.Fatalf("paid during the notice: %+v", c)
	}
	in.sql(t, `UPDATE claims SET notice_until = now() - interval '1 minute' WHERE id = $1`, liClaim)
	in.runJob(t, "claims:notices")
	if c := in.waitClaim(t, li.token, liClaim, "active"); len(c.Payments) == 0 {
		t.Fatalf("no schedule after the notice: %+v", c)
	}

	// Public answers name nobody.
	var secrets []string
	for _, a := range []applicant{li, wang, zhang} {
		secrets = append(secrets, a.name, a.nationalID, a.phone, a.account)
	}
	today := time.Now().In(time.FixedZone("Asia/Shanghai", 8*3600)).Format(time.DateOnly)
	for _, path := range []string{"/v1/public/publicity", "/v1/public/publicity?format=xlsx", "/v1/public/stats/delivery?from=2026-01-01&to=" + today} {
		assertNoPersonalData(t, path, in.public(t, path), secrets...)
	}
}
