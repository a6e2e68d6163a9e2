package dashboard

import (
	"bytes"
	"cmp"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"strings"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/staff"
)

// The activities page: what the ward did besides what Loa sends (sessions
// with their participants, documents, materials, articles), recorded by the
// officer one by one or from a CSV, with photos and minutes attached, and
// counted as the report counts them.

type activitiesData struct {
	Year      int
	Campaign  string // the one shown, "" for the whole year
	Campaigns []editorial.CampaignSummary
	Records   []activities.Record
	Sum       activities.Summary
	Kinds     []activities.Kind
	MayPlan   bool
	Problems  []string // a CSV's, by row and column
	Form      url.Values
	Imported  string
	Default   string // the campaign the form offers first: today's, else the last begun
}

// Selected reports whether the form's campaign select picks key.
func (a activitiesData) Selected(key string) bool {
	if c := a.Form.Get("campaign"); c != "" {
		return c == key
	}
	if a.Campaign != "" {
		return a.Campaign == key
	}
	return a.Default == key
}

func (d *Dashboard) activitiesPage(q *request) {
	d.showActivities(q, http.StatusOK, nil, nil)
}

func (d *Dashboard) showActivities(q *request, status int, problems []string, form url.Values) {
	ctx := q.ctx()
	year := content.DateOf(d.now()).Year
	if y, err := strconv.Atoi(q.r.URL.Query().Get("year")); err == nil && y > 2000 {
		year = y
	}
	data := activitiesData{Year: year, Campaign: q.r.URL.Query().Get("campaign"), Kinds: activities.Kinds, MayPlan: q.actor().MayPlan(),
		Problems: problems, Form: form, Imported: q.r.URL.Query().Get("imported")}
	var err error
	if data.Campaigns, err = d.cfg.Desk.Campaigns(ctx, year); err != nil {
		d.fail(q, err)
		return
	}
	filter := activities.Filter{Year: year}
	today := content.DateOf(d.now())
	var containing, begun string // campaigns come in date order
	for _, c := range data.Campaigns {
		if c.Key() == data.Campaign {
			filter.CampaignID = c.ID
		}
		if containing == "" && c.Contains(today) {
			containing = c.Key()
		}
		if !today.Before(c.From) {
			begun = c.Key()
		}
	}
	data.Default = cmp.Or(containing, begun)
	if data.Records, err = d.cfg.Activities.List(ctx, filter); err != nil {
		d.fail(q, err)
		return
	}
	data.Sum = activities.Sum(data.Records)
	d.render(q, status, "activities", "activities", word(q.lang, "activities"), data)
}

// addActivity records one from the form; a problem shows the form again,
// filled in, with the problem.
func (d *Dashboard) addActivity(q *request) {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 64<<10)
	f := q.r
	num := func(name string) int {
		n, _ := strconv.Atoi(strings.ReplaceAll(strings.TrimSpace(f.PostFormValue(name)), ".", ""))
		return n
	}
	r := activities.Record{Kind: f.PostFormValue("kind"), Campaign: f.PostFormValue("campaign"), Title: f.PostFormValue("title"),
		Place: f.PostFormValue("place"), Unit: f.PostFormValue("unit"), Number: f.PostFormValue("number"), Count: num("count"),
		Participants: num("participants"), Women: num("women"), Link: f.PostFormValue("link"), Notes: f.PostFormValue("notes")}
	day, err := content.ParseDate(f.PostFormValue("date"))
	if err == nil {
		r.Date = day
		_, err = d.cfg.Activities.Add(q.ctx(), q.actor(), r)
	} else {
		err = i18n.Errorf("cần ngày", "the date is required")
	}
	if err != nil {
		var l i18n.Localizer
		if !errors.As(err, &l) || status(err) != http.StatusBadRequest {
			d.fail(q, err)
			return
		}
		d.showActivities(q, http.StatusBadRequest, []string{i18n.Error(err, q.lang)}, f.PostForm)
		return
	}
	http.Redirect(q.w, q.r, "/activities?campaign="+url.QueryEscape(r.Campaign)+"&year="+strconv.Itoa(r.Date.Year), http.StatusSeeOther)
}

// importActivities reads an uploaded CSV: every row, or with any problem
// none, each problem shown by row and column.
func (d *Dashboard) importActivities(q *request) {
	if !q.actor().MayPlan() {
		d.fail(q, staff.ErrForbidden)
		return
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 2<<20)
	data, err := formFile(q.r, "file")
	if err != nil || len(data) == 0 {
		d.fail(q, i18n.Errorf("chưa chọn tệp CSV (tối đa 2 MB)", "no CSV file was chosen (2 MB at most)"))
		return
	}
	_, header, _ := q.r.FormFile("file")
	name := "hoat-dong.csv"
	if header != nil && header.Filename != "" {
		name = header.Filename
	}
	n, errs := d.cfg.Activities.Import(q.ctx(), q.actor(), name, bytes.NewReader(data))
	if len(errs) > 0 {
		if len(errs) == 1 && status(errs[0]) != http.StatusBadRequest {
			d.fail(q, errs[0])
			return
		}
		var problems []string
		for _, e := range errs {
			problems = append(problems, i18n.Error(e, q.lang))
		}
		d.showActivities(q, http.StatusBadRequest, problems, nil)
		return
	}
	http.Redirect(q.w, q.r, "/activities?imported="+strconv.Itoa(n), http.StatusSeeOther)
}

// attachActivityFile keeps a photo or the minutes with an activity.
func (d *Dashboard) attachActivityFile(q *request) {
	if !q.actor().MayPlan() {
		d.fail(q, staff.ErrForbidden)
		return
	}
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		d.fail(q, activities.ErrNoActivity)
		return
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, activities.MaxFile+1<<20)
	data, err := formFile(q.r, "file")
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = i18n.Errorf("tệp lớn hơn %d MB", "the file is larger than %d MB", activities.MaxFile>>20)
	}
	if err != nil {
		d.fail(q, err)
		return
	}
	_, header, _ := q.r.FormFile("file")
	name := "tep"
	if header != nil {
		name = header.Filename
	}
	if _, err := d.cfg.Activities.Attach(q.ctx(), q.actor(), id, name, data); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/activities#a-"+strconv.FormatInt(id, 10), http.StatusSeeOther)
}

func (d *Dashboard) removeActivity(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err == nil {
		err = d.cfg.Activities.Remove(q.ctx(), q.actor(), id)
	}
	if err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/activities", http.StatusSeeOther)
}

// activityFile serves an attachment to signed-in staff.
func (d *Dashboard) activityFile(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(q.w, q.r)
		return
	}
	f, err := d.cfg.Activities.File(q.ctx(), id)
	if err != nil {
		http.NotFound(q.w, q.r)
		return
	}
	q.w.Header().Set("Content-Type", f.Type)
	q.w.Header().Set("Content-Disposition", "inline; filename*=UTF-8''"+url.PathEscape(f.Name))
	q.w.Header().Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(q.w, q.r, "", f.Created, bytes.NewReader(f.Data))
}
