package editorial

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// ScheduleRequest asks for a schedule of campaign Campaign's messages Keys.
type ScheduleRequest struct {
	Campaign string   // observance/year
	Keys     []string // message keys; several only for a rotation
	Schedule scheduler.Schedule
	Force    bool // allow writing to residents more than hourly
}

// CheckSchedule is every problem with a schedule of messages whose variants
// are given: the scheduler's rules, and a channel without a text in a
// message. Content files and the CLI apply the same checks.
func CheckSchedule(sc scheduler.Schedule, force bool, variants []content.Variants) []error {
	var errs []error
	if len(sc.Channels) == 0 {
		errs = append(errs, content.Errorf("cần ít nhất một kênh, ví dụ zalo,telegram", "at least one channel is needed, e.g. zalo,telegram"))
	}
	for _, ch := range sc.Channels {
		if !slices.Contains(content.Channels, ch) {
			errs = append(errs, content.Errorf("kênh %q không có", "unknown channel %q", ch))
		}
	}
	errs = append(errs, scheduler.CheckSchedule(sc, force)...)
	if len(variants) > 1 && sc.Kind != scheduler.KindRotation {
		errs = append(errs, content.Errorf("nhiều tin chỉ dùng với lịch luân phiên", "several messages need a rotation"))
	}
	for _, ch := range sc.Channels {
		if slices.Contains(content.Channels, ch) && !slices.ContainsFunc(variants, func(v content.Variants) bool { return v.Get(ch) != "" }) {
			errs = append(errs, content.Errorf("kênh %s không có nội dung trong tin (thêm mục \"## %s\")",
				"channel %s has no text in the message (add a \"## %s\" section)", ch, ch))
		}
	}
	return errs
}

// AddSchedule checks and adds the schedule r asks for, as actor, and
// returns its id. Problems come back joined, the first one first.
func (d *Desk) AddSchedule(ctx context.Context, actor staff.Actor, r ScheduleRequest) (int64, error) {
	if !actor.MayPlan() {
		return 0, staff.ErrForbidden
	}
	sc, _, err := d.checkRequest(ctx, r)
	if err != nil {
		return 0, err
	}
	id, err := d.DB.AddSchedule(ctx, sc, actor.Audit(), d.now())
	d.changed(err)
	return id, err
}

// checkRequest resolves r's campaign and messages into the schedule to add,
// refusing it with a *ScheduleError when a rule is broken.
func (d *Desk) checkRequest(ctx context.Context, r ScheduleRequest) (scheduler.Schedule, content.Campaign, error) {
	c, err := d.Campaign(ctx, r.Campaign)
	if err != nil {
		return scheduler.Schedule{}, c, err
	}
	sc := r.Schedule
	sc.CampaignID, sc.MessageIDs = c.ID, nil
	var variants []content.Variants
	for _, key := range r.Keys {
		m, err := d.Resolve(ctx, r.Campaign+"/"+strings.TrimSpace(key))
		if err != nil {
			return sc, c, err
		}
		sc.MessageIDs = append(sc.MessageIDs, m.ID)
		variants = append(variants, m.Variants)
	}
	if len(r.Keys) == 0 {
		return sc, c, &ScheduleError{Problems: []error{content.Errorf("chọn ít nhất một tin", "pick at least one message")}}
	}
	if errs := CheckSchedule(sc, r.Force, variants); len(errs) > 0 {
		return sc, c, &ScheduleError{Problems: errs}
	}
	return sc, c, nil
}

// NextTimes is when schedule r, once added, would send: its first n times
// from now within the campaign's window, or the problems that refuse it.
func (d *Desk) NextTimes(ctx context.Context, r ScheduleRequest, n int) ([]time.Time, error) {
	sc, c, err := d.checkRequest(ctx, r)
	if err != nil {
		return nil, err
	}
	spec, err := scheduler.ParseSpec(sc.Kind, sc.Spec, sc.Quiet)
	if err != nil {
		return nil, &ScheduleError{Problems: []error{err}}
	}
	times := spec.Times(c, d.now(), c.To.AddDays(1).Time(0, 0))
	return times[:min(n, len(times))], nil
}

// EditSchedule replaces schedule id with the one r asks for, checked as
// AddSchedule checks it, in one step: the old one's runs not started are
// cancelled. It returns the new schedule's id.
func (d *Desk) EditSchedule(ctx context.Context, actor staff.Actor, id int64, r ScheduleRequest) (int64, error) {
	if !actor.MayPlan() {
		return 0, staff.ErrForbidden
	}
	sc, _, err := d.checkRequest(ctx, r)
	if err != nil {
		return 0, err
	}
	newID, err := d.DB.ReplaceSchedule(ctx, id, sc, actor.Audit(), d.now())
	d.changed(err)
	if errors.Is(err, content.ErrNotFound) {
		return 0, content.Errorf("không có lịch gửi số %d", "there is no schedule %d", id)
	}
	return newID, err
}

// RemoveSchedule removes schedule id as actor and returns how many runs not
// yet started were cancelled.
func (d *Desk) RemoveSchedule(ctx context.Context, actor staff.Actor, id int64) (int, error) {
	if !actor.MayPlan() {
		return 0, staff.ErrForbidden
	}
	n, err := d.DB.RemoveSchedule(ctx, id, actor.Audit(), d.now())
	d.changed(err)
	if errors.Is(err, content.ErrNotFound) {
		return 0, content.Errorf("không có lịch gửi số %d", "there is no schedule %d", id)
	}
	return n, err
}

// Schedules lists the schedules of year (0: all).
func (d *Desk) Schedules(ctx context.Context, year int) ([]scheduler.ScheduleRow, error) {
	return d.DB.Schedules(ctx, scheduler.ScheduleFilter{Year: year})
}

// ScheduleError is a schedule refused, with every problem.
type ScheduleError struct{ Problems []error }

func (e *ScheduleError) Error() string { return e.Localize("en") }

// Localize says the first problem in lang, and how many more there are.
func (e *ScheduleError) Localize(lang string) string {
	s := content.Localize(e.Problems[0], lang)
	if n := len(e.Problems) - 1; n > 0 {
		if lang == "en" {
			s += fmt.Sprintf(" (and %d more problems)", n)
		} else {
			s += fmt.Sprintf(" (và %d lỗi khác)", n)
		}
	}
	return s
}

// Campaign returns campaign "observance/year".
func (d *Desk) Campaign(ctx context.Context, ref string) (content.Campaign, error) {
	obs, year, ok := strings.Cut(ref, "/")
	var y int
	if _, err := fmt.Sscanf(year, "%d", &y); !ok || err != nil || obs == "" {
		return content.Campaign{}, content.Errorf("chiến dịch ghi dạng ngày-lễ/năm, ví dụ action-month/2026, không phải %q",
			"a campaign is observance/year, e.g. action-month/2026, not %q", ref)
	}
	c, err := d.DB.Campaign(ctx, obs, y)
	if errors.Is(err, content.ErrNotFound) {
		return c, content.Errorf("chưa có chiến dịch %s (xem loa campaign list)", "there is no campaign %s (see loa campaign list)", ref)
	}
	return c, err
}
