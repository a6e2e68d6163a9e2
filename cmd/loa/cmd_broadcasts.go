package main

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"text/tabwriter"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/broadcast"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/store"
)

func (a *app) broadcastsCommand() *cobra.Command {
	var date string
	var week, audio bool
	cmd := &cobra.Command{
		Use:   "broadcasts [--date dd/mm/yyyy] [--week] [--audio]",
		Short: "Lịch phát thanh, kịch bản và âm thanh cho đài truyền thanh / the radio rota, scripts and audio",
		Long: `In lịch phát thanh với trạng thái, và ghi cho mỗi ngày vào loudspeaker.dir/YYYY-MM-DD/:
kịch bản in A4 (.html), bản chữ (.txt), bảng ngày (lich.html, lich.csv) và, với --audio, âm thanh (.wav, .mp3).
Prints the rota with states and writes, per day, under loudspeaker.dir/YYYY-MM-DD/: A4 scripts (.html),
text (.txt), the day sheet (lich.html, lich.csv) and, with --audio, audio (.wav, .mp3).`,
		Args: args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			day, err := a.dayFlag(date)
			if err != nil {
				return err
			}
			days := 1
			if week {
				day = day.AddDays(-((int(day.Weekday()) + 6) % 7)) // from Monday
				days = 7
			}
			scripts, err := a.scripts(cmd.Context(), db, day, days)
			if err != nil {
				return err
			}
			if audio {
				a.synthesize(cmd.Context(), scripts)
			}
			if err := a.writeBroadcasts(day, days, scripts); err != nil {
				return err
			}
			a.printRota(scripts, day, days)
			return nil
		}),
	}
	cmd.Flags().StringVar(&date, "date", "", "ngày / the day (default today)")
	cmd.Flags().BoolVar(&week, "week", false, "cả tuần, từ thứ Hai / the whole week from Monday")
	cmd.Flags().BoolVar(&audio, "audio", false, "tạo âm thanh bằng espeak-ng / synthesize audio with espeak-ng")

	var campaign, operator string
	rota := &cobra.Command{
		Use:   "rota --campaign C",
		Short: "Lập lịch luân phiên các kịch bản vào các khung giờ / fill the slots with the campaign's scripts in turn",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			c, err := campaignFlag(cmd.Context(), db, campaign)
			if err != nil {
				return err
			}
			ms, err := db.Messages(cmd.Context(), store.MessageFilter{CampaignID: c.ID})
			if err != nil {
				return err
			}
			var ids []int64
			for _, m := range ms {
				if m.Variants.Loudspeaker != "" && m.State != content.StateArchived {
					ids = append(ids, m.ID)
				}
			}
			if len(ids) == 0 {
				return content.Errorf("chiến dịch %s không có kịch bản loa nào", "campaign %s has no loudspeaker script", campaign)
			}
			// A rota is the campaign's whole loudspeaker plan: it replaces
			// the rotations made before (their planned runs are cancelled).
			old, err := db.Schedules(cmd.Context(), store.ScheduleFilter{CampaignID: c.ID})
			if err != nil {
				return err
			}
			for _, sc := range old {
				if sc.Kind == scheduler.KindRotation && slices.Equal(sc.Channels, []content.Channel{content.Loudspeaker}) {
					if _, err := db.RemoveSchedule(cmd.Context(), sc.ID, a.actor, a.now()); err != nil {
						return err
					}
					a.printf("Bỏ lịch #%d (%s) của lịch phát cũ.\n", "Removed schedule #%d (%s) of the previous rota.\n", sc.ID, sc.Spec)
				}
			}
			for _, s := range a.cfg.Loudspeaker.Slots {
				id, err := db.AddSchedule(cmd.Context(), scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindRotation, Spec: s.Cron(),
					Channels: []content.Channel{content.Loudspeaker}, Audience: "to:" + operator, MessageIDs: ids}, a.actor, a.now())
				if err != nil {
					return err
				}
				a.printf("Lịch #%d: khung %s (%s), %d kịch bản luân phiên, giao cho %s.\n", "Schedule #%d: slot %s (%s), %d scripts in turn, assigned to %s.\n",
					id, s.Label(), s.Name, len(ids), operator)
			}
			return nil
		}),
	}
	rota.Flags().StringVar(&campaign, "campaign", "", "chiến dịch / campaign, e.g. action-month/2026")
	rota.Flags().StringVar(&operator, "operator", "operator", "người phát / who airs them")
	cmd.AddCommand(rota)
	return cmd
}

// scripts builds the loudspeaker scripts due in [day, day+days): runs that
// started (with their task's state), runs planned or held, and times the
// schedules will plan, so the week's sheet can be printed in advance.
func (a *app) scripts(ctx context.Context, db *store.DB, day content.Date, days int) ([]broadcast.Script, error) {
	from, to := day.Time(0, 0), day.AddDays(days).Time(0, 0)
	lines, err := a.upcoming(ctx, db, from, to) // planned, held, and not yet planned
	if err != nil {
		return nil, err
	}
	started, err := db.Runs(ctx, store.RunFilter{From: from, To: to,
		States: []scheduler.RunState{scheduler.RunRunning, scheduler.RunDone, scheduler.RunMissed}})
	if err != nil {
		return nil, err
	}
	for _, r := range started {
		lines = append(lines, planned{Run: r.ID, At: r.DueAt, State: a.runState(r.State), run: r})
	}
	if err := a.describe(ctx, db, lines[len(lines)-len(started):]); err != nil {
		return nil, err
	}
	tasks, err := db.Deliveries(ctx, store.DeliveryFilter{Channel: content.Loudspeaker, DueFrom: from, DueTo: to})
	if err != nil {
		return nil, err
	}
	taskState := map[int64]string{}
	for _, d := range tasks {
		taskState[d.RunID] = a.deliveryState(d.State)
	}
	norm := speech.New(a.cfg.Loudspeaker.Abbreviations)
	ward := a.cfg.Ward.Name
	var out []broadcast.Script
	for _, l := range lines {
		if !slices.Contains(l.Channels, string(content.Loudspeaker)) {
			continue
		}
		m, err := db.Message(ctx, l.run.MessageID)
		if err != nil {
			return nil, err
		}
		text, err := a.renderFor(ctx, db, m, content.Loudspeaker, l.At)
		if err != nil {
			return nil, err
		}
		approver, err := db.Approver(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		state := l.State
		if st, ok := taskState[l.Run]; ok {
			state = st
		}
		if l.Waiting {
			state += a.t(" · chờ duyệt", " · not approved")
			// A rotation airs the next approved script in its place.
			if next, ok, err := db.NextApproved(ctx, l.run.ScheduleID, m.ID); err != nil {
				return nil, err
			} else if ok {
				nm, err := db.Message(ctx, next)
				if err != nil {
					return nil, err
				}
				state += a.t(", chưa duyệt kịp thì phát «%s»", ", else «%s» airs", nm.Title)
			}
		}
		s := broadcast.Script{At: l.At, Slot: l.At.In(content.Zone).Format("15:04"), MessageKey: m.Key, Version: m.Version,
			Title: m.Title, Opening: broadcast.Opening(ward), Body: text, Closing: broadcast.Closing(ward),
			Approver: approver, State: state}
		s.Spoken = norm.Text(s.Opening + "\n\n" + s.Body + "\n\n" + s.Closing)
		s.Reading = content.ReadingTime(s.Spoken, a.cfg.Content.Pace)
		for _, slot := range a.cfg.Loudspeaker.Slots {
			if slot.Label() == s.Slot {
				s.Max = slot.Max
			}
		}
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(x, y broadcast.Script) int { return x.At.Compare(y.At) })
	return out, nil
}

// renderFor renders message m's text for ch as it will be sent at t.
func (a *app) renderFor(ctx context.Context, db *store.DB, m content.Message, ch content.Channel, t time.Time) (string, error) {
	obsKey, _, _ := strings.Cut(m.Campaign, "/")
	c, err := db.Campaign(ctx, obsKey, campaignYear(m.Campaign))
	if err != nil {
		return "", err
	}
	o, ok := a.cfg.Observance(obsKey)
	if !ok {
		o = content.Observance{Key: obsKey, Name: c.Name}
	}
	data := content.DataFor(a.cfg.Ward.Name, o, c, content.DateOf(t), a.cfg.Content.Hotlines)
	return content.Render(m.Key, ch, m.Variants.Get(ch), data)
}

func (a *app) fileBase(s broadcast.Script) string {
	return filepath.Join(a.cfg.Loudspeaker.Dir, content.DateOf(s.At).String(), strings.ReplaceAll(s.Slot, ":", "")+"-"+s.MessageKey)
}

// printScriptFiles lists the printable script and audio of a slot's task,
// or says how to make them.
func (a *app) printScriptFiles(d store.Delivery) {
	base := a.fileBase(broadcast.Script{At: d.DueAt, Slot: d.DueAt.In(content.Zone).Format("15:04"), MessageKey: d.MessageKey})
	var found []string
	for _, ext := range []string{".html", ".txt", ".tts.txt", ".mp3", ".wav"} {
		if _, err := os.Stat(base + ext); err == nil {
			found = append(found, base+ext)
		}
	}
	if len(found) == 0 {
		a.printf("\nChưa có bản in và âm thanh: loa broadcasts --date %s --audio\n", "\nNo printout or audio yet: loa broadcasts --date %s --audio\n",
			content.DateOf(d.DueAt).Short())
		return
	}
	a.printf("\nTệp kèm:\n", "\nFiles:\n")
	for _, f := range found {
		fmt.Fprintf(a.stdout, "  %s\n", f)
	}
}

// synthesize makes each script's audio; without espeak-ng it says so once.
func (a *app) synthesize(ctx context.Context, scripts []broadcast.Script) {
	synth := speech.FindSynth()
	for i := range scripts {
		s := &scripts[i]
		wav := a.fileBase(*s) + ".wav"
		d, err := synth.WAV(ctx, s.Spoken, a.cfg.Content.Pace, wav)
		if errors.Is(err, speech.ErrNoSynth) {
			a.printf("Không có espeak-ng: chỉ có kịch bản, không có âm thanh (apt-get install espeak-ng lame).\n",
				"No espeak-ng: scripts only, no audio (apt-get install espeak-ng lame).\n")
			return
		}
		if err != nil {
			a.log.Error("synthesize", "script", s.MessageKey, "err", err)
			continue
		}
		s.Audio, s.AudioLen = filepath.Base(wav), d
		if mp3 := strings.TrimSuffix(wav, ".wav") + ".mp3"; synth.Lame != "" && synth.MP3(ctx, wav, mp3) == nil {
			s.Audio = filepath.Base(mp3)
		}
		a.log.Debug("audio", "file", wav, "duration", d, "estimate", s.Reading)
	}
}

func (a *app) writeBroadcasts(day content.Date, days int, scripts []broadcast.Script) error {
	byDay := map[content.Date][]broadcast.Script{}
	for _, s := range scripts {
		base := a.fileBase(s)
		if err := os.MkdirAll(filepath.Dir(base), 0o750); err != nil {
			return err
		}
		var html bytes.Buffer
		if err := s.WriteHTML(&html); err != nil {
			return err
		}
		if err := os.WriteFile(base+".html", html.Bytes(), 0o640); err != nil {
			return err
		}
		if err := os.WriteFile(base+".txt", []byte(s.Text()), 0o640); err != nil {
			return err
		}
		// The words as they are to be said, for a vendor's text-to-speech.
		if err := os.WriteFile(base+".tts.txt", []byte(s.Spoken+"\n"), 0o640); err != nil {
			return err
		}
		byDay[content.DateOf(s.At)] = append(byDay[content.DateOf(s.At)], s)
	}
	write := func(dir, name, title string, ss []broadcast.Script) error {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
		var h, c bytes.Buffer
		if err := broadcast.WriteSheetHTML(&h, title, ss); err != nil {
			return err
		}
		if err := broadcast.WriteSheetCSV(&c, ss); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".html"), h.Bytes(), 0o640); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".csv"), c.Bytes(), 0o640)
	}
	for d, ss := range byDay {
		if err := write(filepath.Join(a.cfg.Loudspeaker.Dir, d.String()), "lich", "Lịch phát thanh "+d.WeekdayName("vi")+" "+d.Short(), ss); err != nil {
			return err
		}
	}
	if days == 7 {
		return write(filepath.Join(a.cfg.Loudspeaker.Dir, day.String()), "tuan", fmt.Sprintf("Lịch phát thanh tuần %s – %s", day.Short(), day.AddDays(6).Short()), scripts)
	}
	return nil
}

func (a *app) printRota(scripts []broadcast.Script, day content.Date, days int) {
	if len(scripts) == 0 {
		a.printf("Không có buổi phát nào từ %s (%d ngày).\n", "No broadcasts from %s (%d days).\n", day.Short(), days)
		return
	}
	tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
	fmt.Fprintln(tw, a.t("NGÀY\tKHUNG\tTIÊU ĐỀ\tĐỌC\tDUYỆT\tTRẠNG THÁI\t", "DATE\tSLOT\tTITLE\tREADS\tAPPROVER\tSTATE\t"))
	for _, s := range scripts {
		flag := ""
		if s.Overflows() {
			flag = a.t("QUÁ KHUNG GIỜ", "OVERFLOWS THE SLOT")
		}
		fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", content.DateOf(s.At).Short(), s.Slot, s.Title, s.Length().Round(time.Second), s.Approver, s.State, flag)
	}
	tw.Flush()
	a.printf("Kịch bản, bảng lịch và âm thanh ở %s\n", "Scripts, sheets and audio are in %s\n", a.cfg.Loudspeaker.Dir)
}
