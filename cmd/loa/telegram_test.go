package main

import (
	"bytes"
	"context"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

const testToken = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"

func TestTelegramCheckAndServe(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: testToken})
	for _, id := range demo.TelegramIDs() {
		srv.AddUser(id, "Cư dân", "vi")
		srv.Say(id, "/start")
	}
	srv.Block(demo.TelegramIDs()[0])
	srv.AddChannel(-1002003, "@phuongluukiem", "Phường Lưu Kiếm")
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\ntelegram:\n  token: "+testToken+"\n  api_endpoint: "+hs.URL+"/bot%s/%s\n  chats:\n    kenh-phuong: \"@phuongluukiem\"\n")
	mustContain(t, "check", e.ok("telegram", "check"), "Bot @loa_test_bot trả lời")

	e.ok("demo", "seed")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00", "--channels", "telegram")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "an-toan-tren-mang", "--at", "2026-11-28 09:00",
		"--channels", "telegram", "--audience", "chats:kenh-phuong")
	code := e.serveUntil(func(db *store.DB) bool {
		c, _ := db.DeliveryCounts(context.Background(), 0)
		tg := c[content.Telegram]
		// The 18 demo residents who chose the message's topic (one blocked the
		// bot) and the ward's channel.
		return tg[scheduler.Sent] == 18 && tg[scheduler.Blocked] == 1
	})
	if code != exitOK {
		t.Errorf("serve: %d", code)
	}
	var toChannel int
	for _, s := range srv.Sent() {
		if s.ChatID == -1002003 {
			toChannel++
			if !strings.Contains(s.Text, "An toàn cho phụ nữ và trẻ em gái trên không gian mạng") {
				t.Errorf("channel post: %q", s.Text)
			}
		}
	}
	if toChannel != 1 {
		t.Errorf("%d posts to the ward's channel", toChannel)
	}
	// The blocked resident is marked and left out from now on.
	plan := e.ok("deliveries")
	if !regexp.MustCompile(`Telegram\s+đã gửi\s+18\n`).MatchString(plan) || !regexp.MustCompile(`người nhận đã chặn\s+1\n`).MatchString(plan) {
		t.Errorf("ledger:\n%s", plan)
	}
	mustContain(t, "ledger", plan, "Forbidden: bot was blocked by the user")
	if strings.Contains(plan, "AAHdq") {
		t.Error("the token is in the ledger")
	}
	// A wrong token: a clear error, no token. (The database is checked in
	// TestTokenNeverInTheDatabase.)
	bad := newEnv(t, "telegram:\n  token: 999:wrongwrongwrongwrongwrongwrongwrongwrong\n  api_endpoint: "+hs.URL+"/bot%s/%s\n")
	_, errs, code := bad.loa("telegram", "check")
	if code != exitFailure || !strings.Contains(errs, "Unauthorized") || strings.Contains(errs, "wrongwrong") {
		t.Errorf("bad token: %d %s", code, errs)
	}
}

// TestTokenNeverInTheDatabase sends through a real socket while the
// emulator drops connections and answers HTML 502s, then reads every byte
// of the database files and of the logs: the token is in none of them.
func TestTokenNeverInTheDatabase(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: testToken})
	for _, id := range demo.TelegramIDs() {
		srv.AddUser(id, "Cư dân", "vi")
		srv.Say(id, "/start")
	}
	srv.Inject(telegramtest.Fault{Kind: telegramtest.FaultDrop, Count: 6})
	srv.Inject(telegramtest.Fault{Kind: telegramtest.Fault502HTML, Count: 4})
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\nlog:\n  level: debug\ntelegram:\n  token: "+testToken+"\n  api_endpoint: "+hs.URL+"/bot%s/%s\n"+
		"delivery:\n  retry_base: 1s\n  max_attempts: 10\n")
	e.ok("demo", "seed")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00", "--channels", "telegram")
	code := e.serveUntil(func(db *store.DB) bool {
		// 18 residents chose the topic. A dropped connection had sent its
		// request, so those deliveries are unknown (never resent by
		// themselves); the bot's replies to /start meet some of the drops.
		c, _ := db.DeliveryCounts(context.Background(), 0)
		tg := c[content.Telegram]
		return tg[scheduler.Sent]+tg[scheduler.Unknown] == 18 && tg[scheduler.Unknown] > 0
	})
	if code != exitOK {
		t.Fatalf("serve: %d", code)
	}
	if srv.Requests() < 24+10 {
		t.Errorf("only %d requests: the faults did not happen", srv.Requests())
	}
	files, _ := filepath.Glob(filepath.Join(e.dir, "loa.db*"))
	if len(files) == 0 {
		t.Fatal("no database files")
	}
	for _, f := range files {
		data, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if bytes.Contains(data, []byte(testToken)) || bytes.Contains(data, []byte("AAHdqTcv")) {
			t.Errorf("the token is in %s", f)
		}
	}
	if e.lastServeLog == "" || strings.Contains(e.lastServeLog, "AAHdqTcv") {
		t.Errorf("the token is in the logs (or nothing was logged: %d bytes)", len(e.lastServeLog))
	}
	if !strings.Contains(e.lastServeLog, "[redacted]") {
		t.Error("no failure was logged with the token redacted: the faults were not exercised through the log")
	}
}

// TestOperatorToldOfTheSlot: a radio slot's task reaches the operator's
// Telegram staff chat, and only theirs.
func TestOperatorToldOfTheSlot(t *testing.T) {
	srv := telegramtest.New(telegramtest.Options{Token: testToken})
	const operator, leader = 7001, 7002
	srv.AddUser(operator, "Anh Tuấn", "vi")
	srv.AddUser(leader, "Chị Lan", "vi")
	srv.Say(operator, "/start") // a bot may only write to those who wrote first
	srv.Say(leader, "/start")
	hs := httptest.NewServer(srv.Handler())
	defer hs.Close()
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\ntelegram:\n  token: "+testToken+"\n  api_endpoint: "+hs.URL+"/bot%s/%s\n  staff:\n"+
		"    - {chat_id: 7001, name: anh-tuan, role: operator}\n    - {chat_id: 7002, name: chi-lan, role: leader}\n")
	e.ok("demo", "seed")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00",
		"--channels", "loudspeaker", "--audience", "to:anh-tuan")
	told := func() (n int, text string) {
		for _, s := range srv.Sent() {
			if strings.Contains(s.Text, "phát trên loa bài") {
				if s.ChatID != operator {
					t.Errorf("the task notice went to chat %d", s.ChatID)
				}
				n, text = n+1, s.Text
			}
		}
		return n, text
	}
	code := e.serveUntil(func(*store.DB) bool { n, _ := told(); return n > 0 })
	if code != exitOK {
		t.Fatalf("serve: %d", code)
	}
	n, text := told()
	if n != 1 || !strings.Contains(text, "09:00 28/11") || !strings.Contains(text, "Phát động Tháng hành động") {
		t.Errorf("%d notices, last %q", n, text)
	}
}
