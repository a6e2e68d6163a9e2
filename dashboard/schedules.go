package dashboard

import (
	"errors"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// scheduleForm reads the campaign page's schedule form.
func scheduleForm(r *http.Request) editorial.ScheduleRequest {
	_ = r.ParseForm()
	req := editorial.ScheduleRequest{Campaign: r.PostFormValue("campaign"), Keys: r.PostForm["message"], Force: r.PostFormValue("force") == "yes"}
	sc := scheduler.Schedule{Kind: scheduler.Kind(r.PostFormValue("kind")), Spec: strings.TrimSpace(r.PostFormValue("spec")),
		Quiet: strings.TrimSpace(r.PostFormValue("quiet")), Audience: strings.TrimSpace(r.PostFormValue("audience"))}
	if sc.Audience == "" {
		sc.Audience = "all"
	}
	for _, ch := range r.PostForm["channel"] {
		sc.Channels = append(sc.Channels, content.Channel(ch))
	}
	req.Schedule = sc
	return req
}

type schedulePreview struct {
	Lang     string
	Describe string
	Audience map[content.Channel]int
	Clashes  []office.Clash
	Times    []time.Time
	Problems []error
}

// schedulePreview answers the form as the officer fills it: the next times
// the schedule would send, or what is wrong with it.
func (d *Dashboard) schedulePreview(q *request) {
	if !q.actor().MayPlan() {
		d.fail(q, staff.ErrForbidden)
		return
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 64<<10)
	req := scheduleForm(q.r)
	data := schedulePreview{Lang: q.lang, Describe: scheduler.Describe(req.Schedule.Kind, req.Schedule.Spec, q.lang)}
	times, err := d.cfg.Desk.NextTimes(q.ctx(), req, 5)
	var se *editorial.ScheduleError
	switch {
	case errors.As(err, &se):
		data.Problems = se.Problems
	case err != nil && status(err) == http.StatusBadRequest:
		data.Problems = []error{err}
	case err != nil:
		d.fail(q, err)
		return
	}
	data.Times = times
	if len(req.Keys) > 0 && len(times) > 0 {
		m, err := d.cfg.Desk.Resolve(q.ctx(), req.Campaign+"/"+req.Keys[0])
		if err != nil {
			d.fail(q, err)
			return
		}
		if data.Audience, err = d.cfg.Office.Estimate(q.ctx(), req.Schedule.Channels, req.Schedule.Audience, m.Topic); err != nil {
			data.Problems = append(data.Problems, err)
		}
		if data.Clashes, err = d.cfg.Office.Clashes(q.ctx(), req.Keys, req.Schedule.Channels, times); err != nil {
			d.fail(q, err)
			return
		}
	}
	d.write(q.w, q.r, http.StatusOK, "schedule", page{Lang: q.lang, Data: data})
}

func (d *Dashboard) addSchedule(q *request) {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 64<<10)
	req := scheduleForm(q.r)
	var err error
	if old, perr := strconv.ParseInt(q.r.PostFormValue("replace"), 10, 64); perr == nil && old > 0 {
		_, err = d.cfg.Desk.EditSchedule(q.ctx(), q.actor(), old, req)
	} else {
		_, err = d.cfg.Desk.AddSchedule(q.ctx(), q.actor(), req)
	}
	if err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/campaigns/"+req.Campaign+"#schedules", http.StatusSeeOther)
}

func (d *Dashboard) removeSchedule(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(q.w, q.r)
		return
	}
	if _, err := d.cfg.Desk.RemoveSchedule(q.ctx(), q.actor(), id); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, localPath(q.r.PostFormValue("back")), http.StatusSeeOther)
}
