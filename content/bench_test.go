package content

import (
	"strings"
	"testing"
)

func BenchmarkSplit(b *testing.B) {
	text := strings.Repeat(strings.Repeat("Bình đẳng giới là thước đo của sự văn minh. ", 30)+"\n\n", 20) // ~28k code points
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		if len(Split(text, TelegramTextLimit)) < 7 {
			b.Fatal("too few parts")
		}
	}
}

func BenchmarkCheck(b *testing.B) {
	o := Builtin()[4]
	rules := Rules{Data: DataFor("phường Lưu Kiếm", o, o.CampaignFor(2026), NewDate(2026, 11, 15), map[string]string{"cong_an": "113"})}
	d := Draft{Key: "phat-dong", Title: "Phát động", Variants: Variants{
		Telegram:    strings.Repeat("<b>Hưởng ứng</b> Tháng hành động {{.Year}}. ", 40),
		Zalo:        strings.Repeat("Gọi {{.Hotlines.cong_an}} khi cần. ", 30),
		Loudspeaker: strings.Repeat("Kính thưa bà con nhân dân phường. ", 60),
		Banner:      "Hưởng ứng năm {{.Year}}\nBình đẳng giới",
	}}
	for b.Loop() {
		if _, ps := Check(d, rules); len(Errors(ps)) > 0 {
			b.Fatal(ps)
		}
	}
}
