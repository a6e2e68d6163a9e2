package report

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/i18n"
)

// Document is a report as the ward sends it up, laid out as Decree
// 30/2020/NĐ-CP sets out an administrative document: the issuing body and
// the national motto side by side, the number and symbol, the place and
// date, the title, the sections with the figures written in, the signature
// block and the recipients. The narrative parts are the officer's; the
// figures are Loa's.
type Document struct {
	Lang    string // "vi" or "en"
	Parent  string // the body above the issuer, "UBND THÀNH PHỐ HẢI PHÒNG"; "" for none
	Issuer  string // "ỦY BAN NHÂN DÂN PHƯỜNG LƯU KIẾM"
	Number  string // "15/BC-UBND"; blank for the office to fill
	Place   string // "Lưu Kiếm"
	Date    content.Date
	Subject string // what it reports: "Kết quả thực hiện Tháng hành động … năm 2026"
	Text    Narrative
	Figures Figures
	Signer  Signer
	// Recipients are the "Nơi nhận" lines, the last usually "Lưu: VT, VH-XH".
	Recipients []string
}

// Narrative is what the officer writes.
type Narrative struct {
	Direction  string // I. how the work was directed, before the documents Loa lists
	Strengths  string // III.1 ưu điểm
	Limits     string // III.2 hạn chế
	Causes     string // III.3 nguyên nhân
	Directions string // IV. phương hướng, kiến nghị
}

// Signer signs for the body: "TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH",
// "PHÓ CHỦ TỊCH", and the full name.
type Signer struct {
	Authority string // TM. …
	Deputy    string // KT. …, "" when the head signs
	Title     string
	Name      string
}

// Para is a paragraph of the body as every writer lays it out.
type Para struct {
	Kind string // "heading" (I., II.), "sub" (1., 2.), "text"
	Text string
}

func (d Document) t(vi, en string) string { return i18n.Pick(d.Lang, vi, en) }

// Motto is the national name and motto, in the document's language.
func (d Document) Motto() (string, string) {
	return d.t("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "SOCIALIST REPUBLIC OF VIETNAM"), d.t("Độc lập - Tự do - Hạnh phúc", "Independence - Freedom - Happiness")
}

// NumberLine is "Số: 15/BC-UBND" (with room to fill when not numbered yet).
func (d Document) NumberLine() string {
	n := d.Number
	if n == "" {
		n = "     /BC-UBND"
	}
	return d.t("Số: ", "No.: ") + n
}

// PlaceDate is the italic line "Lưu Kiếm, ngày 16 tháng 12 năm 2026".
func (d Document) PlaceDate() string {
	if d.Lang == i18n.English {
		return fmt.Sprintf("%s, %s", d.Place, d.Date.Time(12, 0).Format("2 January 2006"))
	}
	return fmt.Sprintf("%s, ngày %d tháng %d năm %d", d.Place, d.Date.Day, int(d.Date.Month), d.Date.Year)
}

// Title is "BÁO CÁO".
func (d Document) Title() string { return d.t("BÁO CÁO", "REPORT") }

// Body is the sections with the figures written in.
func (d Document) Body() []Para {
	var out []Para
	add := func(kind, text string) {
		if text = strings.TrimSpace(text); text != "" {
			out = append(out, Para{kind, text})
		}
	}
	text := func(s string) {
		if strings.TrimSpace(s) == "" { // the shape stays; the officer writes it
			add("text", d.t("(Chưa viết: cán bộ văn hóa - xã hội bổ sung trên trang Báo cáo.)", "(Not written yet: the officer adds it on the Reports page.)"))
		}
		for _, p := range strings.Split(strings.TrimSpace(s), "\n") {
			add("text", p)
		}
	}
	f, a := d.Figures, d.Figures.Activity
	n := func(x int) string {
		if d.Lang == i18n.English {
			return strings.ReplaceAll(vnInt(x), ".", ",")
		}
		return vnInt(x)
	}

	add("heading", d.t("I. CÔNG TÁC CHỈ ĐẠO, TRIỂN KHAI", "I. DIRECTION AND ORGANIZATION"))
	if d.Text.Direction != "" || len(f.Documents) == 0 {
		text(d.Text.Direction)
	}
	if len(f.Documents) > 0 {
		add("text", d.t(fmt.Sprintf("Ban hành %s văn bản chỉ đạo, triển khai:", n(len(f.Documents))), fmt.Sprintf("%s documents were issued:", n(len(f.Documents)))))
		for _, doc := range f.Documents {
			add("text", "- "+d.docLine(doc))
		}
	}

	add("heading", d.t("II. KẾT QUẢ THỰC HIỆN", "II. RESULTS"))
	add("sub", d.t("1. Tuyên truyền trực tiếp", "1. Direct communication"))
	add("text", d.t(fmt.Sprintf("Tổ chức %s hoạt động tuyên truyền trực tiếp với %s lượt người tham dự (%s nữ, %s nam).", n(a.Sessions), n(a.Participants), n(a.Women), n(a.Men())),
		fmt.Sprintf("%s direct communication activities with %s participants (%s women, %s men).", n(a.Sessions), n(a.Participants), n(a.Women), n(a.Men()))))
	for _, k := range activities.Kinds {
		if k.Category == activities.Direct && a.ByKind[k.Key] > 0 {
			add("text", fmt.Sprintf("- %s: %s", k.Label.In(d.Lang), n(a.ByKind[k.Key])))
		}
	}
	add("sub", d.t("2. Tuyên truyền trên hệ thống thông tin cơ sở", "2. The ward radio"))
	add("text", d.t(fmt.Sprintf("Đài truyền thanh phường phát %s tin, bài với %s buổi phát, tổng thời lượng %s phút.", n(f.Radio.Items), n(f.Radio.Broadcasts), i18n.Decimal(f.Radio.Minutes).Localize(i18n.Vietnamese)),
		fmt.Sprintf("The ward radio aired %s items in %s broadcasts, %s minutes in all.", n(f.Radio.Items), n(f.Radio.Broadcasts), i18n.Decimal(f.Radio.Minutes).Localize(i18n.English))))
	add("sub", d.t("3. Tuyên truyền trên mạng xã hội và trang thông tin điện tử", "3. Online"))
	add("text", d.t(fmt.Sprintf("Trang Zalo Official Account của phường đăng %s tin, đến %s lượt người nhận.", n(f.ZaloOA.Items), n(f.ZaloOA.Reach)),
		fmt.Sprintf("The ward's Zalo Official Account sent %s items, received %s times.", n(f.ZaloOA.Items), n(f.ZaloOA.Reach))))
	add("text", d.t(fmt.Sprintf("Các tổ dân phố đăng %s bài vào nhóm Zalo của tổ, đến khoảng %s thành viên.", n(f.Groups.Items), n(f.Groups.Reach)),
		fmt.Sprintf("Residential blocks posted %s times in their Zalo groups, reaching about %s members.", n(f.Groups.Items), n(f.Groups.Reach))))
	if f.Telegram.Items > 0 {
		add("text", d.t(fmt.Sprintf("Kênh Telegram của phường gửi %s tin, đến %s lượt người nhận.", n(f.Telegram.Items), n(f.Telegram.Reach)),
			fmt.Sprintf("The ward's Telegram bot sent %s items, received %s times.", n(f.Telegram.Items), n(f.Telegram.Reach))))
	}
	if a.Articles > 0 {
		add("text", d.t(fmt.Sprintf("Đăng %s tin, bài trên Cổng thông tin điện tử và trang mạng xã hội của phường.", n(a.Articles)),
			fmt.Sprintf("%s articles on the ward's web portal and fan page.", n(a.Articles))))
	}
	add("sub", d.t("4. Tuyên truyền trực quan", "4. Banners and printed materials"))
	add("text", d.t(fmt.Sprintf("Treo %s băng rôn với %s khẩu hiệu tuyên truyền.", n(f.Banners.Hung), n(f.Banners.Slogans)),
		fmt.Sprintf("%s banners hung, with %s slogans.", n(f.Banners.Hung), n(f.Banners.Slogans))))
	for _, k := range activities.Kinds {
		if k.Category == activities.Material && a.ByKind[k.Key] > 0 {
			add("text", fmt.Sprintf("- %s: %s", k.Label.In(d.Lang), n(a.ByKind[k.Key])))
		}
	}
	if m := len(f.Subscribers); m > 0 {
		last := f.Subscribers[m-1]
		add("sub", d.t("5. Người dân đăng ký nhận tin", "5. Residents subscribed"))
		add("text", d.t(fmt.Sprintf("Đến ngày %s có %s người đăng ký nhận tin qua Zalo và %s người qua Telegram.", last.Until.Short(), n(last.Counts["zalo"]), n(last.Counts["telegram"])),
			fmt.Sprintf("By %s, %s residents received messages on Zalo and %s on Telegram.", last.Until.Short(), n(last.Counts["zalo"]), n(last.Counts["telegram"]))))
	}

	add("heading", d.t("III. ĐÁNH GIÁ CHUNG", "III. ASSESSMENT"))
	add("sub", d.t("1. Ưu điểm", "1. Strengths"))
	text(d.Text.Strengths)
	add("sub", d.t("2. Hạn chế", "2. Shortcomings"))
	text(d.Text.Limits)
	add("sub", d.t("3. Nguyên nhân", "3. Causes"))
	text(d.Text.Causes)
	add("heading", d.t("IV. PHƯƠNG HƯỚNG, KIẾN NGHỊ", "IV. NEXT STEPS AND RECOMMENDATIONS"))
	text(d.Text.Directions)
	return out
}

func (d Document) docLine(r activities.Record) string {
	k, _ := activities.KindOf(r.Kind)
	if d.Lang == i18n.English {
		return fmt.Sprintf("%s No. %s of %s: %s", k.Label.EN, r.Number, r.Date.Short(), r.Title)
	}
	return fmt.Sprintf("%s số %s ngày %s về %s", k.Label.VI, r.Number, r.Date.Short(), LowerFirst(r.Title))
}

// LowerFirst writes a title inside a sentence: "Tháng hành động…" →
// "tháng hành động…", but "UBND …" stays.
func LowerFirst(s string) string {
	r := []rune(s)
	if len(r) > 1 && unicode.IsUpper(r[0]) && !unicode.IsUpper(r[1]) {
		r[0] = unicode.ToLower(r[0])
	}
	return string(r)
}

// vnInt writes an integer with the Vietnamese thousands point: 1.200.
func vnInt(n int) string {
	s := fmt.Sprint(n)
	if n < 0 {
		return "-" + vnInt(-n)
	}
	for i := len(s) - 3; i > 0; i -= 3 {
		s = s[:i] + "." + s[i:]
	}
	return s
}

// Draft is what the office keeps of a report besides its figures.
type Draft struct {
	Scope      string       // "campaign:action-month/2026", "year:2026"
	Number     string       // "15/BC-UBND"
	Date       content.Date // zero: the day it is made
	Subject    string
	Text       Narrative
	Signer     Signer
	Recipients []string
	UpdatedBy  string
	UpdatedAt  time.Time
}
