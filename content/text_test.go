package content

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"golang.org/x/text/unicode/norm"
)

func TestNormalizeNFDToNFC(t *testing.T) {
	nfc := "Hưởng ứng Tháng hành động"
	nfd := norm.NFD.String(nfc)
	if nfd == nfc || len(nfd) <= len(nfc) {
		t.Fatal("test input is not decomposed")
	}
	if got := Normalize(nfd); got != nfc {
		t.Errorf("Normalize(NFD) = %q, want %q", got, nfc)
	}
	if got := Normalize("a\r\nb\rc"); got != "a\nb\nc" {
		t.Errorf("line endings: %q", got)
	}
	// Tone placement is not a normalization matter: both spellings survive.
	if Normalize("hoà") == Normalize("hòa") {
		t.Error("NFC must not merge old and new tone placement")
	}
}

func TestLengthCountsCodePointsAfterTrimming(t *testing.T) {
	tests := []struct {
		in   string
		want int
	}{
		{"Việt Nam", 8},
		{norm.NFD.String("Việt Nam"), 10}, // decomposed: ệ is e + two marks, which is why we store NFC
		{"  Hưởng ứng \n", 9},
		{"😀", 1}, // astral: 4 bytes, 2 UTF-16 units, 1 code point
		{strings.Repeat("😀", 4096), 4096},
		{"👨‍👩‍👧", 5}, // a family emoji is five code points joined by ZWJ
		{"", 0},
	}
	for _, tt := range tests {
		if got := Length(tt.in); got != tt.want {
			t.Errorf("Length(%q) = %d, want %d", tt.in, got, tt.want)
		}
	}
}

func TestCheckEncoding(t *testing.T) {
	tests := []struct {
		in       string
		encoding string
		line     int
	}{
		{"Céng hßa x· héi chñ nghÜa ViÖt Nam", EncodingTCVN3, 1},
		{"§éc lËp - Tù do - H¹nh phóc", EncodingTCVN3, 1},
		{"Dòng đầu đúng.\nH\u00adëng øng Th¸ng hµnh ®éng", EncodingTCVN3, 2},
		{"Coäng hoøa xaõ hoäi chuû nghóa Vieät Nam", EncodingVNI, 1},
		{"Ñoäc laäp - Töï do - Haïnh phuùc", EncodingVNI, 1},
		{"HÆ°á»Ÿng á»©ng", EncodingLatin1, 1},
		{"Cá»™ng hÃ²a", EncodingLatin1, 1},
	}
	for _, tt := range tests {
		err := CheckEncoding(tt.in)
		var ee *EncodingError
		if !errors.As(err, &ee) {
			t.Errorf("CheckEncoding(%q) = %v, want %s", tt.in, err, tt.encoding)
			continue
		}
		if ee.Encoding != tt.encoding || ee.Line != tt.line || ee.Sample == "" {
			t.Errorf("CheckEncoding(%q) = %s line %d sample %q; want %s line %d", tt.in, ee.Encoding, ee.Line, ee.Sample, tt.encoding, tt.line)
		}
		if !strings.Contains(ee.Localize("vi"), "Unicode") || !strings.Contains(ee.Localize("vi"), "dòng") {
			t.Errorf("Vietnamese message %q", ee.Localize("vi"))
		}
	}
	for _, ok := range []string{
		"Cộng hòa xã hội chủ nghĩa Việt Nam",
		"Độc lập - Tự do - Hạnh phúc",
		"Ông bà, cha mẹ mẫu mực – Con cháu thảo hiền 😀",
		"Nhiệt độ 30°C, «trích dẫn» × 2",
		"Café Müller", // one foreign letter is not enough
		"ĐƯỜNG DÂY NÓNG: 111",
	} {
		if err := CheckEncoding(ok); err != nil {
			t.Errorf("CheckEncoding(%q) = %v, want nil", ok, err)
		}
	}
}

func TestReadingTime(t *testing.T) {
	text := strings.Repeat("Gia đình là tế bào của xã hội. ", 20) // 8 syllables × 20
	if n := Syllables(text); n != 160 {
		t.Fatalf("Syllables = %d, want 160", n)
	}
	if got := ReadingTime(text, 200); got != 48*time.Second {
		t.Errorf("ReadingTime at 200/min = %v, want 48s", got)
	}
	if got := ReadingTime(text, 0); got != 48*time.Second {
		t.Errorf("ReadingTime at default pace = %v", got)
	}
	if got := ReadingTime(text, 160); got != time.Minute {
		t.Errorf("ReadingTime at 160/min = %v", got)
	}
	if n := Syllables("– ! 28/6 …"); n != 1 {
		t.Errorf("punctuation counted: %d", n)
	}
}

func TestSortVietnamese(t *testing.T) {
	got := []string{"Ưng", "Đặng", "Bảo", "Ông", "An", "Ân", "Dương", "Ăn", "Ơn", "Oanh", "Uyên", "Ấn"}
	SortVietnamese(got)
	want := "An Ăn Ân Ấn Bảo Dương Đặng Oanh Ông Ơn Uyên Ưng"
	if strings.Join(got, " ") != want {
		t.Errorf("sorted: %s\nwant:   %s", strings.Join(got, " "), want)
	}
}

func TestTelegramVisible(t *testing.T) {
	if IsTelegramHTML("a < b & c") {
		t.Error("plain text with < taken for HTML")
	}
	in := `<b>Đường dây nóng</b> &amp; <a href="https://x.vn">trang</a>`
	if got := TelegramVisible(in); got != "Đường dây nóng & trang" {
		t.Errorf("TelegramVisible = %q", got)
	}
}

func TestRenderTemplate(t *testing.T) {
	o := Builtin()[4]
	c := o.CampaignFor(2026)
	data := DataFor("phường Lưu Kiếm", o, c, NewDate(2026, 11, 10), map[string]string{"tong_dai": "111"})
	got, err := Render("k", Zalo, "{{.Ward}}: còn {{.DaysLeft}} ngày đến {{.Starts.Short}} ({{.Starts.Formal}}). Gọi {{.Hotlines.tong_dai}}.", data)
	want := "phường Lưu Kiếm: còn 5 ngày đến 15/11/2026 (ngày 15 tháng 11 năm 2026). Gọi 111."
	if err != nil || got != want {
		t.Errorf("Render = %q, %v\nwant %q", got, err, want)
	}
	tests := []struct {
		text string
		line int
		has  string
	}{
		{"dòng 1\ndòng 2 {{.Hotlines.khong_co}}", 2, `map has no entry for key "khong_co"`},
		{"a\nb\nc {{.Wardd}}", 3, "can't evaluate field Wardd"},
		{"a\n{{if .Ward}}", 2, "unexpected EOF"},
		{"{{ nofunc }}", 1, `function "nofunc" not defined`},
	}
	for _, tt := range tests {
		_, err := Render("phat-dong", Telegram, tt.text, data)
		var te *TemplateError
		if !errors.As(err, &te) {
			t.Errorf("Render(%q) error = %v, want TemplateError", tt.text, err)
			continue
		}
		if te.Line != tt.line || te.Message != "phat-dong" || te.Channel != Telegram || !strings.Contains(te.Detail, tt.has) {
			t.Errorf("Render(%q) = line %d %q; want line %d containing %q", tt.text, te.Line, te.Detail, tt.line, tt.has)
		}
	}
}

func TestCheck(t *testing.T) {
	rules := Rules{Data: DataFor("phường Lưu Kiếm", Builtin()[2], Builtin()[2].CampaignFor(2026), NewDate(2026, 6, 20), nil), MaxReading: time.Minute}
	good := Draft{Key: "gia-dinh", Title: norm.NFD.String("Ngày Gia đình"), Variants: Variants{
		Telegram: "  Chúc mừng {{.Starts.DayMonthPlain}}  ", Banner: "- Khẩu hiệu một\n\n* Khẩu hiệu hai\n",
	}}
	d, ps := Check(good, rules)
	if len(ps) != 0 {
		t.Fatalf("Check(good) problems: %v", ps)
	}
	if d.Title != "Ngày Gia đình" || d.Variants.Telegram != "Chúc mừng {{.Starts.DayMonthPlain}}" || d.Variants.Banner != "Khẩu hiệu một\nKhẩu hiệu hai" {
		t.Errorf("normalized draft = %+v", d)
	}

	bad := Draft{Key: "Bad Key", Topic: "sports", Variants: Variants{
		Telegram:    strings.Repeat("chữ ", 1200),
		Zalo:        strings.Repeat("x", 2001),
		Loudspeaker: strings.Repeat("đọc ", 250),
		Banner:      "Khẩu hiệu\nH\u00adëng øng Th¸ng hµnh",
	}}
	_, ps = Check(bad, rules)
	var got []string
	for _, p := range ps {
		got = append(got, fmt.Sprintf("%s:%d:%t", p.Channel, p.Line, p.Warning))
	}
	// key, topic and title on the message; Telegram is split (a warning); Zalo
	// is too long; the script reads too long (a warning); slogan 2 is TCVN3.
	want := []string{":0:false", ":0:false", ":0:false", "telegram:0:true", "zalo:0:false", "loudspeaker:0:true", "banner:2:false"}
	if strings.Join(got, " ") != strings.Join(want, " ") {
		t.Fatalf("problems %v\nwant     %v\n%v", got, want, ps)
	}
	if n := len(Errors(ps)); n != 5 {
		t.Errorf("Errors() = %d, want 5", n)
	}
	if !strings.Contains(ps[3].Localize("vi"), "2 tin") {
		t.Errorf("split warning = %q", ps[3].Localize("vi"))
	}
	if _, ps := Check(Draft{Key: "rong", Title: "Rỗng"}, rules); len(ps) != 1 {
		t.Errorf("empty message: %v", ps)
	}
}

func utf8Valid(s string) bool { return strings.ToValidUTF8(s, "\uFFFD") == s }

func TestTable(t *testing.T) {
	tb, errs := OpenTable("a.csv", strings.NewReader("\ufeffPhone, Name\n0912,An\n\"broken\n"), "phone", "name")
	if len(errs) > 0 {
		t.Fatal(errs)
	}
	if more, err := tb.Next(); !more || err != nil || tb.Row != 2 || tb.Get("phone") != "0912" || tb.Get("name") != "An" || tb.Get("none") != "" {
		t.Errorf("row 2: %v %v %d %q", more, err, tb.Row, tb.Get("phone"))
	}
	if more, err := tb.Next(); !more || err == nil || tb.Row != 3 {
		t.Errorf("a broken row must come back as an error: %v %v", more, err)
	}
	if _, errs := OpenTable("b.csv", strings.NewReader("phone\n"), "phone", "name", "source"); len(errs) != 2 ||
		errs[0].Error() != `b.csv: the column "name" is missing (needed: phone, name, source)` {
		t.Errorf("missing columns: %v", errs)
	}
}
