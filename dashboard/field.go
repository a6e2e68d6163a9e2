package dashboard

import (
	"bytes"
	"encoding/base64"
	"errors"
	"html/template"
	"io"
	"net/http"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	qrcode "github.com/skip2/go-qrcode"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// The task pages, /t/{token}: a phone opens one from a notice or the day
// sheet's QR code, with no sign-in. The token is the only key, and it opens
// its own task's page, picture and audio and nothing else; the signed-in
// routes never read it.

type taskData struct {
	Token    string
	Task     field.Task
	ImageURL string
	CanSpeak bool
	Actions  []banner.State
	Saved    bool // the page after a confirmation
	Error    string
}

// fieldHeaders keep a task page out of caches, history sync and other
// sites' logs: the token is in its address.
func fieldHeaders(w http.ResponseWriter) {
	w.Header().Set("Cache-Control", "no-store")
	w.Header().Set("Referrer-Policy", "no-referrer")
	w.Header().Set("X-Robots-Tag", "noindex, nofollow")
}

// openTask opens the token of the request's path, or writes the refusal.
func (d *Dashboard) openTask(w http.ResponseWriter, r *http.Request) (field.Task, string, bool) {
	fieldHeaders(w)
	token := r.PathValue("token")
	t, err := d.cfg.Links.Open(r.Context(), token)
	if err != nil {
		d.refuseTask(w, r, err)
		return t, token, false
	}
	return t, token, true
}

// refuseTask shows why a link does not work, on a page of its own.
func (d *Dashboard) refuseTask(w http.ResponseWriter, r *http.Request, err error) {
	lang := lang(w, r)
	code := http.StatusBadRequest
	switch {
	case errors.Is(err, field.ErrUnknown):
		code = http.StatusNotFound
	case errors.Is(err, field.ErrExpired), errors.Is(err, field.ErrRevoked):
		code = http.StatusGone
	case errors.Is(err, field.ErrNotYours), errors.Is(err, field.ErrOtherTask), errors.Is(err, staff.ErrForbidden):
		code = http.StatusForbidden
	case errors.Is(err, office.ErrNoTask):
		code = http.StatusNotFound
	}
	msg := i18n.Error(err, lang)
	var l i18n.Localizer
	if !errors.As(err, &l) {
		d.cfg.Log.Error("task page", "err", err) // never the path: it holds the token
		msg, code = word(lang, "server_error"), http.StatusInternalServerError
	}
	d.write(w, r, code, "task", page{Lang: lang, Ward: d.cfg.Ward, Title: word(lang, "task_page"), Path: "", Error: msg})
}

func (d *Dashboard) taskPage(w http.ResponseWriter, r *http.Request) {
	t, token, ok := d.openTask(w, r)
	if !ok {
		return
	}
	d.showTask(w, r, t, token, "", r.URL.Query().Get("saved") == "1")
}

func (d *Dashboard) showTask(w http.ResponseWriter, r *http.Request, t field.Task, token, problem string, saved bool) {
	lang := lang(w, r)
	data := taskData{Token: token, Task: t, Saved: saved, Error: problem}
	if t.Kind == field.Delivery && d.imageURL(t.Message.Image) != "" {
		data.ImageURL = "/t/" + token + "/image"
	}
	data.CanSpeak = t.Delivery.Channel == content.Loudspeaker && d.cfg.Synth.Espeak != "" && d.cfg.Speech != nil
	if t.Kind == field.Banner {
		data.Actions = field.BannerActions(t.Banner)
	}
	status := http.StatusOK
	if problem != "" {
		status = http.StatusBadRequest
	}
	d.write(w, r, status, "task", page{Lang: lang, Ward: d.cfg.Ward, User: t.User, Title: word(lang, "task_page"), Data: data})
}

// taskConfirm records the person's word: done or not for a delivery (with
// the group's size or the reason), hung or taken down for a banner line
// (with the photo taken on the phone).
func (d *Dashboard) taskConfirm(w http.ResponseWriter, r *http.Request) {
	t, token, ok := d.openTask(w, r)
	if !ok {
		return
	}
	lang := lang(w, r)
	r.Body = http.MaxBytesReader(w, r.Body, field.MaxPhoto+1<<20)
	target, _ := strconv.ParseInt(r.FormValue("task"), 10, 64)
	var err error
	switch t.Kind {
	case field.Delivery:
		c := office.Confirmation{Done: r.FormValue("done") == "yes", Note: r.FormValue("note")}
		if s := strings.TrimSpace(r.FormValue("reach")); s != "" && c.Done {
			if c.Reach, err = strconv.Atoi(s); err != nil {
				err = i18n.Errorf("số thành viên %q không phải một số", "the group's size %q is not a number", s)
			}
		}
		if err == nil {
			_, err = d.cfg.Links.Confirm(r.Context(), token, target, c)
		}
	case field.Banner:
		var photo []byte
		photo, err = formFile(r, "photo")
		if err == nil {
			err = d.cfg.Links.MarkBanner(r.Context(), token, target, banner.State(r.FormValue("state")), photo, strings.TrimSpace(r.FormValue("note")))
		}
	}
	var tooLarge *http.MaxBytesError
	if errors.As(err, &tooLarge) {
		err = i18n.Errorf("ảnh lớn hơn %d MB", "the photo is larger than %d MB", field.MaxPhoto>>20)
	}
	if errors.Is(err, field.ErrOtherTask) || errors.Is(err, field.ErrExpired) || errors.Is(err, field.ErrRevoked) || errors.Is(err, field.ErrNotYours) {
		d.refuseTask(w, r, err)
		return
	}
	if err != nil {
		var l i18n.Localizer
		if !errors.As(err, &l) {
			d.refuseTask(w, r, err)
			return
		}
		d.showTask(w, r, t, token, i18n.Error(err, lang), false)
		return
	}
	http.Redirect(w, r, "/t/"+token+"?saved=1", http.StatusSeeOther)
}

// formFile reads an optional uploaded file; nil when none was sent.
func formFile(r *http.Request, name string) ([]byte, error) {
	f, _, err := r.FormFile(name)
	if errors.Is(err, http.ErrMissingFile) || errors.Is(err, http.ErrNotMultipart) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	defer f.Close()
	return io.ReadAll(f)
}

// taskImage serves the picture of the post a block leader is to paste.
func (d *Dashboard) taskImage(w http.ResponseWriter, r *http.Request) {
	t, _, ok := d.openTask(w, r)
	if !ok {
		return
	}
	if t.Kind != field.Delivery || d.imageURL(t.Message.Image) == "" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("Content-Disposition", `inline; filename="loa-`+strconv.FormatInt(t.Target, 10)+filepath.Ext(t.Message.Image)+`"`)
	http.ServeFile(w, r, t.Message.Image)
}

// taskAudio serves the radio script read aloud, made on first asking.
func (d *Dashboard) taskAudio(w http.ResponseWriter, r *http.Request) {
	t, _, ok := d.openTask(w, r)
	if !ok {
		return
	}
	if t.Delivery.Channel != content.Loudspeaker || d.cfg.Synth.Espeak == "" || d.cfg.Speech == nil {
		http.NotFound(w, r)
		return
	}
	name, _, err := d.synthesize(r.Context(), t.Message.Text)
	if err != nil {
		d.refuseTask(w, r, err)
		return
	}
	w.Header().Set("Content-Type", "audio/wav")
	if r.URL.Query().Get("download") == "1" {
		w.Header().Set("Content-Disposition", `attachment; filename="loa-`+strconv.FormatInt(t.Target, 10)+`.wav"`)
	}
	http.ServeFile(w, r, filepath.Join(d.cfg.AudioDir, name))
}

// sheetItem is one task on the day sheet, with its link as a QR code.
type sheetItem struct {
	Who     staff.User
	What    string
	Detail  string
	When    time.Time
	URL     string
	QR      template.URL // a PNG as a data: URL (made here, so trusted)
	Expires time.Time
	Reach   bool // a group post: the sheet asks for the group's size
}

type sheetData struct {
	Day     content.Date
	Printed time.Time
	Items   []sheetItem
}

// daySheet prints the day's tasks for the people in the field, each with
// a new link as a QR code: for the radio operator's desk, and for crews
// without a smartphone, who can tick it on paper.
func (d *Dashboard) daySheet(q *request) {
	actor := q.actor()
	if !actor.MayPlan() && actor.Role != staff.Operator {
		d.fail(q, staff.ErrForbidden)
		return
	}
	day := content.DateOf(d.now())
	if s := q.r.FormValue("day"); s != "" {
		var err error
		if day, err = content.ParseDate(s); err != nil {
			d.fail(q, i18n.Errorf("ngày %q không đúng dạng YYYY-MM-DD", "the day %q is not YYYY-MM-DD", s))
			return
		}
	}
	ts, err := d.cfg.Office.Tasks(q.ctx(), actor, office.TaskFilter{Mine: !actor.MayPlan(), ByRole: true})
	if err != nil {
		d.fail(q, err)
		return
	}
	data := sheetData{Day: day, Printed: d.now()}
	add := func(kind field.Kind, target int64, assignee, what, detail string, when time.Time, reach bool) error {
		users, err := d.cfg.Links.Owners(q.ctx(), assignee)
		if err != nil {
			return err
		}
		for _, u := range users {
			if !actor.MayPlan() && u.Name != actor.Name {
				continue // an operator prints their own
			}
			link, err := d.cfg.Links.Issue(q.ctx(), actor, kind, target, u)
			if err != nil {
				return err
			}
			png, err := qrcode.Encode(link.URL, qrcode.Medium, 256)
			if err != nil {
				return err
			}
			data.Items = append(data.Items, sheetItem{Who: u, What: what, Detail: detail, When: when, URL: link.URL, Expires: link.Expires,
				QR: template.URL("data:image/png;base64," + base64.StdEncoding.EncodeToString(png)), Reach: reach})
		}
		return nil
	}
	for _, t := range ts.Deliveries {
		if content.DateOf(t.DueAt) != day {
			continue
		}
		what := channelWord(t.Delivery, q.lang)
		group := strings.HasPrefix(t.Recipient, "group:")
		if err := add(field.Delivery, t.ID, t.Assignee, what, "#"+strconv.FormatInt(t.ID, 10)+" "+t.Title, t.DueAt, group); err != nil {
			d.fail(q, err)
			return
		}
	}
	if day == content.DateOf(d.now()) {
		for _, r := range ts.Banners {
			if err := add(field.Banner, r.Line.ID, r.Line.Responsible, word(q.lang, "banner"), r.Text(), day.Time(7, 0), false); err != nil {
				d.fail(q, err)
				return
			}
		}
	}
	d.render(q, http.StatusOK, "daysheet", "tasks", word(q.lang, "day_sheet"), data)
}

func channelWord(dl scheduler.Delivery, lang string) string {
	if strings.HasPrefix(dl.Recipient, "group:") {
		return i18n.Sprintf(lang, "Đăng vào nhóm Zalo %s", "Post in the Zalo group %s", strings.TrimPrefix(dl.Recipient, "group:"))
	}
	if dl.Channel == content.Loudspeaker {
		return i18n.Sprintf(lang, "Phát trên loa", "Air on the radio")
	}
	return string(dl.Channel)
}

// photo serves a photo taken in the field to signed-in staff.
func (d *Dashboard) photo(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		http.NotFound(q.w, q.r)
		return
	}
	p, err := d.cfg.Links.DB.Photo(q.ctx(), id)
	if err != nil {
		http.NotFound(q.w, q.r)
		return
	}
	q.w.Header().Set("Content-Type", p.Type)
	q.w.Header().Set("Cache-Control", "private, max-age=86400")
	http.ServeContent(q.w, q.r, "", p.Created, bytes.NewReader(p.Data))
}

// revokeLinks ends every link to a task (a delivery, or ?kind=banner a
// banner line): the office does it when a phone is lost or a task passes
// to someone else.
func (d *Dashboard) revokeLinks(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		d.fail(q, office.ErrNoTask)
		return
	}
	kind := field.Delivery
	if q.r.FormValue("kind") == string(field.Banner) {
		kind = field.Banner
	}
	if _, err := d.cfg.Links.Revoke(q.ctx(), q.actor(), kind, id); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/tasks?revoked="+strconv.FormatInt(id, 10), http.StatusSeeOther)
}
