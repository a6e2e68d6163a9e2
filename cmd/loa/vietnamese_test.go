package main

import (
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
