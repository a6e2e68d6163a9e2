// Package zalo is Loa's Zalo Official Account channel: a small client for
// the OA API v3 (there is no official Go SDK), built from
// reference/channel-apis.md §3.
//
// Tokens. The access token lives 25 hours; the refresh token is single-use
// and rotates. Refreshing is single-flight, and the new refresh token is
// saved together with the new access token, since the old one is spent the
// moment Zalo answers. On -216 or -220 the client refreshes once and
// retries. If refreshing fails for good, the OA needs re-authorization
// (`loa zalo auth`): the channel pauses, staff are alerted, and nothing
// queued is lost.
//
// Sending. Campaign broadcasts go as promotion messages to followers,
// which Zalo refuses at night (22:00–06:00): the channel then pauses until
// 06:00, so such runs go out at 06:00. Every error code of the reference
// table is classified for the dispatcher (see classify).
package zalo

import (
	"bytes"
	"context"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
)

// Default hosts.
const (
	DefaultOAuthBase = "https://oauth.zaloapp.com"
	DefaultAPIBase   = "https://openapi.zalo.me"
	DefaultZNSBase   = "https://business.openapi.zalo.me"
)

// Tokens are the OA's OAuth tokens.
type Tokens struct {
	Access, Refresh               string
	AccessExpires, RefreshExpires time.Time
	NeedsReauth                   string
}

// TokenStore keeps the tokens (in SQLite).
type TokenStore interface {
	ZaloTokens(ctx context.Context) (Tokens, bool, error)
	// SaveZaloTokens stores a new pair in one transaction.
	SaveZaloTokens(ctx context.Context, t Tokens, now time.Time) error
	MarkZaloReauth(ctx context.Context, why string) error
	// BeginRefresh claims, across processes, the right to spend refresh
	// (the refresh token this client holds) for hold; false when the stored
	// pair changed or another process holds the claim. SaveZaloTokens ends it.
	BeginZaloRefresh(ctx context.Context, refresh string, now time.Time, hold time.Duration) (bool, error)
}

// Config configures the client. Secrets are plain strings here; the
// caller keeps them out of logs, and so does this package.
type Config struct {
	AppID, AppSecret            string
	OAuthBase, APIBase, ZNSBase string
	HTTP                        *http.Client
	Tokens                      TokenStore
	Now                         func() time.Time
	Log                         *slog.Logger
	// Budget is the OA's rate budget, shared with the dispatcher's sends:
	// follower syncs wait in it. Default: no rate, pauses only.
	Budget *channels.Budget
	// SkipOverQuota skips a delivery to a follower whose daily quota is
	// used (-218) instead of letting it wait for their next day.
	SkipOverQuota bool
}

// Client talks to one Official Account.
type Client struct {
	cfg Config

	mu     sync.Mutex // single flight: one refresh at a time
	tokens Tokens
	loaded bool

	pauseMu sync.Mutex
	pauses  map[string]time.Time // message kind → held back until
}

// New returns a client.
func New(cfg Config) *Client {
	cfg.OAuthBase = strings.TrimRight(orDefault(cfg.OAuthBase, DefaultOAuthBase), "/")
	cfg.APIBase = strings.TrimRight(orDefault(cfg.APIBase, DefaultAPIBase), "/")
	cfg.ZNSBase = strings.TrimRight(orDefault(cfg.ZNSBase, DefaultZNSBase), "/")
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 30 * time.Second}
	}
	cfg.HTTP = channels.AtMostOnce(cfg.HTTP)
	if cfg.Budget == nil {
		cfg.Budget = channels.NewBudget(0, nil)
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	return &Client{cfg: cfg}
}

func orDefault(s, d string) string {
	if s == "" {
		return d
	}
	return s
}

// ErrNeedsReauth says the tokens can no longer be refreshed: an OA admin
// must grant access again with `loa zalo auth`.
var ErrNeedsReauth = errors.New("zalo: the Official Account needs re-authorization (loa zalo auth)")

// Error is an error answer of the Zalo API.
type Error struct {
	Code    int
	Message string
}

func (e *Error) Error() string { return fmt.Sprintf("zalo error %d: %s", e.Code, e.Message) }

// envelope is Zalo's answer; error may arrive as a number or a string.
type envelope struct {
	Error   json.Number     `json:"error"`
	Message string          `json:"message"`
	Data    json.RawMessage `json:"data"`
}

// access returns a usable access token, refreshing when it is (nearly) expired.
func (c *Client) access(ctx context.Context) (string, error) {
	c.mu.Lock()
	// Waiting for re-authorization: `loa zalo auth`, run in another
	// process, may have saved new tokens since.
	if !c.loaded || c.tokens.NeedsReauth != "" {
		t, ok, err := c.cfg.Tokens.ZaloTokens(ctx)
		if err != nil {
			c.mu.Unlock()
			return "", err
		}
		if !ok {
			c.mu.Unlock()
			return "", ErrNeedsReauth
		}
		c.tokens, c.loaded = t, true
	}
	t := c.tokens
	c.mu.Unlock()
	if t.NeedsReauth != "" {
		return "", ErrNeedsReauth
	}
	if c.cfg.Now().After(t.AccessExpires.Add(-5 * time.Minute)) {
		return c.refresh(ctx, t.Access)
	}
	return t.Access, nil
}

// refresh replaces stale, unless another caller already did. Refresh
// tokens are single-use, so one chain must be kept whoever refreshes: in
// this process one refresh at a time (c.mu), and across processes (the
// daemon and `loa zalo check`) through the store: the stored pair is read
// again first, and a refresh is made only by the process that claimed it;
// the others wait for the pair it saves.
func (c *Client) refresh(ctx context.Context, stale string) (string, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.tokens.Access != stale && c.tokens.NeedsReauth == "" {
		return c.tokens.Access, nil // refreshed meanwhile: the refresh token was spent once, by them
	}
	const hold = 30 * time.Second
	for waited := time.Duration(0); ; waited += time.Second {
		stored, ok, err := c.cfg.Tokens.ZaloTokens(ctx)
		if err != nil {
			return "", err
		}
		if ok && stored.Refresh != c.tokens.Refresh {
			// Another process refreshed (or `loa zalo auth` ran): use its pair.
			c.tokens = stored
			if stored.NeedsReauth != "" {
				return "", fmt.Errorf("%w: %s", ErrNeedsReauth, stored.NeedsReauth)
			}
			if c.cfg.Now().Before(stored.AccessExpires.Add(-5 * time.Minute)) {
				return stored.Access, nil
			}
		}
		claimed, err := c.cfg.Tokens.BeginZaloRefresh(ctx, c.tokens.Refresh, c.cfg.Now(), hold)
		if err != nil {
			return "", err
		}
		if claimed {
			break
		}
		if waited >= hold {
			return "", errors.New("zalo: another process has been refreshing the tokens for 30 s; trying again later")
		}
		t := time.NewTimer(time.Second)
		select {
		case <-ctx.Done():
			t.Stop()
			return "", ctx.Err()
		case <-t.C:
		}
	}
	t, err := c.grant(ctx, url.Values{"grant_type": {"refresh_token"}, "refresh_token": {c.tokens.Refresh}})
	var ze *Error
	if errors.As(err, &ze) {
		why := fmt.Sprintf("refreshing failed: %d %s", ze.Code, ze.Message)
		c.tokens.NeedsReauth = why
		if err := c.cfg.Tokens.MarkZaloReauth(ctx, why); err != nil {
			c.cfg.Log.Error("mark zalo re-authorization", "err", err)
		}
		return "", fmt.Errorf("%w: %s", ErrNeedsReauth, why)
	}
	if err != nil {
		return "", err // network: try again later, the refresh token is not spent (the claim runs out)
	}
	c.tokens = t
	return t.Access, nil
}

// grant calls the token endpoint and saves what it returns.
func (c *Client) grant(ctx context.Context, form url.Values) (Tokens, error) {
	form.Set("app_id", c.cfg.AppID)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.cfg.OAuthBase+"/v4/oa/access_token", strings.NewReader(form.Encode()))
	if err != nil {
		return Tokens{}, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("secret_key", c.cfg.AppSecret)
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		return Tokens{}, fmt.Errorf("zalo token: %w", err)
	}
	defer resp.Body.Close()
	data, _ := io.ReadAll(io.LimitReader(resp.Body, 64<<10))
	var ans struct {
		Access    string      `json:"access_token"`
		Refresh   string      `json:"refresh_token"`
		ExpiresIn json.Number `json:"expires_in"` // "90000" in the docs; some answers send a number
		Error     json.Number `json:"error"`
		ErrorName string      `json:"error_name"`
	}
	if len(bytes.TrimSpace(data)) == 0 {
		// Seen in production for a spent refresh token: an empty 200.
		return Tokens{}, &Error{Code: -14014, Message: "empty answer (refresh token already used?)"}
	}
	if err := json.Unmarshal(data, &ans); err != nil {
		return Tokens{}, fmt.Errorf("zalo token: %s: not JSON", resp.Status)
	}
	if code, _ := ans.Error.Int64(); code != 0 || ans.Access == "" {
		return Tokens{}, &Error{Code: int(code), Message: ans.ErrorName}
	}
	secs, err := ans.ExpiresIn.Int64()
	if err != nil || secs <= 0 {
		secs = 25 * 3600
	}
	now := c.cfg.Now()
	t := Tokens{Access: ans.Access, Refresh: ans.Refresh, AccessExpires: now.Add(time.Duration(secs) * time.Second), RefreshExpires: now.AddDate(0, 3, 0)}
	if err := c.cfg.Tokens.SaveZaloTokens(ctx, t, now); err != nil {
		// The old refresh token is spent: losing this pair would need a re-authorization.
		return Tokens{}, fmt.Errorf("zalo: save the new tokens: %w", err)
	}
	return t, nil
}

// call makes an API call with the access token, refreshing once on -216/-220.
func (c *Client) call(ctx context.Context, method, endpoint string, body any) (json.RawMessage, error) {
	for attempt := 0; ; attempt++ {
		token, err := c.access(ctx)
		if err != nil {
			return nil, err
		}
		var rd io.Reader
		if body != nil {
			js, err := json.Marshal(body)
			if err != nil {
				return nil, err
			}
			rd = bytes.NewReader(js)
		}
		req, err := http.NewRequestWithContext(ctx, method, endpoint, rd)
		if err != nil {
			return nil, err
		}
		req.Header.Set("access_token", token)
		if body != nil {
			req.Header.Set("Content-Type", "application/json")
		}
		resp, err := c.cfg.HTTP.Do(req)
		if err != nil {
			return nil, keepUnknown(err, fmt.Errorf("zalo: %w", redact(err, token)))
		}
		data, err := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
		resp.Body.Close()
		if err != nil { // the answer was cut off: Zalo has the request
			return nil, keepUnknown(err, fmt.Errorf("zalo: %s: %w", resp.Status, redact(err, token)))
		}
		var env envelope
		if err := json.Unmarshal(data, &env); err != nil {
			return nil, fmt.Errorf("zalo: %s: the answer is not JSON", resp.Status) // 5xx pages: retry
		}
		code, _ := env.Error.Int64()
		if code == 0 {
			return env.Data, nil
		}
		if (code == -216 || code == -220 || code == -124) && attempt == 0 {
			if _, err := c.refresh(ctx, token); err != nil {
				return nil, err
			}
			continue
		}
		return nil, &Error{Code: int(code), Message: env.Message}
	}
}

// keepUnknown returns clean (err with secrets removed) still marked unknown
// when err was: a request that left and lost its answer is never retried.
func keepUnknown(err, clean error) error {
	if channels.IsUnknown(err) {
		return channels.Unknown(clean)
	}
	return clean
}

func redact(err error, token string) error {
	return errors.New(strings.ReplaceAll(err.Error(), token, "[redacted]"))
}

// nightEnd returns 06:00 after t when t is in Zalo's 22:00–06:00 night.
func nightEnd(t time.Time) (time.Time, bool) {
	local := t.In(content.Zone)
	d := content.DateOf(local)
	switch h := local.Hour(); {
	case h >= 22:
		return d.AddDays(1).Time(6, 0), true
	case h < 6:
		return d.Time(6, 0), true
	}
	return time.Time{}, false
}

// Message kinds whose limits Zalo applies apart: the night ban holds only
// promotions, the daily ZNS quota only ZNS.
const (
	kindPromotion = "promotion"
	kindCS        = "cs"
	kindZNS       = "zns"
)

func kindOf(mode string) string {
	switch {
	case mode == "cs":
		return kindCS
	case strings.HasPrefix(mode, "zns:"):
		return kindZNS
	}
	return kindPromotion
}

// kindPause holds back one kind of message until a time, without stopping
// the others: each delivery of that kind waits (channels.Snooze) and no
// call is made for it meanwhile.
func (c *Client) kindPaused(kind string, now time.Time) (time.Time, bool) {
	c.pauseMu.Lock()
	defer c.pauseMu.Unlock()
	until, ok := c.pauses[kind]
	return until, ok && now.Before(until)
}

func (c *Client) pauseKind(kind string, until time.Time) {
	c.pauseMu.Lock()
	defer c.pauseMu.Unlock()
	if c.pauses == nil {
		c.pauses = map[string]time.Time{}
	}
	if until.After(c.pauses[kind]) {
		c.pauses[kind] = until
	}
}

// nightMargin is added to 06:00 by Loa's clock, so that a clock a few
// seconds ahead of Zalo's does not meet -234 at 06:00:01.
const nightMargin = 2 * time.Minute

// Send delivers m: a promotion message (a header, the title, and the text)
// to a follower by default, a consultation message for mode "cs", a ZNS
// template for "zns:<id>". Promotions wait out the night (22:00–06:00)
// without holding consultation or ZNS messages.
func (c *Client) Send(ctx context.Context, m channels.Message) (string, error) {
	now := c.cfg.Now()
	kind := kindOf(m.Mode)
	if until, paused := c.kindPaused(kind, now); paused {
		return "", channels.Snooze(fmt.Errorf("zalo: %s messages wait until %s", kind, until.In(content.Zone).Format("15:04 02/01")), until.Sub(now))
	}
	if kind == kindCS {
		return c.consult(ctx, m, now)
	}
	if kind == kindZNS {
		return c.zns(ctx, strings.TrimPrefix(m.Mode, "zns:"), m, now)
	}
	if until, night := nightEnd(now); night {
		until = until.Add(nightMargin)
		c.pauseKind(kindPromotion, until)
		return "", channels.Snooze(errors.New("zalo: promotion messages are not sent 22:00–06:00"), until.Sub(now))
	}
	title := m.Title
	if utf8.RuneCountInString(title) > 100 {
		title = string([]rune(title)[:99]) + "…"
	}
	body := map[string]any{
		"recipient": map[string]string{"user_id": m.Recipient},
		"message": map[string]any{"attachment": map[string]any{"type": "template", "payload": map[string]any{
			"template_type": "promotion", "language": "VI",
			"elements": []map[string]string{{"type": "header", "content": title, "align": "left"}, {"type": "text", "content": m.Text, "align": "left"}},
		}}},
	}
	return c.postMessage(ctx, kindPromotion, body, now)
}

// postMessage sends body as a message of kind (promotion, cs) and returns
// Zalo's message id, or the failure classified.
func (c *Client) postMessage(ctx context.Context, kind string, body any, now time.Time) (string, error) {
	data, err := c.call(ctx, http.MethodPost, c.cfg.APIBase+"/v3.0/oa/message/"+kind, body)
	var ze *Error
	if errors.As(err, &ze) && ze.Code == -234 && kind == kindPromotion {
		// Night by Zalo's clock: hold the other promotions too, not cs.
		classified := classify(err, now)
		if wait, _ := classified.(*channels.Error).SnoozeFor(); wait > 0 {
			c.pauseKind(kindPromotion, now.Add(wait))
		}
		return "", classified
	}
	if err != nil {
		if errors.As(err, &ze) && ze.Code == -218 && c.cfg.SkipOverQuota {
			return "", channels.Skip(fmt.Errorf("%w (this follower's quota for today)", err))
		}
		return "", classify(err, now)
	}
	var ans struct {
		MessageID string `json:"message_id"`
	}
	if err := json.Unmarshal(data, &ans); err != nil || ans.MessageID == "" {
		return "", fmt.Errorf("zalo: no message_id in the answer")
	}
	return ans.MessageID, nil
}

// consult sends m as a consultation message: plain text, to a follower who
// wrote to the OA within 7 days (Zalo answers -230 otherwise, and the
// recipient is skipped for this message). No night rule applies.
func (c *Client) consult(ctx context.Context, m channels.Message, now time.Time) (string, error) {
	text := strings.TrimSpace(m.Title + "\n\n" + m.Text)
	body := map[string]any{"recipient": map[string]string{"user_id": m.Recipient}, "message": map[string]string{"text": text}}
	return c.postMessage(ctx, kindCS, body, now)
}

// zns sends an approved ZNS template to a phone number (m.Recipient, "84…").
// The template must have the parameters title and content; the delivery id
// is the tracking id, which Zalo returns with user_received_message.
func (c *Client) zns(ctx context.Context, template string, m channels.Message, now time.Time) (string, error) {
	body := map[string]any{"phone": m.Recipient, "template_id": template, "tracking_id": fmt.Sprint(m.DeliveryID),
		"template_data": map[string]string{"title": m.Title, "content": m.Text}}
	data, err := c.call(ctx, http.MethodPost, c.cfg.ZNSBase+"/message/template", body)
	var ze *Error
	if errors.As(err, &ze) {
		switch ze.Code {
		case -108: // the phone number is not a Zalo user or is malformed
			return "", channels.Gone(err)
		case -100, -109, -118, -124:
			return "", channels.Permanent(err) // bad parameters or template: a person must fix the schedule
		case -144: // the OA's daily ZNS quota: ZNS waits for tomorrow, the rest goes on
			until := content.DateOf(now).AddDays(1).Time(0, 5)
			c.pauseKind(kindZNS, until)
			return "", channels.Snooze(fmt.Errorf("%w (the OA's ZNS quota for today; ZNS resumes tomorrow)", err), until.Sub(now))
		}
	}
	if err != nil {
		return "", classify(err, now)
	}
	var ans struct {
		MsgID string `json:"msg_id"`
	}
	if err := json.Unmarshal(data, &ans); err != nil || ans.MsgID == "" {
		return "", fmt.Errorf("zalo zns: no msg_id in the answer")
	}
	return ans.MsgID, nil
}

// classify tells the dispatcher what a failure means (reference §3.4).
func classify(err error, now time.Time) error {
	if errors.Is(err, ErrNeedsReauth) {
		// Paused, not lost; staff are alerted. Checked again every minute,
		// so sending resumes soon after `loa zalo auth` in any process.
		return channels.RateLimited(err, time.Minute)
	}
	var ze *Error
	if !errors.As(err, &ze) {
		return err // network or a non-JSON answer: retry
	}
	switch ze.Code {
	case -32: // over 4,000 requests a minute: slow down, then ramp up again
		return channels.Slow(err)
	case -234: // night by Zalo's clock: promotions only, until 06:00 by ours
		until, ok := nightEnd(now)
		if !ok { // our clock is a little ahead of Zalo's: it is nearly 06:00
			until = now
		}
		return channels.Snooze(err, until.Add(nightMargin).Sub(now))
	case -213, -217, -227: // not a follower, blocked the OA, banned or inactive
		return channels.Gone(err)
	case -230, -232: // no interaction within 7 days: not this consultation message
		return channels.Skip(err)
	case -201, -210, -233, -244, -248:
		return channels.Permanent(err)
	case -204, -205, -209, -211, -212, -219, -221, -224, -240, -242, -320, -321:
		// The OA, app, tier or billing is wrong: every delivery would fail the same way.
		return channels.RateLimited(fmt.Errorf("%w (the Official Account needs attention)", err), 30*time.Minute)
	case -218: // this follower's receive quota: not a failure, and retrying today cannot help
		return channels.Snooze(fmt.Errorf("%w (this follower's quota; tried again tomorrow)", err), quotaReset(now).Sub(now))
	}
	return err // anything unknown: retry later
}

// quotaReset is when a follower's daily receive quota (-218) is worth trying
// again: the next local day, after the night ban on promotions, with a
// margin for clocks that disagree.
func quotaReset(now time.Time) time.Time {
	return content.DateOf(now).AddDays(1).Time(6, 5)
}

// Follower is one follower of the OA.
type Follower struct {
	UserID          string
	Name            string    // "" when its details were not fetched (see Sync.Details)
	LastInteraction time.Time // zero when unknown
}

// Sync says how Followers walks the list.
type Sync struct {
	From int // the offset to start at: where an interrupted sync stopped
	// Details returns, of a page's user ids, those whose name and last
	// interaction are wanted (one call each): new followers and those
	// without a name; nil fetches them for everyone.
	Details func(ctx context.Context, userIDs []string) (map[string]bool, error)
	// Page receives each page of followers and the offset of the next
	// one, to record them and where to resume.
	Page func(followers []Follower, next int) error
}

// Followers pages through the OA's followers, 50 at a time, from s.From.
// Each call waits its turn in the OA's budget, behind broadcasts (a sync
// yields while sends are going out and never pushes them over Zalo's
// limit); a -32 slows the budget and
// the same call is made again, so a sync of any size finishes. A detail
// that cannot be fetched leaves the name empty (asked for again by the
// next sync), never the follower out.
func (c *Client) Followers(ctx context.Context, s Sync) error {
	for offset := s.From; ; {
		q, _ := json.Marshal(map[string]any{"offset": offset, "count": 50, "is_follower": "true"})
		data, err := c.paced(ctx, c.cfg.APIBase+"/v3.0/oa/user/getlist?data="+url.QueryEscape(string(q)))
		if err != nil {
			return err
		}
		var page struct {
			Total int `json:"total"`
			Users []struct {
				UserID string `json:"user_id"`
			} `json:"users"`
		}
		if err := json.Unmarshal(data, &page); err != nil {
			return fmt.Errorf("zalo getlist: %w", err)
		}
		var want map[string]bool
		if s.Details != nil {
			ids := make([]string, len(page.Users))
			for i, u := range page.Users {
				ids[i] = u.UserID
			}
			if want, err = s.Details(ctx, ids); err != nil {
				return err
			}
		}
		followers := make([]Follower, 0, len(page.Users))
		for _, u := range page.Users {
			f := Follower{UserID: u.UserID}
			if s.Details == nil || want[u.UserID] {
				dq, _ := json.Marshal(map[string]string{"user_id": u.UserID})
				d, err := c.paced(ctx, c.cfg.APIBase+"/v3.0/oa/user/detail?data="+url.QueryEscape(string(dq)))
				if ctx.Err() != nil {
					return ctx.Err()
				}
				var det struct {
					Name string `json:"display_name"`
					Last string `json:"user_last_interaction_date"`
				}
				if err == nil && json.Unmarshal(d, &det) == nil {
					f.Name = det.Name
					if t, err := time.ParseInLocation("02/01/2006", det.Last, content.Zone); err == nil {
						f.LastInteraction = t
					}
				}
			}
			followers = append(followers, f)
		}
		offset += len(page.Users)
		done := len(page.Users) < 50 || offset >= page.Total
		next := offset
		if done {
			next = 0
		}
		if s.Page != nil {
			if err := s.Page(followers, next); err != nil {
				return err
			}
		}
		if done {
			return nil
		}
	}
}

// paced makes a GET in the OA's budget, yielding to sends, again after a -32 (slowing the
// budget, and half a second later), up to 20 times.
func (c *Client) paced(ctx context.Context, endpoint string) (json.RawMessage, error) {
	for attempt := 0; ; attempt++ {
		if err := c.cfg.Budget.WaitBackground(ctx); err != nil {
			return nil, err
		}
		data, err := c.call(ctx, http.MethodGet, endpoint, nil)
		var ze *Error
		if errors.As(err, &ze) && ze.Code == -32 && attempt < 20 {
			c.cfg.Budget.Slow()
			t := time.NewTimer(500 * time.Millisecond)
			select {
			case <-ctx.Done():
				t.Stop()
				return nil, ctx.Err()
			case <-t.C:
			}
			continue
		}
		return data, err
	}
}

// Check returns the OA's name: a cheap proof the tokens work.
func (c *Client) Check(ctx context.Context) (string, error) {
	data, err := c.call(ctx, http.MethodGet, c.cfg.APIBase+"/v2.0/oa/getoa", nil)
	if err != nil {
		return "", err
	}
	var oa struct {
		Name string `json:"name"`
	}
	json.Unmarshal(data, &oa)
	return oa.Name, nil
}

// AuthURL is the page where an OA admin grants Loa access (OAuth v4 with
// PKCE); the callback receives ?code=…&state=….
func (c *Client) AuthURL(redirect, verifier, state string) string {
	sum := sha256.Sum256([]byte(verifier))
	q := url.Values{"app_id": {c.cfg.AppID}, "redirect_uri": {redirect}, "state": {state},
		"code_challenge": {base64.RawURLEncoding.EncodeToString(sum[:])}}
	return c.cfg.OAuthBase + "/v4/oa/permission?" + q.Encode()
}

// Exchange trades an authorization code for tokens and saves them.
func (c *Client) Exchange(ctx context.Context, code, verifier string) error {
	t, err := c.grant(ctx, url.Values{"grant_type": {"authorization_code"}, "code": {code}, "code_verifier": {verifier}})
	if err != nil {
		return err
	}
	c.mu.Lock()
	c.tokens, c.loaded = t, true
	c.mu.Unlock()
	return nil
}
