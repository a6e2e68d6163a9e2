package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
)

func TestScheduleFormShowsNextTimesAndAdds(t *testing.T) {
	w := newWard(t)
	c := w.client("canbo")
	form := url.Values{"campaign": {"action-month/2026"}, "message": {"phat-dong"}, "kind": {"cron"}, "spec": {"0 19 * * 1"}, "channel": {"zalo", "telegram"}}
	res, body := c.postBody("/schedules/preview", form, map[string]string{"Origin": c.base, "HX-Request": "true"})
	// Mondays at 19:00 from Wednesday 25/11 to the window's end 15/12: 30/11, 7/12, 14/12.
	if res.StatusCode != http.StatusOK || !strings.Contains(body, "19:00 thứ Hai hằng tuần") || !strings.Contains(body, "Thứ Hai 19:00 30/11/2026") || !strings.Contains(body, "19:00 14/12/2026") ||
		strings.Contains(body, "21/12/2026") {
		t.Fatalf("preview: %d\n%s", res.StatusCode, body)
	}
	// The demo sends an-toan-tren-mang by Zalo at 19:00 on Mondays and
	// Thursdays: another Monday schedule of it is a same-day repeat.
	clash := url.Values{"campaign": {"action-month/2026"}, "message": {"an-toan-tren-mang"}, "kind": {"cron"}, "spec": {"0 8 * * 1"}, "channel": {"zalo"}}
	_, body = c.postBody("/schedules/preview", clash, map[string]string{"Origin": c.base, "HX-Request": "true"})
	if !strings.Contains(body, "người dân sẽ nhận hai lần") || !strings.Contains(body, "Zalo 30") {
		t.Errorf("no same-day warning or audience:\n%s", body)
	}
	bad := url.Values{"campaign": {"action-month/2026"}, "message": {"phat-dong"}, "kind": {"at"}, "spec": {"mai lúc 8 giờ"}, "channel": {"zalo"}}
	if _, body := c.postBody("/schedules/preview", bad, map[string]string{"Origin": c.base, "HX-Request": "true"}); !strings.Contains(body, `class="error"`) {
		t.Errorf("a bad time is not refused:\n%s", body)
	}
	if res := c.post("/schedules", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("add: %d", res.StatusCode)
	}
	ss, err := w.desk.Schedules(context.Background(), 2026)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, s := range ss {
		found = found || (s.Spec == "0 19 * * 1" && len(s.Channels) == 2)
	}
	if !found {
		t.Errorf("schedule not added: %+v", ss)
	}
	if _, body := c.get("/campaigns/action-month/2026"); !strings.Contains(body, "0 19 * * 1") || !strings.Contains(body, "19:00 thứ Hai hằng tuần") {
		t.Error("the campaign page does not list the new schedule")
	}
	// Edit it: the form comes filled in, and saving replaces it in one step.
	var id int64
	for _, s := range ss {
		if s.Spec == "0 19 * * 1" {
			id = s.ID
		}
	}
	_, body = c.get(fmt.Sprintf("/campaigns/action-month/2026?edit=%d", id))
	if !strings.Contains(body, fmt.Sprintf(`name="replace" value="%d"`, id)) || !strings.Contains(body, `value="0 19 * * 1"`) ||
		!strings.Contains(body, `<option value="phat-dong" selected>`) || !strings.Contains(body, `value="zalo" checked`) {
		t.Fatalf("edit form not filled in:\n%s", body)
	}
	form.Set("replace", fmt.Sprint(id))
	form.Set("spec", "30 18 * * 1")
	if res := c.post("/schedules", form); res.StatusCode != http.StatusSeeOther {
		t.Fatalf("edit: %d", res.StatusCode)
	}
	ss, _ = w.desk.Schedules(context.Background(), 2026)
	old, edited := false, false
	for _, s := range ss {
		old = old || s.ID == id
		edited = edited || s.Spec == "30 18 * * 1"
	}
	if old || !edited {
		t.Errorf("after the edit: old still there %v, new one there %v", old, edited)
	}
}
