package channels_test

import (
	"context"
	"testing"
	"testing/synctest"
	"time"

	"github.com/loa-ward/loa/channels"
)

// Background work (a follower sync) waits while sends are going out, and a
// pause holds everyone, whichever priority.
func TestBudgetBackgroundYieldsAndPausesHoldAll(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		b := channels.NewBudget(10, time.Now)
		start := time.Now()
		sending := make(chan struct{})
		go func() { // a broadcast: 30 sends at 10/s, for about 3 s
			defer close(sending)
			for range 30 {
				b.Wait(ctx, false)
			}
		}()
		time.Sleep(100 * time.Millisecond)
		if err := b.WaitBackground(ctx); err != nil {
			t.Fatal(err)
		}
		<-sending
		if took := time.Since(start); took < 3*time.Second {
			t.Errorf("background work went after %s, while the broadcast was still sending", took)
		}
		until := b.Pause(time.Now().Add(7 * time.Second))
		for _, interactive := range []bool{true, false} {
			if err := b.Wait(ctx, interactive); err != nil {
				t.Fatal(err)
			}
			if time.Now().Before(until) {
				t.Errorf("a call (interactive %v) went inside the pause", interactive)
			}
		}
	})
}
