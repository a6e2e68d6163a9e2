package config

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/spf13/pflag"
	"go.yaml.in/yaml/v3"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/loudspeaker"
)

func writeFile(t *testing.T, body string) string {
	t.Helper()
	path := filepath.Join(t.TempDir(), "loa.yaml")
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return path
}

func flags(args ...string) *pflag.FlagSet {
	fs := pflag.NewFlagSet("loa", pflag.ContinueOnError)
	fs.String("store-path", "", "")
	fs.String("http-addr", "", "")
	fs.String("log-level", "", "")
	if err := fs.Parse(args); err != nil {
		panic(err)
	}
	return fs
}

func TestPrecedence(t *testing.T) {
	path := writeFile(t, "ward:\n  name: phường Lưu Kiếm\nstore:\n  path: file.db\nhttp:\n  addr: 127.0.0.1:9000\nlog:\n  level: warn\n")
	tests := []struct {
		name             string
		env              map[string]string
		args             []string
		store, addr, lvl string
	}{
		{"file over defaults", nil, nil, "file.db", "127.0.0.1:9000", "WARN"},
		{"env over file", map[string]string{"LOA_STORE_PATH": "env.db", "LOA_LOG_LEVEL": "debug"}, nil, "env.db", "127.0.0.1:9000", "DEBUG"},
		{"flag over env", map[string]string{"LOA_STORE_PATH": "env.db"}, []string{"--store-path", "flag.db", "--log-level", "error"}, "flag.db", "127.0.0.1:9000", "ERROR"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for k, v := range tt.env {
				t.Setenv(k, v)
			}
			c, err := Load(Options{Path: path, Flags: flags(tt.args...)})
			if err != nil {
				t.Fatal(err)
			}
			if c.Store.Path != tt.store || c.HTTP.Addr != tt.addr || c.Log.Level.String() != tt.lvl {
				t.Errorf("got store %q addr %q level %s; want %q %q %s", c.Store.Path, c.HTTP.Addr, c.Log.Level, tt.store, tt.addr, tt.lvl)
			}
		})
	}
	t.Run("defaults", func(t *testing.T) {
		t.Setenv("LOA_WARD_NAME", "phường Mẫu")
		c, err := Load(Options{SearchPaths: []string{filepath.Join(t.TempDir(), "none.yaml")}})
		if err != nil {
			t.Fatal(err)
		}
		if c.File != "" || c.Store.Path != "./data/loa.db" || c.HTTP.Addr != "127.0.0.1:8080" || c.Scheduler.Grace != 6*time.Hour ||
			c.Content.Pace != 200 || c.Log.Format != "text" || c.Ward.Name != "phường Mẫu" {
			t.Errorf("defaults: %+v", c)
		}
		if len(c.Calendar) != len(content.Builtin()) {
			t.Errorf("calendar has %d observances", len(c.Calendar))
		}
	})
	t.Run("search path", func(t *testing.T) {
		c, err := Load(Options{SearchPaths: []string{"/nonexistent/loa.yaml", path}})
		if err != nil || c.File != path {
			t.Fatalf("File = %q, %v", c.File, err)
		}
	})
	t.Run("explicit missing file", func(t *testing.T) {
		_, err := Load(Options{Path: "/nonexistent/loa.yaml"})
		if err == nil || !strings.Contains(err.Error(), "/nonexistent/loa.yaml does not exist") {
			t.Fatalf("err = %v", err)
		}
	})
}

// TestValidation feeds one bad value per key and checks each problem names
// where, which key and the value.
func TestValidation(t *testing.T) {
	body := `ward:
  name: "  "
store:
  path: ""
http:
  addr: localhost
log:
  level: loud
  format: xml
scheduler:
  grace: 6 giờ
  horizon: -1h
content:
  pace: nhanh
  max_reading: 5
  hotlines:
    Tong-Dai: "111"
    cong_an: "không có"
calendar:
  observances:
    - key: family-day
      date: 31/6
      topic: sports
      enabled: maybe
    - key: Tet
    - key: new-day
      lead_days: 400
      colour: red
    - key: family-day
telegram:
  token: not-a-token
  tokn: x
sheduler:
  grace: 1h
delivery:
  workers: 0
  rates:
    telegram: fast
    loudspeaker: 3
  assignees:
    zalo: someone
webhook:
  channels: [telegram, banner]
`
	path := writeFile(t, body)
	t.Setenv("LOA_TELEGRAM_TOKN", "x")
	_, err := Load(Options{Path: path})
	var ve *ValidationError
	if !errors.As(err, &ve) {
		t.Fatalf("err = %v", err)
	}
	f := path
	want := []string{
		f + `:28: calendar.observances[2].colour: unknown key`,
		f + `:32: telegram.tokn: unknown key (did you mean "telegram.token"?)`,
		f + `:33: sheduler: unknown key`,
		`environment LOA_TELEGRAM_TOKN: LOA_TELEGRAM_TOKN: names no configuration key (did you mean "LOA_TELEGRAM_TOKEN"?)`,
		f + `:2: ward.name: is required`,
		f + `:4: store.path: must name the database file`,
		f + `:6: http.addr: "localhost" is not host:port`,
		f + `:8: log.level: "loud" is not a level`,
		f + `:9: log.format: "xml" is not a log format`,
		f + `:11: scheduler.grace: "6 giờ" is not a duration (e.g. 6h, 90m)`,
		f + `:12: scheduler.horizon: "-1h" must be positive`,
		f + `:14: content.pace: "nhanh" is not a whole number from 60 to 400`,
		f + `:15: content.max_reading: "5" is not a duration`,
		f + `:18: content.hotlines.cong_an: "không có" is not a phone number`,
		f + `:17: content.hotlines.tong-dai: "tong-dai" is not a usable name`,
		f + `:22: calendar.observances[0].date: "31/6" is not a day of the year`,
		f + `:23: calendar.observances[0].topic: "sports" is not a topic`,
		f + `:24: calendar.observances[0].enabled: "maybe" is not true or false`,
		f + `:25: calendar.observances[1].key: "Tet" is not an observance key`,
		f + `:26: calendar.observances[2]: the new observance "new-day" needs name`,
		f + `:26: calendar.observances[2]: the new observance "new-day" needs date`,
		f + `:27: calendar.observances[2].lead_days: "400" is not a number of days`,
		f + `:29: calendar.observances[3].key: "family-day" is already configured at calendar.observances[0]`,
		f + `:31: telegram.token: is not a bot token`,
		f + `:36: delivery.workers: "0" is not a whole number from 1 to 256`,
		f + `:39: delivery.rates.loudspeaker: "loudspeaker" is not a channel Loa sends on`,
		f + `:38: delivery.rates.telegram: "fast" is not a positive number`,
		f + `:41: delivery.assignees.zalo: "zalo" is not a channel a person completes`,
		f + `:43: webhook.channels: "banner" is not one of [telegram zalo]`,
		f + `:43: webhook.channels: needs webhook.url`,
	}
	var got []string
	for _, p := range ve.Problems {
		got = append(got, p.String())
	}
	if len(got) != len(want) {
		t.Fatalf("%d problems:\n%s\nwant %d", len(got), strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
	if strings.Contains(err.Error(), "not-a-token") {
		t.Error("the error shows the token")
	}
}

func TestValidationNamesEnvAndFlag(t *testing.T) {
	path := writeFile(t, "ward:\n  name: x\n")
	t.Setenv("LOA_SCHEDULER_GRACE", "sáu giờ")
	_, err := Load(Options{Path: path, Flags: flags("--http-addr", "nowhere")})
	if err == nil {
		t.Fatal("no error")
	}
	for _, want := range []string{
		`environment LOA_SCHEDULER_GRACE: scheduler.grace: "sáu giờ" is not a duration`,
		`flag --http-addr: http.addr: "nowhere" is not host:port`,
	} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestBadFiles(t *testing.T) {
	for body, want := range map[string]string{
		"ward: [":          "did not find expected node content",
		"- a\n- b\n":       ":1: the configuration must be a mapping",
		"ward:\n\tname: x": "found character that cannot start any token",
	} {
		_, err := Load(Options{Path: writeFile(t, body)})
		if err == nil || !strings.Contains(err.Error(), want) || !strings.Contains(err.Error(), "loa.yaml") {
			t.Errorf("Load(%q) = %v, want %q naming the file", body, err, want)
		}
	}
	c, err := Load(Options{Path: writeFile(t, "")})
	if err == nil || c == nil {
		t.Errorf("empty file: want the ward.name problem, got %v", err)
	}
}

func TestCalendarChanges(t *testing.T) {
	path := writeFile(t, `ward:
  name: phường Lưu Kiếm
calendar:
  observances:
    - key: family-day
      name: Ngày Gia đình Việt Nam (phường)
    - key: action-month
      enabled: false
    - key: dv-month
      enabled: true
    - key: le-hoi-dinh
      name: Lễ hội đình làng
      date: 10/2
      ends: 12/2
      lead_days: 3
      topic: family
`)
	c, err := Load(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	fd, _ := c.Observance("family-day")
	am, _ := c.Observance("action-month")
	dv, _ := c.Observance("dv-month")
	fest, ok := c.Observance("le-hoi-dinh")
	if fd.Name != "Ngày Gia đình Việt Nam (phường)" || fd.Starts != (content.MonthDay{Month: 6, Day: 28}) || am.Enabled || !dv.Enabled {
		t.Errorf("overrides: %+v %+v %+v", fd, am, dv)
	}
	if !ok || !fest.Enabled || fest.Starts != (content.MonthDay{Month: 2, Day: 10}) || fest.Ends != (content.MonthDay{Month: 2, Day: 12}) || fest.LeadDays != 3 {
		t.Errorf("added: %+v", fest)
	}
	if c.Calendar[0].Key != "le-hoi-dinh" || c.Calendar[1].Key != "womens-day" {
		t.Errorf("calendar not in date order: %s, %s", c.Calendar[0].Key, c.Calendar[1].Key)
	}
}

func TestWebhookURLIsRedacted(t *testing.T) {
	t.Setenv("LOA_WARD_NAME", "x")
	t.Setenv("LOA_WEBHOOK_URL", "https://user:pw@hooks.example.vn/loa?token=s3cret")
	t.Setenv("LOA_WEBHOOK_CHANNELS", "telegram")
	c, err := Load(Options{SearchPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	for _, kv := range c.Settings() {
		if strings.Contains(kv[1], "s3cret") || strings.Contains(kv[1], "pw") {
			t.Errorf("%s shows a secret: %s", kv[0], kv[1])
		}
		if kv[0] == "webhook.url" && !strings.HasPrefix(kv[1], "https://hooks.example.vn/loa") {
			t.Errorf("webhook.url shown as %q", kv[1])
		}
	}
	if len(c.Webhook.Channels) != 1 || c.Webhook.Channels[0] != "telegram" {
		t.Errorf("channels from the environment: %v", c.Webhook.Channels)
	}
}

func TestSecretNeverPrints(t *testing.T) {
	const token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"
	t.Setenv("LOA_TELEGRAM_TOKEN", token)
	t.Setenv("LOA_WARD_NAME", "x")
	c, err := Load(Options{SearchPaths: []string{}})
	if err != nil {
		t.Fatal(err)
	}
	if c.Telegram.Token.Reveal() != token {
		t.Fatal("token not read")
	}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("cfg", "token", c.Telegram.Token, "cfg", c)
	slog.New(slog.NewTextHandler(&logs, nil)).Info("cfg", "token", c.Telegram.Token)
	js, _ := json.Marshal(c)
	ym, _ := yaml.Marshal(c)
	outputs := []string{
		fmt.Sprint(c.Telegram.Token), fmt.Sprintf("%v %+v %#v %s %q %x %d", c.Telegram.Token, c, c, c.Telegram.Token, c.Telegram.Token, c.Telegram.Token, c.Telegram.Token),
		logs.String(), string(js), string(ym),
	}
	for _, out := range outputs {
		if strings.Contains(out, token) || strings.Contains(out, "AAHdq") {
			t.Errorf("secret leaked: %s", out)
		}
	}
	if !strings.Contains(string(js), "[redacted]") || !strings.Contains(logs.String(), "[redacted]") {
		t.Errorf("redaction marker missing: %s %s", js, logs.String())
	}
	if NewSecret("").String() != "" {
		t.Error("an unset secret should print empty")
	}
}

// TestExampleFile keeps loa.example.yaml honest: it loads without a problem
// and documents every key.
func TestExampleFile(t *testing.T) {
	path := filepath.Join("..", "loa.example.yaml")
	c, err := Load(Options{Path: path})
	if err != nil {
		t.Fatalf("loa.example.yaml: %v", err)
	}
	data, _ := os.ReadFile(path)
	var doc map[string]any
	if err := yaml.Unmarshal(data, &doc); err != nil {
		t.Fatal(err)
	}
	for _, k := range Keys() {
		section, field, _ := strings.Cut(k, ".")
		m, _ := doc[section].(map[string]any)
		if _, ok := m[field]; !ok {
			t.Errorf("loa.example.yaml does not document %s", k)
		}
	}
	if dv, _ := c.Observance("dv-month"); !dv.Enabled {
		t.Error("the example enables the June month for the demo")
	}
}

func TestLoudspeakerSlots(t *testing.T) {
	good := writeFile(t, "ward:\n  name: x\nloudspeaker:\n  slots:\n    - {name: sáng, time: \"05:30\", days: [t2, t4, cn], max: 8m}\n    - {time: \"17:00\"}\n  abbreviations:\n    HTX: hợp tác xã\n")
	c, err := Load(Options{Path: good})
	if err != nil {
		t.Fatal(err)
	}
	ss := c.Loudspeaker.Slots
	if len(ss) != 2 || loudspeaker.Slot(ss[0]).Cron() != "30 5 * * 1,3,0" || ss[0].Max != 8*time.Minute || loudspeaker.Slot(ss[1]).Cron() != "0 17 * * *" || ss[1].Name != "" {
		t.Errorf("slots: %+v", ss)
	}
	if c.Loudspeaker.Abbreviations["HTX"] != "hợp tác xã" {
		t.Errorf("abbreviations lost their case: %v", c.Loudspeaker.Abbreviations)
	}
	bad := writeFile(t, "ward:\n  name: x\nloudspeaker:\n  slots:\n    - {name: sáng, at: \"05:30\"}\n    - {time: \"25:00\", max: dài, days: [mon, someday]}\n")
	_, err = Load(Options{Path: bad})
	for _, want := range []string{
		`:5: loudspeaker.slots[0].at: unknown key`,
		`loudspeaker.slots[0].time: missing`,
		`loudspeaker.slots[1].time: "25:00" is not a time of day`,
		`loudspeaker.slots[1].max: "dài" is not a duration`,
		`loudspeaker.slots[1].days: "someday" is not a day`,
	} {
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("error lacks %q:\n%v", want, err)
		}
	}
}

func TestTelegramWebhookDefaultsToThePublicURL(t *testing.T) {
	dir := t.TempDir()
	path := filepath.Join(dir, "loa.yaml")
	body := "ward: {name: phường Lưu Kiếm}\nhttp: {public_url: \"https://loa.luukiem.test/\"}\ntelegram:\n  token: \"123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq\"\n  mode: webhook\n  webhook_secret: s3cret-Value\n"
	if err := os.WriteFile(path, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg, err := Load(Options{Path: path})
	if err != nil {
		t.Fatal(err)
	}
	if cfg.Telegram.WebhookURL != "https://loa.luukiem.test/telegram/webhook" {
		t.Errorf("webhook_url %q", cfg.Telegram.WebhookURL)
	}
}
