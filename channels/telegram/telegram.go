// Package telegram is Loa's Telegram channel: it sends deliveries through
// the Bot API with github.com/go-telegram-bot-api/telegram-bot-api/v5,
// wrapped because that library is frozen at Bot API 5.5 (2021): sends go
// through MakeRequest so allow_paid_broadcast can be set, and its errors are
// classified on the description and retry_after as well as the code (its
// upload path drops the code).
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
	"log/slog"
	"net/http"
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
	Log     *slog.Logger
}

// Client is a Telegram bot that sends deliveries.
type Client struct {
	bot      *tgbotapi.BotAPI
	token    string
	cfg      Config
	username string

	mu       sync.Mutex
	aliases  map[string]string
	progress map[int64]progress // parts of a long text already sent, by delivery
}

type progress struct {
	parts int
	ids   []string
}

var setLogger sync.Once

// New connects to the Bot API (the library calls getMe) and returns the client.
func New(cfg Config) (*Client, error) {
	if cfg.Token == "" {
		return nil, errors.New("telegram: no token")
	}
	if cfg.Endpoint == "" {
		cfg.Endpoint = DefaultEndpoint
	}
	if cfg.HTTP == nil {
		cfg.HTTP = &http.Client{Timeout: 75 * time.Second}
	}
	if cfg.Log == nil {
		cfg.Log = slog.Default()
	}
	setLogger.Do(func() { _ = tgbotapi.SetLogger(libraryLogger{cfg.Log.With("component", "telegram-library")}) })
	bot, err := tgbotapi.NewBotAPIWithClient(cfg.Token, cfg.Endpoint, cfg.HTTP)
	if err != nil {
		return nil, fmt.Errorf("telegram: getMe: %w", scrub(err, cfg.Token))
	}
	c := &Client{bot: bot, token: cfg.Token, cfg: cfg, username: bot.Self.UserName, aliases: map[string]string{}, progress: map[int64]progress{}}
	for k, v := range cfg.Aliases {
		c.aliases[k] = v
	}
	return c, nil
}

// Username is the bot's @username, without the @.
func (c *Client) Username() string { return c.username }

// Bot gives the wrapped library client, for the bot's update loop.
func (c *Client) Bot() *tgbotapi.BotAPI { return c.bot }

// Send delivers m: a picture with its caption when there is one, then the
// text in as many parts as it needs. It returns the message ids.
func (c *Client) Send(ctx context.Context, m channels.Message) (string, error) {
	chat := c.chat(m.Recipient)
	formatted := content.IsTelegramHTML(m.Text)
	visible := content.TelegramVisible(m.Text)
	var parts []string
	switch {
	case formatted:
		parts = []string{m.Text} // length was checked when the message was saved
	default:
		for _, p := range content.Split(m.Text, content.TelegramTextLimit) {
			parts = append(parts, EscapeHTML(p))
		}
	}
	c.mu.Lock()
	done := c.progress[m.DeliveryID]
	c.mu.Unlock()
	if m.Image != "" && done.parts == 0 {
		// The text rides as the caption when it fits; otherwise the picture
		// goes first and the text after it.
		caption := ""
		if content.Length(visible) <= content.TelegramCaptionLimit {
			caption, parts = parts[0], nil
		}
		id, err := c.sendPhoto(chat, m.Image, caption)
		if err != nil {
			return "", err
		}
		done = c.advance(m.DeliveryID, id)
	}
	offset := done.parts
	if m.Image != "" && offset > 0 {
		offset-- // the photo was the first part
	}
	for i := offset; i < len(parts); i++ {
		id, err := c.sendText(ctx, &chat, parts[i], m)
		if err != nil {
			return "", err // parts already sent are remembered: a retry goes on from here
		}
		done = c.advance(m.DeliveryID, id)
	}
	c.mu.Lock()
	delete(c.progress, m.DeliveryID)
	c.mu.Unlock()
	return strings.Join(done.ids, ","), nil
}

func (c *Client) advance(delivery int64, id string) progress {
	c.mu.Lock()
	defer c.mu.Unlock()
	p := c.progress[delivery]
	p.parts++
	p.ids = append(p.ids, id)
	c.progress[delivery] = p
	return p
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

// sendText sends one part in HTML, following a migration and falling back
// to plain text once if the entities cannot be parsed.
func (c *Client) sendText(ctx context.Context, chat *string, text string, m channels.Message) (string, error) {
	params := tgbotapi.Params{"chat_id": *chat, "text": text, "parse_mode": "HTML"}
	if c.cfg.Paid {
		params["allow_paid_broadcast"] = "true"
	}
	resp, err := c.bot.MakeRequest("sendMessage", params)
	var te *tgbotapi.Error
	if errors.As(err, &te) && te.MigrateToChatID != 0 {
		*chat = c.migrate(*chat, strconv.FormatInt(te.MigrateToChatID, 10))
		params["chat_id"] = *chat
		resp, err = c.bot.MakeRequest("sendMessage", params)
	}
	if errors.As(err, &te) && strings.Contains(te.Message, "can't parse entities") {
		reason := te.Message
		params["text"] = content.TelegramVisible(text)
		if !content.IsTelegramHTML(text) {
			params["text"] = m.Text // as the officer wrote it
		}
		delete(params, "parse_mode")
		if resp, err = c.bot.MakeRequest("sendMessage", params); err == nil && c.cfg.Flagged != nil {
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
func (c *Client) sendPhoto(chat, attachment, caption string) (string, error) {
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
	msg, err := c.bot.Send(cfg)
	if err != nil {
		return "", classify(err, c.token)
	}
	return strconv.Itoa(msg.MessageID), nil
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
