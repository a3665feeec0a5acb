package employers_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/app"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/employers"
	"github.com/anju-city/anju/internal/testenv"
)

const creditCode = "91330282MA2H3B8K4N"

type fixture struct {
	db    *postgres.DB
	app   *app.App
	clock *testenv.Clock
	admin talent.User
}

func setup(t *testing.T) fixture {
	t.Helper()
	db, a, clk := testenv.App(t, nil, nil)
	admin, err := db.Users().SignIn(context.Background(), "city-admin", true)
	if err != nil {
		t.Fatal(err)
	}
	return fixture{db: db, app: a, clock: clk, admin: admin}
}

// user signs someone in afresh, with their current roles.
func (f fixture) user(t *testing.T, uid string) talent.User {
	t.Helper()
	u, err := f.db.Users().SignIn(context.Background(), uid, false)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// outbox lists the tasks of a kind written so far, as their JSON.
func (f fixture) outbox(t *testing.T, kind string) []string {
	t.Helper()
	rows, err := f.db.Pool().Query(context.Background(), `SELECT payload::text FROM outbox WHERE kind = $1 ORDER BY created_at`, kind)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var p string
		_ = rows.Scan(&p)
		out = append(out, p)
	}
	return out
}

// registered has "owner" register the employer and the city admin approve it.
func (f fixture) registered(t *testing.T) (talent.Employer, talent.User) {
	t.Helper()
	ctx := context.Background()
	owner := f.user(t, "owner")
	r, err := f.app.Employers.Register(ctx, owner, employers.RegistrationInput{CreditCode: strings.ToLower(creditCode), Name: "慈溪智造科技有限公司",
		Address: "慈溪市新城大道 1 号", ContactName: "周敏", ContactPhone: "13900001111"})
	if err != nil {
		t.Fatal(err)
	}
	if r, err = f.app.Employers.DecideRegistration(ctx, f.admin, r.ID, true, ""); err != nil {
		t.Fatal(err)
	}
	e, err := f.db.Employers().Employer(ctx, r.EmployerID)
	if err != nil {
		t.Fatal(err)
	}
	return e, f.user(t, "owner")
}

// Registration: the registrant's employer exists once a city admin approves
// it, with the registrant as its admin; a second registration of the code
// is refused while one waits and once it is registered.
func TestRegistration(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	owner := f.user(t, "owner")
	in := employers.RegistrationInput{CreditCode: creditCode, Name: "慈溪智造科技有限公司", Address: "新城大道 1 号", ContactName: "周敏", ContactPhone: "13900001111"}
	bad := in
	bad.CreditCode, bad.ContactPhone = "91330282MA2H3B8K4X", "123"
	if _, err := f.app.Employers.Register(ctx, owner, bad); talent.ErrorKind(err) != talent.KindInvalid {
		t.Fatalf("a bad check character and phone: %v", err)
	}
	r, err := f.app.Employers.Register(ctx, owner, in)
	if err != nil || r.Status != employers.RegistrationPending || r.ContactPhone != "139****1111" {
		t.Fatalf("register: %+v %v", r, err)
	}
	if _, err := f.app.Employers.Register(ctx, f.user(t, "someone"), in); !talent.HasCode(err, employers.CodeRegistrationPending) {
		t.Fatalf("a second registration while one waits: %v", err)
	}
	if _, err := f.app.Employers.DecideRegistration(ctx, owner, r.ID, true, ""); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("the registrant approving: %v", err)
	}
	mine, _, _ := f.app.Employers.Registrations(ctx, f.user(t, "someone"), "", talent.Page{})
	if len(mine) != 0 {
		t.Fatalf("another user's list: %+v", mine)
	}
	approved, err := f.app.Employers.DecideRegistration(ctx, f.admin, r.ID, true, "")
	if err != nil || approved.Status != employers.RegistrationApproved || approved.EmployerID == "" {
		t.Fatalf("approve: %+v %v", approved, err)
	}
	if !f.user(t, "owner").RunsEmployer(approved.EmployerID) {
		t.Fatal("the registrant does not run the employer")
	}
	if _, err := f.app.Employers.DecideRegistration(ctx, f.admin, r.ID, false, "重复"); !talent.HasCode(err, employers.CodeRegistrationDecided) {
		t.Fatalf("deciding twice: %v", err)
	}
	if _, err := f.app.Employers.Register(ctx, owner, in); !talent.HasCode(err, employers.CodeEmployerRegistered) {
		t.Fatalf("registering a registered employer: %v", err)
	}
	if n := len(f.outbox(t, "notify:send")); n != 2 {
		t.Fatalf("%d notifications: the admin of the filing and the registrant of the approval", n)
	}
	audit, _ := f.app.Employers.AuditOf(ctx, f.admin, approved.EmployerID)
	if len(audit) != 1 || audit[0].Event != "registration.approved" || audit[0].ActorID != f.admin.ID {
		t.Fatalf("audit: %+v", audit)
	}
}

// Invitations: the employer's admin invites, the invitee takes the role with
// the code, once; revoked and expired codes are not found; another
// employer's admin sees nothing; the admin removes an HR user.
func TestInvitations(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	e, owner := f.registered(t)
	if _, err := f.app.Employers.Invite(ctx, f.user(t, "stranger"), e.ID, talent.RoleHR, "13900002222", ""); talent.ErrorKind(err) != talent.KindNotFound {
		t.Fatalf("a stranger inviting: %v", err)
	}
	if _, err := f.app.Employers.Invite(ctx, owner, e.ID, talent.RoleHR, "13900002222", "hr@example.com"); errFields(err) != "contact=contact_required" {
		t.Fatalf("two contacts: %v", err)
	}
	inv, err := f.app.Employers.Invite(ctx, owner, e.ID, talent.RoleHR, "13900002222", "")
	if err != nil || len(inv.Code) != 10 || inv.Contact != "139****2222" || inv.Status != employers.InvitationPending {
		t.Fatalf("invite: %+v %v", inv, err)
	}
	accepted, err := f.app.Employers.Accept(ctx, f.user(t, "hr1"), strings.ToLower(inv.Code))
	if err != nil || accepted.Status != employers.InvitationAccepted || accepted.Code != "" {
		t.Fatalf("accept: %+v %v", accepted, err)
	}
	hr1 := f.user(t, "hr1")
	if !hr1.HROf(e.ID) {
		t.Fatalf("hr1 is not HR: %+v", hr1.Roles)
	}
	if _, err := f.app.Employers.Accept(ctx, f.user(t, "hr2"), inv.Code); !talent.HasCode(err, employers.CodeInvitationNotFound) {
		t.Fatalf("a used code: %v", err)
	}
	revoked, _ := f.app.Employers.Invite(ctx, owner, e.ID, talent.RoleHR, "", "hr2@example.com")
	if r, err := f.app.Employers.Revoke(ctx, owner, e.ID, revoked.ID); err != nil || r.Status != employers.InvitationRevoked {
		t.Fatalf("revoke: %+v %v", r, err)
	}
	if _, err := f.app.Employers.Accept(ctx, f.user(t, "hr2"), revoked.Code); !talent.HasCode(err, employers.CodeInvitationNotFound) {
		t.Fatalf("a revoked code: %v", err)
	}
	late, _ := f.app.Employers.Invite(ctx, owner, e.ID, talent.RoleHR, "13900003333", "")
	f.clock.T = f.clock.T.Add(employers.InvitationTTL + time.Minute)
	if _, err := f.app.Employers.Accept(ctx, f.user(t, "hr3"), late.Code); !talent.HasCode(err, employers.CodeInvitationNotFound) {
		t.Fatalf("an expired code: %v", err)
	}
	list, _, err := f.app.Employers.Invitations(ctx, owner, e.ID, talent.Page{})
	if err != nil || len(list) != 3 || list[0].Status != employers.InvitationExpired || list[0].Code != "" {
		t.Fatalf("invitations: %+v %v", list, err)
	}
	staff, _ := f.app.Employers.StaffOf(ctx, owner, e.ID)
	if len(staff) != 2 {
		t.Fatalf("staff: %+v", staff)
	}
	if err := f.app.Employers.RemoveHR(ctx, hr1, e.ID, hr1.ID); talent.ErrorKind(err) != talent.KindNotFound {
		t.Fatalf("HR removing HR: %v", err)
	}
	if err := f.app.Employers.RemoveHR(ctx, owner, e.ID, hr1.ID); err != nil {
		t.Fatal(err)
	}
	if f.user(t, "hr1").HROf(e.ID) {
		t.Fatal("hr1 is still HR")
	}
	var events []string
	audit, _ := f.app.Employers.AuditOf(ctx, owner, e.ID)
	for _, a := range audit {
		events = append(events, a.Event)
	}
	if got := strings.Join(events, " "); got != "registration.approved invitation.created invitation.accepted invitation.created invitation.revoked invitation.created hr.removed" {
		t.Fatalf("audit: %s", got)
	}
}

// A graduate names an employer nobody registered: the employment waits for
// it, the city's admins read the contact's code, and the contact accepting
// it registers the employer as its admin.
func TestNomination(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	grad := f.user(t, "grad")
	if _, err := f.app.Account.UpdateProfile(ctx, grad, talent.ProfileInput{Name: "李明", NationalID: testenv.NationalID(1)}); err != nil {
		t.Fatal(err)
	}
	n, err := f.app.Employers.Nominate(ctx, grad, employers.NominationInput{CreditCode: creditCode, Name: "慈溪智造",
		ContactName: "周敏", ContactPhone: "13900001111"})
	if err != nil || n.Employer.Status != talent.EmployerUnregistered || n.Contact != "139****1111" {
		t.Fatalf("nominate: %+v %v", n, err)
	}
	emp, err := f.db.Employments().CurrentEmployment(ctx, grad.ID)
	if err != nil || emp.EmployerID != n.EmployerID || emp.Status != talent.EmploymentPending {
		t.Fatalf("the declared employment: %+v %v", emp, err)
	}
	if _, _, err := f.app.Employers.Nominations(ctx, grad, talent.Page{}); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("a graduate listing nominations: %v", err)
	}
	list, _, err := f.app.Employers.Nominations(ctx, f.admin, talent.Page{})
	if err != nil || len(list) != 1 || len(list[0].Code) != 10 {
		t.Fatalf("nominations: %+v %v", list, err)
	}
	contact := f.user(t, "contact")
	if _, err := f.app.Employers.Accept(ctx, contact, list[0].Code); err != nil {
		t.Fatal(err)
	}
	e, _ := f.db.Employers().Employer(ctx, n.EmployerID)
	if e.Status != talent.EmployerRegistered || !f.user(t, "contact").RunsEmployer(e.ID) {
		t.Fatalf("after the contact accepted: %+v", e)
	}
	if _, err := f.app.Employers.Nominate(ctx, grad, employers.NominationInput{CreditCode: creditCode, Name: "慈溪智造",
		ContactName: "周敏", ContactPhone: "13900001111"}); !talent.HasCode(err, employers.CodeEmployerRegistered) {
		t.Fatalf("naming a registered employer: %v", err)
	}
}

// sheet is a filing with a header and rows for people n.
func sheet(people ...int) [][]string {
	rows := [][]string{{"姓名", "身份证号", "手机号", "合同开始日期", "合同结束日期", "社保起缴日期"}}
	for _, n := range people {
		rows = append(rows, []string{"员工" + string(rune('甲'+n%20)), testenv.NationalID(n), "", "2026-07-01", "2029-06-30", "2026/7/1"})
	}
	return rows
}

// Filing: a file with bad rows is refused whole, each problem by row and
// column; a good one is stored, and each filed person who has or opens an
// account finds the employment confirmed and a prefilled draft claim.
func TestFiling(t *testing.T) {
	t.Parallel()
	f := setup(t)
	ctx := context.Background()
	e, owner := f.registered(t)
	inv, _ := f.app.Employers.Invite(ctx, owner, e.ID, talent.RoleHR, "13900002222", "")
	if _, err := f.app.Employers.Accept(ctx, f.user(t, "hr"), inv.Code); err != nil {
		t.Fatal(err)
	}
	hr := f.user(t, "hr")
	early := f.user(t, "early") // has an account before the filing
	if _, err := f.app.Account.UpdateProfile(ctx, early, talent.ProfileInput{Name: "员工乙", NationalID: testenv.NationalID(1)}); err != nil {
		t.Fatal(err)
	}

	bad := sheet(0, 1, 2, 0)
	bad[2][1] = bad[2][1][:17] + "0" // a wrong check character
	bad[3][4] = "2026-06-30"         // ends before it starts
	bad = append(bad, []string{"", "", "", "", "", ""}[:3])
	_, err := f.app.Employers.File(ctx, hr, bad)
	var fields []string
	if te, ok := err.(*talent.Error); ok {
		for _, fe := range te.Fields {
			fields = append(fields, fe.Field+"="+fe.Code.String())
		}
	}
	got := strings.Join(fields, " ")
	for _, want := range []string{"rows[3].nationalId=national_id_checksum", "rows[4].contractEnd=contract_end_before_start",
		"rows[5].nationalId=duplicate_in_file", "rows[6].name=text_length", "rows[6].contractStart=not_date"} {
		if !strings.Contains(got, want) {
			t.Errorf("the report lacks %s: %s", want, got)
		}
	}
	if filings, _, _ := f.app.Employers.Filings(ctx, hr, talent.Page{}); len(filings) != 0 {
		t.Fatalf("a refused file left %d filings", len(filings))
	}
	if _, err := f.app.Employers.File(ctx, owner, sheet(0)); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("the employer's admin filing without the hr role: %v", err)
	}

	filing, err := f.app.Employers.File(ctx, hr, sheet(0, 1, 2))
	if err != nil || filing.Hires != 3 {
		t.Fatalf("file: %+v %v", filing, err)
	}
	if _, err := f.app.Employers.File(ctx, hr, sheet(2, 3)); !strings.Contains(errFields(err), "rows[2].nationalId=already_filed") {
		t.Fatalf("filing someone twice: %v", errFields(err))
	}
	// The one who had an account is found at once.
	if tasks := f.outbox(t, "persons:identified"); len(tasks) != 2 || !strings.Contains(tasks[1], early.ID) {
		t.Fatalf("identification tasks: %v", tasks)
	}
	if err := f.app.Employers.MatchFiled(ctx, early.ID); err != nil {
		t.Fatal(err)
	}
	// Another signs up later and gives their ID number.
	late := f.user(t, "late")
	if _, err := f.app.Account.UpdateProfile(ctx, late, talent.ProfileInput{Name: "员工丙", NationalID: testenv.NationalID(2)}); err != nil {
		t.Fatal(err)
	}
	for range 2 { // a redelivered task changes nothing
		if err := f.app.Employers.MatchFiled(ctx, late.ID); err != nil {
			t.Fatal(err)
		}
	}
	for _, u := range []talent.User{early, late} {
		emp, err := f.db.Employments().CurrentEmployment(ctx, u.ID)
		if err != nil || emp.Status != talent.EmploymentConfirmed || emp.Source != talent.SourceFiled || emp.EmployerID != e.ID ||
			emp.DecidedBy != hr.ID || emp.SocialInsuranceStart.Format(time.DateOnly) != "2026-07-01" {
			t.Fatalf("%s's employment: %+v %v", u.FirebaseUID, emp, err)
		}
		claims, _, _ := f.app.Allowance.Claims(ctx, u, talent.Page{})
		if len(claims) != 1 || claims[0].Status != allowance.ClaimDraft || claims[0].Package != employers.FiledPackage {
			t.Fatalf("%s's claims: %+v", u.FirebaseUID, claims)
		}
	}
	view, err := f.app.Employers.Filing(ctx, hr, filing.ID)
	if err != nil || view.Matched != 2 || len(view.Items) != 3 || strings.Contains(view.Items[0].NationalID, testenv.NationalID(0)[6:14]) {
		t.Fatalf("filing view: %+v %v", view, err)
	}
	if _, err := f.app.Employers.Filing(ctx, f.user(t, "early"), filing.ID); talent.ErrorKind(err) != talent.KindForbidden {
		t.Fatalf("a graduate reading the filing: %v", err)
	}
}

func errFields(err error) string {
	var out []string
	if te, ok := err.(*talent.Error); ok {
		for _, fe := range te.Fields {
			out = append(out, fe.Field+"="+fe.Code.String())
		}
	}
	return strings.Join(out, " ")
}

func TestRegistrationTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, employers.RegistrationTransitions,
		[]employers.RegistrationStatus{employers.RegistrationPending, employers.RegistrationApproved, employers.RegistrationRejected},
		[]employers.RegistrationEvent{employers.RegistrationApprove, employers.RegistrationReject},
		map[employers.RegistrationStatus]map[employers.RegistrationEvent]employers.RegistrationStatus{
			employers.RegistrationPending: {employers.RegistrationApprove: employers.RegistrationApproved, employers.RegistrationReject: employers.RegistrationRejected},
		})
}

func TestInvitationTransitions(t *testing.T) {
	t.Parallel()
	testenv.Matrix(t, employers.InvitationTransitions,
		[]employers.InvitationStatus{employers.InvitationPending, employers.InvitationAccepted, employers.InvitationRevoked},
		[]employers.InvitationEvent{employers.InvitationAccept, employers.InvitationRevoke},
		map[employers.InvitationStatus]map[employers.InvitationEvent]employers.InvitationStatus{
			employers.InvitationPending: {employers.InvitationAccept: employers.InvitationAccepted, employers.InvitationRevoke: employers.InvitationRevoked},
		})
}
