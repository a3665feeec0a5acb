package postgres_test

import (
	"context"
	"slices"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

// openRaw opens the adapter and a plain connection to the same database,
// for looking at rows behind the adapter's back.
func openRaw(t *testing.T) (*postgres.DB, *pgx.Conn) {
	t.Helper()
	ctx := context.Background()
	url := testenv.Database(t)
	db, err := postgres.Open(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	conn, err := pgx.Connect(ctx, url)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = conn.Close(ctx) })
	return db, conn
}

// rowVersions is the transaction id that last wrote the user's row and
// each of their role grants: any UPDATE, even one that changes nothing,
// gives a row a new one.
func rowVersions(t *testing.T, conn *pgx.Conn, userID string) []string {
	t.Helper()
	rows, err := conn.Query(context.Background(), `
		SELECT xmin::text FROM users WHERE id = $1
		UNION ALL (SELECT xmin::text FROM role_grants WHERE user_id = $1 ORDER BY role)`, userID)
	if err != nil {
		t.Fatal(err)
	}
	v, err := pgx.CollectRows(rows, pgx.RowTo[string])
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func TestSignInOfAKnownUserWritesNothing(t *testing.T) {
	t.Parallel()
	db, conn := openRaw(t)
	ctx := context.Background()
	first, err := db.Users().SignIn(ctx, "uid-known", false)
	if err != nil {
		t.Fatal(err)
	}
	before := rowVersions(t, conn, first.ID)
	again, err := db.Users().SignIn(ctx, "uid-known", false)
	if err != nil || again.ID != first.ID || !again.Has(talent.RoleGraduate) {
		t.Fatalf("second sign-in: %+v %v", again, err)
	}
	if after := rowVersions(t, conn, first.ID); !slices.Equal(before, after) {
		t.Errorf("row versions %v → %v: a sign-in of a known user wrote", before, after)
	}
	// A bootstrap admin without the grant gets it (a write), then no more.
	admin, err := db.Users().SignIn(ctx, "uid-known", true)
	if err != nil || !admin.Has(talent.RoleAdmin) {
		t.Fatalf("bootstrap admin: %+v %v", admin, err)
	}
	before = rowVersions(t, conn, first.ID)
	if _, err := db.Users().SignIn(ctx, "uid-known", true); err != nil {
		t.Fatal(err)
	}
	if after := rowVersions(t, conn, first.ID); !slices.Equal(before, after) {
		t.Errorf("row versions %v → %v: an admin already granted was written again", before, after)
	}
}

func TestUserReadsRolesInOneQuery(t *testing.T) {
	t.Parallel()
	db, ctx := open(t), context.Background()
	emp := talent.Employer{ID: talent.NewID(), Name: "慈溪测试有限公司", CreditCode: "91330282MA2GXXXX1X", CreatedAt: time.Now()}
	if err := db.Employers().CreateEmployer(ctx, emp); err != nil {
		t.Fatal(err)
	}
	u, err := db.Users().SignIn(ctx, "uid-roles", false)
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	if _, err := db.Users().GrantRole(ctx, u.ID, talent.RoleGrant{Role: talent.RoleHR, EmployerID: emp.ID, GrantedAt: at}, ""); err != nil {
		t.Fatal(err)
	}
	got, err := db.Users().UserByFirebaseUID(ctx, "uid-roles")
	if err != nil {
		t.Fatal(err)
	}
	if len(got.Roles) != 2 || got.Roles[0].Role != talent.RoleGraduate || got.Roles[1].Role != talent.RoleHR ||
		got.Roles[1].EmployerID != emp.ID || !got.Roles[1].GrantedAt.Equal(at) || got.Roles[0].EmployerID != "" {
		t.Fatalf("roles %+v", got.Roles)
	}
	if _, err := db.Users().UserByFirebaseUID(ctx, "uid-nobody"); talent.ErrorKind(err) != talent.KindNotFound {
		t.Errorf("unknown uid: %v, want not found", err)
	}
}

func TestTouchLastSeenOnlyMovesForward(t *testing.T) {
	t.Parallel()
	db, conn := openRaw(t)
	ctx := context.Background()
	u, err := db.Users().SignIn(ctx, "uid-seen", false)
	if err != nil {
		t.Fatal(err)
	}
	seen := func() time.Time {
		var at *time.Time
		if err := conn.QueryRow(ctx, `SELECT last_seen_at FROM users WHERE id = $1`, u.ID).Scan(&at); err != nil {
			t.Fatal(err)
		}
		if at == nil {
			return time.Time{}
		}
		return *at
	}
	if !seen().IsZero() {
		t.Fatal("a new user has a last-seen time")
	}
	t1 := time.Date(2026, 7, 1, 9, 0, 0, 0, time.UTC)
	// Ids that are not users (or not UUIDs) are skipped, not errors.
	if err := db.Users().TouchLastSeen(ctx, map[string]time.Time{u.ID: t1, talent.NewID(): t1, "not-a-uuid": t1}); err != nil {
		t.Fatal(err)
	}
	if !seen().Equal(t1) {
		t.Fatalf("last seen %v, want %v", seen(), t1)
	}
	if err := db.Users().TouchLastSeen(ctx, map[string]time.Time{u.ID: t1.Add(-time.Hour)}); err != nil {
		t.Fatal(err)
	}
	if !seen().Equal(t1) {
		t.Errorf("an older time (from a slower replica) moved last seen back to %v", seen())
	}
}
