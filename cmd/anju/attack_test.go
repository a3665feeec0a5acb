package main

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/getkin/kin-openapi/openapi3"

	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/anju-city/anju/openapi"
)

// The attack suite: every operation of the contract, tried by every kind
// of caller on objects that belong to someone else, through the binary.
//
// An entry names who may call the operation on the world's objects; every
// other signed-in caller must get 403 or 404 (never a 2xx, never a 4xx that
// would mean the request got past authorization), and a caller without a
// token 401. Callers who may call it must get past authorization: anything
// but 401, 403, 404 (unless the entry says the object may be missing for
// them) or a 5xx. An operation of the contract without an entry fails the
// suite, so a new endpoint cannot ship without its authorization decided.

// The callers. owner holds every graduate object in the world; other is a
// second graduate; hr and employerAdmin are employer A's (the owner's),
// hrB is HR of employer B.
const (
	anon          = "anonymous"
	owner         = "owner"
	other         = "other"
	hr            = "hr"
	hrB           = "hrB"
	employerAdmin = "employerAdmin"
	reviewer      = "reviewer"
	housingStaff  = "housing"
	financeStaff  = "finance"
	cityAdmin     = "admin"
)

var signedIn = []string{owner, other, hr, hrB, employerAdmin, reviewer, housingStaff, financeStaff, cityAdmin}

// attack is one operation as the suite calls it.
type attack struct {
	method, path string
	body         any    // JSON, or nil
	file         []byte // sent as the raw body instead of JSON
	allow        []string
	// missing: the object may not exist for a caller who is allowed (the
	// entry uses an id nobody holds, or the caller's own view of something
	// it does not have); such callers may get 404.
	missing bool
}

// world is everything the attacks act on.
type world struct {
	in                                                                      *instance
	tokens                                                                  map[string]string
	empA, ownerID, victimID, hr2ID                                          string
	document, pendingDocument, claim, notification, employment, ownerJob    string
	registration, invitation, filing, batch, payment, round, unit, property string
	application, offer, lease, tierCertification, paidClaim                 string
}

func buildWorld(t *testing.T) *world {
	t.Helper()
	in, adminToken := withAdmin(t)
	w := &world{in: in, tokens: map[string]string{cityAdmin: adminToken}}
	var empA, empB struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", adminToken, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &empA)
	in.call(t, "POST", "/v1/admin/employers", adminToken, map[string]any{"name": "海曙新材料", "creditCode": creditCodeB}, "Idempotency-Key", newKey()).json(t, &empB)
	w.empA = empA.ID
	w.tokens[hr] = in.staff(t, adminToken, "hr", empA.ID)
	w.tokens[hrB] = in.staff(t, adminToken, "hr", empB.ID)
	w.tokens[employerAdmin] = in.staff(t, adminToken, "employer_admin", empA.ID)
	w.hr2ID = in.userID(t, in.staff(t, adminToken, "hr", empA.ID))
	w.tokens[reviewer] = in.staff(t, adminToken, "reviewer", "")
	reviewer2 := in.staff(t, adminToken, "reviewer", "")
	w.tokens[housingStaff] = in.staff(t, adminToken, "housing", "")
	housing2 := in.staff(t, adminToken, "housing", "")
	w.tokens[financeStaff] = in.staff(t, adminToken, "finance", "")
	finance2 := in.staff(t, adminToken, "finance", "")

	profile := func(name, id string) map[string]any {
		return map[string]any{"name": name, "nationalId": id, "phone": "13800138000", "hukouPlace": "江西省南昌市",
			"education":   []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
			"employer":    map[string]any{"name": "慈溪智造", "creditCode": creditCodeA},
			"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": "6217000010012345678"}}
	}
	// The owner: employed at A (confirmed), a claim under review with its
	// documents, an apartment offer accepted into a lease.
	ownerApplicant := applicant{token: in.signUp(t), name: "李明", nationalID: testNationalID}
	if r := in.call(t, "PUT", "/v1/me", ownerApplicant.token, profile("李明", testNationalID)); r.Status != 200 {
		t.Fatalf("owner profile: %d %s", r.Status, r.Body)
	}
	w.tokens[owner] = ownerApplicant.token
	w.ownerID = in.userID(t, ownerApplicant.token)
	var job struct{ ID string }
	in.call(t, "GET", "/v1/me/employment", ownerApplicant.token, nil).json(t, &job)
	w.ownerJob = job.ID
	confirm := map[string]any{"contractStart": "2025-07-15", "contractEnd": "2028-07-14", "socialInsuranceStart": "2025-08-01"}
	if r := in.call(t, "POST", "/v1/hr/employments/"+job.ID+"/confirm", w.tokens[hr], confirm); r.Status != 200 {
		t.Fatalf("confirm the owner: %d %s", r.Status, r.Body)
	}
	w.claim = in.claimUnderReview(t, ownerApplicant, false)
	var docs struct{ Items []struct{ ID string } }
	in.call(t, "GET", "/v1/documents", ownerApplicant.token, nil).json(t, &docs)
	w.document = docs.Items[0].ID
	pending := in.createDocument(t, ownerApplicant.token, "diploma", "application/pdf", []byte(minimalPDF))
	w.pendingDocument = pending.Document.ID
	var inbox struct{ Items []struct{ ID string } }
	in.call(t, "GET", "/v1/me/notifications", ownerApplicant.token, nil).json(t, &inbox)
	if len(inbox.Items) == 0 {
		t.Fatal("the owner has no notification")
	}
	w.notification = inbox.Items[0].ID

	// other: a graduate of A whose employment waits for HR.
	w.tokens[other] = in.signUp(t)
	if r := in.call(t, "PUT", "/v1/me", w.tokens[other], profile("王芳", "330282199903050029")); r.Status != 200 {
		t.Fatalf("other profile: %d %s", r.Status, r.Body)
	}
	in.call(t, "GET", "/v1/me/employment", w.tokens[other], nil).json(t, &job)
	w.employment = job.ID

	// victim: a user the admin's operations change (roles, identity) so
	// that the callers above keep theirs.
	victim := in.signUp(t)
	in.call(t, "PUT", "/v1/me", victim, map[string]any{"name": "赵强", "nationalId": "330203200002290017"})
	w.victimID = in.userID(t, victim)
	tier := map[string]any{"tier": "C", "evidence": "市级人才认定书 2026-001"}
	var cert struct{ ID string }
	if r := in.call(t, "PUT", "/v1/admin/users/"+w.victimID+"/talent-tier", reviewer2, tier); r.Status != 202 {
		t.Fatalf("tier proposal: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &cert)
	}
	w.tierCertification = cert.ID

	// An employer's registration, an invitation and a filing.
	var reg struct{ ID string }
	if r := in.call(t, "POST", "/v1/employers/registrations", victim, map[string]any{"creditCode": "91330200MA2GXK7E1A", "name": "北仑港务",
		"address": "北仑区", "contactName": "周敏", "contactPhone": "13900001111"}, "Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("registration: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &reg)
	}
	w.registration = reg.ID
	var inv struct{ ID string }
	in.call(t, "POST", "/v1/employers/"+empA.ID+"/invitations", w.tokens[employerAdmin], map[string]any{"role": "hr", "phone": "13900002222"},
		"Idempotency-Key", newKey()).json(t, &inv)
	w.invitation = inv.ID
	var filing struct{ ID string }
	if r := in.postFile(t, w.tokens[hr], "/v1/hr/filings?format=xlsx", hiresSheet(t, 900, 1, nil)); r.Status != 201 {
		t.Fatalf("filing: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &filing)
	}
	w.filing = filing.ID

	// Money: a payee's approved claim with a payment due, in a batch the
	// second finance user made (so finance may approve it).
	payee, _ := in.graduate(t, profile("孙丽", "330203199001011236"))
	w.paidClaim = in.paying(t, in.userID(t, payee), allowance.ClaimActive, allowance.PaymentDue, nil, 100000).ID
	var made struct{ ID string }
	if r := in.call(t, "POST", "/v1/finance/batches", finance2, nil, "Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("batch: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &made)
	}
	var batch batchDetail
	in.call(t, "GET", "/v1/finance/batches/"+made.ID, finance2, nil).json(t, &batch)
	if len(batch.Lines) == 0 {
		t.Fatal("the batch has no lines")
	}
	w.batch = made.ID
	w.payment = batch.Lines[0].Payment.ID

	// Housing: a property with a unit, a round drawn for the owner, whose
	// offer is accepted into a lease.
	var prop, unit, round struct{ ID string }
	in.call(t, "POST", "/v1/housing/properties", housing2, map[string]any{"name": "人才公寓一期", "district": "慈溪市", "address": "新城大道 1 号"},
		"Idempotency-Key", newKey()).json(t, &prop)
	in.call(t, "POST", "/v1/housing/properties/"+prop.ID+"/units", housing2,
		map[string]any{"number": "101", "layout": "studio", "area": "40", "floor": 1, "marketRent": 200000}, "Idempotency-Key", newKey()).json(t, &unit)
	w.property, w.unit = prop.ID, unit.ID
	now := time.Now().UTC()
	in.call(t, "POST", "/v1/housing/rounds", housing2, map[string]any{"name": "2026 年第一批", "opensAt": now.Add(-time.Minute),
		"closesAt": now.Add(time.Hour), "unitIds": []string{unit.ID}}, "Idempotency-Key", newKey()).json(t, &round)
	w.round = round.ID
	var app struct{ ID string }
	if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/applications", ownerApplicant.token,
		map[string]any{"preferences": []map[string]any{{"layout": "studio"}}, "householdSize": 1, "ownsHomeInCity": false, "publicRentalHousing": false},
		"Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("apply: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &app)
	}
	w.application = app.ID
	for _, step := range []string{"close", "draw"} {
		if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/"+step, housing2, nil); r.Status != 200 {
			t.Fatalf("%s: %d %s", step, r.Status, r.Body)
		}
	}
	var mine struct {
		Offers []struct{ Offer struct{ ID string } }
		Leases []struct{ Lease struct{ ID string } }
	}
	eventually(t, 20*time.Second, "the owner's offer", func() bool {
		in.call(t, "GET", "/v1/me/housing", ownerApplicant.token, nil).json(t, &mine)
		return len(mine.Offers) > 0
	})
	w.offer = mine.Offers[0].Offer.ID
	if r := in.call(t, "POST", "/v1/housing/offers/"+w.offer+"/accept", ownerApplicant.token, nil); r.Status != 200 {
		t.Fatalf("accept: %d %s", r.Status, r.Body)
	}
	in.call(t, "GET", "/v1/me/housing", ownerApplicant.token, nil).json(t, &mine)
	if len(mine.Leases) == 0 {
		t.Fatal("no lease after the accepted offer")
	}
	w.lease = mine.Leases[0].Lease.ID
	return w
}

// nobody is an id that no object has.
const nobody = "0193a4f0-0000-7000-8000-00000000dead"

func (w *world) attacks(t *testing.T) map[string]attack {
	all := signedIn
	only := func(who ...string) []string { return who }
	document := map[string]any{"kind": "diploma", "contentType": "application/pdf", "size": 1000, "sha256": strings.Repeat("a", 64)}
	unitBody := map[string]any{"number": "102", "layout": "studio", "area": "40", "floor": 1, "marketRent": 200000}
	units := "number,layout,area,floor,market_rent\n201,studio,40,2,200000\n"
	return map[string]attack{
		// Public, with no sign-in.
		"getHealthz":          {method: "GET", path: "/healthz", allow: append([]string{anon}, all...)},
		"getReadyz":           {method: "GET", path: "/readyz", allow: append([]string{anon}, all...)},
		"listPublicity":       {method: "GET", path: "/v1/public/publicity", allow: append([]string{anon}, all...)},
		"publicDeliveryStats": {method: "GET", path: "/v1/public/stats/delivery", allow: append([]string{anon}, all...)},
		"publicRoundNotice":   {method: "GET", path: "/v1/public/rounds/" + w.round + "/notice", allow: append([]string{anon}, all...)},
		"getPublicConfig":     {method: "GET", path: "/v1/public/config", allow: append([]string{anon}, all...)},
		"publicDrawRecord":    {method: "GET", path: "/v1/public/rounds/" + w.round + "/draw", allow: append([]string{anon}, all...)},

		// Everyone's own things.
		"getMe":               {method: "GET", path: "/v1/me", allow: all},
		"putMe":               {method: "PUT", path: "/v1/me", body: map[string]any{"name": "张三"}, allow: all},
		"putDevice":           {method: "PUT", path: "/v1/me/devices/fcm-attack-" + newKey(), body: map[string]any{"platform": "android"}, allow: all},
		"deleteDevice":        {method: "DELETE", path: "/v1/me/devices/fcm-attack-none", allow: all, missing: true},
		"listNotifications":   {method: "GET", path: "/v1/me/notifications", allow: all},
		"readNotification":    {method: "POST", path: "/v1/me/notifications/" + w.notification + "/read", allow: only(owner)},
		"listDocuments":       {method: "GET", path: "/v1/documents", allow: all},
		"createDocument":      {method: "POST", path: "/v1/documents", body: document, allow: all},
		"getDocument":         {method: "GET", path: "/v1/documents/" + w.document, allow: only(owner, reviewer)},
		"completeDocument":    {method: "POST", path: "/v1/documents/" + w.pendingDocument + "/complete", allow: only(owner)},
		"getMyEmployment":     {method: "GET", path: "/v1/me/employment", allow: all, missing: true},
		"getMyHousing":        {method: "GET", path: "/v1/me/housing", allow: all},
		"listPolicies":        {method: "GET", path: "/v1/policies", allow: all},
		"listEmployers":       {method: "GET", path: "/v1/employers", allow: all},
		"precheckEligibility": {method: "POST", path: "/v1/eligibility/precheck", allow: all},
		"registerEmployer": {method: "POST", path: "/v1/employers/registrations", allow: all,
			body: map[string]any{"creditCode": creditCodeA, "name": "慈溪智造", "address": "慈溪", "contactName": "周敏", "contactPhone": "13900001111"}},
		"listEmployerRegistrations": {method: "GET", path: "/v1/employers/registrations", allow: all},
		"nominateEmployer": {method: "POST", path: "/v1/employers/nominations", allow: all,
			body: map[string]any{"creditCode": "91330206MA2BL0RG3K", "name": "北仑港务", "contactName": "周敏", "contactPhone": "13900003333"}},
		"acceptInvitation": {method: "POST", path: "/v1/invitations/ZZZZZZZZZZ/accept", allow: all, missing: true},
		"objectToEntry":    {method: "POST", path: "/v1/publicity/" + nobody + "/objections", body: map[string]any{"reasons": "x"}, allow: all, missing: true},

		// A graduate's claim.
		"listClaims":  {method: "GET", path: "/v1/claims", allow: all},
		"createClaim": {method: "POST", path: "/v1/claims", body: map[string]any{"package": "living", "declarations": map[string]any{}}, allow: all},
		// Finance sees a claim once it is theirs to pay; this one is in review.
		"getClaim":    {method: "GET", path: "/v1/claims/" + w.claim, allow: only(owner, reviewer)},
		"updateClaim": {method: "PUT", path: "/v1/claims/" + w.claim, body: map[string]any{"declarations": map[string]any{}}, allow: only(owner)},
		"attachClaimDocuments": {method: "POST", path: "/v1/claims/" + w.claim + "/documents",
			body: map[string]any{"documentIds": []string{w.document}}, allow: only(owner)},
		"detachClaimDocument": {method: "DELETE", path: "/v1/claims/" + w.claim + "/documents/" + w.document, allow: only(owner)},
		"submitClaim":         {method: "POST", path: "/v1/claims/" + w.claim + "/submit", allow: only(owner)},
		"withdrawClaim":       {method: "POST", path: "/v1/claims/" + w.claim + "/withdraw", allow: only(owner)},
		"appealClaim":         {method: "POST", path: "/v1/claims/" + w.claim + "/appeal", body: map[string]any{"reason": "x"}, allow: only(owner)},

		// The review office.
		"reviewQueue":    {method: "GET", path: "/v1/review/queue", allow: only(reviewer)},
		"getReviewClaim": {method: "GET", path: "/v1/review/claims/" + w.claim, allow: only(reviewer)},
		"assignClaim":    {method: "POST", path: "/v1/review/claims/" + w.claim + "/assign", body: map[string]any{}, allow: only(reviewer)},
		"returnClaim": {method: "POST", path: "/v1/review/claims/" + w.claim + "/return", allow: only(reviewer),
			body: map[string]any{"items": []map[string]any{{"target": "documents.diploma", "code": "missing"}}}},
		"approveClaim": {method: "POST", path: "/v1/review/claims/" + w.claim + "/approve", body: map[string]any{}, allow: only(reviewer)},
		"rejectClaim": {method: "POST", path: "/v1/review/claims/" + w.claim + "/reject", allow: only(reviewer),
			body: map[string]any{"code": "other", "reason": "x"}},
		"listClaimObjections":   {method: "GET", path: "/v1/review/objections", allow: only(reviewer)},
		"resolveClaimObjection": {method: "POST", path: "/v1/review/objections/" + nobody + "/resolve", body: map[string]any{"uphold": false, "resolution": "x"}, allow: only(reviewer), missing: true},
		"createClawback":        {method: "POST", path: "/v1/review/claims/" + w.paidClaim + "/clawbacks", body: map[string]any{"reason": "x"}, allow: only(reviewer)},
		"confirmClawback":       {method: "POST", path: "/v1/review/clawbacks/" + nobody + "/confirm", body: map[string]any{"reason": "x"}, allow: only(reviewer), missing: true},
		"cancelClawback":        {method: "POST", path: "/v1/review/clawbacks/" + nobody + "/cancel", body: map[string]any{"reason": "x"}, allow: only(reviewer), missing: true},
		"setTalentTier": {method: "PUT", path: "/v1/admin/users/" + w.ownerID + "/talent-tier", allow: only(reviewer),
			body: map[string]any{"tier": "B", "evidence": "省级人才认定书"}},
		"listTierCertifications":   {method: "GET", path: "/v1/admin/talent-tiers", allow: only(reviewer)},
		"approveTierCertification": {method: "POST", path: "/v1/admin/talent-tiers/" + w.tierCertification + "/approve", allow: only(reviewer)},
		"rejectTierCertification": {method: "POST", path: "/v1/admin/talent-tiers/" + w.tierCertification + "/reject", allow: only(reviewer),
			body: map[string]any{"reason": "x"}},
		"deliveryStats": {method: "GET", path: "/v1/stats/delivery?from=2026-01-01&to=2027-01-01", allow: only(reviewer, financeStaff, cityAdmin)},

		// Finance.
		"listBatches":        {method: "GET", path: "/v1/finance/batches", allow: only(financeStaff)},
		"createBatch":        {method: "POST", path: "/v1/finance/batches", allow: only(financeStaff)},
		"getBatch":           {method: "GET", path: "/v1/finance/batches/" + w.batch, allow: only(financeStaff)},
		"approveBatch":       {method: "POST", path: "/v1/finance/batches/" + w.batch + "/approve", allow: only(financeStaff)},
		"rejectBatch":        {method: "POST", path: "/v1/finance/batches/" + w.batch + "/reject", body: map[string]any{"reason": "x"}, allow: only(financeStaff)},
		"exportBatch":        {method: "GET", path: "/v1/finance/batches/" + w.batch + "/export?format=csv", allow: only(financeStaff)},
		"applyBankReturns":   {method: "POST", path: "/v1/finance/batches/" + w.batch + "/returns?format=csv", file: []byte("reference,result\n"), allow: only(financeStaff)},
		"markPaymentPaid":    {method: "POST", path: "/v1/finance/payments/" + w.payment + "/paid", allow: only(financeStaff)},
		"markPaymentFailed":  {method: "POST", path: "/v1/finance/payments/" + w.payment + "/failed", body: map[string]any{"reason": "x"}, allow: only(financeStaff)},
		"reconcile":          {method: "GET", path: "/v1/finance/reconciliation", allow: only(financeStaff)},
		"listClawbacks":      {method: "GET", path: "/v1/finance/clawbacks", allow: only(financeStaff, reviewer)},
		"markClawbackRepaid": {method: "POST", path: "/v1/finance/clawbacks/" + nobody + "/repaid", body: map[string]any{}, allow: only(financeStaff), missing: true},

		// Employers' offices.
		"listEmploymentRequests": {method: "GET", path: "/v1/hr/employments", allow: only(hr, hrB)},
		// Their own employer's people's claims; HR of B lists B's (none).
		"listEmployeeClaims": {method: "GET", path: "/v1/hr/claims", allow: only(hr, hrB, employerAdmin)},
		"confirmEmployment": {method: "POST", path: "/v1/hr/employments/" + w.employment + "/confirm", allow: only(hr),
			body: map[string]any{"contractStart": "2025-07-15", "contractEnd": "2028-07-14", "socialInsuranceStart": "2025-08-01"}},
		"rejectEmployment": {method: "POST", path: "/v1/hr/employments/" + w.employment + "/reject", body: map[string]any{"reason": "x"}, allow: only(hr)},
		"decideEmployments": {method: "POST", path: "/v1/hr/employments/decisions", allow: only(hr, hrB),
			body: map[string]any{"items": []map[string]any{{"id": w.employment, "decision": "reject", "reason": "x"}}}},
		"endEmployment":     {method: "POST", path: "/v1/hr/employments/" + w.ownerJob + "/end", body: map[string]any{"endedOn": "2028-07-14"}, allow: only(hr)},
		"fileHires":         {method: "POST", path: "/v1/hr/filings?format=csv", file: []byte("姓名\n"), allow: only(hr, hrB)},
		"listFilings":       {method: "GET", path: "/v1/hr/filings", allow: only(hr, hrB)},
		"getFiling":         {method: "GET", path: "/v1/hr/filings/" + w.filing, allow: only(hr)},
		"inviteToEmployer":  {method: "POST", path: "/v1/employers/" + w.empA + "/invitations", body: map[string]any{"role": "hr", "phone": "13900004444"}, allow: only(employerAdmin, cityAdmin)},
		"listInvitations":   {method: "GET", path: "/v1/employers/" + w.empA + "/invitations", allow: only(employerAdmin, cityAdmin)},
		"revokeInvitation":  {method: "POST", path: "/v1/employers/" + w.empA + "/invitations/" + w.invitation + "/revoke", allow: only(employerAdmin, cityAdmin)},
		"listEmployerStaff": {method: "GET", path: "/v1/employers/" + w.empA + "/staff", allow: only(employerAdmin, cityAdmin)},
		// Removed by the first allowed caller, gone for the second.
		"removeEmployerHR": {method: "DELETE", path: "/v1/employers/" + w.empA + "/hr/" + w.hr2ID, allow: only(employerAdmin, cityAdmin), missing: true},
		"getEmployerAudit": {method: "GET", path: "/v1/employers/" + w.empA + "/audit", allow: only(employerAdmin, cityAdmin)},

		// City administration.
		"getUser":                     {method: "GET", path: "/v1/admin/users/" + w.victimID, allow: only(cityAdmin)},
		"grantRole":                   {method: "PUT", path: "/v1/admin/users/" + w.victimID + "/roles/finance", body: map[string]any{}, allow: only(cityAdmin)},
		"revokeRole":                  {method: "DELETE", path: "/v1/admin/users/" + w.victimID + "/roles/finance", allow: only(cityAdmin)},
		"correctIdentity":             {method: "PUT", path: "/v1/admin/users/" + w.victimID + "/identity", body: map[string]any{"nationalId": "330203199001011236", "reason": "x"}, allow: only(cityAdmin)},
		"createEmployer":              {method: "POST", path: "/v1/admin/employers", body: map[string]any{"name": "北仑港务", "creditCode": "91330200MA2GXK7E1A"}, allow: only(cityAdmin)},
		"approveEmployerRegistration": {method: "POST", path: "/v1/admin/employers/registrations/" + w.registration + "/approve", allow: only(cityAdmin)},
		"rejectEmployerRegistration":  {method: "POST", path: "/v1/admin/employers/registrations/" + w.registration + "/reject", body: map[string]any{"reason": "x"}, allow: only(cityAdmin)},
		"listEmployerNominations":     {method: "GET", path: "/v1/admin/employers/nominations", allow: only(cityAdmin)},
		"publishPolicy":               {method: "POST", path: "/v1/admin/policies", body: map[string]any{"source": "id: rent"}, allow: only(cityAdmin)},
		"listAccessLog":               {method: "GET", path: "/v1/admin/access-log", allow: only(cityAdmin)},
		"searchUsers":                 {method: "GET", path: "/v1/admin/users?q=" + url.QueryEscape("李"), allow: only(cityAdmin)},
		// The clauses a version cites: who publishes them and who cites them.
		"listPolicyVersions": {method: "GET", path: "/v1/admin/policies/versions", allow: only(reviewer, cityAdmin)},
		"getPolicyVersion":   {method: "GET", path: "/v1/admin/policies/relocation/versions/1", allow: only(reviewer, cityAdmin)},

		// Housing.
		// Inventory is what graduates choose their preferences from; it names nobody.
		"listProperties":        {method: "GET", path: "/v1/housing/properties", allow: all},
		"createProperty":        {method: "POST", path: "/v1/housing/properties", body: map[string]any{"name": "二期", "district": "慈溪市", "address": "新城大道 2 号"}, allow: only(housingStaff)},
		"updateProperty":        {method: "PUT", path: "/v1/housing/properties/" + w.property, body: map[string]any{"name": "一期", "district": "慈溪市", "address": "新城大道 1 号"}, allow: only(housingStaff)},
		"createUnit":            {method: "POST", path: "/v1/housing/properties/" + w.property + "/units", body: unitBody, allow: only(housingStaff)},
		"listUnits":             {method: "GET", path: "/v1/housing/units", allow: all},
		"updateUnit":            {method: "PUT", path: "/v1/housing/units/" + w.unit, body: unitBody, allow: only(housingStaff)},
		"importUnits":           {method: "POST", path: "/v1/housing/units/import?format=csv&propertyId=" + w.property, file: []byte(units), allow: only(housingStaff)},
		"listRounds":            {method: "GET", path: "/v1/housing/rounds", allow: all},
		"openRound":             {method: "POST", path: "/v1/housing/rounds", allow: only(housingStaff), body: map[string]any{"name": "第二批", "opensAt": time.Now().UTC(), "closesAt": time.Now().UTC().Add(time.Hour), "unitIds": []string{w.unit}}},
		"applyToRound":          {method: "POST", path: "/v1/housing/rounds/" + w.round + "/applications", allow: all, body: map[string]any{"preferences": []map[string]any{{"layout": "studio"}}, "householdSize": 1, "ownsHomeInCity": false, "publicRentalHousing": false}},
		"getApplication":        {method: "GET", path: "/v1/housing/applications/" + w.application, allow: only(owner, housingStaff)},
		"closeRound":            {method: "POST", path: "/v1/housing/rounds/" + w.round + "/close", allow: only(housingStaff)},
		"runDraw":               {method: "POST", path: "/v1/housing/rounds/" + w.round + "/draw", allow: only(housingStaff)},
		"getDrawRecord":         {method: "GET", path: "/v1/housing/rounds/" + w.round + "/draw", allow: all},
		"roundNotice":           {method: "GET", path: "/v1/housing/rounds/" + w.round + "/notice", allow: all},
		"getOffer":              {method: "GET", path: "/v1/housing/offers/" + w.offer, allow: only(owner, housingStaff)},
		"acceptOffer":           {method: "POST", path: "/v1/housing/offers/" + w.offer + "/accept", allow: only(owner)},
		"declineOffer":          {method: "POST", path: "/v1/housing/offers/" + w.offer + "/decline", allow: only(owner)},
		"assignUnit":            {method: "POST", path: "/v1/housing/units/" + w.unit + "/assign", body: map[string]any{"applicationId": w.application, "reason": "x"}, allow: only(housingStaff)},
		"proposeCorrection":     {method: "POST", path: "/v1/housing/rounds/" + w.round + "/corrections", allow: only(housingStaff), body: map[string]any{"applicationId": w.application, "unitId": w.unit, "reason": "x"}},
		"listCorrections":       {method: "GET", path: "/v1/housing/corrections", allow: only(housingStaff)},
		"approveCorrection":     {method: "POST", path: "/v1/housing/corrections/" + nobody + "/approve", allow: only(housingStaff), missing: true},
		"getLease":              {method: "GET", path: "/v1/housing/leases/" + w.lease, allow: only(owner, housingStaff)},
		"renewLease":            {method: "POST", path: "/v1/housing/leases/" + w.lease + "/renew", allow: only(owner)},
		"moveOut":               {method: "POST", path: "/v1/housing/leases/" + w.lease + "/move-out", body: map[string]any{"reason": "employment_ended"}, allow: only(housingStaff)},
		"checkIn":               {method: "POST", path: "/v1/housing/leases/" + w.lease + "/check-in", allow: only(housingStaff)},
		"checkOut":              {method: "POST", path: "/v1/housing/leases/" + w.lease + "/check-out", allow: only(housingStaff)},
		"listRoundObjections":   {method: "GET", path: "/v1/housing/objections", allow: only(housingStaff)},
		"resolveRoundObjection": {method: "POST", path: "/v1/housing/objections/" + nobody + "/resolve", body: map[string]any{"uphold": false, "resolution": "x"}, allow: only(housingStaff), missing: true},
		// The officer's lists name applicants and tenants: housing staff only,
		// so the graduate who owns the application and lease lists nothing.
		"listRoundApplications": {method: "GET", path: "/v1/housing/rounds/" + w.round + "/applications?status=allocated", allow: only(housingStaff)},
		"listLeases":            {method: "GET", path: "/v1/housing/leases?q=" + testNationalID, allow: only(housingStaff)},
	}
}

// contractOperations lists the operationIds of openapi/anju.yaml.
func contractOperations(t *testing.T) []string {
	t.Helper()
	doc, err := openapi3.NewLoader().LoadFromData(openapi.Spec)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, item := range doc.Paths.Map() {
		for _, op := range item.Operations() {
			ids = append(ids, op.OperationID)
		}
	}
	slices.Sort(ids)
	return ids
}

// TestAttackEveryOperation: the table covers the contract, and every
// caller outside an operation's entry is refused on the world's objects.
func TestAttackEveryOperation(t *testing.T) {
	t.Parallel()
	w := buildWorld(t)
	table := w.attacks(t)
	for _, id := range contractOperations(t) {
		if _, ok := table[id]; !ok {
			t.Errorf("operation %s has no entry in the attack table: decide who may call it", id)
		}
	}
	// HR of another employer sees none of this employer's people, and a
	// bulk answer about them fails item by item.
	var list struct{ Items []any }
	w.in.call(t, "GET", "/v1/hr/employments", w.tokens[hrB], nil).json(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("HR of another employer lists %d declarations", len(list.Items))
	}
	var claims struct{ Items []struct{ ID string } }
	w.in.call(t, "GET", "/v1/hr/claims", w.tokens[hr], nil).json(t, &claims)
	if !slices.ContainsFunc(claims.Items, func(c struct{ ID string }) bool { return c.ID == w.claim }) {
		t.Errorf("HR of the owner's employer does not list the owner's claim: %+v", claims)
	}
	w.in.call(t, "GET", "/v1/hr/claims", w.tokens[hrB], nil).json(t, &list)
	if len(list.Items) != 0 {
		t.Errorf("HR of another employer lists %d claims", len(list.Items))
	}
	var bulk struct {
		Results []struct {
			OK    bool `json:"ok"`
			Error *problem
		}
	}
	w.in.call(t, "POST", "/v1/hr/employments/decisions", w.tokens[hrB],
		map[string]any{"items": []map[string]any{{"id": w.employment, "decision": "reject", "reason": "no"}}}).json(t, &bulk)
	if len(bulk.Results) != 1 || bulk.Results[0].OK || bulk.Results[0].Error.Status != 404 {
		t.Errorf("bulk by HR of another employer: %+v", bulk)
	}
	// Refusals first, on the world as built; then the allowed callers,
	// whose calls may change it.
	ids := contractOperations(t)
	for _, id := range ids {
		a, ok := table[id]
		if !ok {
			continue
		}
		for _, who := range append([]string{anon}, signedIn...) {
			if slices.Contains(a.allow, who) {
				continue
			}
			r := w.send(t, a, who)
			want := r.Status == http.StatusForbidden || r.Status == http.StatusNotFound
			if who == anon {
				want = r.Status == http.StatusUnauthorized
			}
			if !want {
				t.Errorf("%s (%s %s) as %s: %d, want a refusal: %.300s", id, a.method, a.path, who, r.Status, r.Body)
			}
		}
	}
	for _, id := range ids {
		a, ok := table[id]
		if !ok {
			continue
		}
		for _, who := range a.allow {
			r := w.send(t, a, who)
			refused := r.Status == http.StatusUnauthorized || r.Status == http.StatusForbidden ||
				(r.Status == http.StatusNotFound && !a.missing) || r.Status >= 500
			if refused {
				t.Errorf("%s (%s %s) as %s, who may call it: %d: %.300s", id, a.method, a.path, who, r.Status, r.Body)
			}
		}
	}
}

// send makes one attack as who.
func (w *world) send(t *testing.T, a attack, who string) response {
	t.Helper()
	token := w.tokens[who]
	if a.file != nil {
		if who == anon {
			return w.in.call(t, a.method, a.path, "", string(a.file), "Content-Type", "application/octet-stream", "Idempotency-Key", newKey())
		}
		return w.in.postFile(t, token, a.path, a.file)
	}
	return w.in.call(t, a.method, a.path, token, a.body, "Idempotency-Key", newKey())
}

// TestAttackSelfDealing: no staff operation benefits the one who does it.
// Each office's staff member is also a graduate with something of their
// own at stake, and each tries to act on it: decide their own claim,
// certify their own tier (propose or approve), confirm their own
// employment or file themselves, propose or approve an apartment for their
// own application, approve a batch that pays them or mark their own
// payment, correct their own identity. A graduate who has claimed cannot
// swap the identity the claim was made under, and one account holds one
// claim per package even when the requests race.
func TestAttackSelfDealing(t *testing.T) {
	t.Parallel()
	in, adminToken := withAdmin(t)
	var emp struct{ ID string }
	in.call(t, "POST", "/v1/admin/employers", adminToken, map[string]any{"name": "慈溪智造", "creditCode": creditCodeA}, "Idempotency-Key", newKey()).json(t, &emp)
	hrToken := in.staff(t, adminToken, "hr", emp.ID)
	hr2 := in.staff(t, adminToken, "hr", emp.ID)
	profile := func(token, name, id string) {
		t.Helper()
		body := map[string]any{"name": name, "nationalId": id, "phone": "13800138000", "hukouPlace": "江西省南昌市",
			"education":   []map[string]any{{"level": "master", "institution": "南昌大学", "fullTime": true, "graduationDate": "2025-06-30"}},
			"employer":    map[string]any{"name": "慈溪智造", "creditCode": creditCodeA},
			"bankAccount": map[string]any{"bankName": "中国银行慈溪支行", "accountNumber": "6217000010012345678"}}
		if r := in.call(t, "PUT", "/v1/me", token, body); r.Status != 200 {
			t.Fatalf("profile %s: %d %s", name, r.Status, r.Body)
		}
		var job struct{ ID string }
		in.call(t, "GET", "/v1/me/employment", token, nil).json(t, &job)
		confirmer := hr2
		if token == hr2 {
			confirmer = hrToken
		}
		if token != hrToken {
			if r := in.call(t, "POST", "/v1/hr/employments/"+job.ID+"/confirm", confirmer,
				map[string]any{"contractStart": "2025-07-15", "contractEnd": "2028-07-14", "socialInsuranceStart": "2025-08-01"}); r.Status != 200 {
				t.Fatalf("confirm %s: %d %s", name, r.Status, r.Body)
			}
		}
	}
	refused := func(what string, r response, status int, code string) {
		t.Helper()
		if r.Status != status || r.problem(t).Code != code {
			t.Errorf("%s: %d %s, want %d %s", what, r.Status, r.Body, status, code)
		}
	}

	// HR declares a job at their own employer and confirms it themselves.
	profile(hrToken, "周敏", "330203199001011236")
	var job struct{ ID string }
	in.call(t, "GET", "/v1/me/employment", hrToken, nil).json(t, &job)
	refused("HR confirming their own employment", in.call(t, "POST", "/v1/hr/employments/"+job.ID+"/confirm", hrToken,
		map[string]any{"contractStart": "2025-07-15", "contractEnd": "2028-07-14", "socialInsuranceStart": "2025-08-01"}), 403, "own_employment")
	self := hiresSheet(t, 0, 1, func(_ int, cells []string) { cells[0], cells[1] = "周敏", "330203199001011236" })
	if r := in.postFile(t, hrToken, "/v1/hr/filings?format=xlsx", self); r.Status != 422 || !strings.Contains(string(r.Body), "own_benefit") {
		t.Errorf("HR filing themselves: %d %s", r.Status, r.Body)
	}

	// A reviewer with a claim of their own, and their own tier.
	r1, r2 := in.staff(t, adminToken, "reviewer", ""), in.staff(t, adminToken, "reviewer", "")
	profile(r1, "李明", testNationalID)
	claim := in.claimUnderReview(t, applicant{token: r1, name: "李明", nationalID: testNationalID}, false)
	refused("a reviewer approving their own claim", in.call(t, "POST", "/v1/review/claims/"+claim+"/approve", r1, map[string]any{}), 403, "own_claim")
	refused("a reviewer returning their own claim", in.call(t, "POST", "/v1/review/claims/"+claim+"/return", r1,
		map[string]any{"items": []map[string]any{{"target": "documents.diploma", "code": "missing"}}}), 403, "own_claim")
	r1ID := in.userID(t, r1)
	tier := map[string]any{"tier": "A", "evidence": "国家级人才认定书 2026-001"}
	refused("a reviewer proposing their own tier", in.call(t, "PUT", "/v1/admin/users/"+r1ID+"/talent-tier", r1, tier), 403, "own_benefit")
	var cert struct{ ID string }
	in.call(t, "PUT", "/v1/admin/users/"+r1ID+"/talent-tier", r2, tier).json(t, &cert)
	refused("a reviewer approving their own tier", in.call(t, "POST", "/v1/admin/talent-tiers/"+cert.ID+"/approve", r1, nil), 403, "own_benefit")
	refused("the proposer approving the tier", in.call(t, "POST", "/v1/admin/talent-tiers/"+cert.ID+"/approve", r2, nil), 403, "second_approver_required")

	// The claim's owner changes the identity the claim was made under.
	refused("swapping the national ID after claiming", in.call(t, "PUT", "/v1/me", r1, map[string]any{"name": "李明", "nationalId": "330282199903050029"}), 409, "identity_frozen")
	adminID := in.userID(t, adminToken)
	refused("an admin correcting their own identity", in.call(t, "PUT", "/v1/admin/users/"+adminID+"/identity", adminToken,
		map[string]any{"nationalId": "330282199903050029", "reason": "户籍更正"}), 403, "own_benefit")

	// One claim per package per account, even when the requests race.
	racer := in.signUp(t)
	profile(racer, "王芳", "330282199903050029")
	statuses := make(chan int, 8)
	for range 8 {
		go func() {
			r := in.call(t, "POST", "/v1/claims", racer, map[string]any{"package": "rent", "declarations": map[string]any{}}, "Idempotency-Key", newKey())
			if r.Status >= 500 {
				t.Logf("%s", r.Body)
			}
			statuses <- r.Status
		}()
	}
	created := 0
	for range 8 {
		if s := <-statuses; s == 201 {
			created++
		} else if s != 409 {
			t.Errorf("a racing claim: %d", s)
		}
	}
	if created != 1 {
		t.Errorf("%d claims for one package from one account", created)
	}

	// A housing officer applies to a round and tries to house themselves.
	h1, h2 := in.staff(t, adminToken, "housing", ""), in.staff(t, adminToken, "housing", "")
	profile(h1, "赵强", "330203200002290017")
	var prop struct{ ID string }
	in.call(t, "POST", "/v1/housing/properties", h2, map[string]any{"name": "人才公寓", "district": "慈溪市", "address": "新城大道 1 号"},
		"Idempotency-Key", newKey()).json(t, &prop)
	var units []string
	for _, n := range []string{"101", "102"} {
		var u struct{ ID string }
		in.call(t, "POST", "/v1/housing/properties/"+prop.ID+"/units", h2,
			map[string]any{"number": n, "layout": "1br", "area": "40", "floor": 1, "marketRent": 200000}, "Idempotency-Key", newKey()).json(t, &u)
		units = append(units, u.ID)
	}
	var round, app struct{ ID string }
	now := time.Now().UTC()
	in.call(t, "POST", "/v1/housing/rounds", h2, map[string]any{"name": "第一批", "opensAt": now.Add(-time.Minute), "closesAt": now.Add(time.Hour),
		"unitIds": units[:1]}, "Idempotency-Key", newKey()).json(t, &round)
	if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/applications", h1, map[string]any{"preferences": []map[string]any{{"layout": "1br"}},
		"householdSize": 1, "ownsHomeInCity": false, "publicRentalHousing": false}, "Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("the officer's application: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &app)
	}
	for _, step := range []string{"close", "draw"} {
		if r := in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/"+step, h2, nil); r.Status != 200 {
			t.Fatalf("%s: %d %s", step, r.Status, r.Body)
		}
	}
	refused("an officer assigning a unit to their own application", in.call(t, "POST", "/v1/housing/units/"+units[1]+"/assign", h1,
		map[string]any{"applicationId": app.ID, "reason": "手工分配"}, "Idempotency-Key", newKey()), 403, "own_benefit")
	refused("an officer correcting the draw for their own application", in.call(t, "POST", "/v1/housing/rounds/"+round.ID+"/corrections", h1,
		map[string]any{"applicationId": app.ID, "unitId": units[1], "reason": "更正"}, "Idempotency-Key", newKey()), 403, "own_benefit")
	var proposal struct{ ID string }
	if r := in.call(t, "POST", "/v1/housing/units/"+units[1]+"/assign", h2, map[string]any{"applicationId": app.ID, "reason": "手工分配"}, "Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("assignment proposed by another officer: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &proposal)
	}
	refused("an officer approving a unit for their own application", in.call(t, "POST", "/v1/housing/corrections/"+proposal.ID+"/approve", h1, nil), 403, "own_benefit")

	// A finance officer who is owed a payment.
	f1, f2 := in.staff(t, adminToken, "finance", ""), in.staff(t, adminToken, "finance", "")
	profile(f1, "孙丽", testenv.NationalID(901))
	in.paying(t, in.userID(t, f1), allowance.ClaimActive, allowance.PaymentDue, nil, 100000)
	var batch struct{ ID string }
	if r := in.call(t, "POST", "/v1/finance/batches", f2, nil, "Idempotency-Key", newKey()); r.Status != 201 {
		t.Fatalf("batch: %d %s", r.Status, r.Body)
	} else {
		r.json(t, &batch)
	}
	refused("approving a batch that pays oneself", in.call(t, "POST", "/v1/finance/batches/"+batch.ID+"/approve", f1, nil), 403, "own_benefit")
	var detail batchDetail
	in.call(t, "GET", "/v1/finance/batches/"+batch.ID, f2, nil).json(t, &detail)
	for _, l := range detail.Lines {
		refused("marking one's own payment paid", in.call(t, "POST", "/v1/finance/payments/"+l.Payment.ID+"/paid", f1, nil), 403, "own_benefit")
	}
}
