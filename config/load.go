package config

import (
	"crypto/x509"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"log/slog"
	"net"
	"net/mail"
	"net/url"
	"os"
	"regexp"
	"slices"
	"sort"
	"strconv"
	"strings"
	"text/template"
	"time"

	"github.com/spf13/pflag"
	"github.com/spf13/viper"
	"go.yaml.in/yaml/v3"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// Options says where Load looks.
type Options struct {
	// Path is the file given with --config; it must exist. When empty, Load
	// reads the first of SearchPaths that exists, or none.
	Path        string
	SearchPaths []string // default: ./loa.yaml, /etc/loa/loa.yaml
	// Flags are the command's flags; a flag named like a key with "." → "-"
	// (store-path for store.path) overrides it when set.
	Flags *pflag.FlagSet
}

// DefaultSearchPaths are where Load looks when no --config is given.
var DefaultSearchPaths = []string{"loa.yaml", "/etc/loa/loa.yaml"}

// Problem is one thing wrong with the configuration.
type Problem struct {
	Where string // "loa.yaml:12", "environment LOA_HTTP_ADDR", "flag --store-path" or "default"
	Key   string
	Msg   string // includes the bad value, quoted
	MsgVI string // Msg in Vietnamese
}

func (p Problem) String() string { return p.In(i18n.English) }

// In says the problem in lang: where, key and what is wrong.
func (p Problem) In(lang string) string {
	where, msg := p.Where, p.Msg
	if lang != i18n.English {
		msg = p.MsgVI
		for en, vi := range map[string]string{"flag --": "tham số --", "environment ": "biến môi trường ", "default": "mặc định"} {
			if rest, ok := strings.CutPrefix(where, en); ok {
				where = vi + rest
				break
			}
		}
	}
	return where + ": " + p.Key + ": " + msg
}

// ValidationError lists every problem Load found.
type ValidationError struct{ Problems []Problem }

func (e *ValidationError) Error() string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.String()
	}
	return "invalid configuration:\n  " + strings.Join(lines, "\n  ")
}

// Localize lists the problems in lang.
func (e *ValidationError) Localize(lang string) string {
	lines := make([]string, len(e.Problems))
	for i, p := range e.Problems {
		lines[i] = p.In(lang)
	}
	return i18n.Pick(lang, "cấu hình không hợp lệ:", "invalid configuration:") + "\n  " + strings.Join(lines, "\n  ")
}

// Load reads, merges and validates the configuration. With problems it
// returns the Config as far as it could be read and a *ValidationError.
func Load(opts Options) (*Config, error) {
	l := &loader{v: viper.New(), lines: map[string]int{}, flags: opts.Flags}
	for _, k := range keys {
		l.v.SetDefault(k.name, k.def)
	}
	l.v.SetEnvPrefix("LOA")
	l.v.SetEnvKeyReplacer(strings.NewReplacer(".", "_"))
	l.v.AutomaticEnv()
	if opts.Flags != nil {
		for _, k := range keys {
			if f := opts.Flags.Lookup(flagName(k.name)); f != nil {
				if err := l.v.BindPFlag(k.name, f); err != nil {
					return nil, fmt.Errorf("bind flag --%s: %w", f.Name, err)
				}
			}
		}
	}
	if err := l.readFile(opts); err != nil {
		return nil, err
	}
	l.checkEnv()
	cfg := l.build()
	if len(l.problems) > 0 {
		return cfg, &ValidationError{l.problems}
	}
	return cfg, nil
}

type loader struct {
	abbreviations map[string]string // loudspeaker.abbreviations with their case
	groupNames    map[string]string // zalo.groups' names, lower case → as written
	v             *viper.Viper
	file          string
	lines         map[string]int // dotted key → line in file
	flags         *pflag.FlagSet
	problems      []Problem
}

func flagName(key string) string { return strings.NewReplacer(".", "-", "_", "-").Replace(key) }

func envName(key string) string { return "LOA_" + strings.ToUpper(strings.ReplaceAll(key, ".", "_")) }

func (l *loader) readFile(opts Options) error {
	path := opts.Path
	if path == "" {
		search := opts.SearchPaths
		if search == nil {
			search = DefaultSearchPaths
		}
		for _, p := range search {
			if _, err := os.Stat(p); err == nil {
				path = p
				break
			}
		}
		if path == "" {
			return nil
		}
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, fs.ErrNotExist) {
		return i18n.Errorf("không có tệp cấu hình %s", "config file %s does not exist", path)
	} else if errors.Is(err, fs.ErrPermission) {
		return i18n.Errorf("không có quyền đọc tệp cấu hình %s", "config file %s: permission denied", path)
	} else if err != nil {
		return fmt.Errorf("read config: %w", err)
	}
	l.file = path
	var root yaml.Node
	if err := yaml.Unmarshal(data, &root); err != nil {
		return yamlError(path, err)
	}
	if len(root.Content) == 0 {
		return nil // an empty file
	}
	if root.Content[0].Kind != yaml.MappingNode {
		return i18n.Errorf("%s:%d: cấu hình phải là các khóa và giá trị (ví dụ ward:\\n  name: ...)",
			"%s:%d: the configuration must be a mapping of keys (e.g. ward:\\n  name: ...)", path, root.Content[0].Line)
	}
	l.walk(root.Content[0], "")
	l.v.SetConfigType("yaml")
	if err := l.v.ReadConfig(strings.NewReader(string(data))); err != nil {
		return fmt.Errorf("%s: %w", path, err)
	}
	return nil
}

var yamlLine = regexp.MustCompile(`^(?:yaml: )?line (\d+): (.*)$`)

// yamlError says where path is not YAML: the parser's own words in
// English, and in Vietnamese the line and what to check.
func yamlError(path string, err error) error {
	msg := strings.TrimPrefix(err.Error(), "yaml: ")
	if m := yamlLine.FindStringSubmatch(err.Error()); m != nil {
		return i18n.Errorf("%[1]s:%[2]s: không đúng cú pháp YAML (xem thụt lề, dấu hai chấm và dấu ngoặc kép ở dòng này hoặc dòng trên)",
			"%[1]s:%[2]s: %[3]s", path, m[1], m[2])
	}
	return i18n.Errorf("%[1]s: không đúng cú pháp YAML", "%[1]s: %[2]s", path, msg)
}

// walk records the line of every key in the file and reports unknown keys.
func (l *loader) walk(n *yaml.Node, prefix string) {
	for i := 0; i+1 < len(n.Content); i += 2 {
		k, val := n.Content[i], n.Content[i+1]
		name := strings.ToLower(k.Value)
		if prefix != "" {
			name = prefix + "." + name
		}
		l.lines[name] = k.Line
		switch {
		case isKnown(name):
			if name == "calendar.observances" && val.Kind == yaml.SequenceNode {
				for j, item := range val.Content {
					l.walkItem(item, fmt.Sprintf("%s[%d]", name, j), observanceFields)
				}
			}
			if name == "loudspeaker.abbreviations" && val.Kind == yaml.MappingNode {
				l.abbreviations = map[string]string{} // viper lower-cases keys; these are matched as written
				for j := 0; j+1 < len(val.Content); j += 2 {
					l.abbreviations[val.Content[j].Value] = val.Content[j+1].Value
				}
			}
			if name == "zalo.groups" && val.Kind == yaml.MappingNode {
				l.groupNames = map[string]string{} // a group is named as its members see it: "Tổ dân phố 1"
				for j := 0; j+1 < len(val.Content); j += 2 {
					l.groupNames[strings.ToLower(val.Content[j].Value)] = val.Content[j].Value
				}
			}
			if name == "loudspeaker.slots" && val.Kind == yaml.SequenceNode {
				for j, item := range val.Content {
					l.walkItem(item, fmt.Sprintf("%s[%d]", name, j), slotFields)
				}
			}
			if name == "telegram.staff" && val.Kind == yaml.SequenceNode {
				for j, item := range val.Content {
					l.walkItem(item, fmt.Sprintf("%s[%d]", name, j), staffFields)
				}
			}
			if (name == "content.hotlines" || name == "delivery.rates" || name == "delivery.assignees" || name == "telegram.chats" || name == "zalo.groups" || name == "loudspeaker.abbreviations") && val.Kind == yaml.MappingNode {
				for j := 0; j+1 < len(val.Content); j += 2 {
					l.lines[name+"."+strings.ToLower(val.Content[j].Value)] = val.Content[j].Line
				}
			}
		case val.Kind == yaml.MappingNode && hasKeyUnder(name):
			l.walk(val, name)
		default:
			l.unknown(name, name, fmt.Sprintf("%s:%d", l.file, k.Line), Keys())
		}
	}
}

// walkItem records the lines of one list entry and reports unknown fields.
func (l *loader) walkItem(n *yaml.Node, path string, fields []string) {
	l.lines[path] = n.Line
	if n.Kind != yaml.MappingNode {
		l.add(path, "phải là một bảng khóa gồm %s", "must be a mapping with %s", strings.Join(fields, ", "))
		return
	}
	for i := 0; i+1 < len(n.Content); i += 2 {
		field := strings.ToLower(n.Content[i].Value)
		l.lines[path+"."+field] = n.Content[i].Line
		if !slices.Contains(fields, field) {
			l.unknown(path+"."+field, field, fmt.Sprintf("%s:%d", l.file, n.Content[i].Line), fields)
		}
	}
}

func hasKeyUnder(prefix string) bool {
	for _, k := range keys {
		if strings.HasPrefix(k.name, prefix+".") {
			return true
		}
	}
	return false
}

func (l *loader) unknown(key, name, where string, candidates []string) {
	l.problems = append(l.problems, Problem{Where: where, Key: key, Msg: "unknown key" + suggest(name, candidates, i18n.English),
		MsgVI: "không có khóa này" + suggest(name, candidates, i18n.Vietnamese)})
}

// checkEnv reports LOA_ variables that name no key (LOA_TELEGRAM_TOKN).
func (l *loader) checkEnv() {
	known := map[string]bool{"LOA_CONFIG": true}
	for _, k := range keys {
		known[envName(k.name)] = true
	}
	var envs []string
	for _, kv := range os.Environ() {
		name, _, _ := strings.Cut(kv, "=")
		if strings.HasPrefix(name, "LOA_") && !known[name] {
			envs = append(envs, name)
		}
	}
	sort.Strings(envs)
	for _, name := range envs {
		var names []string
		for k := range known {
			names = append(names, k)
		}
		l.problems = append(l.problems, Problem{Where: "environment " + name, Key: name, Msg: "names no configuration key" + suggest(name, names, i18n.English),
			MsgVI: "không ứng với khóa cấu hình nào" + suggest(name, names, i18n.Vietnamese)})
	}
}

// suggest returns ` (did you mean "x"?)` for the nearest candidate, if close.
func suggest(name string, candidates []string, lang string) string {
	best, dist := "", 4
	for _, c := range candidates {
		if d := levenshtein(name, c); d < dist {
			best, dist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return i18n.Sprintf(lang, " (có phải %q?)", " (did you mean %q?)", best)
}

func levenshtein(a, b string) int {
	prev := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur := make([]int, len(b)+1)
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev = cur
	}
	return prev[len(b)]
}

// where names the source of key's value.
func (l *loader) where(key string) string {
	top, _, _ := strings.Cut(key, "[")
	if l.flags != nil {
		if f := l.flags.Lookup(flagName(top)); f != nil && f.Changed {
			return "flag --" + f.Name
		}
	}
	if _, ok := os.LookupEnv(envName(top)); ok {
		return "environment " + envName(top)
	}
	if line, ok := l.lines[key]; ok {
		return fmt.Sprintf("%s:%d", l.file, line)
	}
	if line, ok := l.lines[top]; ok {
		return fmt.Sprintf("%s:%d", l.file, line)
	}
	return "default"
}

// add records a problem with key, said in Vietnamese (vi) and English
// (en) over the same args; an error among them is said in each language.
func (l *loader) add(key, vi, en string, args ...any) {
	l.problems = append(l.problems, Problem{Where: l.where(key), Key: key,
		Msg: fmt.Sprintf(en, i18n.In(i18n.English, args)...), MsgVI: fmt.Sprintf(vi, i18n.In(i18n.Vietnamese, args)...)})
}

func (l *loader) build() *Config {
	c := &Config{File: l.file}
	c.Ward.Name = strings.TrimSpace(content.Normalize(l.v.GetString("ward.name")))
	if c.Ward.Name == "" {
		l.add("ward.name", "chưa có: tên phường như trong tin, ví dụ \"phường Lưu Kiếm\"", `is required: the ward's name as it appears in messages, e.g. "phường Lưu Kiếm"`)
	}
	c.Store.Path = l.v.GetString("store.path")
	if strings.TrimSpace(c.Store.Path) == "" {
		l.add("store.path", "phải ghi tệp cơ sở dữ liệu, ví dụ ./data/loa.db", `must name the database file, e.g. ./data/loa.db`)
	}
	c.HTTP.Addr = l.v.GetString("http.addr")
	if _, port, err := net.SplitHostPort(c.HTTP.Addr); err != nil || !validPort(port) {
		l.add("http.addr", "%q không có dạng máy:cổng (ví dụ 127.0.0.1:8080)", "%q is not host:port (e.g. 127.0.0.1:8080)", c.HTTP.Addr)
	}
	c.HTTP.PublicURL = strings.TrimSuffix(strings.TrimSpace(l.v.GetString("http.public_url")), "/")
	if u := c.HTTP.PublicURL; u != "" && !strings.HasPrefix(u, "https://") && !strings.HasPrefix(u, "http://") {
		l.add("http.public_url", "%q không phải địa chỉ người dùng mở được (ví dụ https://loa.phuongluukiem.gov.vn)", "%q is not an address people open (e.g. https://loa.phuongluukiem.gov.vn)", u)
	}
	c.HTTP.SessionIdle = l.duration("http.session_idle")
	c.HTTP.SessionMax = l.duration("http.session_max")
	level := l.v.GetString("log.level")
	if err := c.Log.Level.UnmarshalText([]byte(level)); err != nil {
		l.add("log.level", "%q không phải mức ghi log (debug, info, warn hoặc error)", "%q is not a level (debug, info, warn or error)", level)
	}
	c.Log.Format = l.v.GetString("log.format")
	if c.Log.Format != "text" && c.Log.Format != "json" {
		l.add("log.format", "%q không phải định dạng log (text hoặc json)", "%q is not a log format (text or json)", c.Log.Format)
	}
	c.Scheduler.Grace = l.duration("scheduler.grace")
	c.Scheduler.Horizon = l.duration("scheduler.horizon")
	c.Content.Pace = l.intIn("content.pace", 60, 400)
	c.Content.MaxReading = l.duration("content.max_reading")
	c.Content.Hotlines = l.hotlines()
	c.Content.SelfApproval = l.boolean("content.self_approval")
	c.Calendar = l.calendar()
	c.Telegram.Token = NewSecret(strings.TrimSpace(l.v.GetString("telegram.token")))
	if t := c.Telegram.Token.Reveal(); t != "" && !telegramTokenRE.MatchString(t) {
		// Never echo the value: it is a secret even when malformed.
		l.add("telegram.token", "không phải mã bot (chữ số, dấu hai chấm, rồi 35 chữ, số, - hoặc _, như @BotFather cấp)", "is not a bot token (digits, a colon, then 35 letters, digits, - or _, as @BotFather gives it)")
	}
	c.Telegram.APIEndpoint = strings.TrimSpace(l.v.GetString("telegram.api_endpoint"))
	if strings.Count(c.Telegram.APIEndpoint, "%s") != 2 || !strings.HasPrefix(c.Telegram.APIEndpoint, "http") {
		l.add("telegram.api_endpoint", "%q không phải mẫu địa chỉ Bot API có hai %%s, cho mã bot và phương thức (ví dụ https://api.telegram.org/bot%%s/%%s)", "%q is not a Bot API format string with two %%s, for the token and the method (e.g. https://api.telegram.org/bot%%s/%%s)", c.Telegram.APIEndpoint)
	}
	c.Telegram.PaidBroadcast = l.boolean("telegram.paid_broadcast")
	c.Telegram.Chats = map[string]string{}
	chats, ok := l.v.Get("telegram.chats").(map[string]any)
	if !ok {
		l.add("telegram.chats", "phải là bảng tên: nhóm/kênh, ví dụ kenh-phuong: \"@phuongluukiem\"", "must be a mapping of name: chat, e.g. kenh-phuong: \"@phuongluukiem\"")
	}
	for _, name := range sortedKeys(chats) {
		chat := strings.TrimSpace(fmt.Sprint(chats[name]))
		if _, err := strconv.ParseInt(chat, 10, 64); err != nil && !telegramUsernameRE.MatchString(chat) {
			l.add("telegram.chats."+name, "%q không phải mã nhóm (ví dụ -1001234567890) hay @tên của kênh", "%q is not a chat id (e.g. -1001234567890) or a channel @username", chat)
			continue
		}
		c.Telegram.Chats[name] = chat
	}
	c.Telegram.Mode = strings.TrimSpace(l.v.GetString("telegram.mode"))
	c.Telegram.WebhookURL = strings.TrimSpace(l.v.GetString("telegram.webhook_url"))
	c.Telegram.WebhookSecret = NewSecret(strings.TrimSpace(l.v.GetString("telegram.webhook_secret")))
	switch c.Telegram.Mode {
	case "polling":
	case "webhook":
		if c.Telegram.WebhookURL == "" && c.HTTP.PublicURL != "" { // the public address is the base of every webhook
			c.Telegram.WebhookURL = c.HTTP.PublicURL + "/telegram/webhook"
		}
		if u, err := url.Parse(c.Telegram.WebhookURL); err != nil || u.Scheme != "https" || u.Host == "" {
			l.add("telegram.webhook_url", "%q không phải địa chỉ https; Telegram chỉ gọi webhook qua https", "%q is not an https URL; Telegram only calls https webhooks", redactURL(c.Telegram.WebhookURL))
		}
		if s := c.Telegram.WebhookSecret.Reveal(); !webhookSecretRE.MatchString(s) {
			l.add("telegram.webhook_secret", "phải gồm 1 đến 256 ký tự A-Z, a-z, 0-9, _ và - (không hiện giá trị)", "must be 1 to 256 characters of A-Z, a-z, 0-9, _ and - (the value is not shown)")
		}
	default:
		l.add("telegram.mode", "%q không phải polling hay webhook", "%q is not polling or webhook", c.Telegram.Mode)
	}
	c.Telegram.Staff = l.staff()
	c.Zalo = Zalo{AppID: strings.TrimSpace(l.v.GetString("zalo.app_id")),
		AppSecret: NewSecret(strings.TrimSpace(l.v.GetString("zalo.app_secret"))),
		OASecret:  NewSecret(strings.TrimSpace(l.v.GetString("zalo.oa_secret")))}
	if c.Zalo.AppID != "" && strings.Trim(c.Zalo.AppID, "0123456789") != "" {
		l.add("zalo.app_id", "%q không phải mã ứng dụng Zalo (chữ số)", "%q is not a Zalo app id (digits)", c.Zalo.AppID)
	}
	if c.Zalo.AppID != "" && !c.Zalo.AppSecret.IsSet() {
		l.add("zalo.app_secret", "cần có khi đã đặt zalo.app_id (khóa bí mật của ứng dụng; nên đặt qua LOA_ZALO_APP_SECRET)", "is required with zalo.app_id (the app's secret key; prefer LOA_ZALO_APP_SECRET)")
	}
	c.Zalo.OverQuota = strings.TrimSpace(l.v.GetString("zalo.over_quota"))
	if c.Zalo.OverQuota != "wait" && c.Zalo.OverQuota != "skip" {
		l.add("zalo.over_quota", "%q không phải wait hay skip", "%q is not wait or skip", c.Zalo.OverQuota)
	}
	c.Zalo.Groups = map[string]string{}
	groups, ok := l.v.Get("zalo.groups").(map[string]any)
	if !ok {
		l.add("zalo.groups", "phải là bảng nhóm: người quản trị, ví dụ to-dan-pho-3: to-truong-3", "must be a mapping of group: admin, e.g. to-dan-pho-3: to-truong-3")
	}
	for _, name := range sortedKeys(groups) {
		admin := strings.TrimSpace(fmt.Sprint(groups[name]))
		if admin == "" || groups[name] == nil {
			l.add("zalo.groups."+name, "phải ghi người quản trị nhóm (người dán bài)", "must name the group's admin (who pastes the post)")
			continue
		}
		if written, ok := l.groupNames[name]; ok {
			name = written
		}
		c.Zalo.Groups[strings.TrimSpace(content.Normalize(name))] = admin
	}
	for _, b := range []struct {
		key string
		dst *string
	}{{"zalo.oauth_base", &c.Zalo.OAuthBase}, {"zalo.api_base", &c.Zalo.APIBase}, {"zalo.zns_base", &c.Zalo.ZNSBase}} {
		*b.dst = strings.TrimRight(strings.TrimSpace(l.v.GetString(b.key)), "/")
		if u, err := url.Parse(*b.dst); err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
			l.add(b.key, "%q không phải địa chỉ http(s)", "%q is not an http(s) URL", *b.dst)
		}
	}
	c.Loudspeaker = l.loudspeaker()
	c.Delivery = l.delivery()
	c.Webhook.URL = strings.TrimSpace(l.v.GetString("webhook.url"))
	if c.Webhook.URL != "" {
		if u, err := url.Parse(c.Webhook.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			l.add("webhook.url", "%q không phải địa chỉ http(s)", "%q is not an http(s) URL", c.Webhook.URL)
		}
	}
	c.Webhook.Channels = l.channels("webhook.channels", sendable)
	if len(c.Webhook.Channels) > 0 && c.Webhook.URL == "" {
		l.add("webhook.channels", "cần có webhook.url", "needs webhook.url")
	}
	c.Email = l.email()
	c.Report = Report{Parent: strings.TrimSpace(content.Normalize(l.v.GetString("report.parent"))), Place: strings.TrimSpace(content.Normalize(l.v.GetString("report.place")))}
	c.Privacy = Privacy{Controller: strings.TrimSpace(content.Normalize(l.v.GetString("privacy.controller"))),
		Address: strings.TrimSpace(content.Normalize(l.v.GetString("privacy.address"))), Contact: strings.TrimSpace(l.v.GetString("privacy.contact")),
		RetentionMonths: l.intIn("privacy.retention_months", 1, 240), UnansweredDays: l.intIn("privacy.unanswered_days", 1, 365),
		RequestDays: l.intIn("privacy.request_days", 1, 30)}
	if c.Privacy.Controller == "" {
		c.Privacy.Controller = "Ủy ban nhân dân " + c.Ward.Name
	}
	c.Notify = Notify{PerPerson: l.intIn("notify.per_person", 1, 1000), DigestHour: l.intIn("notify.digest_hour", 0, 23)}
	return c
}

func (l *loader) email() Email {
	e := Email{Host: strings.TrimSpace(l.v.GetString("email.host")), Port: l.intIn("email.port", 1, 65535),
		Username: strings.TrimSpace(l.v.GetString("email.username")), Password: NewSecret(l.v.GetString("email.password")),
		From: strings.TrimSpace(l.v.GetString("email.from")), CAFile: strings.TrimSpace(l.v.GetString("email.ca_file"))}
	if e.Host == "" {
		return e
	}
	if strings.ContainsAny(e.Host, ":/ ") {
		l.add("email.host", "%q không phải tên máy chủ (cổng ghi ở email.port)", "%q is not a host name (the port goes in email.port)", e.Host)
	}
	if a, err := mail.ParseAddress(e.From); err != nil || a.Address == "" {
		l.add("email.from", "%q không phải địa chỉ gửi thông báo được (ví dụ \"Loa phường Lưu Kiếm <loa@luukiem.gov.vn>\")", "%q is not an address notices can come from (e.g. \"Loa phường Lưu Kiếm <loa@luukiem.gov.vn>\")", e.From)
	}
	if e.CAFile != "" {
		if b, err := os.ReadFile(e.CAFile); err != nil {
			l.add("email.ca_file", "không đọc được %q: %v", "cannot read %q: %v", e.CAFile, i18n.FileError(err))
		} else if !x509.NewCertPool().AppendCertsFromPEM(b) {
			l.add("email.ca_file", "%q không chứa chứng chỉ PEM nào", "%q holds no PEM certificate", e.CAFile)
		}
	}
	if e.Password.IsSet() && e.Username == "" {
		l.add("email.username", "cần có khi đã đặt email.password", "is needed with email.password")
	}
	return e
}

// defaultRates keep Loa inside each API's published limits: Telegram's
// ~30 messages a second, Zalo's 4000 requests a minute, with headroom.
var defaultRates = map[content.Channel]float64{content.Telegram: 25, content.Zalo: 60}

func (l *loader) staff() []StaffMember {
	items, ok := l.v.Get("telegram.staff").([]any)
	if !ok {
		l.add("telegram.staff", "phải là danh sách {chat_id, name, role}", "must be a list of {chat_id, name, role}")
		return nil
	}
	var out []StaffMember
	seen := map[int64]bool{}
	for i, item := range items {
		path := fmt.Sprintf("telegram.staff[%d]", i)
		m, ok := item.(map[string]any)
		if !ok {
			continue // reported by walk
		}
		id, err := strconv.ParseInt(strings.TrimSpace(fmt.Sprint(m["chat_id"])), 10, 64)
		if err != nil || id == 0 {
			l.add(path+".chat_id", "%q không phải mã chat Telegram (một số; hỏi @userinfobot)", "%q is not a Telegram chat id (a number; ask @userinfobot)", fmt.Sprint(m["chat_id"]))
			continue
		}
		if seen[id] {
			l.add(path+".chat_id", "%d có hai lần trong danh sách", "%d is listed twice", id)
			continue
		}
		seen[id] = true
		role := strings.TrimSpace(fmt.Sprint(m["role"]))
		if !slices.Contains(Roles, role) {
			l.add(path+".role", "%q không phải vai trò (officer, leader, operator hoặc admin)", "%q is not a role (officer, leader, operator or admin)", role)
			continue
		}
		name := strings.TrimSpace(fmt.Sprint(m["name"]))
		if m["name"] == nil || name == "" {
			l.add(path+".name", "chưa có: tên được giao việc, ví dụ dai-truyen-thanh", "is required: the name deliveries are assigned to, e.g. dai-truyen-thanh")
			continue
		}
		out = append(out, StaffMember{ChatID: id, Name: name, Role: role})
	}
	return out
}

var weekdays = map[string]time.Weekday{"cn": time.Sunday, "sun": time.Sunday, "t2": time.Monday, "mon": time.Monday,
	"t3": time.Tuesday, "tue": time.Tuesday, "t4": time.Wednesday, "wed": time.Wednesday, "t5": time.Thursday, "thu": time.Thursday,
	"t6": time.Friday, "fri": time.Friday, "t7": time.Saturday, "sat": time.Saturday}

func (l *loader) loudspeaker() Loudspeaker {
	ls := Loudspeaker{Dir: strings.TrimSpace(l.v.GetString("loudspeaker.dir")), Abbreviations: map[string]string{},
		Style: strings.TrimSpace(l.v.GetString("loudspeaker.style")), Opening: strings.TrimSpace(content.Normalize(l.v.GetString("loudspeaker.opening"))),
		Closing: strings.TrimSpace(content.Normalize(l.v.GetString("loudspeaker.closing")))}
	if ls.Style != "propaganda" && ls.Style != "notice" {
		l.add("loudspeaker.style", "%q không phải kiểu lời mở (propaganda hoặc notice)", "%q is not a frame style (propaganda or notice)", ls.Style)
	}
	for _, f := range []struct{ key, tmpl string }{{"loudspeaker.opening", ls.Opening}, {"loudspeaker.closing", ls.Closing}} {
		if f.tmpl == "" {
			continue
		}
		t, err := template.New(f.key).Option("missingkey=error").Parse(f.tmpl)
		if err == nil {
			err = t.Execute(io.Discard, struct{ Title, Ward string }{"tiêu đề", "phường"})
		}
		if err != nil {
			l.add(f.key, "không phải mẫu dùng {{.Title}} và {{.Ward}}: %v", "is not a template over {{.Title}} and {{.Ward}}: %v", err)
		}
	}
	if (ls.Opening == "") != (ls.Closing == "") {
		l.add("loudspeaker.opening", "và loudspeaker.closing đi cùng nhau: đặt cả hai hoặc không đặt", "and loudspeaker.closing go together: set both or neither")
	}
	if ls.Dir == "" {
		l.add("loudspeaker.dir", "phải ghi một thư mục, ví dụ ./data/broadcasts", "must name a directory, e.g. ./data/broadcasts")
	}
	items, ok := l.v.Get("loudspeaker.slots").([]any)
	if !ok {
		l.add("loudspeaker.slots", "phải là danh sách {name, time, days, max}", "must be a list of {name, time, days, max}")
	}
	for i, item := range items {
		path := fmt.Sprintf("loudspeaker.slots[%d]", i)
		m, ok := item.(map[string]any)
		if !ok {
			continue
		}
		var s Slot
		if m["name"] != nil {
			s.Name = strings.TrimSpace(fmt.Sprint(m["name"]))
		}
		at, err := time.Parse("15:04", strings.TrimSpace(fmt.Sprint(m["time"])))
		switch {
		case m["time"] == nil:
			l.add(path+".time", "thiếu: mỗi buổi phát cần giờ phát (ví dụ time: \"05:30\")", "missing: every slot needs its time of day (e.g. time: \"05:30\")")
		case err != nil:
			l.add(path+".time", "%q không phải giờ trong ngày (ví dụ 05:30)", "%q is not a time of day (e.g. 05:30)", fmt.Sprint(m["time"]))
		}
		s.Hour, s.Min = at.Hour(), at.Minute()
		if m["max"] != nil {
			if s.Max, err = time.ParseDuration(strings.TrimSpace(fmt.Sprint(m["max"]))); err != nil || s.Max <= 0 {
				l.add(path+".max", "%q không phải độ dài thời gian (ví dụ 10m)", "%q is not a duration (e.g. 10m)", fmt.Sprint(m["max"]))
			}
		}
		if m["days"] != nil {
			for _, d := range strings.FieldsFunc(strings.ToLower(fmt.Sprint(m["days"])), func(r rune) bool { return r == ',' || r == ' ' || r == '[' || r == ']' }) {
				w, ok := weekdays[d]
				if !ok {
					l.add(path+".days", "%q không phải thứ trong tuần (mon…sun hoặc t2…t7, cn)", "%q is not a day (mon…sun or t2…t7, cn)", d)
					continue
				}
				s.Days = append(s.Days, w)
			}
		}
		ls.Slots = append(ls.Slots, s)
	}
	if _, ok := l.v.Get("loudspeaker.abbreviations").(map[string]any); !ok {
		l.add("loudspeaker.abbreviations", "phải là bảng chữ viết tắt: cách đọc, ví dụ HTX: hợp tác xã", "must be a mapping of abbreviation: what to say, e.g. HTX: hợp tác xã")
	}
	for k, v := range l.abbreviations {
		if strings.TrimSpace(k) == "" || strings.TrimSpace(v) == "" {
			l.add("loudspeaker.abbreviations."+k, "cần cả chữ viết tắt và cách đọc", "needs both the abbreviation and what to say")
			continue
		}
		ls.Abbreviations[strings.TrimSpace(k)] = strings.TrimSpace(content.Normalize(v))
	}
	return ls
}

// sendable are the channels a machine sends on; the others end with a person.
var sendable = []content.Channel{content.Telegram, content.Zalo}

func (l *loader) delivery() Delivery {
	d := Delivery{
		OutboxDir:   l.v.GetString("delivery.outbox_dir"),
		Workers:     l.intIn("delivery.workers", 1, 256),
		InFlight:    l.intIn("delivery.in_flight", 0, 100000),
		MaxAttempts: l.intIn("delivery.max_attempts", 1, 100),
		RetryBase:   l.duration("delivery.retry_base"),
		RetryMax:    l.duration("delivery.retry_max"),
		Drain:       l.duration("delivery.drain"),
		TaskOverdue: l.duration("delivery.task_overdue"),
		LinkTTL:     l.duration("delivery.link_ttl"),
		Rates:       map[content.Channel]float64{},
		Assignees:   map[content.Channel]string{},
	}
	if strings.TrimSpace(d.OutboxDir) == "" {
		l.add("delivery.outbox_dir", "phải ghi một thư mục, ví dụ ./data/outbox", "must name a directory, e.g. ./data/outbox")
	}
	rates, ok := l.v.Get("delivery.rates").(map[string]any)
	if !ok {
		l.add("delivery.rates", "phải là bảng kênh: số lượt gửi mỗi giây, ví dụ telegram: 25", "must be a mapping of channel: sends per second, e.g. telegram: 25")
	}
	for _, ch := range sortedKeys(rates) {
		v := rates[ch]
		key := "delivery.rates." + ch
		r, err := strconv.ParseFloat(strings.TrimSpace(fmt.Sprint(v)), 64)
		switch {
		case !slices.Contains(sendable, content.Channel(ch)):
			l.add(key, "%q không phải kênh Loa gửi (telegram, zalo)", "%q is not a channel Loa sends on (telegram, zalo)", ch)
		case err != nil || r <= 0:
			l.add(key, "%q không phải số lượt gửi mỗi giây (số dương)", "%q is not a positive number of sends per second", fmt.Sprint(v))
		default:
			d.Rates[content.Channel(ch)] = r
		}
	}
	for ch, def := range defaultRates { // a file naming one channel keeps the others' limits
		if _, set := d.Rates[ch]; !set {
			d.Rates[ch] = def
		}
	}
	assignees, ok := l.v.Get("delivery.assignees").(map[string]any)
	if !ok {
		l.add("delivery.assignees", "phải là bảng kênh: người hoặc vai trò, ví dụ loudspeaker: operator", "must be a mapping of channel: person or role, e.g. loudspeaker: operator")
	}
	for _, ch := range sortedKeys(assignees) {
		v := assignees[ch]
		key := "delivery.assignees." + ch
		who := strings.TrimSpace(fmt.Sprint(v))
		switch {
		case ch != string(content.Loudspeaker) && ch != string(content.Banner):
			l.add(key, "%q không phải kênh do người thực hiện (loudspeaker, banner)", "%q is not a channel a person completes (loudspeaker, banner)", ch)
		case who == "":
			l.add(key, "phải ghi một người hoặc vai trò", "must name a person or role")
		default:
			d.Assignees[content.Channel(ch)] = who
		}
	}
	return d
}

// channels reads a list of channel names, each one of allowed.
func (l *loader) channels(key string, allowed []content.Channel) []content.Channel {
	raw := l.v.Get(key)
	var items []string
	switch v := raw.(type) {
	case []any:
		for _, x := range v {
			items = append(items, fmt.Sprint(x))
		}
	case string: // from the environment: "telegram,zalo"
		items = strings.Split(v, ",")
	default:
		l.add(key, "phải là danh sách kênh", "must be a list of channels")
	}
	var out []content.Channel
	for _, it := range items {
		ch := content.Channel(strings.TrimSpace(it))
		if ch == "" {
			continue
		}
		if !slices.Contains(allowed, ch) {
			l.add(key, "%q không thuộc %v", "%q is not one of %v", ch, allowed)
			continue
		}
		out = append(out, ch)
	}
	return out
}

var webhookSecretRE = regexp.MustCompile(`^[A-Za-z0-9_-]{1,256}$`)

var telegramUsernameRE = regexp.MustCompile(`^@[A-Za-z][A-Za-z0-9_]{3,31}$`)

var telegramTokenRE = regexp.MustCompile(`^[0-9]{3,}:[A-Za-z0-9_-]{30,}$`)

func validPort(p string) bool {
	n, err := strconv.Atoi(p)
	return err == nil && n >= 0 && n <= 65535
}

func (l *loader) boolean(key string) bool {
	switch v := l.v.Get(key).(type) {
	case bool:
		return v
	default:
		b, err := strconv.ParseBool(strings.TrimSpace(fmt.Sprint(v)))
		if err != nil {
			l.add(key, "%q không phải true hay false", "%q is not true or false", fmt.Sprint(v))
		}
		return b
	}
}

func (l *loader) duration(key string) time.Duration {
	raw := fmt.Sprint(l.v.Get(key))
	d, err := time.ParseDuration(strings.TrimSpace(raw))
	if err != nil {
		l.add(key, "%q không phải độ dài thời gian (ví dụ 6h, 90m)", "%q is not a duration (e.g. 6h, 90m)", raw)
		return 0
	}
	if d <= 0 {
		l.add(key, "%q phải lớn hơn 0", "%q must be positive", raw)
	}
	return d
}

func (l *loader) intIn(key string, lo, hi int) int {
	raw := fmt.Sprint(l.v.Get(key))
	n, err := strconv.Atoi(strings.TrimSpace(raw))
	if err != nil || n < lo || n > hi {
		l.add(key, "%q không phải số nguyên từ %d đến %d", "%q is not a whole number from %d to %d", raw, lo, hi)
	}
	return n
}

var hotlineNameRE = regexp.MustCompile(`^[a-z][a-z0-9_]*$`)

func (l *loader) hotlines() map[string]string {
	raw := l.v.Get("content.hotlines")
	m, ok := raw.(map[string]any)
	if !ok {
		l.add("content.hotlines", "phải là bảng tên: số, ví dụ bao_ve_tre_em: \"111\"", "must be a mapping of name: number, e.g. bao_ve_tre_em: \"111\"")
		return map[string]string{}
	}
	out := make(map[string]string, len(m))
	for _, name := range sortedKeys(m) {
		v := m[name]
		key := "content.hotlines." + name
		number := strings.TrimSpace(fmt.Sprint(v))
		switch {
		case !hotlineNameRE.MatchString(name):
			l.add(key, "%q không dùng làm tên được: dùng chữ thường, chữ số và _ (viết là {{.Hotlines.%s}})", "%q is not a usable name: use lower-case letters, digits and _ (it is written {{.Hotlines.%s}})", name, name)
		case number == "" || strings.IndexFunc(number, func(r rune) bool { return r >= '0' && r <= '9' }) < 0:
			l.add(key, "%q không phải số điện thoại", "%q is not a phone number", number)
		}
		out[name] = number
	}
	return out
}

// calendar merges calendar.observances into the built-in observances: an
// entry with a built-in key changes that observance (rename, disable, move its
// window); an entry with a new key adds one and needs name and date.
func (l *loader) calendar() []content.Observance {
	cal := content.Builtin()
	items, ok := l.v.Get("calendar.observances").([]any)
	if !ok {
		l.add("calendar.observances", "phải là danh sách ngày kỷ niệm (- key: …)", "must be a list of observances (- key: …)")
		return cal
	}
	seen := map[string]string{}
	for i, item := range items {
		path := fmt.Sprintf("calendar.observances[%d]", i)
		m, ok := item.(map[string]any)
		if !ok {
			continue // reported by walk
		}
		keyVal := strings.TrimSpace(fmt.Sprint(m["key"]))
		if m["key"] == nil || !observanceKeyRE.MatchString(keyVal) {
			l.add(path+".key", "%q không phải khóa ngày kỷ niệm (chữ thường, chữ số và gạch nối, ví dụ family-day)", "%q is not an observance key (lower-case letters, digits and dashes, e.g. family-day)", fmt.Sprint(m["key"]))
			continue
		}
		if prev, dup := seen[keyVal]; dup {
			l.add(path+".key", "%q đã được đặt ở %s", "%q is already configured at %s", keyVal, prev)
			continue
		}
		seen[keyVal] = path
		idx := slices.IndexFunc(cal, func(o content.Observance) bool { return o.Key == keyVal })
		if idx < 0 {
			cal = append(cal, content.Observance{Key: keyVal, Enabled: true})
			idx = len(cal) - 1
			for _, need := range []string{"name", "date"} {
				if m[need] == nil {
					l.add(path, "ngày kỷ niệm mới %q cần %s", "the new observance %q needs %s", keyVal, need)
				}
			}
		}
		l.applyObservance(&cal[idx], m, path)
	}
	sort.SliceStable(cal, func(i, j int) bool {
		a, b := cal[i].Starts, cal[j].Starts
		return a.Month < b.Month || a.Month == b.Month && a.Day < b.Day
	})
	return cal
}

var observanceKeyRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

func (l *loader) applyObservance(o *content.Observance, m map[string]any, path string) {
	str := func(f string) (string, bool) {
		v, ok := m[f]
		return strings.TrimSpace(content.Normalize(fmt.Sprint(v))), ok && v != nil
	}
	if s, ok := str("name"); ok {
		o.Name = s
	}
	if s, ok := str("name_en"); ok {
		o.NameEN = s
	}
	if s, ok := str("date"); ok {
		md, err := content.ParseMonthDay(s)
		if err != nil {
			l.add(path+".date", "%s", "%s", err)
		}
		o.Starts, o.Ends = md, md
	}
	if s, ok := str("ends"); ok {
		md, err := content.ParseMonthDay(s)
		if err != nil {
			l.add(path+".ends", "%s", "%s", err)
		}
		o.Ends = md
	}
	for _, f := range []string{"lead_days", "tail_days"} {
		if s, ok := str(f); ok {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 || n > 90 {
				l.add(path+"."+f, "%q không phải số ngày từ 0 đến 90", "%q is not a number of days from 0 to 90", s)
			}
			if f == "lead_days" {
				o.LeadDays = n
			} else {
				o.TailDays = n
			}
		}
	}
	if s, ok := str("topic"); ok {
		o.Topic = content.Topic(s)
		if !content.ValidTopic(o.Topic) {
			l.add(path+".topic", "%q không phải chủ đề (family, gender-equality hoặc violence-prevention)", "%q is not a topic (family, gender-equality or violence-prevention)", s)
		}
	}
	if v, ok := m["enabled"]; ok {
		b, isBool := v.(bool)
		if !isBool {
			l.add(path+".enabled", "%q không phải true hay false", "%q is not true or false", fmt.Sprint(v))
		}
		o.Enabled = b
	}
}

// Logger returns the slog logger the configuration asks for, writing to w.
// Under systemd (stderr is the journal) text lines leave out the time: the
// journal stamps each line itself.
func (c *Config) Logger(w interface{ Write([]byte) (int, error) }) *slog.Logger {
	journal := os.Getenv("JOURNAL_STREAM") != "" && c.Log.Format == "text"
	opts := &slog.HandlerOptions{Level: c.Log.Level, ReplaceAttr: func(groups []string, a slog.Attr) slog.Attr {
		if journal && a.Key == slog.TimeKey && len(groups) == 0 {
			return slog.Attr{}
		}
		if a.Key == slog.TimeKey && a.Value.Kind() == slog.KindTime {
			a.Value = slog.TimeValue(a.Value.Time().In(content.Zone)) // the ward's time, whatever the server's zone
		}
		return a
	}}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

func sortedKeys(m map[string]any) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
