package i18n

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
