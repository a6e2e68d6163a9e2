package demo

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/store"
)

func TestSeed(t *testing.T) {
	ctx := context.Background()
	now := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	db, err := store.Open(ctx, filepath.Join(t.TempDir(), "loa.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer db.Close()
	db.Migrate(ctx, now)
	cal := content.Builtin()
	for i := range cal {
		cal[i].Enabled = true // every observance, the June month included
	}
	db.SyncObservances(ctx, cal, now)
	desk := &editorial.Desk{DB: db, Ward: "phường Lưu Kiếm", Calendar: cal, Pace: 200, MaxReading: 3 * time.Minute,
		Hotlines: map[string]string{"bao_ve_tre_em": "111", "cong_an": "113", "hoi_phu_nu": "0225 3 841 234"}, Now: func() time.Time { return now }}

	r, err := Seed(ctx, db, desk, now)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Import.Warnings) > 0 {
		t.Errorf("demo content has warnings: %v", r.Import.Warnings)
	}
	if len(r.Campaigns) != 6 || r.Slogans < 20 || len(r.Skipped) != 0 {
		t.Errorf("seed: %d campaigns, %d slogans, skipped %v", len(r.Campaigns), r.Slogans, r.Skipped)
	}
	ms, _ := db.Messages(ctx, content.MessageFilter{Year: Year})
	per := map[string]int{}
	states := map[content.State]int{}
	for _, m := range ms {
		per[m.Campaign]++
		states[m.State]++
		for _, ch := range content.Channels {
			if m.Variants.Get(ch) == "" {
				t.Errorf("%s/%s has no %s variant", m.Campaign, m.Key, ch)
			}
		}
	}
	for _, o := range cal {
		if n := per[content.CampaignKey(o.Key, Year)]; n < 2 {
			t.Errorf("%s has %d messages, want several", o.Key, n)
		}
	}
	if states[content.StateApproved] != len(ms)-5 || states[content.StateSubmitted] != 2 || states[content.StateRejected] != 1 || states[content.StateDraft] != 2 {
		t.Errorf("states: %v", states)
	}
	// Every slogan list opens with its "Hưởng ứng …" line.
	for _, o := range []string{"action-month", "evaw-day", "family-day", "dv-month"} {
		ss, _ := db.Slogans(ctx, Year, o)
		if len(ss) == 0 || ss[0].Text[:len("Hưởng ứng")] != "Hưởng ứng" {
			t.Errorf("%s slogans: %+v", o, ss)
		}
	}

	again, err := Seed(ctx, db, desk, now.Add(time.Hour))
	if err != nil || len(again.Campaigns) != 0 || again.Import.Result.Unchanged != len(ms) || again.Moved != 0 || again.Slogans != 0 {
		t.Errorf("second seed changed things: %+v %v", again, err)
	}
}
