package main

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

// TestYearReport sends a campaign's day (posts, a radio slot, a block
// group), confirms the person-completed parts, hangs banners, and checks
// the year's report in text and read back from XLSX.
func TestYearReport(t *testing.T) {
	e := newEnv(t, "http:\n  addr: 127.0.0.1:0\nzalo:\n  groups:\n    to-dan-pho-1: to-truong-1\n")
	e.ok("demo", "seed")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "phat-dong", "--at", "2026-11-28 09:00", "--channels", "zalo,telegram")
	e.ok("schedule", "add", "--campaign", "action-month/2026", "--message", "an-toan-tren-mang", "--at", "2026-11-28 09:00",
		"--channels", "loudspeaker", "--audience", "to:dai-truyen-thanh")
	code := e.serveUntil(func(db *store.DB) bool {
		c, _ := db.DeliveryCounts(context.Background(), 0)
		// The demo residents who chose the message's topic (a quarter chose only "family").
		return c[content.Zalo][scheduler.Sent] == 30 && c[content.Telegram][scheduler.Sent] == 18 &&
			c[content.Loudspeaker][scheduler.Assigned] == 1 && c[content.Zalo][scheduler.Assigned] == 1
	})
	if code != exitOK {
		t.Fatalf("serve: %d", code)
	}
	tasks := e.ok("tasks")
	for _, ch := range []string{"loudspeaker", "zalo"} {
		id := regexp.MustCompile(`(?m)^(\d+)\s+09:00 28/11/2026\s+` + ch).FindStringSubmatch(tasks)
		if id == nil {
			t.Fatalf("no %s task:\n%s", ch, tasks)
		}
		e.ok("tasks", "done", id[1], "--reach", "120")
	}
	e.ok("banners", "add", "--campaign", "action-month/2026", "--slogan", "2", "--place", "Chợ", "--count", "3", "--who", "crew")
	e.ok("banners", "add", "--campaign", "action-month/2026", "--slogan", "3", "--place", "Trường", "--count", "2", "--who", "crew")
	e.ok("banners", "mark", "1", "hung")

	text := e.ok("report")
	block := regexp.MustCompile(`(?s)Tháng hành động vì bình đẳng giới[^\n]*năm 2026\n(.*?)\n\n`).FindStringSubmatch(text)
	if block == nil {
		t.Fatalf("no action-month block:\n%s", text)
	}
	mustContain(t, "action month", block[1], "Tin đã duyệt: 3\n", "Zalo: 30 đã gửi, 0 lỗi · Telegram: 18 đã gửi, 0 lỗi",
		"Nhóm Zalo: 1 bài đăng, khoảng 120 người", "Loa: 1 buổi đã phát (", "phút), 0 buổi không phát", "Băng rôn đã treo: 3")
	minutes := regexp.MustCompile(`đã phát \(([\d.]+) phút\)`).FindStringSubmatch(block[1])
	if m, _ := strconv.ParseFloat(minutes[1], 64); m < 0.5 || m > 3 {
		t.Errorf("an aired script of about a minute counts %s minutes", minutes[1])
	}
	mustContain(t, "report", text, "BÁO CÁO KẾT QUẢ CÔNG TÁC TRUYỀN THÔNG NĂM 2026 — phường Lưu Kiếm", "TỔNG CỘNG",
		"Người nhận tin có đồng ý đến 28/11/2026: Zalo 40, Telegram 24.",
		"THEO CÁCH BÁO CÁO CẤP TRÊN, NĂM 2026", "Zalo OA: 1 tin, 30 lượt người nhận", "Nhóm Zalo tổ dân phố: 1 bài đăng, khoảng 120 thành viên",
		"Loa truyền thanh: 1 tin, bài; 1 buổi phát", "Băng rôn, khẩu hiệu: 3 băng rôn đã treo, 1 khẩu hiệu")
	mustContain(t, "the Action Month", e.ok("report", "--campaign", "action-month/2026"),
		"KẾT QUẢ THÁNG HÀNH ĐỘNG", "· Ngày Quốc tế xo", "Telegram: 1 tin, 18 lượt người nhận", "Người dân đăng ký nhận tin đến 28/11/2026: Zalo 40, Telegram 24", "Phụ lục (nội bộ): zalo 0 lỗi")

	out := filepath.Join(e.dir, "bao-cao.xlsx")
	e.ok("report", "--format", "xlsx", "--out", out)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Báo cáo")
	var found bool
	for _, r := range rows {
		if len(r) >= 12 && strings.HasPrefix(r[0], "Tháng hành động") {
			found = true
			if r[2] != "30" || r[4] != "18" || r[6] != "1" || r[7] != "120" || r[8] != "1" || r[11] != "3" {
				t.Errorf("xlsx row: %q", r)
			}
		}
	}
	if !found || rows[4][0] != "Chiến dịch" || rows[1][0] != "BÁO CÁO KẾT QUẢ CÔNG TÁC TRUYỀN THÔNG NĂM 2026" {
		t.Errorf("xlsx: %q", rows)
	}
	html := filepath.Join(e.dir, "bao-cao.html")
	e.ok("report", "--format", "html", "--out", html)
	mustContain(t, "html", string(must(os.ReadFile(html))), `<span class="bar" style="width: 400px"></span> 48`, "Tổng cộng")
}
