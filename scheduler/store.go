package scheduler

import (
	"context"
	"time"

	"github.com/loa-ward/loa/content"
)

// PlanStore is what the planner (Scheduler) needs from storage: schedules,
// runs and their fan-out. store.DB implements it; tests use it too, since
// it is a real SQLite file.
type PlanStore interface {
	// SchedulesToPlan returns every schedule that is not removed, with its campaign.
	SchedulesToPlan(ctx context.Context) ([]PlanItem, error)
	// PlanRuns inserts runs that do not exist yet and records until as
	// planned, in one transaction; it returns how many it inserted.
	PlanRuns(ctx context.Context, scheduleID int64, runs []NewRun, until, now time.Time) (int, error)
	// DueRuns returns planned and held runs due at or before now, and
	// running runs whose fan-out did not finish.
	DueRuns(ctx context.Context, now time.Time) ([]DueRun, error)
	// Substitute gives a rotation's run whose message is not approved the
	// next message in the rotation that is, and returns the run as it now
	// is; false when the run is not a rotation's or no message qualifies.
	Substitute(ctx context.Context, runID int64) (DueRun, bool, error)
	// UpdateRun moves a run to state, fixing the version it sends (0 keeps it).
	UpdateRun(ctx context.Context, id int64, state RunState, version int, note string, now time.Time) error
	// FanOut writes one delivery per recipient of audience on ch for run,
	// in batches of batch rows, each batch its own transaction; rows that
	// exist already are left alone, so fan-out can resume after a crash.
	// A person-completed delivery is written assigned to assignee.
	FanOut(ctx context.Context, runID int64, ch content.Channel, aud Audience, assignee string, batch int, now time.Time) (int, error)
	// Assign writes a delivery of run on ch to recipient (a group) that
	// assignee completes; an existing one is left alone.
	Assign(ctx context.Context, runID int64, ch content.Channel, recipient, assignee string, now time.Time) error
	// MarkFannedOut records that every delivery row of the run exists.
	MarkFannedOut(ctx context.Context, runID int64, now time.Time) error
	// FinishRuns marks done the running runs that have nothing queued or sending.
	FinishRuns(ctx context.Context, now time.Time) (int, error)
	// RunContent returns what run sends: the message version and its campaign.
	RunContent(ctx context.Context, runID int64) (RunContent, error)
}

// Ledger is what the Dispatcher needs from storage: claim what is due,
// record what happened.
type Ledger interface {
	// Claim marks up to limit queued deliveries of ch that are due as sending
	// and returns them.
	Claim(ctx context.Context, ch content.Channel, limit int, now time.Time) ([]Claimed, error)
	// Record writes outcomes in one transaction; a Blocked outcome also marks
	// the subscriber.
	Record(ctx context.Context, outcomes []Outcome) error
	// NextAttempt returns the earliest time a queued delivery of ch may be
	// tried, and false when none is queued.
	NextAttempt(ctx context.Context, ch content.Channel) (time.Time, bool, error)
}

// Store is both, as store.DB provides.
type Store interface {
	PlanStore
	Ledger
}

// PlanItem is a schedule with its campaign.
type PlanItem struct {
	Schedule Schedule
	Campaign content.Campaign
}

// NewRun is a due time the planner found.
type NewRun struct {
	DueAt     time.Time
	MessageID int64
}

// DueRun is a run with what deciding its fate needs.
type DueRun struct {
	Run
	MessageKey      string
	MessageState    content.State
	ApprovedVersion int
	ScheduleRemoved bool
}

// RunContent is the exact version a run sends.
type RunContent struct {
	DueAt    time.Time
	Mode     string // the schedule's
	Campaign content.Campaign
	Version  content.Version
}
