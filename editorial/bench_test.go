package editorial

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
)

// BenchmarkImport imports a 200-message year into an empty database: parse,
// check, render templates and save in one transaction.
func BenchmarkImport(b *testing.B) {
	fsys := fstest.MapFS{}
	body := "## telegram\n" + strings.Repeat("Hưởng ứng Tháng hành động năm {{.Year}}. ", 20) +
		"\n## zalo\nGọi {{.Hotlines.cong_an}}.\n## loudspeaker\n" + strings.Repeat("Kính thưa bà con. ", 50) + "\n## banner\n- Một\n- Hai\n"
	for i := range 200 {
		fsys[fmt.Sprintf("m%03d.md", i)] = file("action-month/2026", fmt.Sprintf("m%d", i), body)
	}
	for b.Loop() {
		b.StopTimer()
		d := newDesk(b)
		b.StartTimer()
		rep, err := d.Import(context.Background(), fsys, "", "o", now)
		if err != nil || rep.Result.Created != 200 {
			b.Fatalf("%+v %v", rep.Errors, err)
		}
	}
}
