package editorial

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"

	"github.com/loa-ward/loa/scheduler"
)

func TestFileSchedules(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	body := func(schedules string) *fstest.MapFile {
		return &fstest.MapFile{Data: []byte("---\nkey: phat-dong\ncampaign: action-month/2026\ntitle: Phát động\nschedules:\n" + schedules +
			"---\n## telegram\nXin chào.\n## zalo\nXin chào.\n")}
	}
	first := body("  - at: D 07:30\n    channels: [zalo, telegram]\n  - cron: 0 19 * * MON\n    channels: [telegram]\n    audience: topic:family\n    grace: 2h\n")
	rep, err := d.Import(ctx, fstest.MapFS{"a.md": first}, "", "officer", now)
	if err != nil || len(rep.Errors) > 0 || rep.Result.SchedulesAdded != 2 {
		t.Fatalf("import: %+v %v %v", rep.Result, rep.Errors, err)
	}
	rows, _ := d.DB.Schedules(ctx, scheduler.ScheduleFilter{})
	if len(rows) != 2 || rows[0].Kind != "relative" || rows[0].Spec != "D 07:30" || rows[1].Kind != "cron" || rows[1].Grace.Hours() != 2 || rows[1].Source != "file" {
		t.Fatalf("schedules: %+v", rows)
	}
	// Unchanged file: nothing happens.
	rep, _ = d.Import(ctx, fstest.MapFS{"a.md": first}, "", "officer", now)
	if rep.Result.SchedulesAdded+rep.Result.SchedulesRemoved != 0 {
		t.Errorf("re-import changed schedules: %+v", rep.Result)
	}
	// One schedule changes: it is replaced; the other stays as it was.
	second := body("  - at: D 07:30\n    channels: [zalo, telegram]\n  - cron: 0 20 * * MON\n    channels: [telegram]\n")
	rep, _ = d.Import(ctx, fstest.MapFS{"a.md": second}, "", "officer", now)
	if rep.Result.SchedulesAdded != 1 || rep.Result.SchedulesRemoved != 1 {
		t.Errorf("changed schedule: %+v", rep.Result)
	}
	after, _ := d.DB.Schedules(ctx, scheduler.ScheduleFilter{})
	if len(after) != 2 || after[0].ID != rows[0].ID || after[1].Spec != "0 20 * * MON" {
		t.Errorf("after the change: %+v", after)
	}
	// Export writes them back; importing the export changes nothing.
	dir := t.TempDir()
	if _, err := d.Export(ctx, dir, 2026); err != nil {
		t.Fatal(err)
	}
	data, _ := os.ReadFile(filepath.Join(dir, "action-month-2026", "phat-dong.md"))
	if !strings.Contains(string(data), "- at: D 07:30\n    channels: [zalo, telegram]") || !strings.Contains(string(data), "cron: 0 20 * * MON") {
		t.Errorf("exported schedules:\n%s", data)
	}
	rep, _ = d.Import(ctx, os.DirFS(dir), dir, "officer", now)
	if len(rep.Errors) > 0 || rep.Result.SchedulesAdded+rep.Result.SchedulesRemoved != 0 {
		t.Errorf("re-import of the export: %+v %v", rep.Result, rep.Errors)
	}

	bad := body("  - at: D-3 25:00\n    channels: [telegram]\n  - cron: 0 19 * *\n    channels: [zalo]\n    audience: topic:sports\n  - at: D 08:00\n    channels: [loudspeaker]\n")
	rep, _ = d.Import(ctx, fstest.MapFS{"b.md": bad}, "", "officer", now)
	var got []string
	for _, e := range rep.Errors {
		got = append(got, e.Localize("en"))
	}
	want := []string{`b.md:6: schedule: "D-3 25:00": 25:00 is not a time of day`, `b.md:8: schedule: "0 19 * *" is not a cron expression`,
		`b.md:8: schedule: audience "topic:sports" is not`, `b.md:11: schedule: channel loudspeaker has no text in the message`}
	if len(got) != len(want) {
		t.Fatalf("errors:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d = %s\nwant %s…", i, got[i], want[i])
		}
	}
}
