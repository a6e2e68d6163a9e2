package field

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"strconv"
	"strings"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
)

// Teller is the notification router.
type Teller interface {
	Due(ctx context.Context, userID int64, topic string) (bool, error)
	Tell(ctx context.Context, u staff.User, kind, topic string, m notify.Message) (notify.Notice, error)
}

// owners are the active accounts a task assigned to assignee belongs to:
// the account of that name, or every account of that role.
func owners(users []staff.User, assignee string) []staff.User {
	var out []staff.User
	for _, u := range users {
		if u.Active() && u.As(staff.Link).Owns(assignee) {
			out = append(out, u)
		}
	}
	return out
}

// system issues links on the daemon's behalf.
var system = staff.Actor{Name: "loa", Role: staff.Admin, Desk: staff.System}

// Announce tells each waiting task's people about it, each with a link of
// their own: a delivery once (topic "delivery:ID") and once more when it is
// overdue, a banner line once a
// day for each reminder it gets; a notice no channel got through is tried
// again, with a new link. It returns how many notices it made. A
// task whose assignee has no account stays on the dashboard's task list
// and in `loa tasks`.
func (l *Links) Announce(ctx context.Context, tell Teller) (int, error) {
	ts, err := l.Office.Tasks(ctx, system, office.TaskFilter{})
	if err != nil {
		return 0, err
	}
	users, err := l.DB.Users(ctx)
	if err != nil {
		return 0, err
	}
	made := 0
	var errs []error
	announce := func(kind Kind, target int64, assignee, topic string, m notify.Message) {
		for _, u := range owners(users, assignee) {
			due, err := tell.Due(ctx, u.ID, topic)
			if err != nil || !due {
				errs = append(errs, err)
				continue
			}
			link, err := l.Issue(ctx, system, kind, target, u)
			if err != nil {
				errs = append(errs, err)
				continue
			}
			m.Link = link.URL
			if _, err := tell.Tell(ctx, u, "task", topic, m); err != nil {
				errs = append(errs, err)
				continue
			}
			made++
		}
	}
	for _, t := range ts.Deliveries {
		m := deliveryNotice(t.Delivery)
		announce(Delivery, t.ID, t.Assignee, fmt.Sprintf("delivery:%d", t.ID), m)
		if t.Overdue { // once more when it is overdue, with a fresh link (the first may have expired)
			m.Subject, m.Text = "Loa: việc quá hạn", "Nhắc lại, chưa xác nhận: "+m.Text
			announce(Delivery, t.ID, t.Assignee, fmt.Sprintf("delivery:%d:overdue", t.ID), m)
		}
	}
	if h := l.Now().In(content.Zone).Hour(); h < 7 || h >= 22 {
		ts.Banners = nil // a banner reminder waits for the morning
	}
	for _, r := range ts.Banners {
		topic := fmt.Sprintf("banner:%d:%s:%s", r.Line.ID, content.DateOf(l.Now()), r.Kind)
		announce(Banner, r.Line.ID, r.Line.Responsible, topic, notify.Message{Subject: "Loa: băng rôn",
			Text: r.Text() + fmt.Sprintf(" (dòng #%d). Mở liên kết để xác nhận và gửi ảnh chụp.", r.Line.ID)})
	}
	return made, errors.Join(errs...)
}

// deliveryNotice is what a person is told about a delivery to complete.
func deliveryNotice(d scheduler.Delivery) notify.Message {
	when := d.DueAt.In(content.Zone).Format("15:04 02/01")
	switch {
	case d.Channel == content.Zalo && strings.HasPrefix(d.Recipient, "group:"):
		return notify.Message{Subject: "Loa: bài cần đăng",
			Text: fmt.Sprintf("Việc #%d: đăng bài «%s» vào nhóm Zalo «%s» (từ %s). Mở liên kết để chép bài và xác nhận, hoặc trả lời OA: xong <số thành viên nhóm>.",
				d.ID, d.Title, strings.TrimPrefix(d.Recipient, "group:"), when)}
	case d.Channel == content.Loudspeaker:
		return notify.Message{Subject: "Loa: bài phát thanh",
			Text: fmt.Sprintf("Việc #%d: phát trên loa bài «%s» lúc %s. Mở liên kết để xem kịch bản, nghe thử và xác nhận.", d.ID, d.Title, when)}
	}
	return notify.Message{Subject: "Loa: việc mới", Text: fmt.Sprintf("Việc #%d (%s): «%s», %s. Mở liên kết để xác nhận.", d.ID, d.Channel, d.Title, when)}
}

// A reply to the OA confirming a block post: "xong 120", or "xong 120 #45"
// to name the task when there are several; accents and case do not matter.
var replyPattern = regexp.MustCompile(`^\s*(?:da\s+)?(?:xong|dang)\s*(?:roi)?\s*:?\s*(\d{1,6})?\s*(?:thanh vien|nguoi|tv)?\s*(?:#\s*(\d+))?\s*[.!]*\s*$`)

// ParseReply reads a confirmation written to the OA: "xong 120", "Xong 120
// #45", "đã đăng 80 thành viên", "xong". It returns the reach (0 when not
// said), the task (0 when not named), and false for any other message.
func ParseReply(text string) (reach int, task int64, ok bool) {
	m := replyPattern.FindStringSubmatch(content.Fold(text))
	if m == nil {
		return 0, 0, false
	}
	reach, _ = strconv.Atoi(m[1])
	task, _ = strconv.ParseInt(m[2], 10, 64)
	return reach, task, true
}

// Reply reads a staff member's message to the OA. A "xong N" confirms
// their waiting block post with reach N; it returns what to answer in the
// chat, and false when the message is not a confirmation (it is then left
// for a person to read in the OA's inbox).
func (l *Links) Reply(ctx context.Context, u staff.User, text string) (string, bool, error) {
	reach, task, ok := ParseReply(text)
	if !ok {
		return "", false, nil
	}
	me := u.As(staff.Zalo)
	ts, err := l.Office.Tasks(ctx, me, office.TaskFilter{Mine: true, ByRole: true})
	if err != nil {
		return "", true, err
	}
	var mine []office.Task
	for _, t := range ts.Deliveries {
		if task == 0 || t.ID == task {
			mine = append(mine, t)
		}
	}
	switch {
	case len(mine) == 0 && task != 0:
		return fmt.Sprintf("Không có việc #%d nào đang chờ anh/chị xác nhận.", task), true, nil
	case len(mine) == 0:
		return "Anh/chị không có việc nào đang chờ xác nhận. Cảm ơn anh/chị!", true, nil
	case len(mine) > 1:
		var b strings.Builder
		b.WriteString("Anh/chị có nhiều việc đang chờ. Hãy trả lời kèm số việc, ví dụ \"xong 120 #" + strconv.FormatInt(mine[0].ID, 10) + "\":")
		for _, t := range mine {
			fmt.Fprintf(&b, "\n#%d %s (%s)", t.ID, t.Title, strings.TrimPrefix(t.Recipient, "group:"))
		}
		return b.String(), true, nil
	}
	t := mine[0]
	c := office.Confirmation{Done: true, Reach: reach}
	if _, err := l.Office.Confirm(ctx, me, t.ID, c); err != nil {
		return "", true, err
	}
	people := ""
	if c.Reach > 0 {
		people = fmt.Sprintf(", đến %d người", c.Reach)
	}
	return fmt.Sprintf("Đã ghi nhận: việc #%d «%s» đã đăng%s. Cảm ơn anh/chị!", t.ID, t.Title, people), true, nil
}

// BannerActions are the states a banner line's link may move it to, in
// the order the page offers them.
func BannerActions(l banner.Line) []banner.State {
	if l.State == banner.Hung {
		return []banner.State{banner.Removed}
	}
	if l.State == banner.Removed {
		return nil
	}
	return []banner.State{banner.Hung}
}
