// Package telegram is Loa's Telegram channel: it sends deliveries through
// the Bot API with github.com/go-telegram-bot-api/telegram-bot-api/v5,
// wrapped because that library is frozen at Bot API 5.5 (2021): sends go
// through MakeRequest so allow_paid_broadcast can be set, and its errors are
// classified on the description and retry_after as well as the code (its
// upload path drops the code).
//
// Sends are at most once: the Bot API has no idempotency key, so a request
// whose answer was lost is reported unknown (channels.AtMostOnce), never
// repeated; a multi-part text goes one part per call with its progress in
// the ledger, so no part is sent twice either.
//
// Text is sent in HTML parse mode. Text without Telegram tags is escaped
// with our own escaper (the library's EscapeText loses backslashes) and split
// at paragraphs, lines, then sentences when longer than 4096 characters; text
// with tags is sent as written. If Telegram cannot parse the entities, the
// part is sent once more as plain text and the message is flagged for a
// person. A group upgraded to a supergroup is followed: the new id is used
// from then on and reported through Config.Migrated.
//
// The bot token is part of every request URL. It never appears in an error
// or a log line from this package: errors are scrubbed before they leave,
// and the library's own logger is replaced.
package telegram

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"regexp"
	"strconv"
	"strings"
	"sync"
	"time"

	tgbotapi "github.com/go-telegram-bot-api/telegram-bot-api/v5"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
)

// DefaultEndpoint is the official Bot API, as a format string for the token
// and the method.
const DefaultEndpoint = tgbotapi.APIEndpoint

// Config configures the channel.
type Config struct {
	Token    string       // from @BotFather; never logged
	Endpoint string       // "https://api.telegram.org/bot%s/%s" by default
	HTTP     *http.Client // default: a client with a 75-second timeout
	// Paid sets allow_paid_broadcast: up to 1000 messages a second, for a
	// fee in Telegram Stars.
	Paid bool
	// Aliases maps group ids to the supergroups they became.
	Aliases map[string]string
	// Migrated is told when a group became a supergroup, to remember it.
	Migrated func(old, new string)
	// Flagged is told when a message was sent as plain text because Telegram
	// could not parse its formatting: a person should fix it.
	Flagged func(messageKey string, version int, reason string)
	// Budget is the bot's one rate budget, shared with the dispatcher's
	// sends: the bot's replies and staff notices wait in it, ahead of bulk
	// sends, and honour its pauses. Default: no rate, pauses only.
	Budget *channels.Budget
	Now    func() time.Time // the clock pauses are set on; default time.Now
	Log    *slog.Logger
}

// Client is a Telegram bot that sends deliveries.
type Client struct {
	bot      *tgbotapi.BotAPI
	token    string
	cfg      Config
	username string

	mu      sync.Mutex
	aliases map[string]string
}

var setLogger sync.Once

// New connects to the Bot API (getMe) and returns the client; it is
// NewContext without a deadline beyond the HTTP client's.
func New(cfg Config) (*Client, error) { return NewContext(context.Background(), cfg) }

// NewContext connects to the Bot API (getMe, with ctx) and returns the client.
func NewContext(ctx context.Context, cfg Config) (*Client, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no token")
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 75 * time.Second}
	}
	cfg.HTTP = channels.AtMostOnce(cfg.HTTP)
	if cfg.Budget == nil {
		cfg.Budget = channels.NewBudget(0, nil)
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	setLogger.Do(func() { _ = tgbotapi.SetLogger(libraryLogger{cfg.Log.With("component", "telegram-library")}) })
	// The library's constructor calls getMe without a context; the client is
	// built by hand so that a start against an unreachable API can be stopped.
	bot := &tgbotapi.BotAPI{Token: cfg.Token, Client: cfg.HTTP, Buffer: 100}
	bot.SetAPIEndpoint(cfg.Endpoint)
	c := &Client{bot: bot, token: cfg.Token, cfg: cfg, aliases: map[string]string{}}
	resp, err := c.call(ctx, "getMe", nil)
	if err != nil {
		return nil, fmt.Errorf("telegram: getMe: %w", scrub(err, cfg.Token))
	}
	if err := json.Unmarshal(resp.Result, &bot.Self); err != nil {
		return nil, fmt.Errorf("telegram: getMe: unexpected answer: %w", err)
	}
	c.username = bot.Self.UserName
	for k, v := range cfg.Aliases {
		c.aliases[k] = v
	}
	return c, nil
}

// Username is the bot's @username, without the @.
func (c *Client) Username() string { return c.username }

// Bot gives the wrapped library client, for the bot's update loop.
func (c *Client) Bot() *tgbotapi.BotAPI { return c.bot }

// Send delivers the next part of m: the picture (with its caption when the
// text fits one), then the text in as many parts as it needs, one part per
// call. A part that is not the last returns channels.Continue with the
// progress so far, so the ledger records each part and the next follows a
// second later (Telegram's per-chat pace) without holding a worker; a 429 on
// a later part is that chat's limit, so only this delivery waits. The last
// part returns every message id.
func (c *Client) Send(ctx context.Context, m channels.Message) (string, error) {
	chat := c.chat(m.Recipient)
	parts := c.parts(m)
	k := m.Progress.Parts
	if k >= len(parts) {
		return m.Progress.IDs, nil // every part went before a crash or a lost outcome
	}
	var id string
	var err error
	if parts[k].photo {
		id, err = c.sendPhoto(ctx, chat, m.Image, parts[k].text)
	} else {
		id, err = c.sendText(ctx, &chat, parts[k].text, m)
	}
	if err != nil {
		var ce *channels.Error
		if k > 0 && errors.As(err, &ce) && ce.RetryAfter() > 0 && !channels.IsUnknown(err) {
			return "", channels.Snooze(err, ce.RetryAfter())
		}
		return "", err
	}
	ids := id
	if m.Progress.IDs != "" {
		ids = m.Progress.IDs + "," + id
	}
	if k+1 < len(parts) {
		return "", channels.Continue(channels.Progress{Parts: k + 1, IDs: ids}, PartPace)
	}
	return ids, nil
}

// PartPace is the wait between the parts of one message to one chat:
// Telegram allows about one message a second per chat.
const PartPace = time.Second

type part struct {
	photo bool   // the attachment, with text as its caption
	text  string // HTML
}

// parts splits m into what Send sends, the same way on every call.
func (c *Client) parts(m channels.Message) []part {
	var texts []string
	if content.IsTelegramHTML(m.Text) {
		texts = []string{m.Text} // length was checked when the message was saved
	} else {
		for _, p := range content.Split(m.Text, content.TelegramTextLimit) {
			texts = append(texts, EscapeHTML(p))
		}
	}
	var out []part
	if m.Image != "" {
		// The text rides as the caption when it fits; otherwise the picture
		// goes first and the text after it.
		if content.Length(content.TelegramVisible(m.Text)) <= content.TelegramCaptionLimit && len(texts) > 0 {
			return []part{{photo: true, text: texts[0]}}
		}
		out = append(out, part{photo: true})
	}
	for _, t := range texts {
		out = append(out, part{text: t})
	}
	return out
}

func (c *Client) chat(recipient string) string {
	c.mu.Lock()
	defer c.mu.Unlock()
	for range 4 { // a group may have migrated more than once
		next, ok := c.aliases[recipient]
		if !ok {
			break
		}
		recipient = next
	}
	return recipient
}

// call makes one Bot API request with ctx (the library's MakeRequest takes
// none) and returns the answer, or a *tgbotapi.Error for an error answer.
// Network errors come through channels.AtMostOnce: those after the
// request was written are unknown.
func (c *Client) call(ctx context.Context, method string, params tgbotapi.Params) (*tgbotapi.APIResponse, error) {
	form := url.Values{}
	for k, v := range params {
		form.Set(k, v)
	}
	endpoint := fmt.Sprintf(c.cfg.Endpoint, c.token, method)
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, endpoint, strings.NewReader(form.Encode()))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	resp, err := c.cfg.HTTP.Do(req)
	if err != nil {
		return nil, err
	}
	defer resp.Body.Close()
	var ans tgbotapi.APIResponse
	if err := json.NewDecoder(io.LimitReader(resp.Body, 1<<20)).Decode(&ans); err != nil {
		if channels.IsUnknown(err) {
			return nil, err
		}
		return nil, fmt.Errorf("%s: %s: the answer is not the Bot API's JSON", method, resp.Status) // an HTML 502: retry
	}
	if !ans.Ok {
		te := &tgbotapi.Error{Code: ans.ErrorCode, Message: ans.Description}
		if ans.Parameters != nil {
			te.ResponseParameters = *ans.Parameters
		}
		return &ans, te
	}
	return &ans, nil
}

// sendText sends one part in HTML, following a migration and falling back
// to plain text once if the entities cannot be parsed.
func (c *Client) sendText(ctx context.Context, chat *string, text string, m channels.Message) (string, error) {
	params := tgbotapi.Params{"chat_id": *chat, "text": text, "parse_mode": "HTML"}
	if c.cfg.Paid {
		params["allow_paid_broadcast"] = "true"
	}
	resp, err := c.call(ctx, "sendMessage", params)
	var te *tgbotapi.Error
	if errors.As(err, &te) && te.MigrateToChatID != 0 {
		*chat = c.migrate(*chat, strconv.FormatInt(te.MigrateToChatID, 10))
		params["chat_id"] = *chat
		resp, err = c.call(ctx, "sendMessage", params)
	}
	if errors.As(err, &te) && strings.Contains(te.Message, "can't parse entities") {
		reason := te.Message
		params["text"] = content.TelegramVisible(text)
		if !content.IsTelegramHTML(text) {
			params["text"] = m.Text // as the officer wrote it
		}
		delete(params, "parse_mode")
		if resp, err = c.call(ctx, "sendMessage", params); err == nil && c.cfg.Flagged != nil {
			c.cfg.Flagged(m.MessageKey, m.Version, reason)
		}
	}
	if err != nil {
		return "", classify(err, c.token)
	}
	return messageID(resp)
}

// sendPhoto sends the attachment: a picture by sendPhoto, anything else
// (a PDF leaflet, a Word file) by sendDocument, with the caption.
func (c *Client) sendPhoto(ctx context.Context, chat, attachment, caption string) (string, error) {
	var file tgbotapi.RequestFileData = tgbotapi.FilePath(attachment)
	if strings.HasPrefix(attachment, "http://") || strings.HasPrefix(attachment, "https://") {
		file = tgbotapi.FileURL(attachment)
	}
	base := tgbotapi.BaseFile{File: file}
	if id, err := strconv.ParseInt(chat, 10, 64); err == nil {
		base.ChatID = id
	} else {
		base.ChannelUsername = chat
	}
	var cfg tgbotapi.Chattable = tgbotapi.PhotoConfig{BaseFile: base, Caption: caption, ParseMode: "HTML"}
	if !isPicture(attachment) {
		cfg = tgbotapi.DocumentConfig{BaseFile: base, Caption: caption, ParseMode: "HTML"}
	}
	// The library's upload builds its request without a context: a copy of
	// the bot whose HTTP client adds ctx to every request it makes.
	bot := *c.bot
	bot.Client = withContext{ctx, c.bot.Client}
	msg, err := bot.Send(cfg)
	if err != nil {
		return "", classify(err, c.token)
	}
	return strconv.Itoa(msg.MessageID), nil
}

// withContext makes the library's requests with ctx, so an upload stops
// when the daemon does.
type withContext struct {
	ctx  context.Context
	next tgbotapi.HTTPClient
}

func (w withContext) Do(req *http.Request) (*http.Response, error) {
	return w.next.Do(req.WithContext(w.ctx))
}

func isPicture(name string) bool {
	name = strings.ToLower(name)
	for _, ext := range []string{".jpg", ".jpeg", ".png", ".webp", ".gif"} {
		if strings.HasSuffix(name, ext) {
			return true
		}
	}
	return false
}

func (c *Client) migrate(old, new string) string {
	c.mu.Lock()
	c.aliases[old] = new
	c.mu.Unlock()
	c.cfg.Log.Warn("telegram group became a supergroup: following it", "old", old, "new", new)
	if c.cfg.Migrated != nil {
		c.cfg.Migrated(old, new)
	}
	return new
}

func messageID(resp *tgbotapi.APIResponse) (string, error) {
	var msg struct {
		MessageID int64 `json:"message_id"`
	}
	if err := json.Unmarshal(resp.Result, &msg); err != nil {
		return "", fmt.Errorf("telegram: unexpected answer: %w", err)
	}
	return strconv.FormatInt(msg.MessageID, 10), nil
}

// EscapeHTML escapes text for Telegram's HTML parse mode: only &, < and >
// need it; everything else, backslashes included, is sent as it is.
func EscapeHTML(s string) string {
	return htmlEscaper.Replace(s)
}

var htmlEscaper = strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;")

var retryAfterRE = regexp.MustCompile(`retry after (\d+)`)

// classify turns a library error into a channels.Error with the token
// scrubbed. The upload path drops the code, so the description and
// retry_after decide as much as the code.
func classify(err error, token string) error {
	clean := scrub(err, token)
	if channels.IsUnknown(err) {
		return channels.Unknown(clean)
	}
	var te *tgbotapi.Error
	if !errors.As(err, &te) {
		return clean // network, or a non-JSON answer such as an HTML 502: retry
	}
	desc := te.Message
	retry := te.RetryAfter
	if m := retryAfterRE.FindStringSubmatch(desc); m != nil && retry == 0 {
		retry, _ = strconv.Atoi(m[1])
	}
	switch {
	case retry > 0 || te.Code == http.StatusTooManyRequests:
		return channels.RateLimited(clean, time.Duration(max(retry, 1))*time.Second)
	case strings.HasPrefix(desc, "Unauthorized"):
		// A revoked token: pause the whole channel rather than fail every delivery.
		return channels.RateLimited(fmt.Errorf("%w (check telegram.token)", clean), 10*time.Minute)
	case strings.HasPrefix(desc, "Forbidden:"), strings.Contains(desc, "chat not found"):
		return channels.Gone(clean)
	case te.Code >= 500 || strings.HasPrefix(desc, "Internal Server Error"):
		return clean
	case strings.HasPrefix(desc, "Bad Request"), te.Code == http.StatusBadRequest:
		return channels.Permanent(clean)
	}
	return clean
}

// scrub returns err with the token replaced, keeping nothing that holds it.
func scrub(err error, token string) error {
	if err == nil {
		return nil
	}
	msg := err.Error()
	if token != "" {
		msg = strings.ReplaceAll(msg, token, "[redacted]")
	}
	return errors.New(msg)
}

// libraryLogger receives the library's own log lines, scrubbed of anything
// that looks like a token, at debug level.
type libraryLogger struct{ log *slog.Logger }

var tokenRE = regexp.MustCompile(`[0-9]{5,}:[A-Za-z0-9_-]{30,}`)

func (l libraryLogger) Println(v ...any) {
	l.log.Debug(tokenRE.ReplaceAllString(fmt.Sprint(v...), "[redacted]"))
}

func (l libraryLogger) Printf(format string, v ...any) {
	l.log.Debug(tokenRE.ReplaceAllString(fmt.Sprintf(format, v...), "[redacted]"))
}
