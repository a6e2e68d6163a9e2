package main

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
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
	for _, ch := range []string{"loa", "Zalo"} { // the radio and the block group, as the Vietnamese list names them
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
	mustContain(t, "action month", block[1], "Tin đã duyệt: 6\n", "Zalo: 30 đã gửi, 0 lỗi · Telegram: 18 đã gửi, 0 lỗi",
		"Nhóm Zalo: 1 bài đăng, khoảng 120 người", "Loa: 1 buổi đã phát (", "phút), 0 buổi không phát", "Băng rôn đã treo: 3")
	minutes := regexp.MustCompile(`đã phát \(([\d,]+) phút\)`).FindStringSubmatch(block[1]) // "1,4": the decimal comma
	if minutes == nil {
		t.Fatalf("no minutes:\n%s", block[1])
	}
	if m, _ := strconv.ParseFloat(strings.Replace(minutes[1], ",", ".", 1), 64); m < 0.5 || m > 3 {
		t.Errorf("an aired script of about a minute counts %s minutes", minutes[1])
	}
	mustContain(t, "report", text, "BÁO CÁO KẾT QUẢ CÔNG TÁC TRUYỀN THÔNG NĂM 2026 — phường Lưu Kiếm", "TỔNG CỘNG",
		"Người nhận tin có đồng ý đến 28/11/2026: Zalo 40, Telegram 24.",
		"THEO CÁCH BÁO CÁO CẤP TRÊN, NĂM 2026", "Zalo OA: 1 tin, 30 lượt người nhận", "Nhóm Zalo tổ dân phố: 1 bài đăng, khoảng 120 thành viên",
		"Loa truyền thanh: 1 tin, bài; 1 buổi phát", "Băng rôn, khẩu hiệu: 3 băng rôn đã treo, 1 khẩu hiệu")
	mustContain(t, "the Action Month", e.ok("report", "--campaign", "action-month/2026"),
		"KẾT QUẢ THÁNG HÀNH ĐỘNG", "· Ngày Quốc tế xóa bỏ bạo lực", "Telegram: 1 tin, 18 lượt người nhận", "Người dân đăng ký nhận tin đến 28/11/2026: Zalo 40, Telegram 24", "Phụ lục (nội bộ): zalo 0 lỗi")

	// The documents: the annex read back cell by cell, the DOCX's text.
	out := filepath.Join(e.dir, "bao-cao.xlsx")
	e.ok("report", "--campaign", "action-month/2026", "--format", "xlsx", "--out", out)
	f, err := excelize.OpenFile(out)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	rows, _ := f.GetRows("Phụ lục")
	values := map[string]string{}
	for _, r := range rows {
		if len(r) == 4 {
			values[r[1]] = r[3]
		}
	}
	for what, want := range map[string]string{"Tin đăng trên Zalo OA của phường": "1", "Lượt người nhận": "18", "Bài đăng trong nhóm Zalo tổ dân phố": "1",
		"Thành viên các nhóm": "120", "Buổi phát thanh": "1", "Băng rôn đã treo": "3"} {
		if values[what] != want {
			t.Errorf("annex %q = %q, want %s", what, values[what], want)
		}
	}
	if typ, _ := f.GetCellType("Phụ lục", "D9"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("numbers are not numbers: %v", typ)
	}
	docx := filepath.Join(e.dir, "bao-cao.docx")
	e.ok("report", "--campaign", "action-month/2026", "--format", "docx", "--out", docx)
	text = docxText(t, docx)
	mustContain(t, "docx", text, "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", "BÁO CÁO", "Kết quả thực hiện tháng hành động",
		"II. KẾT QUẢ THỰC HIỆN", "Các tổ dân phố đăng 1 bài vào nhóm Zalo của tổ, đến khoảng 120 thành viên", "Trần Văn Hùng", "Nơi nhận:")
	csvOut := filepath.Join(e.dir, "bao-cao.csv")
	e.ok("--lang", "en", "report", "--campaign", "action-month/2026", "--format", "csv", "--out", csvOut)
	if b := must(os.ReadFile(csvOut)); !bytes.HasPrefix(b, []byte("\ufeffNo.,Item,Unit,Count\r\n")) || !bytes.Contains(b, []byte("Members of the groups,people,120")) {
		t.Errorf("csv:\n%s", b)
	}
}

// docxText is the text of a DOCX's body, paragraph by paragraph.
func docxText(t *testing.T, path string) string {
	t.Helper()
	z, err := zip.OpenReader(path)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	for _, f := range z.File {
		if f.Name != "word/document.xml" {
			continue
		}
		r, _ := f.Open()
		defer r.Close()
		dec := xml.NewDecoder(r)
		var b strings.Builder
		for {
			tok, err := dec.Token()
			if err != nil {
				break
			}
			switch v := tok.(type) {
			case xml.CharData:
				b.Write(v)
			case xml.EndElement:
				if v.Name.Local == "p" {
					b.WriteString("\n")
				}
			}
		}
		return b.String()
	}
	t.Fatal("no word/document.xml")
	return ""
}
