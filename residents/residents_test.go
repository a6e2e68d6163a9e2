package residents_test

import (
	"context"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store/storetest"
)

func TestImportListAndStatus(t *testing.T) {
	now := time.Date(2026, 11, 20, 9, 0, 0, 0, content.Zone)
	db := storetest.Open(t, now)
	reg := &residents.Registry{Store: db, Now: func() time.Time { return now }}
	ctx := context.Background()
	subs := []residents.Subscriber{
		{Channel: content.Zalo, ExternalID: "phone:84912345678", Phone: "84912345678", Name: "Chị Lan", ConsentAt: now, ConsentSource: "phiếu 12", Topics: content.Topics},
		{Channel: content.Zalo, ExternalID: "phone:84987654321", Phone: "84987654321", Name: "Anh Nam", ConsentSource: "phiếu 13"},
	}
	if err := reg.Import(ctx, staff.Actor{Name: "lan", Role: staff.Officer}, subs); err != nil {
		t.Fatal(err)
	}
	got, err := reg.List(ctx, content.Zalo)
	if err != nil || len(got) != 2 {
		t.Fatalf("list: %v %v", got, err)
	}
	if got[0].Status() != "receives" || got[1].Status() != "waiting" || got[1].StatusLabel("vi") != "chưa chọn (không nhận tin)" {
		t.Errorf("status: %q %q %q", got[0].Status(), got[1].Status(), got[1].StatusLabel("vi"))
	}
	log, err := db.Audit(ctx, "subscribers", 0)
	if err != nil || len(log) != 1 || log[0].Actor != "lan" || log[0].Action != "import" {
		t.Errorf("audit: %+v %v", log, err)
	}
	officer := staff.Actor{Name: "lan", Role: staff.Officer}
	h, err := reg.History(ctx, officer, got[0])
	if err != nil || len(h) != 1 || h[0].Action != "consent" || !strings.Contains(h[0].Detail, "phiếu 12") {
		t.Errorf("history: %+v %v", h, err)
	}
	if h, _ := reg.History(ctx, officer, got[1]); len(h) != 0 {
		t.Errorf("a row without consent has history: %+v", h)
	}
	if _, err := reg.History(ctx, staff.Actor{Name: "x", Role: staff.Leader}, got[0]); err == nil {
		t.Error("a leader reads a person's history")
	}
	// Telegram's /start and /stop are the person's history too.
	bot := db.Residents(content.Telegram)
	bot.Subscribe(ctx, "77", "", "vi", "telegram:start", content.Topics, now)
	bot.Unsubscribe(ctx, "77", now.Add(time.Hour))
	tg, _ := reg.List(ctx, content.Telegram)
	if h, _ := reg.History(ctx, officer, tg[0]); len(h) != 2 || h[0].Action != "consent" || h[1].Action != "withdraw" {
		t.Errorf("telegram history: %+v", h)
	}
	if due, err := reg.FollowersDue(ctx); err != nil || !due {
		t.Errorf("never synced: due %v, %v", due, err)
	}
}
