package loudspeaker

import (
	"bytes"
	"encoding/csv"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
)

func script(reading, max time.Duration) Script {
	opening, body, closing := Styles["notice"].Wrap("phường Lưu Kiếm", "Phát động <Tháng hành động>", "Đoạn một.\n\nĐoạn hai & ba.")
	return Script{
		At: time.Date(2026, 11, 25, 5, 30, 0, 0, content.Zone), Slot: "05:30", MessageKey: "phat-dong", Version: 2,
		Title: "Phát động <Tháng hành động>", Opening: opening,
		Body: body, Closing: closing,
		Reading: reading, Max: max, Approver: "lanh-dao", State: "chưa lập",
	}
}

func TestSlotCron(t *testing.T) {
	for _, c := range []struct {
		slot Slot
		want string
	}{
		{Slot{Hour: 5, Min: 30}, "30 5 * * *"},
		{Slot{Hour: 17, Days: []time.Weekday{time.Monday, time.Thursday}}, "0 17 * * 1,4"},
		{Slot{Hour: 6, Days: []time.Weekday{0, 1, 2, 3, 4, 5, 6}}, "0 6 * * *"},
	} {
		if got := c.slot.Cron(); got != c.want {
			t.Errorf("%+v: Cron() = %q, want %q", c.slot, got, c.want)
		}
	}
	if got := (Slot{Hour: 5, Min: 5}).Label(); got != "05:05" {
		t.Errorf("Label = %q", got)
	}
}

func TestOverflowIsFlaggedEverywhere(t *testing.T) {
	long, short := script(11*time.Minute+4*time.Second, 10*time.Minute), script(48*time.Second, 10*time.Minute)
	if !long.Overflows() || short.Overflows() || script(time.Hour, 0).Overflows() {
		t.Fatal("Overflows: want true only when reading exceeds a known slot length")
	}
	if txt := long.Text(); !strings.Contains(txt, "Thời lượng đọc: khoảng 11 phút 04 giây — QUÁ 10 phút CỦA KHUNG GIỜ") {
		t.Errorf("text lacks the overflow warning:\n%s", txt)
	}
	if strings.Contains(short.Text(), "QUÁ") {
		t.Error("a short script is flagged")
	}
	// With audio, its measured length is what the slot takes.
	voiced := script(48*time.Second, time.Minute)
	voiced.Audio, voiced.AudioLen = "0530-phat-dong.mp3", 70*time.Second
	if !voiced.Overflows() || !strings.Contains(voiced.Text(), "âm thanh 0530-phat-dong.mp3: 1 phút 10 giây") {
		t.Errorf("audio longer than the slot:\n%s", voiced.Text())
	}
	var page bytes.Buffer
	if err := long.WriteHTML(&page); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{`<html lang="vi">`, "size: A4", "05:30 25/11/2026", "Phát động &lt;Tháng hành động&gt;",
		"<p>Đoạn một.</p>", "<p>Đoạn hai &amp; ba.</p>", `class="overflow">quá 10 phút`, "duyệt: lanh-dao",
		"Đài Truyền thanh phường Lưu Kiếm xin thông báo: Phát động &lt;Tháng hành động&gt;."} {
		if !strings.Contains(page.String(), want) {
			t.Errorf("page lacks %q", want)
		}
	}
}

func TestSheets(t *testing.T) {
	// Scripts carry times in any zone; sheets show Hanoi dates.
	utc := script(48*time.Second, time.Minute)
	utc.At = time.Date(2026, 11, 24, 22, 30, 0, 0, time.UTC) // 05:30 on 25/11 in Hanoi
	over := script(90*time.Second, time.Minute)
	over.Slot, over.Title = "17:00", "Chiều"
	var c bytes.Buffer
	if err := WriteSheetCSV(&c, []Script{utc, over}); err != nil {
		t.Fatal(err)
	}
	rows, err := csv.NewReader(&c).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	if len(rows) != 3 || len(rows[0]) != 8 {
		t.Fatalf("rows: %q", rows)
	}
	if got := strings.Join(rows[1], "|"); got != "25/11/2026|05:30|Phát động <Tháng hành động>|48|lanh-dao||chưa lập|false" {
		t.Errorf("row 1: %s", got)
	}
	if rows[2][3] != "90" || rows[2][7] != "true" {
		t.Errorf("row 2: %q", rows[2])
	}
	var h bytes.Buffer
	if err := WriteSheetHTML(&h, "phường Lưu Kiếm", "Lịch tuần", []Script{utc, over}); err != nil {
		t.Fatal(err)
	}
	if got := strings.Count(h.String(), "<tr><td>25/11/2026</td>"); got != 2 {
		t.Errorf("sheet has %d rows dated 25/11/2026, want 2:\n%s", got, h.String())
	}
	if !strings.Contains(h.String(), `<td class="overflow">1 phút 30 giây</td>`) {
		t.Errorf("sheet does not flag the overflow:\n%s", h.String())
	}
	for _, want := range []string{"ỦY BAN NHÂN DÂN<br>PHƯỜNG LƯU KIẾM", "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM<br>Độc lập - Tự do - Hạnh phúc", "size: A4", "Times New Roman"} {
		if !strings.Contains(h.String(), want) {
			t.Errorf("the sheet lacks %q", want)
		}
	}
}

// TestFramesReadTheTitleAndGreetOnce: the propaganda frame announces the
// piece by its title and greets the people, so the script's own greeting
// goes; the notice frame keeps it; a ward's own frame fills its fields.
func TestFramesReadTheTitleAndGreetOnce(t *testing.T) {
	body := "Kính thưa bà con nhân dân!\n\nThực hiện Kế hoạch của UBND thành phố…"
	open, text, closing := Styles["propaganda"].Wrap("phường Lưu Kiếm", "Tháng hành động vì bình đẳng giới", body)
	if open != "Đây là Đài Truyền thanh phường Lưu Kiếm. Kính thưa toàn thể nhân dân! Sau đây là bài tuyên truyền: «Tháng hành động vì bình đẳng giới»." {
		t.Errorf("opening %q", open)
	}
	if strings.Contains(text, "Kính thưa") || !strings.HasPrefix(text, "Thực hiện Kế hoạch") {
		t.Errorf("a second greeting: %q", text)
	}
	if !strings.Contains(closing, "Bà con vừa nghe bài tuyên truyền «Tháng hành động vì bình đẳng giới»") {
		t.Errorf("closing %q", closing)
	}
	_, text, _ = Styles["notice"].Wrap("phường Lưu Kiếm", "Lịch tiêm chủng", body)
	if !strings.HasPrefix(text, "Kính thưa bà con nhân dân!") {
		t.Errorf("the notice frame dropped the greeting: %q", text)
	}
	own := Frame{Opening: "Loa phường {{.Ward}}: {{.Title}}.", Closing: "Hết tin."}
	if o, _, c := own.Wrap("phường Lưu Kiếm", "Tin ngắn", "x"); o != "Loa phường phường Lưu Kiếm: Tin ngắn." || c != "Hết tin." {
		t.Errorf("own frame: %q %q", o, c)
	}
	if o, _, _ := (Frame{}).Wrap("phường X", "T", "b"); !strings.HasPrefix(o, "Đây là Đài Truyền thanh phường X") {
		t.Errorf("the default frame: %q", o)
	}
}
