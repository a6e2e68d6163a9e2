package content

import "testing"

func TestOldStyle(t *testing.T) {
	for in, want := range map[string]string{
		"hoá":              "hóa",
		"Văn hoá - Xã hội": "Văn hóa - Xã hội",
		"chìa khoá để xoá bỏ bạo lực":        "chìa khóa để xóa bỏ bạo lực",
		"hoà bình, hoạ sĩ, khoẻ mạnh":        "hòa bình, họa sĩ, khỏe mạnh",
		"thuỷ lợi, tuỳ ý, luỹ tre":           "thủy lợi, tùy ý, lũy tre",
		"quý, quỹ, quỳnh":                    "quý, quỹ, quỳnh", // qu + y: the tone stays on y
		"hoàng, thuyền, khoảng, hoạch, toàn": "hoàng, thuyền, khoảng, hoạch, toàn",
		"HOÁ":       "HÓA",
		"hóa, thủy": "hóa, thủy",
		"xoá\n":     "xóa\n",
		"Ngày Quốc tế xoá bỏ bạo lực đối với phụ nữ": "Ngày Quốc tế xóa bỏ bạo lực đối với phụ nữ",
	} {
		if got := OldStyle(in); got != want {
			t.Errorf("OldStyle(%q) = %q, want %q", in, got, want)
		}
	}
	if MatchKey("Bình đẳng giới là chìa khoá để xoá bỏ bạo lực!") != MatchKey("bình  đẳng giới là chìa khóa để xóa bỏ bạo lực") {
		t.Error("the two styles do not match")
	}
	if MatchKey("bão lực") == MatchKey("bạo lực") {
		t.Error("different tones match")
	}
}
