package dashboard

import (
	"net/http"
	"strconv"
	"strings"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/staff"
)

// fields are the template fields the editor offers to insert.
var fields = []struct{ Code, VI, EN string }{
	{"{{.Ward}}", "tên phường", "the ward's name"},
	{"{{.Campaign}}", "tên chiến dịch", "the campaign's name"},
	{"{{.Starts.Formal}}", "ngày bắt đầu (ngày … tháng … năm …)", "first day, formal"},
	{"{{.Starts.Short}}", "ngày bắt đầu (dd/mm/yyyy)", "first day, dd/mm/yyyy"},
	{"{{.Ends.Short}}", "ngày kết thúc", "last day"},
	{"{{.DaysLeft}}", "số ngày còn lại", "days left"},
	{"{{.Year}}", "năm", "the year"},
}

type editorData struct {
	ID        int64 // 0 for a new message
	Campaign  string
	Draft     content.Draft
	Campaigns []editorial.CampaignSummary
	Preview   editorial.Preview
	Fields    any
	Problems  []content.Problem // of a refused save
	ImageURL  string
}

// editor is the form for a new message (?campaign=action-month/2026) or a
// new version of message {id}.
func (d *Dashboard) editor(q *request) {
	if !q.actor().MayDraft() {
		d.fail(q, staff.ErrForbidden)
		return
	}
	ctx := q.ctx()
	data := editorData{Campaign: q.r.URL.Query().Get("campaign"), Fields: fields}
	if s := q.r.PathValue("id"); s != "" {
		id, ok := d.messageID(q)
		if !ok {
			return
		}
		m, err := d.cfg.Desk.Resolve(ctx, strconv.FormatInt(id, 10))
		if err != nil {
			d.fail(q, err)
			return
		}
		data.ID, data.Campaign, data.Draft = m.ID, m.Campaign, m.Draft
	}
	data.ImageURL = d.imageURL(data.Draft.Image)
	if !d.editorForm(q, &data) {
		return
	}
	d.render(q, http.StatusOK, "editor", "editor", word(q.lang, "editor"), data)
}

// editorForm fills the campaigns to pick from and the first preview.
func (d *Dashboard) editorForm(q *request, data *editorData) bool {
	year := content.DateOf(d.now()).Year
	for _, y := range []int{year, year + 1} {
		cs, err := d.cfg.Desk.Campaigns(q.ctx(), y)
		if err != nil {
			d.fail(q, err)
			return false
		}
		data.Campaigns = append(data.Campaigns, cs...)
	}
	if data.Campaign == "" && len(data.Campaigns) > 0 {
		data.Campaign = data.Campaigns[0].Key()
		for _, c := range data.Campaigns { // the campaign under way or next
			if !c.To.Before(content.DateOf(d.now())) {
				data.Campaign = c.Key()
				break
			}
		}
	}
	if data.Campaign != "" {
		p, err := d.cfg.Desk.PreviewDraft(q.ctx(), data.Campaign, data.Draft)
		if err != nil {
			d.fail(q, err)
			return false
		}
		data.Preview = p
	}
	return true
}

// draftForm reads the editor's fields.
func draftForm(r *http.Request) (string, content.Draft) {
	d := content.Draft{Key: strings.TrimSpace(r.PostFormValue("key")), Title: r.PostFormValue("title"),
		Topic: content.Topic(r.PostFormValue("topic")), Image: strings.TrimSpace(r.PostFormValue("image"))}
	for _, ch := range content.Channels {
		d.Variants.Set(ch, strings.ReplaceAll(r.PostFormValue(string(ch)), "\r\n", "\n"))
	}
	return r.PostFormValue("campaign"), d
}

// preview answers the editor's htmx request as the officer types: each
// channel's rendering, counters and problems.
func (d *Dashboard) preview(q *request) {
	if !q.actor().MayDraft() {
		d.fail(q, staff.ErrForbidden)
		return
	}
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 256<<10)
	ref, dr := draftForm(q.r)
	p, err := d.cfg.Desk.PreviewDraft(q.ctx(), ref, dr)
	if err != nil {
		d.fail(q, err)
		return
	}
	data := previewData{Preview: p, Lang: q.lang, ImageURL: d.imageURL(dr.Image), CanSpeak: d.cfg.Synth.Espeak != "" && d.cfg.Speech != nil}
	for _, v := range p.Variants {
		if v.Channel == content.Loudspeaker && v.Text != "" && d.cfg.Speech != nil {
			data.Spoken = d.cfg.Speech.Text(v.Text)
		}
	}
	d.write(q.w, q.r, http.StatusOK, "preview", page{Lang: q.lang, Data: data})
}

type previewData struct {
	Preview  editorial.Preview
	Spoken   string
	Lang     string
	ImageURL string // the picture, when Loa keeps it
	CanSpeak bool   // espeak-ng is installed: a play button
	Message  int64  // the saved message previewed, 0 for a draft
}

// ProblemsOf are the problems of channel ch ("" for the message itself).
func (p previewData) ProblemsOf(ch content.Channel) []content.Problem {
	var out []content.Problem
	for _, x := range p.Preview.Problems {
		if x.Channel == ch {
			out = append(out, x)
		}
	}
	return out
}

func (d *Dashboard) save(q *request) {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 256<<10)
	ref, dr := draftForm(q.r)
	m, _, err := d.cfg.Desk.SaveDraft(q.ctx(), q.actor(), ref, dr)
	if de, ok := err.(*editorial.DraftError); ok {
		data := editorData{Campaign: ref, Draft: dr, Fields: fields, Problems: de.Problems}
		if id, err := strconv.ParseInt(q.r.PostFormValue("id"), 10, 64); err == nil {
			data.ID = id
		}
		if !d.editorForm(q, &data) {
			return
		}
		d.render(q, http.StatusBadRequest, "editor", "editor", word(q.lang, "editor"), data)
		return
	}
	if err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/messages/"+strconv.FormatInt(m.ID, 10), http.StatusSeeOther)
}
