package telegram

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strconv"
	"strings"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"
)

// StaffMember is a chat allowed the staff commands.
type StaffMember struct {
	Name string // as deliveries are assigned
	Role string // officer, leader, operator or admin
}

// Pending is a message waiting for a leader.
type Pending struct {
	ID      int64
	Summary string // campaign, key and title
	Preview string // the text, shortened
}

// Task is a delivery a person completes.
type Task struct {
	ID      int64
	Summary string
}

// Office is what the staff commands need. Texts come ready to show.
type Office interface {
	Plan(ctx context.Context) (string, error)   // the next 7 days
	Status(ctx context.Context) (string, error) // recent runs with delivery counts
	Pending(ctx context.Context) ([]Pending, error)
	Approve(ctx context.Context, messageID int64, actor string) error
	Reject(ctx context.Context, messageID int64, actor, reason string) error
	// Tasks lists the assigned deliveries of any of names (a person's name and role).
	Tasks(ctx context.Context, names []string) ([]Task, error)
	// TaskDone confirms a task, if it is assigned to one of names.
	TaskDone(ctx context.Context, id int64, actor string, names []string) error
}

// WithStaff enables the staff commands for the chats in staff.
func (b *Bot) WithStaff(staff map[int64]StaffMember, office Office) *Bot {
	b.staff, b.office = staff, office
	b.reasons = map[int64]int64{}
	return b
}

func (b *Bot) member(chat int64) (StaffMember, bool) {
	m, ok := b.staff[chat]
	return m, ok && b.office != nil
}

func mayApprove(m StaffMember) bool { return m.Role == "leader" || m.Role == "admin" }

// staffCommand handles a staff member's message; false when it is not one.
func (b *Bot) staffCommand(ctx context.Context, m *tgbotapi.Message, who StaffMember) (bool, error) {
	chat := strconv.FormatInt(m.Chat.ID, 10)
	b.mu.Lock()
	rejecting, waiting := b.reasons[m.Chat.ID]
	if waiting && !strings.HasPrefix(m.Text, "/") {
		delete(b.reasons, m.Chat.ID)
	}
	b.mu.Unlock()
	if waiting && !strings.HasPrefix(m.Text, "/") {
		if !mayApprove(who) { // checked again: the configuration is the authority
			return true, b.reply(ctx, chat, "Chỉ lãnh đạo được từ chối tin.", nil)
		}
		if err := b.office.Reject(ctx, rejecting, who.Name, strings.TrimSpace(m.Text)); err != nil {
			return true, b.reply(ctx, chat, "Không từ chối được: "+EscapeHTML(err.Error()), nil)
		}
		return true, b.reply(ctx, chat, fmt.Sprintf("Đã từ chối tin #%d, lý do: %s", rejecting, EscapeHTML(m.Text)), nil)
	}
	cmd, _, _ := strings.Cut(strings.TrimSpace(m.Text), " ")
	switch strings.ToLower(cmd) {
	case "/plan":
		text, err := b.office.Plan(ctx)
		if err != nil {
			return true, err
		}
		return true, b.reply(ctx, chat, text, nil)
	case "/status":
		text, err := b.office.Status(ctx)
		if err != nil {
			return true, err
		}
		return true, b.reply(ctx, chat, text, nil)
	case "/duyet":
		if !mayApprove(who) {
			return true, b.reply(ctx, chat, "Chỉ lãnh đạo được duyệt tin.", nil)
		}
		pending, err := b.office.Pending(ctx)
		if err != nil {
			return true, err
		}
		if len(pending) == 0 {
			return true, b.reply(ctx, chat, "Không có tin nào chờ duyệt.", nil)
		}
		for _, p := range pending {
			k := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
				tgbotapi.NewInlineKeyboardButtonData("✅ Duyệt", fmt.Sprintf("approve:%d", p.ID)),
				tgbotapi.NewInlineKeyboardButtonData("✖ Từ chối", fmt.Sprintf("reject:%d", p.ID))))
			text := fmt.Sprintf("<b>#%d %s</b>\n\n%s", p.ID, EscapeHTML(p.Summary), EscapeHTML(p.Preview))
			if err := b.reply(ctx, chat, text, &k); err != nil {
				return true, err
			}
		}
		return true, nil
	case "/tasks":
		tasks, err := b.office.Tasks(ctx, []string{who.Name, who.Role})
		if err != nil {
			return true, err
		}
		if len(tasks) == 0 {
			return true, b.reply(ctx, chat, "Không có việc nào đang chờ bạn.", nil)
		}
		for _, t := range tasks {
			k := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
				tgbotapi.NewInlineKeyboardButtonData("✔ Đã làm", fmt.Sprintf("done:%d", t.ID))))
			if err := b.reply(ctx, chat, fmt.Sprintf("#%d %s", t.ID, EscapeHTML(t.Summary)), &k); err != nil {
				return true, err
			}
		}
		return true, nil
	}
	return false, nil
}

// staffButton handles approve, reject and done buttons; false when the
// press is not a staff button.
func (b *Bot) staffButton(ctx context.Context, q *tgbotapi.CallbackQuery) (bool, error) {
	kind, value, _ := strings.Cut(q.Data, ":")
	if kind != "approve" && kind != "reject" && kind != "done" {
		return false, nil
	}
	id, err := strconv.ParseInt(value, 10, 64)
	who, ok := b.member(q.Message.Chat.ID)
	if err != nil || !ok {
		return true, b.answer(ctx, q.ID, "Bạn không có quyền này.")
	}
	chat := strconv.FormatInt(q.Message.Chat.ID, 10)
	switch kind {
	case "approve", "reject":
		if !mayApprove(who) { // checked on every press, not only when the list was shown
			return true, b.answer(ctx, q.ID, "Chỉ lãnh đạo được duyệt tin.")
		}
		if kind == "reject" {
			b.mu.Lock()
			b.reasons[q.Message.Chat.ID] = id
			b.mu.Unlock()
			_ = b.answer(ctx, q.ID, "")
			return true, b.reply(ctx, chat, fmt.Sprintf("Lý do từ chối tin #%d? Hãy trả lời bằng một tin nhắn.", id), nil)
		}
		if err := b.office.Approve(ctx, id, who.Name); err != nil {
			return true, b.answer(ctx, q.ID, "Không duyệt được: "+err.Error())
		}
		_ = b.answer(ctx, q.ID, "Đã duyệt")
	case "done":
		if err := b.office.TaskDone(ctx, id, who.Name, []string{who.Name, who.Role}); err != nil {
			return true, b.answer(ctx, q.ID, "Không ghi nhận được: "+err.Error())
		}
		_ = b.answer(ctx, q.ID, "Đã ghi nhận")
	}
	empty, _ := json.Marshal(tgbotapi.NewInlineKeyboardMarkup())
	return true, b.request(ctx, "editMessageReplyMarkup", tgbotapi.Params{
		"chat_id": chat, "message_id": strconv.Itoa(q.Message.MessageID), "reply_markup": string(empty)})
}

// Notify tells the staff members named who (by name or by role) about a
// task given to them, and reports whether anyone was told.
func (b *Bot) Notify(ctx context.Context, who, text string) bool {
	told := false
	for chat, m := range b.staff {
		if m.Name != who && m.Role != who {
			continue
		}
		if err := b.reply(ctx, strconv.FormatInt(chat, 10), "📋 "+EscapeHTML(text), nil); err != nil {
			b.log.Error("send task notice", "chat", chat, "err", err)
			continue
		}
		told = true
	}
	return told
}

// Alert tells the staff who oversee sending (officers, leaders, admins).
func (b *Bot) Alert(ctx context.Context, text string) {
	for chat, m := range b.staff {
		if slices.Contains([]string{"officer", "leader", "admin"}, m.Role) {
			if err := b.reply(ctx, strconv.FormatInt(chat, 10), "⚠️ "+EscapeHTML(text), nil); err != nil {
				b.log.Error("send alert", "chat", chat, "err", err)
			}
		}
	}
}
