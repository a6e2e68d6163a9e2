package report_test

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/xml"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/report"
)

// rendered is where the tests leave the documents' first pages as PNG,
// for a person to look at.
func rendered(t *testing.T) string {
	dir := filepath.Join("testdata", "rendered")
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	return dir
}

func actionMonth() report.Document {
	c := content.Campaign{ID: 1, ObservanceKey: "action-month", Year: 2026, Name: "Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới năm 2026",
		From: content.NewDate(2026, 11, 15), To: content.NewDate(2026, 12, 15)}
	f := report.Figures{Campaigns: []content.Campaign{c},
		ZaloOA: report.Published{Items: 6, Reach: 1840}, Groups: report.Published{Items: 24, Reach: 2630}, Telegram: report.Published{Items: 4, Reach: 310},
		Radio: report.Radio{Items: 5, Broadcasts: 22, Minutes: 61.5}, Banners: report.Banners{Hung: 18, Lines: 7, Slogans: 6},
		Activity: activities.Summary{Sessions: 9, Participants: 1235, Women: 802, Documents: 2, Materials: 1500, Articles: 7,
			ByKind: map[string]int{"le-phat-dong": 1, "sinh-hoat-chuyen-de": 6, "hoi-thi": 2, "to-roi": 1200, "pano": 300}},
		Documents:   []activities.Record{{Kind: "ke-hoach", Number: "178/KH-UBND", Date: content.NewDate(2026, 11, 5), Title: "Tổ chức Tháng hành động vì bình đẳng giới năm 2026"}},
		Months:      []report.Month{{Month: "2026-11", Counts: map[string]int{"zalo": 4, "groups": 16, "telegram": 3, "loudspeaker": 4}}, {Month: "2026-12", Counts: map[string]int{"zalo": 2, "groups": 8, "telegram": 1, "loudspeaker": 1}}},
		Subscribers: []report.Month{{Month: "2026-12", Counts: map[string]int{"zalo": 420, "telegram": 96}, Until: content.NewDate(2026, 12, 15)}}}
	return report.Document{Lang: "vi", Parent: "UBND THÀNH PHỐ HẢI PHÒNG", Issuer: "ỦY BAN NHÂN DÂN PHƯỜNG LƯU KIẾM", Number: "215/BC-UBND", Place: "Lưu Kiếm",
		Date: content.NewDate(2026, 12, 18), Subject: "Kết quả thực hiện Tháng hành động vì bình đẳng giới và phòng ngừa, ứng phó với bạo lực trên cơ sở giới năm 2026",
		Text: report.Narrative{Direction: "Ngay sau khi nhận Kế hoạch của UBND thành phố, UBND phường đã chỉ đạo các tổ dân phố triển khai.",
			Strengths: "Các hoạt động được tổ chức đúng kế hoạch, thu hút đông đảo nhân dân tham gia.", Limits: "Một số tổ dân phố chưa báo cáo kịp thời.",
			Causes: "Cán bộ kiêm nhiệm nhiều việc.", Directions: "Tiếp tục duy trì sinh hoạt chuyên đề hằng quý."},
		Figures: f, Signer: report.Signer{Authority: "TM. ỦY BAN NHÂN DÂN", Deputy: "KT. CHỦ TỊCH", Title: "PHÓ CHỦ TỊCH", Name: "Trần Văn Hùng"},
		Recipients: []string{"Sở Nội vụ thành phố (để báo cáo);", "TT Đảng ủy, HĐND phường;", "Lưu: VT, VH-XH."}}
}

func TestDOCXReadsBack(t *testing.T) {
	d := actionMonth()
	var buf bytes.Buffer
	if err := d.WriteDOCX(&buf, time.Date(2026, 12, 18, 2, 0, 0, 0, time.UTC)); err != nil {
		t.Fatal(err)
	}
	z, err := zip.NewReader(bytes.NewReader(buf.Bytes()), int64(buf.Len()))
	if err != nil {
		t.Fatal(err)
	}
	parts := map[string]string{}
	for _, f := range z.File {
		r, _ := f.Open()
		b, _ := io.ReadAll(r)
		r.Close()
		parts[f.Name] = string(b)
	}
	for _, p := range []string{"[Content_Types].xml", "_rels/.rels", "word/document.xml", "word/styles.xml", "word/_rels/document.xml.rels", "docProps/core.xml"} {
		if parts[p] == "" {
			t.Errorf("no %s", p)
		}
	}
	doc := parts["word/document.xml"]
	for _, want := range []string{"UBND THÀNH PHỐ HẢI PHÒNG", "ỦY BAN NHÂN DÂN PHƯỜNG LƯU KIẾM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc",
		"Số: 215/BC-UBND", "Lưu Kiếm, ngày 18 tháng 12 năm 2026", ">BÁO CÁO<", "I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI", "Kế hoạch số 178/KH-UBND ngày 05/11/2026 về tổ chức Tháng hành động",
		"II. KẾT QUẢ THỰC HIỆN", "Tổ chức 9 hoạt động tuyên truyền trực tiếp với 1.235 lượt người tham dự (802 nữ, 433 nam).", "22 buổi phát, tổng thời lượng 61,5 phút",
		"Các tổ dân phố đăng 24 bài vào nhóm Zalo của tổ, đến khoảng 2.630 thành viên.", "Treo 18 băng rôn với 6 khẩu hiệu", "Tờ rơi, tờ gấp: 1.200",
		"III. ĐÁNH GIÁ CHUNG", "1. Ưu điểm", "2. Hạn chế", "3. Nguyên nhân", "IV. PHƯƠNG HƯỚNG, KIẾN NGHỊ", "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
		"PHÓ CHỦ TỊCH", "Trần Văn Hùng", "Nơi nhận:", "- Lưu: VT, VH-XH.", `<w:i/>`, `<w:pgSz w:w="11906" w:h="16838"/>`} {
		if !strings.Contains(doc, want) {
			t.Errorf("document.xml lacks %q", want)
		}
	}
	if !strings.Contains(parts["word/styles.xml"], `w:ascii="Times New Roman"`) || !strings.Contains(parts["word/styles.xml"], `<w:sz w:val="28"/>`) {
		t.Error("the style is not Times New Roman 14 pt")
	}
	// Word refuses a document whose XML does not parse.
	if err := xmlWellFormed(doc); err != nil {
		t.Errorf("document.xml: %v", err)
	}
}

func TestXLSXAndCSVReadBack(t *testing.T) {
	d := actionMonth()
	var buf bytes.Buffer
	if err := d.WriteXLSX(&buf); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if got := f.GetSheetList(); strings.Join(got, ",") != "Phụ lục,Theo tháng,Nội bộ" {
		t.Errorf("sheets %v", got)
	}
	cell := func(sheet, c string) string { v, _ := f.GetCellValue(sheet, c); return v }
	if cell("Phụ lục", "A1") != "ỦY BAN NHÂN DÂN PHƯỜNG LƯU KIẾM" || cell("Phụ lục", "C1") != "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM" || cell("Phụ lục", "B8") != "Nội dung" {
		t.Errorf("annex head: %q %q %q", cell("Phụ lục", "A1"), cell("Phụ lục", "C1"), cell("Phụ lục", "B8"))
	}
	rows, _ := f.GetRows("Phụ lục")
	found := 0
	for i, r := range rows {
		if len(r) == 4 && r[1] == "Thời lượng phát thanh" {
			found++
			if typ, _ := f.GetCellType("Phụ lục", "D"+itoa(i+1)); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
				t.Errorf("minutes are not a number: %v", typ)
			}
			if v, _ := f.GetCellValue("Phụ lục", "D"+itoa(i+1), excelize.Options{RawCellValue: true}); v != "61.5" {
				t.Errorf("minutes %q", v)
			}
		}
	}
	if found != 1 {
		t.Error("no radio minutes row")
	}
	if cell("Theo tháng", "A2") != "T11/2026" || cell("Theo tháng", "C2") != "16" || cell("Theo tháng", "F3") != "420" {
		t.Errorf("by month: %q %q %q", cell("Theo tháng", "A2"), cell("Theo tháng", "C2"), cell("Theo tháng", "F3"))
	}
	if l, _ := f.GetPageLayout("Theo tháng"); l.Orientation == nil || *l.Orientation != "landscape" {
		t.Error("the month sheet is not landscape")
	}
	st, _ := f.GetCellStyle("Phụ lục", "B9")
	if s, _ := f.GetStyle(st); s == nil || s.Font == nil || s.Font.Family != "Times New Roman" || len(s.Border) != 4 {
		t.Errorf("cell style %+v", s)
	}
	var csv bytes.Buffer
	if err := d.WriteCSV(&csv); err != nil {
		t.Fatal(err)
	}
	if !bytes.HasPrefix(csv.Bytes(), []byte("\ufeffSTT,Nội dung,Đơn vị tính,Số lượng\r\n")) || !strings.Contains(csv.String(), "Thời lượng phát thanh,phút,61.5") {
		t.Errorf("csv:\n%s", csv.String())
	}
}

// TestHTMLAndPDFLookRight prints the document to PDF with chromium and
// renders its first page to PNG (testdata/rendered) with pdftoppm.
func TestHTMLAndPDFLookRight(t *testing.T) {
	for _, lang := range []string{"vi", "en"} {
		d := actionMonth()
		d.Lang = lang
		var page bytes.Buffer
		if err := d.WriteHTML(&page); err != nil {
			t.Fatal(err)
		}
		html := page.String()
		wants := []string{"CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "Độc lập - Tự do - Hạnh phúc", `class="placedate"`, "<svg", "Times New Roman", "size: A4"}
		if lang == "en" {
			wants = []string{"SOCIALIST REPUBLIC OF VIETNAM", "Independence - Freedom - Happiness", "II. RESULTS", "Lưu Kiếm, 18 December 2026", "1,235 participants (802 women, 433 men)"}
		}
		for _, w := range wants {
			if !strings.Contains(html, w) {
				t.Errorf("%s html lacks %q", lang, w)
			}
		}
		chromium := report.FindChromium()
		if chromium == "" {
			t.Skip("chromium is not installed")
		}
		ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
		pdf, err := report.PrintPDF(ctx, chromium, page.Bytes())
		cancel()
		if err != nil {
			t.Fatal(err)
		}
		if !bytes.HasPrefix(pdf, []byte("%PDF-")) {
			t.Fatal("not a PDF")
		}
		dir := rendered(t)
		path := filepath.Join(dir, "bao-cao-"+lang+".pdf")
		if err := os.WriteFile(path, pdf, 0o644); err != nil {
			t.Fatal(err)
		}
		if _, err := exec.LookPath("pdftoppm"); err != nil {
			t.Log("pdftoppm is not installed (apt-get install poppler-utils): no PNG")
			continue
		}
		if out, err := exec.Command("pdftoppm", "-png", "-r", "60", "-f", "1", "-l", "1", path, filepath.Join(dir, "bao-cao-"+lang)).CombinedOutput(); err != nil {
			t.Fatalf("pdftoppm: %v %s", err, out)
		}
		if out, _ := exec.Command("pdfinfo", path).Output(); !bytes.Contains(out, []byte("(A4)")) { // A4 is 595 × 842 points
			t.Errorf("not A4:\n%s", out)
		}
	}
}

func itoa(n int) string { return strconv.Itoa(n) }

func xmlWellFormed(s string) error {
	dec := xml.NewDecoder(strings.NewReader(s))
	for {
		_, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return err
		}
	}
}
