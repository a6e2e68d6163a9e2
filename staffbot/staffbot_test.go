package staffbot_test

import (
	"context"
	"log/slog"
	"net/http"
	"strconv"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/office"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/staffbot"
	"github.com/loa-ward/loa/store/storetest"
)

const token = "123456789:AAHdqTcvCH1vGWJxfSeofSAs0K5PALDsawq"

// TestStaffCommands drives the staff desk as a leader and the radio
// operator would, through a strict Bot API, over the demo ward's real
// services.
func TestStaffCommands(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		ctx := context.Background()
		now := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC) // 09:00 in the ward
		clock := func() time.Time { return now }
		quiet := slog.New(slog.DiscardHandler)
		db := storetest.Open(t, now)
		r := content.Renderer{Ward: "phường Lưu Kiếm", Calendar: content.Builtin(),
			Hotlines: map[string]string{"bao_ve_tre_em": "111", "cong_an": "113", "hoi_phu_nu": "0225 3 841 234"}}
		desk := &editorial.Desk{DB: db, Ward: r.Ward, Calendar: r.Calendar, Hotlines: r.Hotlines, Pace: 200, Now: clock}
		if _, err := demo.Seed(ctx, db, desk, now); err != nil {
			t.Fatal(err)
		}
		sc := scheduler.Schedule{Kind: scheduler.KindAt, Spec: "2026-11-28 09:00", Channels: []content.Channel{content.Loudspeaker}, Audience: "to:operator"}
		if _, err := desk.AddSchedule(ctx, staff.Local("officer"), editorial.ScheduleRequest{Campaign: "action-month/2026", Keys: []string{"an-toan-tren-mang"}, Schedule: sc}); err != nil {
			t.Fatal(err)
		}
		sched := scheduler.New(db, scheduler.Config{Renderer: r}, quiet, nil, nil)
		if _, err := sched.RunOnce(ctx, now); err != nil {
			t.Fatal(err)
		}
		pending, err := desk.Pending(ctx)
		if err != nil || len(pending) != 2 {
			t.Fatalf("pending: %+v %v", pending, err)
		}
		waiting := pending[1].Message // /duyet sends a card each, this one last

		srv := telegramtest.New(telegramtest.Options{Token: token})
		const leader, operator, resident, english = 31, 32, 33, 34
		for _, id := range []int64{leader, operator, resident} {
			srv.AddUser(id, "Người", "vi")
			srv.Say(id, "/start")
		}
		srv.AddUser(english, "Staff", "en-GB") // a member whose Telegram is in English
		srv.Say(english, "/start")
		client, err := telegram.New(telegram.Config{Token: token, Endpoint: "http://telegram.test/bot%s/%s",
			HTTP: &http.Client{Transport: srv.Transport()}, Log: quiet})
		if err != nil {
			t.Fatal(err)
		}
		staffDesk := &staffbot.Desk{Members: map[int64]staffbot.Member{leader: {Name: "pho-chu-tich", Role: staff.Leader}, english: {Name: "can-bo", Role: staff.Officer}, operator: {Name: "dai-truyen-thanh", Role: staff.Operator}},
			Office:    &office.Office{DB: db, Renderer: r, TaskOverdue: time.Hour, Render: sched.Render, Now: clock},
			Editorial: desk, Log: quiet}
		bot := telegram.NewBot(client, db.Residents(content.Telegram), "phường Lưu Kiếm", quiet, clock).WithStaff(staffDesk)
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
		if got := lastTo(leader).Text; !strings.Contains(got, "7 ngày tới") || !strings.Contains(got, "phat-dong") {
			t.Errorf("/plan: %q", got)
		}
		// A member whose Telegram is in English is answered in English.
		srv.Say(english, "/plan")
		if got := lastTo(english).Text; !strings.Contains(got, "The next 7 days") || !strings.Contains(got, "loudspeaker 1") {
			t.Errorf("/plan in English: %q", got)
		}
		srv.Say(english, "/duyet")
		if got := lastTo(english).Text; got != "Only a leader approves messages." {
			t.Errorf("/duyet in English: %q", got)
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
		if !strings.Contains(card.Text, waiting.Key) || !strings.Contains(card.Markup, "approve:") {
			t.Fatalf("approval card: %q %s", card.Text, card.Markup)
		}
		// The role is checked on every press: an operator pressing the
		// leader's button (e.g. a forwarded card) is refused.
		approve := "approve:" + itoa(waiting.ID)
		srv.Press(operator, card.MessageID, approve)
		settle()
		if m, _ := db.Message(ctx, waiting.ID); m.State != content.StateSubmitted {
			t.Fatalf("an operator moved the message to %s", m.State)
		}
		srv.Press(leader, card.MessageID, "reject:"+itoa(waiting.ID))
		if !strings.Contains(lastTo(leader).Text, "Lý do từ chối tin #") {
			t.Fatal("no reason asked")
		}
		srv.Say(leader, "Thiếu số liệu của phường")
		if !strings.Contains(lastTo(leader).Text, "Đã từ chối tin #") {
			t.Error("no answer to the reason")
		}
		m, _ := db.Message(ctx, waiting.ID)
		log, _ := db.Audit(ctx, "message", m.ID)
		if m.State != content.StateRejected || m.RejectReason != "Thiếu số liệu của phường" || log[len(log)-1].Actor != "pho-chu-tich" {
			t.Errorf("after reject: %s %q %+v", m.State, m.RejectReason, log[len(log)-1])
		}

		// Tasks: the operator sees the one given to their role and confirms it.
		srv.Say(operator, "/tasks")
		task := lastTo(operator)
		if !strings.Contains(task.Text, "an-toan-tren-mang") || !strings.Contains(task.Markup, "done:") {
			t.Fatalf("tasks: %q %s", task.Text, task.Markup)
		}
		id := task.Markup[strings.Index(task.Markup, "done:")+5:]
		id = id[:strings.IndexFunc(id, func(r rune) bool { return r < '0' || r > '9' })]
		srv.Press(leader, task.MessageID, "done:"+id) // not the leader's task
		settle()
		srv.Press(operator, task.MessageID, "done:"+id)
		settle()
		ds, _ := db.Deliveries(ctx, scheduler.DeliveryFilter{Channel: content.Loudspeaker})
		if len(ds) != 1 || ds[0].State != scheduler.Done || ds[0].ConfirmedBy != "dai-truyen-thanh" {
			t.Errorf("task after done: %+v", ds)
		}
		srv.Say(leader, "/status")
		if got := lastTo(leader).Text; !strings.Contains(got, "loa đã làm 1") {
			t.Errorf("/status: %q", got)
		}
	})
}

func itoa(n int64) string { return strconv.FormatInt(n, 10) }
