package dashboard_test

import (
	"context"
	"regexp"
	"time"

	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"

	"github.com/loa-ward/loa/privacy"
	"github.com/loa-ward/loa/speech"

	"github.com/loa-ward/loa/demo"
)

func TestResidentsDownloadsAndSettings(t *testing.T) {
	w := newWard(t)
	officer := w.client("canbo")
	// Counts for everyone; a person's data only for the officer.
	if res, body := w.client("lanhdao").get("/residents"); res.StatusCode != http.StatusOK || !strings.Contains(body, "đang nhận tin") || strings.Contains(body, `name="q"`) {
		t.Errorf("residents as leader: %d", res.StatusCode)
	}
	res, body := officer.get("/residents?q=" + demo.ZaloID(1))
	if res.StatusCode != http.StatusOK || !strings.Contains(body, demo.ZaloID(1)) || !strings.Contains(body, "Lịch sử đồng ý") || !strings.Contains(body, "đồng ý nhận tin · demo · zalo qua demo") {
		t.Fatalf("search: %d\n%s", res.StatusCode, body)
	}
	if res := officer.post("/residents/forget", url.Values{"channel": {"zalo"}, "id": {demo.ZaloID(1)}, "confirm": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("forget: %d", res.StatusCode)
	}
	if _, body := officer.get("/residents?q=" + demo.ZaloID(1)); strings.Contains(body, demo.ZaloID(1)+"</td>") {
		t.Error("the resident is still there after deletion")
	}
	// Downloads: the radio day sheet, a banner list, the year report.
	for _, c := range []struct{ path, typ, want string }{
		{"/downloads", "text/html", "Lịch phát thanh cả tuần"},
		{"/downloads/radio?date=2026-11-26", "text/html", "Lịch phát thanh ngày 26/11/2026"},
		{"/reports/file?year=2026&format=html", "text/html", "II. KẾT QUẢ THỰC HIỆN"},
		{"/reports/file?year=2026&format=xlsx", "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "PK"},
	} {
		res, body := officer.get(c.path)
		if res.StatusCode != http.StatusOK || !strings.HasPrefix(res.Header.Get("Content-Type"), c.typ) || !strings.Contains(body, c.want) {
			t.Errorf("%s: %d %s %.200q", c.path, res.StatusCode, res.Header.Get("Content-Type"), body)
		}
	}
	if res, _ := officer.get("/downloads/report/2026/xlsx"); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/reports/file?year=2026&format=xlsx" {
		t.Errorf("the old address: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The operator makes the day's printouts and audio, and downloads them.
	op := w.client("dai-truyen-thanh")
	if res := op.post("/downloads/radio/audio", url.Values{"date": {"2026-11-26"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("make the day's files: %d", res.StatusCode)
	}
	_, body = op.get("/downloads?day=2026-11-26")
	link := regexp.MustCompile(`href="(/downloads/radio/files/2026-11-26/0530-[a-z0-9-]+\.html)"`).FindStringSubmatch(body)
	if link == nil || !strings.Contains(body, "lich.html") {
		t.Fatalf("the day's files are not listed:\n%s", body)
	}
	if speech.FindSynth().Espeak != "" && !strings.Contains(body, ".wav") {
		t.Error("no audio listed although espeak-ng is installed")
	}
	if res, page := op.get(link[1]); res.StatusCode != http.StatusOK || !strings.Contains(page, "Đài Truyền thanh phường Lưu Kiếm") {
		t.Errorf("script printout: %d", res.StatusCode)
	}
	if res, _ := op.get("/downloads/radio/files/2026-11-26/..%2f..%2floa.db"); res.StatusCode != http.StatusNotFound {
		t.Errorf("a path out of the radio folder: %d", res.StatusCode)
	}
	// Settings and a backup, for the administrator.
	admin := w.client("quantri")
	if res, body := admin.get("/settings"); res.StatusCode != http.StatusOK || !strings.Contains(body, "telegram.token") || !strings.Contains(body, "Trần Văn Hùng (demo)") {
		t.Errorf("settings: %d", res.StatusCode)
	}
	if res := admin.post("/settings/backup", nil); res.StatusCode != http.StatusSeeOther || !strings.Contains(res.Header.Get("Location"), "backup=") {
		t.Fatalf("backup: %d", res.StatusCode)
	}
	if fi, err := os.Stat(w.backups + "/loa.db"); err != nil || fi.Size() == 0 {
		t.Errorf("backup file: %v", err)
	}
	// Accounts from the page: add one, it signs in; disable it, it cannot.
	if res := admin.post("/settings/users", url.Values{"name": {"mai.vhxh"}, "full_name": {"Phạm Thị Mai"}, "title": {"Công chức"}, "role": {"officer"}, "password": {"mat-khau-cua-mai"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add user: %d", res.StatusCode)
	}
	mai := w.client("")
	if res := mai.post("/login", url.Values{"name": {"mai.vhxh"}, "password": {"mat-khau-cua-mai"}}); res.StatusCode != http.StatusSeeOther || res.Header.Get("Location") != "/" {
		t.Errorf("the new account signs in: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	if res, body := admin.postBody("/settings/users", url.Values{"name": {"Mai Anh"}, "full_name": {"X"}, "role": {"officer"}}, map[string]string{"Origin": admin.base}); res.StatusCode != http.StatusBadRequest || !strings.Contains(body, "chữ thường không dấu") {
		t.Errorf("a bad login from the page: %d", res.StatusCode)
	}
	if res := admin.post("/settings/users/mai.vhxh/disable", nil); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("disable: %d", res.StatusCode)
	}
	if res, _ := mai.get("/"); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a disabled account's session lives: %d", res.StatusCode)
	}
}

// TestPrivacyRequestsAndNotice: the notice is public; the officer records
// a request received at the office, sees its deadline, marks it done;
// a request past its deadline is flagged; the paper form prints numbered.
func TestPrivacyRequestsAndNotice(t *testing.T) {
	w := newWard(t)
	anon := w.client("")
	if res, body := anon.get("/privacy"); res.StatusCode != http.StatusOK || !strings.Contains(body, "Bên kiểm soát dữ liệu cá nhân là Ủy ban nhân dân phường Lưu Kiếm") ||
		!strings.Contains(body, "/toi") || !strings.Contains(body, "DUNG") {
		t.Errorf("/privacy without signing in: %d\n%s", res.StatusCode, body)
	}
	if res, body := anon.get("/privacy?lang=en"); !strings.Contains(body, "The controller of your personal data is Ủy ban nhân dân phường Lưu Kiếm") {
		t.Errorf("/privacy in English: %d", res.StatusCode)
	}
	officer := w.client("canbo")
	if res := officer.post("/residents/requests", url.Values{"kind": {"delete"}, "via": {"paper"}, "note": {"phiếu PĐK-2026-0003"}}); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("record a request: %d", res.StatusCode)
	}
	if res := officer.post("/residents/requests", url.Values{"kind": {"sell"}, "via": {"paper"}}); res.StatusCode != http.StatusBadRequest {
		t.Errorf("a request of no kind: %d", res.StatusCode)
	}
	// One came three weeks ago and is still open: late.
	old := w.now().Add(-21 * 24 * time.Hour)
	if _, err := w.db.AddRequest(context.Background(), privacy.Request{Kind: privacy.See, Via: "phone", ReceivedAt: old, DueAt: privacy.Due(old, 15)}, "canbo", old); err != nil {
		t.Fatal(err)
	}
	_, page := officer.get("/residents")
	for _, want := range []string{"xóa dữ liệu", "phiếu PĐK-2026-0003", "1 yêu cầu quá hạn.", `class="late"`, "/residents/requests/1/done"} {
		if !strings.Contains(page, want) {
			t.Errorf("the residents page lacks %q", want)
		}
	}
	if res := officer.post("/residents/requests/1/done", nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("mark done: %d", res.StatusCode)
	}
	reqs, _ := w.db.Requests(context.Background(), time.Time{})
	for _, r := range reqs {
		if r.ID == 1 && (r.Open() || r.DoneBy != "canbo") {
			t.Errorf("request 1 after done: %+v", r)
		}
	}
	if _, page := w.client("lanhdao").get("/residents"); !strings.Contains(page, "1 yêu cầu quá hạn.") || strings.Contains(page, "/residents/requests/2/done") {
		t.Error("a leader does not see the requests' deadlines, or may mark one done")
	}
	// The year report's annex counts them.
	if _, annex := officer.get("/reports/file?year=2026&format=csv"); !strings.Contains(annex, "13,Yêu cầu của người dân về dữ liệu cá nhân,yêu cầu,2") ||
		!strings.Contains(annex, "Xóa dữ liệu,yêu cầu,1") || !strings.Contains(annex, "Trong đó xử lý quá hạn,yêu cầu,1") {
		t.Errorf("the annex does not count the requests:\n%s", annex)
	}
	res, form := officer.get("/residents/form?from=7&count=2")
	if res.StatusCode != http.StatusOK || !strings.Contains(form, "PĐK-2026-0007") || !strings.Contains(form, "PĐK-2026-0008") || strings.Contains(form, "PĐK-2026-0009") ||
		strings.Contains(form, "checked") || !strings.Contains(form, "size: A4") {
		t.Errorf("the sign-up form: %d", res.StatusCode)
	}
	if res, _ := w.client("to-truong-1").get("/residents/form"); res.StatusCode != http.StatusForbidden {
		t.Errorf("a block leader prints the sign-up form: %d", res.StatusCode)
	}
}
