package report

import (
	"encoding/csv"
	"fmt"
	"io"
	"maps"
	"slices"

	"github.com/xuri/excelize/v2"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/privacy"
)

// AnnexRow is one line of the figures' annex: what, its unit, how many.
type AnnexRow struct {
	No    string // "1", "1.1"
	What  string
	Unit  string
	Count float64
}

// Annex is the figures as the annex table lists them.
func (d Document) Annex() []AnnexRow {
	f, a := d.Figures, d.Figures.Activity
	t := d.t
	rows := []AnnexRow{
		{"1", t("Văn bản chỉ đạo, triển khai", "Documents issued"), t("văn bản", "documents"), float64(a.Documents)},
		{"2", t("Hoạt động tuyên truyền trực tiếp", "Direct communication activities"), t("hoạt động", "activities"), float64(a.Sessions)},
	}
	for i, k := range activities.Kinds {
		if k.Category == activities.Direct && a.ByKind[k.Key] > 0 {
			rows = append(rows, AnnexRow{fmt.Sprintf("2.%d", i+1), k.Label.In(d.Lang), t("hoạt động", "activities"), float64(a.ByKind[k.Key])})
		}
	}
	rows = append(rows,
		AnnexRow{"3", t("Lượt người tham dự", "Participants"), t("lượt người", "people"), float64(a.Participants)},
		AnnexRow{"3.1", t("Trong đó nữ", "Of them women"), t("lượt người", "people"), float64(a.Women)},
		AnnexRow{"3.2", t("Nam", "Men"), t("lượt người", "people"), float64(a.Men())},
		AnnexRow{"4", t("Tin, bài phát trên loa truyền thanh", "Radio items aired"), t("tin, bài", "items"), float64(f.Radio.Items)},
		AnnexRow{"4.1", t("Buổi phát thanh", "Broadcasts"), t("buổi", "broadcasts"), float64(f.Radio.Broadcasts)},
		AnnexRow{"4.2", t("Thời lượng phát thanh", "Time on air"), t("phút", "minutes"), round1(f.Radio.Minutes)},
		AnnexRow{"5", t("Tin đăng trên Zalo OA của phường", "Items on the ward's Zalo OA"), t("tin", "items"), float64(f.ZaloOA.Items)},
		AnnexRow{"5.1", t("Lượt người nhận", "Received"), t("lượt", "times"), float64(f.ZaloOA.Reach)},
		AnnexRow{"6", t("Bài đăng trong nhóm Zalo tổ dân phố", "Posts in the blocks' Zalo groups"), t("bài", "posts"), float64(f.Groups.Items)},
		AnnexRow{"6.1", t("Thành viên các nhóm", "Members of the groups"), t("người", "people"), float64(f.Groups.Reach)},
		AnnexRow{"7", t("Tin gửi qua Telegram", "Items on Telegram"), t("tin", "items"), float64(f.Telegram.Items)},
		AnnexRow{"7.1", t("Lượt người nhận", "Received"), t("lượt", "times"), float64(f.Telegram.Reach)},
		AnnexRow{"8", t("Tin, bài trên Cổng thông tin, trang mạng xã hội", "Articles online"), t("tin, bài", "articles"), float64(a.Articles)},
		AnnexRow{"9", t("Băng rôn đã treo", "Banners hung"), t("băng rôn", "banners"), float64(f.Banners.Hung)},
		AnnexRow{"9.1", t("Khẩu hiệu sử dụng", "Slogans used"), t("khẩu hiệu", "slogans"), float64(f.Banners.Slogans)},
		AnnexRow{"10", t("Tài liệu in, trình chiếu", "Printed and shown materials"), t("bản, lượt", "copies, slots"), float64(a.Materials)},
	)
	for i, k := range activities.Kinds {
		if k.Category == activities.Material && a.ByKind[k.Key] > 0 {
			rows = append(rows, AnnexRow{fmt.Sprintf("10.%d", i+1), k.Label.In(d.Lang), t("bản, lượt", "copies, slots"), float64(a.ByKind[k.Key])})
		}
	}
	if n := len(f.Subscribers); n > 0 {
		last := f.Subscribers[n-1]
		rows = append(rows,
			AnnexRow{"11", t("Người dân đăng ký nhận tin qua Zalo", "Residents on Zalo"), t("người", "people"), float64(last.Counts["zalo"])},
			AnnexRow{"12", t("Người dân đăng ký nhận tin qua Telegram", "Residents on Telegram"), t("người", "people"), float64(last.Counts["telegram"])})
	}
	q := f.Requests
	rows = append(rows, AnnexRow{"13", t("Yêu cầu của người dân về dữ liệu cá nhân", "Residents' requests about their personal data"), t("yêu cầu", "requests"), float64(q.Total)})
	for i, k := range privacy.Kinds {
		rows = append(rows, AnnexRow{fmt.Sprintf("13.%d", i+1), content.UpperFirst(privacy.KindLabel(k, d.Lang)), t("yêu cầu", "requests"), float64(q.ByKind[k])})
	}
	rows = append(rows, AnnexRow{fmt.Sprintf("13.%d", len(privacy.Kinds)+1), t("Trong đó xử lý quá hạn", "Of them done late or still late"), t("yêu cầu", "requests"), float64(q.Late)})
	return rows
}

func (d Document) annexHead() []string {
	return []string{d.t("STT", "No."), d.t("Nội dung", "Item"), d.t("Đơn vị tính", "Unit"), d.t("Số lượng", "Count")}
}

// WriteCSV writes the annex as CSV with a UTF-8 byte-order mark, so Excel
// on Windows reads the Vietnamese.
func (d Document) WriteCSV(w io.Writer) error {
	if _, err := io.WriteString(w, "\ufeff"); err != nil {
		return err
	}
	c := csv.NewWriter(w)
	c.UseCRLF = true // as Excel writes it
	if err := c.Write(d.annexHead()); err != nil {
		return err
	}
	for _, r := range d.Annex() {
		if err := c.Write([]string{r.No, r.What, r.Unit, i18n.Decimal(r.Count).Localize(i18n.English)}); err != nil {
			return err
		}
	}
	c.Flush()
	return c.Error()
}

// WriteXLSX writes the annex as a workbook laid out for printing: the
// ward's header, the title, a bordered table in Times New Roman with
// numbers as numbers; then the items by month (landscape), and the
// office's internal counts on a sheet of their own.
func (d Document) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	x := &xlsx{f: f}
	sheet := d.t("Phụ lục", "Annex")
	x.rename("Sheet1", sheet)
	title := x.style(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 13}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
	plain := x.style(&excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 12}, Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
	border := []excelize.Border{{Type: "left", Color: "000000", Style: 1}, {Type: "right", Color: "000000", Style: 1}, {Type: "top", Color: "000000", Style: 1}, {Type: "bottom", Color: "000000", Style: 1}}
	head := x.style(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 12}, Border: border,
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}, Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"E8E8E8"}}})
	cell := x.style(&excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 12}, Border: border, Alignment: &excelize.Alignment{Vertical: "center", WrapText: true}})
	number := x.style(&excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 12}, Border: border, CustomNumFmt: ptr("#,##0.##")})
	nation, words := d.Motto()
	x.text(sheet, "A1", "B1", d.Issuer, title)
	x.text(sheet, "C1", "D1", nation, title)
	x.text(sheet, "C2", "D2", words, title)
	x.text(sheet, "A4", "D4", d.t("PHỤ LỤC SỐ LIỆU", "ANNEX: FIGURES"), title)
	x.text(sheet, "A5", "D5", d.t("(Kèm theo Báo cáo ", "(With report ")+d.NumberLine()+")", plain)
	x.text(sheet, "A6", "D6", d.Subject, plain)
	for i, h := range d.annexHead() {
		c, _ := excelize.CoordinatesToCellName(i+1, 8)
		x.set(sheet, c, h, head)
	}
	for i, r := range d.Annex() {
		row := 9 + i
		x.set(sheet, fmt.Sprintf("A%d", row), r.No, cell)
		x.set(sheet, fmt.Sprintf("B%d", row), r.What, cell)
		x.set(sheet, fmt.Sprintf("C%d", row), r.Unit, cell)
		x.set(sheet, fmt.Sprintf("D%d", row), r.Count, number)
	}
	x.widths(sheet, map[string]float64{"A": 7, "B": 52, "C": 14, "D": 12})
	x.page(sheet, "portrait")

	// Items a month, a column a channel: wide, so landscape.
	months := d.t("Theo tháng", "By month")
	x.add(months)
	heads := []string{d.t("Tháng", "Month"), "Zalo OA", d.t("Nhóm Zalo", "Zalo groups"), "Telegram", d.t("Loa truyền thanh", "Radio"),
		d.t("Người đăng ký Zalo (cuối tháng)", "Residents on Zalo (month end)"), d.t("Người đăng ký Telegram (cuối tháng)", "Residents on Telegram (month end)")}
	for i, h := range heads {
		c, _ := excelize.CoordinatesToCellName(i+1, 1)
		x.set(months, c, h, head)
	}
	items, subs := map[string]map[string]int{}, map[string]map[string]int{}
	for _, m := range d.Figures.Months {
		items[m.Month] = m.Counts
	}
	for _, m := range d.Figures.Subscribers {
		subs[m.Month] = m.Counts
	}
	keys := slices.Sorted(maps.Keys(items))
	for k := range subs {
		if _, ok := items[k]; !ok {
			keys = append(keys, k)
		}
	}
	slices.Sort(keys)
	for i, k := range keys {
		row := i + 2
		x.set(months, fmt.Sprintf("A%d", row), monthLabel(k, d.Lang), cell)
		for j, v := range []int{items[k]["zalo"], items[k]["groups"], items[k]["telegram"], items[k]["loudspeaker"], subs[k]["zalo"], subs[k]["telegram"]} {
			c, _ := excelize.CoordinatesToCellName(j+2, row)
			x.set(months, c, v, number)
		}
	}
	x.widths(months, map[string]float64{"A": 12, "B": 12, "C": 12, "D": 12, "E": 14, "F": 22, "G": 22})
	x.page(months, "landscape")

	// The office's own counts, not for the report that goes up.
	internal := d.t("Nội bộ", "Internal")
	x.add(internal)
	ih := []string{d.t("Kênh", "Channel"), d.t("Lỗi", "Failed"), d.t("Bỏ sau nhiều lần thử", "Gave up"), d.t("Không rõ", "Unknown"), d.t("Bị chặn", "Blocked"), d.t("Bỏ qua", "Skipped")}
	for i, h := range ih {
		c, _ := excelize.CoordinatesToCellName(i+1, 1)
		x.set(internal, c, h, head)
	}
	for i, ch := range []content.Channel{content.Zalo, content.Telegram} {
		in := d.Figures.Internal[ch]
		for j, v := range []any{string(ch), in.Failed, in.Dead, in.Unknown, in.Blocked, in.Skipped} {
			c, _ := excelize.CoordinatesToCellName(j+1, i+2)
			st := number
			if j == 0 {
				st = cell
			}
			x.set(internal, c, v, st)
		}
	}
	x.widths(internal, map[string]float64{"A": 12, "B": 10, "C": 20, "D": 12, "E": 12, "F": 12})
	x.page(internal, "landscape")
	f.SetActiveSheet(0)
	if x.err != nil {
		return x.err
	}
	_, err := f.WriteTo(w)
	return err
}

func ptr[T any](v T) *T { return &v }

// xlsx collects the first error of a sequence of excelize calls.
type xlsx struct {
	f   *excelize.File
	err error
}

func (x *xlsx) rename(from, to string) {
	if x.err == nil {
		x.err = x.f.SetSheetName(from, to)
	}
}

func (x *xlsx) add(name string) {
	if x.err == nil {
		_, x.err = x.f.NewSheet(name)
	}
}

func (x *xlsx) style(s *excelize.Style) int {
	if x.err != nil {
		return 0
	}
	id, err := x.f.NewStyle(s)
	x.err = err
	return id
}

func (x *xlsx) set(sheet, cell string, v any, style int) {
	if x.err == nil {
		x.err = x.f.SetCellValue(sheet, cell, v)
	}
	if x.err == nil {
		x.err = x.f.SetCellStyle(sheet, cell, cell, style)
	}
}

func (x *xlsx) text(sheet, from, to, v string, style int) {
	x.set(sheet, from, v, style)
	if x.err == nil && from != to {
		x.err = x.f.MergeCell(sheet, from, to)
	}
}

func (x *xlsx) widths(sheet string, ws map[string]float64) {
	for col, w := range ws {
		if x.err == nil {
			x.err = x.f.SetColWidth(sheet, col, col, w)
		}
	}
}

func (x *xlsx) page(sheet, orientation string) {
	if x.err == nil {
		x.err = x.f.SetPageLayout(sheet, &excelize.PageLayoutOptions{Size: ptr(9), Orientation: ptr(orientation)}) // 9: A4
	}
}
