package loudspeaker

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/report"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/staff"
)

// Store is what the radio reads and plans with (store.DB).
type Store interface {
	AddSchedule(ctx context.Context, sc scheduler.Schedule, actor string, now time.Time) (int64, error)
	Approver(ctx context.Context, id int64) (string, error)
	Deliveries(ctx context.Context, f scheduler.DeliveryFilter) ([]scheduler.Delivery, error)
	Message(ctx context.Context, id int64) (content.Message, error)
	Messages(ctx context.Context, f content.MessageFilter) ([]content.Message, error)
	NextApproved(ctx context.Context, scheduleID, messageID int64) (int64, bool, error)
	RemoveSchedule(ctx context.Context, id int64, actor string, now time.Time) (cancelled int, err error)
	Schedules(ctx context.Context, f scheduler.ScheduleFilter) ([]scheduler.ScheduleRow, error)
}

// Radio is the ward radio's service: its rota of scripts in the slots, the
// scripts of a day or a week with their states, and their files.
type Radio struct {
	Office        *office.Office
	DB            Store
	Ward          string
	Slots         []Slot
	Dir           string            // where the day folders go: Dir/YYYY-MM-DD/
	Pace          int               // syllables a minute
	Abbreviations map[string]string // the ward's own, read out in full
	Frame         Frame             // the opening and closing read around each script; zero: the propaganda style
}

// Scripts returns the scripts of the days from day, in slot order: runs
// that started (with their task's state), runs planned or held, and times
// the schedules will plan.
func (r *Radio) Scripts(ctx context.Context, day content.Date, days int) ([]Script, error) {
	o := r.Office
	from, to := day.Time(0, 0), day.AddDays(days).Time(0, 0)
	lines, err := o.Plan(ctx, from, to) // planned, held, and not yet planned
	if err != nil {
		return nil, err
	}
	started, err := o.Started(ctx, from, to)
	if err != nil {
		return nil, err
	}
	lines = append(lines, started...)
	tasks, err := r.DB.Deliveries(ctx, scheduler.DeliveryFilter{Channel: content.Loudspeaker, DueFrom: from, DueTo: to})
	if err != nil {
		return nil, err
	}
	taskState := map[int64]scheduler.DeliveryState{}
	for _, d := range tasks {
		taskState[d.RunID] = d.State
	}
	norm := speech.New(r.Abbreviations)
	var out []Script
	for _, l := range lines {
		if !slices.Contains(l.Channels, content.Loudspeaker) {
			continue
		}
		m, err := r.DB.Message(ctx, l.Due.MessageID)
		if err != nil {
			return nil, err
		}
		text, err := o.RenderMessage(ctx, m, content.Loudspeaker, l.At)
		if err != nil {
			return nil, err
		}
		approver, err := r.DB.Approver(ctx, m.ID)
		if err != nil {
			return nil, err
		}
		opening, body, closing := r.Frame.Wrap(r.Ward, m.Title, text)
		s := Script{At: l.At, Slot: l.At.In(content.Zone).Format("15:04"), MessageKey: m.Key, Version: m.Version,
			Title: m.Title, Opening: opening, Body: body, Closing: closing,
			Approver: approver, Run: l.State, Waiting: l.Waiting}
		if st, ok := taskState[l.Run]; ok {
			s.Task = st
		}
		if l.Waiting {
			if next, ok, err := r.DB.NextApproved(ctx, l.Due.ScheduleID, m.ID); err != nil {
				return nil, err
			} else if ok {
				nm, err := r.DB.Message(ctx, next)
				if err != nil {
					return nil, err
				}
				s.Instead = nm.Title
			}
		}
		s.Spoken = norm.Text(s.Opening + "\n\n" + s.Body + "\n\n" + s.Closing)
		s.Reading = content.ReadingTime(s.Spoken, r.Pace)
		for _, slot := range r.Slots {
			if slot.Label() == s.Slot {
				s.Max = slot.Max
			}
		}
		s.State = s.StateText(i18n.Vietnamese)
		out = append(out, s)
	}
	slices.SortStableFunc(out, func(x, y Script) int { return x.At.Compare(y.At) })
	return out, nil
}

// StateText says where the script stands, for sheets and lists: its task's
// state once the run started, else the run's; and whether it waits for
// approval, with the script that airs instead.
func (s Script) StateText(lang string) string {
	state := i18n.Pick(lang, "chưa lập", "not yet planned")
	switch {
	case s.Task != "":
		state = s.Task.Label(lang)
	case s.Run != "":
		state = s.Run.Label(lang)
	}
	if s.Waiting {
		state += i18n.Pick(lang, " · chờ duyệt", " · not approved")
		if s.Instead != "" {
			state += i18n.Sprintf(lang, ", chưa duyệt kịp thì phát «%s»", ", else «%s» airs", s.Instead)
		}
	}
	return state
}

// Rota is what making a campaign's rota changed.
type Rota struct {
	Removed []scheduler.ScheduleRow // the previous rota's schedules
	Added   []RotaSlot
}

// RotaSlot is one slot of a new rota.
type RotaSlot struct {
	Schedule int64
	Slot     Slot
	Scripts  int
}

// ErrNoScripts refuses a rota for a campaign without a loudspeaker script.
var ErrNoScripts = i18n.Errorf("chiến dịch chưa có kịch bản phát thanh nào (ngoài bài tổng kết)", "the campaign has no loudspeaker script (besides its closing)")

// MakeRota fills every slot with campaign c's scripts in turn, assigned to
// operator, replacing the rota made before (its planned runs are cancelled).
func (r *Radio) MakeRota(ctx context.Context, actor staff.Actor, c content.Campaign, operator string) (Rota, error) {
	if !actor.MayPlan() {
		return Rota{}, staff.ErrForbidden
	}
	db, now := r.DB, r.Office.Now()
	var rota Rota
	ms, err := db.Messages(ctx, content.MessageFilter{CampaignID: c.ID})
	if err != nil {
		return rota, err
	}
	old, err := db.Schedules(ctx, scheduler.ScheduleFilter{CampaignID: c.ID})
	if err != nil {
		return rota, err
	}
	closing := scheduler.Closings(old, c)
	var ids []int64
	for _, m := range ms {
		if m.Variants.Loudspeaker != "" && m.State != content.StateArchived && !closing[m.ID] {
			ids = append(ids, m.ID)
		}
	}
	if len(ids) == 0 {
		return rota, ErrNoScripts
	}
	for _, sc := range old {
		if sc.Kind == scheduler.KindRotation && slices.Equal(sc.Channels, []content.Channel{content.Loudspeaker}) {
			if _, err := db.RemoveSchedule(ctx, sc.ID, actor.Audit(), now); err != nil {
				return rota, err
			}
			rota.Removed = append(rota.Removed, sc)
		}
	}
	for _, s := range r.Slots {
		id, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindRotation, Spec: s.Cron(),
			Channels: []content.Channel{content.Loudspeaker}, Audience: "to:" + operator, MessageIDs: ids}, actor.Audit(), now)
		if err != nil {
			return rota, err
		}
		rota.Added = append(rota.Added, RotaSlot{Schedule: id, Slot: s, Scripts: len(ids)})
	}
	return rota, nil
}

// Base is where a script's files go, without the extension:
// Dir/YYYY-MM-DD/HHMM-key.
func (r *Radio) Base(at time.Time, key string) string {
	return filepath.Join(r.Dir, content.DateOf(at).String(), at.In(content.Zone).Format("1504")+"-"+key)
}

// Files lists the files written for the script of key at at: printout,
// text, speech text, audio.
func (r *Radio) Files(at time.Time, key string) []string {
	base := r.Base(at, key)
	var found []string
	for _, ext := range []string{".html", ".txt", ".tts.txt", ".mp3", ".wav"} {
		if _, err := os.Stat(base + ext); err == nil {
			found = append(found, base+ext)
		}
	}
	return found
}

// Synthesize makes each script's audio (WAV, and MP3 when lame is there)
// with espeak-ng, and returns speech.ErrNoSynth when it is missing. A
// script whose audio fails is left without; the others go on.
func (r *Radio) Synthesize(ctx context.Context, scripts []Script) (failed []error, err error) {
	synth := speech.FindSynth()
	for i := range scripts {
		s := &scripts[i]
		wav := r.Base(s.At, s.MessageKey) + ".wav"
		if err := os.MkdirAll(filepath.Dir(wav), 0o750); err != nil {
			return failed, err
		}
		d, err := synth.WAV(ctx, s.Spoken, r.Pace, wav)
		if errors.Is(err, speech.ErrNoSynth) {
			return failed, err
		}
		if err != nil {
			failed = append(failed, fmt.Errorf("synthesize %s: %w", s.MessageKey, err))
			continue
		}
		s.Audio, s.AudioLen = filepath.Base(wav), d
		if mp3 := strings.TrimSuffix(wav, ".wav") + ".mp3"; synth.Lame != "" && synth.MP3(ctx, wav, mp3) == nil {
			s.Audio = filepath.Base(mp3)
		}
	}
	return failed, nil
}

// Write writes each script's printout, text and speech text, each day's
// sheet (lich.html, lich.csv) and, for a week from day, the week's (tuan).
func (r *Radio) Write(day content.Date, days int, scripts []Script) error {
	byDay := map[content.Date][]Script{}
	for _, s := range scripts {
		base := r.Base(s.At, s.MessageKey)
		if err := os.MkdirAll(filepath.Dir(base), 0o750); err != nil {
			return err
		}
		var html bytes.Buffer
		if err := s.WriteHTML(&html); err != nil {
			return err
		}
		for _, f := range []struct {
			ext  string
			data []byte
		}{{".html", html.Bytes()}, {".txt", []byte(s.Text())}, {".tts.txt", []byte(s.Spoken + "\n")}} {
			if err := os.WriteFile(base+f.ext, f.data, 0o640); err != nil {
				return err
			}
		}
		byDay[content.DateOf(s.At)] = append(byDay[content.DateOf(s.At)], s)
	}
	write := func(dir, name, title string, ss []Script) error {
		if err := os.MkdirAll(dir, 0o750); err != nil {
			return err
		}
		var h, c bytes.Buffer
		if err := WriteSheetHTML(&h, r.Ward, title, ss); err != nil {
			return err
		}
		if err := WriteSheetCSV(&c, ss); err != nil {
			return err
		}
		if err := os.WriteFile(filepath.Join(dir, name+".html"), h.Bytes(), 0o640); err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, name+".csv"), c.Bytes(), 0o640)
	}
	for d, ss := range byDay {
		if err := write(filepath.Join(r.Dir, d.String()), "lich", "Lịch phát thanh "+d.WeekdayName("vi")+" "+d.Short(), ss); err != nil {
			return err
		}
	}
	if days == 7 {
		return write(filepath.Join(r.Dir, day.String()), "tuan", fmt.Sprintf("Lịch phát thanh tuần %s – %s", day.Short(), day.AddDays(6).Short()), scripts)
	}
	return nil
}

// Airtime is the minutes a script takes on air: its title and body in the
// frame, read as normalized for speech.
func (r *Radio) Airtime(title, body string) float64 {
	opening, text, closing := r.Frame.Wrap(r.Ward, title, body)
	return report.Minutes(speech.New(r.Abbreviations).Text(opening+"\n\n"+text+"\n\n"+closing), r.Pace)
}
