// Package loudspeaker prepares the ward radio's work: for each slot, a script
// to read (opening, body, closing) with its reading time and a warning when
// it overflows the slot; printable A4 pages in large type; and the day or
// week sheet (date, slot, title, duration, approver) the operator enters
// into the smart-loudspeaker vendor's portal, which has no API.
package loudspeaker

import (
	"encoding/csv"
	"fmt"
	"html/template"
	"io"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
	"github.com/loa-ward/loa/scheduler"
)

// Slot is one of the ward's broadcast slots.
type Slot struct {
	Name string         // e.g. "sáng"
	Hour int            // local time
	Min  int            //
	Days []time.Weekday // the days it runs; all when empty
	Max  time.Duration  // the ward's segment inside the slot, e.g. 10 minutes
}

// Label is "05:30".
func (s Slot) Label() string { return fmt.Sprintf("%02d:%02d", s.Hour, s.Min) }

// Cron is the slot as a cron expression, for a rotation schedule.
func (s Slot) Cron() string {
	days := "*"
	if len(s.Days) > 0 && len(s.Days) < 7 {
		var d []string
		for _, w := range s.Days {
			d = append(d, fmt.Sprint(int(w)))
		}
		days = strings.Join(d, ",")
	}
	return fmt.Sprintf("%d %d * * %s", s.Min, s.Hour, days)
}

// Script is what the operator reads (or plays) in one slot.
type Script struct {
	At         time.Time
	Slot       string // "05:30"
	MessageKey string
	Version    int
	Title      string
	Opening    string
	Body       string // as written
	Closing    string
	Spoken     string        // opening, body and closing normalized for speech
	Reading    time.Duration // at the configured pace
	Max        time.Duration // the slot's segment; 0 when unknown
	Approver   string
	State      string                  // where it stands, as StateText says it in Vietnamese, for sheets
	Run        scheduler.RunState      // the run's state; "" when not planned yet
	Task       scheduler.DeliveryState // the operator's task once the run started; "" before
	Waiting    bool                    // the message is not approved
	Instead    string                  // when Waiting: the title of the approved script that airs instead, if any
	Audio      string                  // the audio file, "" when none
	AudioLen   time.Duration           // the audio file's measured length; 0 when none
}

// Length is how long the script takes on air: the audio's measured length
// when there is audio, else the reading estimate.
func (s Script) Length() time.Duration {
	if s.AudioLen > 0 {
		return s.AudioLen
	}
	return s.Reading
}

// Overflows reports whether the script takes longer than its slot allows.
func (s Script) Overflows() bool { return s.Max > 0 && s.Length() > s.Max }

// Text is the plain-text script.
func (s Script) Text() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%s — %s\n", s.At.In(content.Zone).Format("15:04 02/01/2006"), s.Title)
	fmt.Fprintf(&b, "Thời lượng đọc: khoảng %s", minutes(s.Reading))
	if s.AudioLen > 0 {
		fmt.Fprintf(&b, "; âm thanh %s: %s", s.Audio, minutes(s.AudioLen))
	}
	if s.Overflows() {
		fmt.Fprintf(&b, " — QUÁ %s CỦA KHUNG GIỜ", minutes(s.Max))
	}
	fmt.Fprintf(&b, "\n\n%s\n\n%s\n\n%s\n", s.Opening, strings.TrimSpace(s.Body), s.Closing)
	return b.String()
}

func minutes(d time.Duration) string { return i18n.Duration(d).Localize(i18n.Vietnamese) }

var page = template.Must(template.New("script").Funcs(template.FuncMap{"minutes": minutes, "paragraphs": paragraphs}).Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
@page { size: A4; margin: 18mm }
body { font-family: "Times New Roman", serif; font-size: 20pt; line-height: 1.5; color: #000 }
header { font-size: 13pt; border-bottom: 1px solid #000; margin-bottom: 1em }
.overflow { font-weight: bold; color: #a00 }
.frame { font-style: italic }
h1 { font-size: 22pt }
</style></head><body>
<header>{{.At.Format "15:04 02/01/2006"}} · khung {{.Slot}} · đọc khoảng {{minutes .Reading}}{{if .AudioLen}} · âm thanh {{minutes .AudioLen}}{{end}}{{if .Overflows}} · <span class="overflow">quá {{minutes .Max}} của khung giờ</span>{{end}}{{if .Approver}} · duyệt: {{.Approver}}{{end}}</header>
<h1>{{.Title}}</h1>
<p class="frame">{{.Opening}}</p>
{{range paragraphs .Body}}<p>{{.}}</p>
{{end}}<p class="frame">{{.Closing}}</p>
</body></html>
`))

func paragraphs(s string) []string {
	var out []string
	for _, p := range strings.Split(strings.TrimSpace(s), "\n\n") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// WriteHTML writes the script as a printable A4 page in large type.
func (s Script) WriteHTML(w io.Writer) error {
	local := s
	local.At = s.At.In(content.Zone)
	return page.Execute(w, local)
}

var sheet = template.Must(template.New("sheet").Funcs(template.FuncMap{"minutes": minutes}).Parse(`<!doctype html>
<html lang="vi"><head><meta charset="utf-8"><title>{{.Title}}</title>
<style>
@page { size: A4 landscape; margin: 15mm }
body { font-family: "Times New Roman", "Liberation Serif", serif; font-size: 13pt }
.head { display: flex; justify-content: space-between; text-align: center; font-weight: bold; font-size: 12pt }
.head div::after { content: ""; display: block; width: 50%; margin: 2px auto 0; border-top: 1px solid #000 }
h1 { text-align: center; font-size: 14pt }
table { border-collapse: collapse; width: 100% }
th, td { border: 1px solid #000; padding: 4px 6px; text-align: left }
.overflow { color: #a00; font-weight: bold }
</style></head><body>
<div class="head"><div>ỦY BAN NHÂN DÂN<br>{{.Ward}}</div><div>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc</div></div>
<h1>{{.Title}}</h1>
<table><thead><tr><th>Ngày</th><th>Khung giờ</th><th>Tiêu đề</th><th>Thời lượng</th><th>Người duyệt</th><th>Tệp âm thanh</th><th>Trạng thái</th></tr></thead><tbody>
{{range .Scripts}}<tr><td>{{.At.Format "02/01/2006"}}</td><td>{{.Slot}}</td><td>{{.Title}}</td><td{{if .Overflows}} class="overflow"{{end}}>{{minutes .Length}}</td><td>{{.Approver}}</td><td>{{.Audio}}</td><td>{{.State}}</td></tr>
{{end}}</tbody></table>
</body></html>
`))

// WriteSheetHTML writes the day or week sheet, A4, under the ward's header.
func WriteSheetHTML(w io.Writer, ward, title string, scripts []Script) error {
	local := make([]Script, len(scripts))
	for i, s := range scripts {
		local[i] = s
		local[i].At = s.At.In(content.Zone)
	}
	return sheet.Execute(w, struct {
		Ward, Title string
		Scripts     []Script
	}{strings.ToUpper(ward), title, local})
}

// WriteSheetCSV writes the sheet as CSV, for the vendor portal or a spreadsheet.
func WriteSheetCSV(w io.Writer, scripts []Script) error {
	cw := csv.NewWriter(w)
	_ = cw.Write([]string{"ngay", "khung_gio", "tieu_de", "thoi_luong_giay", "nguoi_duyet", "tep_am_thanh", "trang_thai", "qua_khung_gio"})
	for _, s := range scripts {
		_ = cw.Write([]string{content.DateOf(s.At).Short(), s.Slot, s.Title, fmt.Sprint(int(s.Length().Round(time.Second).Seconds())),
			s.Approver, s.Audio, s.State, fmt.Sprint(s.Overflows())})
	}
	cw.Flush()
	return cw.Error()
}
