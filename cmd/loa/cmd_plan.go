package main

import (
	"context"
	"encoding/json"
	"fmt"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// planned is one line of `loa plan`.
type planned struct {
	Run      int64            `json:"run,omitempty"` // 0: not planned yet
	At       time.Time        `json:"at"`
	Local    string           `json:"local"`
	Campaign string           `json:"campaign"`
	Message  string           `json:"message"`
	Title    string           `json:"title"`
	Version  int              `json:"version"` // the approved version it would send, 0 if none
	Waiting  bool             `json:"waiting_for_approval"`
	State    string           `json:"state"`
	Note     string           `json:"note,omitempty"`
	Channels []string         `json:"channels"`
	Audience map[string]int   `json:"audience"` // channel → estimated recipients
	MsgState content.State    `json:"message_state"`
	Warning  string           `json:"warning,omitempty"` // e.g. the same message on the same channel twice within a day
	run      scheduler.DueRun `json:"-"`
}

func (a *app) planCommand() *cobra.Command {
	var days int
	var asJSON, missed bool
	cmd := &cobra.Command{
		Use:   "plan",
		Short: "Những gì sẽ gửi: giờ, tin, kênh, số người nhận / what will go out: when, which message, where, to how many",
		Args:  args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if days < 1 || days > 400 {
				return usagef("--days từ 1 đến 400", "--days must be 1 to 400")
			}
			db, err := a.openStore(cmd.Context())
			if err != nil {
				return err
			}
			defer db.Close()
			var lines []planned
			if missed {
				lines, err = a.missedRuns(cmd.Context(), db)
			} else {
				lines, err = a.upcoming(cmd.Context(), db, a.now(), a.now().Add(time.Duration(days)*24*time.Hour))
			}
			if err != nil {
				return err
			}
			if asJSON {
				enc := json.NewEncoder(a.stdout)
				enc.SetIndent("", "  ")
				if lines == nil {
					lines = []planned{}
				}
				return enc.Encode(lines)
			}
			return a.printPlan(lines, missed, days)
		},
	}
	cmd.Flags().IntVar(&days, "days", 30, "bao nhiêu ngày tới / how many days ahead")
	cmd.Flags().BoolVar(&asJSON, "json", false, "in JSON / print JSON")
	cmd.Flags().BoolVar(&missed, "missed", false, "các lượt đã lỡ (không gửi muộn) / runs that were missed (never sent late)")
	return cmd
}

// upcoming lists runs due in [from, to): those planned already and those the
// schedules will plan, with the estimated audience of each channel.
func (a *app) upcoming(ctx context.Context, db *store.DB, from, to time.Time) ([]planned, error) {
	runs, err := db.Runs(ctx, store.RunFilter{From: from, To: to, States: []scheduler.RunState{scheduler.RunPlanned, scheduler.RunHeld}})
	if err != nil {
		return nil, err
	}
	seen := map[string]bool{}
	var lines []planned
	for _, r := range runs {
		seen[fmt.Sprint(r.ScheduleID, r.DueAt.Unix())] = true
		lines = append(lines, planned{Run: r.ID, At: r.DueAt, State: a.runState(r.State), Note: r.Note, run: r})
	}
	items, err := db.SchedulesToPlan(ctx)
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
			lines = append(lines, planned{At: nr.DueAt, State: a.t("chưa lập", "not yet planned"), run: r})
		}
	}
	slices.SortStableFunc(lines, func(x, y planned) int { return x.At.Compare(y.At) })
	if err := a.describe(ctx, db, lines); err != nil {
		return nil, err
	}
	runs = make([]scheduler.DueRun, len(lines))
	for i, l := range lines {
		runs[i] = l.run
	}
	for _, r := range scheduler.Repeats(runs) {
		e := lines[r.Earlier]
		lines[r.Run].Warning = a.t("cùng tin này đã gửi qua %s lúc %s theo một lịch khác: người dân sẽ nhận hai lần trong một ngày",
			"the same message goes on %s at %s by another schedule: residents would get it twice in a day", r.Channel, e.Local)
	}
	return lines, nil
}

func (a *app) missedRuns(ctx context.Context, db *store.DB) ([]planned, error) {
	runs, err := db.Runs(ctx, store.RunFilter{States: []scheduler.RunState{scheduler.RunMissed}})
	if err != nil {
		return nil, err
	}
	var lines []planned
	for _, r := range runs {
		lines = append(lines, planned{Run: r.ID, At: r.DueAt, State: a.runState(r.State), Note: r.Note, run: r})
	}
	return lines, a.describe(ctx, db, lines)
}

// describe fills each line's message, approval and audience.
func (a *app) describe(ctx context.Context, db *store.DB, lines []planned) error {
	msgs := map[int64]content.Message{}
	audience := map[string]int{}
	for i := range lines {
		l := &lines[i]
		m, ok := msgs[l.run.MessageID]
		if !ok {
			var err error
			if m, err = db.Message(ctx, l.run.MessageID); err != nil {
				return err
			}
			msgs[m.ID] = m
		}
		l.Local = l.At.In(content.Zone).Format("15:04 02/01/2006")
		l.Campaign, l.Message, l.Title, l.Version, l.MsgState = m.Campaign, m.Key, m.Title, m.ApprovedVersion, m.State
		l.Waiting = m.State != content.StateApproved
		l.Audience = map[string]int{}
		aud, err := scheduler.ParseAudience(l.run.Audience)
		if err != nil {
			return err
		}
		aud = aud.For(m.Topic)
		for _, ch := range l.run.Channels {
			if m.Variants.Get(ch) == "" {
				continue
			}
			l.Channels = append(l.Channels, string(ch))
			switch {
			case ch == content.Loudspeaker || ch == content.Banner:
				l.Audience[string(ch)] = 1 // one person airs or hangs it
			case len(aud.Chats) > 0:
				l.Audience[string(ch)] = len(aud.Chats)
			default:
				key := string(ch) + "/" + string(aud.Topic)
				n, ok := audience[key]
				if !ok {
					if n, err = db.CountAudience(ctx, ch, aud.Topic); err != nil {
						return err
					}
					audience[key] = n
				}
				l.Audience[string(ch)] = n
			}
		}
	}
	return nil
}

func (a *app) printPlan(lines []planned, missed bool, days int) error {
	if len(lines) == 0 {
		if missed {
			a.printf("Không có lượt nào bị lỡ.\n", "No missed runs.\n")
		} else {
			a.printf("Không có gì sẽ gửi trong %d ngày tới.\n", "Nothing goes out in the next %d days.\n", days)
		}
		return nil
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, a.t("GIỜ\tTIN\tBẢN\tKÊNH (NGƯỜI NHẬN)\tTRẠNG THÁI", "TIME\tMESSAGE\tVERSION\tCHANNELS (RECIPIENTS)\tSTATE"))
	for _, l := range lines {
		version := fmt.Sprintf("v%d", l.Version)
		if l.Waiting {
			version = a.t("chờ duyệt", "NOT APPROVED")
			if l.Version > 0 {
				version = a.t("v%d, bản mới chờ duyệt", "v%d, new version not approved", l.Version)
			}
		}
		var chans []string
		for _, ch := range l.Channels {
			chans = append(chans, fmt.Sprintf("%s (%d)", ch, l.Audience[ch]))
		}
		state := l.State
		if l.Note != "" {
			state += ": " + l.Note
		}
		if l.Warning != "" {
			state += " ⚠ " + l.Warning
		}
		fmt.Fprintf(tw, "%s\t%s/%s\t%s\t%s\t%s\n", l.Local, l.Campaign, l.Message, version, strings.Join(chans, ", "), state)
	}
	return tw.Flush()
}
