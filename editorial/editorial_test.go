package editorial

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store/storetest"
)

var now = time.Date(2026, 11, 10, 1, 0, 0, 0, time.UTC)

func newDesk(t testing.TB) *Desk {
	t.Helper()
	db := storetest.Open(t, now)
	return &Desk{DB: db, Ward: "phường Lưu Kiếm", Calendar: content.Builtin(), Hotlines: map[string]string{"cong_an": "113"}, Pace: 200, Now: func() time.Time { return now }}
}

func file(campaign, key, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\nkey: " + key + "\ncampaign: " + campaign + "\ntitle: Tin " + key + "\n---\n" + body)}
}

func TestImportReportsEveryErrorAndChangesNothing(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	good := fstest.MapFS{
		"a.md":       file("action-month/2026", "a", "## zalo\nGọi {{.Hotlines.cong_an}}.\n"),
		"README.md":  {Data: []byte("not content")},
		"notes.txt":  {Data: []byte("ignored")},
		"sub/b.md":   file("action-month/2026", "b", "## telegram\nXin chào.\n"),
		"sub/old.md": file("evaw-day/2026", "c", "## banner\n- Khẩu hiệu\n"),
	}
	rep, err := d.Import(ctx, good, "dir", "officer", now)
	if err != nil || len(rep.Errors) != 0 || rep.Files != 3 || rep.Result != (scheduler.ImportResult{Campaigns: 2, Created: 3}) {
		t.Fatalf("good import: %+v %v", rep, err)
	}
	ms, _ := d.DB.Messages(ctx, content.MessageFilter{})
	if ms[0].Topic != content.TopicEquality {
		t.Errorf("topic not defaulted from the observance: %q", ms[0].Topic)
	}
	// b is submitted: importing a change to it must be refused.
	if _, err := d.DB.Transition(ctx, ms[1].ID, content.ActSubmit, "officer", "", now); err != nil {
		t.Fatal(err)
	}
	bad := fstest.MapFS{
		"1-ok.md":        file("action-month/2026", "a", "## zalo\nĐã sửa, hợp lệ.\n"),
		"2-yaml.md":      {Data: []byte("---\nkey: x\ncampaign: action-month/2026\ntitle: T\ncolour: red\n---\n## zalo\n{{.Hotlines.khong}}\n")},
		"3-section.md":   file("action-month/2026", "y", "## zallo\ntext\n"),
		"4-tcvn3.md":     file("action-month/2026", "z", "## telegram\nDòng một.\n\nCéng hßa x· héi chñ nghÜa\n"),
		"5-submitted.md": file("action-month/2026", "b", "## telegram\nSửa khi đang chờ duyệt.\n"),
		"6-dup.md":       file("action-month/2026", "a", "## zalo\nTrùng khóa.\n"),
		"7-unknown.md":   file("tet/2026", "t", "## zalo\nx\n"),
		"8-zalo-long.md": file("family-day/2027", "long", "## zalo\n"+strings.Repeat("chữ ", 600)+"\n"),
		"9-noframe.md":   {Data: []byte("## zalo\nx\n")},
	}
	rep, err = d.Import(ctx, bad, "bad", "officer", now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rep.Errors {
		got = append(got, e.Localize("en"))
	}
	want := []string{
		`bad/2-yaml.md:5: front matter: unknown field "colour"`,
		`bad/2-yaml.md:8: zalo: template: there is no hotline "khong"`,
		`bad/3-section.md:6: unknown section "zallo"`,
		`bad/3-section.md:2: the message has no text for any channel`,
		`bad/4-tcvn3.md:9: telegram: this looks like TCVN3`,
		`bad/5-submitted.md:2: message "b" (id 2) is waiting for approval`,
		`bad/6-dup.md:2: key "a" is already used by bad/1-ok.md`,
		`bad/7-unknown.md:3: observance "tet" is not in the calendar`,
		`bad/8-zalo-long.md:7: zalo: 2399 characters is over Zalo's limit of 2000`,
		`bad/9-noframe.md:1: the file must start with a "---" line`,
	}
	if len(got) != len(want) {
		t.Fatalf("%d errors:\n%s\nwant %d", len(got), strings.Join(got, "\n"), len(want))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("error %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
	after, _ := d.DB.Messages(ctx, content.MessageFilter{})
	cs, _ := d.DB.Campaigns(ctx, 0)
	if len(after) != 3 || after[0].Version != 1 || after[0].Variants.Zalo != "Gọi {{.Hotlines.cong_an}}." || len(cs) != 2 {
		t.Errorf("a failed import changed the database: %d messages, a=%+v, %d campaigns", len(after), after[0], len(cs))
	}
}

func TestExportImportRoundTrip(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	src := fstest.MapFS{
		"a.md": file("family-day/2026", "bua-com", "## telegram\n<b>Bữa cơm</b> &amp; gia đình.\n\nĐoạn hai.\n## loudspeaker\nKính thưa bà con!\n## banner\n- Một\n- Hai\n"),
		"b.md": file("action-month/2026", "phat-dong", "## zalo\nTừ {{.Starts.DayMonthPlain}} đến {{.Ends.DayMonthPlain}}.\n"),
	}
	if rep, err := d.Import(ctx, src, "src", "officer", now); err != nil || len(rep.Errors) > 0 {
		t.Fatalf("import: %v %v", rep.Errors, err)
	}
	dir := t.TempDir()
	n, err := d.Export(ctx, dir, 2026)
	if err != nil || n != 2 {
		t.Fatalf("export: %d %v", n, err)
	}
	if _, err := os.Stat(filepath.Join(dir, "family-day-2026", "bua-com.md")); err != nil {
		t.Fatal(err)
	}
	// Importing the export into the same database changes nothing…
	rep, err := d.Import(ctx, os.DirFS(dir), dir, "officer", now)
	if err != nil || len(rep.Errors) > 0 || rep.Result != (scheduler.ImportResult{Unchanged: 2}) {
		t.Fatalf("re-import: %+v %v %v", rep.Result, rep.Errors, err)
	}
	// …and into a fresh one it recreates the same messages.
	d2 := newDesk(t)
	if rep, err := d2.Import(ctx, os.DirFS(dir), dir, "officer", now); err != nil || rep.Result.Created != 2 {
		t.Fatalf("import into a new database: %+v %v", rep, err)
	}
	a, _ := d.DB.Messages(ctx, content.MessageFilter{})
	b, _ := d2.DB.Messages(ctx, content.MessageFilter{})
	for i := range a {
		if a[i].Draft != b[i].Draft || a[i].Campaign != b[i].Campaign {
			t.Errorf("message %d differs:\n%+v\n%+v", i, a[i].Draft, b[i].Draft)
		}
	}
}

func TestCreateAndCopyYear(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	created, err := d.CreateYear(ctx, 2026, "officer", now)
	if err != nil || len(created) != 5 { // dv-month is off by default
		t.Fatalf("CreateYear: %d, %v", len(created), err)
	}
	if again, _ := d.CreateYear(ctx, 2026, "officer", now); len(again) != 0 {
		t.Errorf("second CreateYear created %d", len(again))
	}
	if _, err := d.Import(ctx, fstest.MapFS{"a.md": file("evaw-day/2026", "a", "## zalo\nNgày {{.Starts.Short}}\n")}, "", "officer", now); err != nil {
		t.Fatal(err)
	}
	copied, err := d.CopyYear(ctx, 2026, 2027, "officer", now)
	if err != nil || len(copied) != 5 {
		t.Fatalf("CopyYear: %+v %v", copied, err)
	}
	var evaw Copied
	for _, c := range copied {
		if c.From.ObservanceKey == "evaw-day" {
			evaw = c
		}
	}
	if evaw.Messages != 1 || evaw.Campaign.Starts != content.NewDate(2027, 11, 25) || evaw.Skipped != "" {
		t.Errorf("evaw copy: %+v", evaw)
	}
	again, err := d.CopyYear(ctx, 2026, 2027, "officer", now)
	if err != nil || again[0].Skipped != "already exists" {
		t.Errorf("second copy: %+v %v", again, err)
	}
	if _, err := d.CopyYear(ctx, 2025, 2027, "officer", now); err == nil {
		t.Error("copying from an empty year succeeded")
	}
}

// A template is checked for every day the message can be sent on, not only
// the window's first: one that fails on 04/12 (day 20 of the action month)
// is refused at import, naming the day; unbounded templates are refused too.
func TestTemplateCheckedOnEveryDayOfTheWindow(t *testing.T) {
	ctx := context.Background()
	d := newDesk(t)
	rep, err := d.Import(ctx, fstest.MapFS{
		"day20.md": file("action-month/2026", "day20", "## zalo\nHôm nay {{.Today.Short}}.{{if eq .Today.Day 4}} Gọi {{.Hotlines.tong_dai}}.{{end}}\n"),
		"loop.md":  file("action-month/2026", "loop", "## zalo\n{{range 1000000000}}x{{end}}\n"),
		"wide.md":  file("action-month/2026", "wide", "## zalo\n{{printf \"%099999999d\" 1}}\n"),
		"rec.md":   file("action-month/2026", "rec", "## zalo\n{{define \"a\"}}{{template \"a\"}}{{end}}{{template \"a\"}}\n"),
	}, "dir", "officer", now)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range rep.Errors {
		got = append(got, e.Localize("en"))
	}
	all := strings.Join(got, "\n")
	for _, want := range []string{"day20.md:7: zalo: template: there is no hotline \"tong_dai\"", "loop.md:7: zalo: template: {{range}} may only go over a field",
		"wide.md:7: zalo: template: the format", "rec.md:7: zalo: template: {{define}} and {{block}} are not allowed"} {
		if !strings.Contains(all, want) {
			t.Errorf("import errors lack %q:\n%s", want, all)
		}
	}
	if !strings.Contains(all, "04/12/2026") {
		t.Errorf("the day it fails on is not named:\n%s", all)
	}
	if rep.Result.Created != 0 {
		t.Errorf("created %d messages from files with errors", rep.Result.Created)
	}
}
