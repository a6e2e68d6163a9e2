package office

import (
	"context"
	"fmt"
	"slices"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

// PlanLine is one run that will go out (or went out, or was missed).
type PlanLine struct {
	Run      int64              // 0: the planner has not planned it yet
	At       time.Time          // when it is due
	State    scheduler.RunState // "" when not planned yet
	Note     string             // why a run is held or missed
	Campaign string             // observance/year
	Message  string             // the message key
	Title    string
	Version  int           // the approved version it would send, 0 if none
	Waiting  bool          // the message is not approved (in its latest version)
	MsgState content.State // the message's state
	// Channels the run sends on that the message has a variant for, and the
	// estimated recipients of each (1 for a person-completed channel).
	Channels []content.Channel
	Audience map[content.Channel]int
	// Repeat is set when another schedule sends the same message on a
	// channel to residents earlier the same day.
	Repeat *Repeat
	Due    scheduler.DueRun // the run as the scheduler sees it
}

// Repeat is the earlier send of a repeated message.
type Repeat struct {
	Channel content.Channel
	Earlier time.Time
}

// Plan lists the runs due in [from, to): those planned already and those
// the schedules will plan, with each channel's estimated audience, and
// flags a message sent to the same residents twice a day.
func (o *Office) Plan(ctx context.Context, from, to time.Time) ([]PlanLine, error) {
	runs, err := o.DB.Runs(ctx, scheduler.RunFilter{From: from, To: to, States: []scheduler.RunState{scheduler.RunPlanned, scheduler.RunHeld}})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var lines []PlanLine
	for _, r := range runs {
		seen[fmt.Sprint(r.ScheduleID, r.DueAt.Unix())] = true
		lines = append(lines, PlanLine{Run: r.ID, At: r.DueAt, State: r.State, Note: r.Note, Due: r})
	}
	items, err := o.DB.SchedulesToPlan(ctx)
	if err != nil {
		return nil, err
	}
	for _, it := range items {
		spec, err := scheduler.ParseSpec(it.Schedule.Kind, it.Schedule.Spec, it.Schedule.Quiet)
		if err != nil {
			continue
		}
		after := from.Add(-time.Second) // what the planner has not planned yet
		if it.Schedule.PlannedUntil.After(after) {
			after = it.Schedule.PlannedUntil
		}
		for _, nr := range scheduler.Due(spec, it, after, to.Add(-time.Second)) {
			if seen[fmt.Sprint(it.Schedule.ID, nr.DueAt.Unix())] {
				continue
			}
			r := scheduler.DueRun{Run: scheduler.Run{ScheduleID: it.Schedule.ID, DueAt: nr.DueAt, MessageID: nr.MessageID,
				Channels: it.Schedule.Channels, Audience: it.Schedule.Audience}}
			lines = append(lines, PlanLine{At: nr.DueAt, Due: r})
		}
	}
	slices.SortStableFunc(lines, func(x, y PlanLine) int { return x.At.Compare(y.At) })
	if err := o.describe(ctx, lines); err != nil {
		return nil, err
	}
	due := make([]scheduler.DueRun, len(lines))
	for i, l := range lines {
		due[i] = l.Due
	}
	for _, r := range scheduler.Repeats(due) {
		lines[r.Run].Repeat = &Repeat{Channel: r.Channel, Earlier: lines[r.Earlier].At}
	}
	return lines, nil
}

// Missed lists the runs that were missed (never sent late).
func (o *Office) Missed(ctx context.Context) ([]PlanLine, error) {
	return o.runLines(ctx, scheduler.RunFilter{States: []scheduler.RunState{scheduler.RunMissed}})
}

// Started lists the runs due in [from, to) that started, finished or were missed.
func (o *Office) Started(ctx context.Context, from, to time.Time) ([]PlanLine, error) {
	return o.runLines(ctx, scheduler.RunFilter{From: from, To: to,
		States: []scheduler.RunState{scheduler.RunRunning, scheduler.RunDone, scheduler.RunMissed}})
}

func (o *Office) runLines(ctx context.Context, f scheduler.RunFilter) ([]PlanLine, error) {
	runs, err := o.DB.Runs(ctx, f)
	if err != nil {
		return nil, err
	}
	var lines []PlanLine
	for _, r := range runs {
		lines = append(lines, PlanLine{Run: r.ID, At: r.DueAt, State: r.State, Note: r.Note, Due: r})
	}
	return lines, o.describe(ctx, lines)
}

// describe fills each line's message, approval and audience.
func (o *Office) describe(ctx context.Context, lines []PlanLine) error {
	msgs := map[int64]content.Message{}
	for i := range lines {
		l := &lines[i]
		m, ok := msgs[l.Due.MessageID]
		if !ok {
			var err error
			if m, err = o.DB.Message(ctx, l.Due.MessageID); err != nil {
				return err
			}
			msgs[m.ID] = m
		}
		l.Campaign, l.Message, l.Title, l.Version, l.MsgState = m.Campaign, m.Key, m.Title, m.ApprovedVersion, m.State
		l.Waiting = m.State != content.StateApproved
		l.Audience = map[content.Channel]int{}
		aud, err := scheduler.ParseAudience(l.Due.Audience)
		if err != nil {
			return err
		}
		aud = aud.For(m.Topic)
		for _, ch := range l.Due.Channels {
			if m.Variants.Get(ch) == "" {
				continue
			}
			l.Channels = append(l.Channels, ch)
			switch {
			case ch.ByPerson():
				l.Audience[ch] = 1 // one person airs or hangs it
			case len(aud.Chats) > 0:
				l.Audience[ch] = len(aud.Chats)
			default:
				n, err := o.audienceOf(ctx, ch, aud.Topic)
				if err != nil {
					return err
				}
				l.Audience[ch] = n
			}
		}
	}
	return nil
}

// Estimate is how many recipients a schedule to audience on channels would
// reach with a message of topic (1 for a channel a person completes).
func (o *Office) Estimate(ctx context.Context, channels []content.Channel, audience string, topic content.Topic) (map[content.Channel]int, error) {
	aud, err := scheduler.ParseAudience(audience)
	if err != nil {
		return nil, err
	}
	aud = aud.For(topic)
	out := map[content.Channel]int{}
	for _, ch := range channels {
		switch {
		case ch.ByPerson():
			out[ch] = 1
		case len(aud.Chats) > 0:
			out[ch] = len(aud.Chats)
		default:
			n, err := o.audienceOf(ctx, ch, aud.Topic)
			if err != nil {
				return nil, err
			}
			out[ch] = n
		}
	}
	return out, nil
}

// Clash is a run already due on the day a new schedule would send the same
// message on the same channel: residents would get it twice that day.
type Clash struct {
	At      time.Time // the new send
	Earlier PlanLine  // what is there already
	Channel content.Channel
}

// Clashes finds, for sends of messages keys on channels at times, the runs
// already planned or scheduled that send one of them on one of those
// channels to residents the same day.
func (o *Office) Clashes(ctx context.Context, keys []string, channels []content.Channel, times []time.Time) ([]Clash, error) {
	if len(times) == 0 {
		return nil, nil
	}
	from := content.DateOf(times[0]).Time(0, 0)
	to := content.DateOf(times[len(times)-1]).AddDays(1).Time(0, 0)
	lines, err := o.Plan(ctx, from, to)
	if err != nil {
		return nil, err
	}
	var out []Clash
	for _, t := range times {
		for _, l := range lines {
			if !slices.Contains(keys, l.Message) || content.DateOf(l.At) != content.DateOf(t) {
				continue
			}
			for _, ch := range channels {
				if !ch.ByPerson() && slices.Contains(l.Channels, ch) {
					out = append(out, Clash{At: t, Earlier: l, Channel: ch})
				}
			}
		}
	}
	return out, nil
}
