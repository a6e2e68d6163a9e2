package zalo_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// tokens keeps the client's tokens in a real SQLite store.
type tokens struct{ db *store.DB }

func (t tokens) ZaloTokens(ctx context.Context) (zalo.Tokens, bool, error) {
	s, ok, err := t.db.ZaloTokens(ctx)
	return zalo.Tokens(s), ok, err
}
func (t tokens) SaveZaloTokens(ctx context.Context, z zalo.Tokens, now time.Time) error {
	return t.db.SaveZaloTokens(ctx, zalo.Tokens(z), now)
}
func (t tokens) MarkZaloReauth(ctx context.Context, why string) error {
	return t.db.MarkZaloReauth(ctx, why)
}

func (t tokens) BeginZaloRefresh(ctx context.Context, refresh string, now time.Time, hold time.Duration) (bool, error) {
	return t.db.BeginZaloRefresh(ctx, refresh, now, hold)
}

type fixture struct {
	srv    *zalotest.Server
	db     *store.DB
	client *zalo.Client
	now    time.Time
	mu     sync.Mutex
}

func (f *fixture) clock() time.Time { f.mu.Lock(); defer f.mu.Unlock(); return f.now }
func (f *fixture) set(t time.Time)  { f.mu.Lock(); f.now = t; f.mu.Unlock() }

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{now: time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)} // 09:00 in Hải Phòng
	f.srv = zalotest.New(zalotest.Options{AppID: "1234", AppSecret: "app-secret", OASecret: "oa-secret", Now: f.clock})
	ctx := context.Background()
	f.db = storetest.Open(t, f.now)
	access, refresh := f.srv.IssueTokens()
	f.db.SaveZaloTokens(ctx, zalo.Tokens{Access: access, Refresh: refresh, AccessExpires: f.now.Add(25 * time.Hour), RefreshExpires: f.now.AddDate(0, 3, 0)}, f.now)
	hs := httptest.NewServer(f.srv.Handler())
	t.Cleanup(hs.Close)
	f.client = zalo.New(zalo.Config{AppID: "1234", AppSecret: "app-secret", OAuthBase: hs.URL, APIBase: hs.URL, ZNSBase: hs.URL,
		HTTP: hs.Client(), Tokens: tokens{f.db}, Now: f.clock, Log: quiet})
	for i := 1; i <= 3; i++ {
		f.srv.AddUser(zalotest.User{ID: fmt.Sprint(i), Name: fmt.Sprintf("Người %d", i), Follower: true})
	}
	return f
}

func msg(to string) channels.Message {
	return channels.Message{Recipient: to, Title: "Phát động Tháng hành động", Text: "Hưởng ứng Tháng hành động vì bình đẳng giới"}
}

func TestRefreshRotatesOnceAndSavesThePair(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.client.Send(ctx, msg("1")); err != nil {
		t.Fatal(err)
	}
	before, _, _ := f.db.ZaloTokens(ctx)
	f.srv.ExpireAccessTokens() // Zalo answers -220 now
	var wg sync.WaitGroup
	errs := make(chan error, 20)
	for i := range 20 { // concurrent senders: one refresh only, or the chain would burn
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, err := f.client.Send(ctx, msg(fmt.Sprint(i%3+1)))
			errs <- err
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		if err != nil {
			t.Fatalf("send after expiry: %v", err)
		}
	}
	after, _, _ := f.db.ZaloTokens(ctx)
	if after.Refresh == before.Refresh || after.Access == before.Access || after.NeedsReauth != "" {
		t.Errorf("tokens not rotated and saved: %+v", after)
	}
	// The stored pair works for a fresh client (a restart).
	again := zalo.New(zalo.Config{AppID: "1234", AppSecret: "app-secret", OAuthBase: "http://x", APIBase: "http://x",
		HTTP: &http.Client{Transport: f.srv.Transport()}, Tokens: tokens{f.db}, Now: f.clock, Log: quiet})
	f.srv.ExpireAccessTokens()
	if _, err := again.Send(ctx, msg("2")); err != nil {
		t.Errorf("after a restart: %v", err)
	}
	if n := len(f.srv.Sent()); n != 22 {
		t.Errorf("%d messages accepted, want 22", n)
	}
}

func TestReauthorizationPausesAndLosesNothing(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.srv.ExpireAccessTokens()
	f.srv.RevokeRefreshTokens()
	_, err := f.client.Send(ctx, msg("1"))
	kind, wait := scheduler.Classify(err)
	if kind != scheduler.RateLimited || wait != time.Minute || !strings.Contains(err.Error(), "loa zalo auth") {
		t.Fatalf("%v: kind %d wait %s", err, kind, wait)
	}
	tok, _, _ := f.db.ZaloTokens(ctx)
	if !strings.Contains(tok.NeedsReauth, "-14014") {
		t.Errorf("needs_reauth = %q", tok.NeedsReauth)
	}
	if len(f.srv.Sent()) != 0 {
		t.Error("something was sent")
	}
	// `loa zalo auth` in another process saves a new pair: the next send
	// uses it at once.
	access, refresh := f.srv.IssueTokens()
	f.db.SaveZaloTokens(ctx, zalo.Tokens{Access: access, Refresh: refresh, AccessExpires: f.now.Add(25 * time.Hour), RefreshExpires: f.now.AddDate(0, 3, 0)}, f.now)
	if _, err := f.client.Send(ctx, msg("1")); err != nil {
		t.Errorf("after re-authorization: %v", err)
	}
}

// Two clients (the daemon and `loa zalo check`) on one database refresh at
// once: one spends the refresh token, the other takes the new pair; the
// chain holds and no refresh token is used twice.
func TestTwoProcessesKeepOneTokenChain(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	other := zalo.New(zalo.Config{AppID: "1234", AppSecret: "app-secret", OAuthBase: "http://zalo.test", APIBase: "http://zalo.test",
		HTTP: &http.Client{Transport: f.srv.Transport()}, Tokens: tokens{f.db}, Now: f.clock, Log: quiet})
	// Both have loaded the pair; then the access token expires.
	if _, err := f.client.Send(ctx, msg("1")); err != nil {
		t.Fatal(err)
	}
	if _, err := other.Check(ctx); err != nil {
		t.Fatal(err)
	}
	f.srv.ExpireAccessTokens()
	f.set(f.now.Add(26 * time.Hour))
	var wg sync.WaitGroup
	errs := make([]error, 2)
	for i, c := range []*zalo.Client{f.client, other} {
		wg.Go(func() {
			if i == 0 {
				_, errs[i] = c.Send(ctx, msg("1"))
			} else {
				_, errs[i] = c.Check(ctx)
			}
		})
	}
	wg.Wait()
	if errs[0] != nil || errs[1] != nil {
		t.Fatalf("refreshing at once: %v / %v", errs[0], errs[1])
	}
	if n := f.srv.RefreshReuse(); n != 0 {
		t.Errorf("a refresh token was used %d times more than once: the chain broke", n)
	}
	// Later refreshes by either go on from the same chain.
	f.srv.ExpireAccessTokens()
	f.set(f.now.Add(26 * time.Hour))
	if _, err := other.Check(ctx); err != nil {
		t.Fatal(err)
	}
	f.srv.ExpireAccessTokens()
	f.set(f.now.Add(26 * time.Hour))
	if _, err := f.client.Send(ctx, msg("1")); err != nil {
		t.Errorf("the daemon after the other refreshed: %v", err)
	}
	if tok, _, _ := f.db.ZaloTokens(ctx); tok.NeedsReauth != "" || f.srv.RefreshReuse() != 0 {
		t.Errorf("needs_reauth %q, reuse %d", tok.NeedsReauth, f.srv.RefreshReuse())
	}
}

// At night a promotion waits until 06:00 and a margin, by Loa's clock,
// without a call to Zalo; a consultation message is not held.
func TestNightMovesSendsToSixInTheMorning(t *testing.T) {
	f := newFixture(t)
	f.set(time.Date(2026, 11, 28, 15, 30, 0, 0, time.UTC)) // 22:30 local
	before := len(f.srv.Sent())
	_, err := f.client.Send(context.Background(), msg("1"))
	if kind, wait := scheduler.Classify(err); kind != scheduler.Snoozed || wait != 7*time.Hour+32*time.Minute {
		t.Errorf("at 22:30: %v, kind %d, wait %s", err, kind, wait)
	}
	cs := msg("1")
	cs.Mode = "cs"
	f.srv.Interact("1", f.now)
	if _, err := f.client.Send(context.Background(), cs); err != nil {
		t.Errorf("a consultation message at 22:30: %v", err)
	}
	if n := len(f.srv.Sent()) - before; n != 1 {
		t.Errorf("%d messages reached Zalo at night, want the consultation one only", n)
	}
	f.set(time.Date(2026, 11, 28, 23, 2, 0, 0, time.UTC)) // 06:02 local
	if _, err := f.client.Send(context.Background(), msg("1")); err != nil {
		t.Errorf("at 06:02: %v", err)
	}
}

func TestEveryCodeIsClassified(t *testing.T) {
	f := newFixture(t)
	tests := map[int]scheduler.ErrorKind{
		-32: scheduler.Slowed, -234: scheduler.Snoozed, -204: scheduler.RateLimited, -224: scheduler.RateLimited, -321: scheduler.RateLimited,
		-205: scheduler.RateLimited, -209: scheduler.RateLimited, -211: scheduler.RateLimited, -212: scheduler.RateLimited,
		-219: scheduler.RateLimited, -221: scheduler.RateLimited, -240: scheduler.RateLimited, -242: scheduler.RateLimited,
		-244: scheduler.Permanent,
		-213: scheduler.RecipientGone, -217: scheduler.RecipientGone, -227: scheduler.RecipientGone,
		-201: scheduler.Permanent, -210: scheduler.Permanent, -233: scheduler.Permanent, -248: scheduler.Permanent,
		-230: scheduler.Skip, -232: scheduler.Skip,
		-218: scheduler.Snoozed, -9999: scheduler.Transient,
	}
	for code, want := range tests {
		f.srv.Fail(code)
		_, err := f.client.Send(context.Background(), msg("1"))
		if kind, _ := scheduler.Classify(err); kind != want {
			t.Errorf("%d: %v is kind %d, want %d", code, err, kind, want)
		}
		if code == -234 {
			// Zalo's clock says night, ours 09:00: promotions wait a couple
			// of minutes (the clocks disagree), not an hour.
			if _, wait := scheduler.Classify(err); wait != 2*time.Minute {
				t.Errorf("-234 in the day by our clock waits %s", wait)
			}
			f.set(f.now.Add(3 * time.Minute))
		}
	}
	// -218 waits for the follower's next day, after the night: not five
	// retries into dead.
	f.srv.Fail(-218)
	_, err := f.client.Send(context.Background(), msg("1"))
	if kind, wait := scheduler.Classify(err); kind != scheduler.Snoozed || !f.now.Add(wait).Equal(time.Date(2026, 11, 28, 23, 5, 0, 0, time.UTC)) {
		t.Errorf("-218 at %s: %v, kind %d, tried again after %s", f.now, err, kind, wait)
	}
	// Configured to skip instead: -218 skips the delivery with the reason.
	skipping := zalo.New(zalo.Config{AppID: "1234", AppSecret: "app-secret", OAuthBase: "http://zalo.test", APIBase: "http://zalo.test",
		HTTP: &http.Client{Transport: f.srv.Transport()}, Tokens: tokens{f.db}, Now: f.clock, Log: quiet, SkipOverQuota: true})
	f.srv.Fail(-218)
	if _, err = skipping.Send(context.Background(), msg("1")); func() scheduler.ErrorKind { k, _ := scheduler.Classify(err); return k }() != scheduler.Skip {
		t.Errorf("-218 with zalo.over_quota: skip: %v", err)
	}
	// Real answers, not injected: a long text and a user who unfollowed.
	long := msg("1")
	long.Text = strings.Repeat("ạ", 2001)
	if _, err := f.client.Send(context.Background(), long); !strings.Contains(fmt.Sprint(err), "-210") {
		t.Errorf("2001 characters: %v", err)
	}
	f.srv.SetFollower("2", false)
	if _, err := f.client.Send(context.Background(), msg("2")); func() scheduler.ErrorKind { k, _ := scheduler.Classify(err); return k }() != scheduler.RecipientGone {
		t.Errorf("unfollowed: %v", err)
	}
}

func TestFollowersArePaged(t *testing.T) {
	f := newFixture(t)
	for i := 4; i <= 130; i++ {
		f.srv.AddUser(zalotest.User{ID: fmt.Sprint(i), Name: fmt.Sprintf("Người %d", i), Follower: i%10 != 0,
			LastInteraction: time.Date(2026, 11, 20, 3, 0, 0, 0, time.UTC)})
	}
	var got []zalo.Follower
	if err := f.client.Followers(context.Background(), zalo.Sync{Page: func(fs []zalo.Follower, _ int) error { got = append(got, fs...); return nil }}); err != nil {
		t.Fatal(err)
	}
	if len(got) != 3+127-13 { // 4…130 without its 13 tens
		t.Fatalf("%d followers", len(got))
	}
	last := got[len(got)-1]
	if last.UserID != "129" || last.Name != "Người 129" || content.DateOf(last.LastInteraction) != content.NewDate(2026, 11, 20) {
		t.Errorf("last follower %+v", last)
	}
	if name, err := f.client.Check(context.Background()); err != nil || name != "UBND phường Lưu Kiếm" {
		t.Errorf("check: %q %v", name, err)
	}
}

func TestAuthorizationCode(t *testing.T) {
	f := newFixture(t)
	u := f.client.AuthURL("https://loa.example.vn/zalo/callback", strings.Repeat("v", 43), "s1")
	if !strings.Contains(u, "/v4/oa/permission?") || !strings.Contains(u, "code_challenge=") || !strings.Contains(u, "app_id=1234") {
		t.Errorf("auth url %s", u)
	}
	f.srv.RevokeRefreshTokens()
	code := f.srv.IssueCode()
	if err := f.client.Exchange(context.Background(), code, strings.Repeat("v", 43)); err != nil {
		t.Fatal(err)
	}
	if err := f.client.Exchange(context.Background(), code, strings.Repeat("v", 43)); err == nil {
		t.Error("an authorization code worked twice")
	}
	f.srv.ExpireAccessTokens()
	if _, err := f.client.Send(context.Background(), msg("3")); err != nil {
		t.Errorf("after authorization: %v", err)
	}
}

func TestConsultationSkipsThoseWhoDidNotWrite(t *testing.T) {
	f := newFixture(t)
	f.srv.AddUser(zalotest.User{ID: "w", Name: "Wrote yesterday", Follower: true, LastInteraction: f.now.Add(-24 * time.Hour)})
	f.srv.AddUser(zalotest.User{ID: "s", Name: "Silent for 8 days", Follower: true, LastInteraction: f.now.Add(-8 * 24 * time.Hour)})
	cs := msg("w")
	cs.Mode = "cs"
	if _, err := f.client.Send(context.Background(), cs); err != nil {
		t.Fatal(err)
	}
	cs.Recipient = "s"
	_, err := f.client.Send(context.Background(), cs)
	if kind, _ := scheduler.Classify(err); kind != scheduler.Skip || !strings.Contains(err.Error(), "-230") {
		t.Errorf("silent follower: %v, kind %d", err, kind)
	}
	// Consultation has no night rule.
	f.set(time.Date(2026, 11, 28, 16, 0, 0, 0, time.UTC)) // 23:00 local
	cs.Recipient = "w"
	if _, err := f.client.Send(context.Background(), cs); err != nil {
		t.Errorf("cs at night: %v", err)
	}
	sent := f.srv.Sent()
	if len(sent) != 2 || sent[0].Kind != "cs" || !strings.HasPrefix(sent[0].Text, "Phát động Tháng hành động\n\n") {
		t.Errorf("sent %+v", sent)
	}
}

func TestZNSByPhone(t *testing.T) {
	f := newFixture(t)
	f.srv.AddTemplate("T123")
	m := channels.Message{DeliveryID: 55, Recipient: "84912345678", Mode: "zns:T123", Title: "Ngày 25/11", Text: "Hưởng ứng"}
	if id, err := f.client.Send(context.Background(), m); err != nil || id == "" {
		t.Fatalf("zns: %q %v", id, err)
	}
	if s := f.srv.Sent(); len(s) != 1 || s[0].Kind != "zns" || s[0].Phone != "84912345678" || !strings.Contains(s[0].Text, "title:Ngày 25/11") {
		t.Errorf("sent %+v", s)
	}
	m.Recipient = "0912345678" // not 84…
	if _, err := f.client.Send(context.Background(), m); func() scheduler.ErrorKind { k, _ := scheduler.Classify(err); return k }() != scheduler.RecipientGone {
		t.Errorf("bad phone: %v", err)
	}
	m.Recipient, m.Mode = "84912345678", "zns:NOPE"
	if _, err := f.client.Send(context.Background(), m); func() scheduler.ErrorKind { k, _ := scheduler.Classify(err); return k }() != scheduler.Permanent {
		t.Errorf("unknown template: %v", err)
	}
	// ZNS has no night rule.
	f.set(time.Date(2026, 11, 28, 16, 0, 0, 0, time.UTC))
	m.Mode = "zns:T123"
	if _, err := f.client.Send(context.Background(), m); err != nil {
		t.Errorf("zns at night: %v", err)
	}
	// -144, the OA's daily ZNS quota: ZNS waits until tomorrow without a
	// call per delivery; promotions and consultations go on.
	f.set(time.Date(2026, 11, 28, 3, 0, 0, 0, time.UTC)) // 10:00 local
	f.srv.Fail(-144)
	_, err := f.client.Send(context.Background(), m)
	tomorrow := time.Date(2026, 11, 28, 17, 5, 0, 0, time.UTC) // 00:05 on 29/11 local
	if kind, wait := scheduler.Classify(err); kind != scheduler.Snoozed || !f.now.Add(wait).Equal(tomorrow) {
		t.Errorf("-144: %v, kind %d, waits until %s", err, kind, f.now.Add(wait))
	}
	calls := f.srv.Calls()
	m.DeliveryID = 56
	if _, err := f.client.Send(context.Background(), m); func() scheduler.ErrorKind { k, _ := scheduler.Classify(err); return k }() != scheduler.Snoozed || f.srv.Calls() != calls {
		t.Errorf("the next ZNS after -144: %v, %d calls", err, f.srv.Calls()-calls)
	}
	if _, err := f.client.Send(context.Background(), msg("1")); err != nil {
		t.Errorf("a promotion while ZNS waits: %v", err)
	}
	f.set(tomorrow)
	if _, err := f.client.Send(context.Background(), m); err != nil {
		t.Errorf("ZNS the next day: %v", err)
	}
}
