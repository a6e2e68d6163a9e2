package main

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strings"
	"sync"
	"time"
	"unicode/utf8"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// office gives the Telegram staff commands the ward office's data.
type office struct {
	a  *app
	db *store.DB
}

var _ telegram.Office = office{}

func (o office) Plan(ctx context.Context) (string, error) {
	now := o.a.now()
	lines, err := o.a.upcoming(ctx, o.db, now, now.Add(7*24*time.Hour))
	if err != nil {
		return "", err
	}
	if len(lines) == 0 {
		return "Không có gì sẽ gửi trong 7 ngày tới.", nil
	}
	var b strings.Builder
	b.WriteString("<b>7 ngày tới</b>\n")
	for i, l := range lines {
		if i == 30 {
			fmt.Fprintf(&b, "… và %d lượt nữa (loa plan)\n", len(lines)-30)
			break
		}
		var chans []string
		for _, ch := range l.Channels {
			chans = append(chans, fmt.Sprintf("%s %d", ch, l.Audience[ch]))
		}
		approval := fmt.Sprintf("v%d", l.Version)
		if l.Waiting {
			approval = "⏳ chờ duyệt"
		}
		fmt.Fprintf(&b, "%s · %s · %s · %s\n", l.At.In(content.Zone).Format("15:04 02/01"), telegram.EscapeHTML(l.Message), approval, strings.Join(chans, ", "))
	}
	return b.String(), nil
}

func (o office) Status(ctx context.Context) (string, error) {
	now := o.a.now()
	runs, err := o.db.Runs(ctx, store.RunFilter{From: now.Add(-7 * 24 * time.Hour), To: now.Add(time.Minute),
		States: []scheduler.RunState{scheduler.RunRunning, scheduler.RunDone, scheduler.RunMissed, scheduler.RunHeld}})
	if err != nil {
		return "", err
	}
	if len(runs) == 0 {
		return "Chưa có lượt gửi nào trong 7 ngày qua.", nil
	}
	var b strings.Builder
	b.WriteString("<b>7 ngày qua</b>\n")
	for _, r := range runs[max(0, len(runs)-15):] {
		counts, err := o.db.DeliveryCounts(ctx, r.ID)
		if err != nil {
			return "", err
		}
		var parts []string
		for _, ch := range content.Channels {
			for _, st := range scheduler.DeliveryStates {
				if n := counts[ch][st]; n > 0 {
					parts = append(parts, fmt.Sprintf("%s %s %d", ch, deliveryStateVI[st], n))
				}
			}
		}
		fmt.Fprintf(&b, "#%d %s %s: %s. %s\n", r.ID, r.DueAt.In(content.Zone).Format("15:04 02/01"), telegram.EscapeHTML(r.MessageKey),
			runStateVI[r.State], strings.Join(parts, ", "))
	}
	return b.String(), nil
}

func (o office) Pending(ctx context.Context) ([]telegram.Pending, error) {
	ms, err := o.db.Messages(ctx, store.MessageFilter{State: content.StateSubmitted})
	if err != nil {
		return nil, err
	}
	var out []telegram.Pending
	for _, m := range ms {
		preview := ""
		for _, ch := range content.Channels {
			if text := m.Variants.Get(ch); text != "" {
				preview = string(ch) + ": " + content.TelegramVisible(text)
				break
			}
		}
		if utf8.RuneCountInString(preview) > 500 {
			preview = string([]rune(preview)[:500]) + "…"
		}
		out = append(out, telegram.Pending{ID: m.ID, Summary: fmt.Sprintf("%s/%s v%d: %s", m.Campaign, m.Key, m.Version, m.Title), Preview: preview})
	}
	return out, nil
}

func (o office) Approve(ctx context.Context, id int64, actor string) error {
	_, err := o.db.Transition(ctx, id, content.ActApprove, actor+" (telegram)", "", o.a.now())
	return err
}

func (o office) Reject(ctx context.Context, id int64, actor, reason string) error {
	_, err := o.db.Transition(ctx, id, content.ActReject, actor+" (telegram)", content.Normalize(reason), o.a.now())
	return err
}

func (o office) Tasks(ctx context.Context, names []string) ([]telegram.Task, error) {
	ds, err := o.db.Deliveries(ctx, store.DeliveryFilter{States: []scheduler.DeliveryState{scheduler.Assigned}})
	if err != nil {
		return nil, err
	}
	var out []telegram.Task
	for _, d := range ds {
		if slices.Contains(names, d.Assignee) {
			out = append(out, telegram.Task{ID: d.ID, Summary: fmt.Sprintf("%s · %s · %s — %s",
				d.DueAt.In(content.Zone).Format("15:04 02/01"), d.Channel, d.MessageKey, d.Title)})
		}
	}
	// The day's banner work, with negative ids: "done" hangs a banner not up
	// yet and takes down one past its date.
	rs, err := bannerReminders(ctx, o.db, o.a.today())
	if err != nil {
		return nil, err
	}
	for _, r := range rs {
		if slices.Contains(names, r.Line.Responsible) {
			out = append(out, telegram.Task{ID: -r.Line.ID, Summary: r.Text()})
		}
	}
	return out, nil
}

func (o office) TaskDone(ctx context.Context, id int64, actor string, names []string) error {
	if id < 0 {
		ls, err := o.db.Banners(ctx, store.BannerFilter{ID: -id})
		if err != nil {
			return err
		}
		if len(ls) == 0 || !slices.Contains(names, ls[0].Responsible) {
			return fmt.Errorf("băng rôn #%d không giao cho bạn", -id)
		}
		to := banner.Hung
		if ls[0].State == banner.Hung {
			to = banner.Removed
		}
		return o.db.MarkBanner(ctx, -id, to, actor, "", "xác nhận qua Telegram", o.a.now())
	}
	ds, err := o.db.Deliveries(ctx, store.DeliveryFilter{ID: id})
	if err != nil {
		return err
	}
	if len(ds) == 0 || !slices.Contains(names, ds[0].Assignee) {
		return fmt.Errorf("việc #%d không giao cho bạn", id)
	}
	_, err = o.db.CompleteTask(ctx, id, true, actor, "xác nhận qua Telegram", o.a.now())
	return err
}

// staffAlerter logs every alert and tells the staff on Telegram, at most one
// message of a kind a minute, so a failing broadcast does not flood them.
// Messages wait in a queue that Run sends from, so an alert never holds up
// the scheduler or a send, and shutdown waits for the one being sent.
type staffAlerter struct {
	log     *slog.Logger
	enabled bool          // Telegram is configured: alerts wait for the bot
	bot     *telegram.Bot // set once Telegram is reachable
	ready   chan struct{} // closed by setBot
	now     func() time.Time
	queue   chan func(context.Context, *telegram.Bot)
	mu      sync.Mutex
	last    map[string]time.Time
	held    map[string]int
}

// newStaffAlerter returns an alerter that logs, and tells staff on Telegram
// when viaTelegram is true, once setBot gives it the bot.
func newStaffAlerter(log *slog.Logger, now func() time.Time, viaTelegram bool) *staffAlerter {
	return &staffAlerter{log: log, now: now, enabled: viaTelegram, ready: make(chan struct{}), queue: make(chan func(context.Context, *telegram.Bot), 256)}
}

// setBot starts telling staff on Telegram (once it is reachable); what was
// queued until then goes first.
func (s *staffAlerter) setBot(bot *telegram.Bot) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bot = bot
	close(s.ready)
}

// Run sends queued alerts, once the bot is there, until ctx ends.
func (s *staffAlerter) Run(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-s.ready:
	}
	s.mu.Lock()
	bot := s.bot
	s.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			return
		case send := <-s.queue:
			send(ctx, bot)
		}
	}
}

func (s *staffAlerter) enqueue(send func(context.Context, *telegram.Bot)) {
	if !s.enabled {
		return
	}
	select {
	case s.queue <- send:
	default:
		s.log.Warn("alert queue full: this alert is only in the log")
	}
}

func (s *staffAlerter) Alert(_ context.Context, al scheduler.Alert) {
	if al.To != "" { // a task for one person: always in loa tasks; on Telegram when they are staff there
		s.log.Info("task assigned", "to", al.To, "text", al.Text)
		s.enqueue(func(ctx context.Context, bot *telegram.Bot) {
			if !bot.Notify(ctx, al.To, al.Text) {
				s.log.Debug("no Telegram staff chat for the assignee", "to", al.To)
			}
		})
		return
	}
	s.log.Warn("alert", "kind", al.Kind, "text", al.Text)
	if !s.enabled {
		return
	}
	s.mu.Lock()
	if s.last == nil {
		s.last, s.held = map[string]time.Time{}, map[string]int{}
	}
	now := s.now()
	if now.Sub(s.last[al.Kind]) < time.Minute {
		s.held[al.Kind]++
		s.mu.Unlock()
		return
	}
	more := s.held[al.Kind]
	s.last[al.Kind], s.held[al.Kind] = now, 0
	s.mu.Unlock()
	text := al.Text
	if more > 0 {
		text += fmt.Sprintf(" (và %d cảnh báo cùng loại trước đó)", more)
	}
	s.enqueue(func(ctx context.Context, bot *telegram.Bot) { bot.Alert(ctx, text) })
}
