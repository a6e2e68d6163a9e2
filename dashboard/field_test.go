package dashboard_test

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/jpeg"
	"mime/multipart"
	"net/http"
	"net/url"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/dashboard"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/speech"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
)

// withGroupTask sends an approved message on Zalo now, which gives the
// block leader of group "Tổ dân phố 1" a post to paste, and returns it.
func (w *ward) withGroupTask() scheduler.Delivery {
	w.t.Helper()
	ctx := context.Background()
	sc := scheduler.Schedule{Kind: scheduler.KindAt, Spec: w.now().In(content.Zone).Format("2006-01-02 15:04"), Channels: []content.Channel{content.Zalo}}
	if _, err := w.desk.AddSchedule(ctx, officer, editorial.ScheduleRequest{Campaign: "action-month/2026", Keys: []string{"phat-dong"}, Schedule: sc}); err != nil {
		w.t.Fatal(err)
	}
	w.tick()
	ds, err := w.db.Deliveries(ctx, scheduler.DeliveryFilter{Assignee: "to-truong-1", States: []scheduler.DeliveryState{scheduler.Assigned}})
	if err != nil || len(ds) != 1 {
		w.t.Fatalf("the block leader has %d posts to paste (%v)", len(ds), err)
	}
	return ds[0]
}

func (w *ward) user(name string) staff.User {
	w.t.Helper()
	u, err := w.db.User(context.Background(), name)
	if err != nil {
		w.t.Fatal(err)
	}
	return u
}

func (w *ward) link(kind field.Kind, target int64, who string) field.Issued {
	w.t.Helper()
	l, err := w.links.Issue(context.Background(), officer, kind, target, w.user(who))
	if err != nil {
		w.t.Fatal(err)
	}
	return l
}

// TestTaskLinkOpensItsTaskAndNothingElse: a block leader's link shows the
// post and takes the confirmation with the group's size, which the ledger
// and the year report count; the link refuses another task's form, and the
// token opens no other page of the dashboard, however it is presented.
func TestTaskLinkOpensItsTaskAndNothingElse(t *testing.T) {
	w := newWard(t)
	ctx := context.Background()
	post := w.withGroupTask()
	_, radioTask := w.withTask()
	link := w.link(field.Delivery, post.ID, "to-truong-1")
	if !strings.HasPrefix(link.URL, w.srv.URL+"/t/") || len(link.Token) != 43 {
		t.Fatalf("link %q", link.URL)
	}
	anon := w.client("")
	res, body := anon.get("/t/" + link.Token)
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "Tổ dân phố 1") || !strings.Contains(body, `id="post-text"`) || !strings.Contains(body, "Đã đăng") {
		t.Fatalf("task page: %d\n%s", res.StatusCode, body)
	}
	if res.Header.Get("Referrer-Policy") != "no-referrer" || res.Header.Get("Cache-Control") != "no-store" {
		t.Errorf("a task page may leak its token: %v", res.Header)
	}
	if res, _ := anon.get("/t/" + link.Token + "/audio"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a post's link gives audio: %d", res.StatusCode)
	}

	// The token is no key to anything else: as a cookie, a bearer, a query.
	gets := []string{"/", "/calendar", "/tasks", "/runs", "/residents", "/downloads", "/settings", "/approvals", "/messages/new",
		fmt.Sprintf("/messages/%d", w.message("action-month/2026/phat-dong").ID), fmt.Sprintf("/runs/%d", post.RunID), "/photos/1",
		"/downloads/report/2026/xlsx", "/downloads/radio", "/zalo/callback"}
	for _, path := range gets {
		for _, how := range []string{"cookie", "bearer", "query"} {
			req, _ := http.NewRequest(http.MethodGet, w.srv.URL+path, nil)
			switch how {
			case "cookie":
				req.AddCookie(&http.Cookie{Name: "loa_session", Value: link.Token})
			case "bearer":
				req.Header.Set("Authorization", "Bearer "+link.Token)
			case "query":
				req.URL.RawQuery = "token=" + link.Token + "&t=" + link.Token
			}
			res, _ := anon.do(req)
			if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login") {
				t.Errorf("GET %s with the token as a %s: %d %s", path, how, res.StatusCode, res.Header.Get("Location"))
			}
		}
	}
	replacer := strings.NewReplacer("{id}", fmt.Sprint(post.ID), "{action}", "approve", "{name}", "lanhdao")
	for _, route := range dashboard.Changes {
		path := replacer.Replace(strings.TrimPrefix(route, "POST "))
		req, _ := http.NewRequest(http.MethodPost, w.srv.URL+path, strings.NewReader("done=yes&reach=120&task="+fmt.Sprint(post.ID)))
		req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		req.AddCookie(&http.Cookie{Name: "loa_session", Value: link.Token})
		if res, _ := anon.do(req); res.StatusCode != http.StatusUnauthorized {
			t.Errorf("%s with the token as a cookie: %d, want 401", route, res.StatusCode)
		}
	}

	// The link's form sent with another task's id changes neither.
	res, body = anon.postBody("/t/"+link.Token, url.Values{"task": {fmt.Sprint(radioTask)}, "done": {"yes"}}, sameOrigin(w))
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "một việc khác") {
		t.Errorf("another task through this link: %d", res.StatusCode)
	}
	for _, id := range []int64{post.ID, radioTask} {
		if d := w.delivery(id); d.State != scheduler.Assigned {
			t.Errorf("task %d is %s after the refusals", id, d.State)
		}
	}

	// The block leader confirms with the group's size.
	res, _ = anon.postBody("/t/"+link.Token, url.Values{"task": {fmt.Sprint(post.ID)}, "done": {"yes"}, "reach": {"120"}}, sameOrigin(w))
	if res.StatusCode != http.StatusSeeOther {
		t.Fatalf("confirm: %d", res.StatusCode)
	}
	d := w.delivery(post.ID)
	if d.State != scheduler.Done || d.Reach != 120 || d.ConfirmedBy != "to-truong-1" || d.Note != "xác nhận qua liên kết" {
		t.Errorf("after the link: %+v", d)
	}
	if _, body := anon.get("/t/" + link.Token + "?saved=1"); !strings.Contains(body, "Đã ghi nhận") || strings.Contains(body, `name="reach"`) ||
		!strings.Contains(body, w.user("to-truong-1").FullName+" · ") {
		t.Error("the page after confirming still asks, or does not say it was recorded")
	}
	if res, _ := anon.postBody("/t/"+link.Token, url.Values{"task": {fmt.Sprint(post.ID)}, "done": {"yes"}, "reach": {"999"}}, sameOrigin(w)); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a second confirmation: %d", res.StatusCode)
	}
	if d := w.delivery(post.ID); d.Reach != 120 {
		t.Errorf("the second confirmation changed the reach to %d", d.Reach)
	}
	log, err := w.db.Audit(ctx, "delivery", post.ID)
	if err != nil || len(log) != 1 || log[0].Actor != "to-truong-1" || log[0].Action != "done" {
		t.Errorf("audit: %+v %v", log, err)
	}
	rep, err := w.office.YearReport(ctx, 2026, func(string, string) float64 { return 1 })
	if err != nil || rep.Total().GroupReach != 120 || rep.Total().GroupPosts != 1 {
		t.Errorf("year report: %d posts reaching %d (%v)", rep.Total().GroupPosts, rep.Total().GroupReach, err)
	}
}

func sameOrigin(w *ward) map[string]string {
	return map[string]string{"Origin": w.srv.URL, "Sec-Fetch-Site": "same-origin"}
}

func (w *ward) delivery(id int64) scheduler.Delivery {
	w.t.Helper()
	ds, err := w.db.Deliveries(context.Background(), scheduler.DeliveryFilter{ID: id})
	if err != nil || len(ds) != 1 {
		w.t.Fatalf("delivery %d: %v", id, err)
	}
	return ds[0]
}

// TestTaskLinkRefusals: a tampered, expired, revoked link, or one whose
// person lost the task, is refused with a page that says why.
func TestTaskLinkRefusals(t *testing.T) {
	w := newWard(t)
	ctx := context.Background()
	post := w.withGroupTask()
	anon := w.client("")
	good := w.link(field.Delivery, post.ID, "to-truong-1")
	flip := func(s string, i int) string {
		b := []byte(s)
		if b[i] == 'A' {
			b[i] = 'B'
		} else {
			b[i] = 'A'
		}
		return string(b)
	}
	for _, bad := range []string{flip(good.Token, 0), flip(good.Token, 42), good.Token[:42], good.Token + "A", "../../settings", strings.ToUpper(good.Token)} {
		res, body := anon.get("/t/" + url.PathEscape(bad))
		if res.StatusCode != http.StatusNotFound || !strings.Contains(body, "liên kết không hợp lệ") {
			t.Errorf("tampered %q: %d", bad, res.StatusCode)
		}
	}
	revoked := w.link(field.Delivery, post.ID, "to-truong-1")
	if _, err := w.links.Revoke(ctx, staff.Actor{Name: "to-truong-1", Role: staff.BlockLeader}, field.Delivery, post.ID); err != staff.ErrForbidden {
		t.Errorf("a block leader revokes: %v", err)
	}
	if res := w.client("canbo").post(fmt.Sprintf("/tasks/%d/revoke", post.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("revoke: %d", res.StatusCode)
	}
	for _, l := range []field.Issued{good, revoked} {
		if res, body := anon.get("/t/" + l.Token); res.StatusCode != http.StatusGone || !strings.Contains(body, "thu hồi") {
			t.Errorf("revoked link: %d", res.StatusCode)
		}
	}
	fresh := w.link(field.Delivery, post.ID, "to-truong-1")
	if res, _ := anon.get("/t/" + fresh.Token); res.StatusCode != http.StatusOK {
		t.Errorf("a link issued after the revocation: %d", res.StatusCode)
	}
	w.advance(72*time.Hour + time.Second)
	res, body := anon.get("/t/" + fresh.Token)
	if res.StatusCode != http.StatusGone || !strings.Contains(body, "hết hạn") {
		t.Errorf("expired link: %d", res.StatusCode)
	}
	if res, _ := anon.postBody("/t/"+fresh.Token, url.Values{"task": {fmt.Sprint(post.ID)}, "done": {"yes"}}, sameOrigin(w)); res.StatusCode != http.StatusGone {
		t.Errorf("confirming with an expired link: %d", res.StatusCode)
	}
	if d := w.delivery(post.ID); d.State != scheduler.Assigned {
		t.Errorf("the task is %s", d.State)
	}
	// A link is issued only to the task's person.
	if _, err := w.links.Issue(ctx, officer, field.Delivery, post.ID, w.user("to-truong-2")); err == nil {
		t.Error("a link to another block's post was issued")
	}
}

// TestBannerLinkKeepsThePhoto: a crew member marks a line hung with a
// photo from the phone; the photo is in the database (and so in a backup)
// and the office sees it.
func TestBannerLinkKeepsThePhoto(t *testing.T) {
	w := newWard(t)
	ctx := context.Background()
	c, err := w.db.Campaign(ctx, "action-month", 2026)
	if err != nil {
		t.Fatal(err)
	}
	ids, err := w.db.AddBanners(ctx, c.ID, []banner.Line{{Slogan: "Bình đẳng giới là chìa khóa", Place: "Cổng UBND phường", Kind: banner.Street,
		Size: "5 × 0,8 m", Count: 2, HangOn: content.DateOf(start), DownOn: content.DateOf(start).AddDays(21), Responsible: "to-truong-2"}}, "canbo", start)
	if err != nil {
		t.Fatal(err)
	}
	link := w.link(field.Banner, ids[0], "to-truong-2")
	if !link.Expires.After(content.DateOf(start).AddDays(22).Time(0, 0)) {
		t.Errorf("a banner link ends %s, before the take-down date", link.Expires)
	}
	anon := w.client("")
	if _, body := anon.get("/t/" + link.Token); !strings.Contains(body, "Cổng UBND phường") || !strings.Contains(body, "Đã treo") || !strings.Contains(body, `capture="environment"`) {
		t.Fatalf("banner page:\n%s", body)
	}
	img := image.NewRGBA(image.Rect(0, 0, 64, 48))
	img.Set(3, 3, color.RGBA{200, 30, 30, 255})
	var photo bytes.Buffer
	_ = jpeg.Encode(&photo, img, nil)
	upload := func(state string, data []byte) *http.Response {
		var body bytes.Buffer
		mw := multipart.NewWriter(&body)
		_ = mw.WriteField("task", fmt.Sprint(ids[0]))
		_ = mw.WriteField("state", state)
		fw, _ := mw.CreateFormFile("photo", "IMG_0001.jpg")
		_, _ = fw.Write(data)
		mw.Close()
		req, _ := http.NewRequest(http.MethodPost, w.srv.URL+"/t/"+link.Token, &body)
		req.Header.Set("Content-Type", mw.FormDataContentType())
		req.Header.Set("Sec-Fetch-Site", "same-origin")
		res, _ := anon.do(req)
		return res
	}
	if res := upload("hung", photo.Bytes()[:photo.Len()/2]); res.StatusCode != http.StatusBadRequest {
		t.Errorf("half a photo: %d", res.StatusCode)
	}
	if ls, _ := w.db.Banners(ctx, banner.Filter{ID: ids[0]}); ls[0].State != banner.Planned {
		t.Errorf("half a photo moved the line to %s", ls[0].State)
	}
	if res := upload("hung", photo.Bytes()); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("hang with a photo: %d", res.StatusCode)
	}
	ls, _ := w.db.Banners(ctx, banner.Filter{ID: ids[0]})
	if ls[0].State != banner.Hung || ls[0].By != "to-truong-2" || !strings.HasPrefix(ls[0].Photo, "photo:") {
		t.Fatalf("line after hanging: %+v", ls[0])
	}
	var id int64
	fmt.Sscanf(ls[0].Photo, "photo:%d", &id)
	kept, err := w.db.Photo(ctx, id)
	if err != nil || !bytes.Equal(kept.Data, photo.Bytes()) || kept.TakenBy != "to-truong-2" {
		t.Fatalf("photo kept: %v", err)
	}
	if res, body := w.client("canbo").get("/photos/" + fmt.Sprint(id)); res.StatusCode != http.StatusOK || body != photo.String() {
		t.Errorf("the office sees the photo: %d", res.StatusCode)
	}
	if res, _ := anon.get("/photos/" + fmt.Sprint(id)); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a photo without signing in: %d", res.StatusCode)
	}
	// A backup holds it.
	dest := filepath.Join(t.TempDir(), "copy.db")
	if err := w.db.Backup(ctx, dest, w.now()); err != nil {
		t.Fatal(err)
	}
	cp, err := store.Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer cp.Close()
	if p, err := cp.Photo(ctx, id); err != nil || !bytes.Equal(p.Data, photo.Bytes()) {
		t.Errorf("the backup lacks the photo: %v", err)
	}
	// Then taken down, without a photo.
	if res := upload("removed", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("take down: %d", res.StatusCode)
	}
	if ls, _ := w.db.Banners(ctx, banner.Filter{ID: ids[0]}); ls[0].State != banner.Removed || ls[0].Photo != "photo:"+fmt.Sprint(id) {
		t.Errorf("after taking down: %+v", ls[0])
	}
}

// inbox is a notice channel that keeps what it is given, as a person's
// phone would: the test reads the link from it.
type inbox struct{ got []notify.Message }

func (b *inbox) Send(_ context.Context, _ staff.User, m notify.Message) error {
	b.got = append(b.got, m)
	return nil
}

// TestBlockLeaderConfirmsFromAPhone: the block leader gets the notice,
// opens its link on a phone, copies the post and confirms with the group's
// size; the office then sees the reach on the run's page.
func TestBlockLeaderConfirmsFromAPhone(t *testing.T) {
	ctx := browser(t)
	dir := screenshots(t)
	w := newWard(t)
	post := w.withGroupTask()
	phone := &inbox{}
	w.router.Channels["email"] = phone
	u := w.user("to-truong-1")
	u.Email = "totruong1@example.vn"
	if err := w.db.SetContact(context.Background(), u, "canbo", w.now()); err != nil {
		t.Fatal(err)
	}
	if n, err := w.links.Announce(context.Background(), w.router); err != nil || n == 0 {
		t.Fatalf("announce: %d %v", n, err)
	}
	var link string
	for _, m := range phone.got {
		if strings.Contains(m.Text, fmt.Sprintf("#%d", post.ID)) {
			link = m.Link
		}
	}
	if !strings.HasPrefix(link, w.srv.URL+"/t/") {
		t.Fatalf("no link in the notices: %+v", phone.got)
	}
	var text string
	err := do(ctx,
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(link),
		chromedp.WaitVisible(chromedp.CSS(`#post-text`)),
		waitText(`#group`, "Tổ dân phố 1"),
		shot(dir, "13-block-leader-task-phone"),
		chromedp.Click(chromedp.CSS(`button[data-copy]`)),
		waitText(`button[data-copy]`, "Đã chép"),
		void(chromedp.Evaluate[string](`document.querySelector("#post-text").value`)),
		chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
			var err error
			text, err = chromedp.Evaluate[string](`document.querySelector("#post-text").value`)(ctx, tg)
			return err
		}),
		chromedp.SendKeys(chromedp.CSS(`#reach`), "120"),
		chromedp.Click(chromedp.CSS(`#done`)),
		waitText(`p.ok`, "Đã ghi nhận"),
		shot(dir, "14-block-leader-confirmed-phone"),
	)
	if err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(text, "bình đẳng giới") {
		t.Errorf("the post to copy: %q", text)
	}
	if d := w.delivery(post.ID); d.State != scheduler.Done || d.Reach != 120 || d.ConfirmedBy != "to-truong-1" {
		t.Errorf("ledger: %+v", d)
	}
	err = do(ctx,
		signIn(w.srv.URL, "to-truong-1"),
		waitText(`ul.notices`, "đã gửi qua e-mail"),
		shot(dir, "19-block-leader-today-notices"),
		signOut(),
		chromedp.EmulateViewport(1366, 900),
		signIn(w.srv.URL, "canbo"),
		chromedp.Navigate(fmt.Sprintf("%s/runs/%d", w.srv.URL, post.RunID)),
		waitText(`main`, "120"),
		shot(dir, "15-run-with-reach"),
	)
	if err != nil {
		t.Fatal(err)
	}
}

// TestSettingsSetsHowNoticesReach: the administrator records a block
// leader's e-mail, Zalo id and order; a wrong address is refused with the
// field named, and a person may change only their own.
func TestSettingsSetsHowNoticesReach(t *testing.T) {
	w := newWard(t)
	admin := w.client("quantri")
	form := url.Values{"email": {"hoa@luukiem.gov.vn"}, "zalo_id": {"81011"}, "notify": {"zalo,email"}, "digest": {"yes"}}
	if res := admin.post("/settings/users/to-truong-1/contact", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("set contact: %d", res.StatusCode)
	}
	u := w.user("to-truong-1")
	if u.Email != "hoa@luukiem.gov.vn" || u.ZaloID != "81011" || strings.Join(u.Notify, ",") != "zalo,email" || !u.Digest {
		t.Errorf("contact: %+v", u)
	}
	if _, page := admin.get("/settings"); !strings.Contains(page, "Zalo 81011") || !strings.Contains(page, "ngoài cửa sổ") {
		t.Error("the settings page does not say Zalo cannot reach the block leader now")
	}
	res, body := admin.postBody("/settings/users/to-truong-1/contact", url.Values{"email": {"hoa@"}}, sameOrigin(w))
	if res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "e-mail") {
		t.Errorf("a wrong address: %d", res.StatusCode)
	}
	if res := w.client("to-truong-2").post("/settings/users/to-truong-1/contact", form); res.StatusCode != http.StatusForbidden {
		t.Errorf("a block leader changes another's contact: %d", res.StatusCode)
	}
	if res := w.client("to-truong-2").post("/settings/users/to-truong-2/contact", url.Values{"email": {"nam@luukiem.gov.vn"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a block leader sets their own: %d", res.StatusCode)
	}
}

// TestRadioBannerAndSheetPages: the operator's slot and a crew's banner
// line on a phone, and the officer's printed day sheet with a QR code for
// each person's task.
func TestRadioBannerAndSheetPages(t *testing.T) {
	ctx := browser(t)
	dir := screenshots(t)
	w := newWard(t)
	bctx := context.Background()
	_, radio := w.withTask()
	post := w.withGroupTask()
	c, _ := w.db.Campaign(bctx, "action-month", 2026)
	ids, err := w.db.AddBanners(bctx, c.ID, []banner.Line{{Slogan: "Bình đẳng giới là chìa khóa", Place: "Cổng UBND phường", Kind: banner.Street,
		Size: "5 × 0,8 m", Count: 2, HangOn: content.DateOf(start), DownOn: content.DateOf(start).AddDays(21), Responsible: "to-truong-2"}}, "canbo", start)
	if err != nil {
		t.Fatal(err)
	}
	radioLink := w.link(field.Delivery, radio, "dai-truyen-thanh")
	bannerLink := w.link(field.Banner, ids[0], "to-truong-2")
	steps := []chromedp.Action[chromedp.Void]{
		chromedp.EmulateViewport(390, 844, chromedp.EmulateScale(2), chromedp.EmulateMobile),
		chromedp.Navigate(radioLink.URL),
		waitText(`main h1`, "Phát trên loa"),
		waitText(`#script`, "Kính thưa"),
		waitText(`main`, "Đã phát"),
		shot(dir, "16-operator-slot-phone"),
		chromedp.Navigate(bannerLink.URL),
		waitText(`p.slogan`, "chìa khóa"),
		waitJS(`!!document.querySelector('input[type=file][capture=environment]')`),
		shot(dir, "17-crew-banner-phone"),
		chromedp.EmulateViewport(1000, 1400),
		signIn(w.srv.URL, "canbo"),
		chromedp.Navigate(w.srv.URL + "/tasks"),
		// The form opens the sheet in a new tab; post it here instead.
		void(chromedp.Evaluate[bool](`(() => { const f = document.querySelector('form[action="/tasks/sheet"]'); f.removeAttribute("target"); f.submit(); return true; })()`)),
		waitJS(`(() => { const qs = [...document.querySelectorAll('.sheet-item img.qr')]; return qs.length >= 3 && qs.every(q => q.complete && q.naturalWidth >= 200); })()`),
		shot(dir, "18-day-sheet"),
	}
	if speechAvailable() {
		steps = append(steps[:5], append([]chromedp.Action[chromedp.Void]{waitJS(`!!document.querySelector('audio[src$="/audio"]')`)}, steps[5:]...)...)
	}
	if err := do(ctx, steps...); err != nil {
		t.Fatal(err)
	}
	var items []string
	if err := do(ctx, chromedp.Func(func(ctx context.Context, tg *chromedp.Target) error {
		var err error
		items, err = chromedp.Evaluate[[]string](`[...document.querySelectorAll('.sheet-item')].map(e => e.innerText)`)(ctx, tg)
		return err
	})); err != nil {
		t.Fatal(err)
	}
	var sawPost, sawRadio, sawBanner bool
	for _, it := range items {
		sawPost = sawPost || strings.Contains(it, fmt.Sprintf("#%d", post.ID)) && strings.Contains(it, "Tổ dân phố 1")
		sawRadio = sawRadio || strings.Contains(it, fmt.Sprintf("#%d", radio)) && strings.Contains(it, "Phát trên loa")
		sawBanner = sawBanner || strings.Contains(it, "Cổng UBND phường")
	}
	if !sawPost || !sawRadio || !sawBanner {
		t.Errorf("the day sheet lacks a task: %q", items)
	}
}

func speechAvailable() bool { return speech.FindSynth().Espeak != "" }

// TestAnnounceTellsOnceAndAgainWhenOverdue: a waiting post is told to its
// block leader once, however often Loa looks, and once more, with a new
// link, when it is overdue.
func TestAnnounceTellsOnceAndAgainWhenOverdue(t *testing.T) {
	w := newWard(t)
	ctx := context.Background()
	post := w.withGroupTask()
	phone := &inbox{}
	w.router.Channels["email"] = phone
	u := w.user("to-truong-1")
	u.Email = "hoa@luukiem.test"
	if err := w.db.SetContact(ctx, u, "canbo", w.now()); err != nil {
		t.Fatal(err)
	}
	mine := func() (out []notify.Message) {
		for _, m := range phone.got {
			if strings.Contains(m.Text, fmt.Sprintf("#%d", post.ID)) {
				out = append(out, m)
			}
		}
		return out
	}
	for range 3 {
		if _, err := w.links.Announce(ctx, w.router); err != nil {
			t.Fatal(err)
		}
	}
	if got := mine(); len(got) != 1 {
		t.Fatalf("told %d times", len(got))
	}
	w.advance(3 * time.Hour) // the ward's tasks are overdue after 2 hours
	for range 2 {
		if _, err := w.links.Announce(ctx, w.router); err != nil {
			t.Fatal(err)
		}
	}
	got := mine()
	if len(got) != 2 || !strings.Contains(got[1].Text, "Nhắc lại") || got[1].Link == got[0].Link {
		t.Fatalf("overdue reminder: %+v", got)
	}
	if res, _ := w.client("").get(strings.TrimPrefix(got[1].Link, w.srv.URL)); res.StatusCode != http.StatusOK {
		t.Errorf("the reminder's link: %d", res.StatusCode)
	}
}
