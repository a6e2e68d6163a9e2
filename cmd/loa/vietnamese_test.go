package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// englishWords are words a Vietnamese reader should never meet in Loa's
// Vietnamese output: cobra's and Go's own texts, raw errors.
var englishWords = regexp.MustCompile(`(?i)(?:^|[^-\w])(unknown|flag|flags|command|invalid|required|not found|strconv|parsing|syntax|map\[|error|failed|cannot|must|usage|argument|no such|expected|missing)\b`)

// TestVietnameseErrorsHaveNoEnglish runs commands that fail the ways
// people make them fail, in Vietnamese, and finds no English word in what
// they print.
func TestVietnameseErrorsHaveNoEnglish(t *testing.T) {
	e := newEnv(t, "")
	e.ok("demo", "seed")
	for _, args := range [][]string{
		{"nonsense"},
		{"help", "nonsense"},
		{"calendar", "--bogus"},
		{"calendar", "-z"},
		{"calendar", "--year", "abc"},
		{"tasks", "done"},
		{"tasks", "done", "abc"},
		{"tasks", "done", "99999"},
		{"tasks", "show", "99999"},
		{"tasks", "link", "99999"},
		{"content", "show", "khong-co"},
		{"content", "list", "--state", "xyz"},
		{"content", "reject", "1"},
		{"content", "approve", "99999"},
		{"schedule", "add", "--campaign", "action-month/2026"},
		{"schedule", "add", "--campaign", "x", "--message", "phat-dong", "--at", "mai"},
		{"schedule", "remove", "99999"},
		{"deliveries", "99999"},
		{"deliveries", "resend", "1"},
		{"banners", "mark", "1", "bay"},
		{"banners", "mark", "99999", "hung"},
		{"activities", "add", "--kind", "xyz", "--campaign", "action-month/2026", "--date", "20/11/2026"},
		{"activities", "add", "--kind", "hoi-nghi", "--campaign", "action-month/2026", "--date", "hôm qua"},
		{"activities", "import", "/khong/co/tep.csv"},
		{"activities", "attach", "99999", "/khong/co/tep.png"},
		{"report", "--format", "odt"},
		{"report", "--campaign", "khong-co/2026"},
		{"user", "add", "X Y", "--role", "officer", "--full-name", "A"},
		{"user", "contact", "khong-co", "--email", "a@b.vn"},
		{"user", "passwd", "khong-co", "--password-stdin"},
		{"say"},
		{"--as", "khong-co", "calendar"},
		{"db", "backup"},
		{"subscribers", "import", "/khong/co.csv"},
		{"subscribers", "list", "--channel", "fax"},
		{"schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-12-20 07:00", "--channels", "zalo", "--audience", "ai-do"},
		{"schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--cron", "0 99 * * *", "--channels", "zalo"},
		{"schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--cron", "*/5 * * * *", "--channels", "zalo"},
		{"schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-12-20 07:00", "--channels", "fax"},
		{"schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-12-20 07:00", "--channels", "zalo", "--quiet", "25:00-06:00"},
		{"broadcasts", "rota", "--campaign", "khong-co/2026", "--operator", "x"},
		{"broadcasts", "--date", "32/13/2026"},
		{"content", "import", "/khong/co"},
		{"say", "-f", "/khong/co.txt"},
		{"report", "--year", "abc"},
		{"user", "add"},
		{"tasks", "done", "1", "--reach", "-5"},
		{"banners", "import", "/khong/co.csv", "--campaign", "action-month/2026"},
		{"zalo", "khong-co"},
		{"plan", "--days", "abc"},
		{"residents", "delete", "999999"},
		{"residents", "requests", "add", "--kind", "sell"},
		{"residents", "requests", "done", "999"},
		{"residents", "form", "--count", "0"},
	} {
		out, errs, code := e.loa(args...)
		if code == exitOK {
			t.Errorf("loa %v succeeded", args)
			continue
		}
		if w := englishWords.FindString(out + errs); w != "" {
			t.Errorf("loa %s says %q in Vietnamese mode:\n%s%s", strings.Join(args, " "), w, out, errs)
		}
	}
}

// TestVietnameseConfigErrors: a configuration with a problem of each kind
// is explained in Vietnamese, each problem with its line, and in English
// with --lang en.
func TestVietnameseConfigErrors(t *testing.T) {
	e := newEnv(t, "")
	bad := filepath.Join(e.dir, "bad.yaml")
	body := "ward:\n  nam: x\nstore:\n  path: \"\"\nhttp:\n  addr: localhost\nlog:\n  level: loud\n" +
		"loudspeaker:\n  style: poem\n  slots:\n    - name: sang\n      time: \"25:00\"\n      days: [mon, xyz]\n      max: lâu\n" +
		"delivery:\n  rates:\n    fax: 3\n  link_ttl: mãi\n" +
		"calendar:\n  observances:\n    - key: family-day\n      date: 31/2\n" +
		"email:\n  host: mail.example.vn:25\n  from: ai đó\n  ca_file: /khong/co/ca.pem\n"
	if err := os.WriteFile(bad, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, code := e.loa("--config", bad, "calendar")
	if code == exitOK {
		t.Fatal("a bad configuration was accepted")
	}
	// The values a key takes are written as they are typed.
	if w := englishWords.FindString(strings.ReplaceAll(errs, "(debug, info, warn hoặc error)", "")); w != "" {
		t.Errorf("configuration errors say %q in Vietnamese mode:\n%s", w, errs)
	}
	for _, want := range []string{"bad.yaml:2: ward.nam: không có khóa này (có phải \"ward.name\"?)", "bad.yaml:6: http.addr:",
		"bad.yaml:10: loudspeaker.style:", "bad.yaml:13: loudspeaker.slots[0].time:", "delivery.rates.fax:", "email.ca_file: không đọc được"} {
		if !strings.Contains(errs, want) {
			t.Errorf("no %q in:\n%s", want, errs)
		}
	}
	_, errs, _ = e.loa("--config", bad, "--lang", "en", "calendar")
	if !strings.Contains(errs, "unknown key (did you mean \"ward.name\"?)") || strings.Contains(errs, "không có khóa") {
		t.Errorf("--lang en does not say the problems in English:\n%s", errs)
	}
	broken := filepath.Join(e.dir, "broken.yaml")
	if err := os.WriteFile(broken, []byte("ward:\n  name: \"phường\n  x: [\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	_, errs, _ = e.loa("--config", broken, "calendar")
	if w := englishWords.FindString(errs); w != "" || !strings.Contains(errs, "YAML") {
		t.Errorf("a file that is not YAML is explained as %q:\n%s", w, errs)
	}
}

// TestVietnameseValuesAreAcceptedBack: what the CLI shows in Vietnamese
// can be typed back, with or without tone marks.
func TestVietnameseValuesAreAcceptedBack(t *testing.T) {
	e := newEnv(t, "")
	e.ok("demo", "seed")
	for _, state := range []string{"chờ duyệt", "cho duyet", "submitted"} {
		mustContain(t, "--state "+state, e.ok("content", "list", "--state", state), "tong-ket-thang-hanh-dong", "2 tin.")
	}
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-12-10 07:00", "--channels", "loa, Zalo", "--audience", "to:operator")
	if !regexp.MustCompile(`một lần, 07:00 ngày 10/12/2026\s+loa, Zalo`).MatchString(e.ok("schedule", "list")) {
		t.Error("channels typed as the CLI names them were not read back")
	}
	mustContain(t, "subscribers", e.ok("subscribers", "list", "--channel", "Telegram"), "24 người.")
}
