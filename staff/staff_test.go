package staff

import "testing"

func TestAuditEntrySay(t *testing.T) {
	for _, c := range []struct {
		e                  AuditEntry
		action, detail, en string
	}{
		{AuditEntry{Action: "edit", Entity: "message", Detail: "v3, was submitted"}, "sửa", "bản 3, trước là chờ duyệt", "edit"},
		{AuditEntry{Action: "approve", Entity: "message"}, "duyệt", "", "approve"},
		{AuditEntry{Action: "hung", Entity: "banner", Detail: "ảnh"}, "đã treo", "ảnh", "hung"},
		{AuditEntry{Action: "done", Entity: "delivery"}, "đã làm", "", "done"},
		{AuditEntry{Action: "consent", Entity: "subscriber", Detail: "telegram via telegram:start:family"}, "đồng ý nhận tin", "telegram qua telegram:start:family", "consent"},
		{AuditEntry{Action: "delete", Entity: "subscriber", Detail: "zalo: at the resident's request"}, "xóa", "zalo: theo yêu cầu của người dân", "delete"},
		{AuditEntry{Action: "something-new", Entity: "x", Detail: "as is"}, "something-new", "as is", "something-new"},
	} {
		if a, d := c.e.Say("vi"); a != c.action || d != c.detail {
			t.Errorf("%+v in Vietnamese: %q, %q; want %q, %q", c.e, a, d, c.action, c.detail)
		}
		if a, d := c.e.Say("en"); a != c.en || d != c.e.Detail {
			t.Errorf("%+v in English: %q, %q", c.e, a, d)
		}
	}
}
