// Package staffbot is the ward staff's desk in Telegram: a leader lists the
// messages waiting for approval and approves or rejects them with a button,
// staff see the week's plan and the recent runs, people in the field see
// and confirm their tasks (alerts and task notices reach staff through the
// notification router, package notify). It is a presenter:
// it parses the chat, calls the editorial and office services as the chat's
// configured member, and writes their data as Telegram HTML.
package staffbot

import (
	"context"
	"fmt"
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/staff"
)

// Member is a chat allowed the staff commands.
type Member struct {
	Name string     // as deliveries are assigned
	Role staff.Role // what they may do
}

// Desk answers the staff chats. It implements telegram.StaffDesk.
type Desk struct {
	Members   map[int64]Member // by private chat id
	Office    *office.Office
	Editorial *editorial.Desk
	Log       *slog.Logger

	mu      sync.Mutex
	reasons map[int64]int64 // staff chat → message being rejected, awaiting the reason
}

var _ telegram.StaffDesk = (*Desk)(nil)

// actor is the member of chat as the services see them.
func (d *Desk) actor(chat int64) (staff.Actor, bool) {
	m, ok := d.Members[chat]
	return staff.Actor{Name: m.Name, Role: m.Role, Desk: staff.Telegram}, ok
}

// HandleStaff answers a staff member's command or button; false for
// anything else, which the resident bot answers.
func (d *Desk) HandleStaff(ctx context.Context, b *telegram.Bot, u tgbotapi.Update) (bool, error) {
	switch {
	case u.CallbackQuery != nil && u.CallbackQuery.Message != nil && u.CallbackQuery.Message.Chat != nil:
		return d.button(ctx, b, u.CallbackQuery)
	case u.Message != nil && u.Message.Chat != nil && u.Message.Chat.Type == "private":
		who, ok := d.actor(u.Message.Chat.ID)
		if !ok {
			return false, nil
		}
		return d.command(ctx, b, u.Message, who)
	}
	return false, nil
}

// says is a service's error for the chat, in lang.
func says(err error, lang string) string { return telegram.EscapeHTML(i18n.Error(err, lang)) }

// langOf is the language a staff member's Telegram app is set to: English
// for "en…", Vietnamese otherwise.
func langOf(u *tgbotapi.User) string {
	if u != nil && strings.HasPrefix(strings.ToLower(u.LanguageCode), "en") {
		return i18n.English
	}
	return i18n.Vietnamese
}

func (d *Desk) command(ctx context.Context, b *telegram.Bot, m *tgbotapi.Message, who staff.Actor) (bool, error) {
	chat, lang := m.Chat.ID, langOf(m.From)
	t := func(vi, en string, args ...any) string { return i18n.Sprintf(lang, vi, en, args...) }
	text := strings.TrimSpace(m.Text)
	d.mu.Lock()
	rejecting, waiting := d.reasons[chat]
	if waiting && !strings.HasPrefix(text, "/") {
		delete(d.reasons, chat)
	}
	d.mu.Unlock()
	if waiting && !strings.HasPrefix(text, "/") {
		if _, err := d.Editorial.TransitionID(ctx, who, rejecting, content.ActReject, text); err != nil {
			return true, b.Reply(ctx, chat, t("Không từ chối được: %s", "Could not reject: %s", says(err, lang)), nil)
		}
		return true, b.Reply(ctx, chat, t("Đã từ chối tin #%d, lý do: %s", "Rejected message #%d, because: %s", rejecting, telegram.EscapeHTML(text)), nil)
	}
	cmd, _, _ := strings.Cut(text, " ")
	switch strings.ToLower(cmd) {
	case "/plan":
		now := d.Office.Now()
		lines, err := d.Office.Plan(ctx, now, now.Add(7*24*time.Hour))
		if err != nil {
			return true, err
		}
		return true, b.Reply(ctx, chat, planHTML(lines, lang), nil)
	case "/status":
		runs, err := d.Office.Recent(ctx)
		if err != nil {
			return true, err
		}
		return true, b.Reply(ctx, chat, statusHTML(runs, lang), nil)
	case "/duyet":
		if !who.MayApprove() {
			return true, b.Reply(ctx, chat, t("Chỉ lãnh đạo được duyệt tin.", "Only a leader approves messages."), nil)
		}
		pending, err := d.Editorial.Pending(ctx)
		if err != nil {
			return true, err
		}
		if len(pending) == 0 {
			return true, b.Reply(ctx, chat, t("Không có tin nào chờ duyệt.", "No message is waiting for approval."), nil)
		}
		for _, p := range pending {
			k := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
				tgbotapi.NewInlineKeyboardButtonData(t("✅ Duyệt", "✅ Approve"), fmt.Sprintf("approve:%d", p.Message.ID)),
				tgbotapi.NewInlineKeyboardButtonData(t("✖ Từ chối", "✖ Reject"), fmt.Sprintf("reject:%d", p.Message.ID))))
			if err := b.Reply(ctx, chat, pendingHTML(p), &k); err != nil {
				return true, err
			}
		}
		return true, nil
	case "/tasks":
		tasks, err := d.Office.Tasks(ctx, who, office.TaskFilter{Mine: true, ByRole: true})
		if err != nil {
			return true, err
		}
		if len(tasks.Deliveries) == 0 && len(tasks.Banners) == 0 {
			return true, b.Reply(ctx, chat, t("Không có việc nào đang chờ bạn.", "No task is waiting for you."), nil)
		}
		for _, c := range taskCards(tasks, lang) {
			k := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
				tgbotapi.NewInlineKeyboardButtonData(t("✔ Đã làm", "✔ Done"), c.data)))
			if err := b.Reply(ctx, chat, c.text, &k); err != nil {
				return true, err
			}
		}
		return true, nil
	}
	return false, nil
}

// button handles approve, reject, done (a delivery) and hung (a banner)
// buttons; false when the press is not a staff button.
func (d *Desk) button(ctx context.Context, b *telegram.Bot, q *tgbotapi.CallbackQuery) (bool, error) {
	kind, value, _ := strings.Cut(q.Data, ":")
	if !slices.Contains([]string{"approve", "reject", "done", "banner"}, kind) {
		return false, nil
	}
	id, err := strconv.ParseInt(value, 10, 64)
	chat, lang := q.Message.Chat.ID, langOf(q.From)
	t := func(vi, en string, args ...any) string { return i18n.Sprintf(lang, vi, en, args...) }
	who, ok := d.actor(chat)
	if err != nil || !ok {
		return true, b.Answer(ctx, q.ID, t("Bạn không có quyền này.", "You may not do this."))
	}
	switch kind {
	case "approve", "reject":
		if !who.MayApprove() { // checked on every press, not only when the list was shown
			return true, b.Answer(ctx, q.ID, t("Chỉ lãnh đạo được duyệt tin.", "Only a leader approves messages."))
		}
		if kind == "reject" {
			d.mu.Lock()
			if d.reasons == nil {
				d.reasons = map[int64]int64{}
			}
			d.reasons[chat] = id
			d.mu.Unlock()
			_ = b.Answer(ctx, q.ID, "")
			return true, b.Reply(ctx, chat, t("Lý do từ chối tin #%d? Hãy trả lời bằng một tin nhắn.", "Why reject message #%d? Answer with a message.", id), nil)
		}
		if _, err := d.Editorial.TransitionID(ctx, who, id, content.ActApprove, ""); err != nil {
			return true, b.Answer(ctx, q.ID, t("Không duyệt được: %s", "Could not approve: %s", err))
		}
		_ = b.Answer(ctx, q.ID, t("Đã duyệt", "Approved"))
	case "done":
		if _, err := d.Office.Confirm(ctx, who, id, office.Confirmation{Done: true}); err != nil {
			return true, b.Answer(ctx, q.ID, t("Không ghi nhận được: %s", "Could not record it: %s", err))
		}
		_ = b.Answer(ctx, q.ID, t("Đã ghi nhận", "Recorded"))
	case "banner":
		if _, err := d.Office.ConfirmBanner(ctx, who, id); err != nil {
			return true, b.Answer(ctx, q.ID, t("Không ghi nhận được: %s", "Could not record it: %s", err))
		}
		_ = b.Answer(ctx, q.ID, t("Đã ghi nhận", "Recorded"))
	}
	return true, b.ClearButtons(ctx, chat, q.Message.MessageID)
}
