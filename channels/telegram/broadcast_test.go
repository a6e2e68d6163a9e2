package telegram_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// broadcast sends one approved message to n started users through the real
// scheduler, dispatcher and SQLite ledger, for d of virtual time, and
// returns the server and the ledger's counts.
func broadcast(t *testing.T, n int, rate float64, d time.Duration, setup func(*telegramtest.Server)) (*telegramtest.Server, map[scheduler.DeliveryState]int, *store.DB) {
	t.Helper()
	ctx := context.Background()
	srv := telegramtest.New(telegramtest.Options{Token: token})
	db := audience(t, srv, n, "Xin chào <bà con> & {{.Ward}}", srv.Say)
	if setup != nil {
		setup(srv)
	}
	client := newClient(t, srv, nil)
	sched := scheduler.New(db, scheduler.Config{Renderer: content.Renderer{Ward: "phường Lưu Kiếm"}}, quiet, nil, nil)
	disp := scheduler.NewDispatcher(db, map[content.Channel]scheduler.Sender{content.Telegram: client}, sched.Render,
		scheduler.DispatchConfig{Rates: map[content.Channel]float64{content.Telegram: rate}, Workers: 4, InFlight: 32,
			RetryBase: 5 * time.Second, RetryMax: time.Minute, MaxAttempts: 8}, quiet, nil, time.Now)
	runCtx, stop := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() { disp.Run(runCtx); close(done) }()
	if _, err := sched.RunOnce(ctx, time.Now()); err != nil {
		t.Fatal(err)
	}
	disp.Kick()
	time.Sleep(d)
	stop()
	<-done
	counts, _ := db.DeliveryCounts(ctx, 0)
	return srv, counts[content.Telegram], db
}

// audience makes n users of srv who pressed Start (by start: Say for a
// pending /start update, or Started for one long ago) and consented, and a
// run due now sending text to all of them; it returns the database.
func audience(t *testing.T, srv *telegramtest.Server, n int, text string, start func(int64, string)) *store.DB {
	t.Helper()
	ctx := context.Background()
	now := time.Now()
	db := storetest.Open(t, now)
	c := storetest.ActionMonth(t, db, now)
	m := storetest.Approved(t, db, c, "k", "T", content.Variants{Telegram: text}, now)
	var subs []residents.Subscriber
	for i := 1; i <= n; i++ {
		srv.AddUser(int64(i), "U", "vi")
		start(int64(i), "/start")
		subs = append(subs, residents.Subscriber{Channel: content.Telegram, ExternalID: fmt.Sprint(i), ConsentAt: now, ConsentSource: "bot"})
	}
	if err := db.AddSubscribers(ctx, subs, "test", now); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindAt, Spec: now.In(content.Zone).Format("2006-01-02 15:04"),
		Channels: []content.Channel{content.Telegram}, Audience: "all", MessageIDs: []int64{m.ID}}, "t", now.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	return db
}

// newClient connects a client to srv in memory, in budget (nil: its own).
func newClient(t *testing.T, srv *telegramtest.Server, budget *channels.Budget) *telegram.Client {
	t.Helper()
	client, err := telegram.New(telegram.Config{Token: token, Endpoint: "http://telegram.test/bot%s/%s",
		HTTP: &http.Client{Transport: srv.Transport(), Timeout: time.Minute}, Budget: budget, Log: quiet})
	if err != nil {
		t.Fatal(err)
	}
	return client
}

// runBot runs the resident bot on client over db until the returned stop.
func runBot(client *telegram.Client, db *store.DB) (stop func()) {
	bot := telegram.NewBot(client, db.Residents(content.Telegram), "phường Lưu Kiếm", quiet, time.Now)
	ctx, cancel := context.WithCancel(context.Background())
	done := make(chan struct{})
	go func() { bot.Run(ctx); close(done) }()
	return func() { cancel(); <-done }
}

// inBubble starts the bubble's clock on 28/11/2026.
func inBubble(t *testing.T, body func(t *testing.T)) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(time.Date(2026, 11, 28, 2, 0, 30, 0, time.UTC)))
		body(t)
	})
}

func TestBroadcastUnderDefaultLimitsGetsNo429(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		const n = 5000
		srv, counts, _ := broadcast(t, n, 25, 5*time.Minute, nil) // 25/s: Loa's default
		sent := srv.Sent()
		if counts[scheduler.Sent] != n || len(sent) != n {
			t.Fatalf("ledger %v, server accepted %d of %d", counts, len(sent), n)
		}
		// getMe + 5,000 sends: not one request was refused with 429.
		if r := srv.Requests(); r != n+1 {
			t.Errorf("%d requests for %d messages: some were refused", r, n)
		}
		seen := map[int64]bool{}
		for _, s := range sent {
			if seen[s.ChatID] {
				t.Fatalf("chat %d got the message twice", s.ChatID)
			}
			seen[s.ChatID] = true
			if s.Text != "Xin chào <bà con> & phường Lưu Kiếm" {
				t.Fatalf("text arrived as %q", s.Text)
			}
		}
		took := sent[n-1].At.Sub(sent[0].At)
		t.Logf("5,000 messages in %s of virtual time (%.1f/s)", took, float64(n-1)/took.Seconds())
	})
}

func TestFaultsLoseNothingAndDoubleNothing(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		const n = 600
		srv, counts, db := broadcast(t, n, 25, 10*time.Minute, func(s *telegramtest.Server) {
			s.Inject(telegramtest.Fault{Kind: telegramtest.Fault429, Count: 30, RetryAfter: 3}) // a storm
			s.Inject(telegramtest.Fault{Kind: telegramtest.Fault500, Count: 20})
			s.Inject(telegramtest.Fault{Kind: telegramtest.Fault502HTML, Count: 20})
			s.Inject(telegramtest.Fault{Kind: telegramtest.FaultRefuse, Count: 20})    // nothing left: retried
			s.Inject(telegramtest.Fault{Kind: telegramtest.FaultDrop, Count: 20})      // left, not taken, no answer
			s.Inject(telegramtest.Fault{Kind: telegramtest.FaultDropAfter, Count: 20}) // taken, then no answer
			s.Inject(telegramtest.Fault{Kind: telegramtest.FaultSlow, Count: 20, Delay: 2 * time.Second})
			s.Block(597) // late in the queue: their sends meet no injected fault
			s.Block(598)
		})
		seen := map[int64]int{}
		for _, s := range srv.Sent() {
			seen[s.ChatID]++
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("chat %d received %d times", id, k)
			}
		}
		// A request that left and lost its answer is unknown, whether the
		// server took it or not: never resent by itself.
		if len(seen) != n-2-20 || counts[scheduler.Sent] != n-2-40 || counts[scheduler.Unknown] != 40 || counts[scheduler.Blocked] != 2 {
			t.Errorf("received by %d, ledger %v; want %d received, %d sent, 40 unknown and 2 blocked", len(seen), counts, n-22, n-42)
		}
		// Blocked users are marked and left out of the next broadcast.
		if a, _ := db.CountAudience(context.Background(), content.Telegram, ""); a != n-2 {
			t.Errorf("audience after blocks: %d", a)
		}
	})
}

// A resident who blocked the bot and sends /start again receives again.
func TestUnblockedResidentReceivesAgain(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		srv, counts, db := broadcast(t, 3, 25, time.Minute, func(s *telegramtest.Server) { s.Block(2) })
		if counts[scheduler.Blocked] != 1 {
			t.Fatalf("ledger %v; want one blocked", counts)
		}
		ctx := context.Background()
		if a, _ := db.CountAudience(ctx, content.Telegram, ""); a != 2 {
			t.Fatalf("audience after the block: %d", a)
		}
		stop := runBot(newClient(t, srv, nil), db)
		srv.Say(2, "/start")
		time.Sleep(5 * time.Second)
		synctest.Wait()
		stop()
		if a, _ := db.CountAudience(ctx, content.Telegram, ""); a != 3 {
			t.Errorf("audience after /start again: %d, want 3", a)
		}
	})
}

// TestStormWhileResidentsPressStart: a broadcast at Loa's default 25/s, a
// 429 storm, and 150 residents pressing /start meanwhile. The bot's answers
// and the broadcast share one budget: no request comes inside an announced
// retry_after, every resident is answered, and the broadcast finishes.
func TestStormWhileResidentsPressStart(t *testing.T) {
	inBubble(t, func(t *testing.T) {
		const n, newcomers = 1500, 150
		ctx := context.Background()
		start := time.Now()
		srv := telegramtest.New(telegramtest.Options{Token: token})
		db := audience(t, srv, n, "Xin chào {{.Ward}}", func(id int64, _ string) { srv.Started(id) })
		budget := channels.NewBudget(25, time.Now)
		client := newClient(t, srv, budget)
		sched := scheduler.New(db, scheduler.Config{Renderer: content.Renderer{Ward: "phường Lưu Kiếm"}}, quiet, nil, nil)
		disp := scheduler.NewDispatcher(db, map[content.Channel]scheduler.Sender{content.Telegram: client}, sched.Render,
			scheduler.DispatchConfig{Budgets: map[content.Channel]*channels.Budget{content.Telegram: budget}, Workers: 4,
				RetryBase: 5 * time.Second, RetryMax: time.Minute}, quiet, nil, time.Now)
		runCtx, stop := context.WithCancel(ctx)
		var wg sync.WaitGroup
		wg.Go(func() { disp.Run(runCtx) })
		stopBot := runBot(client, db)
		if _, err := sched.RunOnce(ctx, time.Now()); err != nil {
			t.Fatal(err)
		}
		disp.Kick()
		time.Sleep(2 * time.Second)
		srv.Inject(telegramtest.Fault{Kind: telegramtest.Fault429, Count: 5, RetryAfter: 7})
		for i := 1; i <= newcomers; i++ { // a block meeting scans the QR code together
			id := int64(100000 + i)
			srv.AddUser(id, "Mới", "vi")
			srv.Say(id, "/start")
			time.Sleep(100 * time.Millisecond)
		}
		time.Sleep(4 * time.Minute)
		stop()
		wg.Wait()
		stopBot()

		if v := srv.Violations(); v != 0 {
			t.Errorf("%d requests came inside an announced retry_after", v)
		}
		answered := map[int64]bool{}
		received := map[int64]int{}
		var last time.Time
		for _, s := range srv.Sent() {
			if s.ChatID > 100000 && strings.Contains(s.Text, "Bạn có đồng ý để") {
				answered[s.ChatID] = true
			}
			if s.ChatID <= n {
				received[s.ChatID]++
				last = s.At
			}
		}
		if len(answered) != newcomers {
			t.Errorf("%d of %d residents who pressed /start were answered", len(answered), newcomers)
		}
		counts, _ := db.DeliveryCounts(ctx, 0)
		if counts[content.Telegram][scheduler.Sent] != n || len(received) != n {
			t.Errorf("broadcast: ledger %v, %d residents received it", counts[content.Telegram], len(received))
		}
		for id, k := range received {
			if k != 1 {
				t.Errorf("chat %d received %d times", id, k)
			}
		}
		t.Logf("%d messages and %d answers in %s of virtual time (%.1f/s overall)", n, newcomers, last.Sub(start).Round(time.Second),
			float64(n+newcomers)/last.Sub(start).Seconds())
	})
}
