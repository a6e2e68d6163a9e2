package office_test

import (
	"context"
	"errors"
	"log/slog"
	"testing"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

// 09:00 on 28/11/2026 in the ward.
var now = time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)

type ward struct {
	db     *store.DB
	desk   *editorial.Desk
	office *office.Office
	sched  *scheduler.Scheduler
	clock  time.Time
}

// newWard is the demo ward, with the radio operator given a script at 09:00.
func newWard(t *testing.T) *ward {
	t.Helper()
	w := &ward{db: storetest.Open(t, now), clock: now}
	clock := func() time.Time { return w.clock }
	r := content.Renderer{Ward: "phường Lưu Kiếm", Calendar: content.Builtin(),
		Hotlines: map[string]string{"bao_ve_tre_em": "111", "cong_an": "113", "hoi_phu_nu": "0225 3 841 234"}}
	w.desk = &editorial.Desk{DB: w.db, Ward: r.Ward, Calendar: r.Calendar, Hotlines: r.Hotlines, Pace: 200, Now: clock}
	w.sched = scheduler.New(w.db, scheduler.Config{Renderer: r}, slog.New(slog.DiscardHandler), nil, nil)
	w.office = &office.Office{DB: w.db, Renderer: r, TaskOverdue: 2 * time.Hour, Render: w.sched.Render, Now: clock}
	ctx := context.Background()
	if _, err := demo.Seed(ctx, w.db, w.desk, now); err != nil {
		t.Fatal(err)
	}
	sc := scheduler.Schedule{Kind: scheduler.KindAt, Spec: "2026-11-28 09:00", Channels: []content.Channel{content.Loudspeaker}, Audience: "to:dai-truyen-thanh"}
	if _, err := w.desk.AddSchedule(ctx, staff.Local("officer"), editorial.ScheduleRequest{Campaign: "action-month/2026", Keys: []string{"an-toan-tren-mang"}, Schedule: sc}); err != nil {
		t.Fatal(err)
	}
	return w
}

var operator = staff.Actor{Name: "dai-truyen-thanh", Role: staff.Operator, Desk: staff.Telegram}

func TestPlanShowsTheAudienceAndApproval(t *testing.T) {
	w := newWard(t)
	lines, err := w.office.Plan(context.Background(), now, now.Add(7*24*time.Hour))
	if err != nil {
		t.Fatal(err)
	}
	var found bool
	for _, l := range lines {
		if l.Message == "an-toan-tren-mang" && l.At.Equal(now) {
			found = true
			if l.Version != 1 || l.Waiting || l.Audience[content.Loudspeaker] != 1 || l.State != "" {
				t.Errorf("the 09:00 script: %+v", l)
			}
		}
		if l.Run == 0 && l.State != "" {
			t.Errorf("a line not yet planned has a run state: %+v", l)
		}
	}
	if !found {
		t.Fatalf("no 09:00 script in the plan: %+v", lines)
	}
}

func TestOnlyTheAssigneeConfirmsATask(t *testing.T) {
	w := newWard(t)
	ctx := context.Background()
	if _, err := w.sched.RunOnce(ctx, now); err != nil {
		t.Fatal(err)
	}
	tasks, err := w.office.Tasks(ctx, operator, office.TaskFilter{Mine: true, ByRole: true})
	if err != nil || len(tasks.Deliveries) != 1 || tasks.Deliveries[0].MessageKey != "an-toan-tren-mang" {
		t.Fatalf("the operator's tasks: %+v %v", tasks, err)
	}
	id := tasks.Deliveries[0].ID
	// Not by name, and only by role when asked: a block leader named
	// otherwise sees none of it.
	other := staff.Actor{Name: "to-truong-3", Role: staff.BlockLeader, Desk: staff.Telegram}
	if ts, _ := w.office.Tasks(ctx, other, office.TaskFilter{Mine: true, ByRole: true}); len(ts.Deliveries) != 0 {
		t.Errorf("someone else's tasks: %+v", ts.Deliveries)
	}
	var notYours *office.NotYoursError
	if _, err := w.office.Confirm(ctx, other, id, office.Confirmation{Done: true}); !errors.As(err, &notYours) {
		t.Fatalf("a block leader confirmed the operator's task: %v", err)
	}
	if _, err := w.office.Confirm(ctx, operator, id, office.Confirmation{Done: false}); err == nil {
		t.Error("not done without a reason")
	}
	d, err := w.office.Confirm(ctx, operator, id, office.Confirmation{Done: true})
	if err != nil || d.State != scheduler.Done || d.ConfirmedBy != "dai-truyen-thanh" || d.Note != "xác nhận qua Telegram" {
		t.Fatalf("confirmed: %+v %v", d, err)
	}
	recent, err := w.office.Recent(ctx)
	if err != nil || len(recent) == 0 || recent[len(recent)-1].Counts[content.Loudspeaker][scheduler.Done] != 1 {
		t.Errorf("recent runs: %+v %v", recent, err)
	}
	l, err := w.office.Ledger(ctx, d.RunID)
	if err != nil || l.Run == nil || l.Counts[content.Loudspeaker][scheduler.Done] != 1 || len(l.Problems) != 0 {
		t.Errorf("ledger: %+v %v", l, err)
	}
	if _, err := w.office.Ledger(ctx, 9999); !errors.Is(err, office.ErrNoRun) {
		t.Errorf("ledger of no run: %v", err)
	}
}

func TestBannersNeedApprovedSlogansAndTheirCrew(t *testing.T) {
	w := newWard(t)
	ctx := context.Background()
	c, err := w.db.Campaign(ctx, "action-month", 2026)
	if err != nil {
		t.Fatal(err)
	}
	own := []banner.Line{{Slogan: "Một khẩu hiệu chưa ai duyệt", Place: "Chợ", Kind: banner.Street, Count: 1, Responsible: "crew"}}
	own[0].HangOn, own[0].DownOn = banner.DefaultDates(c)
	var unapproved *office.UnapprovedSlogansError
	if _, err := w.office.AddBanners(ctx, staff.Local("officer"), c, own); !errors.As(err, &unapproved) || len(unapproved.Lines) != 1 {
		t.Fatalf("an unapproved slogan: %v", err)
	}
	ss, err := w.db.Slogans(ctx, 2026, "action-month")
	if err != nil || len(ss) < 2 {
		t.Fatalf("slogans: %d %v", len(ss), err)
	}
	listed := own
	listed[0].Slogan = "  " + ss[1].Text + "!" // as typed: the list's wording is kept
	ids, err := w.office.AddBanners(ctx, staff.Local("officer"), c, listed)
	if err != nil || len(ids) != 1 {
		t.Fatalf("a listed slogan: %v", err)
	}
	// The line is late going up (the campaign started 15/11): the crew's task.
	crew := staff.Actor{Name: "anh-nam", Role: "crew", Desk: staff.Telegram}
	tasks, err := w.office.Tasks(ctx, crew, office.TaskFilter{Mine: true, ByRole: true})
	if err != nil || len(tasks.Banners) != 1 || tasks.Banners[0].Line.Slogan != ss[1].Text {
		t.Fatalf("crew's banners: %+v %v", tasks.Banners, err)
	}
	var notYours *office.NotYoursError
	if _, err := w.office.ConfirmBanner(ctx, operator, ids[0]); !errors.As(err, &notYours) {
		t.Errorf("the operator hung the crew's banner: %v", err)
	}
	if to, err := w.office.ConfirmBanner(ctx, crew, ids[0]); err != nil || to != banner.Hung {
		t.Fatalf("crew hangs: %s %v", to, err)
	}
	ls, _ := w.db.Banners(ctx, banner.Filter{ID: ids[0]})
	if ls[0].State != banner.Hung || ls[0].By != "anh-nam" {
		t.Errorf("after hanging: %+v", ls[0])
	}
	if tasks, _ = w.office.Tasks(ctx, crew, office.TaskFilter{Mine: true, ByRole: true}); len(tasks.Banners) != 0 {
		t.Errorf("a hung banner within its dates is no task: %+v", tasks.Banners)
	}
}
