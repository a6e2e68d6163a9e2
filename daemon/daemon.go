package daemon

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/robfig/cron/v3"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/dashboard"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/staffbot"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/web"
)

// The daemon holds this lease while it runs; it renews it every leaseTTL/3.
const (
	leaseName = "daemon"
	leaseTTL  = 30 * time.Second
)

// Daemon is "loa serve" over one database.
type Daemon struct {
	Config *config.Config
	DB     *store.DB // open and migrated; the caller closes it after Run
	Now    func() time.Time
	Log    *slog.Logger
	Actor  staff.Actor // who started it, for the audit log of a restore

	Demo         bool // load the demo into an empty database and schedule a test post
	AfterRestore bool // put a restored backup into service

	// Listening, when set, is told the HTTP server's address once it listens.
	Listening func(net.Addr)
}

// state is what the parts of a running daemon share.
type state struct {
	instance    string
	senders     map[content.Channel]scheduler.Sender
	tgLink      *telegram.Link
	dispatcher  *scheduler.Dispatcher
	lastTick    atomic.Pointer[time.Time]
	lastRenewal atomic.Pointer[time.Time]
	bot         atomic.Pointer[telegram.Bot] // set once Telegram is reachable
	router      *notify.Router
	kick        func() // announce tasks now
	changed     func() // plan now: a schedule or an approval changed
}

// Run runs the daemon until ctx ends or the lease is lost, and returns once
// every goroutine it started has stopped.
func (d *Daemon) Run(ctx context.Context) error {
	log := d.Log.With("component", "serve")
	db, cfg := d.DB, d.Config
	st := &state{instance: instanceName()}
	if err := db.AcquireLease(ctx, leaseName, st.instance, leaseTTL, d.Now(), holderGone); err != nil {
		var held *store.LeaseHeldError
		if errors.As(err, &held) {
			return content.Errorf("một tiến trình loa serve khác (%s) đang chạy trên cơ sở dữ liệu %s; không chạy hai dịch vụ cùng lúc để không gửi trùng",
				"another loa serve (%s) is running on %s; two daemons on one database would send twice", held.Lease.Holder, db.Path())
		}
		return err
	}
	defer func() {
		if err := db.ReleaseLease(context.WithoutCancel(ctx), leaseName, st.instance); err != nil {
			log.Error("release lease", "err", err)
		}
	}()
	if err := d.checkRestore(ctx, log); err != nil {
		return err
	}
	if n, err := db.RecoverSending(ctx, d.Now()); err != nil {
		return err
	} else if n > 0 {
		log.Warn("deliveries were in flight when Loa last stopped: marked unknown, not resent", "count", n,
			"see", "loa deliveries", "resend", "loa deliveries resend --unknown RUN")
	}
	if d.Demo {
		if err := d.seedDemo(ctx, log); err != nil {
			return err
		}
	}

	budgets := map[content.Channel]*channels.Budget{}
	for _, t := range transports {
		budgets[t.channel] = channels.NewBudget(cfg.Delivery.Rates[t.channel], d.Now)
	}
	// The channels' connections, closed once every sender has stopped.
	transport := http.DefaultTransport.(*http.Transport).Clone()
	defer transport.CloseIdleConnections()
	senders, tgLink, closeSenders, err := d.senders(budgets, transport, log)
	if err != nil {
		return err
	}
	defer closeSenders()
	st.senders, st.tgLink = senders, tgLink

	metrics := web.NewMetrics(db, d.Log)
	var disp *scheduler.Dispatcher
	st.router = d.router(st, senders, log)
	alerts := newNotices(d.Log.With("component", "notices"), st.router, d.Now)
	sched := NewScheduler(cfg, db, d.Log, alerts, kickFunc(func() { disp.Kick() }))
	dcfg := DispatchConfig(cfg)
	dcfg.Budgets = budgets
	disp = scheduler.NewDispatcher(db, senders, sched.Render, dcfg, d.Log, alerts, d.Now)
	disp.Observe = metrics.ObserveSend
	st.dispatcher = disp
	offices := NewOffice(cfg, db, d.Now, sched.Render)
	links := NewLinks(cfg, db, offices, d.Now)
	alerts.links = links
	st.kick = alerts.Kick

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var background sync.WaitGroup // every goroutine started here; shutdown waits for them all
	started := d.Now()
	st.lastRenewal.Store(&started)
	var tickMu sync.Mutex // the minute's pass and a pass asked for by a change never overlap
	tick := func() {
		tickMu.Lock()
		defer tickMu.Unlock()
		now := d.Now()
		r, err := sched.RunOnce(runCtx, now)
		metrics.Tick()
		st.lastTick.Store(&now)
		if err != nil {
			log.Error("scheduler pass failed", "err", err)
			return
		}
		if r != (scheduler.Report{}) {
			log.Info("scheduler pass", "planned", r.Planned, "started", r.Started, "queued", r.Queued, "held", r.Held,
				"missed", r.Missed, "cancelled", r.Cancelled, "finished", r.Finished)
		}
	}
	tick() // catch up at once: fire what fell due within the grace, mark older runs missed
	d.logNext(ctx, log)
	// A schedule added, changed or removed, or a message approved, on the
	// dashboard or the staff bot: plan at once, not at the next minute.
	passNow := make(chan struct{}, 1)
	changed := func() {
		select {
		case passNow <- struct{}{}:
		default: // a pass is already asked for
		}
	}
	background.Go(func() {
		for {
			select {
			case <-runCtx.Done():
				return
			case <-passNow:
				tick()
			}
		}
	})
	st.changed = changed
	desk := NewDesk(cfg, db, d.Now)
	desk.Changed = changed

	var tgBot atomic.Pointer[telegram.Bot] // set once Telegram is reachable
	ln, err := web.Listen(cfg.HTTP.Addr, web.Limits{})
	if err != nil {
		return err
	}
	if links.Base == "" { // the office network only: links work there
		links.Base = "http://" + ln.Addr().String()
	}
	routes := d.routes(&tgBot, links, senders, log)
	var zaloBegin func(context.Context, string) (string, error)
	var zaloFinish func(context.Context, string) error
	if zc, ok := senders[content.Zalo].(*zalo.Client); ok {
		za := ZaloAuth{DB: db, Client: zc}
		zaloBegin, zaloFinish = za.Begin, za.Finish
	}
	dash, err := dashboard.New(dashboard.Config{Notice: Notice(cfg), ZaloBegin: zaloBegin, ZaloFinish: zaloFinish, PublicURL: cfg.HTTP.PublicURL, Accounts: NewAccounts(cfg, db, d.Now), Desk: desk, Office: offices,
		Speech: speech.New(cfg.Loudspeaker.Abbreviations), Ward: cfg.Ward.Name, Secure: strings.HasPrefix(cfg.HTTP.PublicURL, "https://"),
		Problems: func(ctx context.Context) []i18n.Text { return d.troubles(ctx, st) }, Log: d.Log.With("component", "dashboard"),
		Residents: NewResidents(cfg, db, d.Now), Radio: NewRadio(cfg, db, offices), Settings: cfg.Settings,
		ImageDir: filepath.Join(filepath.Dir(cfg.Store.Path), "images"),
		Synth:    speech.FindSynth(), AudioDir: filepath.Join(filepath.Dir(cfg.Store.Path), "audio-cache"), Pace: cfg.Content.Pace,
		Backup: func(ctx context.Context, actor staff.Actor) (string, error) { return Backup(ctx, cfg, db, d.Now()) },
		Links:  links, Notices: st.router, Activities: NewActivities(db, d.Now)})
	if err != nil {
		return err
	}
	routes["/"] = dash.Handler()
	// Bodies up to 8 MiB: pictures for messages; every other handler sets its own smaller limit.
	srv := web.NewServer(web.Handler(metrics, func() web.Health { return d.health(st) }, routes), web.Limits{MaxBodySize: 8 << 20})
	background.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	})

	remindBanners := func() {
		if err := offices.RemindBanners(runCtx, alerts); err != nil && runCtx.Err() == nil {
			log.Error("banner reminders", "err", err)
		}
	}
	cl := newCronLogger(d.Log.With("component", "cron"))
	defer cl.close()
	c := cron.New(cron.WithLocation(content.Zone), cron.WithLogger(cl), cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	if _, err := c.AddFunc("* * * * *", tick); err != nil {
		return err
	}
	if _, err := c.AddFunc("0 7-21 * * *", remindBanners); err != nil {
		return err
	}
	if _, err := c.AddFunc(fmt.Sprintf("0 %d * * *", cfg.Notify.DigestHour), func() { alerts.digest(runCtx) }); err != nil {
		return err
	}
	retention := func() {
		r, err := ApplyRetention(runCtx, cfg, db, d.Now())
		switch {
		case err != nil && runCtx.Err() == nil:
			log.Error("retention", "err", err)
		case r != (Retained{}):
			log.Info("retention", "ledger_ids_replaced", r.Pseudonymized, "withdrawn_deleted", r.Withdrawn, "unanswered_deleted", r.Unanswered, "outbox_files", r.OutboxFiles)
		}
	}
	if _, err := c.AddFunc("0 8 * * 1-5", func() { // the officers hear of it each working morning until it is done
		if t, ok := d.requestsDue(runCtx); ok {
			alerts.Alert(runCtx, scheduler.Alert{Kind: "privacy", Text: t.VI})
		}
	}); err != nil {
		return err
	}
	if _, err := c.AddFunc("30 3 * * *", retention); err != nil {
		return err
	}
	background.Go(remindBanners)
	if zc, ok := senders[content.Zalo].(*zalo.Client); ok {
		people := NewResidents(cfg, db, d.Now)
		syncZalo := func() {
			n, err := people.SyncFollowers(runCtx, zc)
			if err != nil {
				log.Error("zalo follower sync", "err", err)
				return
			}
			log.Info("zalo followers synced", "followers", n)
		}
		if _, err := c.AddFunc("0 3 * * *", syncZalo); err != nil {
			return err
		}
		// At start only when a sync was interrupted or the last is a day old.
		if due, err := people.FollowersDue(ctx); err != nil {
			return err
		} else if due {
			background.Go(syncZalo)
		}
	}
	c.Start()
	background.Go(func() { disp.Run(runCtx) })
	disp.Kick()
	background.Go(func() { alerts.run(runCtx) })
	background.Go(func() { d.heartbeat(runCtx, st, stop, log) })
	if tgLink != nil {
		background.Go(func() { d.runTelegram(runCtx, st, tgLink, offices, &tgBot, log) })
	}
	log.Info("loa is running", "ward", cfg.Ward.Name, "db", db.Path(), "http", ln.Addr().String(), "instance", st.instance)
	if d.Listening != nil {
		d.Listening(ln.Addr())
	}

	<-runCtx.Done()
	log.Info("stopping: no new work; letting sends in flight finish", "drain", cfg.Delivery.Drain)
	<-c.Stop().Done()
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	background.Wait()
	log.Info("stopped")
	return nil
}

// runTelegram connects to Telegram in the background (it may be blocked, as
// in Vietnam) while the other channels work, then runs the resident bot with
// the staff desk in it until ctx ends.
func (d *Daemon) runTelegram(ctx context.Context, st *state, link *telegram.Link, offices *office.Office, hook *atomic.Pointer[telegram.Bot], log *slog.Logger) {
	cfg := d.Config
	tg := link.Run(ctx)
	if tg == nil {
		return
	}
	log.Info("telegram channel ready", "bot", "@"+tg.Username(), "mode", cfg.Telegram.Mode)
	editorial := NewDesk(cfg, d.DB, d.Now)
	editorial.Changed = st.changed
	desk := &staffbot.Desk{Members: map[int64]staffbot.Member{}, Office: offices, Editorial: editorial,
		Log: d.Log.With("component", "staff-bot")}
	for _, m := range d.staffMembers(ctx, log) {
		desk.Members[m.chat] = m.Member
	}
	people := BotResidents{Residents: d.DB.Residents(content.Telegram), Channel: content.Telegram, Outbox: OutboxPurger{cfg.Delivery.OutboxDir}}
	bot := telegram.NewBot(tg, people, cfg.Ward.Name, d.Log, d.Now).WithStaff(desk).WithNotice(Notice(cfg))
	st.bot.Store(bot) // notices may go by Telegram from now on
	st.router.ChannelBack()
	st.kick()
	if cfg.Telegram.Mode == "webhook" {
		if err := bot.UseWebhook(ctx, cfg.Telegram.WebhookURL, cfg.Telegram.WebhookSecret.Reveal()); err != nil {
			log.Error("telegram setWebhook: residents' messages will not arrive until it succeeds", "err", err)
			return
		}
		hook.Store(bot)
		return
	}
	if err := bot.UsePolling(ctx); err != nil {
		log.Error("telegram deleteWebhook: residents' messages will not arrive", "err", err)
		return
	}
	bot.Run(ctx)
}

type staffChat struct {
	chat int64
	staffbot.Member
}

// staffMembers are the staff bot's people: each account with a Telegram
// chat, acting with the account's role; then telegram.staff entries, which
// take the role of the account they name when there is one (so the bot and
// the dashboard agree on what a person may do); a disabled account is left
// out.
func (d *Daemon) staffMembers(ctx context.Context, log *slog.Logger) []staffChat {
	users, err := d.DB.Users(ctx)
	if err != nil {
		log.Error("staff bot: read accounts", "err", err)
	}
	byName := map[string]staff.User{}
	var out []staffChat
	for _, u := range users {
		byName[u.Name] = u
		if !u.Active() {
			continue
		}
		if id, err := strconv.ParseInt(u.TelegramChat, 10, 64); err == nil && id != 0 {
			out = append(out, staffChat{id, staffbot.Member{Name: u.Name, Role: u.Role}})
		}
	}
	for _, s := range d.Config.Telegram.Staff {
		m := staffbot.Member{Name: s.Name, Role: staff.Role(s.Role)}
		if u, ok := byName[s.Name]; ok {
			if !u.Active() {
				continue // a disabled account acts nowhere
			}
			m.Role = u.Role
		}
		out = append(out, staffChat{s.ChatID, m})
	}
	return out
}

// routes are the webhooks on the HTTP server, beside /healthz and /metrics.
func (d *Daemon) routes(tgBot *atomic.Pointer[telegram.Bot], links *field.Links, senders map[content.Channel]scheduler.Sender, log *slog.Logger) map[string]http.Handler {
	cfg := d.Config
	routes := map[string]http.Handler{}
	if cfg.Zalo.AppID != "" && cfg.Zalo.OASecret.IsSet() {
		wh := &zalo.Webhook{AppID: cfg.Zalo.AppID, OASecret: cfg.Zalo.OASecret.Reveal(),
			Events: ZaloEvents{d.DB}, Now: d.Now, Log: d.Log.With("component", "zalo-webhook")}
		if oa, ok := senders[content.Zalo]; ok {
			wh.Replies = d.zaloReplies(links, oa, log)
			wh.Welcome = d.zaloWelcome(oa)
		}
		routes["POST /zalo/webhook"] = wh
	}
	if cfg.Telegram.Token.IsSet() && cfg.Telegram.Mode == "webhook" {
		secret := cfg.Telegram.WebhookSecret.Reveal()
		routes["POST /telegram/webhook"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if bot := tgBot.Load(); bot != nil {
				bot.WebhookHandler(secret).ServeHTTP(w, r)
				return
			}
			http.Error(w, "telegram is not connected yet", http.StatusServiceUnavailable)
		})
	}
	return routes
}

// health is /healthz: ok, or degraded with each problem.
func (d *Daemon) health(st *state) web.Health {
	h := web.Health{Status: "ok", Instance: st.instance}
	if t := st.lastTick.Load(); t != nil {
		h.LastTick = *t
	}
	for _, p := range d.problems(st) {
		h.Status, h.Problems = "degraded", append(h.Problems, p.EN)
	}
	return h
}

// problems are what is wrong with the daemon now, in both languages: for
// /healthz and the dashboard.
func (d *Daemon) problems(st *state) []i18n.Text {
	var out []i18n.Text
	add := func(vi, en string, args ...any) {
		out = append(out, i18n.Text{VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
	}
	now := d.Now()
	if t := st.lastTick.Load(); t != nil && now.Sub(*t) > 3*time.Minute {
		add("Bộ lập lịch đã ngừng chạy hơn 3 phút", "the scheduler has not run for 3 minutes")
	}
	if err := d.DB.WriteError(); err != nil {
		add("Không ghi được cơ sở dữ liệu, không gì được ghi sổ: %v", "the database cannot be written, nothing can be recorded: %v", err)
	}
	if t := st.lastRenewal.Load(); now.Sub(*t) > leaseTTL {
		add("Dịch vụ chưa gia hạn quyền chạy từ %s", "the daemon's lease has not been renewed since %s", localTime(*t))
	}
	for _, ch := range content.Channels {
		if _, ok := st.senders[ch]; !ok {
			continue
		}
		cs := st.dispatcher.Status(ch)
		switch {
		case cs.Down:
			add("Kênh %s đang hỏng: %s", "%s is down: %s", ch, cs.Why)
		case !cs.PausedUntil.IsZero():
			add("Kênh %s tạm dừng đến %s: %s", "%s is paused until %s: %s", ch, localTime(cs.PausedUntil), cs.Why)
		}
	}
	if st.tgLink != nil {
		if err := st.tgLink.Err(); err != nil {
			add("Không kết nối được Telegram: %v", "telegram is not reachable: %v", err)
		}
	}
	return out
}

// troubles are what the dashboard's Today page shows under problems: the
// daemon's own, and the Zalo OA needing re-authorization.
func (d *Daemon) troubles(ctx context.Context, st *state) []i18n.Text {
	out := d.problems(st)
	if t, ok, err := d.DB.ZaloTokens(ctx); err == nil && ok && t.NeedsReauth != "" {
		out = append(out, i18n.Text{VI: "Zalo OA cần cấp quyền lại: chạy loa zalo auth", EN: "The Zalo OA needs re-authorization: run loa zalo auth"})
	}
	if t, ok := d.requestsDue(ctx); ok {
		out = append(out, t)
	}
	return out
}

// requestsDue says how many residents' requests about their data are past
// their deadline, or due within two days; false when none is.
func (d *Daemon) requestsDue(ctx context.Context) (i18n.Text, bool) {
	reqs, err := d.DB.Requests(ctx, d.Now().AddDate(-1, 0, 0))
	if err != nil {
		return i18n.Text{}, false
	}
	now, late, soon := d.Now(), 0, 0
	for _, r := range reqs {
		switch {
		case !r.Open():
		case r.Late(now):
			late++
		case r.DueAt.Sub(now) < 48*time.Hour:
			soon++
		}
	}
	switch {
	case late > 0:
		return i18n.Text{VI: fmt.Sprintf("%d yêu cầu của người dân về dữ liệu cá nhân đã quá hạn: xem trang Người nhận tin", late),
			EN: fmt.Sprintf("%d residents' requests about their data are past their deadline: see the Residents page", late)}, true
	case soon > 0:
		return i18n.Text{VI: fmt.Sprintf("%d yêu cầu của người dân về dữ liệu cá nhân đến hạn trong 2 ngày: xem trang Người nhận tin", soon),
			EN: fmt.Sprintf("%d residents' requests about their data are due within 2 days: see the Residents page", soon)}, true
	}
	return i18n.Text{}, false
}

type kickFunc func()

func (k kickFunc) Kick() { k() }

// heartbeat renews the lease; losing it stops the daemon.
func (d *Daemon) heartbeat(ctx context.Context, st *state, stop func(), log *slog.Logger) {
	t := time.NewTicker(leaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := d.Now()
			err := d.DB.RenewLease(ctx, leaseName, st.instance, leaseTTL, now)
			if err == nil {
				st.lastRenewal.Store(&now)
			}
			if errors.Is(err, store.ErrLeaseLost) {
				log.Error("another process took the lease: stopping so nothing is sent twice")
				stop()
				return
			}
			if err != nil && ctx.Err() == nil {
				log.Error("renew lease", "err", err)
			}
		}
	}
}

func (d *Daemon) checkRestore(ctx context.Context, log *slog.Logger) error {
	at, restored, err := d.DB.BackupTakenAt(ctx)
	if err != nil || !restored {
		return err
	}
	if !d.AfterRestore {
		return content.Errorf("cơ sở dữ liệu này là bản sao lưu lúc %s: những tin bản gốc đã gửi sau lúc đó không có ở đây. Chạy \"loa serve --after-restore\" để đánh dấu chúng là không rõ (không gửi lại) rồi tiếp tục",
			"this database is a backup taken at %s: what the original sent after that is not in it. Run \"loa serve --after-restore\" to mark it unknown (never resent) and go on",
			localTime(at))
	}
	// Every run that could have been due between the copy and now must
	// exist before AfterRestore marks them missed, however long ago the copy
	// was taken: the copy only planned up to its horizon.
	if _, err := NewScheduler(d.Config, d.DB, d.Log, nil, nil).PlanUntil(ctx, d.Now()); err != nil {
		return err
	}
	dn, rn, err := d.DB.AfterRestore(ctx, d.Actor.Audit(), d.Now())
	if err != nil {
		return err
	}
	log.Warn("restored backup put into service", "backup_taken_at", at, "deliveries_unknown", dn, "runs_missed", rn)
	return nil
}

// seedDemo loads the demo into an empty database, and in any case schedules
// a test post a minute from now so the demo shows something going out.
func (d *Daemon) seedDemo(ctx context.Context, log *slog.Logger) error {
	now := d.Now()
	cs, err := d.DB.Campaigns(ctx, 0)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		r, err := demo.Seed(ctx, d.DB, NewDesk(d.Config, d.DB, d.Now), now)
		if err != nil {
			return err
		}
		log.Info("demo content loaded", "campaigns", len(r.Campaigns), "messages", r.Import.Result.Created, "schedules", r.Import.Result.SchedulesAdded)
	}
	id, at, err := demo.TestPost(ctx, d.DB, now)
	if err != nil {
		return err
	}
	log.Info("demo: a test post is scheduled", "schedule", id, "at", at.In(content.Zone).Format("15:04 02/01/2006"))
	return nil
}

// logNext logs the next runs, so a person starting Loa sees what is coming.
func (d *Daemon) logNext(ctx context.Context, log *slog.Logger) {
	runs, err := d.DB.Runs(ctx, scheduler.RunFilter{From: d.Now(), States: []scheduler.RunState{scheduler.RunPlanned, scheduler.RunHeld}})
	if err != nil {
		log.Error("list next runs", "err", err)
		return
	}
	for i, r := range runs {
		if i == 5 {
			break
		}
		log.Info("next run", "at", r.DueAt.In(content.Zone).Format("15:04 02/01/2006"), "message", r.MessageKey, "channels", r.Channels, "state", r.State)
	}
	if len(runs) == 0 {
		log.Info("no runs in the next " + d.Config.Scheduler.Horizon.String())
	}
}

// cronLogger adapts slog to robfig/cron's logger. cron's own goroutine
// logs "stop" after Stop has returned; once Run is done the logger is
// closed, so nothing of the daemon writes after Run returns.
type cronLogger struct {
	log    *slog.Logger
	mu     *sync.Mutex
	closed *bool
}

func newCronLogger(log *slog.Logger) cronLogger {
	return cronLogger{log: log, mu: &sync.Mutex{}, closed: new(bool)}
}

func (l cronLogger) Info(msg string, kv ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !*l.closed {
		l.log.Debug(msg, kv...)
	}
}

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.mu.Lock()
	defer l.mu.Unlock()
	if !*l.closed {
		l.log.Error(msg, append(kv, "err", err)...)
	}
}

// close stops the logging.
func (l cronLogger) close() {
	l.mu.Lock()
	*l.closed = true
	l.mu.Unlock()
}

// localTime shows an instant in the ward's zone, "14:05 25/11/2026".
func localTime(t time.Time) string { return t.In(content.Zone).Format("15:04 02/01/2006") }

// instanceName identifies this process in the lease: host, pid, random id.
func instanceName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s pid %d %s", host, os.Getpid(), hex.EncodeToString(b))
}

// localPID is the process id in a lease holder's name (see instanceName)
// when the holder ran on this host.
func localPID(holder string) (int, bool) {
	f := strings.Fields(holder)
	host, _ := os.Hostname()
	if len(f) < 3 || f[0] != host || f[1] != "pid" {
		return 0, false
	}
	pid, err := strconv.Atoi(f[2])
	return pid, err == nil
}
