package daemon

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
)

// notices tells the staff: every alert is logged, then told through the
// notification router to those who oversee sending; tasks are announced
// from the ledger (each waiting task to its people, with a link of their
// own), so a notice about a task survives a crash and is never sent twice.
// The work happens on one goroutine, run: an alert never holds up the
// scheduler or a send, and shutdown waits for the notice being sent.
type notices struct {
	log    *slog.Logger
	router *notify.Router
	links  *field.Links
	now    func() time.Time
	queue  chan func(context.Context)
	kick   chan struct{}
}

var _ scheduler.Alerter = (*notices)(nil)

// newNotices returns notices through router; links must be set before run.
func newNotices(log *slog.Logger, router *notify.Router, now func() time.Time) *notices {
	return &notices{log: log, router: router, now: now,
		queue: make(chan func(context.Context), 256), kick: make(chan struct{}, 1)}
}

// Alert logs al and queues it for the staff; a task assigned makes the
// announcer look at the ledger now.
func (n *notices) Alert(_ context.Context, al scheduler.Alert) {
	if al.To != "" {
		n.log.Info("task assigned", "to", al.To, "text", al.Text)
		n.Kick()
		return
	}
	n.log.Warn("alert", "kind", al.Kind, "text", notify.MaskIDs(al.Text)) // no resident ids in the journal
	n.enqueue(func(ctx context.Context) {
		if err := n.router.Alert(ctx, al.Kind, al.Text); err != nil && ctx.Err() == nil {
			n.log.Error("tell the staff", "kind", al.Kind, "err", err)
		}
	})
}

func (n *notices) enqueue(f func(context.Context)) {
	select {
	case n.queue <- f:
	default:
		n.log.Warn("notice queue full: this alert is only in the log")
	}
}

// Kick makes run announce waiting tasks soon.
func (n *notices) Kick() {
	select {
	case n.kick <- struct{}{}:
	default:
	}
}

// run tells what is queued and announces tasks (when kicked, and every
// minute) until ctx ends.
func (n *notices) run(ctx context.Context) {
	t := time.NewTicker(time.Minute)
	defer t.Stop()
	n.announce(ctx)
	for {
		select {
		case <-ctx.Done():
			return
		case f := <-n.queue:
			f(ctx)
		case <-n.kick:
			n.announce(ctx)
		case <-t.C:
			n.announce(ctx)
		}
	}
}

func (n *notices) announce(ctx context.Context) {
	made, err := n.links.Announce(ctx, n.router)
	if err != nil && ctx.Err() == nil {
		n.log.Error("announce tasks", "err", err)
	}
	if made > 0 {
		n.log.Info("tasks announced", "notices", made)
	}
}

// digest sends the morning digest.
func (n *notices) digest(ctx context.Context) {
	sent, err := n.router.Digest(ctx)
	if err != nil && ctx.Err() == nil {
		n.log.Error("digest", "err", err)
	}
	if sent > 0 {
		n.log.Info("digest sent", "people", sent)
	}
}

// telegramNotices reaches staff in their Telegram staff chat, once the bot
// is connected (Telegram may be blocked: then this channel fails and the
// next one in the person's order is tried).
func telegramNotices(bot *atomic.Pointer[telegram.Bot], staffChats func() map[string]int64) notify.Telegram {
	return notify.Telegram{
		Chat: func(u staff.User) int64 {
			if id, err := strconv.ParseInt(u.TelegramChat, 10, 64); err == nil && id != 0 {
				return id
			}
			return staffChats()[u.Name]
		},
		Reply: func(ctx context.Context, chat int64, text string) error {
			b := bot.Load()
			if b == nil {
				return errTelegramNotConnected
			}
			return b.Reply(ctx, chat, telegram.EscapeHTML(text), nil)
		},
	}
}

var errTelegramNotConnected = content.Errorf("Telegram chưa kết nối được (có thể bị chặn)", "telegram is not connected (it may be blocked)")

// router is the notification router over the channels this daemon has:
// the Zalo OA's consultation messages (when the OA is configured: its
// outbox otherwise would reach nobody), Telegram staff chats once the bot
// connects, e-mail when email.host is set.
func (d *Daemon) router(st *state, senders map[content.Channel]scheduler.Sender, log *slog.Logger) *notify.Router {
	cfg := d.Config
	chans := map[string]notify.Channel{}
	if zc, ok := senders[content.Zalo].(*zalo.Client); ok {
		chans["zalo"] = notify.Zalo{Post: zc.Send, Last: d.DB.LastInteraction, Now: d.Now}
	}
	if cfg.Telegram.Token.IsSet() {
		chats := map[string]int64{}
		for _, s := range cfg.Telegram.Staff {
			chats[s.Name] = s.ChatID
		}
		chans["telegram"] = telegramNotices(&st.bot, func() map[string]int64 { return chats })
	}
	if e := cfg.Email; e.Host != "" {
		mail := notify.Email{Host: e.Host, Port: e.Port, Username: e.Username, Password: e.Password.Reveal(), From: e.From}
		if e.CAFile != "" { // checked when the configuration was read
			pool := x509.NewCertPool()
			if pem, err := os.ReadFile(e.CAFile); err == nil && pool.AppendCertsFromPEM(pem) {
				mail.TLS = &tls.Config{RootCAs: pool, ServerName: e.Host, MinVersion: tls.VersionTLS12}
			}
		}
		chans["email"] = mail
	}
	return &notify.Router{DB: d.DB, Channels: chans, Now: d.Now, Log: log.With("component", "notify"),
		PerPerson: cfg.Notify.PerPerson, OA: cfg.Ward.Name}
}

// zaloReplies reads what people write to the OA: a block leader's "xong
// 120" confirms their post; a follower's DONGY, CHUDE, DUNG, XOA or TOI is
// their choice about their data (see residentReply). The OA answers in the
// chat. Other messages are left for the OA's inbox.
func (d *Daemon) zaloReplies(links *field.Links, oa scheduler.Sender, log *slog.Logger) func(ctx context.Context, userID, text string, at time.Time) error {
	return func(ctx context.Context, userID, text string, at time.Time) error {
		if r := privacy.ParseReply(text); r.Kind != "" {
			return d.residentReply(ctx, oa, userID, r, at, log)
		}
		u, err := d.DB.UserByZalo(ctx, userID)
		if errors.Is(err, content.ErrNotFound) {
			return nil
		}
		if err != nil {
			return err
		}
		answer, ok, err := links.Reply(ctx, u, text)
		if !ok {
			return nil
		}
		var l i18n.Localizer
		if err != nil && !errors.As(err, &l) {
			return err // the database: Zalo sends the event again
		}
		if err != nil {
			answer = "Chưa ghi nhận được: " + i18n.Error(err, i18n.Vietnamese)
		}
		log.Info("staff reply on zalo", "from", u.Name, "confirmed", err == nil)
		if _, err := oa.Send(ctx, channels.Message{Channel: content.Zalo, Mode: "cs", Recipient: userID, Text: answer}); err != nil {
			log.Warn("answer a staff reply on zalo", "to", u.Name, "err", err)
		}
		return nil
	}
}

// Needs are what this configuration lacks for the people in the field,
// said at start by `loa serve` (and logged): links that phones cannot
// open, notices that reach nobody, accounts nobody can notify.
func Needs(ctx context.Context, cfg *config.Config, db *store.DB) []i18n.Text {
	var out []i18n.Text
	add := func(vi, en string, args ...any) {
		out = append(out, i18n.Text{VI: fmt.Sprintf(vi, args...), EN: fmt.Sprintf(en, args...)})
	}
	switch {
	case cfg.HTTP.PublicURL == "":
		add("Chưa đặt http.public_url: liên kết việc trỏ tới %s, chỉ mở được trong mạng cơ quan; webhook Zalo cần địa chỉ HTTPS công khai.",
			"http.public_url is not set: task links point at %s, which only the office network reaches; the Zalo webhook needs a public HTTPS address.", "http://"+cfg.HTTP.Addr)
	case !strings.HasPrefix(cfg.HTTP.PublicURL, "https://"):
		add("http.public_url (%s) không phải HTTPS: điện thoại mở liên kết việc không được bảo vệ, Zalo không gọi webhook.",
			"http.public_url (%s) is not HTTPS: task links travel unprotected and Zalo will not call the webhook.", cfg.HTTP.PublicURL)
	}
	if cfg.Privacy.Address == "" && cfg.Privacy.Contact == "" {
		add("Chưa đặt privacy.address, privacy.contact: thông báo về dữ liệu cá nhân (/privacy) chưa ghi người dân đến đâu, liên hệ ai để yêu cầu xem, sửa, xóa dữ liệu.",
			"privacy.address and privacy.contact are not set: the privacy notice (/privacy) does not say where residents bring a request to see, change or delete their data.")
	}
	zaloOA := cfg.Zalo.AppID != "" && cfg.Zalo.AppSecret.IsSet()
	if !zaloOA && !cfg.Telegram.Token.IsSet() && cfg.Email.Host == "" {
		add("Chưa có kênh báo việc cho cán bộ (zalo.*, email.*, telegram.token): thông báo chỉ có trên trang Hôm nay.",
			"No channel to notify staff (zalo.*, email.*, telegram.token): notices are only on the Today page.")
	}
	users, err := db.Users(ctx)
	if err != nil {
		return out
	}
	var unreachable []string
	for _, u := range users {
		if !u.Active() || u.Role == staff.Admin {
			continue
		}
		if (u.ZaloID == "" || !zaloOA) && (u.Email == "" || cfg.Email.Host == "") && (u.TelegramChat == "" || !cfg.Telegram.Token.IsSet()) {
			unreachable = append(unreachable, u.Name)
		}
	}
	if len(unreachable) > 0 && (zaloOA || cfg.Email.Host != "" || cfg.Telegram.Token.IsSet()) {
		add("%d tài khoản chưa có cách nhận thông báo (%s): đặt bằng loa user contact TÊN --email … hoặc --zalo-id …",
			"%d accounts have no way to get notices (%s): set one with loa user contact NAME --email … or --zalo-id …", len(unreachable), strings.Join(unreachable, ", "))
	}
	if speech.FindSynth().Espeak == "" {
		add("Không có espeak-ng: kịch bản loa không có bản đọc thử (apt-get install espeak-ng).",
			"espeak-ng is not installed: radio scripts have no audio to try (apt-get install espeak-ng).")
	}
	return out
}
