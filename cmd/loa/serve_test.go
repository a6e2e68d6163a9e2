package main

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"net"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// serveUntil runs `loa serve` in-process on the test's clock until done
// reports true, then stops it as SIGTERM would, and returns its exit code.
func (e *env) serveUntil(done func(db *store.DB) bool, extra ...string) int {
	e.t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	var out bytes.Buffer
	exit := make(chan int, 1)
	args := append([]string{"--config", e.cfg, "--as", "tester", "serve"}, extra...)
	// A daemon's clock must move (retries and pauses wait for it): start at
	// the test's instant and advance with real time.
	start := time.Now()
	clock := func() time.Time { return fixedNow.Add(time.Since(start)) }
	go func() { exit <- run(ctx, args, strings.NewReader(""), &out, &out, clock) }()
	db, err := store.Open(context.Background(), e.db)
	if err != nil {
		e.t.Fatal(err)
	}
	defer db.Close()
	safety := time.After(time.Minute)
	for !done(db) {
		select {
		case code := <-exit:
			e.t.Fatalf("serve exited with %d before it was done:\n%s", code, out.String())
		case <-safety:
			e.t.Fatalf("serve never got done:\n%s", out.String())
		case <-time.After(20 * time.Millisecond): // re-read the ledger
		}
	}
	cancel()
	code := <-exit
	e.lastServeLog = out.String()
	return code
}

func TestServeSendsAndAssigns(t *testing.T) {
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\ndelivery:\n  outbox_dir: OUTBOX\n")
	os.WriteFile(e.cfg, bytes.ReplaceAll(must(os.ReadFile(e.cfg)), []byte("OUTBOX"), []byte(filepath.Join(e.dir, "outbox"))), 0o600)
	e.ok("demo", "seed")
	// Two runs due at the test's "now" (09:00 on 28/11): a post to the demo
	// residents, and a loudspeaker script for the operator.
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00", "--channels", "zalo,telegram")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "an-toan-tren-mang", "--at", "2026-11-28 09:00",
		"--channels", "loudspeaker", "--audience", "to:dai-truyen-thanh")
	plan := e.ok("plan", "--days", "1", "--json")
	var lines []planJSON
	if err := json.Unmarshal([]byte(plan), &lines); err != nil {
		t.Fatalf("plan --json: %v\n%s", err, plan)
	}
	var found bool
	for _, l := range lines {
		if l.Message == "phat-dong" && l.Local == "09:00 28/11/2026" && l.Audience["zalo"] == 30 && l.Audience["telegram"] == 18 && l.Version == 1 && !l.Waiting {
			found = true // the demo's residents who chose its topic (a quarter chose only "family")
		}
	}
	if !found {
		t.Errorf("plan lacks the 09:00 run:\n%s", plan)
	}
	code := e.serveUntil(func(db *store.DB) bool {
		c, _ := db.DeliveryCounts(context.Background(), 0)
		return c[content.Zalo][scheduler.Sent] == 30 && c[content.Telegram][scheduler.Sent] == 18 && c[content.Loudspeaker][scheduler.Assigned] == 1
	})
	if code != exitOK {
		t.Errorf("serve exit code %d", code)
	}
	text, err := os.ReadFile(filepath.Join(e.dir, "outbox", "zalo-2026-11-28.txt"))
	if err != nil || strings.Count(string(text), "UBND phường Lưu Kiếm mời bà con") != 30 {
		t.Errorf("outbox text: %v\n%.300s", err, text)
	}
	if ledger := e.ok("deliveries"); !regexp.MustCompile(`(?m)^Zalo\s+đã gửi\s+30$`).MatchString(ledger) || !regexp.MustCompile(`(?m)^loa\s+đã giao\s+1$`).MatchString(ledger) {
		t.Errorf("deliveries:\n%s", ledger)
	}
	tasks := e.ok("tasks")
	mustContain(t, "tasks", tasks, "dai-truyen-thanh", "an-toan-tren-mang")
	id := regexp.MustCompile(`(?m)^(\d+)\s+09:00 28/11/2026\s+loa`).FindStringSubmatch(tasks)
	if id == nil {
		t.Fatalf("no task line:\n%s", tasks)
	}
	if _, errs, code := e.loa("tasks", "not-done", id[1]); code != exitUsage {
		t.Errorf("not-done without a reason: %d %s", code, errs)
	}
	mustContain(t, "done", e.ok("--as", "dai-truyen-thanh", "tasks", "done", id[1], "--note", "Phát lúc 17:00"), "đã làm, ghi nhận bởi dai-truyen-thanh")
	if _, errs, code := e.loa("tasks", "done", id[1]); code != exitFailure || !strings.Contains(errs, "không còn chờ xác nhận") {
		t.Errorf("confirming twice: %d %s", code, errs)
	}
	mustContain(t, "no tasks", e.ok("tasks"), "Không có việc nào đang chờ.")
	if ledger := e.ok("deliveries"); !regexp.MustCompile(`(?m)^loa\s+đã làm\s+1$`).MatchString(ledger) {
		t.Errorf("ledger:\n%s", ledger)
	}
	mustContain(t, "missed", e.ok("plan", "--missed"), "Không có lượt nào bị lỡ.")
}

func TestSecondDaemonRefuses(t *testing.T) {
	e := newEnv(t, "")
	e.ok("db", "migrate")
	db, _ := store.Open(context.Background(), e.db)
	host, _ := os.Hostname()
	// This test process is alive: its lease is not stale.
	if err := db.AcquireLease(context.Background(), "daemon", fmt.Sprintf("%s pid %d other", host, os.Getpid()), time.Hour, fixedNow, func(string) bool { return false }); err != nil {
		t.Fatal(err)
	}
	db.Close()
	_, errs, code := e.loa("serve")
	if code != exitFailure || !strings.Contains(errs, "một tiến trình loa serve khác") || !strings.Contains(errs, "gửi trùng") {
		t.Errorf("second daemon: exit %d\n%s", code, errs)
	}
}

func TestRestoredBackupNeedsConsent(t *testing.T) {
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\n")
	e.ok("demo", "seed")
	backup := filepath.Join(e.dir, "backup.db")
	e.ok("db", "backup", backup)
	restored := newEnv(t, "")
	restored.db = backup
	os.WriteFile(restored.cfg, []byte("ward:\n  name: x\nhttp:\n  addr: 127.0.0.1:0\nstore:\n  path: "+backup+"\n"), 0o600)
	_, errs, code := restored.loa("serve")
	if code != exitFailure || !strings.Contains(errs, "bản sao lưu") || !strings.Contains(errs, "--after-restore") {
		t.Errorf("serve on a backup: %d %s", code, errs)
	}
	// With consent it starts, puts the copy into service, and stops cleanly.
	code = restored.serveUntil(func(db *store.DB) bool {
		_, marked, _ := db.BackupTakenAt(context.Background())
		return !marked
	}, "--after-restore")
	if code != exitOK {
		t.Errorf("serve --after-restore: %d", code)
	}
}

func must(b []byte, err error) []byte {
	if err != nil {
		panic(err)
	}
	return b
}

func TestZaloGroupsGetTasksToPaste(t *testing.T) {
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\nzalo:\n  groups:\n    to-dan-pho-1: to-truong-1\n    to-dan-pho-2: to-truong-2\n")
	e.ok("demo", "seed")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00", "--channels", "zalo")
	code := e.serveUntil(func(db *store.DB) bool {
		c, _ := db.DeliveryCounts(context.Background(), 0)
		return c[content.Zalo][scheduler.Sent] == 30 && c[content.Zalo][scheduler.Assigned] == 2
	})
	if code != exitOK {
		t.Fatalf("serve: %d", code)
	}
	tasks := e.ok("--as", "to-truong-1", "tasks", "--mine")
	id := regexp.MustCompile(`(?m)^(\d+)\s+09:00 28/11/2026\s+Zalo\s+to-truong-1`).FindStringSubmatch(tasks)
	if id == nil || strings.Contains(tasks, "to-truong-2") {
		t.Fatalf("--mine tasks:\n%s", tasks)
	}
	show := e.ok("tasks", "show", id[1])
	mustContain(t, "tasks show", show, "Zalo → group:to-dan-pho-1", "to-truong-1", "UBND phường Lưu Kiếm mời bà con")
	e.ok("--as", "to-truong-1", "tasks", "done", id[1], "--reach", "120")
	mustContain(t, "deliveries", e.ok("deliveries"), "Zalo đến thêm khoảng 120 người")
	other := regexp.MustCompile(`(?m)^(\d+)\s+09:00 28/11/2026\s+Zalo\s+to-truong-2`).FindStringSubmatch(e.ok("tasks"))
	if other == nil {
		t.Fatal("no task for to-truong-2")
	}
	e.ok("--as", "to-truong-2", "tasks", "not-done", other[1], "--reason", "Nhóm Zalo bị khóa")
	mustContain(t, "not done in the ledger", e.ok("deliveries"), "không làm", "Nhóm Zalo bị khóa")
	if _, errs, code := e.loa("tasks", "done", id[1], "--reach", "-3"); code != exitUsage {
		t.Errorf("negative reach: %d %s", code, errs)
	}
}

// Telegram unreachable at start (it is blocked in Vietnam) must not take the
// other channels down: the daemon starts, Zalo goes out, Telegram is retried.
func TestServeWithTelegramUnreachable(t *testing.T) {
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	dead := ln.Addr().String()
	ln.Close() // nothing answers there
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\ntelegram:\n  token: "+testToken+"\n  api_endpoint: http://"+dead+"/bot%s/%s\n")
	e.ok("demo", "seed")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00", "--channels", "zalo,telegram")
	code := e.serveUntil(func(db *store.DB) bool {
		c, _ := db.DeliveryCounts(context.Background(), 0)
		return c[content.Zalo][scheduler.Sent] == 30 // the outbox: every Zalo resident who chose the topic
	})
	if code != exitOK {
		t.Fatalf("serve: %d\n%s", code, e.lastServeLog)
	}
	mustContain(t, "log", e.lastServeLog, "telegram is not reachable; the other channels go on")
	if strings.Contains(e.lastServeLog, "AAHdq") {
		t.Error("the token is in the log")
	}
}
