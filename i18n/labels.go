package i18n

import (
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// labels names the states people see, by "kind.state". The English label
// is the state's own name, as the CLI's --lang en and JSON show it.
var labels = map[string]string{
	// content.State: a message in the approval flow
	"message.draft": "nháp", "message.submitted": "chờ duyệt", "message.approved": "đã duyệt",
	"message.rejected": "bị từ chối", "message.archived": "lưu trữ",
	// scheduler.RunState
	"run.planned": "đã lập", "run.held": "tạm giữ (chờ duyệt)", "run.running": "đang gửi",
	"run.done": "xong", "run.missed": "đã lỡ", "run.cancelled": "đã hủy",
	// scheduler.DeliveryState
	"delivery.queued": "chờ gửi", "delivery.sending": "đang gửi", "delivery.sent": "đã gửi",
	"delivery.failed": "lỗi", "delivery.dead": "bỏ cuộc", "delivery.blocked": "người nhận đã chặn",
	"delivery.unknown": "không rõ", "delivery.skipped": "bỏ qua", "delivery.assigned": "đã giao",
	"delivery.done": "đã làm", "delivery.not_done": "không làm",
	// banner.State
	// residents.Subscriber
	"subscriber.receives": "nhận tin", "subscriber.stopped": "đã ngừng", "subscriber.blocked": "đã chặn",
	"subscriber.waiting": "chưa chọn (không nhận tin)",
	// content.Channel: where a message goes
	"channel.zalo": "Zalo", "channel.telegram": "Telegram", "channel.loudspeaker": "loa", "channel.banner": "băng rôn",
	// content.Topic: what a resident chose to receive
	"topic.family": "gia đình", "topic.gender-equality": "bình đẳng giới", "topic.violence-prevention": "phòng, chống bạo lực",
	// scheduler.Kind: how a schedule says when
	"schedule.at": "một lần", "schedule.relative": "theo ngày lễ", "schedule.cron": "lặp lại", "schedule.rotation": "luân phiên",
	// where a schedule came from
	"source.file": "tệp", "source.dashboard": "bảng điều khiển", "source.cli": "dòng lệnh",
	"banner.planned": "dự kiến", "banner.ordered": "đã đặt in", "banner.hung": "đã treo", "banner.removed": "đã tháo",
}

// Label names state of kind ("message", "run", "delivery", "banner") in
// lang; an unknown state is shown as it is.
func Label(kind, state, lang string) string {
	if vi, ok := labels[kind+"."+state]; ok && lang != English {
		return vi
	}
	return state
}

// Parse is the state of kind a person typed: its own name ("draft") or its
// Vietnamese label ("nháp"), with or without tone marks ("chờ duyệt",
// "cho duyet"); false when it is neither.
func Parse(kind, typed string, states []string) (string, bool) {
	t := strings.TrimSpace(strings.ToLower(typed))
	for _, s := range states {
		if t == s || t == strings.ToLower(labels[kind+"."+s]) || Fold(t) == Fold(labels[kind+"."+s]) {
			return s, true
		}
	}
	return "", false
}

// Fold is s for matching what people type: lower case, without tone marks
// or other accents, đ as d ("Xông" and "xong" are the same word to it).
func Fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(s)) {
		switch {
		case unicode.Is(unicode.Mn, r):
		case r == 'đ':
			b.WriteRune('d')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
