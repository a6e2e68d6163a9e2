// Package report is the year's account to the People's Committee, as the
// plan's section IV.1 asks: per campaign, messages approved, what reached
// residents on each channel and what failed, broadcasts aired and their
// minutes, banners hung; as text, XLSX and printable HTML.
package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/xuri/excelize/v2"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

// Row is one campaign's figures.
type Row struct {
	Campaign     content.Campaign
	Approved     int            // messages approved
	Sent         map[string]int // by channel: delivered to a resident or chat
	Failed       map[string]int // by channel: failed, dead, unknown or blocked
	GroupPosts   int            // Zalo group posts block leaders confirmed
	GroupReach   int            // the people those groups hold, as confirmed
	Aired        int            // radio slots the operator confirmed aired
	NotAired     int
	AiredMinutes float64 // the aired scripts' reading time
	Banners      int     // banners hung (plan lines hung or removed, and banner tasks done)
}

// Report is a year's rows with the subscribers at the time it was made.
type Report struct {
	Ward        string
	Year        int
	Made        content.Date
	Rows        []Row
	Subscribers map[string]int // by channel, with consent and not blocked
}

// Channels the report has columns for.
var Channels = []content.Channel{content.Zalo, content.Telegram}

// Add counts deliveries of a campaign into its row.
func (r *Row) Add(ch content.Channel, st scheduler.DeliveryState, n, reach int) {
	if r.Sent == nil {
		r.Sent, r.Failed = map[string]int{}, map[string]int{}
	}
	switch {
	case ch == content.Loudspeaker && st == scheduler.Done:
		r.Aired += n
	case ch == content.Loudspeaker && st == scheduler.NotDone:
		r.NotAired += n
	case ch == content.Banner && st == scheduler.Done: // a crew hung a message's banner
		r.Banners += n
	case ch == content.Zalo && st == scheduler.Done: // a block leader posted to a group
		r.GroupPosts += n
		r.GroupReach += reach
	case st == scheduler.Sent:
		r.Sent[string(ch)] += n
	case st == scheduler.Failed || st == scheduler.Dead || st == scheduler.Unknown || st == scheduler.Blocked:
		r.Failed[string(ch)] += n
	}
}

// AddBanners counts a campaign's banners that went up.
func (r *Row) AddBanners(lines []banner.Line) {
	for _, l := range lines {
		if l.State == banner.Hung || l.State == banner.Removed {
			r.Banners += l.Count
		}
	}
}

// Total sums the rows.
func (rep Report) Total() Row {
	t := Row{Sent: map[string]int{}, Failed: map[string]int{}}
	for _, r := range rep.Rows {
		t.Approved += r.Approved
		for _, ch := range Channels {
			t.Sent[string(ch)] += r.Sent[string(ch)]
			t.Failed[string(ch)] += r.Failed[string(ch)]
		}
		t.GroupPosts += r.GroupPosts
		t.GroupReach += r.GroupReach
		t.Aired += r.Aired
		t.NotAired += r.NotAired
		t.AiredMinutes += r.AiredMinutes
		t.Banners += r.Banners
	}
	return t
}

// Heads are the table's columns, in Vietnamese, as the office files them.
var Heads = []string{"Chiến dịch", "Tin đã duyệt", "Zalo: đã gửi", "Zalo: lỗi", "Telegram: đã gửi", "Telegram: lỗi",
	"Nhóm Zalo: bài đăng", "Nhóm Zalo: số người", "Loa: buổi đã phát", "Loa: buổi không phát", "Loa: số phút", "Băng rôn đã treo"}

func (r Row) values(name string) []any {
	return []any{name, r.Approved, r.Sent["zalo"], r.Failed["zalo"], r.Sent["telegram"], r.Failed["telegram"],
		r.GroupPosts, r.GroupReach, r.Aired, r.NotAired, round1(r.AiredMinutes), r.Banners}
}

func round1(f float64) float64 { return float64(int(f*10+0.5)) / 10 }

// Minutes is how long a script takes to read at pace syllables a minute.
func Minutes(spoken string, pace int) float64 {
	return content.ReadingTime(spoken, pace).Round(time.Second).Minutes()
}

func (rep Report) title() string {
	return fmt.Sprintf("BÁO CÁO KẾT QUẢ CÔNG TÁC TRUYỀN THÔNG NĂM %d", rep.Year)
}

// WriteText writes the report for a terminal, a block a campaign.
func (rep Report) WriteText(w io.Writer) error {
	fmt.Fprintf(w, "%s — %s\n", rep.title(), rep.Ward)
	block := func(name string, r Row) {
		fmt.Fprintf(w, "\n%s\n  Tin đã duyệt: %d\n", name, r.Approved)
		fmt.Fprintf(w, "  Zalo: %d đã gửi, %d lỗi · Telegram: %d đã gửi, %d lỗi\n", r.Sent["zalo"], r.Failed["zalo"], r.Sent["telegram"], r.Failed["telegram"])
		fmt.Fprintf(w, "  Nhóm Zalo: %d bài đăng, khoảng %d người\n", r.GroupPosts, r.GroupReach)
		fmt.Fprintf(w, "  Loa: %d buổi đã phát (%.1f phút), %d buổi không phát\n", r.Aired, round1(r.AiredMinutes), r.NotAired)
		fmt.Fprintf(w, "  Băng rôn đã treo: %d\n", r.Banners)
	}
	for _, r := range rep.Rows {
		block(r.Campaign.Name, r)
	}
	block("TỔNG CỘNG", rep.Total())
	_, err := fmt.Fprintf(w, "\nNgười nhận tin có đồng ý đến %s: Zalo %d, Telegram %d.\n", rep.Made.Short(), rep.Subscribers["zalo"], rep.Subscribers["telegram"])
	return err
}

// XLSX layout.
const headRow = 5

// WriteXLSX writes the report as a workbook: title, ward and date, the table
// with a total row, and the subscribers.
func (rep Report) WriteXLSX(w io.Writer) error {
	f := excelize.NewFile()
	defer f.Close()
	const sh = "Báo cáo"
	if err := f.SetSheetName("Sheet1", sh); err != nil {
		return err
	}
	last, _ := excelize.ColumnNumberToName(len(Heads))
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true, Family: "Times New Roman", Size: 13},
		Alignment: &excelize.Alignment{Horizontal: "center", WrapText: true}})
	if err != nil {
		return err
	}
	set := func(cell string, v any) {
		if err == nil {
			err = f.SetCellValue(sh, cell, v)
		}
	}
	for i, t := range []string{"ỦY BAN NHÂN DÂN " + strings.ToUpper(rep.Ward), rep.title(), "Lập ngày " + rep.Made.Short()} {
		cell := fmt.Sprintf("A%d", i+1)
		set(cell, t)
		if err == nil {
			err = f.MergeCell(sh, cell, fmt.Sprintf("%s%d", last, i+1))
		}
		if err == nil {
			err = f.SetCellStyle(sh, cell, cell, bold)
		}
	}
	heads := make([]any, len(Heads))
	for i, h := range Heads {
		heads[i] = h
	}
	rows := [][]any{heads}
	for _, r := range rep.Rows {
		rows = append(rows, r.values(r.Campaign.Name))
	}
	rows = append(rows, rep.Total().values("Tổng cộng"))
	for i, r := range rows {
		if err == nil {
			err = f.SetSheetRow(sh, fmt.Sprintf("A%d", headRow+i), &r)
		}
	}
	next := headRow + len(rows) + 1
	set(fmt.Sprintf("A%d", next), "Người nhận tin có đồng ý")
	set(fmt.Sprintf("B%d", next), "Zalo")
	set(fmt.Sprintf("C%d", next), rep.Subscribers["zalo"])
	set(fmt.Sprintf("D%d", next), "Telegram")
	set(fmt.Sprintf("E%d", next), rep.Subscribers["telegram"])
	if err == nil {
		err = f.SetColWidth(sh, "A", "A", 48)
	}
	if err == nil {
		err = f.SetColWidth(sh, "B", last, 13)
	}
	if err != nil {
		return err
	}
	_, err = f.WriteTo(w)
	return err
}

var page = template.Must(template.New("report").Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
@page { size: A4 landscape; margin: 15mm }
body { font-family: "Times New Roman", serif; font-size: 12pt }
h1 { text-align: center; font-size: 15pt } p.c { text-align: center }
table { border-collapse: collapse; width: 100% } th, td { border: 1px solid #000; padding: 3px 5px }
td.n { text-align: right } tr.total td { font-weight: bold }
.bar { background: #2a6; height: 10px; display: inline-block }
</style></head><body>
<p class="c"><b>ỦY BAN NHÂN DÂN {{.Ward}}</b></p>
<h1>{{.Title}}</h1><p class="c">Lập ngày {{.Made}}</p>
<table><thead><tr>{{range .Heads}}<th>{{.}}</th>{{end}}</tr></thead><tbody>
{{range .Rows}}<tr>{{range $i, $v := .}}{{if $i}}<td class="n">{{$v}}</td>{{else}}<td>{{$v}}</td>{{end}}{{end}}</tr>
{{end}}<tr class="total">{{range $i, $v := .Total}}{{if $i}}<td class="n">{{$v}}</td>{{else}}<td>{{$v}}</td>{{end}}{{end}}</tr>
</tbody></table>
<h2>Tin đến người dân qua Zalo và Telegram, theo chiến dịch</h2>
<table>{{range .Bars}}<tr><td>{{.Name}}</td><td><span class="bar" style="width: {{.Width}}px"></span> {{.N}}</td></tr>
{{end}}</table>
<p>Người nhận tin có đồng ý: Zalo {{.Zalo}}, Telegram {{.Telegram}}.</p>
</body></html>
`))

// WriteHTML writes the report as a printable page with a bar chart of what
// reached residents per campaign.
func (rep Report) WriteHTML(w io.Writer) error {
	type bar struct {
		Name     string
		N, Width int
	}
	var rows [][]any
	var bars []bar
	most := 1
	for _, r := range rep.Rows {
		rows = append(rows, r.values(r.Campaign.Name))
		n := r.Sent["zalo"] + r.Sent["telegram"]
		most = max(most, n)
		bars = append(bars, bar{Name: r.Campaign.Name, N: n})
	}
	for i := range bars {
		bars[i].Width = bars[i].N * 400 / most
	}
	return page.Execute(w, map[string]any{
		"Title": rep.title(), "Ward": strings.ToUpper(rep.Ward), "Made": rep.Made.Short(), "Heads": Heads, "Rows": rows,
		"Total": rep.Total().values("Tổng cộng"), "Bars": bars, "Zalo": rep.Subscribers["zalo"], "Telegram": rep.Subscribers["telegram"],
	})
}
