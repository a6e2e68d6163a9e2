package scheduler_test

import (
	"context"
	"io"
	"log/slog"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

var quiet = slog.New(slog.NewTextHandler(io.Discard, nil))

// fixture is a database with the 2026 action month, one message with text
// for Telegram, Zalo and the loudspeaker, and a schedule sending it.
type fixture struct {
	t        *testing.T
	ctx      context.Context
	db       *store.DB
	campaign content.Campaign
	msg      content.Message
	schedule int64
}

var created = time.Date(2026, 11, 20, 1, 0, 0, 0, time.UTC)

func localTime(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, content.Zone)
	if err != nil {
		panic(err)
	}
	return t
}

func newFixture(t *testing.T, kind scheduler.Kind, spec string, channels []content.Channel, audience string) *fixture {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, created)
	c := storetest.ActionMonth(t, db, created)
	m, _, err := db.SaveDraft(ctx, c.ID, content.Draft{Key: "phat-dong", Title: "Phát động", Variants: content.Variants{
		Telegram: "Tháng hành động {{.Year}} bắt đầu {{.Starts.Short}}.", Zalo: "Zalo {{.Ward}}", Loudspeaker: "Kính thưa bà con!",
	}}, "officer", created)
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, db: db, campaign: c, msg: m}
	f.schedule, err = db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: kind, Spec: spec, Channels: channels,
		Audience: audience, MessageIDs: []int64{m.ID}}, "officer", created)
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) approve(at time.Time) {
	f.t.Helper()
	for _, act := range []content.Action{content.ActSubmit, content.ActApprove} {
		if _, err := f.db.Transition(f.ctx, f.msg.ID, act, "leader", "", at); err != nil {
			f.t.Fatal(err)
		}
	}
}

func (f *fixture) subscribers(ch content.Channel, n int) {
	f.t.Helper()
	if err := f.db.GenerateSubscribers(f.ctx, ch, string(ch)+"-", n, created); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) scheduler() *scheduler.Scheduler {
	return scheduler.New(f.db, scheduler.Config{
		Renderer:  content.Renderer{Ward: "phường Lưu Kiếm", Calendar: []content.Observance{content.Builtin()[4]}},
		Assignees: map[content.Channel]string{content.Loudspeaker: "operator", content.Banner: "crew"},
		Batch:     100,
	}, quiet, nil, nil)
}

func (f *fixture) runs() []scheduler.DueRun {
	f.t.Helper()
	rs, err := f.db.Runs(f.ctx, scheduler.RunFilter{})
	if err != nil {
		f.t.Fatal(err)
	}
	return rs
}

func (f *fixture) counts(runID int64) map[content.Channel]map[scheduler.DeliveryState]int {
	f.t.Helper()
	c, err := f.db.DeliveryCounts(f.ctx, runID)
	if err != nil {
		f.t.Fatal(err)
	}
	return c
}
