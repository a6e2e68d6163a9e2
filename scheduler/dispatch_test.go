package scheduler_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
)

// testChannel records every request with the (virtual) time it arrived and
// answers what answer says.
type testChannel struct {
	mu     sync.Mutex
	calls  []call
	answer func(n int, m channels.Message) error // n counts calls from 1
	delay  time.Duration                         // how long each request takes to answer
}

type call struct {
	at        time.Time
	recipient string
	text      string
}

func (c *testChannel) Send(_ context.Context, m channels.Message) (string, error) {
	c.mu.Lock()
	c.calls = append(c.calls, call{time.Now(), m.Recipient, m.Text})
	n := len(c.calls)
	c.mu.Unlock()
	time.Sleep(c.delay)
	if c.answer != nil {
		if err := c.answer(n, m); err != nil {
			return "", err
		}
	}
	return fmt.Sprintf("tg-%d", n), nil
}

func (c *testChannel) snapshot() []call {
	c.mu.Lock()
	defer c.mu.Unlock()
	return append([]call(nil), c.calls...)
}

// dispatching runs a fixture's run through a dispatcher on the test channel
// for d of virtual time, then stops the dispatcher and returns.
func (f *fixture) dispatching(ch *testChannel, cfg scheduler.DispatchConfig, d time.Duration) {
	f.t.Helper()
	s := f.scheduler()
	disp := scheduler.NewDispatcher(f.db, map[content.Channel]scheduler.Sender{content.Telegram: ch}, s.Render, cfg, quiet, nil, time.Now)
	ctx, cancel := context.WithCancel(f.ctx)
	done := make(chan struct{})
	go func() { disp.Run(ctx); close(done) }()
	if _, err := s.RunOnce(f.ctx, time.Now()); err != nil {
		f.t.Fatal(err)
	}
	disp.Kick()
	time.Sleep(d)
	cancel()
	<-done
	s.RunOnce(f.ctx, time.Now()) // finish runs
}

// inBubble runs body in a synctest bubble whose clock starts at the run's due time.
func inBubble(t *testing.T, body func(t *testing.T)) {
	synctest.Test(t, func(t *testing.T) {
		// The bubble's clock starts at 2000-01-01 00:00 UTC; move it to 07:30 on 25/11/2026.
		time.Sleep(time.Until(localTime("2026-11-25 07:30")))
		body(t)
	})
}

func TestDispatchSendsEachRecipientOnce(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram}, "all")
		f.approve(created)
		f.subscribers(content.Telegram, 1000)
		ch := &testChannel{}
		f.dispatching(ch, scheduler.DispatchConfig{Workers: 8, InFlight: 50}, time.Minute)

		seen := map[string]int{}
		for _, c := range ch.snapshot() {
			seen[c.recipient]++
			if c.text != "Tháng hành động 2026 bắt đầu 15/11/2026." {
				t.Fatalf("sent text %q", c.text)
			}
		}
		if len(seen) != 1000 {
			t.Errorf("%d recipients reached, want 1000", len(seen))
		}
		for r, n := range seen {
			if n != 1 {
				t.Errorf("%s received %d times", r, n)
			}
		}
		run := f.runs()[0]
		if got := f.counts(run.ID)[content.Telegram][scheduler.Sent]; got != 1000 || run.State != scheduler.RunDone {
			t.Errorf("ledger: %d sent, run %s", got, run.State)
		}
		ds, _ := f.db.Deliveries(f.ctx, scheduler.DeliveryFilter{RunID: run.ID, Limit: 1})
		if !strings.HasPrefix(ds[0].ProviderID, "tg-") {
			t.Errorf("provider id %q not recorded", ds[0].ProviderID)
		}
	})
}

// TestRetryAfterPausesTheChannel: after a "429, retry after 30" the channel
// receives nothing until 30 seconds have passed (virtual time), then finishes.
func TestRetryAfterPausesTheChannel(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram}, "all")
		f.approve(created)
		f.subscribers(content.Telegram, 300)
		var limitedAt time.Time
		ch := &testChannel{answer: func(n int, m channels.Message) error {
			if n == 40 {
				limitedAt = time.Now()
				return channels.RateLimited(errors.New("Too Many Requests: retry after 30"), 30*time.Second)
			}
			return nil
		}, delay: 100 * time.Millisecond}
		f.dispatching(ch, scheduler.DispatchConfig{Workers: 4, InFlight: 16}, 5*time.Minute)
		if limitedAt.IsZero() {
			t.Fatal("the channel never answered 429")
		}
		var early, after int
		for _, c := range ch.snapshot() {
			switch {
			case c.at.After(limitedAt) && c.at.Before(limitedAt.Add(30*time.Second)):
				early++
			case !c.at.Before(limitedAt.Add(30 * time.Second)):
				after++
			}
		}
		if early > 0 {
			t.Errorf("%d requests arrived during the 30 s pause", early)
		}
		if after == 0 {
			t.Error("nothing was sent after the pause")
		}
		run := f.runs()[0]
		c := f.counts(run.ID)[content.Telegram]
		if c[scheduler.Sent] != 300 {
			t.Errorf("ledger after the pause: %v", c)
		}
		ds, _ := f.db.Deliveries(f.ctx, scheduler.DeliveryFilter{RunID: run.ID})
		for _, d := range ds {
			if d.Attempts != 1 {
				t.Fatalf("delivery %d counts %d attempts; a rate limit is not a failed attempt", d.ID, d.Attempts)
			}
		}
	})
}

func TestErrorsDecideTheOutcome(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram}, "all")
		f.approve(created)
		var subs []residents.Subscriber
		for _, id := range []string{"ok-1", "gone-1", "bad-1", "flaky-1", "ok-2", "skip-1"} {
			subs = append(subs, residents.Subscriber{Channel: content.Telegram, ExternalID: id, ConsentAt: created})
		}
		f.db.AddSubscribers(f.ctx, subs, "test", created)
		ch := &testChannel{answer: func(_ int, m channels.Message) error {
			switch {
			case strings.HasPrefix(m.Recipient, "gone"):
				return channels.Gone(errors.New("Forbidden: bot was blocked by the user"))
			case strings.HasPrefix(m.Recipient, "bad"):
				return channels.Permanent(errors.New("Bad Request: chat not found"))
			case strings.HasPrefix(m.Recipient, "flaky"):
				return errors.New("502 Bad Gateway")
			case strings.HasPrefix(m.Recipient, "skip"):
				return channels.Skip(errors.New("zalo error -230: User has not interacted with the OA in the past 7 days"))
			}
			return nil
		}}
		cfg := scheduler.DispatchConfig{MaxAttempts: 4, RetryBase: 10 * time.Second, RetryMax: time.Minute}
		f.dispatching(ch, cfg, 10*time.Minute)

		states := map[string]scheduler.DeliveryState{}
		ds, _ := f.db.Deliveries(f.ctx, scheduler.DeliveryFilter{})
		for _, d := range ds {
			states[d.Recipient] = d.State
		}
		want := map[string]scheduler.DeliveryState{"ok-1": scheduler.Sent, "ok-2": scheduler.Sent, "gone-1": scheduler.Blocked,
			"bad-1": scheduler.Failed, "flaky-1": scheduler.Dead, "skip-1": scheduler.Skipped}
		for r, w := range want {
			if states[r] != w {
				t.Errorf("%s is %s, want %s", r, states[r], w)
			}
		}
		// The flaky recipient was tried 4 times, each wait about double the last (±20%).
		var tries []time.Time
		for _, c := range ch.snapshot() {
			if c.recipient == "flaky-1" {
				tries = append(tries, c.at)
			}
		}
		if len(tries) != 4 {
			t.Fatalf("flaky recipient tried %d times, want 4", len(tries))
		}
		for i, base := range []time.Duration{10 * time.Second, 20 * time.Second, 40 * time.Second} {
			gap := tries[i+1].Sub(tries[i])
			if gap < base*8/10-time.Second || gap > base*12/10+time.Second {
				t.Errorf("wait before try %d was %s, want about %s", i+2, gap, base)
			}
		}
		for _, d := range ds {
			if d.Recipient == "skip-1" && !strings.Contains(d.Error, "-230") {
				t.Errorf("skipped without its reason: %q", d.Error)
			}
		}
		// The blocked subscriber is never tried again: a new run skips them.
		n, _ := f.db.CountAudience(f.ctx, content.Telegram, "")
		if n != 5 {
			t.Errorf("audience after a block is %d, want 4", n)
		}
	})
}

func TestRateLimitSpacesSends(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram}, "all")
		f.approve(created)
		f.subscribers(content.Telegram, 100)
		ch := &testChannel{}
		f.dispatching(ch, scheduler.DispatchConfig{Rates: map[content.Channel]float64{content.Telegram: 10}}, time.Minute)
		calls := ch.snapshot()
		if len(calls) != 100 {
			t.Fatalf("%d sends", len(calls))
		}
		// 10 a second with a burst of 2: the 100th send comes 9.8 s after the first.
		if took := calls[99].at.Sub(calls[0].at); took < 9500*time.Millisecond || took > 11*time.Second {
			t.Errorf("100 sends at 10/s took %s", took)
		}
	})
}

func TestCrashLeavesUnknownNeverResent(t *testing.T) {
	f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram}, "all")
	f.approve(created)
	f.subscribers(content.Telegram, 20)
	now := localTime("2026-11-25 07:30")
	f.scheduler().RunOnce(f.ctx, now)
	// A dispatcher claimed 5 and died before recording.
	claimed, err := f.db.Claim(f.ctx, content.Telegram, 5, now)
	if err != nil || len(claimed) != 5 {
		t.Fatalf("claim: %d %v", len(claimed), err)
	}
	n, err := f.db.RecoverSending(f.ctx, now.Add(time.Minute))
	if err != nil || n != 5 {
		t.Fatalf("recovered %d, %v", n, err)
	}
	again, _ := f.db.Claim(f.ctx, content.Telegram, 100, now.Add(time.Minute))
	for _, c := range again {
		for _, old := range claimed {
			if c.ID == old.ID {
				t.Fatalf("unknown delivery %d was claimed again", c.ID)
			}
		}
	}
	if len(again) != 15 {
		t.Errorf("claimed %d of the rest, want 15", len(again))
	}
	run := f.runs()[0]
	resent, err := f.db.Resend(f.ctx, run.ID, scheduler.Unknown, "officer", now.Add(2*time.Minute))
	if err != nil || resent != 5 {
		t.Errorf("resend: %d %v", resent, err)
	}
	log, _ := f.db.Audit(f.ctx, "run", run.ID)
	if len(log) != 1 || log[0].Actor != "officer" || log[0].Action != "resend" {
		t.Errorf("resend not audited: %+v", log)
	}
}

// TestShutdownDrains: on shutdown in-flight sends may finish until the drain
// deadline; one still hanging then is recorded unknown (it may have gone out).
func TestShutdownDrains(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram}, "all")
		f.approve(created)
		f.db.AddSubscribers(f.ctx, []residents.Subscriber{
			{Channel: content.Telegram, ExternalID: "slow", ConsentAt: created},
			{Channel: content.Telegram, ExternalID: "hang", ConsentAt: created},
		}, "test", created)
		hang := scheduler.SenderFunc(func(ctx context.Context, m channels.Message) (string, error) {
			wait := 3 * time.Second
			if m.Recipient == "hang" {
				wait = time.Hour
			}
			select {
			case <-time.After(wait):
				return "ok", nil
			case <-ctx.Done():
				return "", ctx.Err()
			}
		})
		s := f.scheduler()
		disp := scheduler.NewDispatcher(f.db, map[content.Channel]scheduler.Sender{content.Telegram: hang}, s.Render,
			scheduler.DispatchConfig{Drain: 10 * time.Second}, quiet, nil, time.Now)
		ctx, cancel := context.WithCancel(f.ctx)
		done := make(chan time.Time)
		go func() { disp.Run(ctx); done <- time.Now() }()
		s.RunOnce(f.ctx, time.Now())
		disp.Kick()
		time.Sleep(time.Second) // both sends are in flight
		stopped := time.Now()
		cancel()
		if took := (<-done).Sub(stopped); took != 10*time.Second {
			t.Errorf("shutdown took %s, want the 10 s drain", took)
		}
		states := map[string]scheduler.DeliveryState{}
		ds, _ := f.db.Deliveries(f.ctx, scheduler.DeliveryFilter{})
		for _, d := range ds {
			states[d.Recipient] = d.State
		}
		if states["slow"] != scheduler.Sent || states["hang"] != scheduler.Unknown {
			t.Errorf("after shutdown: %v", states)
		}
	})
}

// TestOutagePausesInsteadOfBurningAttempts: the provider fails every send
// for ten minutes (an outage, not bad recipients). The channel is paused and
// probed instead of counting each failure, so no delivery goes dead; when
// the provider is back, everyone gets the message once.
func TestOutagePausesInsteadOfBurningAttempts(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram}, "all")
		f.approve(created)
		f.subscribers(content.Telegram, 200)
		back := time.Now().Add(10 * time.Minute)
		ch := &testChannel{answer: func(n int, m channels.Message) error {
			if time.Now().Before(back) {
				return errors.New("502 Bad Gateway")
			}
			return nil
		}, delay: 50 * time.Millisecond}
		f.dispatching(ch, scheduler.DispatchConfig{Workers: 4, MaxAttempts: 3, RetryBase: 30 * time.Second, RetryMax: 5 * time.Minute}, 30*time.Minute)
		calls := ch.snapshot()
		var during int
		for _, c := range calls {
			if c.at.Before(back) {
				during++
			}
		}
		// Ten minutes probed every 30 s: a handful of failed sends, not 200 × 3.
		if during > 8+4*int(10*time.Minute/(30*time.Second)) {
			t.Errorf("%d sends during the outage: the channel was not paused", during)
		}
		run := f.runs()[0]
		c := f.counts(run.ID)[content.Telegram]
		if c[scheduler.Sent] != 200 || c[scheduler.Dead] != 0 {
			t.Errorf("ledger after the outage: %v; want 200 sent, none dead", c)
		}
		seen := map[string]int{}
		for _, c := range calls {
			if !c.at.Before(back) {
				seen[c.recipient]++
			}
		}
		for r, n := range seen {
			if n != 1 {
				t.Errorf("%s received %d times after the outage", r, n)
			}
		}
	})
}
