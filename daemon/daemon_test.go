package daemon_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"go.uber.org/goleak"

	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store/storetest"
	"github.com/loa-ward/loa/web"
)

const token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"

var now = time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)

// TestRunStopsEverythingItStarted starts the daemon with every part on
// (Telegram with its staff desk, Zalo with its follower sync and webhook,
// the demo), checks it serves, stops it and finds no goroutine of it left.
func TestRunStopsEverythingItStarted(t *testing.T) {
	dir := t.TempDir()
	db := storetest.OpenAt(t, filepath.Join(dir, "loa.db"), now)
	tg := httptest.NewServer(telegramtest.New(telegramtest.Options{Token: token, Now: func() time.Time { return now }}).Handler())
	defer tg.Close()
	zsrv := zalotest.New(zalotest.Options{AppID: "1234", AppSecret: "s3cret", OASecret: "oa-secret", Now: func() time.Time { return now }})
	zs := httptest.NewServer(zsrv.Handler())
	defer zs.Close()
	cfgFile := filepath.Join(dir, "loa.yaml")
	body := fmt.Sprintf(`ward:
  name: phường Lưu Kiếm
store:
  path: %s
content:
  hotlines: {bao_ve_tre_em: "111", cong_an: "113", hoi_phu_nu: "0225 3 841 234"}
http:
  addr: 127.0.0.1:0
delivery:
  outbox_dir: %s
telegram:
  token: %s
  api_endpoint: %s/bot%%s/%%s
  staff:
    - {chat_id: 31, name: pho-chu-tich, role: leader}
zalo:
  app_id: "1234"
  app_secret: s3cret
  oa_secret: oa-secret
  oauth_base: %s
  api_base: %s
  zns_base: %s
`, filepath.Join(dir, "loa.db"), filepath.Join(dir, "outbox"), token, tg.URL, zs.URL, zs.URL, zs.URL)
	if err := os.WriteFile(cfgFile, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := config.Load(config.Options{Path: cfgFile})
	if err != nil {
		t.Fatal(err)
	}
	defer goleak.VerifyNone(t, goleak.IgnoreCurrent())

	listening := make(chan net.Addr, 1)
	d := &daemon.Daemon{Config: cfg, DB: db, Now: func() time.Time { return now }, Log: slog.New(slog.NewTextHandler(io.Discard, nil)),
		Actor: staff.Local("it"), Demo: true, Listening: func(a net.Addr) { listening <- a }}
	ctx, stop := context.WithCancel(context.Background())
	done := make(chan error, 1)
	go func() { done <- d.Run(ctx) }()
	var addr net.Addr
	select {
	case addr = <-listening:
	case err := <-done:
		t.Fatalf("Run returned before serving: %v", err)
	}

	client := &http.Client{Transport: &http.Transport{}}
	resp, err := client.Get("http://" + addr.String() + "/healthz")
	if err != nil {
		t.Fatal(err)
	}
	var h web.Health
	if err := json.NewDecoder(resp.Body).Decode(&h); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if h.Instance == "" || !strings.Contains(h.Instance, "pid") {
		t.Errorf("health: %+v", h)
	}
	// The demo was loaded by the daemon, and a second daemon is refused.
	if cs, err := db.Campaigns(ctx, 0); err != nil || len(cs) == 0 {
		t.Errorf("demo campaigns: %d %v", len(cs), err)
	}
	// The dashboard is served: a demo leader signs in, and no page shows a
	// configured secret.
	jar, _ := cookiejar.New(nil)
	browser := &http.Client{Transport: client.Transport, Jar: jar}
	base := "http://" + addr.String()
	req, _ := http.NewRequest(http.MethodPost, base+"/login", strings.NewReader(url.Values{"name": {"lanhdao"}, "password": {demo.Password}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.Header.Set("Origin", base)
	if resp, err := browser.Do(req); err != nil || resp.Request.URL.Path != "/" {
		t.Fatalf("sign in: %v", err)
	} else {
		resp.Body.Close()
	}
	for _, p := range []string{"/", "/calendar", "/approvals", "/runs", "/tasks", "/campaigns/action-month/2026", "/healthz", "/metrics"} {
		resp, err := browser.Get(base + p)
		if err != nil {
			t.Fatal(err)
		}
		b, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("%s: %d", p, resp.StatusCode)
		}
		for _, secret := range []string{token, "AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq", "s3cret", "oa-secret", demo.Password} {
			if strings.Contains(string(b), secret) {
				t.Errorf("%s shows the secret %q", p, secret)
			}
		}
		if p == "/" && !strings.Contains(string(b), "Trần Văn Hùng (demo)") {
			t.Errorf("today page does not greet the leader:\n%s", b)
		}
	}
	// The administrator re-authorizes the Zalo OA from the settings page:
	// Loa sends them to Zalo's page with a PKCE challenge, and Zalo's code
	// brought back to /zalo/callback becomes stored tokens.
	admin := &http.Client{Transport: client.Transport, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	admin.Jar, _ = cookiejar.New(nil)
	post := func(c *http.Client, path string, form url.Values) *http.Response {
		req, _ := http.NewRequest(http.MethodPost, base+path, strings.NewReader(form.Encode()))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Origin", base)
		resp, err := c.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	post(admin, "/login", url.Values{"name": {"quantri"}, "password": {demo.Password}})
	resp = post(admin, "/settings/zalo/auth", nil)
	if loc := resp.Header.Get("Location"); resp.StatusCode != http.StatusSeeOther || !strings.HasPrefix(loc, zs.URL) || !strings.Contains(loc, "code_challenge=") ||
		!strings.Contains(loc, url.QueryEscape(base+"/zalo/callback")) {
		t.Errorf("re-authorize: %d %s", resp.StatusCode, loc)
	}
	if resp, err = admin.Get(base + "/zalo/callback?code=" + zsrv.IssueCode() + "&state=loa"); err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusSeeOther || resp.Header.Get("Location") != "/settings?zalo=ok" {
		t.Errorf("callback: %d %s", resp.StatusCode, resp.Header.Get("Location"))
	}
	if _, ok, err := db.ZaloTokens(ctx); err != nil || !ok {
		t.Errorf("no tokens after the callback: %v", err)
	}
	admin.CloseIdleConnections()
	browser.CloseIdleConnections()
	second := *d
	second.Listening = nil
	if err := second.Run(ctx); err == nil || !strings.Contains(err.Error(), "two daemons on one database would send twice") {
		t.Errorf("second daemon: %v", err)
	}
	client.CloseIdleConnections()

	stop()
	if err := <-done; err != nil {
		t.Fatalf("Run: %v", err)
	}
	// The lease is released: the next daemon starts.
	if err := db.AcquireLease(context.Background(), "daemon", "next", time.Minute, now, nil); err != nil {
		t.Errorf("lease after stop: %v", err)
	}
}
