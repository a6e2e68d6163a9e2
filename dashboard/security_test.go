package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/dashboard"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
)

// withTask gives the radio operator a script due now and returns its task.
func (w *ward) withTask() (runID, taskID int64) {
	w.t.Helper()
	ctx := context.Background()
	sc := scheduler.Schedule{Kind: scheduler.KindAt, Spec: w.now().In(content.Zone).Format("2006-01-02 15:04"),
		Channels: []content.Channel{content.Loudspeaker}, Audience: "to:dai-truyen-thanh"}
	if _, err := w.desk.AddSchedule(ctx, officer, editorial.ScheduleRequest{Campaign: "action-month/2026", Keys: []string{"phat-dong"}, Schedule: sc}); err != nil {
		w.t.Fatal(err)
	}
	w.tick()
	ts, err := w.office.Tasks(ctx, officer, office.TaskFilter{})
	if err != nil {
		w.t.Fatal(err)
	}
	for _, d := range ts.Deliveries {
		if d.Channel == content.Loudspeaker {
			return d.RunID, d.ID
		}
	}
	w.t.Fatalf("no radio task: %v", ts)
	return 0, 0
}

func TestEveryChangeRefusesTheWrongRole(t *testing.T) {
	w := newWard(t)
	runID, taskID := w.withTask()
	submitted := w.message("action-month/2026/tong-ket-thang-hanh-dong").ID
	draft := w.message("vn-womens-day/2026/chuyen-doi-so").ID
	approved := w.message("action-month/2026/phat-dong").ID
	sched := url.Values{"campaign": {"action-month/2026"}, "message": {"phat-dong"}, "kind": {"at"}, "spec": {"2026-11-30 08:00"}, "channel": {"zalo"}}
	activity := url.Values{"kind": {"hoi-nghi"}, "campaign": {"action-month/2026"}, "date": {"2026-11-20"}, "place": {"Hội trường"}, "unit": {"UBND"}, "participants": {"50"}}
	newDraft := url.Values{"campaign": {"action-month/2026"}, "key": {"thu"}, "title": {"Thử"}, "zalo": {"Xin chào"}}
	cases := []struct {
		route, who, path string
		form             url.Values
	}{
		{"POST /preview", "dai-truyen-thanh", "/preview", newDraft},
		{"POST /messages", "dai-truyen-thanh", "/messages", newDraft},
		{"POST /messages", "to-truong-1", "/messages", newDraft},
		{"POST /messages/{id}/{action}", "canbo", fmt.Sprintf("/messages/%d/approve", submitted), nil},
		{"POST /messages/{id}/{action}", "canbo", fmt.Sprintf("/messages/%d/reject", submitted), url.Values{"reason": {"x"}}},
		{"POST /messages/{id}/{action}", "dai-truyen-thanh", fmt.Sprintf("/messages/%d/approve", submitted), nil},
		{"POST /messages/{id}/{action}", "to-truong-1", fmt.Sprintf("/messages/%d/withdraw", submitted), nil},
		{"POST /messages/{id}/{action}", "dai-truyen-thanh", fmt.Sprintf("/messages/%d/submit", draft), nil},
		{"POST /messages/{id}/{action}", "to-truong-2", fmt.Sprintf("/messages/%d/archive", approved), nil},
		{"POST /runs/{id}/resend", "lanhdao", fmt.Sprintf("/runs/%d/resend", runID), url.Values{"state": {"unknown"}, "confirm": {"yes"}}},
		{"POST /runs/{id}/resend", "dai-truyen-thanh", fmt.Sprintf("/runs/%d/resend", runID), url.Values{"state": {"dead"}, "confirm": {"yes"}}},
		{"POST /tasks/{id}", "to-truong-1", fmt.Sprintf("/tasks/%d", taskID), url.Values{"done": {"yes"}}},
		{"POST /tasks/{id}", "lanhdao", fmt.Sprintf("/tasks/%d", taskID), url.Values{"done": {"yes"}}},
		{"POST /tasks/{id}/revoke", "to-truong-1", fmt.Sprintf("/tasks/%d/revoke", taskID), nil},
		{"POST /tasks/{id}/revoke", "dai-truyen-thanh", fmt.Sprintf("/tasks/%d/revoke", taskID), nil},
		{"POST /tasks/sheet", "to-truong-1", "/tasks/sheet", nil},
		{"POST /tasks/sheet", "lanhdao", "/tasks/sheet", nil},
		{"POST /activities", "lanhdao", "/activities", activity},
		{"POST /activities", "dai-truyen-thanh", "/activities", activity},
		{"POST /activities/import", "to-truong-1", "/activities/import", nil},
		{"POST /activities/{id}/files", "lanhdao", "/activities/1/files", nil},
		{"POST /activities/{id}/remove", "to-truong-2", "/activities/1/remove", nil},
		{"POST /reports", "lanhdao", "/reports", url.Values{"campaign": {"action-month/2026"}, "subject": {"Báo cáo"}}},
		{"POST /reports", "dai-truyen-thanh", "/reports", url.Values{"year": {"2026"}, "subject": {"Báo cáo"}}},
		{"POST /schedules/preview", "to-truong-1", "/schedules/preview", sched},
		{"POST /schedules", "lanhdao", "/schedules", sched},
		{"POST /schedules", "dai-truyen-thanh", "/schedules", sched},
		{"POST /schedules/{id}/remove", "lanhdao", "/schedules/1/remove", nil},
		{"POST /residents/forget", "lanhdao", "/residents/forget", url.Values{"channel": {"zalo"}, "id": {demo.ZaloID(1)}, "confirm": {"yes"}}},
		{"POST /residents/forget", "to-truong-1", "/residents/forget", url.Values{"channel": {"zalo"}, "id": {demo.ZaloID(1)}, "confirm": {"yes"}}},
		{"POST /residents/requests", "lanhdao", "/residents/requests", url.Values{"kind": {"delete"}, "via": {"paper"}}},
		{"POST /residents/requests/{id}/done", "to-truong-1", "/residents/requests/1/done", nil},
		{"POST /settings/backup", "canbo", "/settings/backup", nil},
		{"POST /settings/backup", "lanhdao", "/settings/backup", nil},
		{"POST /uploads/image", "dai-truyen-thanh", "/uploads/image", nil},
		{"POST /speak", "to-truong-1", "/speak", newDraft},
		{"POST /settings/users", "canbo", "/settings/users", url.Values{"name": {"moi"}, "full_name": {"Mới"}, "role": {"admin"}}},
		{"POST /settings/users", "lanhdao", "/settings/users", url.Values{"name": {"moi"}, "full_name": {"Mới"}, "role": {"leader"}}},
		{"POST /settings/users/{name}/{action}", "lanhdao", "/settings/users/lanhdao2/disable", nil},
		{"POST /settings/zalo/auth", "canbo", "/settings/zalo/auth", nil},
		{"POST /downloads/radio/audio", "to-truong-1", "/downloads/radio/audio", url.Values{"date": {"2026-11-26"}}},
		{"POST /settings/users/{name}/{action}", "canbo", "/settings/users/lanhdao/password", url.Values{"password": {"mat-khau-cua-toi"}}},
	}
	covered := map[string]bool{"POST /logout": true} // anyone signed in may sign out
	for _, c := range cases {
		covered[c.route] = true
		res := w.client(c.who).post(c.path, c.form)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("%s as %s: %d, want 403", c.path, c.who, res.StatusCode)
		}
	}
	for _, r := range dashboard.Changes {
		if !covered[r] {
			t.Errorf("route %s has no wrong-role case", r)
		}
	}
	// Pages that only the drafting roles use are refused too.
	if res, _ := w.client("dai-truyen-thanh").get("/messages/new"); res.StatusCode != http.StatusForbidden {
		t.Errorf("editor as operator: %d", res.StatusCode)
	}
	if res, _ := w.client("canbo").get("/settings"); res.StatusCode != http.StatusForbidden {
		t.Errorf("settings as officer: %d", res.StatusCode)
	}
	if res, body := w.client("lanhdao").get("/residents?q=" + demo.ZaloID(1)); res.StatusCode != http.StatusForbidden || strings.Contains(body, demo.ZaloID(1)+"</td>") {
		t.Errorf("a leader searches residents: %d", res.StatusCode)
	}
	// Nothing changed: the submitted message still waits, the task is open.
	if m := w.message("action-month/2026/tong-ket-thang-hanh-dong"); m.State != content.StateSubmitted {
		t.Errorf("submitted message is now %s", m.State)
	}
	// And the right roles pass.
	if res := w.client("dai-truyen-thanh").post(fmt.Sprintf("/tasks/%d", taskID), url.Values{"done": {"yes"}}); res.StatusCode != http.StatusSeeOther {
		t.Errorf("the operator confirms their task: %d", res.StatusCode)
	}
	if res := w.client("lanhdao").post(fmt.Sprintf("/messages/%d/approve", submitted), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("a leader approves: %d", res.StatusCode)
	}
}

func TestCrossOriginPostsAreRefused(t *testing.T) {
	w := newWard(t)
	submitted := w.message("action-month/2026/tong-ket-thang-hanh-dong").ID
	c := w.client("lanhdao")
	for _, h := range []map[string]string{
		{"Sec-Fetch-Site": "cross-site"},
		{"Origin": "https://evil.example"},
	} {
		res, _ := c.postBody(fmt.Sprintf("/messages/%d/approve", submitted), nil, h)
		if res.StatusCode != http.StatusForbidden {
			t.Errorf("cross-origin %v: %d", h, res.StatusCode)
		}
	}
	if m := w.message("action-month/2026/tong-ket-thang-hanh-dong"); m.State != content.StateSubmitted {
		t.Errorf("a cross-origin post approved the message: %s", m.State)
	}
	// A login form posted from elsewhere is refused as well.
	res, _ := w.client("").postBody("/login", url.Values{"name": {"lanhdao"}, "password": {demo.Password}}, map[string]string{"Sec-Fetch-Site": "cross-site"})
	if res.StatusCode != http.StatusForbidden {
		t.Errorf("cross-site login: %d", res.StatusCode)
	}
}

func TestTheSubmitterCannotApprove(t *testing.T) {
	w := newWard(t)
	m := w.message("action-month/2026/tong-ket-thang-hanh-dong")
	c := w.client("lanhdao")
	for _, step := range []string{"withdraw", "submit"} {
		if res := c.post(fmt.Sprintf("/messages/%d/%s", m.ID, step), nil); res.StatusCode != http.StatusSeeOther {
			t.Fatalf("%s: %d", step, res.StatusCode)
		}
	}
	res, body := c.postBody(fmt.Sprintf("/messages/%d/approve", m.ID), nil, map[string]string{"Origin": c.base})
	if res.StatusCode != http.StatusForbidden || !strings.Contains(body, "một lãnh đạo khác phải duyệt") {
		t.Errorf("self-approval: %d %s", res.StatusCode, body)
	}
	if res := w.client("lanhdao2").post(fmt.Sprintf("/messages/%d/approve", m.ID), nil); res.StatusCode != http.StatusSeeOther {
		t.Errorf("another leader: %d", res.StatusCode)
	}
	if got := w.message("action-month/2026/tong-ket-thang-hanh-dong"); got.State != content.StateApproved {
		t.Errorf("state %s", got.State)
	}
}

func TestLoginIsRateLimitedAndSessionsExpire(t *testing.T) {
	w := newWard(t)
	anon := w.client("")
	for i := range 5 {
		res, body := anon.postBody("/login", url.Values{"name": {"lanhdao"}, "password": {"sai-mat-khau-" + fmt.Sprint(i)}}, map[string]string{"Origin": anon.base})
		if res.StatusCode != http.StatusUnauthorized || !strings.Contains(body, "sai tên đăng nhập hoặc mật khẩu") {
			t.Fatalf("wrong password %d: %d", i, res.StatusCode)
		}
	}
	res, body := anon.postBody("/login", url.Values{"name": {"lanhdao"}, "password": {demo.Password}}, map[string]string{"Origin": anon.base})
	if res.StatusCode != http.StatusTooManyRequests || res.Header.Get("Retry-After") == "" || !strings.Contains(body, "thử lại sau") {
		t.Errorf("sixth attempt: %d %q", res.StatusCode, res.Header.Get("Retry-After"))
	}
	w.advance(time.Minute)
	c := w.client("lanhdao") // one attempt more a minute
	if res, _ := c.get("/"); res.StatusCode != http.StatusOK {
		t.Fatalf("signed in: %d", res.StatusCode)
	}
	// Idle for an hour: the session is over.
	w.advance(61 * time.Minute)
	res, _ = c.get("/approvals")
	if res.StatusCode != http.StatusSeeOther || !strings.HasPrefix(res.Header.Get("Location"), "/login?next=%2Fapprovals") {
		t.Errorf("idle session: %d %s", res.StatusCode, res.Header.Get("Location"))
	}
	// The cookie is HttpOnly and SameSite.
	res = w.client("").post("/login", url.Values{"name": {"canbo"}, "password": {demo.Password}})
	cookie := res.Header.Get("Set-Cookie")
	if !strings.Contains(cookie, "HttpOnly") || !strings.Contains(cookie, "SameSite=Lax") {
		t.Errorf("cookie: %s", cookie)
	}
}

func TestPagesAreEscapedAndHeaded(t *testing.T) {
	w := newWard(t)
	c := w.client("canbo")
	evil := `<script>alert(1)</script><b onclick="x()">đậm</b><a href="javascript:x()">l</a>`
	res, body := c.postBody("/preview", url.Values{"campaign": {"action-month/2026"}, "key": {"x"}, "title": {"T"}, "telegram": {evil}},
		map[string]string{"Origin": c.base, "HX-Request": "true"})
	if res.StatusCode != http.StatusOK {
		t.Fatalf("preview: %d", res.StatusCode)
	}
	for _, bad := range []string{"<script>", "<b onclick", `<a href="javascript`} {
		if strings.Contains(body, bad) {
			t.Errorf("preview holds %q", bad)
		}
	}
	if !strings.Contains(body, "&lt;script&gt;") {
		t.Error("the script tag is not shown as text")
	}
	if csp := res.Header.Get("Content-Security-Policy"); !strings.Contains(csp, "script-src 'self'") || !strings.Contains(csp, "frame-ancestors 'none'") {
		t.Errorf("CSP: %q", csp)
	}
	// Every page renders for every role, and none shows a password hash.
	for _, who := range []string{"canbo", "lanhdao", "dai-truyen-thanh", "to-truong-1", "quantri"} {
		c := w.client(who)
		for _, p := range []string{"/", "/calendar", "/calendar?day=2026-11-25", "/campaigns/action-month/2026", "/approvals", "/runs", "/tasks",
			fmt.Sprintf("/messages/%d", w.message("action-month/2026/phat-dong").ID), fmt.Sprintf("/messages/%d/slip", w.message("action-month/2026/phat-dong").ID)} {
			res, body := c.get(p)
			if res.StatusCode != http.StatusOK {
				t.Errorf("%s as %s: %d", p, who, res.StatusCode)
			}
			if strings.Contains(body, "$2a$") || strings.Contains(body, demo.Password) {
				t.Errorf("%s shows a secret", p)
			}
		}
	}
}
