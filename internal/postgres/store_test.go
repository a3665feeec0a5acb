package postgres_test

import (
	"context"
	"io"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/testenv"
	"github.com/anju-city/anju/workers"
)

func open(t *testing.T) *postgres.DB {
	t.Helper()
	db, err := postgres.Open(context.Background(), testenv.Database(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	return db
}

func TestSignInCreatesGraduateOnce(t *testing.T) {
	t.Parallel()
	db, ctx := open(t), context.Background()
	var wg sync.WaitGroup
	users := make([]talent.User, 8)
	for i := range users {
		wg.Go(func() {
			u, err := db.Users().SignIn(ctx, "uid-1", false)
			if err != nil {
				t.Error(err)
			}
			users[i] = u
		})
	}
	wg.Wait()
	for _, u := range users[1:] {
		if u.ID != users[0].ID {
			t.Fatalf("concurrent first sign-ins made two users: %s and %s", u.ID, users[0].ID)
		}
	}
	if !users[0].Has(talent.RoleGraduate) || users[0].Has(talent.RoleAdmin) || users[0].Locale != talent.LocaleZH {
		t.Fatalf("new user %+v", users[0])
	}
	admin, err := db.Users().SignIn(ctx, "uid-1", true)
	if err != nil || !admin.Has(talent.RoleAdmin) {
		t.Fatalf("bootstrap admin: %+v %v", admin, err)
	}
}

func TestGrantRoleNeedsKnownEmployer(t *testing.T) {
	t.Parallel()
	db, ctx := open(t), context.Background()
	u, _ := db.Users().SignIn(ctx, "hr-1", false)
	_, err := db.Users().GrantRole(ctx, u.ID, talent.RoleGrant{Role: talent.RoleHR, EmployerID: talent.NewID()}, "")
	if talent.ErrorKind(err) != talent.KindInvalid {
		t.Fatalf("unknown employer: %v", err)
	}
	emp := talent.NewID()
	if err := db.Employers().CreateEmployer(ctx, talent.Employer{ID: emp, Name: "慈溪智造有限公司", CreditCode: "91330282MA2AAAAA1C", CreatedAt: time.Now()}); err != nil {
		t.Fatal(err)
	}
	got, err := db.Users().GrantRole(ctx, u.ID, talent.RoleGrant{Role: talent.RoleHR, EmployerID: emp}, "")
	if err != nil || !got.Has(talent.RoleHR) || got.Roles[1].EmployerID != emp {
		t.Fatalf("grant hr: %+v %v", got, err)
	}
	got, err = db.Users().RevokeRole(ctx, u.ID, talent.RoleHR, "")
	if err != nil || got.Has(talent.RoleHR) {
		t.Fatalf("revoke: %+v %v", got, err)
	}
}

func TestNationalIDIndexIsUnique(t *testing.T) {
	t.Parallel()
	db, ctx := open(t), context.Background()
	a, _ := db.Users().SignIn(ctx, "a", false)
	b, _ := db.Users().SignIn(ctx, "b", false)
	rec := talent.ProfileRecord{UserID: a.ID, Name: "张三", Locale: talent.LocaleEN, NationalIDIndex: "idx", NationalIDSealed: "v1.k.x", UpdatedAt: time.Now(),
		Education: []talent.Education{{Level: talent.LevelMaster, Institution: "浙江大学", FullTime: true, GraduationDate: time.Date(2025, 6, 30, 0, 0, 0, 0, time.UTC)}}}
	if err := db.Profiles().SaveProfile(ctx, rec, nil, nil, nil); err != nil {
		t.Fatal(err)
	}
	rec.UserID = b.ID
	if err := db.Profiles().SaveProfile(ctx, rec, nil, nil, nil); talent.ErrorCode(err) != "national_id_taken" || talent.ErrorKind(err) != talent.KindConflict {
		t.Fatalf("second account with the same person: %v", err)
	}
	got, err := db.Profiles().Profile(ctx, a.ID)
	if err != nil || got.Locale != talent.LocaleEN || len(got.Education) != 1 || got.Education[0].Institution != "浙江大学" {
		t.Fatalf("profile %+v %v", got, err)
	}
	if _, err := db.Profiles().Profile(ctx, b.ID); talent.ErrorKind(err) != talent.KindNotFound {
		t.Fatalf("b's profile must not exist after the refused save: %v", err)
	}
}

func TestNotificationsPageAndDedupe(t *testing.T) {
	t.Parallel()
	db, ctx := open(t), context.Background()
	u, _ := db.Users().SignIn(ctx, "n", false)
	base := time.Now().UTC()
	for i := range 5 {
		n := talent.Notification{ID: talent.NewID(), UserID: u.ID, EventID: "e" + string(rune('0'+i)), Template: "t", Title: "t", Body: "b",
			Data: map[string]string{"k": "v"}, CreatedAt: base.Add(time.Duration(i) * time.Second)}
		if _, err := db.Inbox().AddNotification(ctx, n); err != nil {
			t.Fatal(err)
		}
	}
	dup, err := db.Inbox().AddNotification(ctx, talent.Notification{ID: talent.NewID(), UserID: u.ID, EventID: "e0", Template: "t", Title: "other", Body: "b", CreatedAt: base})
	if err != nil || dup.Title != "t" {
		t.Fatalf("redelivered event must return the first entry: %+v %v", dup, err)
	}
	var seen []string
	cursor := ""
	for {
		list, next, err := db.Inbox().Notifications(ctx, u.ID, talent.Page{Cursor: cursor, Limit: 2})
		if err != nil {
			t.Fatal(err)
		}
		for _, n := range list {
			seen = append(seen, n.EventID)
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if want := "e4e3e2e1e0"; join(seen) != want {
		t.Fatalf("paged %v, want %s", seen, want)
	}
	if _, _, err := db.Inbox().Notifications(ctx, u.ID, talent.Page{Cursor: "garbage"}); talent.ErrorKind(err) != talent.KindMalformed {
		t.Fatalf("bad cursor: %v", err)
	}
}

func join(s []string) (out string) {
	for _, x := range s {
		out += x
	}
	return out
}

func TestOutboxRelayClaimsOnceAndBacksOff(t *testing.T) {
	t.Parallel()
	db, ctx := open(t), context.Background()
	u, _ := db.Users().SignIn(ctx, "o", false)
	d := talent.Document{ID: talent.NewID(), OwnerID: u.ID, Kind: talent.DocDiploma, ContentType: "application/pdf", Size: 10,
		SHA256: "0000000000000000000000000000000000000000000000000000000000000000", ObjectKey: "k", Status: talent.DocPending,
		CreatedAt: time.Now(), UpdatedAt: time.Now()}
	if err := db.Documents().CreateDocument(ctx, d); err != nil {
		t.Fatal(err)
	}
	_, err := db.Documents().UpdateDocument(ctx, d.ID, func(d *talent.Document) ([]talent.Task, error) {
		d.Status = talent.DocInspecting
		return []talent.Task{account.InspectDocument{DocumentID: d.ID}}, nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A failing publish leaves the row for later.
	n, err := db.Outbox().RelayOutbox(ctx, 10, func(context.Context, workers.OutboxMessage) error { return io.ErrUnexpectedEOF })
	if err != nil || n != 0 {
		t.Fatalf("failed publish: %d %v", n, err)
	}
	if pending, _, _ := db.Outbox().OutboxLag(ctx); pending != 1 {
		t.Fatalf("pending after failure = %d", pending)
	}
	time.Sleep(300 * time.Millisecond) // first backoff is 250ms
	var got []workers.OutboxMessage
	n, err = db.Outbox().RelayOutbox(ctx, 10, func(_ context.Context, m workers.OutboxMessage) error { got = append(got, m); return nil })
	if err != nil || n != 1 || got[0].Kind != (account.InspectDocument{}).Kind() || !strings.Contains(string(got[0].Payload), d.ID) || got[0].Attempts != 1 {
		t.Fatalf("publish after backoff: %d %v %+v", n, err, got)
	}
	if n, _ := db.Outbox().RelayOutbox(ctx, 10, func(context.Context, workers.OutboxMessage) error { return nil }); n != 0 {
		t.Fatal("a published row was published again")
	}
	// A change that fails writes neither the document nor its tasks.
	_, err = db.Documents().UpdateDocument(ctx, d.ID, func(d *talent.Document) ([]talent.Task, error) {
		d.Status = talent.DocAccepted
		return nil, talent.NotFound(talent.CodeDocumentNotFound)
	})
	if again, _ := db.Documents().Document(ctx, d.ID); err == nil || again.Status != talent.DocInspecting {
		t.Fatalf("failed update wrote: %v %s", err, again.Status)
	}
}

// A unit's status moves only along housing.UnitTransitions: a change whose
// unit event its current status does not allow fails whole.
func TestUnitEventsAreGuarded(t *testing.T) {
	t.Parallel()
	db, ctx := open(t), context.Background()
	now := time.Now()
	p := housing.Property{ID: talent.NewID(), Name: "一期", District: "慈溪", Address: "新城大道 1 号", CreatedAt: now, UpdatedAt: now}
	u := housing.Unit{ID: talent.NewID(), PropertyID: p.ID, Number: "101", Layout: housing.Studio, AreaDM2: 4000, Floor: 1,
		MarketRent: 150000, Status: housing.UnitMaintenance, CreatedAt: now, UpdatedAt: now}
	if err := db.Inventory().CreateProperty(ctx, p); err != nil {
		t.Fatal(err)
	}
	if err := db.Inventory().CreateUnits(ctx, []housing.Unit{u}); err != nil {
		t.Fatal(err)
	}
	status := func() housing.UnitStatus {
		list, _, err := db.Inventory().Units(ctx, housing.UnitFilter{PropertyID: p.ID}, talent.Page{})
		if err != nil || len(list) != 1 {
			t.Fatalf("units: %v %v", list, err)
		}
		return list[0].Status
	}
	err := db.Offers().CreateOffers(ctx, housing.Change{Units: map[string]housing.UnitEvent{u.ID: housing.UnitOffer}})
	if !talent.HasCode(err, housing.CodeUnitStatusConflict) || status() != housing.UnitMaintenance {
		t.Fatalf("offering a unit in maintenance: %v, now %s", err, status())
	}
	if err := db.Offers().CreateOffers(ctx, housing.Change{Units: map[string]housing.UnitEvent{u.ID: housing.UnitRestore}}); err != nil || status() != housing.UnitAvailable {
		t.Fatalf("restoring it: %v, now %s", err, status())
	}
}
