package store

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
)

// TestRetention: the ledger's resident ids of an old campaign year are
// replaced (the counts stay, chats stay named), a resident who withdrew
// long ago and a follower who never answered go; recent ones stay.
func TestRetention(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	old, _ := db.CreateCampaign(ctx, observance("action-month").CampaignFor(2023), "o", t0)
	cur, _ := db.CreateCampaign(ctx, observance("action-month").CampaignFor(2026), "o", t0)
	for _, c := range []content.Campaign{old, cur} {
		m, _, err := db.SaveDraft(ctx, c.ID, draft("a", "x"), "o", t0)
		if err != nil {
			t.Fatal(err)
		}
		sid, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindCron, Spec: "0 * * * *",
			Channels: []content.Channel{content.Zalo}, Audience: "all", MessageIDs: []int64{m.ID}}, "o", t0)
		if err != nil {
			t.Fatal(err)
		}
		due := c.From.Time(9, 0)
		if _, err := db.PlanRuns(ctx, sid, []scheduler.NewRun{{DueAt: due, MessageID: m.ID}}, due.Add(time.Hour), t0); err != nil {
			t.Fatal(err)
		}
	}
	runs, _ := db.Runs(ctx, scheduler.RunFilter{})
	for _, r := range runs {
		for _, to := range []string{"8401", "8402", "@kenh-phuong", "Tổ dân phố 1", "-1001234567"} {
			if _, err := db.write.ExecContext(ctx, `INSERT INTO deliveries (run_id, channel, recipient, state, updated_at) VALUES (?, 'zalo', ?, 'sent', ?)`,
				r.ID, to, ts(t0)); err != nil {
				t.Fatal(err)
			}
		}
	}
	now := time.Date(2026, 12, 1, 3, 30, 0, 0, content.Zone)
	zalo := db.Residents(content.Zalo)
	for _, id := range []string{"8401", "8402", "8403"} {
		if err := zalo.Subscribe(ctx, id, "", "vi", "zalo:dongy", content.Topics, now.AddDate(-4, 0, 0)); err != nil {
			t.Fatal(err)
		}
	}
	zalo.Unsubscribe(ctx, "8401", now.AddDate(-3, 0, 0))                // long ago: deleted
	zalo.Unsubscribe(ctx, "8402", now.AddDate(0, -1, 0))                // last month: kept
	db.Follow(ctx, "8404", "", true, "webhook", now.AddDate(0, 0, -40)) // never answered: deleted
	db.Follow(ctx, "8405", "", true, "webhook", now.AddDate(0, 0, -10)) // may still answer: kept

	cutoff := now.AddDate(0, -24, 0)
	r, err := db.ApplyRetention(ctx, cutoff.Year(), cutoff, now.AddDate(0, 0, -30), now)
	if err != nil {
		t.Fatal(err)
	}
	if r != (Retention{Pseudonymized: 2, Withdrawn: 1, Unanswered: 1}) {
		t.Errorf("retention: %+v", r)
	}
	subs, _ := db.Subscribers(ctx, content.Zalo)
	left := map[string]residents.Subscriber{}
	for _, s := range subs {
		left[s.ExternalID] = s
	}
	if _, ok := left["8401"]; ok || len(left) != 3 || left["8402"].WithdrawnAt.IsZero() {
		t.Errorf("subscribers left: %v", left)
	}
	if _, ok := left["8404"]; ok {
		t.Error("a follower who never answered in 40 days is still kept")
	}
	ds, _ := db.Deliveries(ctx, scheduler.DeliveryFilter{})
	counts := map[int64]int{}
	var recipients [2][]string // the old campaign's, this year's
	for _, d := range ds {
		counts[d.RunID]++
		i := 1
		if d.RunID == runs[0].ID {
			i = 0
		}
		recipients[i] = append(recipients[i], d.Recipient)
	}
	// The old year keeps no resident's id; this year keeps those not deleted
	// (8401 was: their id is gone everywhere).
	if got := strings.Join(recipients[0], ","); strings.Contains(got, "840") || !strings.Contains(got, "@kenh-phuong") ||
		!strings.Contains(got, "Tổ dân phố 1") || !strings.Contains(got, "-1001234567") {
		t.Errorf("old campaign's ledger: %s", got)
	}
	if got := strings.Join(recipients[1], ","); strings.Contains(got, "8401") || !strings.Contains(got, "8402") || !strings.Contains(got, "@kenh-phuong") {
		t.Errorf("this year's ledger: %s", got)
	}
	if len(ds) != 10 || counts[runs[0].ID] != 5 {
		t.Errorf("the ledger lost rows: %d, %v", len(ds), counts)
	}
	// A second pass finds nothing more to do.
	if r, _ := db.ApplyRetention(ctx, cutoff.Year(), cutoff, now.AddDate(0, 0, -30), now); r != (Retention{}) {
		t.Errorf("second pass: %+v", r)
	}
}
