package account_test

import (
	"context"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/anju-city/anju/internal/talent"
	"github.com/anju-city/anju/internal/testenv"
)

// slowPusher counts pushes and takes its time, as FCM over a network does.
type slowPusher struct{ n atomic.Int32 }

func (p *slowPusher) Push(context.Context, talent.PushMessage) error {
	time.Sleep(50 * time.Millisecond)
	p.n.Add(1)
	return nil
}

// TestNotifyRacingTasksPushOnce: tasks for one event delivered at once (a
// retry racing a re-drive after Redis lost its queue) write one inbox entry
// and push once per device.
func TestNotifyRacingTasksPushOnce(t *testing.T) {
	t.Parallel()
	pusher := &slowPusher{}
	db, a, _ := testenv.App(t, pusher, nil)
	ctx := context.Background()
	u, err := db.Users().SignIn(ctx, "notify-"+talent.NewID(), false)
	if err != nil {
		t.Fatal(err)
	}
	for _, token := range []string{"fcm-phone-0123456789", "fcm-tablet-0123456789"} {
		if err := a.Account.RegisterDevice(ctx, u, talent.Device{Token: token, Platform: "android"}); err != nil {
			t.Fatal(err)
		}
	}
	req := talent.NotifyRequest{UserID: u.ID, EventID: "document.accepted:" + talent.NewID(), Template: "document.accepted", Params: map[string]string{"kind": "diploma"}}
	var wg sync.WaitGroup
	for range 6 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			if err := a.Account.Notify(ctx, req); err != nil {
				t.Error(err)
			}
		}()
	}
	wg.Wait()
	if n := pusher.n.Load(); n != 2 {
		t.Fatalf("%d pushes for one event to two devices", n)
	}
	var entries int
	if err := db.Pool().QueryRow(ctx, `SELECT count(*) FROM notifications WHERE user_id = $1`, u.ID).Scan(&entries); err != nil {
		t.Fatal(err)
	}
	if entries != 1 {
		t.Fatalf("%d inbox entries for one event", entries)
	}
}
