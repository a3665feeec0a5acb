package main

import (
	"bytes"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/testenv"
	"github.com/xuri/excelize/v2"
)

// hiresSheet is an XLSX of new hires for people first..first+n-1.
func hiresSheet(t *testing.T, first, n int, edit func(row int, cells []string)) []byte {
	t.Helper()
	f := excelize.NewFile()
	defer f.Close()
	sheet := f.GetSheetName(0)
	_ = f.SetSheetRow(sheet, "A1", &[]any{"姓名", "身份证号", "手机号", "合同开始日期", "合同结束日期", "社保起缴日期"})
	for i := range n {
		cells := []string{"新员工" + string(rune('甲'+i%20)), testenv.NationalID(first + i), "1390000" + string(rune('0'+i%10)) + "123",
			"2025-07-15", "2028-07-14", "2025-08-01"}
		if edit != nil {
			edit(i+2, cells)
		}
		row := make([]any, len(cells))
		for j, c := range cells {
			row[j] = c
		}
		cell, _ := excelize.CoordinatesToCellName(1, i+2)
		if err := f.SetSheetRow(sheet, cell, &row); err != nil {
			t.Fatal(err)
		}
	}
	var buf bytes.Buffer
	if err := f.Write(&buf); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// TestEmployerOffice: through the binary, an employer registers and is
// approved; its admin invites two HR users who accept; HR files 200 new
// hires from an XLSX after a file with one bad row is refused whole with
// the row named; a filed graduate signs in, finds the prefilled draft and
// submits it, straight to review. Another employer sees none of it.
func TestEmployerOffice(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	owner := in.signUp(t)
	var reg struct{ ID, Status, EmployerID, ContactPhone string }
	body := map[string]any{"creditCode": creditCodeA, "name": "慈溪智造科技有限公司", "address": "慈溪市新城大道 1 号",
		"contactName": "周敏", "contactPhone": "13900001111"}
	r := in.call(t, "POST", "/v1/employers/registrations", owner, body, "Idempotency-Key", newKey())
	r.json(t, &reg)
	if r.Status != 201 || reg.Status != "pending" || reg.ContactPhone != "139****1111" {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/admin/employers/registrations/"+reg.ID+"/approve", owner, nil); r.Status != 403 {
		t.Fatalf("the registrant approving: %d", r.Status)
	}
	in.call(t, "POST", "/v1/admin/employers/registrations/"+reg.ID+"/approve", admin, nil).json(t, &reg)
	if reg.Status != "approved" || reg.EmployerID == "" {
		t.Fatalf("approve: %+v", reg)
	}
	employer := reg.EmployerID

	// The employer's admin invites two HR users.
	var hrs []string
	for _, phone := range []string{"13900002222", "13900003333"} {
		var inv struct{ Code, Status string }
		r := in.call(t, "POST", "/v1/employers/"+employer+"/invitations", owner, map[string]any{"role": "hr", "phone": phone}, "Idempotency-Key", newKey())
		r.json(t, &inv)
		if r.Status != 201 || len(inv.Code) != 10 || inv.Status != "pending" {
			t.Fatalf("invite: %d %s", r.Status, r.Body)
		}
		hr := in.signUp(t)
		if r := in.call(t, "POST", "/v1/invitations/"+inv.Code+"/accept", hr, nil); r.Status != 200 {
			t.Fatalf("accept: %d %s", r.Status, r.Body)
		}
		hrs = append(hrs, hr)
	}
	if r := in.call(t, "POST", "/v1/invitations/ABCDEFGHJK/accept", in.signUp(t), nil); r.Status != 404 {
		t.Fatalf("a made-up code: %d", r.Status)
	}
	var staff struct {
		Items []struct{ UserID, Role string }
	}
	in.call(t, "GET", "/v1/employers/"+employer+"/staff", owner, nil).json(t, &staff)
	if len(staff.Items) != 3 {
		t.Fatalf("staff: %+v", staff)
	}

	// Another employer's admin, HR and graduates see and change nothing here.
	var other struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "宁波海曙新材料有限公司", "creditCode": creditCodeB}, "Idempotency-Key", newKey()).json(t, &other)
	otherAdmin := in.staff(t, admin, "employer_admin", other.ID)
	grad := in.signUp(t)
	for name, token := range map[string]string{"another employer's admin": otherAdmin, "its HR": hrs[0], "a graduate": grad} {
		for _, e := range []struct{ method, path string }{
			{"GET", "/v1/employers/" + employer + "/invitations"},
			{"GET", "/v1/employers/" + employer + "/staff"},
			{"GET", "/v1/employers/" + employer + "/audit"},
			{"POST", "/v1/employers/" + employer + "/invitations"},
			{"DELETE", "/v1/employers/" + employer + "/hr/" + in.userID(t, hrs[1])},
		} {
			r := in.call(t, e.method, e.path, token, map[string]any{"role": "hr", "phone": "13900004444"}, "Idempotency-Key", newKey())
			if r.Status != 404 {
				t.Errorf("%s: %s %s: %d", name, e.method, e.path, r.Status)
			}
		}
	}
	for name, token := range map[string]string{"the employer's admin": owner, "a graduate": grad, "another employer's admin": otherAdmin} {
		if r := in.postFile(t, token, "/v1/hr/filings?format=xlsx", hiresSheet(t, 0, 1, nil)); r.Status != 403 {
			t.Errorf("%s filing hires: %d", name, r.Status)
		}
	}

	// One bad row refuses the whole file, named by row and column.
	badFile := hiresSheet(t, 0, 200, func(row int, cells []string) {
		if row == 57 {
			cells[1] = cells[1][:17] + map[bool]string{true: "1", false: "0"}[cells[1][17] == '0']
		}
	})
	r = in.postFile(t, hrs[0], "/v1/hr/filings?format=xlsx", badFile)
	if p := r.problem(t); r.Status != 422 || p.Code != "import_rejected" || len(p.Errors) != 1 || p.field("rows[57].nationalId") != "national_id_checksum" {
		t.Fatalf("a file with one bad row: %d %s", r.Status, r.Body)
	}
	var filings struct{ Items []struct{ ID string } }
	if in.call(t, "GET", "/v1/hr/filings", hrs[0], nil).json(t, &filings); len(filings.Items) != 0 {
		t.Fatalf("the refused file left filings: %+v", filings)
	}
	var filing struct {
		ID             string
		Hires, Matched int
	}
	r = in.postFile(t, hrs[1], "/v1/hr/filings?format=xlsx", hiresSheet(t, 0, 200, nil))
	r.json(t, &filing)
	if r.Status != 201 || filing.Hires != 200 {
		t.Fatalf("file 200 hires: %d %s", r.Status, r.Body)
	}

	// A filed graduate signs up and gives their ID number: their employment
	// is confirmed and a prefilled relocation claim waits.
	filed := in.signUp(t)
	phone := "fcm-filed-phone-" + newKey()
	in.call(t, "PUT", "/v1/me/devices/"+phone, filed, map[string]any{"platform": "android"})
	profile := map[string]any{"name": "新员工庚", "nationalId": testenv.NationalID(6), "hukouPlace": "江西省南昌市",
		"education":   []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
		"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": testBankAccount}}
	if r := in.call(t, "PUT", "/v1/me", filed, profile); r.Status != 200 {
		t.Fatalf("profile: %d %s", r.Status, r.Body)
	}
	var mine struct {
		Items []struct{ ID, Package, Status string }
	}
	eventually(t, 20*time.Second, "the prefilled draft", func() bool {
		in.call(t, "GET", "/v1/claims", filed, nil).json(t, &mine)
		return len(mine.Items) == 1
	})
	if mine.Items[0].Package != "relocation" || mine.Items[0].Status != "draft" {
		t.Fatalf("the draft: %+v", mine)
	}
	// The draft is made first, the employment in the next transaction.
	var emp struct{ Status, EmployerID string }
	eventually(t, 20*time.Second, "the filed employment", func() bool {
		// 404 until that transaction commits.
		r := in.call(t, "GET", "/v1/me/employment", filed, nil)
		if r.Status != 200 {
			return false
		}
		r.json(t, &emp)
		return emp.Status == "confirmed"
	})
	if emp.EmployerID != employer {
		t.Fatalf("the filed employment: %+v", emp)
	}
	eventually(t, 20*time.Second, "the graduate is told", func() bool {
		for _, tpl := range in.inboxTemplates(t, filed) {
			if tpl == "employer.filed" {
				return true
			}
		}
		return false
	})
	claim := mine.Items[0].ID
	var ids []string
	for _, kind := range relocationDocuments {
		ids = append(ids, in.acceptedDocument(t, filed, kind))
	}
	if r := in.call(t, "POST", "/v1/claims/"+claim+"/documents", filed, map[string]any{"documentIds": ids}); r.Status != 200 {
		t.Fatalf("attach: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "POST", "/v1/claims/"+claim+"/submit", filed, nil, "Idempotency-Key", newKey()); r.Status != 202 {
		t.Fatalf("submit: %d %s", r.Status, r.Body)
	}
	if c := in.waitClaim(t, filed, claim, "under_review"); c.Decision == nil || c.Decision.Outcome != "eligible" {
		t.Fatalf("the filed graduate's claim: %+v", c)
	}
	var view struct {
		Hires, Matched int
		Items          []struct {
			Name, NationalID string
			Matched          bool
		}
	}
	in.call(t, "GET", "/v1/hr/filings/"+filing.ID, hrs[0], nil).json(t, &view)
	if view.Hires != 200 || view.Matched != 1 || len(view.Items) != 200 {
		t.Fatalf("the filing: %d hires, %d matched", view.Hires, view.Matched)
	}
	for _, h := range view.Items {
		if strings.Contains(h.NationalID, "19980101") {
			t.Fatalf("an unmasked ID number: %+v", h)
		}
	}
	if r := in.call(t, "GET", "/v1/hr/filings/"+filing.ID, in.staff(t, admin, "hr", other.ID), nil); r.Status != 404 {
		t.Fatalf("another employer's HR reading the filing: %d", r.Status)
	}

	// The admin removes an HR user, who can no longer act as HR.
	if r := in.call(t, "DELETE", "/v1/employers/"+employer+"/hr/"+in.userID(t, hrs[1]), owner, nil); r.Status != 204 {
		t.Fatalf("remove HR: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "GET", "/v1/hr/employments", hrs[1], nil); r.Status != 403 {
		t.Fatalf("a removed HR user: %d", r.Status)
	}
	var audit struct{ Items []struct{ Event string } }
	in.call(t, "GET", "/v1/employers/"+employer+"/audit", owner, nil).json(t, &audit)
	var events []string
	for _, e := range audit.Items {
		events = append(events, e.Event)
	}
	if got := strings.Join(events, " "); !strings.HasPrefix(got, "registration.approved invitation.created invitation.accepted") ||
		!strings.Contains(got, "filing.created hire.matched") || !strings.HasSuffix(got, "hr.removed") {
		t.Fatalf("audit: %s", got)
	}
}

// TestNamedEmployer: a graduate whose employer is not registered names it;
// the claim waits for the employer rather than being refused; the city's
// admins are alerted and read the code for the employer's contact, who
// takes up the account and confirms the graduate.
func TestNamedEmployer(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	grad := in.signUp(t)
	profile := map[string]any{"name": "李明", "nationalId": testNationalID, "hukouPlace": "江西省南昌市",
		"education": []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
		"employer":  map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}}
	r := in.call(t, "PUT", "/v1/me", grad, profile)
	if p := r.problem(t); r.Status != 422 || p.field("employer.creditCode") != "employer_not_registered" {
		t.Fatalf("declaring an unknown employer: %d %s", r.Status, r.Body)
	}
	delete(profile, "employer")
	in.call(t, "PUT", "/v1/me", grad, profile)
	var n struct {
		ID, Contact string
		Employer    struct{ ID, Status string }
		Code        *string
	}
	r = in.call(t, "POST", "/v1/employers/nominations", grad, map[string]any{"creditCode": creditCodeA, "name": "慈溪智造科技有限公司",
		"since": "2025-07-15", "contactName": "周敏", "contactEmail": "hr@cixi-zhizao.example"}, "Idempotency-Key", newKey())
	r.json(t, &n)
	if r.Status != 201 || n.Employer.Status != "unregistered" || n.Code != nil || n.Contact != "h*@cixi-zhizao.example" {
		t.Fatalf("nominate: %d %s", r.Status, r.Body)
	}
	var emp struct{ Status, EmployerID string }
	in.call(t, "GET", "/v1/me/employment", grad, nil).json(t, &emp)
	if emp.Status != "pending" || emp.EmployerID != n.Employer.ID {
		t.Fatalf("the named employment: %+v", emp)
	}
	eventually(t, 20*time.Second, "the city's admins are alerted", func() bool {
		for _, tpl := range in.inboxTemplates(t, admin) {
			if tpl == "employer.named" {
				return true
			}
		}
		return false
	})
	var list struct {
		Items []struct {
			Code   string
			UserID string
		}
	}
	if r := in.call(t, "GET", "/v1/admin/employers/nominations", grad, nil); r.Status != 403 {
		t.Fatalf("a graduate listing nominations: %d", r.Status)
	}
	in.call(t, "GET", "/v1/admin/employers/nominations", admin, nil).json(t, &list)
	if len(list.Items) != 1 || len(list.Items[0].Code) != 10 || list.Items[0].UserID != in.userID(t, grad) {
		t.Fatalf("nominations: %+v", list)
	}
	// The contact takes up the account, invites HR, and HR confirms.
	contact := in.signUp(t)
	if r := in.call(t, "POST", "/v1/invitations/"+list.Items[0].Code+"/accept", contact, nil); r.Status != 200 {
		t.Fatalf("the contact accepting: %d %s", r.Status, r.Body)
	}
	var inv struct{ Code string }
	in.call(t, "POST", "/v1/employers/"+n.Employer.ID+"/invitations", contact, map[string]any{"role": "hr", "email": "hr2@cixi-zhizao.example"},
		"Idempotency-Key", newKey()).json(t, &inv)
	hr := in.signUp(t)
	in.call(t, "POST", "/v1/invitations/"+inv.Code+"/accept", hr, nil)
	var pending struct{ Items []struct{ ID string } }
	in.call(t, "GET", "/v1/hr/employments", hr, nil).json(t, &pending)
	if len(pending.Items) != 1 {
		t.Fatalf("HR's list: %+v", pending)
	}
	if r := in.call(t, "POST", "/v1/hr/employments/"+pending.Items[0].ID+"/confirm", hr,
		map[string]any{"contractStart": "2025-07-15", "contractEnd": "2028-07-14", "socialInsuranceStart": "2025-08-01"}); r.Status != 200 {
		t.Fatalf("confirm: %d %s", r.Status, r.Body)
	}
	var employers struct{ Items []struct{ Status string } }
	in.call(t, "GET", "/v1/employers?q="+creditCodeA, grad, nil).json(t, &employers)
	if len(employers.Items) != 1 || employers.Items[0].Status != "registered" {
		t.Fatalf("the employer after its contact took it up: %+v", employers)
	}
}
