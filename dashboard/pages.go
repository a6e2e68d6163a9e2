package dashboard

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// MayApprove and the others let a page show only the buttons the person's
// role may press; the services check again on every press.
func (p page) MayApprove() bool { return p.User.As(staff.Web).MayApprove() }

// MayDraft reports whether the person may write and submit content.
func (p page) MayDraft() bool { return p.User.As(staff.Web).MayDraft() }

// MayPlan reports whether the person may plan sends and resend.
func (p page) MayPlan() bool { return p.User.As(staff.Web).MayPlan() }

type dayPlan struct {
	Day   content.Date
	Lines []office.PlanLine
}

type todayData struct {
	Today    content.Date
	Days     []dayPlan
	Pending  []editorial.Pending
	Rejected []content.Message
	Tasks    office.Tasks
	Missed   []office.PlanLine
	Held     []office.PlanLine
	Failures []scheduler.Delivery
	Troubles []string
	Notices  []notify.Notice
	// OutsideZalo are the staff Zalo cannot reach now (for the office).
	OutsideZalo []notify.Reach
}

func (d *Dashboard) now() time.Time { return d.cfg.Office.Now() }

func (d *Dashboard) today(q *request) {
	ctx, now := q.ctx(), d.now()
	today := content.DateOf(now)
	data := todayData{Today: today}
	lines, err := d.cfg.Office.Plan(ctx, now, today.AddDays(8).Time(0, 0))
	if err != nil {
		d.fail(q, err)
		return
	}
	for _, l := range lines {
		day := content.DateOf(l.At)
		if n := len(data.Days); n == 0 || data.Days[n-1].Day != day {
			data.Days = append(data.Days, dayPlan{Day: day})
		}
		data.Days[len(data.Days)-1].Lines = append(data.Days[len(data.Days)-1].Lines, l)
		if l.State == scheduler.RunHeld {
			data.Held = append(data.Held, l)
		}
	}
	actor := q.actor()
	if actor.MayApprove() {
		if data.Pending, err = d.cfg.Desk.Pending(ctx); err != nil {
			d.fail(q, err)
			return
		}
	}
	if actor.MayDraft() {
		if data.Rejected, err = d.cfg.Desk.Messages(ctx, content.MessageFilter{State: content.StateRejected}); err != nil {
			d.fail(q, err)
			return
		}
	}
	if data.Tasks, err = d.cfg.Office.Tasks(ctx, actor, office.TaskFilter{Mine: true, ByRole: true}); err != nil {
		d.fail(q, err)
		return
	}
	if data.Missed, err = d.cfg.Office.Missed(ctx); err != nil {
		d.fail(q, err)
		return
	}
	if data.Failures, err = d.cfg.Office.Failures(ctx, 10); err != nil {
		d.fail(q, err)
		return
	}
	if d.cfg.Notices != nil {
		if data.Notices, err = d.cfg.Notices.Recent(ctx, q.user, 8); err != nil {
			d.fail(q, err)
			return
		}
		if actor.MayPlan() {
			reach, err := d.cfg.Notices.ZaloReach(ctx)
			if err != nil {
				d.fail(q, err)
				return
			}
			for _, r := range reach {
				if !r.InWindow {
					data.OutsideZalo = append(data.OutsideZalo, r)
				}
			}
		}
	}
	if d.cfg.Problems != nil {
		for _, t := range d.cfg.Problems(ctx) {
			data.Troubles = append(data.Troubles, t.In(q.lang))
		}
	}
	d.render(q, http.StatusOK, "today", "today", word(q.lang, "today"), data)
}

type calendarDay struct {
	Day       content.Date
	InMonth   bool
	Today     bool
	Campaigns []content.Campaign // whose window holds the day
	Observed  []content.Campaign // whose observance falls on the day
	Opens     []content.Campaign // whose observance starts on the day (its name is shown there)
	Lines     []office.PlanLine
}

type calendarData struct {
	Month      time.Time
	Prev, Next string
	Weeks      [][]calendarDay
	Selected   *calendarDay
	Campaigns  []editorial.CampaignSummary
}

// calendar shows a month grid (?month=2026-11) with each day's runs, and
// a day's runs in full (?day=2026-11-25).
func (d *Dashboard) calendar(q *request) {
	ctx := q.ctx()
	today := content.DateOf(d.now())
	month := time.Date(today.Year, today.Month, 1, 0, 0, 0, 0, content.Zone)
	var selected content.Date
	if s := q.r.URL.Query().Get("day"); s != "" {
		t, err := time.ParseInLocation("2006-01-02", s, content.Zone)
		if err != nil {
			d.fail(q, i18n.Errorf("ngày %q không đúng dạng YYYY-MM-DD", "day %q is not YYYY-MM-DD", s))
			return
		}
		selected = content.DateOf(t)
		month = time.Date(t.Year(), t.Month(), 1, 0, 0, 0, 0, content.Zone)
	}
	if s := q.r.URL.Query().Get("month"); s != "" {
		t, err := time.ParseInLocation("2006-01", s, content.Zone)
		if err != nil {
			d.fail(q, i18n.Errorf("tháng %q không đúng dạng YYYY-MM", "month %q is not YYYY-MM", s))
			return
		}
		month = t
	}
	// The grid runs Monday to Sunday around the month.
	first := content.DateOf(month)
	start := first.AddDays(-((int(month.Weekday()) + 6) % 7))
	end := content.DateOf(month.AddDate(0, 1, 0))
	gridEnd := end.AddDays((7 - (int(end.Time(0, 0).Weekday())+6)%7) % 7)
	from, to := start.Time(0, 0), gridEnd.Time(0, 0)
	lines, err := d.cfg.Office.Started(ctx, from, to)
	if err != nil {
		d.fail(q, err)
		return
	}
	planned, err := d.cfg.Office.Plan(ctx, from, to)
	if err != nil {
		d.fail(q, err)
		return
	}
	for _, l := range planned {
		if l.Run == 0 || !slices.ContainsFunc(lines, func(x office.PlanLine) bool { return x.Run == l.Run }) {
			lines = append(lines, l)
		}
	}
	slices.SortStableFunc(lines, func(a, b office.PlanLine) int { return a.At.Compare(b.At) })
	cs, err := d.cfg.Desk.Campaigns(ctx, month.Year())
	if err != nil {
		d.fail(q, err)
		return
	}
	data := calendarData{Month: month, Campaigns: cs,
		Prev: month.AddDate(0, -1, 0).Format("2006-01"), Next: month.AddDate(0, 1, 0).Format("2006-01")}
	var week []calendarDay
	for day := start; day.Before(gridEnd); day = day.AddDays(1) {
		cd := calendarDay{Day: day, InMonth: day.Month == month.Month(), Today: day == today}
		for _, c := range cs {
			if c.Contains(day) {
				cd.Campaigns = append(cd.Campaigns, c.Campaign)
			}
			if !day.Before(c.Starts) && !c.Ends.Before(day) {
				cd.Observed = append(cd.Observed, c.Campaign)
			}
			if day == c.Starts {
				cd.Opens = append(cd.Opens, c.Campaign)
			}
		}
		for _, l := range lines {
			if content.DateOf(l.At) == day {
				cd.Lines = append(cd.Lines, l)
			}
		}
		if day == selected {
			c := cd
			data.Selected = &c
		}
		week = append(week, cd)
		if len(week) == 7 {
			data.Weeks = append(data.Weeks, week)
			week = nil
		}
	}
	d.render(q, http.StatusOK, "calendar", "calendar", word(q.lang, "calendar"), data)
}

type campaignData struct {
	Campaign  content.Campaign
	Messages  []content.Message
	Schedules []scheduler.ScheduleRow
	Banners   []banner.Line
	Runs      []office.PlanLine
	ByState   map[content.State]int
	Editing   *scheduler.ScheduleRow  // the schedule the form edits (?edit=N), nil for a new one
	Counts    map[int64]office.Counts // each run's deliveries
}

// Picked reports whether the form has key among its messages.
func (c campaignData) Picked(key string) bool {
	return c.Editing != nil && slices.Contains(c.Editing.MessageKeys, key)
}

// Sends reports whether the form's schedule sends on ch.
func (c campaignData) Sends(ch content.Channel) bool {
	return c.Editing != nil && slices.Contains(c.Editing.Channels, ch)
}

func (d *Dashboard) campaign(q *request) {
	ctx := q.ctx()
	ref := q.r.PathValue("obs") + "/" + q.r.PathValue("year")
	c, err := d.cfg.Desk.Campaign(ctx, ref)
	if err != nil {
		d.fail(q, err)
		return
	}
	data := campaignData{Campaign: c, ByState: map[content.State]int{}}
	if data.Messages, err = d.cfg.Desk.Messages(ctx, content.MessageFilter{CampaignID: c.ID}); err != nil {
		d.fail(q, err)
		return
	}
	for _, m := range data.Messages {
		data.ByState[m.State]++
	}
	all, err := d.cfg.Desk.Schedules(ctx, c.Year)
	if err != nil {
		d.fail(q, err)
		return
	}
	edit, _ := strconv.ParseInt(q.r.URL.Query().Get("edit"), 10, 64)
	for _, s := range all {
		if s.CampaignID == c.ID {
			data.Schedules = append(data.Schedules, s)
			if s.ID == edit {
				data.Editing = &s
			}
		}
	}
	if data.Banners, err = d.cfg.Office.Banners(ctx, banner.Filter{CampaignID: c.ID}); err != nil {
		d.fail(q, err)
		return
	}
	runs, err := d.cfg.Office.Started(ctx, c.From.Time(0, 0), c.To.AddDays(1).Time(0, 0))
	if err != nil {
		d.fail(q, err)
		return
	}
	data.Counts = map[int64]office.Counts{}
	for _, r := range runs {
		if r.Campaign == c.Key() {
			data.Runs = append(data.Runs, r)
			if data.Counts[r.Run], err = d.cfg.Office.Counts(ctx, r.Run); err != nil {
				d.fail(q, err)
				return
			}
		}
	}
	d.render(q, http.StatusOK, "campaign", "calendar", c.Name, data)
}

type approvalsData struct {
	Pending []editorial.Pending
	Names   map[string]string // submitters' full names by login
}

func (d *Dashboard) approvals(q *request) {
	ps, err := d.cfg.Desk.Pending(q.ctx())
	if err != nil {
		d.fail(q, err)
		return
	}
	data := approvalsData{Pending: ps, Names: map[string]string{}}
	for _, p := range ps {
		if n := p.Message.SubmittedBy; n != "" {
			data.Names[n] = d.person(q, n).FullName
		}
	}
	d.render(q, http.StatusOK, "approvals", "approvals", word(q.lang, "approvals"), data)
}

type variantDiff struct {
	Channel  content.Channel
	Old, New string
}

type messageData struct {
	Preview  editorial.Preview
	History  editorial.History
	Diff     []variantDiff
	Approved int // the approved version compared with, 0 if none
	Spoken   string
	ImageURL string
	CanSpeak bool
	// Submitter is who submitted the version waiting, by full name.
	Submitter string
}

func (d *Dashboard) messageID(q *request) (int64, bool) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil || id <= 0 {
		d.fail(q, i18n.Errorf("không có tin %q", "there is no message %q", q.r.PathValue("id")))
		return 0, false
	}
	return id, true
}

func (d *Dashboard) messageData(q *request) (messageData, bool) {
	id, ok := d.messageID(q)
	if !ok {
		return messageData{}, false
	}
	ctx := q.ctx()
	p, err := d.cfg.Desk.Preview(ctx, strconv.FormatInt(id, 10), 0, false)
	if err != nil {
		d.fail(q, err)
		return messageData{}, false
	}
	h, err := d.cfg.Desk.History(ctx, p.Message)
	if err != nil {
		d.fail(q, err)
		return messageData{}, false
	}
	data := messageData{Preview: p, History: h, ImageURL: d.imageURL(p.Draft.Image), CanSpeak: d.cfg.Synth.Espeak != "" && d.cfg.Speech != nil}
	if n := p.Message.SubmittedBy; n != "" {
		data.Submitter = d.person(q, n).FullName
	}
	m := p.Message
	if m.ApprovedVersion > 0 && m.ApprovedVersion != m.Version && m.ApprovedVersion <= len(h.Versions) {
		data.Approved = m.ApprovedVersion
		old := h.Versions[m.ApprovedVersion-1].Draft
		for _, ch := range content.Channels {
			if a, b := old.Variants.Get(ch), m.Variants.Get(ch); a != b {
				data.Diff = append(data.Diff, variantDiff{ch, a, b})
			}
		}
		if old.Title != m.Title {
			data.Diff = append([]variantDiff{{"", old.Title, m.Title}}, data.Diff...)
		}
	}
	if d.cfg.Speech != nil {
		for _, v := range p.Variants {
			if v.Channel == content.Loudspeaker && v.Text != "" {
				data.Spoken = d.cfg.Speech.Text(v.Text)
			}
		}
	}
	return data, true
}

// PreviewData is the message's preview as the editor's preview shows it.
func (m messageData) PreviewData(lang string) previewData {
	return previewData{Preview: m.Preview, Spoken: m.Spoken, Lang: lang, ImageURL: m.ImageURL, CanSpeak: m.CanSpeak, Message: m.Preview.Message.ID}
}

func (d *Dashboard) message(q *request) {
	data, ok := d.messageData(q)
	if !ok {
		return
	}
	d.render(q, http.StatusOK, "message", "approvals", data.Preview.Message.Title, data)
}

type slipData struct {
	messageData
	Submitter, Approver staff.User
	ApprovedAt          time.Time
}

// slip is the printable approval slip (phiếu duyệt) of a message's
// approved version: what was approved, by whom, with their title.
func (d *Dashboard) slip(q *request) {
	data, ok := d.messageData(q)
	if !ok {
		return
	}
	s := slipData{messageData: data}
	for _, e := range data.History.Log {
		switch e.Action {
		case string(content.ActSubmit):
			s.Submitter = d.person(q, e.Actor)
		case string(content.ActApprove):
			s.Approver, s.ApprovedAt = d.person(q, e.Actor), e.At
		}
	}
	d.render(q, http.StatusOK, "slip", "approvals", word(q.lang, "slip_title"), s)
}

// person is the account named name, or a stand-in with that name.
func (d *Dashboard) person(q *request, name string) staff.User {
	u, err := d.cfg.Accounts.Store.User(q.ctx(), name)
	if err != nil {
		return staff.User{Name: name, FullName: name}
	}
	return u
}

func (d *Dashboard) transition(q *request) {
	id, ok := d.messageID(q)
	if !ok {
		return
	}
	action := content.Action(q.r.PathValue("action"))
	switch action {
	case content.ActSubmit, content.ActWithdraw, content.ActApprove, content.ActReject, content.ActArchive, content.ActRestore:
	default:
		http.NotFound(q.w, q.r)
		return
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 64<<10)
	if _, err := d.cfg.Desk.TransitionID(q.ctx(), q.actor(), id, action, q.r.PostFormValue("reason")); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/messages/"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (d *Dashboard) runs(q *request) {
	rs, err := d.cfg.Office.Recent(q.ctx())
	if err != nil {
		d.fail(q, err)
		return
	}
	slices.Reverse(rs)
	d.render(q, http.StatusOK, "runs", "runs", word(q.lang, "runs"), rs)
}

type runData struct {
	Ledger office.Ledger
	Total  int
	Done   int // sent or completed, failed for good, or skipped
	Live   bool
	// Resendable: the run has unknown or dead deliveries to send again.
	Resendable bool
}

// run shows one run's ledger; while it runs, the page asks for its counts
// every two seconds (the "fragment" template).
func (d *Dashboard) run(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		d.fail(q, office.ErrNoRun)
		return
	}
	l, err := d.cfg.Office.Ledger(q.ctx(), id)
	if err != nil {
		d.fail(q, err)
		return
	}
	data := runData{Ledger: l, Live: l.Run != nil && (l.Run.State == scheduler.RunRunning || l.Run.State == scheduler.RunPlanned)}
	for _, states := range l.Counts {
		for st, n := range states {
			data.Total += n
			if st != scheduler.Queued && st != scheduler.Sending {
				data.Done += n
			}
			if (st == scheduler.Unknown || st == scheduler.Dead) && n > 0 {
				data.Resendable = true
			}
		}
	}
	d.render(q, http.StatusOK, "run", "runs", word(q.lang, "run")+" #"+q.r.PathValue("id"), data)
}

func (d *Dashboard) resend(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		d.fail(q, office.ErrNoRun)
		return
	}
	state := scheduler.DeliveryState(q.r.PostFormValue("state"))
	if state != scheduler.Unknown && state != scheduler.Dead {
		d.fail(q, i18n.Errorf("chỉ gửi lại các lượt không rõ hoặc đã bỏ cuộc", "only unknown or dead deliveries are resent"))
		return
	}
	if q.r.PostFormValue("confirm") != "yes" {
		d.fail(q, i18n.Errorf("hãy đánh dấu xác nhận trước khi gửi lại", "tick the confirmation before resending"))
		return
	}
	if _, err := d.cfg.Office.Resend(q.ctx(), q.actor(), id, state); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/runs/"+q.r.PathValue("id"), http.StatusSeeOther)
}

func (d *Dashboard) tasks(q *request) {
	ts, err := d.cfg.Office.Tasks(q.ctx(), q.actor(), office.TaskFilter{Mine: q.actor().Role != staff.Admin && !q.actor().MayPlan(), ByRole: true})
	if err != nil {
		d.fail(q, err)
		return
	}
	d.render(q, http.StatusOK, "tasks", "tasks", word(q.lang, "tasks"), ts)
}

func (d *Dashboard) confirm(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		d.fail(q, office.ErrNoTask)
		return
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 64<<10)
	c := office.Confirmation{Done: q.r.PostFormValue("done") == "yes", Note: q.r.PostFormValue("note")}
	if s := strings.TrimSpace(q.r.PostFormValue("reach")); s != "" {
		if c.Reach, err = strconv.Atoi(s); err != nil {
			d.fail(q, i18n.Errorf("số người nhận %q không phải một số", "reach %q is not a number", s))
			return
		}
	}
	if _, err := d.cfg.Office.Confirm(q.ctx(), q.actor(), id, c); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/tasks", http.StatusSeeOther)
}
