package telegram_test

import (
	"context"
	"fmt"
	"net/http"
	"slices"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/store/storetest"
)

// fakeOffice records what the staff did.
type fakeOffice struct {
	mu       sync.Mutex
	approved []string
	rejected []string
	done     []string
	tasks    map[int64]string // id → assignee
}

func (o *fakeOffice) Plan(context.Context) (string, error) {
	return "<b>7 ngày tới</b>\n09:00 28/11 · phat-dong", nil
}
func (o *fakeOffice) Status(context.Context) (string, error) {
	return "#6 phat-dong: xong. telegram đã gửi 24", nil
}
func (o *fakeOffice) Pending(context.Context) ([]telegram.Pending, error) {
	return []telegram.Pending{{ID: 4, Summary: "action-month/2026/tong-ket v1: Cảm ơn", Preview: "telegram: Cảm ơn bà con <3"}}, nil
}
func (o *fakeOffice) Approve(_ context.Context, id int64, actor string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.approved = append(o.approved, fmt.Sprintf("%d by %s", id, actor))
	return nil
}
func (o *fakeOffice) Reject(_ context.Context, id int64, actor, reason string) error {
	o.mu.Lock()
	defer o.mu.Unlock()
	o.rejected = append(o.rejected, fmt.Sprintf("%d by %s: %s", id, actor, reason))
	return nil
}
func (o *fakeOffice) Tasks(_ context.Context, names []string) ([]telegram.Task, error) {
	var out []telegram.Task
	for id, who := range o.tasks {
		if slices.Contains(names, who) {
			out = append(out, telegram.Task{ID: id, Summary: "17:00 loudspeaker an-toan-tren-mang"})
		}
	}
	return out, nil
}
func (o *fakeOffice) TaskDone(_ context.Context, id int64, actor string, names []string) error {
	if !slices.Contains(names, o.tasks[id]) {
		return fmt.Errorf("việc #%d không giao cho bạn", id)
	}
	o.mu.Lock()
	defer o.mu.Unlock()
	o.done = append(o.done, fmt.Sprintf("%d by %s", id, actor))
	return nil
}

func TestStaffCommands(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		srv := telegramtest.New(telegramtest.Options{Token: token})
		const leader, operator, resident = 31, 32, 33
		for _, id := range []int64{leader, operator, resident} {
			srv.AddUser(id, "Người", "vi")
			srv.Say(id, "/start")
		}
		db := storetest.Open(t, time.Now())
		client, err := telegram.New(telegram.Config{Token: token, Endpoint: "http://telegram.test/bot%s/%s",
			HTTP: &http.Client{Transport: srv.Transport()}, Log: quiet})
		if err != nil {
			t.Fatal(err)
		}
		off := &fakeOffice{tasks: map[int64]string{91: "operator", 92: "crew"}}
		staff := map[int64]telegram.StaffMember{leader: {Name: "pho-chu-tich", Role: "leader"}, operator: {Name: "dai-truyen-thanh", Role: "operator"}}
		bot := telegram.NewBot(client, db.Residents(content.Telegram), "phường Lưu Kiếm", quiet, time.Now).WithStaff(staff, off)
		runCtx, stop := context.WithCancel(ctx)
		done := make(chan struct{})
		go func() { bot.Run(runCtx); close(done) }()
		defer func() { stop(); <-done }()
		settle := func() { time.Sleep(5 * time.Second); synctest.Wait() }
		lastTo := func(chat int64) telegramtest.Sent {
			settle()
			sent := srv.Sent()
			for i := len(sent) - 1; i >= 0; i-- {
				if sent[i].ChatID == chat && sent[i].Method == "sendmessage" {
					return sent[i]
				}
			}
			t.Fatalf("nothing to %d", chat)
			return telegramtest.Sent{}
		}

		srv.Say(leader, "/plan")
		if !strings.Contains(lastTo(leader).Text, "7 ngày tới") {
			t.Error("/plan")
		}
		srv.Say(resident, "/plan") // not staff: the resident bot answers with help
		if !strings.Contains(lastTo(resident).Text, "/xoa") {
			t.Error("a resident reached a staff command")
		}
		srv.Say(operator, "/duyet")
		if !strings.Contains(lastTo(operator).Text, "Chỉ lãnh đạo được duyệt tin.") {
			t.Error("an operator could list approvals")
		}
		srv.Say(leader, "/duyet")
		card := lastTo(leader)
		if !strings.Contains(card.Text, "#4 action-month/2026/tong-ket") || !strings.Contains(card.Markup, "approve:4") || !strings.Contains(card.Text, "Cảm ơn bà con <3") {
			t.Fatalf("approval card: %q %s", card.Text, card.Markup)
		}
		// The role is checked on every press: an operator pressing the
		// leader's button (e.g. a forwarded card) is refused.
		srv.Press(operator, card.MessageID, "approve:4")
		settle()
		if len(off.approved) != 0 {
			t.Fatal("an operator approved a message")
		}
		srv.Press(leader, card.MessageID, "reject:4")
		if !strings.Contains(lastTo(leader).Text, "Lý do từ chối tin #4?") {
			t.Fatal("no reason asked")
		}
		srv.Say(leader, "Thiếu số liệu của phường")
		if !strings.Contains(lastTo(leader).Text, "Đã từ chối tin #4") || len(off.rejected) != 1 || off.rejected[0] != "4 by pho-chu-tich: Thiếu số liệu của phường" {
			t.Errorf("reject: %v", off.rejected)
		}
		srv.Press(leader, card.MessageID, "approve:4")
		settle()
		if len(off.approved) != 1 || off.approved[0] != "4 by pho-chu-tich" {
			t.Errorf("approve: %v", off.approved)
		}
		// Tasks: the operator sees the one assigned to their role, confirms it,
		// and cannot confirm someone else's.
		srv.Say(operator, "/tasks")
		task := lastTo(operator)
		if !strings.Contains(task.Text, "#91") || strings.Contains(task.Text, "#92") || !strings.Contains(task.Markup, "done:91") {
			t.Fatalf("tasks: %q %s", task.Text, task.Markup)
		}
		srv.Press(operator, task.MessageID, "done:91")
		srv.Press(operator, task.MessageID, "done:92")
		settle()
		if len(off.done) != 1 || off.done[0] != "91 by dai-truyen-thanh" {
			t.Errorf("done: %v", off.done)
		}
		// Alerts reach officers, leaders and admins, not operators.
		bot.Alert(t.Context(), "run missed: phat-dong")
		settle()
		if got := lastTo(leader).Text; !strings.Contains(got, "run missed: phat-dong") {
			t.Errorf("leader's last message: %q", got)
		}
		if strings.Contains(lastTo(operator).Text, "run missed") {
			t.Error("an operator got a staff alert")
		}
	})
}
