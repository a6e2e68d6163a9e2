package scheduler

import (
	"cmp"
	"context"
	"errors"
	"fmt"
	"log/slog"
	"strings"
	"sync"
	"time"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// Config holds the scheduler's settings; zero fields take the defaults.
type Config struct {
	Grace   time.Duration // how late a run may still go out; default 6h
	Horizon time.Duration // how far ahead to plan; default 48h
	Batch   int           // fan-out rows per transaction; default 1000
	// Renderer fills a message's templates for the day it is sent.
	Renderer content.Renderer
	// Assignees names who completes deliveries of person-completed channels
	// (loudspeaker, banner) when the schedule names nobody.
	Assignees map[content.Channel]string
	// Groups are chats without an API, per channel (Zalo's block groups):
	// each run on that channel also gives every group's admin a task to post
	// it there. Group name → admin.
	Groups map[content.Channel]map[string]string
}

// defaultAssignees complete a person-completed channel's deliveries when
// neither the schedule nor the configuration names anyone: roles.
var defaultAssignees = map[content.Channel]string{content.Loudspeaker: "operator", content.Banner: "crew"}

// Alert is something staff should know.
type Alert struct {
	Kind string // "missed", "held", "failed", "dead", "paused", "assigned"
	Text string
	To   string // for "assigned": the person (or role) given the task; "" for the staff who oversee sending
}

// Alerter tells staff. The default logs.
type Alerter interface {
	Alert(ctx context.Context, a Alert)
}

// Scheduler plans runs and starts them when due.
type Scheduler struct {
	store    PlanStore
	cfg      Config
	log      *slog.Logger
	alert    Alerter
	specs    map[int64]Spec // parsed schedule specs by schedule ID
	specsMu  sync.Mutex
	dispatch interface{ Kick() }
}

// New returns a scheduler over store. dispatch, when not nil, is kicked after
// new deliveries are queued.
func New(store PlanStore, cfg Config, log *slog.Logger, alert Alerter, dispatch interface{ Kick() }) *Scheduler {
	cfg.Grace = cmp.Or(cfg.Grace, 6*time.Hour)
	cfg.Horizon = cmp.Or(cfg.Horizon, 48*time.Hour)
	cfg.Batch = cmp.Or(cfg.Batch, 1000)
	if alert == nil {
		alert = logAlerter{log}
	}
	return &Scheduler{store: store, cfg: cfg, log: log.With("component", "scheduler"), alert: alert, specs: map[int64]Spec{}, dispatch: dispatch}
}

type logAlerter struct{ log *slog.Logger }

func (l logAlerter) Alert(_ context.Context, a Alert) {
	l.log.Warn("alert", "kind", a.Kind, "text", a.Text)
}

// Report says what one RunOnce did.
type Report struct {
	Planned, Started, Held, Missed, Cancelled, Finished int
	Queued                                              int // deliveries written
}

// RunOnce is the scheduler's whole work at instant now: plan runs up to the
// horizon, decide every due run, fan out the ones that start, and mark
// finished runs done. The cron callback calls only this.
func (s *Scheduler) RunOnce(ctx context.Context, now time.Time) (Report, error) {
	var r Report
	var err error
	if r.Planned, err = s.plan(ctx, now.Add(s.cfg.Horizon), now); err != nil {
		return r, err
	}
	due, err := s.store.DueRuns(ctx, now)
	if err != nil {
		return r, err
	}
	var failed []error
	for _, run := range due {
		// One run that cannot be decided must not stop the others.
		if err := s.decide(ctx, run, now, &r); err != nil {
			s.log.Error("run not started", "run", run.ID, "message", run.MessageKey, "err", err)
			failed = append(failed, fmt.Errorf("run %d: %w", run.ID, err))
		}
	}
	if r.Finished, err = s.store.FinishRuns(ctx, now); err != nil {
		return r, err
	}
	if r.Queued > 0 && s.dispatch != nil {
		s.dispatch.Kick()
	}
	return r, errors.Join(failed...)
}

// PlanUntil materializes the runs of every schedule up to until, and
// returns how many it made. RunOnce plans up to the horizon; a restored
// backup plans up to now first, so every run that could have been due since
// the copy was taken exists and can be marked missed (never sent late).
func (s *Scheduler) PlanUntil(ctx context.Context, until time.Time) (int, error) {
	return s.plan(ctx, until, until)
}

// plan materializes the runs of every schedule up to until, at instant now.
func (s *Scheduler) plan(ctx context.Context, until, now time.Time) (int, error) {
	items, err := s.store.SchedulesToPlan(ctx)
	if err != nil {
		return 0, err
	}
	total := 0
	for _, it := range items {
		sc := it.Schedule
		spec, err := s.spec(sc)
		if err != nil {
			s.log.Error("schedule cannot be planned", "schedule", sc.ID, "err", err)
			continue
		}
		from := sc.PlannedUntil
		if from.IsZero() {
			from = sc.CreatedAt.Add(-time.Minute) // a schedule made at 07:30 still has its 07:30 run
		}
		if !until.After(from) {
			continue
		}
		n, err := s.store.PlanRuns(ctx, sc.ID, Due(spec, it, from, until), until, now)
		if err != nil {
			return total, err
		}
		total += n
	}
	return total, nil
}

// Due lists the runs of a schedule due in (from, until], each with the
// message it sends (for a rotation, the one whose turn it is). `loa plan`
// uses it to show what is not planned yet.
func Due(spec Spec, it PlanItem, from, until time.Time) []NewRun {
	sc := it.Schedule
	if len(sc.MessageIDs) == 0 {
		return nil
	}
	var runs []NewRun
	for _, t := range spec.Times(it.Campaign, from, until) {
		msg := sc.MessageIDs[0]
		if sc.Kind == KindRotation {
			msg = sc.MessageIDs[spec.Position(it.Campaign, t, len(sc.MessageIDs))]
		}
		runs = append(runs, NewRun{DueAt: t, MessageID: msg})
	}
	return runs
}

func (s *Scheduler) spec(sc Schedule) (Spec, error) {
	s.specsMu.Lock()
	defer s.specsMu.Unlock()
	if sp, ok := s.specs[sc.ID]; ok && sp.Text == sc.Spec {
		return sp, nil
	}
	sp, err := ParseSpec(sc.Kind, sc.Spec, sc.Quiet)
	if err == nil {
		s.specs[sc.ID] = sp
	}
	return sp, err
}

// decide moves one due run on: missed, cancelled, held, or started.
func (s *Scheduler) decide(ctx context.Context, run DueRun, now time.Time, r *Report) error {
	if run.State == RunRunning { // a fan-out interrupted by a crash
		return s.fanOut(ctx, run, now, r)
	}
	grace := cmp.Or(run.Grace, s.cfg.Grace)
	local := run.DueAt.In(content.Zone).Format("15:04 02/01/2006")
	startNote := ""
	if run.MessageState != content.StateApproved && !run.ScheduleRemoved && now.Sub(run.DueAt) <= grace {
		// A rotation fills its slot with the next approved message.
		sub, ok, err := s.store.Substitute(ctx, run.ID)
		if err != nil {
			return err
		}
		if ok {
			startNote = fmt.Sprintf("%s chưa được duyệt (%s); %s phát thay", run.MessageKey, run.MessageState.Label(i18n.Vietnamese), sub.MessageKey)
			s.log.Info("rotation substitute", "run", run.ID, "instead_of", run.MessageKey, "message", sub.MessageKey)
			run = sub
		}
	}
	switch {
	case run.ScheduleRemoved:
		r.Cancelled++
		return s.store.UpdateRun(ctx, run.ID, RunCancelled, 0, "lịch gửi đã bỏ", now)
	case now.Sub(run.DueAt) > grace:
		r.Missed++
		note := fmt.Sprintf("hẹn %s, không gửi được trong %s cho phép gửi muộn", local, i18n.Duration(grace).Localize(i18n.Vietnamese))
		if run.State == RunHeld {
			note = fmt.Sprintf("hẹn %s, tạm giữ (chưa duyệt) quá %s cho phép gửi muộn", local, i18n.Duration(grace).Localize(i18n.Vietnamese))
		}
		s.log.Warn("run missed", "run", run.ID, "message", run.MessageKey, "due", run.DueAt, "grace", grace)
		s.alert.Alert(ctx, Alert{Kind: "missed", Text: fmt.Sprintf("%s: %s", run.MessageKey, note)})
		return s.store.UpdateRun(ctx, run.ID, RunMissed, 0, note, now)
	case run.MessageState == content.StateArchived:
		r.Cancelled++
		return s.store.UpdateRun(ctx, run.ID, RunCancelled, 0, "tin đã lưu trữ", now)
	case run.MessageState != content.StateApproved:
		if run.State == RunHeld {
			return nil // still waiting; said so when it was first held
		}
		r.Held++
		note := fmt.Sprintf("tin đang %s, chưa duyệt", run.MessageState.Label(i18n.Vietnamese))
		if run.ApprovedVersion > 0 {
			note = fmt.Sprintf("bản mới của tin đang %s, cần duyệt lại", run.MessageState.Label(i18n.Vietnamese))
		}
		s.log.Warn("run held", "run", run.ID, "message", run.MessageKey, "due", run.DueAt, "why", note)
		s.alert.Alert(ctx, Alert{Kind: "held", Text: fmt.Sprintf("%s (hẹn %s): %s", run.MessageKey, local, note)})
		return s.store.UpdateRun(ctx, run.ID, RunHeld, 0, note, now)
	}
	if err := s.store.UpdateRun(ctx, run.ID, RunRunning, run.ApprovedVersion, startNote, now); err != nil {
		return err
	}
	run.Version = run.ApprovedVersion
	// Render every channel's text once before a single delivery is written:
	// a template that cannot render holds the run with the reason, rather
	// than failing each delivery.
	for _, ch := range run.Channels {
		_, err := s.Render(ctx, run.ID, ch)
		var te *content.TemplateError
		if errors.As(err, &te) {
			note := "không dựng được nội dung tin: " + i18n.Error(te, i18n.Vietnamese)
			if run.State != RunHeld {
				r.Held++
				s.log.Warn("run held", "run", run.ID, "message", run.MessageKey, "why", note)
				s.alert.Alert(ctx, Alert{Kind: "held", Text: fmt.Sprintf("%s (hẹn %s): %s", run.MessageKey, local, note)})
			}
			return s.store.UpdateRun(ctx, run.ID, RunHeld, 0, note, now)
		}
		if err != nil {
			return err // the database: tried again at the next tick
		}
	}
	r.Started++
	s.log.Info("run started", "run", run.ID, "message", run.MessageKey, "version", run.Version, "due", run.DueAt, "channels", run.Channels)
	return s.fanOut(ctx, run, now, r)
}

// fanOut writes the run's deliveries on every channel its message has text for.
func (s *Scheduler) fanOut(ctx context.Context, run DueRun, now time.Time, r *Report) error {
	rc, err := s.store.RunContent(ctx, run.ID)
	if err != nil {
		return err
	}
	aud, err := ParseAudience(run.Audience)
	if err != nil {
		return err
	}
	for _, ch := range run.Channels {
		if rc.Version.Variants.Get(ch) == "" {
			continue // this message says nothing on this channel
		}
		a := aud.For(rc.Version.Topic)
		a.ByPhone = ch == content.Zalo && strings.HasPrefix(run.Mode, "zns:")
		manual, assignee := ch.ByPerson(), ""
		if manual { // the person the schedule names, else the channel's, else its role
			assignee = cmp.Or(a.To, s.cfg.Assignees[ch], defaultAssignees[ch])
		}
		n, err := s.store.FanOut(ctx, run.ID, ch, a, assignee, s.cfg.Batch, now)
		if err != nil {
			return fmt.Errorf("fan out on %s: %w", ch, err)
		}
		r.Queued += n
		if manual && n > 0 { // n counts new rows: a resumed fan-out does not tell twice
			s.alert.Alert(ctx, Alert{Kind: "assigned", To: assignee, Text: fmt.Sprintf("Việc mới (%s, %s): %s. Xem và xác nhận bằng /tasks hoặc loa tasks.",
				ch, run.DueAt.In(content.Zone).Format("15:04 02/01/2006"), rc.Version.Title)})
		}
		if len(a.Chats) > 0 || a.To != "" {
			continue // a run for named chats or a person is not for the groups
		}
		if ch == content.Zalo && run.Mode != "" && run.Mode != "promotion" {
			continue // consultation and ZNS messages are personal, not posts for the block groups
		}
		for group, admin := range s.cfg.Groups[ch] {
			if err := s.store.Assign(ctx, run.ID, ch, "group:"+group, admin, now); err != nil {
				return fmt.Errorf("assign %s: %w", group, err)
			}
			s.alert.Alert(ctx, Alert{Kind: "assigned", To: admin, Text: fmt.Sprintf("Việc mới: đăng «%s» vào nhóm Zalo %s", rc.Version.Title, group)})
		}
	}
	return s.store.MarkFannedOut(ctx, run.ID, now)
}

// Render returns what a delivery of run on ch says, templates filled for the
// run's day. Channels receive it in channels.Message.
func (s *Scheduler) Render(ctx context.Context, runID int64, ch content.Channel) (channels.Message, error) {
	rc, err := s.store.RunContent(ctx, runID)
	if err != nil {
		return channels.Message{}, err
	}
	v := rc.Version
	text, err := s.cfg.Renderer.Render(v.Key, ch, v.Variants.Get(ch), rc.Campaign, content.DateOf(rc.DueAt))
	if err != nil {
		return channels.Message{}, err
	}
	return channels.Message{RunID: runID, Channel: ch, Mode: rc.Mode, Title: v.Title, Text: text, Image: v.Image, MessageKey: v.Key, Version: v.Number}, nil
}
