package dashboard_test

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"github.com/loa-ward/loa/accounts"
	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/dashboard"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/loudspeaker"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

// start is 09:00 on 25/11/2026 in the ward, inside the Action Month.
var start = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

// ward is the demo ward behind a dashboard on a loopback server.
type ward struct {
	t       testing.TB
	db      *store.DB
	desk    *editorial.Desk
	office  *office.Office
	sched   *scheduler.Scheduler
	dir     *accounts.Directory
	srv     *httptest.Server
	backups string
	links   *field.Links
	router  *notify.Router

	mu    sync.Mutex
	clock time.Time
}

func (w *ward) now() time.Time {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.clock
}

func (w *ward) advance(d time.Duration) {
	w.mu.Lock()
	w.clock = w.clock.Add(d)
	w.mu.Unlock()
}

func newWard(t testing.TB) *ward {
	t.Helper()
	w := &ward{t: t, db: storetest.Open(t, start), clock: start}
	r := content.Renderer{Ward: "phường Lưu Kiếm", Calendar: content.Builtin(),
		Hotlines: map[string]string{"bao_ve_tre_em": "111", "cong_an": "113", "hoi_phu_nu": "0225 3 841 234"}}
	w.desk = &editorial.Desk{DB: w.db, Ward: r.Ward, Calendar: r.Calendar, Hotlines: r.Hotlines, Pace: 200, MaxReading: 5 * time.Minute, Now: w.now}
	w.sched = scheduler.New(w.db, scheduler.Config{Renderer: r, Groups: map[content.Channel]map[string]string{content.Zalo: {"Tổ dân phố 1": "to-truong-1"}}},
		slog.New(slog.DiscardHandler), nil, nil)
	w.office = &office.Office{DB: w.db, Renderer: r, TaskOverdue: 2 * time.Hour, Render: w.sched.Render, Now: w.now}
	w.dir = &accounts.Directory{Store: w.db, Now: w.now, Cost: bcrypt.MinCost, Idle: time.Hour, Max: 12 * time.Hour}
	ctx := context.Background()
	if _, err := demo.Seed(ctx, w.db, w.desk, start); err != nil {
		t.Fatal(err)
	}
	radio := &loudspeaker.Radio{Office: w.office, DB: w.db, Ward: r.Ward, Slots: []loudspeaker.Slot{{Name: "sáng", Hour: 5, Min: 30, Max: 10 * time.Minute}, {Name: "chiều", Hour: 17, Max: 10 * time.Minute}},
		Dir: t.TempDir(), Pace: 200}
	w.backups = t.TempDir()
	w.links = &field.Links{DB: w.db, Office: w.office, Now: w.now, TTL: 72 * time.Hour, Pace: 200}
	w.router = &notify.Router{DB: w.db, Channels: map[string]notify.Channel{}, Now: w.now, Log: slog.New(slog.DiscardHandler)}
	d, err := dashboard.New(dashboard.Config{Links: w.links, Notices: w.router, Activities: &activities.Registry{DB: w.db, Now: w.now}, Accounts: w.dir, Desk: w.desk, Office: w.office, Speech: speech.New(nil), Ward: r.Ward,
		Residents: &residents.Registry{Store: w.db, Now: w.now}, Radio: radio, Notice: privacy.Notice{Ward: "phường Lưu Kiếm"}, ImageDir: filepath.Join(t.TempDir(), "images"),
		Synth: speech.FindSynth(), AudioDir: t.TempDir(), Pace: 200,
		Settings: func() [][2]string { return [][2]string{{"telegram.token", "(set)"}} },
		Backup: func(ctx context.Context, _ staff.Actor) (string, error) {
			path := filepath.Join(w.backups, "loa.db")
			return path, w.db.Backup(ctx, path, w.now())
		}})
	if err != nil {
		t.Fatal(err)
	}
	w.srv = httptest.NewServer(d.Handler())
	t.Cleanup(w.srv.Close)
	w.links.Base = w.srv.URL
	return w
}

// tick runs the scheduler at the ward's clock.
func (w *ward) tick() scheduler.Report {
	w.t.Helper()
	r, err := w.sched.RunOnce(context.Background(), w.now())
	if err != nil {
		w.t.Fatal(err)
	}
	return r
}

// client is a browser-like HTTP client signed in as name (demo password),
// sending the headers a same-origin form post has.
type client struct {
	t    testing.TB
	base string
	http *http.Client
}

func (w *ward) client(name string) *client {
	w.t.Helper()
	jar, _ := cookiejar.New(nil)
	c := &client{t: w.t, base: w.srv.URL, http: &http.Client{Jar: jar, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}}
	if name != "" {
		res := c.post("/login", url.Values{"name": {name}, "password": {demo.Password}})
		if res.StatusCode != http.StatusSeeOther {
			w.t.Fatalf("login %s: %d", name, res.StatusCode)
		}
	}
	return c
}

func (c *client) do(req *http.Request) (*http.Response, string) {
	c.t.Helper()
	res, err := c.http.Do(req)
	if err != nil {
		c.t.Fatal(err)
	}
	defer res.Body.Close()
	b, _ := io.ReadAll(res.Body)
	return res, string(b)
}

func (c *client) get(path string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodGet, c.base+path, nil)
	return c.do(req)
}

// post sends a form as the dashboard's own pages do (same origin).
func (c *client) post(path string, form url.Values) *http.Response {
	c.t.Helper()
	res, _ := c.postBody(path, form, map[string]string{"Origin": c.base, "Sec-Fetch-Site": "same-origin"})
	return res
}

func (c *client) postBody(path string, form url.Values, headers map[string]string) (*http.Response, string) {
	c.t.Helper()
	req, _ := http.NewRequest(http.MethodPost, c.base+path, strings.NewReader(form.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	for k, v := range headers {
		req.Header.Set(k, v)
	}
	return c.do(req)
}

// message returns the demo message with key.
func (w *ward) message(key string) content.Message {
	w.t.Helper()
	m, err := w.desk.Resolve(context.Background(), key)
	if err != nil {
		w.t.Fatal(err)
	}
	return m
}

var officer = staff.Actor{Name: demo.Officer, Role: staff.Officer, Desk: staff.Web}

func mustURL(s string) *url.URL {
	u, err := url.Parse(s)
	if err != nil {
		panic(err)
	}
	return u
}
