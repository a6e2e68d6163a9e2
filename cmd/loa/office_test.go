package main

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/store"
)

func TestOfficeForStaffCommands(t *testing.T) {
	e := newEnv(t, "")
	e.ok("demo", "seed")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "an-toan-tren-mang", "--at", "2026-11-28 09:00",
		"--channels", "loudspeaker", "--audience", "to:dai-truyen-thanh")
	a := &app{now: func() time.Time { return fixedNow }, lang: "vi"}
	if err := a.loadConfigFrom(e.cfg); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	db, err := a.openStore(ctx)
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	o := office{a, db}

	plan, err := o.Plan(ctx)
	if err != nil || !strings.Contains(plan, "09:00 28/11 · an-toan-tren-mang · v1 · loudspeaker 1") {
		t.Errorf("plan: %v\n%s", err, plan)
	}
	pending, err := o.Pending(ctx)
	if err != nil || len(pending) != 1 || !strings.Contains(pending[0].Summary, "tong-ket-thang-hanh-dong") || pending[0].Preview == "" {
		t.Fatalf("pending: %+v %v", pending, err)
	}
	if err := o.Reject(ctx, pending[0].ID, "pho-chu-tich", "Thêm số liệu"); err != nil {
		t.Fatal(err)
	}
	m, _ := db.Message(ctx, pending[0].ID)
	if m.State != content.StateRejected || m.RejectReason != "Thêm số liệu" {
		t.Errorf("after reject: %s %q", m.State, m.RejectReason)
	}
	log, _ := db.Audit(ctx, "message", m.ID)
	if last := log[len(log)-1]; last.Actor != "pho-chu-tich (telegram)" || last.Action != "reject" {
		t.Errorf("audit: %+v", last)
	}
	// A task appears once the run has started.
	sched := a.newScheduler(db, nil, nil)
	if _, err := sched.RunOnce(ctx, fixedNow); err != nil {
		t.Fatal(err)
	}
	tasks, _ := o.Tasks(ctx, []string{"dai-truyen-thanh", "operator"})
	if len(tasks) != 1 || !strings.Contains(tasks[0].Summary, "an-toan-tren-mang") {
		t.Fatalf("tasks: %+v", tasks)
	}
	if err := o.TaskDone(ctx, tasks[0].ID, "someone", []string{"crew"}); err == nil {
		t.Error("a task was confirmed by someone it is not assigned to")
	}
	if err := o.TaskDone(ctx, tasks[0].ID, "dai-truyen-thanh", []string{"dai-truyen-thanh", "operator"}); err != nil {
		t.Fatal(err)
	}
	ds, _ := db.Deliveries(ctx, store.DeliveryFilter{ID: tasks[0].ID})
	if ds[0].State != "done" || ds[0].ConfirmedBy != "dai-truyen-thanh" {
		t.Errorf("task after done: %+v", ds[0])
	}
	status, _ := o.Status(ctx)
	if !strings.Contains(status, "loudspeaker đã làm 1") {
		t.Errorf("status:\n%s", status)
	}

	// A banner late going up is the crew's task on Telegram too: "done"
	// hangs it, and the next "done" (once past its date) takes it down.
	e.ok("banners", "add", "--campaign", "action-month/2026", "--slogan", "2", "--place", "Chợ", "--who", "crew")
	tasks, _ = o.Tasks(ctx, []string{"crew"})
	if len(tasks) != 1 || tasks[0].ID != -1 || !strings.Contains(tasks[0].Summary, "Chưa treo, trễ 14 ngày") {
		t.Fatalf("banner tasks: %+v", tasks)
	}
	if err := o.TaskDone(ctx, -1, "doi-ve-sinh", []string{"doi-ve-sinh"}); err == nil {
		t.Error("a banner was marked by someone not responsible")
	}
	if err := o.TaskDone(ctx, -1, "anh-nam", []string{"anh-nam", "crew"}); err != nil {
		t.Fatal(err)
	}
	ls, _ := db.Banners(ctx, store.BannerFilter{ID: 1})
	if ls[0].State != banner.Hung || ls[0].By != "anh-nam" {
		t.Errorf("banner after done: %+v", ls[0])
	}
	if tasks, _ = o.Tasks(ctx, []string{"crew"}); len(tasks) != 0 {
		t.Errorf("a hung banner within its dates is no task: %+v", tasks)
	}
}
