package residents_test

import (
	"context"
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
	if got[0].Status() != "receives" || got[1].Status() != "stopped" || got[1].StatusLabel("vi") != "đã ngừng" {
		t.Errorf("status: %q %q %q", got[0].Status(), got[1].Status(), got[1].StatusLabel("vi"))
	}
	log, err := db.Audit(ctx, "subscribers", 0)
	if err != nil || len(log) != 1 || log[0].Actor != "lan" || log[0].Action != "import" {
		t.Errorf("audit: %+v %v", log, err)
	}
	if due, err := reg.FollowersDue(ctx); err != nil || !due {
		t.Errorf("never synced: due %v, %v", due, err)
	}
}
