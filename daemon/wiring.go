package daemon

import (
	"context"
	"log/slog"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/loa-ward/loa/accounts"
	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/outbox"
	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/loudspeaker"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// NewScheduler is the scheduler the configuration describes. kick, when
// not nil, is told when deliveries are queued; alerts may be nil (logged).
func NewScheduler(cfg *config.Config, db *store.DB, log *slog.Logger, alerts scheduler.Alerter, kick interface{ Kick() }) *scheduler.Scheduler {
	return scheduler.New(db, scheduler.Config{
		Grace: cfg.Scheduler.Grace, Horizon: cfg.Scheduler.Horizon,
		Renderer: Renderer(cfg), Assignees: cfg.Delivery.Assignees,
		Groups: map[content.Channel]map[string]string{content.Zalo: cfg.Zalo.Groups},
	}, log, alerts, kick)
}

// Renderer is the one renderer of the ward's messages.
func Renderer(cfg *config.Config) content.Renderer {
	return content.Renderer{Ward: cfg.Ward.Name, Calendar: cfg.Calendar, Hotlines: cfg.Content.Hotlines}
}

// NewOffice is the ward office's service over db; render is the
// scheduler's renderer.
func NewOffice(cfg *config.Config, db *store.DB, now func() time.Time, render office.RenderFunc) *office.Office {
	return &office.Office{DB: db, Renderer: Renderer(cfg), TaskOverdue: cfg.Delivery.TaskOverdue, Render: render, Now: now,
		Letterhead: office.Letterhead{Parent: cfg.Report.Parent, Place: cfg.Report.Place}}
}

// NewActivities records the ward's activities, documents, materials and articles.
func NewActivities(db *store.DB, now func() time.Time) *activities.Registry {
	return &activities.Registry{DB: db, Now: now}
}

// NewLinks issues and honours task links; their base is http.public_url.
func NewLinks(cfg *config.Config, db *store.DB, o *office.Office, now func() time.Time) *field.Links {
	return &field.Links{DB: db, Office: o, Now: now, TTL: cfg.Delivery.LinkTTL, Base: cfg.HTTP.PublicURL, Pace: cfg.Content.Pace}
}

// NewDesk is the content desk over db.
func NewDesk(cfg *config.Config, db *store.DB, now func() time.Time) *editorial.Desk {
	return &editorial.Desk{DB: db, Ward: cfg.Ward.Name, Calendar: cfg.Calendar, Hotlines: cfg.Content.Hotlines,
		Pace: cfg.Content.Pace, MaxReading: cfg.Content.MaxReading, SelfApproval: cfg.Content.SelfApproval, Now: now}
}

// DispatchConfig is the dispatcher's part of the configuration.
func DispatchConfig(cfg *config.Config) scheduler.DispatchConfig {
	d := cfg.Delivery
	return scheduler.DispatchConfig{Rates: d.Rates, Workers: d.Workers, InFlight: d.InFlight, MaxAttempts: d.MaxAttempts,
		RetryBase: d.RetryBase, RetryMax: d.RetryMax, Drain: d.Drain}
}

// ZaloClient is the OA's client; budget is the OA's rate budget and hc its
// HTTP client (both nil for a one-off command).
func ZaloClient(cfg *config.Config, db *store.DB, now func() time.Time, log *slog.Logger, budget *channels.Budget, hc *http.Client) *zalo.Client {
	z := cfg.Zalo
	return zalo.New(zalo.Config{AppID: z.AppID, AppSecret: z.AppSecret.Reveal(), OAuthBase: z.OAuthBase, APIBase: z.APIBase,
		ZNSBase: z.ZNSBase, Tokens: db, Now: now, Log: log, Budget: budget, HTTP: hc,
		SkipOverQuota: z.OverQuota == "skip"})
}

// TelegramConfig is the Bot API client's configuration with the configured
// chats and the groups known to have migrated; migrations found while
// sending are saved.
func TelegramConfig(ctx context.Context, cfg *config.Config, db *store.DB, now func() time.Time, log *slog.Logger) (telegram.Config, error) {
	aliases, err := db.ChatAliases(ctx, content.Telegram)
	if err != nil {
		return telegram.Config{}, err
	}
	for name, chat := range cfg.Telegram.Chats {
		aliases[name] = chat // schedules say chats:<name>
	}
	return telegram.Config{
		Token: cfg.Telegram.Token.Reveal(), Endpoint: cfg.Telegram.APIEndpoint, Paid: cfg.Telegram.PaidBroadcast,
		Aliases: aliases, Log: log,
		Migrated: func(old, new string) {
			if err := db.RenameChat(context.WithoutCancel(ctx), content.Telegram, old, new, now()); err != nil {
				log.Error("remember a migrated telegram group", "old", old, "new", new, "err", err)
			}
		},
		Flagged: func(key string, version int, reason string) {
			log.Warn("alert: a message was sent as plain text because Telegram could not read its formatting: fix it",
				"message", key, "version", version, "reason", reason)
		},
	}, nil
}

// ZaloEvents records the OA webhook's events in the database.
type ZaloEvents struct{ DB *store.DB }

// Follow records a follow or an unfollow.
func (e ZaloEvents) Follow(ctx context.Context, id string, follows bool, now time.Time) error {
	return e.DB.Follow(ctx, id, "", follows, "zalo:follow", now)
}

// Interacted records that a follower wrote to the OA.
func (e ZaloEvents) Interacted(ctx context.Context, id string, at time.Time) error {
	return e.DB.Interacted(ctx, id, at)
}

// FirstSeen reports whether an event's signature is new (a replay is not).
func (e ZaloEvents) FirstSeen(ctx context.Context, sig string, now time.Time, keep time.Duration) (bool, error) {
	return e.DB.FirstSeen(ctx, sig, now, keep)
}

// Unsee forgets a signature whose event could not be recorded.
func (e ZaloEvents) Unsee(ctx context.Context, sig string) error { return e.DB.Unsee(ctx, sig) }

// Received records that a sent message arrived.
func (e ZaloEvents) Received(ctx context.Context, msgID string, at time.Time) error {
	_, err := e.DB.Received(ctx, content.Zalo, msgID, at)
	return err
}

// NewAccounts is the ward office's accounts in db, with the configured
// session timeouts.
func NewAccounts(cfg *config.Config, db *store.DB, now func() time.Time) *accounts.Directory {
	return &accounts.Directory{Store: db, Now: now, Idle: cfg.HTTP.SessionIdle, Max: cfg.HTTP.SessionMax}
}

// NewResidents is the ward's residents, kept in db; a deleted resident is
// purged from the outbox's files too.
func NewResidents(cfg *config.Config, db *store.DB, now func() time.Time) *residents.Registry {
	return &residents.Registry{Store: db, Now: now, Purgers: []residents.Purger{OutboxPurger{cfg.Delivery.OutboxDir}}, RequestDays: cfg.Privacy.RequestDays}
}

// OutboxPurger purges a deleted resident from the outbox's files.
type OutboxPurger struct{ Dir string }

// Purge removes every line sent to id on ch.
func (p OutboxPurger) Purge(ch content.Channel, id string) error { return outbox.Purge(p.Dir, ch, id) }

// BotResidents are a bot's residents in the database, deleted from the
// outbox's files too.
type BotResidents struct {
	store.Residents
	Channel content.Channel
	Outbox  OutboxPurger
}

// Forget deletes the resident at their request, everywhere.
func (r BotResidents) Forget(ctx context.Context, id string, now time.Time) error {
	if err := r.Residents.Forget(ctx, id, now); err != nil {
		return err
	}
	return r.Outbox.Purge(r.Channel, id)
}

// Notice is the ward's privacy notice, from the configuration.
func Notice(cfg *config.Config) privacy.Notice {
	p := cfg.Privacy
	n := privacy.Notice{Ward: cfg.Ward.Name, Controller: p.Controller, Address: p.Address, Contact: p.Contact,
		RetentionMonths: p.RetentionMonths, UnansweredDays: p.UnansweredDays, RequestDays: p.RequestDays}
	if cfg.HTTP.PublicURL != "" {
		n.URL = strings.TrimSuffix(cfg.HTTP.PublicURL, "/") + "/privacy"
	}
	return n
}

// NewRadio is the ward radio's service, over office's database.
func NewRadio(cfg *config.Config, db *store.DB, o *office.Office) *loudspeaker.Radio {
	l := cfg.Loudspeaker
	slots := make([]loudspeaker.Slot, len(l.Slots))
	for i, s := range l.Slots {
		slots[i] = loudspeaker.Slot(s)
	}
	frame := loudspeaker.Styles[l.Style]
	if l.Opening != "" {
		frame = loudspeaker.Frame{Opening: l.Opening, Closing: l.Closing}
	}
	return &loudspeaker.Radio{Office: o, DB: db, Ward: cfg.Ward.Name, Slots: slots, Dir: l.Dir, Pace: cfg.Content.Pace, Abbreviations: l.Abbreviations, Frame: frame}
}

// Backup writes a checked backup of db next to it, under backups/ with the
// time in its name (the dashboard's "back up now"), and returns its path.
func Backup(ctx context.Context, cfg *config.Config, db *store.DB, now time.Time) (string, error) {
	dir := filepath.Join(filepath.Dir(cfg.Store.Path), "backups")
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return "", err
	}
	path := filepath.Join(dir, "loa-"+now.In(content.Zone).Format("2006-01-02-150405")+".db")
	return path, db.Backup(ctx, path, now)
}
