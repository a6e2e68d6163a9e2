package main

import (
	"context"
	"log/slog"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// TestContactsAndTaskLinks: IT records how notices reach a block leader
// (refused with the field named when wrong); the office prints a task's
// link; the post confirmed through it is counted by loa deliveries and the
// year report; revoked, it opens nothing.
func TestContactsAndTaskLinks(t *testing.T) {
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\n  public_url: https://loa.luukiem.test\nzalo:\n  groups:\n    Tổ dân phố 1: to-truong-1\n")
	e.ok("demo", "seed")
	mustContain(t, "contact", e.ok("user", "contact", "to-truong-1", "--email", "hoa@luukiem.test", "--zalo-id", "81011", "--notify", "zalo,email"),
		`e-mail "hoa@luukiem.test"`, `Zalo "81011"`, "zalo, email")
	for _, bad := range [][]string{{"--email", "hoa@"}, {"--zalo-id", "hoa"}, {"--notify", "sms"}} {
		_, errs, code := e.loa(append([]string{"user", "contact", "to-truong-1"}, bad...)...)
		if code == exitOK || !strings.Contains(errs, strings.TrimPrefix(bad[1], "")) {
			t.Errorf("contact %v: exit %d %q", bad, code, errs)
		}
	}
	if _, errs, code := e.loa("--as", "to-truong-2", "user", "contact", "to-truong-1", "--email", "x@y.vn"); code == exitOK {
		t.Errorf("a block leader set another's contact: %q", errs)
	}
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00", "--channels", "zalo")
	code := e.serveUntil(func(db *store.DB) bool {
		ds, _ := db.Deliveries(context.Background(), scheduler.DeliveryFilter{Assignee: "to-truong-1"})
		return len(ds) == 1
	})
	if code != exitOK {
		t.Fatalf("serve: %d\n%s", code, e.lastServeLog)
	}
	tasks := e.ok("tasks")
	id := regexp.MustCompile(`(?m)^(\d+)\s+09:00 28/11/2026\s+Zalo\s+to-truong-1`).FindStringSubmatch(tasks)
	if id == nil {
		t.Fatalf("tasks:\n%s", tasks)
	}
	out := e.ok("--as", "can-bo", "tasks", "link", id[1])
	link := regexp.MustCompile(`https://loa\.luukiem\.test/t/([A-Za-z0-9_-]{43})`).FindStringSubmatch(out)
	if link == nil {
		t.Fatalf("no link:\n%s", out)
	}
	if _, errs, code := e.loa("--as", "to-truong-2", "tasks", "link", id[1]); code == exitOK {
		t.Errorf("another block leader printed the link: %q", errs)
	}

	// The link confirms the post, as the task page does with it.
	cfg, err := config.Load(config.Options{Path: e.cfg})
	if err != nil {
		t.Fatal(err)
	}
	db, err := store.Open(context.Background(), e.db)
	if err != nil {
		t.Fatal(err)
	}
	clock := func() time.Time { return fixedNow }
	sched := daemon.NewScheduler(cfg, db, slog.New(slog.DiscardHandler), nil, nil)
	links := daemon.NewLinks(cfg, db, daemon.NewOffice(cfg, db, clock, sched.Render), clock)
	n, _ := strconv.ParseInt(id[1], 10, 64)
	if _, err := links.Confirm(context.Background(), link[1], n, office.Confirmation{Done: true, Reach: 120}); err != nil {
		t.Fatalf("confirm through the link: %v", err)
	}
	db.Close()
	mustContain(t, "deliveries", e.ok("deliveries"), "khoảng 120 người")
	mustContain(t, "report", e.ok("report", "--year", "2026"), "1 bài đăng, khoảng 120 người")
	mustContain(t, "revoke", e.ok("--as", "can-bo", "tasks", "link", id[1], "--revoke"), "Đã thu hồi", "liên kết của việc #"+id[1])
}
