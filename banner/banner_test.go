package banner

import (
	"bytes"
	"fmt"
	"strings"
	"testing"

	"github.com/xuri/excelize/v2"

	"github.com/loa-ward/loa/content"
)

func actionMonth(t *testing.T) content.Campaign {
	t.Helper()
	for _, o := range content.Builtin() {
		if o.Key == "action-month" {
			return o.CampaignFor(2026)
		}
	}
	t.Fatal("no action month in the calendar")
	return content.Campaign{}
}

func d(s string) content.Date {
	x, err := content.ParseVietnameseDate(s)
	if err != nil {
		panic(err)
	}
	return x
}

// TestRemindersOverTheActionMonth walks every day from 1/11 to 31/12 with a
// banner that goes up on time and one that is never taken down.
func TestRemindersOverTheActionMonth(t *testing.T) {
	hang, down := DefaultDates(actionMonth(t))
	if hang != d("14/11/2026") || down != d("16/12/2026") {
		t.Fatalf("default dates %s – %s, want 14/11 – 16/12 (up before 15/11, down the day after 15/12)", hang.Short(), down.Short())
	}
	line := Line{ID: 1, Slogan: "Bình đẳng giới", Place: "Đường Lê Lợi", Count: 2, HangOn: hang, DownOn: down, Responsible: "doan-thanh-nien", State: Planned}
	got := map[string][]string{}
	for day := d("01/11/2026"); !day.After(d("31/12/2026")); day = day.AddDays(1) {
		if day == hang.AddDays(1) {
			line.State = Hung // the crew hung it on time and said so
		}
		for _, r := range Reminders([]Line{line}, day) {
			got[r.Kind] = append(got[r.Kind], day.DayMonth())
		}
	}
	want := map[string]string{"hang": "13/11 14/11", "take-down": "16/12", "overdue": "17/12"}
	for kind, days := range want {
		all := strings.Join(got[kind], " ")
		if kind == "overdue" {
			if len(got[kind]) != 15 || got[kind][0] != "17/12" { // 17/12 to 31/12
				t.Errorf("overdue on %s", all)
			}
			continue
		}
		if all != days {
			t.Errorf("%s reminders on %q, want %q", kind, all, days)
		}
	}
	r := Reminders([]Line{line}, d("20/12/2026"))[0]
	if r.Overdue != 4 || !strings.Contains(r.Text(), "Quá hạn tháo 4 ngày: 2 băng rôn «Bình đẳng giới» tại Đường Lê Lợi, hạn 16/12/2026") {
		t.Errorf("overdue text: %q", r.Text())
	}
	late := line
	late.State = Ordered
	if rs := Reminders([]Line{late}, d("16/11/2026")); len(rs) != 1 || rs[0].Kind != "late-hang" || rs[0].Overdue != 2 {
		t.Errorf("a banner not up two days after its date: %+v", rs)
	}
	if rs := Reminders([]Line{late}, d("16/12/2026")); len(rs) != 0 {
		t.Errorf("a banner never hung is not reminded of on its take-down date: %+v", rs)
	}
	line.State = Removed
	if rs := Reminders([]Line{line}, d("20/12/2026")); len(rs) != 0 {
		t.Errorf("a removed banner is reminded of: %v", rs)
	}
}

func TestLifecycle(t *testing.T) {
	for _, c := range []struct {
		from, to State
		ok       bool
	}{
		{Planned, Ordered, true}, {Planned, Hung, true}, {Ordered, Hung, true}, {Hung, Removed, true},
		{Planned, Removed, false}, {Hung, Ordered, false}, {Removed, Hung, false}, {Hung, Hung, false},
	} {
		if err := CanMove(c.from, c.to); (err == nil) != c.ok {
			t.Errorf("%s → %s: %v", c.from, c.to, err)
		}
	}
	if s, err := ParseState("đã treo"); err != nil || s != Hung {
		t.Errorf("ParseState: %v %v", s, err)
	}
}

func TestReadCSVReportsEveryCell(t *testing.T) {
	hang, down := d("14/11/2026"), d("16/12/2026")
	good := "khau_hieu,vi_tri,loai,kich_thuoc,so_luong,ngay_treo,ngay_thao,phu_trach,ghi_chu\n" +
		"Hưởng ứng Tháng hành động vì bình đẳng giới năm 2026,Trụ sở UBND phường,trụ sở,\"5 × 0,8 m\",1,,,van-phong,\n" +
		"Xây dựng gia đình no ấm,Đường Lê Lợi,,\"6 × 0,8 m\",3,10/11/2026,20/12/2026,doan-thanh-nien,Căng ngang đường\n"
	lines, errs := ReadCSV("banners.csv", strings.NewReader(good), hang, down)
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if len(lines) != 2 || lines[0].HangOn != hang || lines[0].Kind != Office || lines[1].HangOn != d("10/11/2026") || lines[1].Count != 3 || lines[1].Kind != Street {
		t.Errorf("lines: %+v", lines)
	}
	bad := "khau_hieu,vi_tri,loai,so_luong,ngay_treo,ngay_thao,phu_trach\n" +
		",Đường Lê Lợi,đường,ba,14/11/2026,,doi-tu-quan\n" +
		"Bình đẳng giới,,xe buýt,2,31/11/2026,16/12/2026,\n" +
		"Bình đẳng giới,Chợ,đường,2,20/12/2026,16/12/2026,ban-quan-ly-cho\n"
	_, errs = ReadCSV("banners.csv", strings.NewReader(bad), hang, down)
	var got []string
	for _, e := range errs {
		got = append(got, e.Error())
	}
	want := []string{
		`banners.csv:2, column so_luong: "ba" is not a number`,
		`banners.csv:2, column khau_hieu: the slogan is missing`,
		`banners.csv:3, column loai: "xe buýt" is not a kind of place`,
		`banners.csv:3, column ngay_treo: "31/11/2026" is not a date`,
		`banners.csv:3, column vi_tri: the place is missing`,
		`banners.csv:3, column phu_trach: who is responsible is missing`,
		`banners.csv:4, column ngay_thao: take-down 16/12/2026 must come after hanging 20/12/2026`,
	}
	if len(got) != len(want) {
		t.Fatalf("problems:\n%s", strings.Join(got, "\n"))
	}
	for i := range want {
		if !strings.HasPrefix(got[i], want[i]) {
			t.Errorf("problem %d:\n got %s\nwant %s…", i, got[i], want[i])
		}
	}
	if vi := errs[0].(interface{ Localize(string) string }).Localize("vi"); vi != `banners.csv:2, cột so_luong: "ba" không phải số` {
		t.Errorf("Vietnamese: %q", vi)
	}
}

// TestXLSXReadsBack writes a plan and reads every cell back.
func TestXLSXReadsBack(t *testing.T) {
	lines := []Line{
		{Slogan: "Ăn ở có tình", Place: "Đường Trần Phú", Kind: Street, Size: "5 × 0,8 m", Count: 2, HangOn: d("14/11/2026"), DownOn: d("16/12/2026"), Responsible: "doan-thanh-nien", State: Hung},
		{Slogan: "Bình đẳng giới", Place: "Ấp Bắc", Kind: Office, Size: "3 × 0,6 m", Count: 1, HangOn: d("14/11/2026"), DownOn: d("16/12/2026"), Responsible: "van-phong", State: Planned, Notes: "Cổng chính"},
		{Slogan: "Xe tuyên truyền", Place: "Xe buýt tuyến 3", Kind: Vehicle, Size: "2 × 0,5 m", Count: 4, HangOn: d("13/11/2026"), DownOn: d("16/12/2026"), Responsible: "hop-tac-xa", State: Ordered},
	}
	Sort(lines)
	// By hang date, then place in Vietnamese order: Ấp before Đường (a byte sort puts Đ and Ấ after Z).
	if lines[0].Place != "Xe buýt tuyến 3" || lines[1].Place != "Ấp Bắc" || lines[2].Place != "Đường Trần Phú" {
		t.Fatalf("order: %s, %s, %s", lines[0].Place, lines[1].Place, lines[2].Place)
	}
	var buf bytes.Buffer
	if err := WriteXLSX(&buf, Sheet{Ward: "phường Lưu Kiếm", Campaign: "Tháng hành động vì bình đẳng giới 2026", Today: d("28/11/2026"), Lines: lines,
		Names: map[string]string{"doan-thanh-nien": "Nguyễn Văn Bình, Bí thư Đoàn phường"}}); err != nil {
		t.Fatal(err)
	}
	f, err := excelize.OpenReader(&buf)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if sheets := f.GetSheetList(); len(sheets) != 1 || sheets[0] != "Kế hoạch" {
		t.Fatalf("sheets: %v", sheets)
	}
	cell := func(ref string) string {
		v, err := f.GetCellValue("Kế hoạch", ref)
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
	want := map[string]string{
		"A1": "ỦY BAN NHÂN DÂN", "A2": "PHƯỜNG LƯU KIẾM", "F1": "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "F2": "Độc lập - Tự do - Hạnh phúc", "A4": "KẾ HOẠCH TREO BĂNG RÔN, KHẨU HIỆU", "A5": "Tháng hành động vì bình đẳng giới 2026",
		"A7": "STT", "B7": "Nội dung khẩu hiệu", "C7": "Vị trí treo", "D7": "Loại vị trí", "E7": "Kích thước", "F7": "Số lượng",
		"G7": "Ngày treo", "H7": "Ngày tháo", "I7": "Phụ trách", "J7": "Ghi chú", "K7": "Trạng thái",
		"A8": "1", "B8": "Xe tuyên truyền", "C8": "Xe buýt tuyến 3", "D8": "phương tiện", "F8": "4", "G8": "13/11/2026", "K8": "đã đặt in",
		"A9": "2", "C9": "Ấp Bắc", "D9": "trụ sở", "E9": "3 × 0,6 m", "J9": "Cổng chính", "K9": "dự kiến",
		"A10": "3", "B10": "Ăn ở có tình", "H10": "16/12/2026", "I10": "Nguyễn Văn Bình, Bí thư Đoàn phường", "K10": "đã treo",
		"B11": "Tổng số", "F11": "7",
		"B13": "Người lập", "H13": "Lãnh đạo duyệt", "B14": "(Ký, ghi rõ họ tên)", "H12": "Lưu Kiếm, ngày 28 tháng 11 năm 2026",
	}
	for ref, w := range want {
		if got := cell(ref); got != w {
			t.Errorf("%s = %q, want %q", ref, got, w)
		}
	}
	if typ, _ := f.GetCellType("Kế hoạch", "F8"); typ != excelize.CellTypeNumber && typ != excelize.CellTypeUnset {
		t.Errorf("the count is stored as %v, not a number", typ)
	}
	var h bytes.Buffer
	if err := WriteHTML(&h, Sheet{Ward: "phường Lưu Kiếm", Campaign: "x", Today: d("20/12/2026"), Lines: lines}); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(h.String(), "đã treo — quá hạn tháo") || strings.Count(h.String(), "quá hạn tháo") != 1 {
		t.Errorf("the HTML list must flag the one overdue banner:\n%s", h.String())
	}
}

func TestReadSlogans(t *testing.T) {
	txt := "Nhóm 1 — Bình đẳng giới:\n1. Bình đẳng giới là quyền con người\n\n- Bình đẳng giới vì sự phát triển bền vững!\n" +
		"Nhóm 2:\n  2) bình đẳng giới   là quyền con người.\nGia đi\u0300nh no ấm\n"
	got, folded, errs := ReadSlogans("khau-hieu.txt", strings.NewReader(txt))
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if folded != 1 || len(got) != 3 || got[0] != (Slogan{Group: "Nhóm 1 — Bình đẳng giới", Text: "Bình đẳng giới là quyền con người"}) ||
		got[1].Text != "Bình đẳng giới vì sự phát triển bền vững!" || got[2].Group != "Nhóm 2" {
		t.Errorf("txt: %+v, folded %d", got, folded)
	}
	if got[2].Text != "Gia đình no ấm" { // decomposed ì composed
		t.Errorf("not NFC: %q", got[2].Text)
	}
	// XLSX with a header, the text in the second column.
	f := excelize.NewFile()
	rows := [][]any{{"nhom", "khau_hieu"}, {"A", "Nói không với bạo lực gia đình"}, {"A", ""}, {"B", "Céng hßa x· héi chñ nghÜa"}}
	for i, r := range rows {
		f.SetSheetRow("Sheet1", fmt.Sprintf("A%d", i+1), &r)
	}
	var buf bytes.Buffer
	f.WriteTo(&buf)
	_, _, errs = ReadSlogans("ds.xlsx", &buf)
	if len(errs) != 1 || !strings.HasPrefix(errs[0].Error(), "ds.xlsx:4, column khau_hieu: this looks like TCVN3") {
		t.Errorf("legacy text in a cell: %v", errs)
	}
	if _, _, errs := ReadSlogans("ds.csv", strings.NewReader("nhom,noi dung\nA,x\n")); len(errs) != 1 || !strings.Contains(errs[0].Error(), "khau_hieu is missing") {
		t.Errorf("no text column: %v", errs)
	}
}

// TestSlogansMatchWhateverTheToneStyle: a slogan typed with the tone on the
// second vowel ("khoá", "xoá") is the list's ("khóa", "xóa"), and a list
// read again in the other style adds nothing new.
func TestSlogansMatchWhateverTheToneStyle(t *testing.T) {
	if !Same("Bình đẳng giới là chìa khoá để xoá bỏ bạo lực trên cơ sở giới!", "Bình đẳng giới là chìa khóa để xóa bỏ bạo lực trên cơ sở giới") {
		t.Error("the two styles are different slogans")
	}
	if Same("Nói không với bạo lực", "Nói không với bão lực") {
		t.Error("different words match")
	}
	ss, folded, errs := ReadSlogans("list.txt", strings.NewReader("Bình đẳng giới là chìa khoá để xoá bỏ bạo lực\nBình đẳng giới là chìa khóa để xóa bỏ bạo lực\n"))
	if len(errs) > 0 || len(ss) != 1 || folded != 1 || ss[0].Text != "Bình đẳng giới là chìa khóa để xóa bỏ bạo lực" {
		t.Errorf("read: %+v %d %v", ss, folded, errs)
	}
}
