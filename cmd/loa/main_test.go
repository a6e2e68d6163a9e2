package main

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
)

// fixedNow is 09:00 on 28/11/2026 in Hải Phòng: inside the action month.
var fixedNow = time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)

type env struct {
	t   *testing.T
	dir string
	cfg string
	db  string // the database file

	lastServeLog string // what the last serveUntil wrote
}

func newEnv(t *testing.T, extra string) *env {
	t.Helper()
	dir := t.TempDir()
	// Nothing a test sends may land in the source tree (the default outbox is ./data/outbox).
	t.Setenv("LOA_DELIVERY_OUTBOX_DIR", filepath.Join(dir, "outbox"))
	cfg := filepath.Join(dir, "loa.yaml")
	body := "ward:\n  name: phường Lưu Kiếm\nstore:\n  path: " + filepath.Join(dir, "loa.db") + "\n" +
		"content:\n  hotlines:\n    bao_ve_tre_em: \"111\"\n    cong_an: \"113\"\n    hoi_phu_nu: \"0225 3 841 234\"\n" + extra
	if err := os.WriteFile(cfg, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	e := &env{t: t, dir: dir, cfg: cfg, db: filepath.Join(dir, "loa.db")}
	e.addAccounts()
	return e
}

// testAccounts are the people the tests act as with --as.
var testAccounts = []staff.User{
	{Name: "tester", FullName: "Người kiểm thử", Role: staff.Admin},
	{Name: "can-bo", FullName: "Nguyễn Thị Lan", Role: staff.Officer},
	{Name: "lanh-dao", FullName: "Trần Văn Hùng", Title: "Phó Chủ tịch UBND phường", Role: staff.Leader},
	{Name: "anh-tuan", FullName: "Phạm Anh Tuấn", Role: staff.Operator},
	{Name: "dai-truyen-thanh", FullName: "Đài truyền thanh", Role: staff.Operator},
	{Name: "doan-thanh-nien", FullName: "Đoàn Thanh niên phường", Role: staff.BlockLeader},
	{Name: "to-truong-1", FullName: "Lê Thị Hoa", Role: staff.BlockLeader},
	{Name: "to-truong-2", FullName: "Vũ Văn Nam", Role: staff.BlockLeader},
}

// addAccounts creates testAccounts (without passwords) in the test's database.
func (e *env) addAccounts() {
	ctx := context.Background()
	db, err := store.Open(ctx, e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, fixedNow); err != nil {
		e.t.Fatal(err)
	}
	for _, u := range testAccounts {
		if _, err := db.AddUser(ctx, u, "", "test", fixedNow); err != nil {
			e.t.Fatal(err)
		}
	}
}

// loa runs the command line with the test's config and clock.
func (e *env) loa(args ...string) (stdout, stderr string, code int) {
	e.t.Helper()
	var out, errb bytes.Buffer
	full := append([]string{"--config", e.cfg, "--as", "tester"}, args...)
	code = run(context.Background(), full, strings.NewReader(""), &out, &errb, func() time.Time { return fixedNow })
	return out.String(), errb.String(), code
}

func (e *env) ok(args ...string) string {
	e.t.Helper()
	out, errs, code := e.loa(args...)
	if code != 0 {
		e.t.Fatalf("loa %s: exit %d\n%s%s", strings.Join(args, " "), code, out, errs)
	}
	return out
}

func mustContain(t *testing.T, what, got string, wants ...string) {
	t.Helper()
	for _, w := range wants {
		if !strings.Contains(got, w) {
			t.Errorf("%s lacks %q:\n%s", what, w, got)
		}
	}
}

func TestVersionNeedsNoConfig(t *testing.T) {
	var out bytes.Buffer
	code := run(context.Background(), []string{"version"}, nil, &out, &out, time.Now)
	if code != exitOK || !strings.HasPrefix(out.String(), "loa dev (go") {
		t.Errorf("version: %d %q", code, out.String())
	}
}

func TestUsageErrorsExitTwo(t *testing.T) {
	e := newEnv(t, "")
	for _, args := range [][]string{
		{"nonsense"},
		{"calendar", "--bogus"},
		{"content", "bogus"},
		{"content", "show"},
		{"db", "backup"},
		{"--lang", "fr", "calendar"},
		{"content", "reject", "1"},
		{"campaign", "create"},
	} {
		_, errs, code := e.loa(args...)
		if code != exitUsage || !strings.Contains(errs, "loa help") {
			t.Errorf("loa %v: exit %d, stderr %q; want 2 with a hint", args, code, errs)
		}
	}
}

func TestConfigCheck(t *testing.T) {
	const token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"
	e := newEnv(t, "telegram:\n  token: "+token+"\n")
	out := e.ok("config", "check")
	mustContain(t, "config check", out, e.cfg, "ward.name", "phường Lưu Kiếm", "[redacted]", "Cấu hình hợp lệ.")
	if strings.Contains(out, "AAHdq") {
		t.Errorf("config check prints the token:\n%s", out)
	}
	bad := newEnv(t, "scheduler:\n  grace: 6 giờ\ntelegram:\n  tokn: x\n")
	out, errs, code := bad.loa("--lang", "en", "config", "check")
	if code != exitFailure {
		t.Errorf("invalid config: exit %d", code)
	}
	mustContain(t, "invalid config check", out+errs, `scheduler.grace: "6 giờ" is not a duration`, `telegram.tokn: unknown key (did you mean "telegram.token"?)`)
	// Any command that needs the configuration refuses to run on a bad one.
	if _, errs, code := bad.loa("calendar"); code != exitFailure || !strings.Contains(errs, "scheduler.grace") {
		t.Errorf("calendar on a bad config: %d %s", code, errs)
	}
}

func TestDemoCalendarAndNextYear(t *testing.T) {
	e := newEnv(t, "calendar:\n  observances:\n    - key: dv-month\n      enabled: true\n")
	mustContain(t, "demo seed", e.ok("demo", "seed"), "6 chiến dịch mới, 22 tin mới")
	cal := e.ok("calendar")
	mustContain(t, "calendar", cal,
		"Lịch truyền thông năm 2026 — phường Lưu Kiếm",
		"15/11 – 15/12  Tháng hành động vì bình đẳng giới",
		"Chiến dịch: 15/11/2026 – 15/12/2026 (31 ngày) · đang diễn ra, còn 17 ngày",
		"Tin: 2 chờ duyệt, 6 đã duyệt",
		"Tin: 2 đã duyệt, 1 bị từ chối",
	)
	en := e.ok("--lang", "en", "calendar", "--year", "2026")
	mustContain(t, "English calendar", en, "Campaign calendar 2026", "Vietnamese Family Day", "Messages: 3 approved")

	copyOut := e.ok("campaign", "create", "--year", "2027", "--from", "2026")
	mustContain(t, "campaign create", copyOut, "action-month/2026 → action-month/2027: 8 tin", "family-day/2026 → family-day/2027: 3 tin")
	cal27 := e.ok("calendar", "--year", "2027")
	mustContain(t, "2027 calendar", cal27, "Chiến dịch: 15/11/2027 – 15/12/2027", "Tin: 8 nháp", "còn 352 ngày nữa")
	list := e.ok("content", "list", "--year", "2027")
	mustContain(t, "2027 list", list, "22 tin.")
	if strings.Contains(list, "đã duyệt") {
		t.Error("copied messages must need approval again")
	}
	// The same key now exists in two years: a bare key is ambiguous.
	_, errs, code := e.loa("content", "show", "phat-dong")
	if code != exitFailure || !strings.Contains(errs, "action-month/2027/phat-dong") {
		t.Errorf("ambiguous key: %d %s", code, errs)
	}
	show := e.ok("content", "show", "action-month/2027/phat-dong")
	mustContain(t, "show 2027", show, "Từ 15/11 đến 15/12/2027", "Xem trước như gửi ngày 15/11/2027", "telegram (", "/4096 ký tự)", "âm tiết, đọc khoảng")
}

func TestContentWorkflow(t *testing.T) {
	e := newEnv(t, "")
	dir := filepath.Join(e.dir, "content")
	os.MkdirAll(dir, 0o755)
	os.WriteFile(filepath.Join(dir, "tin.md"), []byte(`---
key: duong-day-nong
campaign: evaw-day/2026
title: Đường dây nóng
---
## zalo
Gọi {{.Hotlines.bao_ve_tre_em}} khi trẻ em cần giúp đỡ.
## loudspeaker
Kính thưa bà con!
`), 0o644)
	mustContain(t, "import", e.ok("content", "import", dir), "Đã nhập 1 tệp: 1 tin mới")
	_, _, code := e.loa("content", "approve", "duong-day-nong")
	if code != exitFailure {
		t.Errorf("approving a draft: exit %d", code)
	}
	e.ok("content", "submit", "duong-day-nong")
	mustContain(t, "approve", e.ok("--as", "lanh-dao", "content", "approve", "1"), "đã duyệt, phiên bản 1")
	show := e.ok("content", "show", "1")
	mustContain(t, "show", show, "Gọi 111 khi trẻ em cần giúp đỡ.", "bản đã duyệt: 1", "telegram: (trống")
	hist := e.ok("--lang", "en", "content", "history", "duong-day-nong")
	if !regexp.MustCompile(`(?m)^\S+ \S+\s+tester\s+submit`).MatchString(hist) || !regexp.MustCompile(`(?m)lanh-dao\s+approve\s+v1: submitted → approved`).MatchString(hist) {
		t.Errorf("history:\n%s", hist)
	}
	// An edit of the approved message through a file makes version 2, a draft.
	os.WriteFile(filepath.Join(dir, "tin.md"), []byte("---\nkey: duong-day-nong\ncampaign: evaw-day/2026\ntitle: Đường dây nóng\n---\n## zalo\nSửa lại.\n"), 0o644)
	mustContain(t, "re-import", e.ok("content", "import", dir), "1 tin có phiên bản mới")
	if list := e.ok("content", "list"); !regexp.MustCompile(`duong-day-nong\s+nháp\s+2`).MatchString(list) {
		t.Errorf("list after re-import:\n%s", list)
	}
	// Lists sort titles the Vietnamese way: Đ comes after D, long before Z.
	os.WriteFile(filepath.Join(dir, "zalo.md"), []byte("---\nkey: zalo-phuong\ncampaign: evaw-day/2026\ntitle: Zalo của phường\n---\n## zalo\nx\n"), 0o644)
	e.ok("content", "import", dir)
	if list := e.ok("content", "list"); strings.Index(list, "Đường dây nóng") > strings.Index(list, "Zalo của phường") {
		t.Errorf("titles not in Vietnamese order:\n%s", list)
	}

	out := filepath.Join(e.dir, "export")
	mustContain(t, "export", e.ok("content", "export", out), "Đã xuất 2 tin")
	data, err := os.ReadFile(filepath.Join(out, "evaw-day-2026", "duong-day-nong.md"))
	if err != nil || !strings.Contains(string(data), "Sửa lại.") || !strings.Contains(string(data), "# state: draft, version 2") {
		t.Errorf("exported file: %s %v", data, err)
	}

	// A broken file: every error with file:line, exit 1, nothing imported.
	os.WriteFile(filepath.Join(dir, "hong.md"), []byte("---\nkey: Hong\ncampaign: evaw-day/2026\ntitle: x\n---\n## zalo\n{{.Nope}}\n"), 0o644)
	_, errs, code := e.loa("--lang", "en", "content", "import", dir)
	if code != exitFailure {
		t.Errorf("bad import: exit %d", code)
	}
	mustContain(t, "bad import", errs, "hong.md:2: message key \"Hong\" is not valid", "hong.md:7: zalo: template: there is no {{.Nope}}", "2 errors in 3 files; nothing was imported")
}

func TestDatabaseCommands(t *testing.T) {
	e := newEnv(t, "")
	ms, _ := store.Migrations()
	mustContain(t, "migrate", e.ok("db", "migrate"), fmt.Sprintf("ở phiên bản %d.", len(ms)))
	e.ok("demo", "seed")
	backup := filepath.Join(e.dir, "sao-luu.db")
	mustContain(t, "backup", e.ok("db", "backup", backup), "Đã sao lưu", "đã kiểm tra toàn vẹn")
	// The backup is a working database: point a config at it.
	restored := newEnv(t, "")
	os.WriteFile(restored.cfg, []byte("ward:\n  name: x\nstore:\n  path: "+backup+"\n"), 0o600)
	mustContain(t, "restored list", restored.ok("content", "list"), "20 tin.") // the June month is off here
	mustContain(t, "check", e.ok("db", "check"), "toàn vẹn, không có lỗi")
	if _, errs, code := e.loa("db", "backup", backup); code != exitFailure || !strings.Contains(errs, "đã có; hãy chọn tên khác") {
		t.Errorf("backup over a file: %d %s", code, errs)
	}
}
