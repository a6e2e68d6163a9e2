package field_test

import (
	"testing"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/field"
)

func TestParseReply(t *testing.T) {
	for _, c := range []struct {
		text  string
		reach int
		task  int64
		ok    bool
	}{
		{"xong 120", 120, 0, true},
		{"Xong 120", 120, 0, true},
		{"XONG  120 #45", 120, 45, true},
		{"xong 120 #45.", 120, 45, true},
		{"Đã đăng 80 thành viên", 80, 0, true},
		{"da dang roi 95 nguoi", 95, 0, true},
		{"xông 30", 30, 0, true}, // a slip of the tone key
		{"xong", 0, 0, true},
		{"Xong!", 0, 0, true},
		{"chào OA", 0, 0, false},
		{"xong việc nhà rồi mới đăng", 0, 0, false},
		{"cho tôi hỏi về xong 120", 0, 0, false},
		{"120", 0, 0, false},
	} {
		reach, task, ok := field.ParseReply(c.text)
		if reach != c.reach || task != c.task || ok != c.ok {
			t.Errorf("%q: %d %d %v, want %d %d %v", c.text, reach, task, ok, c.reach, c.task, c.ok)
		}
	}
	if content.Fold("Đã Đăng XÔNG") != "da dang xong" {
		t.Errorf("fold: %q", content.Fold("Đã Đăng XÔNG"))
	}
}
