package scheduler_test

import (
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
)

// TestRestarts starts the daemon (RunOnce) at different moments around a
// run due at 07:30 on 25/11, with the message in different states, and
// checks what becomes of the run; then, for held runs, approves and starts
// again. The grace is the default 6h.
func TestRestarts(t *testing.T) {
	due := localTime("2026-11-25 07:30")
	tests := []struct {
		name    string
		state   content.Action // how the message stands: "" draft, approve, archive, or edit (after approval)
		start   time.Duration  // when the daemon runs, relative to due
		want    scheduler.RunState
		then    time.Duration // approve, then run again at due+then (0: no second step)
		wantNow scheduler.RunState
	}{
		{"before its time: only planned", content.ActApprove, -time.Hour, scheduler.RunPlanned, 0, ""},
		{"on time", content.ActApprove, 0, scheduler.RunRunning, 0, ""},
		{"down for an hour: fires late within grace", content.ActApprove, time.Hour, scheduler.RunRunning, 0, ""},
		{"just inside the grace", content.ActApprove, 6 * time.Hour, scheduler.RunRunning, 0, ""},
		{"past the grace: missed, never sent late", content.ActApprove, 6*time.Hour + time.Minute, scheduler.RunMissed, 0, ""},
		{"down for days: missed", content.ActApprove, 72 * time.Hour, scheduler.RunMissed, 0, ""},
		{"not approved: held", "", 0, scheduler.RunHeld, 2 * time.Hour, scheduler.RunRunning},
		{"held, approved too late: missed", "", time.Hour, scheduler.RunHeld, 7 * time.Hour, scheduler.RunMissed},
		{"edited after approval: held for the new version", content.ActEdit, 0, scheduler.RunHeld, time.Hour, scheduler.RunRunning},
		{"archived: cancelled", content.ActArchive, 0, scheduler.RunCancelled, 0, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram, content.Loudspeaker}, "all")
			f.subscribers(content.Telegram, 10)
			switch tt.state {
			case content.ActApprove:
				f.approve(created)
			case content.ActArchive:
				f.db.Transition(f.ctx, f.msg.ID, content.ActArchive, "officer", "", created)
			case content.ActEdit:
				f.approve(created)
				d := f.msg.Draft
				d.Variants.Zalo = "Bản sửa"
				if _, _, err := f.db.SaveDraft(f.ctx, f.campaign.ID, d, "officer", created); err != nil {
					t.Fatal(err)
				}
			}
			s := f.scheduler()
			// Run twice at the same moment: nothing doubles.
			for range 2 {
				if _, err := s.RunOnce(f.ctx, due.Add(tt.start)); err != nil {
					t.Fatal(err)
				}
			}
			runs := f.runs()
			if len(runs) != 1 {
				t.Fatalf("%d runs, want 1", len(runs))
			}
			if runs[0].State != tt.want {
				t.Fatalf("run is %s (%s), want %s", runs[0].State, runs[0].Note, tt.want)
			}
			sent := f.counts(runs[0].ID)
			if started := tt.want == scheduler.RunRunning; started != (sent[content.Telegram][scheduler.Queued] == 10) {
				t.Errorf("deliveries %v with the run %s", sent, tt.want)
			}
			if tt.want == scheduler.RunRunning && sent[content.Loudspeaker][scheduler.Assigned] != 1 {
				t.Errorf("the loudspeaker delivery is not assigned to the operator: %v", sent)
			}
			if tt.then == 0 {
				return
			}
			f.approve(due.Add(tt.then - time.Minute))
			if _, err := s.RunOnce(f.ctx, due.Add(tt.then)); err != nil {
				t.Fatal(err)
			}
			runs = f.runs()
			if runs[0].State != tt.wantNow {
				t.Errorf("after approval the run is %s (%s), want %s", runs[0].State, runs[0].Note, tt.wantNow)
			}
			if tt.wantNow == scheduler.RunRunning && runs[0].Version != 2 && tt.state == content.ActEdit {
				t.Errorf("the run sends version %d, want the newly approved 2", runs[0].Version)
			}
		})
	}
}

// TestPlanningAhead checks the horizon, the unique (schedule, due time) key
// and that a schedule's runs are planned once however often RunOnce runs.
func TestPlanningAhead(t *testing.T) {
	f := newFixture(t, scheduler.KindCron, "0 19 * * MON", []content.Channel{content.Zalo}, "all")
	f.approve(created)
	s := f.scheduler()
	now := localTime("2026-11-20 08:00")
	for i := range 5 {
		if _, err := s.RunOnce(f.ctx, now.Add(time.Duration(i)*time.Minute)); err != nil {
			t.Fatal(err)
		}
	}
	if runs := f.runs(); len(runs) != 0 {
		t.Fatalf("planned %d runs within 48h of a Friday, want 0 (next Monday is further)", len(runs))
	}
	r, _ := s.RunOnce(f.ctx, localTime("2026-11-21 20:00")) // horizon reaches Monday 23/11 19:00
	if r.Planned != 1 {
		t.Errorf("planned %d, want 1", r.Planned)
	}
	// A week later: the Monday run is long past the grace, the next is planned.
	s.RunOnce(f.ctx, localTime("2026-11-29 12:00"))
	runs := f.runs()
	if len(runs) != 2 || runs[0].State != scheduler.RunMissed || runs[1].State != scheduler.RunPlanned ||
		!runs[1].DueAt.Equal(localTime("2026-11-30 19:00")) {
		for _, r := range runs {
			t.Logf("run %d %s %s", r.ID, r.DueAt.In(content.Zone), r.State)
		}
		t.Errorf("runs after a week down: %d", len(runs))
	}
}

// rotationFixture is a 17:00 loudspeaker rotation through the fixture's
// message and two drafts, "hai" and "ba"; it returns their ids in turn.
func rotationFixture(t *testing.T) (*fixture, []int64) {
	f := newFixture(t, scheduler.KindRotation, "0 17 * * *", []content.Channel{content.Loudspeaker}, "to:dai-truyen-thanh")
	ids := []int64{f.msg.ID}
	for _, key := range []string{"hai", "ba"} {
		m, _, err := f.db.SaveDraft(f.ctx, f.campaign.ID, content.Draft{Key: key, Title: key, Variants: content.Variants{Loudspeaker: "Bài " + key}}, "o", created)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	f.db.RemoveSchedule(f.ctx, f.schedule, "o", created)
	if _, err := f.db.AddSchedule(f.ctx, scheduler.Schedule{CampaignID: f.campaign.ID, Kind: scheduler.KindRotation, Spec: "0 17 * * *",
		Channels: []content.Channel{content.Loudspeaker}, Audience: "to:dai-truyen-thanh", MessageIDs: ids}, "o", created); err != nil {
		t.Fatal(err)
	}
	return f, ids
}

func TestRotationAssignsMessagesInTurn(t *testing.T) {
	f, ids := rotationFixture(t)
	f.approve(created)
	f.scheduler().RunOnce(f.ctx, localTime("2026-11-20 09:00"))
	runs := f.runs()
	if len(runs) != 2 {
		t.Fatalf("%d runs", len(runs))
	}
	// The window opened on 15/11: 20/11 is the 6th evening (position 5 % 3 = 2), 21/11 the 7th (0).
	if runs[0].MessageID != ids[2] || runs[1].MessageID != ids[0] {
		t.Errorf("rotation gave messages %d, %d; want %d, %d", runs[0].MessageID, runs[1].MessageID, ids[2], ids[0])
	}
}

// TestRotationFillsTheSlot: when a rotation's turn falls on a message that
// is not approved, the next approved one in the rotation airs instead; with
// none approved, the run is held.
func TestRotationFillsTheSlot(t *testing.T) {
	f, ids := rotationFixture(t) // nothing approved
	s := f.scheduler()
	// 20/11 is position 2 ("ba", a draft), and nothing is approved: held.
	s.RunOnce(f.ctx, localTime("2026-11-20 17:00"))
	if runs := f.runs(); runs[0].State != scheduler.RunHeld || runs[0].MessageID != ids[2] {
		t.Fatalf("with nothing approved: %+v", runs[0])
	}
	// Approve phat-dong: the held 20/11 run gives it to the operator in ba's place, and 21/11
	// is its own turn.
	f.approve(localTime("2026-11-20 17:02"))
	s.RunOnce(f.ctx, localTime("2026-11-20 17:05"))
	s.RunOnce(f.ctx, localTime("2026-11-21 17:00"))
	runs := f.runs()
	if runs[0].State != scheduler.RunDone || runs[0].MessageID != ids[0] || !strings.Contains(runs[0].Note, "ba chưa được duyệt (nháp); phat-dong phát thay") {
		t.Errorf("20/11: %+v, want phat-dong in ba's place", runs[0])
	}
	if runs[1].State != scheduler.RunDone || runs[1].MessageID != ids[0] || runs[1].Note != "" {
		t.Errorf("21/11: %+v, want phat-dong in its own turn", runs[1])
	}
	if c := f.counts(runs[0].ID); c[content.Loudspeaker][scheduler.Assigned] != 1 {
		t.Errorf("the substituted run gave the operator no task: %v", c)
	}
}

func TestFanOutFiltersAndResumes(t *testing.T) {
	f := newFixture(t, scheduler.KindAt, "2026-11-25 07:30", []content.Channel{content.Telegram, content.Zalo}, "topic:violence-prevention")
	f.approve(created)
	f.subscribers(content.Telegram, 250) // every topic
	f.db.AddSubscribers(f.ctx, []residents.Subscriber{
		{Channel: content.Telegram, ExternalID: "family-only", Topics: []content.Topic{content.TopicFamily}, ConsentAt: created},
		{Channel: content.Telegram, ExternalID: "no-consent", Topics: []content.Topic{content.TopicViolence}},
		{Channel: content.Zalo, ExternalID: "zalo-1", Topics: []content.Topic{content.TopicViolence}, ConsentAt: created},
	}, "test", created)
	s := f.scheduler()
	r, err := s.RunOnce(f.ctx, localTime("2026-11-25 07:30"))
	if err != nil {
		t.Fatal(err)
	}
	if r.Queued != 251 {
		t.Errorf("queued %d, want 250 Telegram + 1 Zalo", r.Queued)
	}
	// A crash during fan-out leaves the run running and not fanned out; the
	// next RunOnce resumes it and writes nothing twice.
	run := f.runs()[0]
	if _, err := f.db.FanOut(f.ctx, run.ID, content.Telegram, scheduler.Audience{Topic: content.TopicViolence}, "", 7, created); err != nil {
		t.Fatal(err)
	}
	c := f.counts(run.ID)
	if c[content.Telegram][scheduler.Queued] != 250 || c[content.Zalo][scheduler.Queued] != 1 {
		t.Errorf("after a repeated fan-out: %v", c)
	}
}
