package postgres_test

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/talent/draw"
	"github.com/anju-city/anju/internal/talent/housing"
)

// TestRoundCloseSeesEveryApplication: applications race the close of their
// round. Every application that was written is one the close saw (so it is
// in the pool whose hash is published), and every one refused was refused
// because the round had closed — none slips in after the close read them.
func TestRoundCloseSeesEveryApplication(t *testing.T) {
	t.Parallel()
	db, ctx := open(t), context.Background()
	now := time.Now().UTC()
	officer, err := db.Users().SignIn(ctx, "uid-round-officer", false)
	if err != nil {
		t.Fatal(err)
	}
	round := housing.Round{ID: talent.NewID(), Name: "race", OpensAt: now.Add(-time.Hour), ClosesAt: now.Add(time.Hour),
		PolicyVersion: 1, Status: housing.RoundOpen, Commitment: "c", SealedSeed: "s", CreatedBy: officer.ID, CreatedAt: now}
	if err := db.Rounds().CreateRound(ctx, round); err != nil {
		t.Fatal(err)
	}
	const applicants = 120
	apps := make([]housing.Application, applicants)
	for i := range apps {
		u, err := db.Users().SignIn(ctx, fmt.Sprintf("uid-round-applicant-%d", i), false)
		if err != nil {
			t.Fatal(err)
		}
		index := fmt.Sprintf("round-race-person-%d", i)
		if _, err := db.Pool().Exec(ctx, `INSERT INTO profiles (user_id, name, national_id_index, updated_at) VALUES ($1, 'x', $2, now())`, u.ID, index); err != nil {
			t.Fatal(err)
		}
		apps[i] = housing.Application{ID: talent.NewID(), RoundID: round.ID, UserID: u.ID, PersonIndex: index, HouseholdSize: 1,
			Preferences: []draw.Preference{{Layout: "studio"}},
			Status:      housing.AppEligible, Active: true, CreatedAt: now, UpdatedAt: now}
	}

	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		written []string
		seen    []string
	)
	start, some := make(chan struct{}), make(chan struct{})
	var someOnce sync.Once
	for _, a := range apps {
		wg.Go(func() {
			<-start
			err := db.Rounds().CreateApplication(ctx, a, nil)
			var te *talent.Error
			switch {
			case err == nil:
				mu.Lock()
				written = append(written, a.ID)
				if len(written) == applicants/4 {
					someOnce.Do(func() { close(some) })
				}
				mu.Unlock()
			case errors.As(err, &te) && te.Code == housing.CodeRoundNotOpen:
			default:
				t.Errorf("application %s: %v", a.ID, err)
			}
		})
	}
	wg.Go(func() {
		select { // close in the middle of the surge
		case <-some:
		case <-time.After(10 * time.Second):
		}
		_, err := db.Rounds().UpdateRound(ctx, round.ID, func(r *housing.Round, in []housing.Application) (housing.Change, error) {
			r.Status = housing.RoundClosed
			for _, a := range in {
				seen = append(seen, a.ID)
			}
			return housing.Change{}, nil
		})
		if err != nil {
			t.Errorf("close: %v", err)
		}
	})
	close(start)
	wg.Wait()

	slices.Sort(written)
	slices.Sort(seen)
	if !slices.Equal(written, seen) {
		t.Fatalf("%d applications written, the close saw %d: an application was written after the round closed", len(written), len(seen))
	}
	t.Logf("%d of %d applications got in before the close", len(written), applicants)
}
