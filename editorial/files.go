package editorial

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

// ImportReport is what an import found and did.
type ImportReport struct {
	Files    int
	Result   scheduler.ImportResult
	Errors   []*content.FileError // any error means nothing was saved
	Warnings []*content.FileError // saved anyway
}

// Import reads every .md file under fsys (in name order), checks all of them,
// and saves them in one transaction only if none has an error. Errors name
// file and line; each file's path is shown as prefix/path.
func (d *Desk) Import(ctx context.Context, fsys fs.FS, prefix, actor string, now time.Time) (ImportReport, error) {
	var rep ImportReport
	existing, err := d.existing(ctx)
	if err != nil {
		return rep, err
	}
	var items []scheduler.ImportItem
	seen := map[string]string{} // campaign/key → file
	err = fs.WalkDir(fsys, ".", func(p string, e fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if e.IsDir() || !strings.EqualFold(path.Ext(p), ".md") || strings.EqualFold(path.Base(p), "README.md") {
			return nil
		}
		data, err := fs.ReadFile(fsys, p)
		if err != nil {
			return err
		}
		rep.Files++
		name := filepath.Join(prefix, filepath.FromSlash(p))
		item, errs, warns := d.checkFile(name, data, existing, seen)
		rep.Errors = append(rep.Errors, errs...)
		rep.Warnings = append(rep.Warnings, warns...)
		if len(errs) == 0 {
			items = append(items, item)
		}
		return nil
	})
	if err != nil {
		return rep, fmt.Errorf("import: %w", err)
	}
	if len(rep.Errors) > 0 || len(items) == 0 {
		return rep, nil
	}
	rep.Result, err = d.DB.Import(ctx, items, actor, now)
	return rep, err
}

// existing maps "campaign/key" to the stored message.
func (d *Desk) existing(ctx context.Context) (map[string]content.Message, error) {
	ms, err := d.DB.Messages(ctx, content.MessageFilter{})
	if err != nil {
		return nil, err
	}
	out := make(map[string]content.Message, len(ms))
	for _, m := range ms {
		out[m.Campaign+"/"+m.Key] = m
	}
	return out, nil
}

func (d *Desk) checkFile(name string, data []byte, existing map[string]content.Message, seen map[string]string) (scheduler.ImportItem, []*content.FileError, []*content.FileError) {
	f, errs := content.ParseFile(name, data)
	if len(errs) > 0 && (f.Key == "" || f.Title == "" || !campaignKeyRE.MatchString(f.Campaign)) {
		return scheduler.ImportItem{}, errs, nil // too little to check further
	}
	at := func(line int, vi, en string, args ...any) *content.FileError {
		return &content.FileError{File: name, Line: line, Err: content.Errorf(vi, en, args...)}
	}
	obsKey, yearText, _ := strings.Cut(f.Campaign, "/")
	year, _ := strconv.Atoi(yearText)
	o, ok := d.Observance(obsKey)
	campaignLine := f.Lines.Fields["campaign"]
	switch {
	case !ok:
		return scheduler.ImportItem{}, append(errs, at(campaignLine, "ngày lễ %q không có trong lịch", "observance %q is not in the calendar", obsKey)), nil
	case !o.Enabled:
		return scheduler.ImportItem{}, append(errs, at(campaignLine, "ngày lễ %q đang tắt trong cấu hình", "observance %q is disabled in the configuration", obsKey)), nil
	case year < 2000 || year > 2100:
		return scheduler.ImportItem{}, append(errs, at(campaignLine, "năm %d không hợp lệ", "year %d is out of range", year)), nil
	}
	if f.Topic == content.TopicUnassigned {
		f.Topic = o.Topic
	}
	c := o.CampaignFor(year)
	draft, problems := content.Check(f.Draft, d.Rules(o, c))
	errs2 := errs // a front-matter typo does not hide the text's problems
	var warns []*content.FileError
	for _, p := range problems {
		fe := &content.FileError{File: name, Line: f.Lines.Line(p), Err: p}
		if p.Warning {
			warns = append(warns, fe)
		} else {
			errs2 = append(errs2, fe)
		}
	}
	id := f.Campaign + "/" + draft.Key
	if other, dup := seen[id]; dup {
		errs2 = append(errs2, at(f.Lines.Fields["key"], "khóa %q đã dùng trong %s", "key %q is already used by %s", draft.Key, other))
	}
	seen[id] = name
	if m, ok := existing[id]; ok && m.Draft != draft {
		if _, err := content.Next(m.State, content.ActEdit); err != nil {
			errs2 = append(errs2, at(f.Lines.Fields["key"],
				"tin %q (số %d) đang chờ duyệt nên không sửa được; hãy rút lại trước (loa content withdraw %d)",
				"message %q (id %d) is waiting for approval and cannot change; withdraw it first (loa content withdraw %d)",
				draft.Key, m.ID, m.ID))
		}
	}
	schedules, schedErrs := d.fileSchedules(name, f)
	errs2 = append(errs2, schedErrs...)
	return scheduler.ImportItem{Campaign: c, Draft: draft, Schedules: schedules}, errs2, warns
}

// fileSchedules turns a file's schedule entries into schedules, checking
// each rule with the scheduler's own parsers.
func (d *Desk) fileSchedules(name string, f content.File) ([]scheduler.Schedule, []*content.FileError) {
	var out []scheduler.Schedule
	var errs []*content.FileError
	for i, fs := range f.Schedules {
		line := f.Lines.Fields["schedules"]
		if i < len(f.Lines.Schedules) {
			line = f.Lines.Schedules[i]
		}
		fail := func(err error) {
			errs = append(errs, &content.FileError{File: name, Line: line, Err: content.Errorf("lịch gửi: %s", "schedule: %s", err)})
		}
		sc := FromFile(fs)
		if sc.Kind == "" {
			continue // reported by the parser
		}
		for _, err := range CheckSchedule(sc, fs.Force, []content.Variants{f.Variants}) {
			fail(err)
		}
		if fs.Grace != "" {
			g, err := time.ParseDuration(fs.Grace)
			if err != nil || g <= 0 {
				fail(fmt.Errorf("grace %q is not a duration (e.g. 2h)", fs.Grace))
			}
			sc.Grace = g
		}
		out = append(out, sc)
	}
	return out, errs
}

// FromFile turns a front-matter schedule into a schedule (no IDs yet).
func FromFile(fs content.FileSchedule) scheduler.Schedule {
	sc := scheduler.Schedule{Audience: strings.TrimSpace(fs.Audience), Quiet: strings.TrimSpace(fs.Quiet), Mode: strings.TrimSpace(fs.Mode), Source: "file"}
	if sc.Audience == "" {
		sc.Audience = "all"
	}
	switch at := strings.TrimSpace(fs.At); {
	case fs.Cron != "" && at == "":
		sc.Kind, sc.Spec = scheduler.KindCron, strings.TrimSpace(fs.Cron)
	case at != "" && fs.Cron == "" && strings.HasPrefix(at, "D"):
		sc.Kind, sc.Spec = scheduler.KindRelative, at
	case at != "" && fs.Cron == "":
		sc.Kind, sc.Spec = scheduler.KindAt, at
	}
	for _, ch := range fs.Channels {
		sc.Channels = append(sc.Channels, content.Channel(strings.TrimSpace(ch)))
	}
	return sc
}

// ToFile is FromFile's inverse, for export.
func ToFile(sc scheduler.Schedule) content.FileSchedule {
	fs := content.FileSchedule{Audience: sc.Audience, Quiet: sc.Quiet, Mode: sc.Mode}
	if fs.Audience == "all" {
		fs.Audience = ""
	}
	if sc.Kind == scheduler.KindCron {
		fs.Cron = sc.Spec
	} else {
		fs.At = sc.Spec
	}
	if sc.Grace > 0 {
		fs.Grace = sc.Grace.String()
	}
	for _, ch := range sc.Channels {
		fs.Channels = append(fs.Channels, string(ch))
	}
	return fs
}

var campaignKeyRE = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*/[0-9]{4}$`)

// Export writes the newest version of every message of year (every year when
// 0), archived ones excepted, to dir/observance-year/key.md, and returns how
// many files it wrote.
func (d *Desk) Export(ctx context.Context, dir string, year int) (int, error) {
	ms, err := d.DB.Messages(ctx, content.MessageFilter{Year: year})
	if err != nil {
		return 0, err
	}
	n := 0
	for _, m := range ms {
		if m.State == content.StateArchived {
			continue
		}
		sub := filepath.Join(dir, strings.ReplaceAll(m.Campaign, "/", "-"))
		if err := os.MkdirAll(sub, 0o755); err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		rows, err := d.DB.Schedules(ctx, scheduler.ScheduleFilter{MessageID: m.ID})
		if err != nil {
			return n, err
		}
		var schedules []content.FileSchedule
		for _, r := range rows {
			if r.Source == "file" && len(r.MessageIDs) == 1 {
				schedules = append(schedules, ToFile(r.Schedule))
			}
		}
		if err := os.WriteFile(filepath.Join(sub, m.Key+".md"), content.FormatFile(m, schedules), 0o644); err != nil {
			return n, fmt.Errorf("export: %w", err)
		}
		n++
	}
	return n, nil
}
