package main

import (
	"context"
	"net/http"
	"testing"
	"time"
)

const (
	creditCodeA = "91330282MA2H3B8K4N"
	creditCodeB = "91330282MA2CX7JU1X"
)

type employment struct {
	ID                   string
	Status               string
	SocialInsuranceStart string
	ContractEnd          string
	RejectReason         string
	GraduateName         string
	NationalID           string `json:"nationalId"`
}

// withAdmin starts anju with a bootstrap admin and returns the admin's token.
func withAdmin(t *testing.T) (*instance, string) {
	t.Helper()
	in := services(t)
	uid := "admin-" + newKey()
	email := uid + "@test.anju.local"
	if err := in.Emu.EnsureUser(context.Background(), uid, email, "password-123", ""); err != nil {
		t.Fatal(err)
	}
	in.start(t, "all", withEnv("ANJU_BOOTSTRAP_ADMINS", uid))
	token, err := in.Emu.TokenFor(context.Background(), uid, email, "password-123")
	if err != nil {
		t.Fatal(err)
	}
	// Signed in once, as an installation's admin would have been, so that
	// alerts to the city's admins reach them.
	if r := in.call(t, "GET", "/v1/me", token, nil); r.Status != 200 {
		t.Fatalf("admin sign-in: %d %s", r.Status, r.Body)
	}
	return in, token
}

func (in *instance) userID(t *testing.T, token string) string {
	t.Helper()
	var me struct{ User struct{ ID string } }
	in.call(t, "GET", "/v1/me", token, nil).json(t, &me)
	return me.User.ID
}

func (in *instance) inboxTemplates(t *testing.T, token string) []string {
	t.Helper()
	var inbox struct{ Items []struct{ Template string } }
	in.call(t, "GET", "/v1/me/notifications", token, nil).json(t, &inbox)
	var out []string
	for _, n := range inbox.Items {
		out = append(out, n.Template)
	}
	return out
}

// TestEmploymentConfirmation: a graduate declares an employer in the
// profile; that employer's HR office (and no other) is told, lists the
// request with the graduate masked, and confirms or rejects it, one by one
// or in bulk; the graduate is told the answer.
func TestEmploymentConfirmation(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)

	var empA, empB struct{ ID string }
	r := in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey())
	if r.Status != http.StatusCreated {
		t.Fatalf("create employer: %d %s", r.Status, r.Body)
	}
	r.json(t, &empA)
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "宁波港务有限公司", "creditCode": creditCodeB}, "Idempotency-Key", newKey()).json(t, &empB)
	r = in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "错码公司", "creditCode": "91330282MA2H3B8K4X"}, "Idempotency-Key", newKey())
	if p := r.problem(t); r.Status != 422 || p.field("creditCode") != "credit_code_checksum" {
		t.Fatalf("bad credit code: %d %s", r.Status, r.Body)
	}
	r = in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "重复", "creditCode": creditCodeA}, "Idempotency-Key", newKey())
	if p := r.problem(t); r.Status != 409 || p.Code != "credit_code_taken" {
		t.Fatalf("duplicate employer: %d %s", r.Status, r.Body)
	}

	hrA, hrB := in.staff(t, admin, "hr", empA.ID), in.staff(t, admin, "hr", empB.ID)
	hrDevice := "fcm-hr-device-" + newKey()
	in.call(t, "PUT", "/v1/me/devices/"+hrDevice, hrA, map[string]any{"platform": "ios"})

	declare := func(token, name, nationalID, code string) response {
		return in.call(t, "PUT", "/v1/me", token, map[string]any{
			"name": name, "nationalId": nationalID,
			"employer": map[string]any{"name": "whatever the graduate typed", "creditCode": code, "since": "2026-07-15"},
		})
	}
	grad := in.signUp(t)
	r = declare(grad, "李明", testNationalID, "91330282MA2AAAAA1C")
	if p := r.problem(t); r.Status != 422 || p.field("employer.creditCode") != "employer_not_registered" {
		t.Fatalf("unregistered employer: %d %s", r.Status, r.Body)
	}
	if r = declare(grad, "李明", testNationalID, creditCodeA); r.Status != 200 {
		t.Fatalf("declare: %d %s", r.Status, r.Body)
	}
	var mine employment
	in.call(t, "GET", "/v1/me/employment", grad, nil).json(t, &mine)
	if mine.Status != "pending" {
		t.Fatalf("declaration: %+v", mine)
	}
	// Saving the profile again does not declare again.
	declare(grad, "李明", testNationalID, creditCodeA)

	// HR A is told, by inbox and push; HR B is not.
	eventually(t, 20*time.Second, "HR A's notification", func() bool {
		got := in.inboxTemplates(t, hrA)
		return len(got) == 1 && got[0] == "employment.declared"
	})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	msgs, err := in.FCM.WaitFor(ctx, 1)
	if err != nil || msgs[0].Token != hrDevice || msgs[0].Notification.Title != "新的在职确认申请" {
		t.Fatalf("push to HR: %+v %v", msgs, err)
	}
	if got := in.inboxTemplates(t, hrB); len(got) != 0 {
		t.Fatalf("HR of another employer was told: %v", got)
	}

	var page struct{ Items []employment }
	in.call(t, "GET", "/v1/hr/employments?status=pending", hrA, nil).json(t, &page)
	if len(page.Items) != 1 || page.Items[0].GraduateName != "李明" || page.Items[0].NationalID != "3302**********0423" {
		t.Fatalf("HR A's list: %+v", page)
	}
	page.Items = nil
	in.call(t, "GET", "/v1/hr/employments", hrB, nil).json(t, &page)
	if len(page.Items) != 0 {
		t.Fatalf("HR B sees another employer's people: %+v", page)
	}
	confirm := map[string]any{"contractStart": "2026-07-15", "contractEnd": "2029-07-14", "socialInsuranceStart": "2026-08-20"}
	path := "/v1/hr/employments/" + mine.ID + "/confirm"
	if r := in.call(t, "POST", path, hrB, confirm); r.Status != 404 {
		t.Fatalf("HR B confirming: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", path, grad, confirm); r.Status != 403 {
		t.Fatalf("graduate confirming: %d %s", r.Status, r.Body)
	}
	r = in.call(t, "POST", path, hrA, map[string]any{"contractStart": "2026-07-15", "contractEnd": "2026-07-01", "socialInsuranceStart": "2026-08-01"})
	if p := r.problem(t); r.Status != 422 || p.field("contractEnd") != "contract_end_before_start" {
		t.Fatalf("contract ending before it starts: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", path, hrA, confirm); r.Status != 200 {
		t.Fatalf("HR A confirming: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", path, hrA, confirm); r.Status != 409 {
		t.Fatalf("confirming twice: %d %s", r.Status, r.Body)
	}
	mine = employment{}
	in.call(t, "GET", "/v1/me/employment", grad, nil).json(t, &mine)
	if mine.Status != "confirmed" || mine.SocialInsuranceStart != "2026-08-01" || mine.ContractEnd != "2029-07-14" {
		t.Fatalf("after confirmation: %+v", mine)
	}
	eventually(t, 20*time.Second, "the graduate's notification", func() bool {
		got := in.inboxTemplates(t, grad)
		return len(got) == 1 && got[0] == "employment.confirmed"
	})

	// In bulk: one confirmed, one rejected, one of another employer not found.
	g2, g3, g4 := in.signUp(t), in.signUp(t), in.signUp(t)
	for _, d := range []struct{ token, name, id, code string }{
		{g2, "王芳", "11010519491231002X", creditCodeA},
		{g3, "赵强", "330203200002290017", creditCodeA},
		{g4, "孙丽", "330203199001011236", creditCodeB},
	} {
		if r := declare(d.token, d.name, d.id, d.code); r.Status != 200 {
			t.Fatalf("declare %s: %d %s", d.name, r.Status, r.Body)
		}
	}
	var e2, e3, e4 employment
	in.call(t, "GET", "/v1/me/employment", g2, nil).json(t, &e2)
	in.call(t, "GET", "/v1/me/employment", g3, nil).json(t, &e3)
	in.call(t, "GET", "/v1/me/employment", g4, nil).json(t, &e4)
	var results struct {
		Results []struct {
			ID         string
			OK         bool `json:"ok"`
			Employment *employment
			Error      *problem
		}
	}
	r = in.call(t, "POST", "/v1/hr/employments/decisions", hrA, map[string]any{"items": []map[string]any{
		{"id": e2.ID, "decision": "confirm", "contractStart": "2026-07-01", "contractEnd": "2027-06-30", "socialInsuranceStart": "2026-07-01"},
		{"id": e3.ID, "decision": "reject", "reason": "查无此人"},
		{"id": e4.ID, "decision": "confirm", "contractStart": "2026-07-01", "contractEnd": "2027-06-30", "socialInsuranceStart": "2026-07-01"},
	}}, "Accept-Language", "en")
	r.json(t, &results)
	if r.Status != 200 || len(results.Results) != 3 ||
		!results.Results[0].OK || results.Results[0].Employment.Status != "confirmed" ||
		!results.Results[1].OK || results.Results[1].Employment.RejectReason != "查无此人" ||
		results.Results[2].OK || results.Results[2].Error.Status != 404 || results.Results[2].Error.Title != "Not found" {
		t.Fatalf("bulk: %d %s", r.Status, r.Body)
	}
	e4 = employment{}
	in.call(t, "GET", "/v1/me/employment", g4, nil).json(t, &e4)
	if e4.Status != "pending" {
		t.Fatalf("another employer's declaration changed: %+v", e4)
	}
}
