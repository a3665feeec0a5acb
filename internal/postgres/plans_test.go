package postgres_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/jackc/pgx/v5"

	"github.com/anju-city/anju/internal/dataset"
	"github.com/anju-city/anju/internal/postgres"
	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/account"
	"github.com/anju-city/anju/internal/talent/allowance"
	"github.com/anju-city/anju/internal/talent/housing"
	"github.com/anju-city/anju/internal/talent/policy"
	"github.com/anju-city/anju/internal/testenv"
)

// recorder keeps the statements the adapters send, with their arguments.
type recorder struct {
	mu   sync.Mutex
	sent []sent
}

type sent struct {
	sql  string
	args []any
}

func (r *recorder) TraceQueryStart(ctx context.Context, _ *pgx.Conn, d pgx.TraceQueryStartData) context.Context {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.sent = append(r.sent, sent{sql: d.SQL, args: d.Args})
	return ctx
}

func (r *recorder) TraceQueryEnd(context.Context, *pgx.Conn, pgx.TraceQueryEndData) {}

func (r *recorder) take() []sent {
	r.mu.Lock()
	defer r.mu.Unlock()
	s := r.sent
	r.sent = nil
	return s
}

// bigTables are the tables the generated dataset makes large; a read of
// one of them that is not through an index is a bug at city scale.
var bigTables = map[string]bool{
	"claims": true, "applications": true, "notifications": true, "documents": true, "users": true, "role_grants": true,
	"employments": true, "offers": true, "leases": true,
}

// TestListAndQueueQueriesUseIndexes runs every list and queue read of the
// adapters against a generated dataset of 1,000,000 claims and 100,000
// applications (made inside PostgreSQL in seconds), captures the SQL they
// send, and checks each plan with EXPLAIN: no sequential scan of a large
// table, and no sort of more than a page's worth of rows (an index must
// give the order). Timing is the load harness's business (make bench).
func TestListAndQueueQueriesUseIndexes(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	rec := &recorder{}
	db, err := postgres.Open(ctx, testenv.Database(t), postgres.WithTracer(rec))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(db.Close)
	start := time.Now()
	info, err := dataset.Generate(ctx, db.Pool(), dataset.Size{
		Users: 50_000, Claims: 1_000_000, Applications: 100_000, Notifications: 100_000, Documents: 50_000, Leases: 50_000,
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("dataset generated in %s", time.Since(start).Round(time.Millisecond))
	user := dataset.UserID(123)
	now := time.Now()
	page := talent.Page{Limit: 20}
	rollback := errors.New("look, don't touch")
	// employerDeclarations reads the first and next page of the dataset
	// employer's confirmed people in each order.
	employerDeclarations := func(orders ...account.EmploymentSort) error {
		for _, o := range orders {
			f := account.EmploymentFilter{EmployerID: info.Employer, Status: talent.EmploymentConfirmed, Sort: o}
			list, next, err := db.Employments().EmploymentRequests(ctx, f, page)
			if err != nil {
				return err
			}
			if len(list) != 20 || next == "" {
				return fmt.Errorf("%s: first page: %d declarations, next %q", o, len(list), next)
			}
			if _, _, err := db.Employments().EmploymentRequests(ctx, f, talent.Page{Limit: 20, Cursor: next}); err != nil {
				return err
			}
		}
		return nil
	}

	// reports are statistics reads whose percentiles need their rows
	// sorted; they must still find them through an index.
	reports := map[string]bool{"delivery statistics of a month": true}
	// indexOrdered are reads of rows few in the dataset (one employer's)
	// but many at a large employer: an index must give their order, so any
	// sort at all is a problem.
	indexOrdered := map[string]bool{"an employer's declarations in each order, first and next page": true}
	reads := []struct {
		name string
		run  func() error
	}{
		{"a graduate's claims, first and next page", func() error {
			list, next, err := db.Claims().Claims(ctx, user, talent.Page{Limit: 1})
			if err != nil {
				return err
			}
			if len(list) != 1 || next == "" {
				return fmt.Errorf("first page: %d claims, next %q", len(list), next)
			}
			_, _, err = db.Claims().Claims(ctx, user, talent.Page{Limit: 20, Cursor: next})
			return err
		}},
		{"review queue, first and next page", func() error {
			q := allowance.QueueFilter{Status: allowance.ClaimUnderReview, Now: now}
			list, next, err := db.Claims().ReviewQueue(ctx, q, page)
			if err != nil {
				return err
			}
			if len(list) != 20 || next == "" {
				return fmt.Errorf("queue page: %d claims, next %q", len(list), next)
			}
			_, _, err = db.Claims().ReviewQueue(ctx, q, talent.Page{Limit: 20, Cursor: next})
			return err
		}},
		{"review queue by submission", func() error {
			_, _, err := db.Claims().ReviewQueue(ctx, allowance.QueueFilter{Status: allowance.ClaimUnderReview, Now: now, Sort: allowance.SortBySubmission}, page)
			return err
		}},
		{"review queue, overdue and unassigned", func() error {
			_, _, err := db.Claims().ReviewQueue(ctx, allowance.QueueFilter{Status: allowance.ClaimUnderReview, Now: now, Overdue: true, Assignee: allowance.AssigneeNone}, page)
			return err
		}},
		{"queues of the other stages", func() error {
			for _, st := range []allowance.ClaimStatus{allowance.ClaimSubmitted, allowance.ClaimAwaitingEmployer, allowance.ClaimApproved} {
				if _, _, err := db.Claims().ReviewQueue(ctx, allowance.QueueFilter{Status: st, Now: now}, page); err != nil {
					return err
				}
			}
			return nil
		}},
		{"overdue claims", func() error { _, err := db.Claims().Overdue(ctx, now, nil); return err }},
		{"earlier claims of a person", func() error {
			_, err := db.Claims().EarlierClaims(ctx, "dataset-4242", policy.Relocation, talent.NewID())
			return err
		}},
		{"claims awaiting an employer", func() error { _, err := db.Claims().ClaimsAwaitingEmployer(ctx, user); return err }},
		// Sorted after they are found through the employer's employments:
		// as many rows as its people have claims (dataset.EmployerSize
		// graduates here), never the city's.
		{"an employer's people's claims, first and next page", func() error {
			f := allowance.EmployeeClaimFilter{EmployerIDs: []string{info.Employer}}
			list, next, err := db.Claims().EmployeeClaims(ctx, f, page)
			if err != nil {
				return err
			}
			if len(list) != 20 || next == "" {
				return fmt.Errorf("first page: %d claims, next %q", len(list), next)
			}
			f.Status, f.Package = allowance.ClaimActive, policy.Rent
			_, _, err = db.Claims().EmployeeClaims(ctx, f, talent.Page{Limit: 20, Cursor: next})
			return err
		}},
		// The HR list of an employer's declarations, in each order, and
		// searched by name or national ID. By submission and start date
		// an index gives the order (no sort at all: see indexOrdered); by
		// name, which is on the profile, the employer's rows of a status
		// are sorted after they are found through its index.
		{"an employer's declarations in each order, first and next page", func() error {
			return employerDeclarations(account.BySubmissionNewest, account.BySubmission, account.BySince, account.BySinceReversed)
		}},
		{"an employer's declarations by name, first and next page", func() error {
			return employerDeclarations(account.ByName, account.ByNameReversed)
		}},
		{"an employer's declarations by name or national ID", func() error {
			for _, who := range []talent.PersonSearch{{NamePrefix: "李"}, {NationalIDIndex: "dataset-index"}} {
				f := account.EmploymentFilter{EmployerID: info.Employer, Status: talent.EmploymentPending, PersonSearch: who, Sort: account.ByName}
				if _, _, err := db.Employments().EmploymentRequests(ctx, f, page); err != nil {
					return err
				}
			}
			return nil
		}},
		{"delivery statistics of a month", func() error {
			_, err := db.Claims().Delivery(ctx, now.AddDate(0, -1, 0), now)
			return err
		}},
		{"payments falling due", func() error {
			_, err := db.Payments().PaymentsFallingDue(ctx, now, allowance.PaymentScheduled, nil)
			return err
		}},
		{"inbox", func() error { _, _, err := db.Inbox().Notifications(ctx, user, page); return err }},
		{"documents", func() error { _, _, err := db.Documents().Documents(ctx, user, page); return err }},
		{"staff with a role", func() error { _, err := db.Users().UsersWithRole(ctx, talent.RoleReviewer); return err }},
		{"sign-in", func() error { _, err := db.Users().UserByFirebaseUID(ctx, "dataset-123"); return err }},
		{"last seen", func() error {
			return db.Users().TouchLastSeen(ctx, map[string]time.Time{user: now, dataset.UserID(7): now})
		}},
		{"rounds", func() error { _, _, err := db.Rounds().Rounds(ctx, page); return err }},
		{"a round's applications (the draw)", func() error {
			_, err := db.Rounds().UpdateRound(ctx, info.RoundID, func(*housing.Round, []housing.Application) (housing.Change, error) {
				return housing.Change{}, rollback
			})
			if errors.Is(err, rollback) {
				return nil
			}
			return err
		}},
		{"pending offers", func() error { _, err := db.Offers().PendingOffers(ctx, now, nil); return err }},
		{"leases to review", func() error { _, err := db.Leases().LeasesToReview(ctx, nil); return err }},
		// The housing officer's lists.
		{"a round's applications in the draw's order, first and next page", func() error {
			list, next, err := db.HousingLists().RoundApplications(ctx, info.RoundID, "", page)
			if err != nil {
				return err
			}
			if len(list) != 20 || next == "" || list[0].Offer == nil || list[0].LeaseID == "" {
				return fmt.Errorf("first page: %d applications, next %q", len(list), next)
			}
			_, _, err = db.HousingLists().RoundApplications(ctx, info.RoundID, "", talent.Page{Limit: 20, Cursor: next})
			return err
		}},
		{"a round's applications of one status, and its waitlist", func() error {
			for _, st := range []housing.ApplicationStatus{housing.AppIneligible, housing.AppWaitlisted} {
				if _, _, err := db.HousingLists().RoundApplications(ctx, info.RoundID, st, page); err != nil {
					return err
				}
			}
			return nil
		}},
		{"leases by end date, first and next page", func() error {
			list, next, err := db.HousingLists().StaffLeases(ctx, housing.LeaseFilter{}, page)
			if err != nil {
				return err
			}
			if len(list) != 20 || next == "" || list[0].UnitNumber == "" {
				return fmt.Errorf("first page: %d leases, next %q", len(list), next)
			}
			_, _, err = db.HousingLists().StaffLeases(ctx, housing.LeaseFilter{}, talent.Page{Limit: 20, Cursor: next})
			return err
		}},
		{"leases of a status and a property ending before a day", func() error {
			for _, f := range []housing.LeaseFilter{
				{Status: housing.LeaseActive, EndsBefore: now.AddDate(0, 2, 0)},
				{Status: housing.LeaseMovingOut},
				{PropertyID: info.PropertyID, Status: housing.LeaseActive},
			} {
				if _, _, err := db.HousingLists().StaffLeases(ctx, f, page); err != nil {
					return err
				}
			}
			return nil
		}},
		{"leases by tenant name or national ID", func() error {
			for _, f := range []housing.LeaseFilter{{Name: "李"}, {PersonIndex: "dataset-index"}} {
				if _, _, err := db.HousingLists().StaffLeases(ctx, f, page); err != nil {
					return err
				}
			}
			return nil
		}},
	}
	rec.take()
	for _, r := range reads {
		t.Run(r.name, func(t *testing.T) {
			if err := r.run(); err != nil {
				t.Fatal(err)
			}
			stmts := rec.take()
			if len(stmts) == 0 {
				t.Fatal("no statement captured")
			}
			for _, s := range stmts {
				verb := strings.ToUpper(strings.Fields(s.sql)[0])
				if verb != "SELECT" && verb != "UPDATE" && verb != "DELETE" && verb != "WITH" {
					continue
				}
				limit := 1000.0
				switch {
				case reports[r.name]:
					limit = math.Inf(1)
				case indexOrdered[r.name]:
					limit = -1
				}
				checkPlan(t, db, s, limit)
			}
		})
	}
}

// plan is a node of EXPLAIN (FORMAT JSON).
type plan struct {
	NodeType string  `json:"Node Type"`
	Relation string  `json:"Relation Name"`
	Index    string  `json:"Index Name"`
	Rows     float64 `json:"Plan Rows"`
	Plans    []plan  `json:"Plans"`
}

// checkPlan fails a plan that reads a big table sequentially or sorts
// more than maxSort rows (-1: any sort).
func checkPlan(t *testing.T, db *postgres.DB, s sent, maxSort float64) {
	t.Helper()
	var raw []byte
	if err := db.Pool().QueryRow(context.Background(), "EXPLAIN (FORMAT JSON) "+s.sql, s.args...).Scan(&raw); err != nil {
		t.Fatalf("EXPLAIN %s: %v", s.sql, err)
	}
	var out []struct {
		Plan plan `json:"Plan"`
	}
	if err := json.Unmarshal(raw, &out); err != nil || len(out) != 1 {
		t.Fatalf("EXPLAIN output %s: %v", raw, err)
	}
	var walk func(p plan)
	var problems []string
	walk = func(p plan) {
		if p.NodeType == "Seq Scan" && bigTables[p.Relation] {
			problems = append(problems, "sequential scan of "+p.Relation)
		}
		if (p.NodeType == "Sort" || p.NodeType == "Incremental Sort") && p.Rows > maxSort {
			problems = append(problems, fmt.Sprintf("sort of %.0f rows", p.Rows))
		}
		for _, c := range p.Plans {
			walk(c)
		}
	}
	walk(out[0].Plan)
	if len(problems) > 0 {
		t.Errorf("%s\n%s\nplan: %s", strings.Join(problems, "; "), strings.Join(strings.Fields(s.sql), " "), raw)
	}
}
