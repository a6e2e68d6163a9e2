package privacy

import (
	"bytes"
	"fmt"
	"html/template"
	"strings"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// FormNumber is the number printed on the n-th sign-up form of year, the
// evidence an import names: "PĐK-2026-0007".
func FormNumber(year, n int) string { return fmt.Sprintf("PĐK-%d-%04d", year, n) }

// SignUpForm is the printable paper sign-up form for block meetings: one A4
// page per form, numbered from `from`, each with the notice's summary, the
// topics to tick (none ticked in advance), the phone, a consent box and the
// signature. The number is the evidence `loa subscribers import` asks for.
func SignUpForm(n Notice, year, from, count int) ([]byte, error) {
	type form struct {
		Number string
	}
	type topic struct {
		N    int
		Name string
	}
	var forms []form
	for i := range count {
		forms = append(forms, form{FormNumber(year, from+i)})
	}
	var topics []topic
	for i, t := range content.Topics {
		topics = append(topics, topic{i + 1, t.Label(i18n.Vietnamese)})
	}
	var b bytes.Buffer
	err := signUpPage.Execute(&b, map[string]any{"N": n, "Forms": forms, "Topics": topics, "Summary": n.Summary(i18n.Vietnamese), "Year": year,
		"Issuer": strings.ToUpper(n.Controller)})
	return b.Bytes(), err
}

var signUpPage = template.Must(template.New("form").Parse(`<!doctype html>
<html lang="vi">
<head>
<meta charset="utf-8">
<title>Phiếu đăng ký nhận tin · {{.N.Ward}}</title>
<style>
@page { size: A4; margin: 18mm 18mm 16mm; }
body { font: 12.5pt/1.45 "Times New Roman", "Liberation Serif", serif; color: #000; margin: 0; }
.form { page-break-after: always; }
.form:last-child { page-break-after: auto; }
.head { display: flex; justify-content: space-between; text-align: center; font-size: 11.5pt; }
.head b { display: block; }
h1 { text-align: center; font-size: 14pt; margin: 14pt 0 2pt; }
.no { text-align: center; margin: 0 0 10pt; }
.notice { border: 1px solid #000; padding: 6pt 8pt; font-size: 11pt; text-align: justify; }
.line { border-bottom: 1px dotted #000; display: inline-block; min-width: 60%; height: 1.1em; }
.box { display: inline-block; width: 11pt; height: 11pt; border: 1px solid #000; vertical-align: -1pt; margin-right: 5pt; }
ul { list-style: none; padding-left: 0; }
li { margin: 3pt 0; }
.sign { display: flex; justify-content: space-between; margin-top: 16pt; text-align: center; }
.sign div { width: 45%; }
.small { font-size: 10pt; }
</style>
</head>
<body>
{{range .Forms}}<section class="form">
<div class="head"><div><b>{{$.Issuer}}</b></div><div><b>CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM</b><b>Độc lập - Tự do - Hạnh phúc</b></div></div>
<h1>PHIẾU ĐĂNG KÝ NHẬN TIN TUYÊN TRUYỀN QUA ZALO</h1>
<p class="no">Số phiếu: <b>{{.Number}}</b></p>
<div class="notice">{{$.Summary}}</div>
<p>Họ và tên: <span class="line"></span></p>
<p>Số điện thoại dùng Zalo: <span class="line"></span></p>
<p>Tổ dân phố: <span class="line"></span></p>
<p>Tôi muốn nhận tin về các chủ đề (đánh dấu ✓ vào ô mình chọn; không đánh dấu ô nào thì chỉ nhận thông báo chung của phường):</p>
<ul>{{range $.Topics}}<li><span class="box"></span>{{.N}}. {{.Name}}</li>{{end}}</ul>
<p><span class="box"></span>Tôi đã đọc thông báo trên và <b>đồng ý</b> để {{$.N.Controller}} lưu số điện thoại, họ tên, các chủ đề tôi chọn và gửi tin tuyên truyền qua Zalo cho tôi. Tôi biết mình có thể rút lại đồng ý hoặc yêu cầu xóa dữ liệu bất cứ lúc nào.</p>
<div class="sign"><div>Cán bộ nhận phiếu<br><span class="small">(ký, ghi rõ họ tên)</span></div><div>Ngày ...... tháng ...... năm {{$.Year}}<br><b>Người đăng ký</b><br><span class="small">(ký, ghi rõ họ tên)</span></div></div>
<p class="small" style="margin-top:48pt">Thông báo đầy đủ về dữ liệu cá nhân: {{$.N.Link "vi"}}</p>
</section>
{{end}}</body>
</html>
`))
