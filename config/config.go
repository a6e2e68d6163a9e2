package config

import (
	"log/slog"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
)

// Config is Loa's whole configuration, validated. Durations are
// time.Duration; zero values are never left where a default exists.
type Config struct {
	File      string // the YAML file read, "" when none was found
	Ward      Ward
	Store     Store
	HTTP      HTTP
	Log       Log
	Scheduler Scheduler
	Content   Content
	Calendar  []content.Observance // built-in observances with the file's changes, in date order
	Telegram  Telegram
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
}

// Telegram configures the Telegram channel.
type Telegram struct {
	Token Secret // the bot token from @BotFather; unset means messages go to the outbox
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
		{"log.level", strings.ToLower(c.Log.Level.String())},
		{"log.format", c.Log.Format},
		{"scheduler.grace", c.Scheduler.Grace.String()},
		{"scheduler.horizon", c.Scheduler.Horizon.String()},
		{"content.pace", strconv.Itoa(c.Content.Pace)},
		{"content.max_reading", c.Content.MaxReading.String()},
		{"content.hotlines", strings.Join(hotlines, ", ")},
		{"calendar.observances", strings.Join(cal, ", ")},
		{"telegram.token", c.Telegram.Token.String()},
	}
}
