package scheduler

import "testing"

func TestDescribe(t *testing.T) {
	for _, c := range []struct {
		kind     Kind
		spec, vi string
	}{
		{KindCron, "0 19 * * 1", "19:00 thứ Hai hằng tuần"},
		{KindCron, "0 19 * * MON,THU", "19:00 thứ Hai, thứ Năm hằng tuần"},
		{KindCron, "30 5,17 * * *", "05:30, 17:30 hằng ngày"},
		{KindRotation, "0 17 * * *", "luân phiên các tin, 17:00 hằng ngày"},
		{KindRelative, "D-3 08:00", "08:00, 3 ngày trước ngày lễ"},
		{KindRelative, "D 07:30", "07:30 vào ngày lễ"},
		{KindRelative, "D+30 08:00", "08:00, 30 ngày sau ngày lễ"},
		{KindAt, "2026-11-25 10:00", "một lần, 10:00 ngày 25/11/2026"},
		{KindCron, "*/15 8-17 * * 1-5", ""}, // said as the rule itself
		{KindCron, "0 19 1 * *", ""},
	} {
		if got := Describe(c.kind, c.spec, "vi"); got != c.vi {
			t.Errorf("%s %q: %q, want %q", c.kind, c.spec, got, c.vi)
		}
	}
	if got := Describe(KindCron, "0 19 * * 1", "en"); got != "19:00 every Monday" {
		t.Errorf("en: %q", got)
	}
}
