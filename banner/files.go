package banner

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/loa-ward/loa/content"
)

// Columns are the plan's columns, as CSV files name them (in any order)
// and as lists head them.
var Columns = []struct{ Key, Head string }{
	{"khau_hieu", "Nội dung khẩu hiệu"},
	{"vi_tri", "Vị trí treo"},
	{"loai", "Loại vị trí"},
	{"kich_thuoc", "Kích thước"},
	{"so_luong", "Số lượng"},
	{"ngay_treo", "Ngày treo"},
	{"ngay_thao", "Ngày tháo"},
	{"phu_trach", "Phụ trách"},
	{"ghi_chu", "Ghi chú"},
}

var kindVI = map[Kind]string{Street: "tuyến đường", Office: "trụ sở", Vehicle: "phương tiện"}

// Sheet is what an exported list says about itself.
type Sheet struct {
	Ward     string // "phường Lưu Kiếm"
	Campaign string // the campaign's name
	Today    content.Date
	Lines    []Line
	// Names are how printed sheets name the people responsible: login →
	// "Nguyễn Văn A, Tổ trưởng tổ dân phố số 1". A unit ("crew") stays as it is.
	Names map[string]string
}

// printed are a line's cells as a printed sheet shows them: the person
// responsible by full name and title.
func (s Sheet) printed(l Line) []string {
	cells := l.cells()
	if n, ok := s.Names[l.Responsible]; ok {
		cells[7] = n
	}
	return cells
}

func (s Sheet) title() string {
	return "KẾ HOẠCH TREO BĂNG RÔN, KHẨU HIỆU"
}

func (l Line) cells() []string {
	return []string{l.Slogan, l.Place, kindVI[l.Kind], l.Size, strconv.Itoa(l.Count), short(l.HangOn), short(l.DownOn), l.Responsible, l.Notes}
}

func short(d content.Date) string {
	if d.IsZero() {
		return ""
	}
	return d.Short()
}

// ReadCSV reads plan lines for a campaign: a header naming the columns
// (khau_hieu, vi_tri, so_luong and phu_trach required), one banner line a
// row. Empty dates take hang and down. Every problem comes back with its
// row and column; with any, nothing should be saved.
func ReadCSV(name string, r io.Reader, hang, down content.Date) ([]Line, []error) {
	t, errs := content.OpenTable(name, r, "khau_hieu", "vi_tri", "so_luong", "phu_trach")
	if len(errs) > 0 {
		return nil, errs
	}
	var out []Line
	errs = t.Each(func(_ int, at func(string, error)) {
		var err error
		get := t.Get
		l := Line{Slogan: get("khau_hieu"), Place: get("vi_tri"), Size: get("kich_thuoc"), Responsible: get("phu_trach"), Notes: get("ghi_chu"),
			HangOn: hang, DownOn: down, State: Planned}
		if l.Kind, err = ParseKind(get("loai")); err != nil {
			at("loai", err)
		}
		if l.Count, err = strconv.Atoi(get("so_luong")); err != nil {
			at("so_luong", content.Errorf("%q không phải số", "%q is not a number", get("so_luong")))
			l.Count = 1 // checked above; keep Check from saying it twice
		}
		for _, d := range []struct {
			key string
			to  *content.Date
		}{{"ngay_treo", &l.HangOn}, {"ngay_thao", &l.DownOn}} {
			if v := get(d.key); v != "" {
				if *d.to, err = content.ParseVietnameseDate(v); err != nil {
					at(d.key, content.Errorf("%q không phải ngày (ví dụ 14/11/2026)", "%q is not a date (e.g. 14/11/2026)", v))
				}
			}
		}
		for _, p := range l.Check() {
			at(p.Field, p.Err)
		}
		out = append(out, l)
	})
	if len(errs) > 0 {
		return nil, errs
	}
	return out, nil
}

// WriteCSV writes the plan with the columns ReadCSV reads, plus the state.
func WriteCSV(w io.Writer, lines []Line) error {
	cw := csv.NewWriter(w)
	head := make([]string, 0, len(Columns)+1)
	for _, c := range Columns {
		head = append(head, c.Key)
	}
	_ = cw.Write(append(head, "trang_thai"))
	for _, l := range lines {
		_ = cw.Write(append(l.cells(), l.State.Vietnamese()))
	}
	cw.Flush()
	return cw.Error()
}

// XLSX layout: the rows a ward office expects.
const (
	xlsxTitleRow = 4 // the title; above it the ward and the national motto
	xlsxHeadRow  = 7 // the table's header; lines follow
)

// WriteXLSX writes the plan as a ward office files it: the issuing body and
// the national motto, the title, the campaign, a numbered table with
// Vietnamese headers and a signature block (Người lập, Lãnh đạo duyệt).
func WriteXLSX(w io.Writer, s Sheet) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Kế hoạch"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	heads := []string{"STT"}
	for _, c := range Columns {
		heads = append(heads, c.Head)
	}
	heads = append(heads, "Trạng thái")
	last, _ := excelize.ColumnNumberToName(len(heads))
	set := func(cell string, v any) error { return f.SetCellValue(sh, cell, v) }
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 13},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true}})
	if err != nil {
		return err
	}
	cellStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Family: "Times New Roman", Size: 12},
		Alignment: &excelize.Alignment{Vertical: "top", WrapText: true},
		Border:    []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}})
	if err != nil {
		return err
	}
	headStyle, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 12},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center", WrapText: true},
		Fill:      excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDDDDD"}},
		Border:    []excelize.Border{{Type: "left", Style: 1}, {Type: "right", Style: 1}, {Type: "top", Style: 1}, {Type: "bottom", Style: 1}}})
	if err != nil {
		return err
	}
	// The issuing body and the national motto side by side (Decree
	// 30/2020), the motto on two lines with a rule under the second.
	ruled, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 13},
		Alignment: &excelize.Alignment{Horizontal: "center", Vertical: "center"}, Border: []excelize.Border{{Type: "bottom", Style: 1}}})
	if err != nil {
		return err
	}
	top := []struct {
		from, to string
		text     string
		style    int
	}{
		{"A1", "C1", "ỦY BAN NHÂN DÂN", bold},
		{"A2", "C2", strings.ToUpper(s.Ward), ruled},
		{"F1", last + "1", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", bold},
		{"F2", last + "2", "Độc lập - Tự do - Hạnh phúc", ruled},
		{fmt.Sprintf("A%d", xlsxTitleRow), fmt.Sprintf("%s%d", last, xlsxTitleRow), s.title(), bold},
		{fmt.Sprintf("A%d", xlsxTitleRow+1), fmt.Sprintf("%s%d", last, xlsxTitleRow+1), s.Campaign, bold},
	}
	for _, t := range top {
		if err := f.MergeCell(sh, t.from, t.to); err != nil {
			return err
		}
		if err := set(t.from, t.text); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, t.from, t.to, t.style); err != nil {
			return err
		}
	}
	if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", xlsxHeadRow), &heads); err != nil {
		return err
	}
	if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", xlsxHeadRow), fmt.Sprintf("%s%d", last, xlsxHeadRow), headStyle); err != nil {
		return err
	}
	row := xlsxHeadRow
	for i, l := range s.Lines {
		row++
		vals := []any{i + 1}
		for j, c := range s.printed(l) {
			if j == 4 {
				vals = append(vals, l.Count) // a number, so the office can sum it
				continue
			}
			vals = append(vals, c)
		}
		vals = append(vals, l.State.Vietnamese())
		if err := f.SetSheetRow(sh, fmt.Sprintf("A%d", row), &vals); err != nil {
			return err
		}
	}
	if row > xlsxHeadRow {
		if err := f.SetCellStyle(sh, fmt.Sprintf("A%d", xlsxHeadRow+1), fmt.Sprintf("%s%d", last, row), cellStyle); err != nil {
			return err
		}
	}
	// The total, then the signatures.
	row++
	if err := set(fmt.Sprintf("B%d", row), "Tổng số"); err != nil {
		return err
	}
	sum := 0
	for _, l := range s.Lines {
		sum += l.Count
	}
	if err := set(fmt.Sprintf("F%d", row), sum); err != nil {
		return err
	}
	row += 2
	for _, c := range []struct {
		col, text string
	}{{"B", "Người lập"}, {"H", "Lãnh đạo duyệt"}} {
		if err := set(fmt.Sprintf("%s%d", c.col, row), c.text); err != nil {
			return err
		}
		if err := f.SetCellStyle(sh, fmt.Sprintf("%s%d", c.col, row), fmt.Sprintf("%s%d", c.col, row), bold); err != nil {
			return err
		}
		if err := set(fmt.Sprintf("%s%d", c.col, row+1), "(Ký, ghi rõ họ tên)"); err != nil {
			return err
		}
	}
	if err := set(fmt.Sprintf("H%d", row-1), fmt.Sprintf("%s, %s", strings.TrimPrefix(s.Ward, "phường "), s.Today.Formal())); err != nil {
		return err
	}
	widths := []float64{6, 44, 34, 14, 12, 10, 12, 12, 18, 22, 12}
	for i, wd := range widths {
		name, _ := excelize.ColumnNumberToName(i + 1)
		if err := f.SetColWidth(sh, name, name, wd); err != nil {
			return err
		}
	}
	if err := f.SetPageLayout(sh, &excelize.PageLayoutOptions{Size: ptr(9), Orientation: ptr("landscape")}); err != nil { // 9: A4
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

func ptr[T any](v T) *T { return &v }

var page = template.Must(template.New("banners").Funcs(template.FuncMap{"inc": func(i int) int { return i + 1 }}).Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
@page { size: A4 landscape; margin: 15mm }
body { font-family: "Times New Roman", serif; font-size: 12pt }
.head { display: flex; justify-content: space-between; text-align: center; font-weight: bold }
.head div::after { content: ""; display: block; width: 50%; margin: 2px auto 0; border-top: 1px solid #000 }
h1 { text-align: center; font-size: 15pt; margin-bottom: 0 } h2 { text-align: center; font-size: 13pt; font-weight: normal }
table { border-collapse: collapse; width: 100% } th, td { border: 1px solid #000; padding: 3px 5px; vertical-align: top }
th { background: #ddd } .n { text-align: right } .overdue { color: #a00; font-weight: bold }
.sign { display: flex; justify-content: space-around; margin-top: 2em; text-align: center }
</style></head><body>
<div class="head"><div>ỦY BAN NHÂN DÂN<br>{{.Ward}}</div><div>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</div></div>
<h1>{{.Title}}</h1><h2>{{.Campaign}}</h2>
<table><thead><tr><th>STT</th>{{range .Heads}}<th>{{.}}</th>{{end}}<th>Trạng thái</th></tr></thead><tbody>
{{range $i, $l := .Rows}}<tr><td class="n">{{inc $i}}</td>{{range $l.Cells}}<td>{{.}}</td>{{end}}<td{{if $l.Overdue}} class="overdue"{{end}}>{{$l.State}}{{if $l.Overdue}} — quá hạn tháo{{end}}</td></tr>
{{end}}<tr><td></td><td><b>Tổng số</b></td><td></td><td></td><td></td><td class="n"><b>{{.Total}}</b></td><td colspan="5"></td></tr>
</tbody></table>
<div class="sign"><div><b>Người lập</b><br>(Ký, ghi rõ họ tên)</div><div>{{.Place}}, {{.Date}}<br><b>Lãnh đạo duyệt</b><br>(Ký, ghi rõ họ tên)</div></div>
</body></html>
`))

// WriteHTML writes the plan as a printable A4 (landscape) page.
func WriteHTML(w io.Writer, s Sheet) error {
	type row struct {
		Cells   []string
		State   string
		Overdue bool
	}
	var rows []row
	total := 0
	for _, l := range s.Lines {
		rows = append(rows, row{s.printed(l), l.State.Vietnamese(), l.Overdue(s.Today)})
		total += l.Count
	}
	var heads []string
	for _, c := range Columns {
		heads = append(heads, c.Head)
	}
	return page.Execute(w, map[string]any{
		"Title": s.title(), "Ward": strings.ToUpper(s.Ward), "Campaign": s.Campaign, "Heads": heads, "Rows": rows, "Total": total,
		"Place": strings.TrimPrefix(s.Ward, "phường "), "Date": s.Today.Formal(),
	})
}
