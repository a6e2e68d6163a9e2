package daemon

import (
	"bufio"
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// BenchResult is what BenchFanout measured.
type BenchResult struct {
	Recipients   int
	FanOut, Send time.Duration
	PerSecond    float64 // deliveries written, sent and recorded per second
	PeakRSS      int64   // bytes, from /proc/self/status (0 where unknown)
}

// BenchFanout runs one campaign message to n subscribers through the real
// scheduler, dispatcher and SQLite ledger with a channel that does nothing,
// and measures how fast the ledger goes.
func BenchFanout(ctx context.Context, path string, n, workers, inFlight int) (BenchResult, error) {
	r := BenchResult{Recipients: n}
	now := time.Now()
	db, err := store.Open(ctx, path)
	if err != nil {
		return r, err
	}
	defer db.Close()
	if _, err := db.Migrate(ctx, now); err != nil {
		return r, err
	}
	cal := content.Builtin()
	if err := db.SyncObservances(ctx, cal, now); err != nil {
		return r, err
	}
	c, err := db.CreateCampaign(ctx, cal[4].CampaignFor(2026), "bench", now)
	if err != nil {
		return r, err
	}
	m, _, err := db.SaveDraft(ctx, c.ID, content.Draft{Key: "bench", Title: "Bench", Variants: content.Variants{Zalo: "Xin chào {{.Ward}}"}}, "bench", now)
	if err != nil {
		return r, err
	}
	db.Transition(ctx, m.ID, content.ActSubmit, "bench", "", now)
	if _, err := db.Transition(ctx, m.ID, content.ActApprove, "bench", "", now); err != nil {
		return r, err
	}
	due := now.In(content.Zone).Truncate(time.Minute)
	if _, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindAt, Spec: due.Format("2006-01-02 15:04"),
		Channels: []content.Channel{content.Zalo}, Audience: "all", MessageIDs: []int64{m.ID}}, "bench", now.Add(-time.Hour)); err != nil {
		return r, err
	}
	if err := db.GenerateSubscribers(ctx, content.Zalo, "z", n, now); err != nil {
		return r, err
	}

	log := slog.New(slog.NewTextHandler(io.Discard, nil))
	sched := scheduler.New(db, scheduler.Config{Renderer: content.Renderer{Ward: "phường Lưu Kiếm"}}, log, nil, nil)
	var sent atomic.Int64
	done := make(chan struct{})
	noop := scheduler.SenderFunc(func(context.Context, channels.Message) (string, error) {
		if sent.Add(1) == int64(n) {
			close(done)
		}
		return "noop", nil
	})
	disp := scheduler.NewDispatcher(db, map[content.Channel]scheduler.Sender{content.Zalo: noop}, sched.Render,
		scheduler.DispatchConfig{Workers: workers, InFlight: inFlight}, log, nil, time.Now)

	start := time.Now()
	rep, err := sched.RunOnce(ctx, time.Now())
	if err != nil {
		return r, err
	}
	if rep.Queued != n {
		return r, fmt.Errorf("bench: fan-out queued %d of %d", rep.Queued, n)
	}
	r.FanOut = time.Since(start)
	sendStart := time.Now()
	dctx, stop := context.WithCancel(ctx)
	stopped := make(chan struct{})
	go func() { disp.Run(dctx); close(stopped) }()
	select {
	case <-done:
	case <-ctx.Done():
		stop()
		<-stopped
		return r, ctx.Err()
	}
	stop()
	<-stopped // the recorder has written every outcome
	r.Send = time.Since(sendStart)
	counts, err := db.DeliveryCounts(ctx, 0)
	if err != nil {
		return r, err
	}
	if got := counts[content.Zalo][scheduler.Sent]; got != n {
		return r, fmt.Errorf("bench: the ledger records %d sent of %d", got, n)
	}
	r.PerSecond = float64(n) / time.Since(start).Seconds()
	r.PeakRSS = peakRSS()
	return r, nil
}

// peakRSS reads the process's peak resident set (VmHWM) on Linux.
func peakRSS() int64 {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0
	}
	defer f.Close()
	s := bufio.NewScanner(f)
	for s.Scan() {
		if rest, ok := strings.CutPrefix(s.Text(), "VmHWM:"); ok {
			kb, _ := strconv.ParseInt(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 10, 64)
			return kb << 10
		}
	}
	return 0
}
