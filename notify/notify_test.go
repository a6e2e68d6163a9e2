package notify_test

import (
	"context"
	"errors"
	"log/slog"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/notify"
	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

var start = time.Date(2026, 11, 25, 2, 0, 0, 0, time.UTC)

// phone is a channel that keeps what reaches a person, or fails as told.
type phone struct {
	got  map[string][]notify.Message
	fail error
}

func (p *phone) Send(_ context.Context, u staff.User, m notify.Message) error {
	if p.fail != nil {
		return p.fail
	}
	if p.got == nil {
		p.got = map[string][]notify.Message{}
	}
	p.got[u.Name] = append(p.got[u.Name], m)
	return nil
}

type fixture struct {
	db     *store.DB
	router *notify.Router
	clock  time.Time
	mail   *phone
	tg     *phone
}

func newFixture(t *testing.T) *fixture {
	f := &fixture{db: storetest.Open(t, start), clock: start, mail: &phone{}, tg: &phone{}}
	f.router = &notify.Router{DB: f.db, Channels: map[string]notify.Channel{"email": f.mail, "telegram": f.tg}, Now: func() time.Time { return f.clock },
		Log: slog.New(slog.DiscardHandler), PerPerson: 3}
	return f
}

func (f *fixture) add(t *testing.T, u staff.User) staff.User {
	t.Helper()
	u, err := f.db.AddUser(context.Background(), u, "", "it", start)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestRouterTriesEachPersonsChannelsInOrder: a person's first channel that
// works gets the notice; one that fails is passed over and noted, and a
// notice about a topic is told once.
func TestRouterTriesEachPersonsChannelsInOrder(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	lan := f.add(t, staff.User{Name: "lan", FullName: "Lan", Role: staff.Officer, Notify: []string{"telegram", "email"}})
	f.tg.fail = errors.New("telegram: the bot is not connected")
	n, err := f.router.Tell(ctx, lan, "task", "delivery:1", notify.Message{Subject: "Loa", Text: "Việc #1", Link: "https://loa.test/t/x"})
	if err != nil || n.SentVia != "email" || !strings.Contains(n.Note, "telegram: the bot is not connected") {
		t.Fatalf("notice %+v %v", n, err)
	}
	if got := f.mail.got["lan"]; len(got) != 1 || got[0].Link != "https://loa.test/t/x" {
		t.Errorf("e-mail: %+v", got)
	}
	kept, _ := f.router.Recent(ctx, lan, 5)
	if len(kept) != 1 || strings.Contains(kept[0].Text, "/t/x") {
		t.Errorf("the Today page keeps %+v (a link must not be kept)", kept)
	}
	if _, err := f.router.Tell(ctx, lan, "task", "delivery:1", notify.Message{Text: "again"}); err != nil || len(f.mail.got["lan"]) != 1 {
		t.Errorf("the same topic was told twice")
	}
	// A person with no channel has the notice on the Today page only, and
	// it is not tried again.
	nam := f.add(t, staff.User{Name: "nam", FullName: "Nam", Role: staff.BlockLeader, Notify: []string{"zalo"}})
	n, _ = f.router.Tell(ctx, nam, "task", "delivery:2", notify.Message{Text: "Việc #2"})
	if n.SentVia != "" || n.Note != notify.NoteNone {
		t.Errorf("no channel: %+v", n)
	}
	f.clock = f.clock.Add(time.Hour)
	if due, _ := f.router.Due(ctx, nam.ID, "delivery:2"); due {
		t.Error("a notice with no channel is due again")
	}
}

// TestRouterRetriesWhenChannelsFail: a notice no channel got through is
// due again after RetryAfter, or at once when a channel comes back.
func TestRouterRetriesWhenChannelsFail(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	op := f.add(t, staff.User{Name: "op", FullName: "Op", Role: staff.Operator, Notify: []string{"telegram"}})
	f.tg.fail = errors.New("telegram: not connected")
	f.router.Tell(ctx, op, "task", "delivery:9", notify.Message{Text: "Phát #9"})
	if due, _ := f.router.Due(ctx, op.ID, "delivery:9"); due {
		t.Error("due again at once")
	}
	f.tg.fail = nil
	f.clock = f.clock.Add(time.Minute)
	f.router.ChannelBack()
	if due, _ := f.router.Due(ctx, op.ID, "delivery:9"); !due {
		t.Fatal("not due when Telegram came back")
	}
	n, _ := f.router.Tell(ctx, op, "task", "delivery:9", notify.Message{Text: "Phát #9"})
	if n.SentVia != "telegram" || len(f.tg.got["op"]) != 1 {
		t.Errorf("the retry: %+v", n)
	}
	if due, _ := f.router.Due(ctx, op.ID, "delivery:9"); due {
		t.Error("due after it went out")
	}
}

// TestRouterThrottlesPerPersonAndKind: past PerPerson notices an hour a
// person's notices wait for the digest, which sends them in one message;
// alerts of one kind go out at most once a minute, the next saying how
// many were held.
func TestRouterThrottlesPerPersonAndKind(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	hoa := f.add(t, staff.User{Name: "hoa", FullName: "Hoa", Role: staff.BlockLeader, Notify: []string{"email"}})
	digest := f.add(t, staff.User{Name: "minh", FullName: "Minh", Role: staff.BlockLeader, Notify: []string{"email"}, Digest: true})
	for i := range 5 {
		for _, u := range []staff.User{hoa, digest} {
			if _, err := f.router.Tell(ctx, u, "task", "delivery:"+string(rune('a'+i)), notify.Message{Text: "Việc " + string(rune('a'+i))}); err != nil {
				t.Fatal(err)
			}
		}
	}
	if n := len(f.mail.got["hoa"]); n != 3 {
		t.Errorf("hoa got %d notices in an hour, want 3", n)
	}
	if n := len(f.mail.got["minh"]); n != 0 {
		t.Errorf("the digest reader got %d notices at once", n)
	}
	sent, err := f.router.Digest(ctx)
	if err != nil || sent != 2 {
		t.Fatalf("digest: %d %v", sent, err)
	}
	if got := f.mail.got["minh"]; len(got) != 1 || strings.Count(got[0].Text, "•") != 5 {
		t.Errorf("minh's digest: %+v", got)
	}
	if got := f.mail.got["hoa"]; len(got) != 4 || strings.Count(got[3].Text, "•") != 2 {
		t.Errorf("hoa's digest of what was held: %+v", got)
	}
	if sent, _ := f.router.Digest(ctx); sent != 0 {
		t.Error("a second digest sent the same notices")
	}

	// Alerts: the office's people, once a minute a kind.
	lead := f.add(t, staff.User{Name: "lead", FullName: "Lead", Role: staff.Leader, Notify: []string{"telegram"}})
	for range 4 {
		if err := f.router.Alert(ctx, "failed", "zalo to 840912345678 (phat-dong v1): error -201 at 09:00"); err != nil {
			t.Fatal(err)
		}
	}
	if got := f.tg.got["lead"]; len(got) != 1 {
		t.Fatalf("alerts in one minute: %d", len(got))
	} else if strings.Contains(got[0].Text, "840912345678") || !strings.Contains(got[0].Text, "zalo to …678 (phat-dong v1): error -201 at 09:00") {
		t.Errorf("a resident's id left Loa in an alert: %q", got[0].Text)
	}
	f.clock = f.clock.Add(time.Minute)
	_ = f.router.Alert(ctx, "failed", "zalo to 84…: error")
	if got := f.tg.got["lead"]; len(got) != 2 || !strings.Contains(got[1].Text, "và 3 cảnh báo cùng loại") {
		t.Errorf("the next alert: %+v", got)
	}
	if len(f.mail.got["hoa"]) != 4 {
		t.Error("a block leader got a staff alert")
	}
	_ = lead
}
