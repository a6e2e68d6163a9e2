package report

import (
	"fmt"
	"html/template"
	"io"
	"strings"

	"github.com/loa-ward/loa/i18n"
)

// docPage is the A4 page of a Document: Times New Roman 13–14 pt, the two
// header blocks side by side, the sections, the signature and recipients,
// then the charts on a page of their own.
var docPage = template.Must(template.New("doc").Parse(`<!doctype html>
<html lang="{{.D.Lang}}"><head><meta charset="utf-8"><title>{{.D.Title}} {{.D.Subject}}</title>
<style>
@page { size: A4; margin: 20mm 15mm 20mm 30mm }
body { font-family: "Times New Roman", "Liberation Serif", "Tinos", serif; font-size: 14pt; line-height: 1.35; margin: 0 }
table.head, table.sign { width: 100%; border-collapse: collapse }
table.head td, table.sign td { vertical-align: top; text-align: center; padding: 0 }
table.head td.issuer { width: 40% } table.head td.motto { width: 60% }
.issuer .parent { font-size: 13pt } .issuer .body, .motto .nation { font-size: 13pt; font-weight: bold }
.motto .words { font-size: 14pt; font-weight: bold }
.rule { border-top: 1px solid #000; margin: 2px auto 0 } .issuer .rule { width: 35% } .motto .rule { width: 62% }
.number { font-size: 13pt; margin-top: 6pt } .placedate { font-style: italic; font-size: 14pt; margin-top: 6pt }
h1 { text-align: center; font-size: 14pt; margin: 18pt 0 0 } .subject { text-align: center; font-weight: bold; margin: 0 }
.subject-rule { width: 25%; border-top: 1px solid #000; margin: 8pt auto 14pt }
p { margin: 0 0 6pt; text-align: justify; text-indent: 1cm }
p.heading { font-weight: bold; text-indent: 1cm; margin-top: 8pt } p.sub { font-weight: bold; font-style: normal; text-indent: 1cm }
table.sign { margin-top: 14pt } table.sign td.to { text-align: left; font-size: 12pt; width: 45% } table.sign td.to b { font-style: italic; font-size: 12pt }
table.sign td.who { width: 55%; font-weight: bold; font-size: 14pt } .signname { margin-top: 70pt }
.charts { break-before: page } .charts h2 { font-size: 14pt; text-align: center } .charts svg { display: block; margin: 0 auto 14pt }
</style></head><body>
<table class="head"><tr>
<td class="issuer">{{if .D.Parent}}<div class="parent">{{.D.Parent}}</div>{{end}}<div class="body">{{.D.Issuer}}</div><div class="rule"></div>
<div class="number">{{.D.NumberLine}}</div></td>
<td class="motto"><div class="nation">{{.Nation}}</div><div class="words">{{.Words}}</div><div class="rule"></div>
<div class="placedate">{{.D.PlaceDate}}</div></td></tr></table>
<h1>{{.D.Title}}</h1><p class="subject">{{.D.Subject}}</p><div class="subject-rule"></div>
{{range .D.Body}}<p class="{{.Kind}}">{{.Text}}</p>
{{end}}
<table class="sign"><tr><td class="to"><b>{{.To}}</b>{{range .D.Recipients}}<br>- {{.}}{{end}}</td>
<td class="who">{{.D.Signer.Authority}}{{if .D.Signer.Deputy}}<br>{{.D.Signer.Deputy}}{{end}}<br>{{.D.Signer.Title}}<div class="signname">{{.D.Signer.Name}}</div></td></tr></table>
{{if .Charts}}<section class="charts">{{range .Charts}}<h2>{{.Title}}</h2>{{.SVG}}{{end}}</section>{{end}}
</body></html>
`))

// Chart is an SVG chart with its title.
type Chart struct {
	Title string
	SVG   template.HTML
}

// WriteHTML writes d as a printable A4 page, with its charts.
func (d Document) WriteHTML(w io.Writer) error {
	nation, words := d.Motto()
	return docPage.Execute(w, map[string]any{"D": d, "Nation": nation, "Words": words, "To": d.t("Nơi nhận:", "To:"), "Charts": d.Charts()})
}

// Charts are the document's figures drawn: items a month by channel,
// reach by channel, activities and their participants.
func (d Document) Charts() []Chart {
	f := d.Figures
	var out []Chart
	if len(f.Months) > 0 {
		var cats []string
		series := []Series{{Name: "Zalo OA", Key: "zalo"}, {Name: d.t("Nhóm Zalo", "Zalo groups"), Key: "groups"}, {Name: "Telegram", Key: "telegram"}, {Name: d.t("Loa", "Radio"), Key: "loudspeaker"}}
		for _, m := range f.Months {
			cats = append(cats, monthLabel(m.Month, d.Lang))
			for i := range series {
				series[i].Values = append(series[i].Values, float64(m.Counts[series[i].Key]))
			}
		}
		out = append(out, Chart{d.t("Số tin, bài theo tháng và kênh", "Items a month by channel"), BarChart(cats, series)})
	}
	reach := []Series{{Name: d.t("Lượt người nhận", "Reach"), Values: []float64{float64(f.ZaloOA.Reach), float64(f.Groups.Reach), float64(f.Telegram.Reach)}}}
	out = append(out, Chart{d.t("Số người nhận theo kênh", "Reach by channel"), BarChart([]string{"Zalo OA", d.t("Nhóm Zalo", "Zalo groups"), "Telegram"}, reach)})
	a := f.Activity
	out = append(out, Chart{d.t("Hoạt động trực tiếp và người tham dự", "Direct activities and participants"),
		BarChart([]string{d.t("Hoạt động", "Activities"), d.t("Nữ", "Women"), d.t("Nam", "Men")},
			[]Series{{Name: d.t("Số lượng", "Count"), Values: []float64{float64(a.Sessions), float64(a.Women), float64(a.Men())}}})})
	return out
}

func monthLabel(m, lang string) string {
	var y, mo int
	fmt.Sscanf(m, "%d-%d", &y, &mo)
	return i18n.Sprintf(lang, "T%d/%d", "%d/%d", mo, y)
}

// Series is one bar colour of a chart.
type Series struct {
	Name   string
	Key    string
	Values []float64
}

var palette = []string{"#b3261e", "#1d6fb8", "#2e8540", "#8a5a00"}

// BarChart draws grouped bars, one group a category, with the values
// written on the bars and a legend: an SVG that prints crisp at any size.
func BarChart(categories []string, series []Series) template.HTML {
	const width, height, left, bottom, top = 640, 300, 40, 48, 28
	most := 1.0
	for _, s := range series {
		for _, v := range s.Values {
			most = max(most, v)
		}
	}
	var b strings.Builder
	fmt.Fprintf(&b, `<svg xmlns="http://www.w3.org/2000/svg" width="%d" height="%d" viewBox="0 0 %d %d" font-family="Times New Roman, serif" font-size="12">`, width, height, width, height)
	plotW, plotH := float64(width-left-10), float64(height-bottom-top)
	fmt.Fprintf(&b, `<line x1="%d" y1="%d" x2="%d" y2="%d" stroke="#000"/>`, left, height-bottom, width-10, height-bottom)
	group := plotW / float64(max(len(categories), 1))
	barW := group * 0.8 / float64(max(len(series), 1))
	for ci, c := range categories {
		x0 := float64(left) + group*float64(ci) + group*0.1
		for si, s := range series {
			if ci >= len(s.Values) {
				continue
			}
			v := s.Values[ci]
			h := plotH * v / most
			x := x0 + barW*float64(si)
			y := float64(height-bottom) - h
			fmt.Fprintf(&b, `<rect x="%.1f" y="%.1f" width="%.1f" height="%.1f" fill="%s"/>`, x, y, barW-2, h, palette[si%len(palette)])
			if v > 0 {
				fmt.Fprintf(&b, `<text x="%.1f" y="%.1f" text-anchor="middle">%s</text>`, x+barW/2-1, y-3, template.HTMLEscapeString(vnInt(int(v+0.5))))
			}
		}
		fmt.Fprintf(&b, `<text x="%.1f" y="%d" text-anchor="middle">%s</text>`, x0+group*0.4, height-bottom+16, template.HTMLEscapeString(c))
	}
	if len(series) > 1 {
		for si, s := range series {
			x := left + si*150
			fmt.Fprintf(&b, `<rect x="%d" y="%d" width="10" height="10" fill="%s"/><text x="%d" y="%d">%s</text>`, x, height-14, palette[si%len(palette)], x+14, height-5, template.HTMLEscapeString(s.Name))
		}
	}
	b.WriteString(`</svg>`)
	return template.HTML(b.String()) // #nosec: every text in it is escaped
}
