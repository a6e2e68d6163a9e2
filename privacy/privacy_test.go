package privacy

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
)

func TestParseReply(t *testing.T) {
	all := content.Topics
	for _, c := range []struct {
		text   string
		kind   string
		topics []content.Topic
	}{
		{"DONGY", Agree, all},
		{"Đồng ý 1 3", Agree, []content.Topic{content.TopicFamily, content.TopicViolence}},
		{"dong y tat ca", Agree, all},
		{"  dongy 2,2  ", Agree, []content.Topic{content.TopicEquality}},
		{"CHUDE", Change, nil},
		{"chủ đề 2,3", Change, []content.Topic{content.TopicEquality, content.TopicViolence}},
		{"DUNG", Withdraw, nil},
		{"Dừng", Withdraw, nil},
		{"XOÁ", Delete, nil},
		{"xóa dữ liệu", Delete, nil},
		{"TOI", See, nil},
		// Not keywords: left for the OA's inbox.
		{"Dừng lại ở đâu ạ?", "", nil},
		{"dongy 4", "", nil},
		{"xin chào phường", "", nil},
		{"", "", nil},
	} {
		r := ParseReply(c.text)
		if r.Kind != c.kind || !slices.Equal(r.Topics, c.topics) {
			t.Errorf("%q: %q %v, want %q %v", c.text, r.Kind, r.Topics, c.kind, c.topics)
		}
	}
}

func TestRequestDeadlines(t *testing.T) {
	at := time.Date(2026, 11, 1, 9, 0, 0, 0, content.Zone)
	r := Request{ReceivedAt: at, DueAt: Due(at, 0)}
	if !r.DueAt.Equal(at.AddDate(0, 0, DefaultDays)) {
		t.Errorf("default due %v", r.DueAt)
	}
	if r.Late(at.AddDate(0, 0, 14)) || !r.Late(at.AddDate(0, 0, 16)) {
		t.Error("an open request is late only after its due time")
	}
	r.DoneAt = at.AddDate(0, 0, 20)
	if !r.Late(at.AddDate(0, 0, 30)) || r.Open() {
		t.Error("a request done after its due time stays late")
	}
}

func TestNoticeNamesTheController(t *testing.T) {
	n := Notice{Ward: "phường Lưu Kiếm", URL: "https://loa.example.vn/privacy"}
	for _, lang := range []string{"vi", "en"} {
		s := n.Summary(lang)
		if !strings.Contains(s, "Ủy ban nhân dân phường Lưu Kiếm") || !strings.Contains(s, "https://loa.example.vn/privacy") || !strings.Contains(s, "24") {
			t.Errorf("%s summary: %s", lang, s)
		}
	}
	text := n.Text("vi")
	for _, want := range []string{"Bên kiểm soát", "Telegram và Zalo là nền tảng chuyển tin", "/toi", "DUNG", "15 ngày", "91/2025/QH15"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %q", want)
		}
	}
	if FormNumber(2026, 7) != "PĐK-2026-0007" {
		t.Error(FormNumber(2026, 7))
	}
	page, err := SignUpForm(n, 2026, 3, 2)
	if err != nil || !strings.Contains(string(page), "PĐK-2026-0003") || !strings.Contains(string(page), "PĐK-2026-0004") ||
		strings.Contains(string(page), "PĐK-2026-0005") || strings.Contains(string(page), "checked") {
		t.Errorf("sign-up form: %v", err)
	}
}
