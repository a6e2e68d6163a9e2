package dashboard

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/loudspeaker"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/staff"
)

type residentsData struct {
	Counts  map[content.Channel]residents.Counts
	Query   string
	Found   []residents.Subscriber
	History map[int64][]staff.AuditEntry // by subscriber id
	Search  bool                         // the person may search (and see personal data)
	Done    string
	// Requests are residents' requests about their data, with their
	// deadlines; Late counts those done or open past theirs.
	Requests    []privacy.Request
	Late        int
	RequestDays int
	Now         time.Time
}

// residents shows the residents counted by channel, status and topic; the
// roles that look after the lists may search by id or phone and delete a
// person's data at their request.
func (d *Dashboard) residents(q *request) {
	ctx := q.ctx()
	counts, err := d.cfg.Residents.Counts(ctx)
	if err != nil {
		d.fail(q, err)
		return
	}
	data := residentsData{Counts: counts, Search: q.actor().MayPlan(), Query: q.r.URL.Query().Get("q"), Done: q.r.URL.Query().Get("done"),
		Now: d.now(), RequestDays: d.cfg.Residents.RequestDays}
	if data.RequestDays == 0 {
		data.RequestDays = privacy.DefaultDays
	}
	if data.Requests, err = d.cfg.Residents.Requests(ctx, time.Time{}); err != nil {
		d.fail(q, err)
		return
	}
	for _, r := range data.Requests {
		if r.Late(data.Now) {
			data.Late++
		}
	}
	if data.Query != "" {
		if data.Found, err = d.cfg.Residents.Find(ctx, q.actor(), data.Query); err != nil {
			d.fail(q, err)
			return
		}
		data.History = map[int64][]staff.AuditEntry{}
		for _, s := range data.Found {
			if data.History[s.ID], err = d.cfg.Residents.History(ctx, q.actor(), s); err != nil {
				d.fail(q, err)
				return
			}
		}
	}
	d.render(q, http.StatusOK, "residents", "residents", word(q.lang, "residents"), data)
}

func (d *Dashboard) forget(q *request) {
	ctx := q.ctx()
	if q.r.PostFormValue("confirm") != "yes" {
		d.fail(q, i18n.Errorf("hãy đánh dấu xác nhận trước khi xóa", "tick the confirmation before deleting"))
		return
	}
	found, err := d.cfg.Residents.Find(ctx, q.actor(), q.r.PostFormValue("id"))
	if err != nil {
		d.fail(q, err)
		return
	}
	ch := content.Channel(q.r.PostFormValue("channel"))
	for _, s := range found {
		if s.Channel == ch && s.ExternalID == q.r.PostFormValue("id") {
			if err := d.cfg.Residents.Forget(ctx, q.actor(), s, "dashboard"); err != nil {
				d.fail(q, err)
				return
			}
			http.Redirect(q.w, q.r, "/residents?done=1", http.StatusSeeOther)
			return
		}
	}
	d.fail(q, i18n.Errorf("không tìm thấy người nhận này", "there is no such subscriber"))
}

// receiveRequest records a request a resident made at the office.
func (d *Dashboard) receiveRequest(q *request) {
	if _, err := d.cfg.Residents.Receive(q.ctx(), q.actor(), q.r.PostFormValue("kind"), q.r.PostFormValue("via"), strings.TrimSpace(q.r.PostFormValue("note"))); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/residents#requests", http.StatusSeeOther)
}

// finishRequest marks a request done.
func (d *Dashboard) finishRequest(q *request) {
	id, err := strconv.ParseInt(q.r.PathValue("id"), 10, 64)
	if err != nil {
		d.fail(q, i18n.Errorf("không có yêu cầu này", "there is no such request"))
		return
	}
	if err := d.cfg.Residents.Finish(q.ctx(), q.actor(), id, ""); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/residents#requests", http.StatusSeeOther)
}

// signUpForm is the numbered paper sign-up form, ready to print.
func (d *Dashboard) signUpForm(q *request) {
	if !q.actor().MayPlan() {
		d.fail(q, staff.ErrForbidden)
		return
	}
	from, _ := strconv.Atoi(q.r.URL.Query().Get("from"))
	count, _ := strconv.Atoi(q.r.URL.Query().Get("count"))
	from, count = max(from, 1), min(max(count, 1), 500)
	page, err := privacy.SignUpForm(d.cfg.Notice, content.DateOf(d.now()).Year, from, count)
	if err != nil {
		d.fail(q, err)
		return
	}
	q.w.Header().Set("Content-Type", "text/html; charset=utf-8")
	q.w.Header().Set("Cache-Control", "no-store")
	_, _ = q.w.Write(page)
}

type downloadsData struct {
	Today     content.Date
	Day       content.Date // the day whose radio files are listed
	Files     []radioFile
	MayAir    bool
	Campaigns []campaignLink
	Year      int
}

type campaignLink struct {
	content.Campaign
	Banners int
}

func (d *Dashboard) downloads(q *request) {
	ctx := q.ctx()
	today := content.DateOf(d.now())
	cs, err := d.cfg.Desk.Campaigns(ctx, today.Year)
	if err != nil {
		d.fail(q, err)
		return
	}
	data := downloadsData{Today: today, Day: today, Year: today.Year, MayAir: mayAir(q.actor())}
	if t, err := time.ParseInLocation("2006-01-02", q.r.URL.Query().Get("day"), content.Zone); err == nil {
		data.Day = content.DateOf(t)
	}
	data.Files = d.radioDayFiles(data.Day)
	for _, c := range cs {
		ls, err := d.cfg.Office.Banners(ctx, banner.Filter{CampaignID: c.ID})
		if err != nil {
			d.fail(q, err)
			return
		}
		data.Campaigns = append(data.Campaigns, campaignLink{c.Campaign, len(ls)})
	}
	d.render(q, http.StatusOK, "downloads", "downloads", word(q.lang, "downloads"), data)
}

// radioSheet is the printable sheet of a day's or week's scripts
// (?date=2026-11-25&week=1).
func (d *Dashboard) radioSheet(q *request) {
	day := content.DateOf(d.now())
	if s := q.r.URL.Query().Get("date"); s != "" {
		t, err := time.ParseInLocation("2006-01-02", s, content.Zone)
		if err != nil {
			d.fail(q, i18n.Errorf("ngày %q không đúng dạng YYYY-MM-DD", "day %q is not YYYY-MM-DD", s))
			return
		}
		day = content.DateOf(t)
	}
	days, title := 1, i18n.Sprintf(q.lang, "Lịch phát thanh ngày %s", "Radio rota of %s", day.Short())
	if q.r.URL.Query().Get("week") == "1" {
		day = day.AddDays(-((int(day.Weekday()) + 6) % 7))
		days, title = 7, i18n.Sprintf(q.lang, "Lịch phát thanh tuần từ %s", "Radio rota of the week from %s", day.Short())
	}
	scripts, err := d.cfg.Radio.Scripts(q.ctx(), day, days)
	if err != nil {
		d.fail(q, err)
		return
	}
	var buf bytes.Buffer
	if err := loudspeaker.WriteSheetHTML(&buf, d.cfg.Ward, title, scripts); err != nil {
		d.fail(q, err)
		return
	}
	send(q.w, "text/html; charset=utf-8", "", buf.Bytes())
}

func (d *Dashboard) bannerList(q *request) {
	c, err := d.cfg.Desk.Campaign(q.ctx(), q.r.PathValue("obs")+"/"+q.r.PathValue("year"))
	if err != nil {
		d.fail(q, err)
		return
	}
	lines, err := d.cfg.Office.Banners(q.ctx(), banner.Filter{CampaignID: c.ID})
	if err != nil {
		d.fail(q, err)
		return
	}
	names, err := d.cfg.Office.PeopleNames(q.ctx())
	if err != nil {
		d.fail(q, err)
		return
	}
	sheet := banner.Sheet{Ward: d.cfg.Ward, Campaign: c.Name, Today: content.DateOf(d.now()), Lines: lines, Names: names}
	var buf bytes.Buffer
	name := fmt.Sprintf("bang-ron-%s-%d", c.ObservanceKey, c.Year)
	switch q.r.PathValue("format") {
	case "xlsx":
		err = banner.WriteXLSX(&buf, sheet)
		name += ".xlsx"
	case "html":
		err = banner.WriteHTML(&buf, sheet)
	default:
		http.NotFound(q.w, q.r)
		return
	}
	if err != nil {
		d.fail(q, err)
		return
	}
	if q.r.PathValue("format") == "html" {
		send(q.w, "text/html; charset=utf-8", "", buf.Bytes())
		return
	}
	send(q.w, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", name, buf.Bytes())
}

// yearReport is the year's report at its older address: the annex
// (xlsx) or the printable document (html).
func (d *Dashboard) yearReport(q *request) {
	year, err := strconv.Atoi(q.r.PathValue("year"))
	format := q.r.PathValue("format")
	if err != nil || year < 2000 || year > 2100 || (format != "xlsx" && format != "html") {
		http.NotFound(q.w, q.r)
		return
	}
	http.Redirect(q.w, q.r, fmt.Sprintf("/reports/file?year=%d&format=%s", year, format), http.StatusSeeOther)
}

// send writes a generated file; with a name, as a download. The printable
// HTML sheets carry their own styles, so they get a CSP of their own.
func send(w http.ResponseWriter, typ, name string, b []byte) {
	w.Header().Set("Content-Type", typ)
	w.Header().Set("Cache-Control", "no-store")
	if name != "" {
		w.Header().Set("Content-Disposition", fmt.Sprintf("attachment; filename=%q", name))
	} else {
		w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; img-src 'self' data:; frame-ancestors 'none'")
	}
	_, _ = w.Write(b)
}

type settingsData struct {
	Zalo     bool   // the OA is configured: it can be re-authorized here
	Redirect string // the redirect_uri to register in the Zalo app
	ZaloOK   bool
	Settings [][2]string
	Problems []string
	Users    []staff.User
	Backup   string
	Zalo7d   map[string]notify.Reach // by login: who Zalo reaches now
}

// settings is the administrator's page: the effective configuration with
// secrets hidden, the daemon's problems, the accounts, and a backup now.
func (d *Dashboard) settings(q *request) {
	data := settingsData{Backup: q.r.URL.Query().Get("backup"), Zalo: d.cfg.ZaloBegin != nil, Redirect: d.zaloRedirect(q.r),
		ZaloOK: q.r.URL.Query().Get("zalo") == "ok"}
	if d.cfg.Settings != nil {
		data.Settings = d.cfg.Settings()
	}
	if d.cfg.Problems != nil {
		for _, p := range d.cfg.Problems(q.ctx()) {
			data.Problems = append(data.Problems, p.In(q.lang))
		}
	}
	users, err := d.cfg.Accounts.List(q.ctx(), q.actor())
	if err != nil {
		d.fail(q, err)
		return
	}
	data.Users = users
	if d.cfg.Notices != nil {
		reach, err := d.cfg.Notices.ZaloReach(q.ctx())
		if err != nil {
			d.fail(q, err)
			return
		}
		data.Zalo7d = map[string]notify.Reach{}
		for _, r := range reach {
			data.Zalo7d[r.User.Name] = r
		}
	}
	d.render(q, http.StatusOK, "settings", "settings", word(q.lang, "settings"), data)
}

func (d *Dashboard) backup(q *request) {
	if d.cfg.Backup == nil {
		d.fail(q, i18n.Errorf("sao lưu không có ở đây", "backup is not available here"))
		return
	}
	path, err := d.cfg.Backup(q.ctx(), q.actor())
	if err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/settings?backup="+url.QueryEscape(path), http.StatusSeeOther)
}

// addUser creates an account from the settings page (the service lets only
// an administrator).
func (d *Dashboard) addUser(q *request) {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 16<<10)
	u := staff.User{Name: q.r.PostFormValue("name"), FullName: q.r.PostFormValue("full_name"), Title: q.r.PostFormValue("title"),
		Role: staff.Role(q.r.PostFormValue("role"))}
	if _, err := d.cfg.Accounts.Add(q.ctx(), q.actor(), u, q.r.PostFormValue("password")); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/settings#accounts", http.StatusSeeOther)
}

// changeUser disables or enables an account, or sets its password.
func (d *Dashboard) changeUser(q *request) {
	q.r.Body = http.MaxBytesReader(q.w, q.r.Body, 16<<10)
	name := q.r.PathValue("name")
	var err error
	switch q.r.PathValue("action") {
	case "disable":
		err = d.cfg.Accounts.Disable(q.ctx(), q.actor(), name, true)
	case "enable":
		err = d.cfg.Accounts.Disable(q.ctx(), q.actor(), name, false)
	case "password":
		err = d.cfg.Accounts.SetPassword(q.ctx(), q.actor(), name, q.r.PostFormValue("password"))
	case "contact":
		c := staff.User{Email: q.r.PostFormValue("email"), ZaloID: q.r.PostFormValue("zalo_id"), TelegramChat: q.r.PostFormValue("telegram_chat"),
			Notify: strings.Split(q.r.PostFormValue("notify"), ","), Digest: q.r.PostFormValue("digest") == "yes"}
		_, err = d.cfg.Accounts.SetContact(q.ctx(), q.actor(), name, c)
	default:
		http.NotFound(q.w, q.r)
		return
	}
	if err != nil {
		d.fail(q, err)
		return
	}
	if q.actor().Role != staff.Admin { // a person who changed their own: settings are not theirs to see
		http.Redirect(q.w, q.r, "/", http.StatusSeeOther)
		return
	}
	http.Redirect(q.w, q.r, "/settings#accounts", http.StatusSeeOther)
}

// zaloAuthorize starts the OA's re-authorization: the administrator is sent
// to Zalo's page to agree, and Zalo sends them back to /zalo/callback.
func (d *Dashboard) zaloAuthorize(q *request) {
	if d.cfg.ZaloBegin == nil {
		d.fail(q, i18n.Errorf("chưa cấu hình Zalo OA (zalo.app_id, zalo.app_secret)", "the Zalo OA is not configured (zalo.app_id, zalo.app_secret)"))
		return
	}
	page, err := d.cfg.ZaloBegin(q.ctx(), d.zaloRedirect(q.r))
	if err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, page, http.StatusSeeOther)
}

// zaloRedirect is the address Zalo sends the administrator back to; it must
// be the redirect_uri registered in the Zalo app.
func (d *Dashboard) zaloRedirect(r *http.Request) string {
	base := d.cfg.PublicURL
	if base == "" {
		base = "http://" + r.Host
	}
	return base + "/zalo/callback"
}

// zaloCallback finishes the re-authorization with the code Zalo gives.
func (d *Dashboard) zaloCallback(q *request) {
	code := q.r.URL.Query().Get("code")
	if code == "" || d.cfg.ZaloFinish == nil {
		d.fail(q, i18n.Errorf("Zalo không trả mã cấp quyền; hãy thử lại", "Zalo gave no authorization code; try again"))
		return
	}
	if err := d.cfg.ZaloFinish(q.ctx(), code); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/settings?zalo=ok", http.StatusSeeOther)
}

// admin runs h for an administrator only: the settings and what they change.
func (d *Dashboard) admin(h func(*request)) func(*request) {
	return func(q *request) {
		if q.actor().Role != staff.Admin {
			d.fail(q, staff.ErrForbidden)
			return
		}
		h(q)
	}
}

// radioFile is one of a day's radio files, as the downloads page lists it.
type radioFile struct {
	Name, URL string
}

// mayAir reports whether the actor prepares or airs the radio's files: the
// operator, and those who plan.
func mayAir(a staff.Actor) bool { return a.MayPlan() || a.Role == staff.Operator }

// radioDayFiles lists what Loa wrote for day under the radio's folder.
func (d *Dashboard) radioDayFiles(day content.Date) []radioFile {
	dir := filepath.Join(d.cfg.Radio.Dir, day.String())
	entries, err := os.ReadDir(dir)
	if err != nil {
		return nil
	}
	var out []radioFile
	for _, e := range entries {
		if radioFileName.MatchString(e.Name()) {
			out = append(out, radioFile{e.Name(), "/downloads/radio/files/" + day.String() + "/" + e.Name()})
		}
	}
	return out
}

var (
	radioFileName = regexp.MustCompile(`^[0-9]{4}-[a-z0-9-]+\.(html|txt|tts\.txt|mp3|wav)$|^lich\.(html|csv)$`)
	isoDay        = regexp.MustCompile(`^[0-9]{4}-[0-9]{2}-[0-9]{2}$`)
)

// radioAudio writes the day's scripts, sheets and audio (espeak-ng) into
// the radio's folder, as `loa broadcasts --audio` does.
func (d *Dashboard) radioAudio(q *request) {
	if !mayAir(q.actor()) {
		d.fail(q, staff.ErrForbidden)
		return
	}
	t, err := time.ParseInLocation("2006-01-02", q.r.PostFormValue("date"), content.Zone)
	if err != nil {
		d.fail(q, i18n.Errorf("ngày %q không đúng dạng YYYY-MM-DD", "day %q is not YYYY-MM-DD", q.r.PostFormValue("date")))
		return
	}
	day := content.DateOf(t)
	scripts, err := d.cfg.Radio.Scripts(q.ctx(), day, 1)
	if err != nil {
		d.fail(q, err)
		return
	}
	ctx, cancel := context.WithTimeout(q.ctx(), 5*time.Minute)
	defer cancel()
	d.speaking <- struct{}{}
	failed, err := d.cfg.Radio.Synthesize(ctx, scripts)
	<-d.speaking
	if err != nil && !errors.Is(err, speech.ErrNoSynth) {
		d.fail(q, err)
		return
	}
	for _, f := range failed {
		d.cfg.Log.Error("dashboard: synthesize", "err", f)
	}
	if err := d.cfg.Radio.Write(day, 1, scripts); err != nil {
		d.fail(q, err)
		return
	}
	http.Redirect(q.w, q.r, "/downloads?day="+day.String()+"#radio", http.StatusSeeOther)
}

// radioFileServe serves one of a day's radio files.
func (d *Dashboard) radioFileServe(q *request) {
	day, name := q.r.PathValue("day"), q.r.PathValue("name")
	if !isoDay.MatchString(day) || !radioFileName.MatchString(name) {
		http.NotFound(q.w, q.r)
		return
	}
	if strings.HasSuffix(name, ".html") {
		q.w.Header().Set("Content-Security-Policy", "default-src 'none'; style-src 'unsafe-inline'; frame-ancestors 'none'")
	}
	http.ServeFile(q.w, q.r, filepath.Join(d.cfg.Radio.Dir, day, name))
}
