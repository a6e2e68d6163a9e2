package telegram

import (
	"context"
	"crypto/subtle"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/privacy"
)

// Residents is what the bot needs from storage. A resident is stored only
// once they agree: consent is never assumed.
type Residents interface {
	// Subscriber returns a resident's topics and whether they consented.
	Subscriber(ctx context.Context, chatID string) (topics []content.Topic, consented, found bool, err error)
	// Subscribe records consent (time and source) with the chosen topics.
	Subscribe(ctx context.Context, chatID, name, lang, source string, topics []content.Topic, now time.Time) error
	// SetTopics changes a resident's topics (a request to change, recorded).
	SetTopics(ctx context.Context, chatID string, topics []content.Topic, now time.Time) error
	// Reachable records that a resident wrote to the bot, so a resident who
	// had blocked it and came back receives again.
	Reachable(ctx context.Context, chatID string) error
	// Unsubscribe withdraws consent: nothing more is sent; the consent's
	// record stays as evidence, with the time of the withdrawal.
	Unsubscribe(ctx context.Context, chatID string, now time.Time) error
	// Record is everything held about the resident (a request to see).
	Record(ctx context.Context, chatID string, now time.Time) (privacy.Held, bool, error)
	// Forget deletes the resident's data, including their id in the ledger.
	Forget(ctx context.Context, chatID string, now time.Time) error
}

// Bot answers residents: /start (with consent), topics, /toi, /stop, /xoa, /help.
type Bot struct {
	client    *Client
	residents Residents
	ward      string
	notice    privacy.Notice
	log       *slog.Logger
	now       func() time.Time

	staff StaffDesk // nil: no staff commands
}

// StaffDesk answers the ward's staff in their private chats with the bot.
// It is given every update first; false lets the resident bot answer.
type StaffDesk interface {
	HandleStaff(ctx context.Context, b *Bot, u tgbotapi.Update) (handled bool, err error)
}

// WithNotice gives the privacy notice the consent prompt summarizes and
// links; without it the prompt names the ward's People's Committee.
func (b *Bot) WithNotice(n privacy.Notice) *Bot {
	b.notice = n.Complete()
	return b
}

// WithStaff gives the staff's updates to desk.
func (b *Bot) WithStaff(desk StaffDesk) *Bot {
	b.staff = desk
	return b
}

// NewBot returns the resident bot of ward on client.
func NewBot(client *Client, residents Residents, ward string, log *slog.Logger, now func() time.Time) *Bot {
	return &Bot{client: client, residents: residents, ward: ward, log: log.With("component", "telegram-bot"), now: now,
		notice: privacy.Notice{Ward: ward}.Complete()}
}

// Run long-polls for updates until ctx ends. Only one poller may run per
// bot: Telegram answers a second one with 409, which is logged.
func (b *Bot) Run(ctx context.Context) {
	offset := 0
	backoff := time.Second
	for ctx.Err() == nil {
		resp, err := b.getUpdates(ctx, offset)
		if ctx.Err() != nil {
			return
		}
		if err != nil {
			b.log.Error("getUpdates", "err", scrub(err, b.client.token), "retry_in", backoff)
			if !sleep(ctx, backoff) {
				return
			}
			backoff = min(2*backoff, time.Minute)
			continue
		}
		backoff = time.Second
		var updates []tgbotapi.Update
		if err := json.Unmarshal(resp.Result, &updates); err != nil {
			b.log.Error("getUpdates: unexpected answer", "err", err)
			continue
		}
		for _, u := range updates {
			offset = max(offset, u.UpdateID+1)
			if err := b.Handle(ctx, u); err != nil {
				b.log.Error("handle update", "update", u.UpdateID, "err", scrub(err, b.client.token))
			}
		}
	}
}

// getUpdates long-polls with ctx, so stopping the daemon does not wait for
// the poll (the library's MakeRequest takes no context).
func (b *Bot) getUpdates(ctx context.Context, offset int) (*tgbotapi.APIResponse, error) {
	form := url.Values{"offset": {strconv.Itoa(offset)}, "timeout": {"50"}, "allowed_updates": {`["message","callback_query"]`}}
	endpoint := fmt.Sprintf(b.client.cfg.Endpoint, b.client.token, "getUpdates")
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := b.client.cfg.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var ans tgbotapi.APIResponse
	if err := json.NewDecoder(resp.Body).Decode(&ans); err != nil {
		return nil, fmt.Errorf("getUpdates: %s: %w", resp.Status, err)
	}
	if !ans.Ok {
		return nil, fmt.Errorf("getUpdates: %s", ans.Description)
	}
	return &ans, nil
}

func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return false
	case <-t.C:
		return true
	}
}

// Handle answers one update.
func (b *Bot) Handle(ctx context.Context, u tgbotapi.Update) error {
	if b.staff != nil {
		if handled, err := b.staff.HandleStaff(ctx, b, u); handled {
			return err
		}
	}
	switch {
	case u.CallbackQuery != nil:
		return b.button(ctx, u.CallbackQuery)
	case u.Message != nil && u.Message.Chat != nil && u.Message.Chat.Type == "private":
		return b.command(ctx, u.Message)
	}
	return nil
}

func lang(u *tgbotapi.User) string {
	if u != nil && strings.HasPrefix(u.LanguageCode, "en") {
		return "en"
	}
	return "vi"
}

func (b *Bot) command(ctx context.Context, m *tgbotapi.Message) error {
	chat := strconv.FormatInt(m.Chat.ID, 10)
	l := lang(m.From)
	cmd, arg, _ := strings.Cut(strings.TrimSpace(m.Text), " ")
	cmd, _, _ = strings.Cut(cmd, "@") // /start@loa_bot in groups
	switch strings.ToLower(cmd) {
	case "/start":
		topics, consented, _, err := b.residents.Subscriber(ctx, chat)
		if err != nil {
			return err
		}
		if consented {
			// Whoever writes /start has (again) allowed the bot to write to them.
			if err := b.residents.Reachable(ctx, chat); err != nil {
				return err
			}
			return b.reply(ctx, chat, b.t(l, "Bạn đang nhận tin của %s. Chọn chủ đề:", "You receive messages from %s. Choose topics:", b.ward), topicKeyboard(topics, l))
		}
		// Deep links from banners' QR codes: t.me/<bot>?start=<topic>.
		source := "telegram"
		if t := content.Topic(strings.TrimSpace(arg)); content.ValidTopic(t) {
			source = "telegram:start:" + string(t)
		}
		return b.reply(ctx, chat, b.welcome(l), consentKeyboard(l, source))
	case "/stop":
		if err := b.residents.Unsubscribe(ctx, chat, b.now()); err != nil {
			return err
		}
		return b.reply(ctx, chat, b.t(l, "Đã ngừng gửi tin cho bạn và ghi lại thời điểm bạn rút lại đồng ý. Phường vẫn giữ bản ghi đồng ý trước đây của bạn làm bằng chứng, cho đến khi bạn gõ /xoa. Gõ /start nếu muốn nhận lại.",
			"You will receive nothing more; the time you withdrew is recorded. The ward keeps the record of your earlier consent as evidence until you send /xoa. Send /start to subscribe again."), nil)
	case "/toi", "/me", "/mydata":
		h, found, err := b.residents.Record(ctx, chat, b.now())
		if err != nil {
			return err
		}
		if !found {
			return b.reply(ctx, chat, b.t(l, "Phường không giữ dữ liệu nào của bạn.", "The ward holds no data about you."), nil)
		}
		return b.reply(ctx, chat, EscapeHTML(h.Text(l))+"\n\n"+b.t(l, "/chude đổi chủ đề · /stop ngừng nhận · /xoa xóa toàn bộ", "/topics change topics · /stop stop · /xoa delete everything"), nil)
	case "/xoa", "/delete":
		if err := b.residents.Forget(ctx, chat, b.now()); err != nil {
			return err
		}
		return b.reply(ctx, chat, b.t(l, "Đã xóa toàn bộ dữ liệu của bạn (mã trò chuyện, tên, chủ đề, thời điểm đồng ý). Cảm ơn bạn.",
			"All your data is deleted (chat id, name, topics, consent time). Thank you."), nil)
	case "/chude", "/topics":
		topics, consented, _, err := b.residents.Subscriber(ctx, chat)
		if err != nil {
			return err
		}
		if !consented {
			return b.reply(ctx, chat, b.welcome(l), consentKeyboard(l, "telegram"))
		}
		return b.reply(ctx, chat, b.t(l, "Chọn chủ đề:", "Choose topics:"), topicKeyboard(topics, l))
	default:
		return b.reply(ctx, chat, b.help(l), nil)
	}
}

func (b *Bot) button(ctx context.Context, q *tgbotapi.CallbackQuery) error {
	if q.Message == nil || q.Message.Chat == nil {
		return b.answer(ctx, q.ID, "")
	}
	chat := strconv.FormatInt(q.Message.Chat.ID, 10)
	l := lang(q.From)
	kind, value, _ := strings.Cut(q.Data, ":")
	switch kind {
	case "consent":
		// An answered question's buttons go, so it cannot be answered twice.
		_ = b.ClearButtons(ctx, q.Message.Chat.ID, q.Message.MessageID)
		if value == "no" {
			_ = b.answer(ctx, q.ID, "")
			_, consented, _, err := b.residents.Subscriber(ctx, chat)
			if err != nil {
				return err
			}
			if consented { // "no" after agreeing is a withdrawal
				if err := b.residents.Unsubscribe(ctx, chat, b.now()); err != nil {
					return err
				}
				return b.reply(ctx, chat, b.t(l, "Đã rút lại đồng ý: bạn sẽ không nhận tin nữa. Gõ /xoa để xóa dữ liệu, /start nếu đổi ý.",
					"Consent withdrawn: you will receive nothing more. Send /xoa to delete your data, /start if you change your mind."), nil)
			}
			return b.reply(ctx, chat, b.t(l, "Đã hiểu: phường không lưu gì về bạn và không gửi tin. Gõ /start nếu đổi ý.",
				"Understood: the ward keeps nothing about you and sends nothing. Send /start if you change your mind."), nil)
		}
		source := value
		if !strings.HasPrefix(source, "telegram") {
			source = "telegram"
		}
		name := strings.TrimSpace(q.From.FirstName + " " + q.From.LastName)
		// No topic is ticked for them: nothing topic-specific goes out
		// before they pick one.
		if err := b.residents.Subscribe(ctx, chat, name, l, source, nil, b.now()); err != nil {
			return err
		}
		_ = b.answer(ctx, q.ID, b.t(l, "Đã đăng ký", "Subscribed"))
		return b.reply(ctx, chat, b.t(l, "Cảm ơn bạn đã đồng ý. Hãy chọn chủ đề muốn nhận (chưa chọn chủ đề nào thì bạn chỉ nhận các thông báo chung của phường):",
			"Thank you for agreeing. Choose the topics you want (until you pick one you receive only the ward's general notices):"), topicKeyboard(nil, l))
	case "topic":
		topics, consented, _, err := b.residents.Subscriber(ctx, chat)
		if err != nil {
			return err
		}
		if !consented {
			return b.answer(ctx, q.ID, b.t(l, "Hãy gõ /start và đồng ý trước.", "Send /start and agree first."))
		}
		t := content.Topic(value)
		if !content.ValidTopic(t) {
			return b.answer(ctx, q.ID, "")
		}
		if i := slices.Index(topics, t); i >= 0 {
			topics = slices.Delete(topics, i, i+1)
		} else {
			topics = append(topics, t)
		}
		if err := b.residents.SetTopics(ctx, chat, topics, b.now()); err != nil {
			return err
		}
		_ = b.answer(ctx, q.ID, "")
		markup, _ := json.Marshal(topicKeyboard(topics, l))
		return b.request(ctx, "editMessageReplyMarkup", tgbotapi.Params{
			"chat_id": chat, "message_id": strconv.Itoa(q.Message.MessageID), "reply_markup": string(markup)})
	}
	return b.answer(ctx, q.ID, "")
}

func (b *Bot) reply(ctx context.Context, chat, text string, markup *tgbotapi.InlineKeyboardMarkup) error {
	params := tgbotapi.Params{"chat_id": chat, "text": text, "parse_mode": "HTML"}
	if markup != nil {
		js, err := json.Marshal(markup)
		if err != nil {
			return err
		}
		params["reply_markup"] = string(js)
	}
	return b.request(ctx, "sendMessage", params)
}

// request calls method in the bot's budget, ahead of broadcast sends. A rate
// limit pauses the whole budget (broadcasts included) and the answer is
// tried again once the pause ends, up to ten times (a storm of several
// minutes), so a resident is not left without an answer.
func (b *Bot) request(ctx context.Context, method string, params tgbotapi.Params) error {
	budget := b.client.cfg.Budget
	for attempt := 0; ; attempt++ {
		if err := budget.Wait(ctx, true); err != nil {
			return err
		}
		_, err := b.client.call(ctx, method, params)
		var te *tgbotapi.Error
		if errors.As(err, &te) && te.RetryAfter > 0 {
			budget.Pause(b.now().Add(time.Duration(te.RetryAfter) * time.Second))
			if attempt < 10 {
				continue
			}
		}
		if err != nil {
			return classify(err, b.client.token)
		}
		return nil
	}
}

// Reply sends text (Telegram HTML) to chat, with buttons when markup is not nil.
func (b *Bot) Reply(ctx context.Context, chat int64, text string, markup *tgbotapi.InlineKeyboardMarkup) error {
	return b.reply(ctx, strconv.FormatInt(chat, 10), text, markup)
}

// Answer answers a button press with a short notice ("" for none).
func (b *Bot) Answer(ctx context.Context, queryID, text string) error {
	return b.answer(ctx, queryID, text)
}

// ClearButtons removes the buttons of a message the bot sent to chat, so an
// answered question cannot be answered twice.
func (b *Bot) ClearButtons(ctx context.Context, chat int64, messageID int) error {
	empty, _ := json.Marshal(tgbotapi.NewInlineKeyboardMarkup())
	return b.request(ctx, "editMessageReplyMarkup", tgbotapi.Params{
		"chat_id": strconv.FormatInt(chat, 10), "message_id": strconv.Itoa(messageID), "reply_markup": string(empty)})
}

func (b *Bot) answer(ctx context.Context, id, text string) error {
	return b.request(ctx, "answerCallbackQuery", tgbotapi.Params{"callback_query_id": id, "text": text})
}

func (b *Bot) t(l, vi, en string, args ...any) string {
	if l == "en" {
		return fmt.Sprintf(en, args...)
	}
	return fmt.Sprintf(vi, args...)
}

func (b *Bot) welcome(l string) string {
	return b.t(l, `Xin chào! Đây là kênh thông tin của <b>%s</b>.

<b>Bạn sẽ nhận:</b> tin tuyên truyền về gia đình, bình đẳng giới và phòng, chống bạo lực, theo chủ đề bạn chọn, vào các dịp như Ngày Gia đình Việt Nam (28/6), Ngày Phụ nữ Việt Nam (20/10), Tháng hành động vì bình đẳng giới (15/11–15/12); thường vài tin mỗi tuần trong các dịp đó, không quảng cáo.

<b>Về dữ liệu của bạn:</b> %s

Bạn có thể xem dữ liệu bằng /toi, ngừng bất cứ lúc nào bằng /stop và xóa dữ liệu bằng /xoa.

Bạn có đồng ý để %s lưu các thông tin trên và gửi tin cho bạn không?`,
		`Hello! This is the information channel of <b>%s</b>.

<b>You will receive:</b> messages about family, gender equality and preventing violence, on the topics you choose, around occasions such as Vietnamese Family Day (28/6), Vietnamese Women's Day (20/10) and the Action Month for gender equality (15/11–15/12); usually a few a week then, never advertising.

<b>About your data:</b> %s

See your data with /toi, stop at any time with /stop, and delete your data with /xoa.

Do you agree that %s keeps this data and sends you messages?`, b.ward, EscapeHTML(b.notice.Summary(l)), b.notice.Controller)
}

func (b *Bot) help(l string) string {
	return b.t(l, "Các lệnh:\n/start – đăng ký nhận tin\n/chude – chọn chủ đề\n/toi – xem dữ liệu phường giữ về bạn\n/stop – ngừng nhận tin (rút lại đồng ý)\n/xoa – xóa dữ liệu của bạn\n/help – hướng dẫn\n\nThông báo về dữ liệu cá nhân: %s",
		"Commands:\n/start – subscribe\n/topics – choose topics\n/toi – see the data the ward holds about you\n/stop – stop receiving (withdraw consent)\n/xoa – delete your data\n/help – this help\n\nPrivacy notice: %s", b.notice.Link(l))
}

func consentKeyboard(l, source string) *tgbotapi.InlineKeyboardMarkup {
	yes, no := "✅ Đồng ý nhận tin", "Không, cảm ơn"
	if l == "en" {
		yes, no = "✅ I agree", "No, thanks"
	}
	k := tgbotapi.NewInlineKeyboardMarkup(tgbotapi.NewInlineKeyboardRow(
		tgbotapi.NewInlineKeyboardButtonData(yes, "consent:"+source),
		tgbotapi.NewInlineKeyboardButtonData(no, "consent:no")))
	return &k
}

func topicKeyboard(chosen []content.Topic, l string) *tgbotapi.InlineKeyboardMarkup {
	var rows [][]tgbotapi.InlineKeyboardButton
	for _, t := range content.Topics {
		name := t.Label(l)
		if l == "en" {
			name = strings.ReplaceAll(name, "-", " ")
		}
		name = content.UpperFirst(name)
		mark := "⬜ "
		if slices.Contains(chosen, t) {
			mark = "✅ "
		}
		rows = append(rows, tgbotapi.NewInlineKeyboardRow(tgbotapi.NewInlineKeyboardButtonData(mark+name, "topic:"+string(t))))
	}
	k := tgbotapi.NewInlineKeyboardMarkup(rows...)
	return &k
}

// UseWebhook asks Telegram to deliver updates to url with secret in the
// X-Telegram-Bot-Api-Secret-Token header (the library has no secret_token).
func (b *Bot) UseWebhook(ctx context.Context, url, secret string) error {
	return b.request(ctx, "setWebhook", tgbotapi.Params{"url": url, "secret_token": secret, "allowed_updates": `["message","callback_query"]`})
}

// UsePolling removes any webhook, which would make getUpdates fail with 409.
func (b *Bot) UsePolling(ctx context.Context) error {
	return b.request(ctx, "deleteWebhook", tgbotapi.Params{})
}

// WebhookHandler receives updates from Telegram. A request without the
// secret is refused (compared in constant time); a body that is not an
// update gets 400; every update is answered 200 once handled, so Telegram
// does not send it again.
func (b *Bot) WebhookHandler(secret string) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		got := r.Header.Get("X-Telegram-Bot-Api-Secret-Token")
		if subtle.ConstantTimeCompare([]byte(got), []byte(secret)) != 1 {
			http.Error(w, "forbidden", http.StatusForbidden)
			return
		}
		var u tgbotapi.Update
		if err := json.NewDecoder(io.LimitReader(r.Body, 1<<20)).Decode(&u); err != nil || u.UpdateID == 0 {
			http.Error(w, "not a Telegram update", http.StatusBadRequest)
			return
		}
		if err := b.Handle(r.Context(), u); err != nil {
			b.log.Error("handle webhook update", "update", u.UpdateID, "err", err)
		}
		w.WriteHeader(http.StatusOK)
	})
}
