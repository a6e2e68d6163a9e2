package office_test

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/report"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// TestFiguresCountAsReportsDo builds a year in the ledger (OA broadcasts,
// group posts confirmed with their size, radio slots aired, banners hung,
// activities with their participants) and checks every figure of the
// Action Month's report, 25/11's own, and the year's: 25/11 counts in the
// Action Month (its date is inside the month's window) and once in the year.
func TestFiguresCountAsReportsDo(t *testing.T) {
	w := newWard(t)
	ctx := context.Background()
	r := w.office.Renderer
	w.sched = scheduler.New(w.db, scheduler.Config{Renderer: r, Groups: map[content.Channel]map[string]string{content.Zalo: {"Tổ 1": "to-truong-1", "Tổ 2": "to-truong-2"}}},
		slog.New(slog.DiscardHandler), nil, nil)
	w.office.Render = w.sched.Render
	it := staff.Local("officer")
	rows, err := w.db.Schedules(ctx, scheduler.ScheduleFilter{})
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range rows { // only what this test schedules
		if _, err := w.db.RemoveSchedule(ctx, s.ID, "test", w.clock); err != nil {
			t.Fatal(err)
		}
	}
	at := func(local string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", local, content.Zone)
		if err != nil {
			t.Fatal(err)
		}
		return tm
	}
	sent := map[content.Channel]int{}
	run := func(campaign, key, local string, audience string, chans ...content.Channel) {
		t.Helper()
		w.clock = at(local)
		sc := scheduler.Schedule{Kind: scheduler.KindAt, Spec: local, Channels: chans, Audience: audience}
		if _, err := w.desk.AddSchedule(ctx, it, editorial.ScheduleRequest{Campaign: campaign, Keys: []string{key}, Schedule: sc, Force: true}); err != nil {
			t.Fatal(err)
		}
		for range 5 {
			if _, err := w.sched.RunOnce(ctx, w.clock); err != nil {
				t.Fatal(err)
			}
		}
		for _, ch := range []content.Channel{content.Zalo, content.Telegram} {
			claimed, err := w.db.Claim(ctx, ch, 10000, w.clock)
			if err != nil {
				t.Fatal(err)
			}
			var out []scheduler.Outcome
			for i, c := range claimed {
				state := scheduler.Sent
				if ch == content.Zalo && key == "phat-dong" && i == 0 {
					state = scheduler.Failed // one for the appendix
				} else {
					sent[ch]++
				}
				out = append(out, scheduler.Outcome{ID: c.ID, State: state, Error: "test", At: w.clock})
			}
			if err := w.db.Record(ctx, out); err != nil {
				t.Fatal(err)
			}
		}
	}
	confirm := func(assignee string, ch content.Channel, done bool, reach int) {
		t.Helper()
		ds, err := w.db.Deliveries(ctx, scheduler.DeliveryFilter{Assignee: assignee, Channel: ch, States: []scheduler.DeliveryState{scheduler.Assigned}})
		if err != nil || len(ds) == 0 {
			t.Fatalf("no task for %s on %s: %v", assignee, ch, err)
		}
		latest := ds[0] // the task of the run just made, not June's left open
		for _, d := range ds {
			if d.DueAt.After(latest.DueAt) {
				latest = d
			}
		}
		if _, err := w.office.Confirm(ctx, staff.Local("officer"), latest.ID, office.Confirmation{Done: done, Reach: reach, Note: "không kịp"}); err != nil {
			t.Fatal(err)
		}
	}
	// June: the family day's post (its group tasks are never confirmed).
	run("family-day/2026", "huong-ung-28-6", "2026-06-28 09:00", "all", content.Zalo)
	junePosts := sent[content.Zalo]
	// The Action Month: a broadcast on the OA and Telegram with both blocks' posts; a script aired twice.
	run("action-month/2026", "phat-dong", "2026-11-20 09:00", "all", content.Zalo, content.Telegram)
	confirm("to-truong-1", content.Zalo, true, 120)
	confirm("to-truong-2", content.Zalo, true, 80)
	run("action-month/2026", "an-toan-tren-mang", "2026-11-21 17:00", "to:dai-truyen-thanh", content.Loudspeaker)
	confirm("dai-truyen-thanh", content.Loudspeaker, true, 0)
	run("action-month/2026", "an-toan-tren-mang", "2026-11-22 17:00", "to:dai-truyen-thanh", content.Loudspeaker)
	confirm("dai-truyen-thanh", content.Loudspeaker, true, 0)
	monthPosts := sent[content.Zalo] - junePosts
	// 25/11: its own post (one block posts it, one cannot) and script.
	run("evaw-day/2026", "ngay-25-11", "2026-11-25 09:00", "all", content.Zalo)
	confirm("to-truong-1", content.Zalo, true, 120)
	confirm("to-truong-2", content.Zalo, false, 0)
	dayPosts := sent[content.Zalo] - junePosts - monthPosts
	run("evaw-day/2026", "ngay-25-11", "2026-11-25 17:00", "to:dai-truyen-thanh", content.Loudspeaker)
	confirm("dai-truyen-thanh", content.Loudspeaker, true, 0)

	// Banners and activities.
	camp := func(obs string) content.Campaign {
		c, err := w.db.Campaign(ctx, obs, 2026)
		if err != nil {
			t.Fatal(err)
		}
		return c
	}
	am, ev, fam := camp("action-month"), camp("evaw-day"), camp("family-day")
	hang := func(c content.Campaign, slogan string, count int) {
		t.Helper()
		ids, err := w.db.AddBanners(ctx, c.ID, []banner.Line{{Slogan: slogan, Place: "Chợ", Kind: banner.Street, Count: count, HangOn: c.From, DownOn: c.To, Responsible: "crew"}}, "test", w.clock)
		if err != nil {
			t.Fatal(err)
		}
		if err := w.db.MarkBanner(ctx, ids[0], banner.Hung, "crew", "", "", w.clock); err != nil {
			t.Fatal(err)
		}
	}
	hang(am, "Bình đẳng giới là chìa khóa", 3)
	hang(am, "Nói không với bạo lực gia đình", 2)
	hang(ev, "Bình đẳng giới là chìa khóa", 1) // the same slogan, the other tone-mark placement
	if _, err := w.db.AddBanners(ctx, am.ID, []banner.Line{{Slogan: "Chưa treo", Place: "Trường", Kind: banner.Street, Count: 4, HangOn: am.From, DownOn: am.To, Responsible: "crew"}}, "test", w.clock); err != nil {
		t.Fatal(err)
	}
	reg := &activities.Registry{DB: w.db, Now: func() time.Time { return at("2026-12-16 09:00") }}
	for _, a := range []activities.Record{
		{Kind: "le-phat-dong", Campaign: "action-month/2026", Date: content.NewDate(2026, 11, 15), Place: "Hội trường", Unit: "UBND phường", Participants: 500, Women: 310},
		{Kind: "ke-hoach", Campaign: "action-month/2026", Date: content.NewDate(2026, 11, 5), Number: "178/KH-UBND", Title: "Kế hoạch"},
		{Kind: "to-roi", Campaign: "action-month/2026", Date: content.NewDate(2026, 11, 14), Count: 1200},
		{Kind: "di-bo", Campaign: "evaw-day/2026", Date: content.NewDate(2026, 11, 25), Place: "Đường Lê Lợi", Unit: "Hội LHPN", Participants: 200, Women: 150},
		{Kind: "bai-cong-thong-tin", Campaign: "evaw-day/2026", Date: content.NewDate(2026, 11, 25), Count: 2},
		{Kind: "sinh-hoat-chuyen-de", Campaign: "family-day/2026", Date: content.NewDate(2026, 6, 27), Place: "Tổ 3", Unit: "Chi hội PN", Participants: 40, Women: 30},
	} {
		if _, err := reg.Add(ctx, it, a); err != nil {
			t.Fatal(err)
		}
	}
	w.clock = at("2026-12-16 09:00")
	minutes := func(string, string) float64 { return 1.5 }

	check := func(name string, f report.Figures, want report.Figures) {
		t.Helper()
		if f.ZaloOA != want.ZaloOA || f.Telegram != want.Telegram || f.Groups != want.Groups {
			t.Errorf("%s: zalo %+v telegram %+v groups %+v, want %+v %+v %+v", name, f.ZaloOA, f.Telegram, f.Groups, want.ZaloOA, want.Telegram, want.Groups)
		}
		if f.Radio != want.Radio {
			t.Errorf("%s: radio %+v, want %+v", name, f.Radio, want.Radio)
		}
		if f.Banners != want.Banners {
			t.Errorf("%s: banners %+v, want %+v", name, f.Banners, want.Banners)
		}
		a, b := f.Activity, want.Activity
		if a.Sessions != b.Sessions || a.Participants != b.Participants || a.Women != b.Women || a.Documents != b.Documents || a.Materials != b.Materials || a.Articles != b.Articles {
			t.Errorf("%s: activities %+v, want %+v", name, a, b)
		}
		if f.Internal[content.Zalo].Failed != want.Internal[content.Zalo].Failed {
			t.Errorf("%s: zalo failed %d, want %d", name, f.Internal[content.Zalo].Failed, want.Internal[content.Zalo].Failed)
		}
	}
	month, err := w.office.CampaignFigures(ctx, am, minutes)
	if err != nil {
		t.Fatal(err)
	}
	if len(month.Campaigns) != 2 || month.Campaigns[1].ObservanceKey != "evaw-day" {
		t.Errorf("the Action Month's report counts %v", month.Campaigns)
	}
	check("action month", month, report.Figures{
		ZaloOA: report.Published{Items: 2, Reach: monthPosts + dayPosts}, Telegram: report.Published{Items: 1, Reach: sent[content.Telegram]},
		Groups: report.Published{Items: 3, Reach: 320}, Radio: report.Radio{Items: 2, Broadcasts: 3, Minutes: 4.5},
		Banners:  report.Banners{Hung: 6, Lines: 3, Slogans: 2},
		Activity: activities.Summary{Sessions: 2, Participants: 700, Women: 460, Documents: 1, Materials: 1200, Articles: 2},
		Internal: map[content.Channel]report.Internal{content.Zalo: {Failed: 1}}})
	day, err := w.office.CampaignFigures(ctx, ev, minutes)
	if err != nil {
		t.Fatal(err)
	}
	check("25/11", day, report.Figures{
		ZaloOA: report.Published{Items: 1, Reach: dayPosts}, Groups: report.Published{Items: 1, Reach: 120}, Radio: report.Radio{Items: 1, Broadcasts: 1, Minutes: 1.5},
		Banners:  report.Banners{Hung: 1, Lines: 1, Slogans: 1},
		Activity: activities.Summary{Sessions: 1, Participants: 200, Women: 150, Articles: 2}})
	year, err := w.office.YearFigures(ctx, 2026, minutes)
	if err != nil {
		t.Fatal(err)
	}
	check("year", year, report.Figures{
		ZaloOA: report.Published{Items: 3, Reach: sent[content.Zalo]}, Telegram: report.Published{Items: 1, Reach: sent[content.Telegram]},
		Groups: report.Published{Items: 3, Reach: 320}, Radio: report.Radio{Items: 2, Broadcasts: 3, Minutes: 4.5},
		Banners:  report.Banners{Hung: 6, Lines: 3, Slogans: 2},
		Activity: activities.Summary{Sessions: 3, Participants: 740, Women: 490, Documents: 1, Materials: 1200, Articles: 2},
		Internal: map[content.Channel]report.Internal{content.Zalo: {Failed: 1}}})
	if junePosts == 0 || monthPosts == 0 || dayPosts == 0 {
		t.Fatalf("no OA posts: %d %d %d", junePosts, monthPosts, dayPosts)
	}
	// Items by month: June's post, November's three on the OA (two messages), the group posts.
	byMonth := map[string]map[string]int{}
	for _, m := range year.Months {
		byMonth[m.Month] = m.Counts
	}
	if byMonth["2026-06"]["zalo"] != 1 || byMonth["2026-11"]["zalo"] != 2 || byMonth["2026-11"]["groups"] != 2 || byMonth["2026-11"]["loudspeaker"] != 2 {
		t.Errorf("by month: %v", byMonth)
	}
	// Residents month by month: the demo's consented when it was loaded (28/11).
	subs := map[string]map[string]int{}
	for _, m := range year.Subscribers {
		subs[m.Month] = m.Counts
	}
	if len(year.Subscribers) != 12 || subs["2026-10"]["zalo"] != 0 || subs["2026-11"]["zalo"] == 0 || subs["2026-12"]["zalo"] != subs["2026-11"]["zalo"] ||
		year.Subscribers[11].Until != content.NewDate(2026, 12, 16) {
		t.Errorf("subscribers by month: %+v", year.Subscribers)
	}
	june, err := w.office.CampaignFigures(ctx, fam, minutes)
	if err != nil {
		t.Fatal(err)
	}
	check("family day", june, report.Figures{ZaloOA: report.Published{Items: 1, Reach: junePosts},
		Activity: activities.Summary{Sessions: 1, Participants: 40, Women: 30}})
}
