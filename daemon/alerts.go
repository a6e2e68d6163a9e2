package daemon

import (
	"context"
	"fmt"
	"log/slog"
	"sync"
	"time"

	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staffbot"
)

// alerts logs every alert and tells the staff on Telegram, at most one
// message of a kind a minute, so a failing broadcast does not flood them.
// Messages wait in one queue that run sends from, so an alert never holds
// up the scheduler or a send, and shutdown waits for the one being sent.
type alerts struct {
	log     *slog.Logger
	enabled bool          // Telegram is configured: alerts wait for the bot
	ready   chan struct{} // closed by connect
	now     func() time.Time
	queue   chan func(context.Context, *telegram.Bot, *staffbot.Desk)

	mu   sync.Mutex
	bot  *telegram.Bot // set once Telegram is reachable
	desk *staffbot.Desk
	last map[string]time.Time
	held map[string]int
}

var _ scheduler.Alerter = (*alerts)(nil)

// newAlerts returns alerts that log, and tell staff on Telegram when
// viaTelegram is true, once connect gives them the bot.
func newAlerts(log *slog.Logger, now func() time.Time, viaTelegram bool) *alerts {
	return &alerts{log: log, now: now, enabled: viaTelegram, ready: make(chan struct{}),
		queue: make(chan func(context.Context, *telegram.Bot, *staffbot.Desk), 256)}
}

// connect starts telling staff through bot's staff desk; what was queued
// until then goes first.
func (s *alerts) connect(bot *telegram.Bot, desk *staffbot.Desk) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.bot, s.desk = bot, desk
	close(s.ready)
}

// run sends queued alerts, once the bot is there, until ctx ends.
func (s *alerts) run(ctx context.Context) {
	select {
	case <-ctx.Done():
		return
	case <-s.ready:
	}
	s.mu.Lock()
	bot, desk := s.bot, s.desk
	s.mu.Unlock()
	for {
		select {
		case <-ctx.Done():
			return
		case send := <-s.queue:
			send(ctx, bot, desk)
		}
	}
}

func (s *alerts) enqueue(send func(context.Context, *telegram.Bot, *staffbot.Desk)) {
	if !s.enabled {
		return
	}
	select {
	case s.queue <- send:
	default:
		s.log.Warn("alert queue full: this alert is only in the log")
	}
}

// Alert logs al and queues it for the staff.
func (s *alerts) Alert(_ context.Context, al scheduler.Alert) {
	if al.To != "" { // a task for one person: always in loa tasks; on Telegram when they are staff there
		s.log.Info("task assigned", "to", al.To, "text", al.Text)
		s.enqueue(func(ctx context.Context, bot *telegram.Bot, desk *staffbot.Desk) {
			if !desk.Notify(ctx, bot, al.To, al.Text) {
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
	s.enqueue(func(ctx context.Context, bot *telegram.Bot, desk *staffbot.Desk) { desk.Alert(ctx, bot, text) })
}
