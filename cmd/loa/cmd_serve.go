package main

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"os"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"syscall"
	"time"

	"github.com/robfig/cron/v3"
	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/outbox"
	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/webhook"
	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/web"
)

// The daemon holds this lease while it runs; it renews it every leaseTTL/3.
const (
	leaseName = "daemon"
	leaseTTL  = 30 * time.Second
)

func (a *app) serveCommand() *cobra.Command {
	var demoMode, afterRestore bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Chạy dịch vụ: tự gửi tin đúng lịch / run the daemon that sends on the dates",
		Long: `Chạy dịch vụ: lập lịch, gửi tin đúng giờ, ghi sổ từng lượt gửi; /healthz và /metrics trên http.addr.
Runs the daemon: plans runs, sends them on time and records every delivery; /healthz and /metrics on http.addr.

--demo nạp dữ liệu mẫu nếu cơ sở dữ liệu trống và hẹn một tin thử một phút sau khi chạy.
--demo loads the demo into an empty database and schedules a test post a minute after start.`,
		Args: args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			return a.serve(cmd.Context(), demoMode, afterRestore)
		},
	}
	cmd.Flags().BoolVar(&demoMode, "demo", false, "dữ liệu mẫu và tin thử / demo content and a test post")
	cmd.Flags().BoolVar(&afterRestore, "after-restore", false, "đưa bản sao lưu vào dùng / put a restored backup into service")
	return cmd
}

func (a *app) serve(ctx context.Context, demoMode, afterRestore bool) error {
	log := a.log.With("component", "serve")
	desk, err := a.desk(ctx)
	if err != nil {
		return err
	}
	db := desk.DB
	defer db.Close()

	instance := instanceName()
	if err := db.AcquireLease(ctx, leaseName, instance, leaseTTL, a.now(), holderGone); err != nil {
		var held *store.LeaseHeldError
		if errors.As(err, &held) {
			return content.Errorf("một tiến trình loa serve khác (%s) đang chạy trên cơ sở dữ liệu %s; không chạy hai dịch vụ cùng lúc để không gửi trùng",
				"another loa serve (%s) is running on %s; two daemons on one database would send twice", held.Lease.Holder, db.Path())
		}
		return err
	}
	defer func() {
		if err := db.ReleaseLease(context.WithoutCancel(ctx), leaseName, instance); err != nil {
			log.Error("release lease", "err", err)
		}
	}()
	if err := a.checkRestore(ctx, db, afterRestore, log); err != nil {
		return err
	}
	if n, err := db.RecoverSending(ctx, a.now()); err != nil {
		return err
	} else if n > 0 {
		log.Warn("deliveries were in flight when Loa last stopped: marked unknown, not resent", "count", n,
			"see", "loa deliveries", "resend", "loa deliveries resend --unknown RUN")
	}
	if demoMode {
		if err := a.seedDemo(ctx, desk, log); err != nil {
			return err
		}
	}

	budgets := map[content.Channel]*channels.Budget{}
	for _, ch := range []content.Channel{content.Telegram, content.Zalo} {
		budgets[ch] = channels.NewBudget(a.cfg.Delivery.Rates[ch], a.now)
	}
	senders, tgLink, closeSenders, err := a.senders(db, budgets, log)
	if err != nil {
		return err
	}
	defer closeSenders()
	routes := map[string]http.Handler{}
	if a.cfg.Zalo.AppID != "" && a.cfg.Zalo.OASecret.IsSet() {
		routes["POST /zalo/webhook"] = &zalo.Webhook{AppID: a.cfg.Zalo.AppID, OASecret: a.cfg.Zalo.OASecret.Reveal(),
			Events: zaloEvents{db}, Now: a.now, Log: a.log.With("component", "zalo-webhook")}
	}
	alerts := newStaffAlerter(a.log.With("component", "alerts"), a.now, tgLink != nil)
	var tgBot atomic.Pointer[telegram.Bot] // set once Telegram is reachable
	if tgLink != nil && a.cfg.Telegram.Mode == "webhook" {
		secret := a.cfg.Telegram.WebhookSecret.Reveal()
		routes["POST /telegram/webhook"] = http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			if bot := tgBot.Load(); bot != nil {
				bot.WebhookHandler(secret).ServeHTTP(w, r)
				return
			}
			http.Error(w, "telegram is not connected yet", http.StatusServiceUnavailable)
		})
	}
	metrics := web.NewMetrics(db, a.log)
	var disp *scheduler.Dispatcher
	sched := a.newScheduler(db, alerts, kickFunc(func() { disp.Kick() }))
	dcfg := a.dispatchConfig()
	dcfg.Budgets = budgets
	disp = scheduler.NewDispatcher(db, senders, sched.Render, dcfg, a.log, alerts, a.now)
	disp.Observe = metrics.ObserveSend

	runCtx, stop := context.WithCancel(ctx)
	defer stop()
	var background sync.WaitGroup // every goroutine started here; shutdown waits for them all
	var lastTick, lastRenewal atomic.Pointer[time.Time]
	started := a.now()
	lastRenewal.Store(&started)
	tick := func() {
		now := a.now()
		r, err := sched.RunOnce(runCtx, now)
		metrics.Tick()
		lastTick.Store(&now)
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
	a.logNext(ctx, db, log)

	ln, err := web.Listen(a.cfg.HTTP.Addr, web.Limits{})
	if err != nil {
		return err
	}
	srv := web.NewServer(web.Handler(metrics, func() web.Health {
		h := web.Health{Status: "ok", Instance: instance}
		now := a.now()
		problem := func(p string) { h.Status, h.Problems = "degraded", append(h.Problems, p) }
		if t := lastTick.Load(); t != nil {
			h.LastTick = *t
			if now.Sub(*t) > 3*time.Minute {
				problem("the scheduler has not run for 3 minutes")
			}
		}
		if err := db.WriteError(); err != nil {
			problem("the database cannot be written, nothing can be recorded: " + err.Error())
		}
		if t := lastRenewal.Load(); now.Sub(*t) > leaseTTL {
			problem("the daemon's lease has not been renewed since " + localTime(*t))
		}
		for _, ch := range content.Channels {
			if _, ok := senders[ch]; !ok {
				continue
			}
			st := disp.Status(ch)
			switch {
			case st.Down:
				problem(fmt.Sprintf("%s is down: %s", ch, st.Why))
			case !st.PausedUntil.IsZero():
				problem(fmt.Sprintf("%s is paused until %s: %s", ch, localTime(st.PausedUntil), st.Why))
			}
		}
		if tgLink != nil {
			if err := tgLink.Err(); err != nil {
				problem("telegram is not reachable: " + err.Error())
			}
		}
		return h
	}, routes), web.Limits{})
	background.Go(func() {
		if err := srv.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
			log.Error("http server", "err", err)
		}
	})

	cl := cronLogger{a.log.With("component", "cron")}
	c := cron.New(cron.WithLocation(content.Zone), cron.WithLogger(cl), cron.WithChain(cron.Recover(cl), cron.SkipIfStillRunning(cl)))
	if _, err := c.AddFunc("* * * * *", tick); err != nil {
		return err
	}
	if _, err := c.AddFunc("0 7-21 * * *", func() { a.remindBanners(runCtx, db, alerts) }); err != nil {
		return err
	}
	background.Go(func() { a.remindBanners(runCtx, db, alerts) })
	if zc, ok := senders[content.Zalo].(*zalo.Client); ok {
		syncZalo := func() {
			n, err := a.syncFollowers(runCtx, db, zc)
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
		if due, err := a.followersDue(ctx, db); err != nil {
			return err
		} else if due {
			background.Go(syncZalo)
		}
	}
	c.Start()
	background.Go(func() { disp.Run(runCtx) })
	disp.Kick()
	background.Go(func() { alerts.Run(runCtx) })
	background.Go(func() { a.heartbeat(runCtx, db, instance, stop, &lastRenewal, log) })
	if tgLink != nil {
		// Telegram may be unreachable (blocked in Vietnam): connect in the
		// background while the other channels work, then start the bot.
		background.Go(func() {
			tg := tgLink.Run(runCtx)
			if tg == nil {
				return
			}
			log.Info("telegram channel ready", "bot", "@"+tg.Username(), "mode", a.cfg.Telegram.Mode)
			staff := map[int64]telegram.StaffMember{}
			for _, s := range a.cfg.Telegram.Staff {
				staff[s.ChatID] = telegram.StaffMember{Name: s.Name, Role: s.Role}
			}
			bot := telegram.NewBot(tg, db.Residents(content.Telegram), a.cfg.Ward.Name, a.log, a.now).WithStaff(staff, office{a, db})
			alerts.setBot(bot)
			if a.cfg.Telegram.Mode == "webhook" {
				if err := bot.UseWebhook(runCtx, a.cfg.Telegram.WebhookURL, a.cfg.Telegram.WebhookSecret.Reveal()); err != nil {
					log.Error("telegram setWebhook: residents' messages will not arrive until it succeeds", "err", err)
					return
				}
				tgBot.Store(bot)
				return
			}
			if err := bot.UsePolling(runCtx); err != nil {
				log.Error("telegram deleteWebhook: residents' messages will not arrive", "err", err)
				return
			}
			bot.Run(runCtx)
		})
	}
	log.Info("loa is running", "ward", a.cfg.Ward.Name, "db", db.Path(), "http", ln.Addr().String(), "instance", instance)

	<-runCtx.Done()
	log.Info("stopping: no new work; letting sends in flight finish", "drain", a.cfg.Delivery.Drain)
	<-c.Stop().Done()
	shutdown, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	_ = srv.Shutdown(shutdown)
	background.Wait()
	log.Info("stopped")
	return nil
}

type kickFunc func()

func (k kickFunc) Kick() { k() }

// heartbeat renews the lease; losing it stops the daemon.
func (a *app) heartbeat(ctx context.Context, db *store.DB, instance string, stop func(), renewed *atomic.Pointer[time.Time], log *slog.Logger) {
	t := time.NewTicker(leaseTTL / 3)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			now := a.now()
			err := db.RenewLease(ctx, leaseName, instance, leaseTTL, now)
			if err == nil {
				renewed.Store(&now)
			}
			if errors.Is(err, store.ErrLeaseLost) {
				log.Error("another process took the lease: stopping so nothing is sent twice")
				stop()
				return
			}
			if err != nil {
				log.Error("renew lease", "err", err)
			}
		}
	}
}

func (a *app) checkRestore(ctx context.Context, db *store.DB, afterRestore bool, log *slog.Logger) error {
	at, restored, err := db.BackupTakenAt(ctx)
	if err != nil || !restored {
		return err
	}
	if !afterRestore {
		return content.Errorf("cơ sở dữ liệu này là bản sao lưu lúc %s: những tin bản gốc đã gửi sau lúc đó không có ở đây. Chạy \"loa serve --after-restore\" để đánh dấu chúng là không rõ (không gửi lại) rồi tiếp tục",
			"this database is a backup taken at %s: what the original sent after that is not in it. Run \"loa serve --after-restore\" to mark it unknown (never resent) and go on",
			localTime(at))
	}
	// Every run that could have been due between the copy and now must
	// exist before AfterRestore marks them missed, however long ago the copy
	// was taken: the copy only planned up to its horizon.
	if _, err := a.newScheduler(db, nil, nil).PlanUntil(ctx, a.now()); err != nil {
		return err
	}
	d, r, err := db.AfterRestore(ctx, a.actor, a.now())
	if err != nil {
		return err
	}
	log.Warn("restored backup put into service", "backup_taken_at", at, "deliveries_unknown", d, "runs_missed", r)
	return nil
}

// instanceName identifies this process in the lease: host, pid, random id.
func instanceName() string {
	host, _ := os.Hostname()
	b := make([]byte, 4)
	_, _ = rand.Read(b)
	return fmt.Sprintf("%s pid %d %s", host, os.Getpid(), hex.EncodeToString(b))
}

// holderGone reports whether a lease holder was a process on this host that
// no longer exists (killed with -9, the machine rebooted).
func holderGone(holder string) bool {
	f := strings.Fields(holder)
	host, _ := os.Hostname()
	if len(f) < 3 || f[0] != host || f[1] != "pid" {
		return false
	}
	pid, err := strconv.Atoi(f[2])
	if err != nil {
		return false
	}
	return errors.Is(syscall.Kill(pid, 0), syscall.ESRCH) || zombie(pid)
}

// zombie reports whether pid has exited and waits for its parent to reap
// it (state Z in /proc): a daemon killed under a supervisor that has not
// collected it yet is gone all the same.
func zombie(pid int) bool {
	stat, err := os.ReadFile(fmt.Sprintf("/proc/%d/stat", pid))
	if err != nil {
		return false
	}
	// "pid (comm) S …": the state follows the last ')', as comm may hold one.
	i := bytes.LastIndexByte(stat, ')')
	return i >= 0 && i+2 < len(stat) && stat[i+2] == 'Z'
}

// senders picks the transport of each channel Loa sends on: the webhook
// where configured, else the outbox. Telegram is a link that connects in
// the background (nil when no token is set).
func (a *app) senders(db *store.DB, budgets map[content.Channel]*channels.Budget, log *slog.Logger) (map[content.Channel]scheduler.Sender, *telegram.Link, func(), error) {
	ob, err := outbox.New(a.cfg.Delivery.OutboxDir, a.now)
	if err != nil {
		return nil, nil, nil, err
	}
	out := map[content.Channel]scheduler.Sender{content.Telegram: ob, content.Zalo: ob}
	var tg *telegram.Link
	if a.cfg.Telegram.Token.IsSet() {
		cfg, err := a.telegramConfig(context.Background(), db, log)
		if err != nil {
			return nil, nil, nil, err
		}
		cfg.Budget = budgets[content.Telegram]
		tg = telegram.NewLink(cfg)
		out[content.Telegram] = tg
	}
	if a.cfg.Zalo.AppID != "" {
		out[content.Zalo] = a.zaloClient(db, budgets[content.Zalo])
		if _, ok, err := db.ZaloTokens(context.Background()); err != nil {
			return nil, nil, nil, err
		} else if !ok {
			log.Warn("zalo is configured but the OA never granted access: Zalo deliveries wait until `loa zalo auth` is done")
		}
		log.Info("zalo channel ready", "app_id", a.cfg.Zalo.AppID)
	}
	if a.cfg.Webhook.URL != "" {
		wh, err := webhook.New(a.cfg.Webhook.URL, nil)
		if err != nil {
			return nil, nil, nil, err
		}
		for _, ch := range a.cfg.Webhook.Channels {
			out[ch] = wh
		}
	}
	for ch, s := range out {
		if _, isOutbox := s.(*outbox.Outbox); isOutbox {
			log.Info("channel writes to the outbox", "channel", ch, "dir", ob.Dir())
		}
	}
	return out, tg, func() { ob.Close() }, nil
}

// newScheduler is the scheduler the configuration describes.
// kick, when not nil, is told when deliveries are queued.
func (a *app) newScheduler(db *store.DB, alerts scheduler.Alerter, kick interface{ Kick() }) *scheduler.Scheduler {
	return scheduler.New(db, scheduler.Config{
		Grace: a.cfg.Scheduler.Grace, Horizon: a.cfg.Scheduler.Horizon,
		Ward: a.cfg.Ward.Name, Hotlines: a.cfg.Content.Hotlines,
		Observance: a.cfg.Observance, Assignees: a.cfg.Delivery.Assignees,
		Groups: map[content.Channel]map[string]string{content.Zalo: a.cfg.Zalo.Groups},
	}, a.log, alerts, kick)
}

func (a *app) dispatchConfig() scheduler.DispatchConfig {
	d := a.cfg.Delivery
	return scheduler.DispatchConfig{Rates: d.Rates, Workers: d.Workers, InFlight: d.InFlight, MaxAttempts: d.MaxAttempts,
		RetryBase: d.RetryBase, RetryMax: d.RetryMax, Drain: d.Drain}
}

// seedDemo loads the demo into an empty database, and in any case schedules
// a test post a minute from now so the demo shows something going out.
func (a *app) seedDemo(ctx context.Context, desk *editorial.Desk, log *slog.Logger) error {
	now := a.now()
	cs, err := desk.DB.Campaigns(ctx, 0)
	if err != nil {
		return err
	}
	if len(cs) == 0 {
		r, err := demo.Seed(ctx, desk, now)
		if err != nil {
			return err
		}
		log.Info("demo content loaded", "campaigns", len(r.Campaigns), "messages", r.Import.Result.Created, "schedules", r.Import.Result.SchedulesAdded)
	}
	id, at, err := demo.TestPost(ctx, desk.DB, now)
	if err != nil {
		return err
	}
	log.Info("demo: a test post is scheduled", "schedule", id, "at", at.In(content.Zone).Format("15:04 02/01/2006"))
	return nil
}

// logNext logs the next runs, so a person starting Loa sees what is coming.
func (a *app) logNext(ctx context.Context, db *store.DB, log *slog.Logger) {
	runs, err := db.Runs(ctx, store.RunFilter{From: a.now(), States: []scheduler.RunState{scheduler.RunPlanned, scheduler.RunHeld}})
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
		log.Info("no runs in the next " + a.cfg.Scheduler.Horizon.String())
	}
}

// cronLogger adapts slog to robfig/cron's logger.
type cronLogger struct{ log *slog.Logger }

func (l cronLogger) Info(msg string, kv ...any) { l.log.Debug(msg, kv...) }

func (l cronLogger) Error(err error, msg string, kv ...any) {
	l.log.Error(msg, append(kv, "err", err)...)
}

// telegramConfig is the Bot API client's configuration with the configured
// chats and the groups known to have migrated; migrations found while
// sending are saved.
func (a *app) telegramConfig(ctx context.Context, db *store.DB, log *slog.Logger) (telegram.Config, error) {
	aliases, err := db.ChatAliases(ctx, content.Telegram)
	if err != nil {
		return telegram.Config{}, err
	}
	for name, chat := range a.cfg.Telegram.Chats {
		aliases[name] = chat // schedules say chats:<name>
	}
	return telegram.Config{
		Token: a.cfg.Telegram.Token.Reveal(), Endpoint: a.cfg.Telegram.APIEndpoint, Paid: a.cfg.Telegram.PaidBroadcast,
		Aliases: aliases, Log: a.log,
		Migrated: func(old, new string) {
			if err := db.RenameChat(context.WithoutCancel(ctx), content.Telegram, old, new, a.now()); err != nil {
				log.Error("remember a migrated telegram group", "old", old, "new", new, "err", err)
			}
		},
		Flagged: func(key string, version int, reason string) {
			log.Warn("alert: a message was sent as plain text because Telegram could not read its formatting: fix it",
				"message", key, "version", version, "reason", reason)
		},
	}, nil
}
