package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/chromedp/chromedp"

	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/testenv"
)

// Journeys through the console screens the other browser tests leave out:
// properties, hire filings, bank return files, returning and rejecting a
// claim, approving an employer's registration and an employer admin's
// people. Each ends by asking the
// API whether the work was done.

type propertyBody struct{ ID, Name, District, Address string }

func (in *instance) properties(t *testing.T, token string) []propertyBody {
	t.Helper()
	var page struct{ Items []propertyBody }
	in.call(t, "GET", "/v1/housing/properties", token, nil).json(t, &page)
	return page.Items
}

// TestConsoleJourneyProperties: a housing officer adds a property (a blank
// district is refused with the message beside the district, and nothing is
// added), then edits its address; the API has the property as edited.
func TestConsoleJourneyProperties(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	email, token := in.staffAccount(t, admin, "housing", "")

	b := in.browser(t, "housing")
	b.signIn("/housing/properties", email)
	b.run("opening the properties", chromedp.WaitVisible(chromedp.CSS(`[data-test=properties]`)))
	b.press("adding a property", `[data-test=property-new]`)
	b.run("filling the new property",
		chromedp.WaitVisible(chromedp.CSS(`input[data-test=property-name]`)),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=property-name]`), "慈溪人才公寓二期"),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=property-district]`), "   "),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=property-address]`), "新城大道 2 号"),
	)
	b.press("saving", `[data-test=property-save]`)
	b.confirm() // a property cannot be removed once added
	b.run("the district refused beside it", chromedp.WaitVisible(chromedp.CSS(`.el-form-item.is-error input[data-test=property-district]`)))
	if msg := b.text(`.el-dialog .el-form-item__error`); strings.TrimSpace(msg) == "" {
		t.Error("the refused district has no message beside it")
	}
	if got := in.properties(t, token); len(got) != 0 {
		t.Fatalf("a refused property was added: %+v", got)
	}
	b.run("typing the district", clear(`input[data-test=property-district]`), chromedp.SendKeys(chromedp.CSS(`input[data-test=property-district]`), "慈溪市"))
	b.press("saving again", `[data-test=property-save]`)
	b.confirm()
	b.waitGone(`[data-test=property-save]`)
	b.waitText(`[data-test=properties]`, "慈溪人才公寓二期")
	got := in.properties(t, token)
	if len(got) != 1 || got[0].Name != "慈溪人才公寓二期" || got[0].District != "慈溪市" || got[0].Address != "新城大道 2 号" {
		t.Fatalf("after adding in the console the API has %+v", got)
	}
	b.screenshot("properties")

	id := got[0].ID
	b.press("editing it", `[data-test=property-edit-`+id+`]`)
	b.run("changing the address",
		chromedp.WaitVisible(chromedp.CSS(`input[data-test=property-address]`)),
		clear(`input[data-test=property-address]`),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=property-address]`), "新城大道 8 号"),
	)
	b.press("saving the edit", `[data-test=property-save]`)
	b.waitGone(`[data-test=property-save]`)
	b.waitText(`[data-test=properties]`, "新城大道 8 号")
	got = in.properties(t, token)
	if len(got) != 1 || got[0].ID != id || got[0].Address != "新城大道 8 号" || got[0].Name != "慈溪人才公寓二期" {
		t.Fatalf("after editing in the console the API has %+v", got)
	}
	b.noCSPViolations()
}

// TestConsoleJourneyFilings: HR uploads a hire filing with one bad ID
// number; the report names its row and column and nothing is filed. The
// corrected file is accepted and the API lists the filing.
func TestConsoleJourneyFilings(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	email, token := in.staffAccount(t, admin, "hr", emp.ID)
	dir := t.TempDir()
	bad, good := filepath.Join(dir, "bad.xlsx"), filepath.Join(dir, "good.xlsx")
	badSheet := hiresSheet(t, 0, 3, func(row int, cells []string) {
		if row == 3 {
			last := map[bool]string{true: "1", false: "0"}[cells[1][17] == '0']
			cells[1] = cells[1][:17] + last
		}
	})
	if err := os.WriteFile(bad, badSheet, 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(good, hiresSheet(t, 0, 3, nil), 0o644); err != nil {
		t.Fatal(err)
	}

	b := in.browser(t, "hr")
	b.signIn("/hr/filings", email)
	b.run("uploading the file with a bad row",
		chromedp.WaitVisible(chromedp.CSS(`[data-test=filings]`)),
		chromedp.SetUploadFiles(chromedp.CSS(`[data-test=filing-file]`), []string{bad}),
	)
	b.press("uploading", `[data-test=filing-upload]`)
	b.waitText(`[data-test=row-report]`, "nationalId")
	if report := b.text(`[data-test=row-report] tbody`); !strings.HasPrefix(strings.TrimSpace(report), "3") {
		t.Errorf("the row report does not name row 3: %q", report)
	}
	b.screenshot("refused")
	var filings struct {
		Items []struct {
			ID    string
			Hires int
		}
	}
	if in.call(t, "GET", "/v1/hr/filings", token, nil).json(t, &filings); len(filings.Items) != 0 {
		t.Fatalf("the refused file left filings: %+v", filings)
	}
	b.run("uploading the corrected file", chromedp.SetUploadFiles(chromedp.CSS(`[data-test=filing-file]`), []string{good}))
	b.press("uploading", `[data-test=filing-upload]`)
	b.waitGone(`[data-test=row-report]`)
	b.run("the filing listed", chromedp.WaitVisible(chromedp.CSS(`[data-test=filings] tbody tr`)))
	if in.call(t, "GET", "/v1/hr/filings", token, nil).json(t, &filings); len(filings.Items) != 1 || filings.Items[0].Hires != 3 {
		t.Fatalf("after the corrected file the API lists %+v", filings)
	}
	b.noCSPViolations()
}

// TestConsoleJourneyReturnFile: an approved, exported batch of two
// payments; finance uploads the bank's return file in the console (one
// paid, one failed with the bank's reason), and the API has the payments
// so and the batch settled.
func TestConsoleJourneyReturnFile(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	email, maker := in.staffAccount(t, admin, "finance", "")
	checker := in.staff(t, admin, "finance", "")
	grad, _ := in.graduate(t, map[string]any{"name": "李明", "bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": testBankAccount}})
	in.paying(t, in.userID(t, grad), allowance.ClaimActive, allowance.PaymentDue, nil, 1500000, 1500000)
	var batch struct{ ID string }
	if r := in.call(t, "POST", "/v1/finance/batches", maker, nil, "Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("batch: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &batch)
	}
	path := "/v1/finance/batches/" + batch.ID
	if r := in.call(t, "POST", path+"/approve", checker, nil); r.Status != 200 {
		t.Fatalf("approve: %d %s", r.Status, r.Body)
	}
	if r := in.call(t, "GET", path+"/export?format=csv", checker, nil); r.Status != 200 {
		t.Fatalf("export: %d %s", r.Status, r.Body)
	}
	var detail batchDetail
	in.call(t, "GET", path, maker, nil).json(t, &detail)
	if len(detail.Lines) != 2 {
		t.Fatalf("the batch: %+v", detail)
	}
	file := filepath.Join(t.TempDir(), "returns.csv")
	csv := "付款编号,结果,失败原因,银行流水号\n" + detail.Lines[0].Payment.ID + ",成功,,SN0001\n" + detail.Lines[1].Payment.ID + ",失败,户名不符,\n"
	if err := os.WriteFile(file, []byte(csv), 0o644); err != nil {
		t.Fatal(err)
	}

	b := in.browser(t, "finance")
	b.signIn(path[3:], email)
	b.waitStatus(`[data-test=batch-status]`, "approved")
	b.run("choosing the return file", chromedp.SetUploadFiles(chromedp.CSS(`[data-test=returns-file]`), []string{file}))
	b.press("uploading it", `[data-test=returns-upload]`)
	b.waitStatus(`[data-test=batch-status]`, "settled")
	b.waitStatus(`[data-test=lines] tbody tr:nth-child(2)`, "failed")
	b.screenshot("settled")
	var after batchDetail
	in.call(t, "GET", path, maker, nil).json(t, &after)
	if after.Batch.Status != "settled" || after.Batch.Paid != 1 || after.Batch.Failed != 1 {
		t.Fatalf("after the return file in the console: %+v", after.Batch)
	}
	if l := after.Lines[0]; l.Result != "paid" || l.Payment.Status != "paid" {
		t.Errorf("the paid line: %+v", l)
	}
	if l := after.Lines[1]; l.Result != "failed" || l.Reason != "户名不符" || l.Payment.Status != "failed" {
		t.Errorf("the failed line: %+v", l)
	}
	b.noCSPViolations()
}

// TestConsoleJourneyReturnAndReject: a reviewer returns one claim for
// supplement (退回补正) naming the diploma, and rejects another with a
// reason; the API has one returned with the item asked for and the other
// rejected with the reason.
func TestConsoleJourneyReturnAndReject(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hr := in.staff(t, admin, "hr", emp.ID)
	email, reviewer := in.staffAccount(t, admin, "reviewer", "")
	var claims []string
	for _, g := range []struct{ name, id string }{{"李明", testNationalID}, {"王芳", testenv.NationalID(7)}} {
		a := in.employedApplicant(t, hr, g.name, g.id)
		claims = append(claims, in.claimUnderReview(t, a, false))
	}

	b := in.browser(t, "reviewer")
	b.signIn("/claims/"+claims[0], email)
	b.waitStatus(`[data-test=claim-status]`, "under_review")
	b.press("returning for supplement", `[data-test=return]`)
	b.run("naming the item",
		chromedp.WaitVisible(chromedp.CSS(`input[data-test=return-item]`)),
		chromedp.SendKeys(chromedp.CSS(`input[data-test=return-item]`), "documents.diploma"),
		chromedp.SendKeys(chromedp.CSS(`textarea[data-test=return-reason]`), "毕业证书扫描件不清晰，请重新上传"),
	)
	b.press("sending it back", `[data-test=return-confirm]`)
	b.waitStatus(`[data-test=claim-status]`, "returned")
	var returned struct {
		Status      string
		ReturnItems []struct {
			Target string
			Text   struct{ Zh string }
		}
	}
	in.call(t, "GET", "/v1/review/claims/"+claims[0], reviewer, nil).json(t, &returned)
	if returned.Status != "returned" || len(returned.ReturnItems) != 1 || returned.ReturnItems[0].Target != "documents.diploma" ||
		returned.ReturnItems[0].Text.Zh != "毕业证书扫描件不清晰，请重新上传" {
		t.Fatalf("after returning in the console the API has %+v", returned)
	}

	b.run("opening the second claim", chromedp.Navigate(in.URL+"/console/claims/"+claims[1]))
	b.waitStatus(`[data-test=claim-status]`, "under_review")
	b.press("rejecting", `[data-test=reject]`)
	b.fillDialog(`textarea[data-test=reject-reason]`, "劳动合同与社保记录的单位不一致", `[data-test=reject-confirm]`)
	b.waitStatus(`[data-test=claim-status]`, "rejected")
	b.screenshot("rejected")
	var rejected struct{ Status, RejectCode, RejectReason string }
	in.call(t, "GET", "/v1/review/claims/"+claims[1], reviewer, nil).json(t, &rejected)
	if rejected.Status != "rejected" || rejected.RejectReason != "劳动合同与社保记录的单位不一致" || rejected.RejectCode == "" {
		t.Fatalf("after rejecting in the console the API has %+v", rejected)
	}
	b.noCSPViolations()
}

// TestConsoleJourneyEmployerRegistration: an employer registers through
// the API; an admin approves the registration in the console after
// confirming; the API has it approved with its employer.
func TestConsoleJourneyEmployerRegistration(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	email, _ := in.staffAccount(t, admin, "admin", "")
	var reg struct{ ID, Status, EmployerID string }
	r := in.call(t, "POST", "/v1/employers/registrations", in.signUp(t), map[string]any{"creditCode": creditCodeB, "name": "宁波海曙新材料有限公司",
		"address": "宁波市海曙区中山西路 1 号", "contactName": "周敏", "contactPhone": "13900001111"}, "Idempotency-Key", newKey())
	if r.json(t, &reg); r.Status != 201 || reg.Status != "pending" {
		t.Fatalf("register: %d %s", r.Status, r.Body)
	}

	b := in.browser(t, "admin")
	b.signIn("/admin/employers", email)
	b.waitText(`[data-test=registrations]`, "宁波海曙新材料有限公司")
	b.screenshot("registrations")
	b.press("approving", `[data-test=approve-`+reg.ID+`]`)
	b.confirm()
	b.waitGone(`[data-test=approve-` + reg.ID + `]`)
	var page struct {
		Items []struct{ ID, Status, EmployerID string }
	}
	waitFor(t, "the registration approved", func() (bool, string) {
		r := in.call(t, "GET", "/v1/employers/registrations?status=approved", admin, nil)
		r.json(t, &page)
		return slices.ContainsFunc(page.Items, func(x struct{ ID, Status, EmployerID string }) bool {
			return x.ID == reg.ID && x.Status == "approved" && x.EmployerID != ""
		}), string(r.Body)
	})
	b.noCSPViolations()
}

// TestConsoleJourneyEmployerStaff: an employer admin lands on their
// people, invites an HR officer by phone and passes on the code the screen
// shows; once accepted the officer is listed, and removed again; a second
// invitation is revoked. The API agrees at each step.
func TestConsoleJourneyEmployerStaff(t *testing.T) {
	t.Parallel()
	in, admin := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", admin, map[string]any{"name": "慈溪智造科技有限公司", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	email, boss := in.staffAccount(t, admin, "employer_admin", emp.ID)

	b := in.browser(t, "employer-admin")
	b.signIn("/", email)
	b.waitText(`[data-test=staff]`, in.userID(t, boss))
	b.screenshot("staff")
	b.press("inviting", `[data-test=invite]`)
	b.fillDialog(`#invite-contact`, "13900002222", `[data-test=invite-send]`)
	b.waitText(`[data-test=invitations]`, "2222")
	code := b.text(`[data-test=invitation-code]`)
	if code == "" {
		t.Fatal("the screen shows no code to pass on")
	}

	_, officer, err := in.Emu.SignUp(context.Background(), "hr-"+newKey()[:8]+"@test.anju.local", staffPassword)
	if err != nil {
		t.Fatal(err)
	}
	if r := in.call(t, "POST", "/v1/invitations/"+code+"/accept", officer, nil); r.Status != 200 {
		t.Fatalf("accepting the code the console showed: %d %s", r.Status, r.Body)
	}
	officerID := in.userID(t, officer)
	b.run("reloading", chromedp.Navigate(in.URL+"/console/employer/staff"))
	b.waitText(`[data-test=staff]`, officerID)
	b.waitStatus(`[data-test=invitations]`, "accepted")
	b.press("removing the officer", `[data-test=remove-`+officerID+`]`)
	b.confirm()
	b.waitGone(`[data-test=remove-` + officerID + `]`)
	var staff struct{ Items []struct{ UserID string } }
	in.call(t, "GET", "/v1/employers/"+emp.ID+"/staff", boss, nil).json(t, &staff)
	for _, m := range staff.Items {
		if m.UserID == officerID {
			t.Fatalf("the removed officer is still staff: %+v", staff)
		}
	}

	var second struct{ ID string }
	in.call(t, "POST", "/v1/employers/"+emp.ID+"/invitations", boss, map[string]any{"role": "hr", "email": "hr2@test.anju.local"}, "Idempotency-Key", newKey()).json(t, &second)
	b.run("reloading", chromedp.Navigate(in.URL+"/console/employer/staff"))
	b.press("revoking", `[data-test=revoke-`+second.ID+`]`)
	b.confirm()
	b.waitGone(`[data-test=revoke-` + second.ID + `]`)
	var invitations struct{ Items []struct{ ID, Status string } }
	in.call(t, "GET", "/v1/employers/"+emp.ID+"/invitations", boss, nil).json(t, &invitations)
	if !slices.ContainsFunc(invitations.Items, func(x struct{ ID, Status string }) bool { return x.ID == second.ID && x.Status == "revoked" }) {
		t.Fatalf("after revoking in the console: %+v", invitations)
	}
	b.noCSPViolations()
}
