package zalo_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	_ "github.com/mattn/go-sqlite3"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

// broadcast queues one approved message to n followers and returns what a
// dispatcher needs; the bubble's clock starts at start.
type broadcast struct {
	srv    *zalotest.Server
	db     *store.DB
	client *zalo.Client
	sched  *scheduler.Scheduler
	logs   *bytes.Buffer
	path   string
}

func newBroadcast(t *testing.T, n int) *broadcast {
	ctx := context.Background()
	now := time.Now()
	b := &broadcast{logs: &bytes.Buffer{}, path: filepath.Join(t.TempDir(), "loa.db")}
	b.srv = zalotest.New(zalotest.Options{AppID: "1234", AppSecret: "app-secret-S3CR3T", OASecret: "oa-secret-S3CR3T"})
	b.db = storetest.OpenAt(t, b.path, now)
	c := storetest.ActionMonth(t, b.db, now)
	m := storetest.Approved(t, b.db, c, "k", "Tháng hành động", content.Variants{Zalo: "Hưởng ứng {{.Ward}}"}, now)
	var subs []residents.Subscriber
	for i := 1; i <= n; i++ {
		id := fmt.Sprint(100000 + i)
		b.srv.AddUser(zalotest.User{ID: id, Follower: true})
		subs = append(subs, residents.Subscriber{Channel: content.Zalo, ExternalID: id, ConsentAt: now, ConsentSource: "zalo:follow"})
	}
	b.db.AddSubscribers(ctx, subs, "test", now)
	access, refresh := b.srv.IssueTokens()
	b.db.SaveZaloTokens(ctx, zalo.Tokens{Access: access, Refresh: refresh, AccessExpires: now.Add(25 * time.Hour), RefreshExpires: now.AddDate(0, 3, 0)}, now)
	b.db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindAt, Spec: now.In(content.Zone).Format("2006-01-02 15:04"),
		Channels: []content.Channel{content.Zalo}, Audience: "all", MessageIDs: []int64{m.ID}}, "t", now.Add(-time.Hour))
	log := slog.New(slog.NewTextHandler(b.logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	b.client = zalo.New(zalo.Config{AppID: "1234", AppSecret: "app-secret-S3CR3T", OAuthBase: "http://zalo.test", APIBase: "http://zalo.test",
		HTTP: &http.Client{Transport: b.srv.Transport()}, Tokens: tokens{b.db}, Now: time.Now, Log: log})
	b.sched = scheduler.New(b.db, scheduler.Config{Renderer: content.Renderer{Ward: "phường Lưu Kiếm"}}, log, nil, nil)
	return b
}

// run sends for d of virtual time at Loa's default Zalo rate.
func (b *broadcast) run(t *testing.T, d time.Duration, during func()) map[scheduler.DeliveryState]int {
	ctx, stop := context.WithCancel(context.Background())
	disp := scheduler.NewDispatcher(b.db, map[content.Channel]scheduler.Sender{content.Zalo: b.client}, b.sched.Render,
		scheduler.DispatchConfig{Rates: map[content.Channel]float64{content.Zalo: 60}, Workers: 4, InFlight: 64, RetryBase: 5 * time.Second,
			RetryMax: time.Minute, MaxAttempts: 10}, slog.New(slog.NewTextHandler(b.logs, nil)), nil, time.Now)
	done := make(chan struct{})
	go func() { disp.Run(ctx); close(done) }()
	if _, err := b.sched.RunOnce(context.Background(), time.Now()); err != nil {
		t.Fatal(err)
	}
	disp.Kick()
	if during != nil {
		during()
	}
	time.Sleep(d)
	stop()
	<-done
	c, _ := b.db.DeliveryCounts(context.Background(), 0)
	return c[content.Zalo]
}

func atNine(t *testing.T, body func(t *testing.T)) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(time.Date(2026, 11, 28, 2, 0, 30, 0, time.UTC))) // 09:00:30 in Hải Phòng
		body(t)
	})
}

func TestBigBroadcastThroughFaultsDeliversEachOnce(t *testing.T) {
	atNine(t, func(t *testing.T) {
		const n = 10000
		b := newBroadcast(t, n)
		b.srv.Fail(-32, 502, 502, -32, 502, -32, 502, 502) // each -32 pauses the channel a minute
		counts := b.run(t, 15*time.Minute, nil)
		seen := map[string]int{}
		for _, s := range b.srv.Sent() {
			seen[s.UserID]++
		}
		if counts[scheduler.Sent] != n || len(seen) != n {
			t.Fatalf("ledger %v; %d followers reached of %d", counts, len(seen), n)
		}
		for id, k := range seen {
			if k != 1 {
				t.Fatalf("%s received %d times", id, k)
			}
		}
	})
}

func TestBurnedRefreshTokenPausesThenGoesOutOnce(t *testing.T) {
	atNine(t, func(t *testing.T) {
		b := newBroadcast(t, 50)
		b.srv.ExpireAccessTokens()
		b.srv.RevokeRefreshTokens() // someone used it elsewhere: the chain is burned
		var reauthorized bool
		counts := b.run(t, 2*time.Hour, func() {
			time.Sleep(10 * time.Minute)
			synctest.Wait()
			if got := len(b.srv.Sent()); got != 0 {
				t.Errorf("%d sent without tokens", got)
			}
			c, _ := b.db.DeliveryCounts(context.Background(), 0)
			if c[content.Zalo][scheduler.Queued] != 50 {
				t.Errorf("while waiting for authorization: %v", c[content.Zalo])
			}
			// An OA admin runs `loa zalo auth --code` (another process, same database).
			other := zalo.New(zalo.Config{AppID: "1234", AppSecret: "app-secret-S3CR3T", OAuthBase: "http://zalo.test", APIBase: "http://zalo.test",
				HTTP: &http.Client{Transport: b.srv.Transport()}, Tokens: tokens{b.db}, Now: time.Now})
			if err := other.Exchange(context.Background(), b.srv.IssueCode(), strings.Repeat("v", 43)); err != nil {
				t.Fatal(err)
			}
			reauthorized = true
		})
		if !reauthorized || counts[scheduler.Sent] != 50 {
			t.Fatalf("after re-authorization: %v", counts)
		}
		seen := map[string]int{}
		for _, s := range b.srv.Sent() {
			seen[s.UserID]++
		}
		for id, k := range seen {
			if k != 1 {
				t.Errorf("%s received %d times", id, k)
			}
		}
		if !strings.Contains(b.logs.String(), "re-authorization") {
			t.Error("the pause was not explained in the log")
		}
	})
}

func TestNightRunGoesOutAtSix(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		time.Sleep(time.Until(time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC))) // 22:30 in Hải Phòng
		b := newBroadcast(t, 20)
		b.run(t, 8*time.Hour, nil)
		sent := b.srv.Sent()
		if len(sent) != 20 {
			t.Fatalf("%d sent", len(sent))
		}
		// 06:00 by Loa's clock and a 2-minute margin for Zalo's.
		if first := sent[0].At.In(content.Zone); first.Hour() != 6 || first.Minute() != 2 {
			t.Errorf("the first message went at %s, want 06:02", first.Format("15:04:05 02/01"))
		}
	})
}

// TestSecretsStayOut: the app secret, OA secret and tokens are in no log
// line and no error, and the tokens are in no table but zalo_tokens.
func TestSecretsStayOut(t *testing.T) {
	atNine(t, func(t *testing.T) {
		b := newBroadcast(t, 30)
		b.srv.Fail(-216, 502, -32, -213, -201)
		b.srv.ExpireAccessTokens()
		b.run(t, 10*time.Minute, nil)
		tok, _, _ := b.db.ZaloTokens(context.Background())
		secrets := []string{"app-secret-S3CR3T", "oa-secret-S3CR3T", tok.Access, tok.Refresh}
		ds, _ := b.db.Deliveries(context.Background(), scheduler.DeliveryFilter{})
		var errs strings.Builder
		for _, d := range ds {
			errs.WriteString(d.Error + "\n")
		}
		for _, s := range secrets {
			if strings.Contains(b.logs.String(), s) || strings.Contains(errs.String(), s) {
				t.Errorf("a secret (%.6s…) is in the logs or the ledger's errors", s)
			}
		}
		// Every table but zalo_tokens, every text column.
		raw, _ := sql.Open("sqlite3", "file:"+b.path+"?mode=ro")
		defer raw.Close()
		rows, _ := raw.Query(`SELECT name FROM sqlite_master WHERE type = 'table' AND name != 'zalo_tokens'`)
		var tables []string
		for rows.Next() {
			var n string
			rows.Scan(&n)
			tables = append(tables, n)
		}
		rows.Close()
		for _, table := range tables {
			r, err := raw.Query(`SELECT * FROM ` + table)
			if err != nil {
				t.Fatal(err)
			}
			cols, _ := r.Columns()
			vals := make([]any, len(cols))
			ptrs := make([]any, len(cols))
			for i := range vals {
				ptrs[i] = &vals[i]
			}
			for r.Next() {
				r.Scan(ptrs...)
				for _, v := range vals {
					for _, s := range secrets[2:] {
						if str, ok := v.([]byte); ok && bytes.Contains(str, []byte(s)) || fmt.Sprint(v) == s {
							t.Errorf("a token is in table %s", table)
						}
					}
				}
			}
			r.Close()
		}
	})
}

// TestDailyQuotaWaitsForTomorrow: followers who already got today's
// promotion answer -218; their deliveries wait for the next day (one call
// each, no retries, none dead) and go out the next morning, once.
func TestDailyQuotaWaitsForTomorrow(t *testing.T) {
	atNine(t, func(t *testing.T) {
		const n = 30
		b := newBroadcast(t, n)
		b.srv.SetPromotionsPerUserDay(1)
		for i := 1; i <= n; i++ { // an earlier message today used each follower's quota
			m := channels.Message{DeliveryID: int64(-i), Channel: content.Zalo, Recipient: fmt.Sprint(100000 + i), Title: "Sáng nay", Text: "x"}
			if _, err := b.client.Send(context.Background(), m); err != nil {
				t.Fatal(err)
			}
		}
		today := len(b.srv.Sent())
		counts := b.run(t, 24*time.Hour, nil)
		if counts[scheduler.Sent] != n || counts[scheduler.Dead] != 0 {
			t.Fatalf("ledger: %v; want %d sent the next day, none dead", counts, n)
		}
		sent := b.srv.Sent()[today:]
		for _, s := range sent {
			if at := s.At.In(content.Zone); at.Day() != 29 || at.Hour() < 6 {
				t.Errorf("a message went at %s, before the follower's next day", at.Format("15:04 02/01"))
			}
		}
		if len(sent) != n {
			t.Errorf("%d messages for %d followers", len(sent), n)
		}
		ds, _ := b.db.Deliveries(context.Background(), scheduler.DeliveryFilter{Channel: content.Zalo})
		for _, d := range ds {
			if d.Attempts != 1 {
				t.Errorf("delivery %d took %d attempts; waiting out a quota is not a failure", d.ID, d.Attempts)
			}
		}
	})
}

// sentOnceEach runs b for d and checks that each of its n followers got the
// message exactly once, none dead; it returns the rate from first to last.
func sentOnceEach(t *testing.T, b *broadcast, n int, d time.Duration) (rate float64, took time.Duration) {
	t.Helper()
	counts := b.run(t, d, nil)
	sent := b.srv.Sent()
	if counts[scheduler.Sent] != n || counts[scheduler.Dead] != 0 || len(sent) != n {
		t.Fatalf("ledger %v, %d received", counts, len(sent))
	}
	seen := map[string]bool{}
	for _, s := range sent {
		if seen[s.UserID] {
			t.Fatalf("%s received twice", s.UserID)
		}
		seen[s.UserID] = true
	}
	took = sent[n-1].At.Sub(sent[0].At)
	return float64(n) / took.Seconds(), took
}

// TestRateLimitSlowsDownInsteadOfStopping: the OA may make 600 calls a
// clock minute and Loa is set to 60/s. Each -32 lowers Loa's rate, which
// ramps back up; the broadcast never stops for a minute, and each follower
// gets the message once.
func TestRateLimitSlowsDownInsteadOfStopping(t *testing.T) {
	atNine(t, func(t *testing.T) {
		const n = 1200
		b := newBroadcast(t, n)
		b.srv.SetPerMinute(600)
		rate, took := sentOnceEach(t, b, n, 5*time.Minute)
		t.Logf("%d messages in %s (%.1f/s against 600 a minute)", n, took.Round(time.Second), rate)
		if rate < 5 {
			t.Errorf("%.1f/s: -32 stopped the channel instead of slowing it", rate)
		}
	})
}

// TestScattered32KeepsTheRate: with 5 % of calls answered -32 (below the
// published limit), the channel slows a little and ramps back: it runs near
// its rate without -32 instead of stopping a minute per -32.
func TestScattered32KeepsTheRate(t *testing.T) {
	const n = 1200
	var clean float64
	for _, every := range []int{0, 20} {
		atNine(t, func(t *testing.T) {
			b := newBroadcast(t, n)
			b.srv.Fail32Every(every)
			rate, took := sentOnceEach(t, b, n, 10*time.Minute)
			if every == 0 {
				clean = rate
				t.Logf("%d messages in %s without -32 (%.1f/s; Loa's rate 60/s)", n, took.Round(time.Second), rate)
				return
			}
			t.Logf("%d messages in %s with 5%% -32 (%.1f/s)", n, took.Round(time.Second), rate)
			if rate < 0.6*clean {
				t.Errorf("%.1f/s against %.1f/s without: scattered -32 answers stalled the channel", rate, clean)
			}
		})
	}
}

// TestSyncOfManyFollowers: a sync pages through the followers at Loa's 60
// calls a second while 2 % of calls answer -32, is interrupted after 10,000
// and resumes where it stopped; every follower is recorded, by id only
// unless they consented (a quarter here, named then), and a second pass
// fetches no details again. 12,000 followers in make test;
// LOA_FOLLOWERS=50000 for the figure in the README (about a minute).
func TestSyncOfManyFollowers(t *testing.T) {
	n := 12000
	if v, err := strconv.Atoi(os.Getenv("LOA_FOLLOWERS")); err == nil && v > 10000 {
		n = v
	}
	atNine(t, func(t *testing.T) {
		ctx := context.Background()
		b := newBroadcast(t, 0)
		for i := 1; i <= n; i++ {
			b.srv.AddUser(zalotest.User{ID: fmt.Sprint(500000 + i), Name: fmt.Sprintf("Cư dân %d", i), Follower: true})
		}
		for i := 4; i <= n; i += 4 { // they answered the welcome: DONGY
			if err := b.db.Residents(content.Zalo).Subscribe(ctx, fmt.Sprint(500000+i), "", "vi", "zalo:dongy", content.Topics, time.Now()); err != nil {
				t.Fatal(err)
			}
		}
		b.srv.Fail32Every(50)
		budget := channels.NewBudget(60, time.Now)
		client := zalo.New(zalo.Config{AppID: "1234", AppSecret: "app-secret-S3CR3T", OAuthBase: "http://zalo.test", APIBase: "http://zalo.test",
			HTTP: &http.Client{Transport: b.srv.Transport()}, Tokens: tokens{b.db}, Now: time.Now, Log: quiet, Budget: budget})
		next, recorded := 0, 0
		page := func(fs []zalo.Follower, nxt int) error {
			seen := make([]residents.Follower, len(fs))
			for i, f := range fs {
				seen[i] = residents.Follower{UserID: f.UserID, Name: f.Name}
			}
			recorded += len(fs)
			next = nxt
			if recorded == 10000 && nxt != 0 {
				if err := b.db.RecordFollowers(ctx, seen, "zalo:follow", time.Now()); err != nil {
					return err
				}
				return errors.New("the daemon stops")
			}
			return b.db.RecordFollowers(ctx, seen, "zalo:follow", time.Now())
		}
		start := time.Now()
		if err := client.Followers(ctx, zalo.Sync{Details: b.db.FollowersToAsk, Page: page}); err == nil || next != 10000 {
			t.Fatalf("the interrupted sync: %v, next %d", err, next)
		}
		if err := client.Followers(ctx, zalo.Sync{From: next, Details: b.db.FollowersToAsk, Page: page}); err != nil {
			t.Fatal(err)
		}
		took := time.Since(start)
		subs, err := b.db.Subscribers(ctx, content.Zalo)
		if err != nil {
			t.Fatal(err)
		}
		named := 0
		for _, s := range subs {
			if s.Name != "" {
				named++
				if s.ConsentAt.IsZero() {
					t.Fatalf("the name of a follower who did not consent was kept: %+v", s)
				}
			}
		}
		if len(subs) != n || named != n/4 || recorded != n {
			t.Fatalf("%d followers recorded (%d named, %d passed on), want %d (%d named)", len(subs), named, recorded, n, n/4)
		}
		t.Logf("%d followers in %s of virtual time, through %d answers of -32", n, took.Round(time.Second), n/50)
		calls := b.srv.Calls()
		if err := client.Followers(ctx, zalo.Sync{Details: b.db.FollowersToAsk, Page: func([]zalo.Follower, int) error { return nil }}); err != nil {
			t.Fatal(err)
		}
		if again := b.srv.Calls() - calls; again > n/50+n/50/40+5 {
			t.Errorf("a second sync made %d calls: details were fetched again", again)
		}
	})
}
