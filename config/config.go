package config

import (
	"fmt"
	"log/slog"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
)

// Config is Loa's whole configuration, validated. Durations are
// time.Duration; zero values are never left where a default exists.
type Config struct {
	File        string // the YAML file read, "" when none was found
	Ward        Ward
	Store       Store
	HTTP        HTTP
	Log         Log
	Scheduler   Scheduler
	Content     Content
	Calendar    []content.Observance // built-in observances with the file's changes, in date order
	Telegram    Telegram
	Zalo        Zalo
	Loudspeaker Loudspeaker
	Delivery    Delivery
	Webhook     Webhook
	Email       Email
	Notify      Notify
	Report      Report
	Privacy     Privacy
}

// Privacy is what the privacy notice says of the ward as the controller of
// residents' data, and how long that data is kept.
type Privacy struct {
	Controller      string // default "Ủy ban nhân dân " + the ward's name
	Address         string // the office's address, for requests in person
	Contact         string // a phone or e-mail for requests
	RetentionMonths int    // after a campaign's year: the ledger's ids replaced; a withdrawal this old deleted
	UnansweredDays  int    // a Zalo follower who never answered the welcome is deleted after this
	RequestDays     int    // the days the ward has to carry out a request (Decree 356: 15)
}

// Report is who issues the ward's reports.
type Report struct {
	Parent string // the body above the ward on the letterhead, "UBND THÀNH PHỐ HẢI PHÒNG"; "" for none
	Place  string // the place-date line's place; default the ward's name without "phường"
}

// Email is the SMTP server notices to staff go through, with STARTTLS
// required. Without Host, no e-mail is sent.
type Email struct {
	Host     string
	Port     int // default 587 (submission)
	Username string
	Password Secret
	From     string // "Loa phường Lưu Kiếm <loa@luukiem.gov.vn>"
	// CAFile is a PEM file of the authority that signed the server's
	// certificate, for a mail server with the ward's own; "" : the system's.
	CAFile string
}

// Notify tunes the notices to staff.
type Notify struct {
	PerPerson  int // notices a person gets by a channel an hour; the rest wait for the digest (default 6)
	DigestHour int // the hour the morning digest goes out (default 7)
}

// Loudspeaker configures the ward radio's work.
type Loudspeaker struct {
	Slots []Slot // default 05:30 and 17:00 every day, 10 minutes each
	Dir   string // where scripts, audio and sheets go; default ./data/broadcasts
	// Abbreviations are the ward's own, read out in full (over the built-in dictionary).
	Abbreviations map[string]string
	// Style is the built-in frame read around each script: "propaganda"
	// (default: "Đây là Đài Truyền thanh … Sau đây là bài tuyên truyền: «…»")
	// or "notice" ("… xin thông báo: …"). Opening and Closing, when set,
	// are the ward's own, templates over {{.Title}} and {{.Ward}}.
	Style            string
	Opening, Closing string
}

// Zalo configures the Zalo Official Account channel. Without AppID and
// AppSecret, Zalo deliveries go to the outbox.
type Zalo struct {
	AppID     string
	AppSecret Secret // the app's secret key (token endpoint)
	OASecret  Secret // the OA's secret key (webhook signatures)
	OAuthBase string // default https://oauth.zaloapp.com
	APIBase   string // default https://openapi.zalo.me
	ZNSBase   string // default https://business.openapi.zalo.me
	// Groups are the residential blocks' Zalo groups, which have no API:
	// each run with Zalo text gives every group's admin a post to paste.
	// Name → the admin's name (as tasks are assigned).
	Groups map[string]string
	// OverQuota is what becomes of a delivery to a follower whose daily
	// quota is used (-218): "wait" for their next day (default) or "skip"
	// it with that reason.
	OverQuota string
}

// Delivery tunes the dispatcher and the person-completed deliveries.
type Delivery struct {
	OutboxDir   string                      // where the outbox channel writes; default ./data/outbox
	Workers     int                         // concurrent sends per channel; default 4
	InFlight    int                         // deliveries in sending per channel at most; 0: workers + 8
	MaxAttempts int                         // tries before a delivery is dead; default 5
	RetryBase   time.Duration               // first retry wait, doubling; default 30s
	RetryMax    time.Duration               // longest retry wait; default 30m
	Drain       time.Duration               // on shutdown, how long in-flight sends may finish; default 10s
	Rates       map[content.Channel]float64 // sends per second per channel
	Assignees   map[content.Channel]string  // who completes loudspeaker and banner deliveries
	TaskOverdue time.Duration               // a task not confirmed this long after its time is overdue; default 24h
	LinkTTL     time.Duration               // how long a task link works; default 72h
}

// Webhook configures the webhook channel, which POSTs deliveries as JSON.
type Webhook struct {
	URL      string            // "" disables it
	Channels []content.Channel // the channels it carries instead of the outbox
}

// Ward names the ward the campaigns belong to.
type Ward struct {
	Name string // e.g. "phường Lưu Kiếm", used in texts as {{.Ward}}
}

// Store locates the SQLite database.
type Store struct {
	Path string // the database file; default ./data/loa.db
}

// HTTP is the daemon's listener: health, metrics, webhooks, the dashboard.
type HTTP struct {
	Addr string // host:port; default 127.0.0.1:8080
	// PublicURL is where people reach Loa ("https://loa.example.vn"), ""
	// when only on the office network; https makes the session cookie Secure.
	PublicURL string
	// SessionIdle and SessionMax end a dashboard session unused this long,
	// or this long after sign-in; default 1h and 12h.
	SessionIdle, SessionMax time.Duration
}

// Log configures log/slog.
type Log struct {
	Level  slog.Level
	Format string // "text" or "json"
}

// Scheduler holds the timing rules of the daemon.
type Scheduler struct {
	// Grace is how late a run may still be sent after its time (default 6h);
	// older runs are marked missed, never sent late.
	Grace time.Duration
	// Horizon is how far ahead runs are planned (default 48h).
	Horizon time.Duration
}

// Content holds the text rules and template values.
type Content struct {
	Pace       int               // loudspeaker reading pace, syllables a minute; default 200
	MaxReading time.Duration     // warn when a loudspeaker script reads longer; default 5m
	Hotlines   map[string]string // name → phone number, {{.Hotlines.name}} in templates
	// SelfApproval lets a leader approve a message they submitted or wrote
	// themselves; off by default (four eyes).
	SelfApproval bool
}

// Telegram configures the Telegram channel.
type Telegram struct {
	Token Secret // the bot token from @BotFather; unset means messages go to the outbox
	// APIEndpoint is the Bot API as a format string for the token and the
	// method; default "https://api.telegram.org/bot%s/%s". Tests and demos
	// point it at `loa dev telegram-server`.
	APIEndpoint string
	// PaidBroadcast sets allow_paid_broadcast: up to 1000 messages a second
	// for a fee in Stars. Off unless chosen.
	PaidBroadcast bool
	// Chats names chats the ward posts to: its channel by @username, groups
	// by id. Schedules address them as audience "chats:<name>".
	Chats map[string]string
	// Mode is how the bot receives residents' messages: "polling" (default)
	// or "webhook", which needs WebhookURL (https, reaching http.addr's
	// /telegram/webhook) and WebhookSecret.
	Mode          string
	WebhookURL    string
	WebhookSecret Secret
	// Staff are the chats allowed the staff commands, and who gets alerts.
	Staff []StaffMember
}

// StaffMember is a person of the ward office on Telegram.
type StaffMember struct {
	ChatID int64
	Name   string // as deliveries are assigned, e.g. "dai-truyen-thanh"
	Role   string // officer, leader, operator or admin
}

// Observance returns the configured observance with key, and whether it exists.
func (c *Config) Observance(key string) (content.Observance, bool) {
	for _, o := range c.Calendar {
		if o.Key == key {
			return o, true
		}
	}
	return content.Observance{}, false
}

// Settings returns every key with its effective value as text, in the order
// of the reference, secrets redacted. `loa config check` prints it.
func (c *Config) Settings() [][2]string {
	hotlines := make([]string, 0, len(c.Content.Hotlines))
	for name, number := range c.Content.Hotlines {
		hotlines = append(hotlines, name+"="+number)
	}
	slices.Sort(hotlines)
	var cal []string
	for _, o := range c.Calendar {
		state := ""
		if !o.Enabled {
			state = " (off)"
		}
		cal = append(cal, o.Key+state)
	}
	return [][2]string{
		{"ward.name", c.Ward.Name},
		{"store.path", c.Store.Path},
		{"http.addr", c.HTTP.Addr},
		{"http.public_url", c.HTTP.PublicURL},
		{"http.session_idle", c.HTTP.SessionIdle.String()},
		{"http.session_max", c.HTTP.SessionMax.String()},
		{"log.level", strings.ToLower(c.Log.Level.String())},
		{"log.format", c.Log.Format},
		{"scheduler.grace", c.Scheduler.Grace.String()},
		{"scheduler.horizon", c.Scheduler.Horizon.String()},
		{"content.pace", strconv.Itoa(c.Content.Pace)},
		{"content.max_reading", c.Content.MaxReading.String()},
		{"content.hotlines", strings.Join(hotlines, ", ")},
		{"content.self_approval", strconv.FormatBool(c.Content.SelfApproval)},
		{"calendar.observances", strings.Join(cal, ", ")},
		{"telegram.token", c.Telegram.Token.String()},
		{"telegram.api_endpoint", c.Telegram.APIEndpoint},
		{"telegram.paid_broadcast", strconv.FormatBool(c.Telegram.PaidBroadcast)},
		{"telegram.chats", fmt.Sprint(c.Telegram.Chats)},
		{"telegram.mode", c.Telegram.Mode},
		{"telegram.webhook_url", redactURL(c.Telegram.WebhookURL)},
		{"telegram.webhook_secret", c.Telegram.WebhookSecret.String()},
		{"telegram.staff", fmt.Sprint(len(c.Telegram.Staff)) + " chats"},
		{"zalo.app_id", c.Zalo.AppID},
		{"zalo.app_secret", c.Zalo.AppSecret.String()},
		{"zalo.oa_secret", c.Zalo.OASecret.String()},
		{"zalo.oauth_base", c.Zalo.OAuthBase},
		{"zalo.api_base", c.Zalo.APIBase},
		{"zalo.zns_base", c.Zalo.ZNSBase},
		{"zalo.groups", fmt.Sprint(c.Zalo.Groups)},
		{"zalo.over_quota", c.Zalo.OverQuota},
		{"loudspeaker.slots", slotsString(c.Loudspeaker.Slots)},
		{"loudspeaker.dir", c.Loudspeaker.Dir},
		{"loudspeaker.abbreviations", fmt.Sprint(c.Loudspeaker.Abbreviations)},
		{"loudspeaker.style", c.Loudspeaker.Style},
		{"loudspeaker.opening", c.Loudspeaker.Opening},
		{"loudspeaker.closing", c.Loudspeaker.Closing},
		{"delivery.outbox_dir", c.Delivery.OutboxDir},
		{"delivery.workers", strconv.Itoa(c.Delivery.Workers)},
		{"delivery.in_flight", strconv.Itoa(c.Delivery.InFlight)},
		{"delivery.max_attempts", strconv.Itoa(c.Delivery.MaxAttempts)},
		{"delivery.retry_base", c.Delivery.RetryBase.String()},
		{"delivery.retry_max", c.Delivery.RetryMax.String()},
		{"delivery.drain", c.Delivery.Drain.String()},
		{"delivery.rates", mapString(c.Delivery.Rates)},
		{"delivery.assignees", mapString(c.Delivery.Assignees)},
		{"delivery.task_overdue", c.Delivery.TaskOverdue.String()},
		{"delivery.link_ttl", c.Delivery.LinkTTL.String()},
		{"webhook.url", redactURL(c.Webhook.URL)},
		{"webhook.channels", fmt.Sprint(c.Webhook.Channels)},
		{"email.host", c.Email.Host},
		{"email.port", strconv.Itoa(c.Email.Port)},
		{"email.username", c.Email.Username},
		{"email.password", c.Email.Password.String()},
		{"email.from", c.Email.From},
		{"email.ca_file", c.Email.CAFile},
		{"notify.per_person", strconv.Itoa(c.Notify.PerPerson)},
		{"notify.digest_hour", strconv.Itoa(c.Notify.DigestHour)},
		{"report.parent", c.Report.Parent},
		{"report.place", c.Report.Place},
	}
}

func mapString[V any](m map[content.Channel]V) string {
	var parts []string
	for k, v := range m {
		parts = append(parts, fmt.Sprintf("%s=%v", k, v))
	}
	slices.Sort(parts)
	return strings.Join(parts, ", ")
}

// redactURL keeps scheme, host and path: a webhook URL often carries a token
// in its query or user info, and secrets are never printed.
func redactURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil || raw == "" {
		return raw
	}
	if u.User != nil || u.RawQuery != "" {
		u.User, u.RawQuery = nil, ""
		return u.String() + " [query and credentials redacted]"
	}
	return u.String()
}

func slotsString(ss []Slot) string {
	var out []string
	for _, s := range ss {
		out = append(out, fmt.Sprintf("%s %02d:%02d (%s)", s.Name, s.Hour, s.Min, s.Max))
	}
	return strings.Join(out, ", ")
}

// Slot is one of the ward radio's slots as configured; loudspeaker.Slot
// converts from it.
type Slot struct {
	Name string         // e.g. "sáng"
	Hour int            // local time
	Min  int            //
	Days []time.Weekday // the days it runs; all when empty
	Max  time.Duration  // the ward's segment inside the slot
}
