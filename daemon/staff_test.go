package daemon

import (
	"context"
	"log/slog"
	"testing"
	"time"

	"github.com/loa-ward/loa/config"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store/storetest"
)

// TestStaffBotActsWithTheAccountsRoles: the bot's people come from accounts
// with a chat, and a configured chat naming an account takes its role; a
// disabled account is left out.
func TestStaffBotActsWithTheAccountsRoles(t *testing.T) {
	now := time.Date(2026, 11, 28, 2, 0, 0, 0, time.UTC)
	ctx := context.Background()
	db := storetest.Open(t, now)
	for _, u := range []staff.User{
		{Name: "hung", FullName: "Trần Văn Hùng", Role: staff.Leader, TelegramChat: "41"},
		{Name: "lan", FullName: "Nguyễn Thị Lan", Role: staff.Officer},
		{Name: "cu", FullName: "Người cũ", Role: staff.Leader, TelegramChat: "43"},
	} {
		if _, err := db.AddUser(ctx, u, "", "it", now); err != nil {
			t.Fatal(err)
		}
	}
	cu, _ := db.User(ctx, "cu")
	if err := db.DisableUser(ctx, cu.ID, true, "it", now); err != nil {
		t.Fatal(err)
	}
	d := &Daemon{DB: db, Config: &config.Config{Telegram: config.Telegram{Staff: []config.StaffMember{
		{ChatID: 42, Name: "lan", Role: "leader"}, // the config says leader; the account says officer
		{ChatID: 43, Name: "cu", Role: "leader"},
		{ChatID: 44, Name: "dai-truyen-thanh", Role: "operator"}, // no account yet: as configured
	}}}}
	got := map[int64]string{}
	for _, m := range d.staffMembers(ctx, slog.New(slog.DiscardHandler)) {
		got[m.chat] = m.Name + "/" + string(m.Role)
	}
	want := map[int64]string{41: "hung/leader", 42: "lan/officer", 44: "dai-truyen-thanh/operator"}
	if len(got) != len(want) {
		t.Errorf("members %v, want %v", got, want)
	}
	for chat, w := range want {
		if got[chat] != w {
			t.Errorf("chat %d: %q, want %q", chat, got[chat], w)
		}
	}
}
