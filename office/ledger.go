package office

import (
	"context"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// ErrNoRun is returned for a run that does not exist.
var ErrNoRun = i18n.Errorf("không có lượt gửi này", "no such run")

// Counts are deliveries by channel and state.
type Counts = map[content.Channel]map[scheduler.DeliveryState]int

// Ledger is what went out: one run's deliveries, or every run's.
type Ledger struct {
	Run      *scheduler.DueRun // nil for every run
	Counts   Counts
	Banners  map[banner.State]int    // banners of the plan by state (every run only: banners are planned per campaign)
	Reach    map[content.Channel]int // people reached through people (groups, radio, banners)
	Problems []scheduler.Delivery    // failed, dead, blocked, unknown or not done, up to 50
}

// problemStates are the deliveries a person should look at.
var problemStates = []scheduler.DeliveryState{scheduler.Failed, scheduler.Dead, scheduler.Blocked, scheduler.Unknown, scheduler.NotDone}

// Ledger returns the ledger of run runID, or of every run when runID is 0.
func (o *Office) Ledger(ctx context.Context, runID int64) (Ledger, error) {
	var l Ledger
	if runID != 0 {
		runs, err := o.DB.Runs(ctx, scheduler.RunFilter{ID: runID})
		if err != nil {
			return l, err
		}
		if len(runs) == 0 {
			return l, ErrNoRun
		}
		l.Run = &runs[0]
	}
	var err error
	if l.Counts, err = o.DB.DeliveryCounts(ctx, runID); err != nil {
		return l, err
	}
	if runID == 0 {
		lines, err := o.DB.Banners(ctx, banner.Filter{})
		if err != nil {
			return l, err
		}
		l.Banners = map[banner.State]int{}
		for _, b := range lines {
			l.Banners[b.State] += b.Count
		}
	}
	if l.Reach, err = o.DB.Reach(ctx, runID); err != nil {
		return l, err
	}
	l.Problems, err = o.DB.Deliveries(ctx, scheduler.DeliveryFilter{RunID: runID, Limit: 50, States: problemStates})
	return l, err
}

// Failures returns up to limit deliveries that need a person's look
// (failed, dead, blocked, unknown or not done), newest runs first.
func (o *Office) Failures(ctx context.Context, limit int) ([]scheduler.Delivery, error) {
	return o.DB.Deliveries(ctx, scheduler.DeliveryFilter{Limit: limit, States: problemStates})
}

// Counts returns run runID's deliveries by channel and state.
func (o *Office) Counts(ctx context.Context, runID int64) (Counts, error) {
	return o.DB.DeliveryCounts(ctx, runID)
}

// RunSummary is a run with its delivery counts.
type RunSummary struct {
	Run    scheduler.DueRun
	Counts Counts
}

// Recent returns the last 15 runs of the past 7 days that started, finished,
// were missed or held, with their counts.
func (o *Office) Recent(ctx context.Context) ([]RunSummary, error) {
	now := o.Now()
	runs, err := o.DB.Runs(ctx, scheduler.RunFilter{From: now.Add(-7 * 24 * time.Hour), To: now.Add(time.Minute),
		States: []scheduler.RunState{scheduler.RunRunning, scheduler.RunDone, scheduler.RunMissed, scheduler.RunHeld}})
	if err != nil {
		return nil, err
	}
	var out []RunSummary
	for _, r := range runs[max(0, len(runs)-15):] {
		counts, err := o.DB.DeliveryCounts(ctx, r.ID)
		if err != nil {
			return nil, err
		}
		out = append(out, RunSummary{Run: r, Counts: counts})
	}
	return out, nil
}

// Resend queues a run's deliveries in state (unknown or dead) again, as the
// actor decided; it returns how many.
func (o *Office) Resend(ctx context.Context, actor staff.Actor, runID int64, state scheduler.DeliveryState) (int, error) {
	if !actor.MayPlan() {
		return 0, staff.ErrForbidden
	}
	return o.DB.Resend(ctx, runID, state, actor.Audit(), o.Now())
}
