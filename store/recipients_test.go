package store_test

import (
	"context"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
	"github.com/loa-ward/loa/store/storetest"
)

var t1 = time.Date(2026, 11, 20, 2, 0, 0, 0, time.UTC)

// recipients fans one message of topic out on Zalo in mode and returns who
// its deliveries go to.
func recipients(t *testing.T, topic content.Topic, mode string) []string {
	t.Helper()
	ctx := context.Background()
	db := storetest.Open(t, t1)
	c := storetest.ActionMonth(t, db, t1)
	m, _, err := db.SaveDraft(ctx, c.ID, content.Draft{Key: "k", Title: "T", Topic: topic, Variants: content.Variants{Zalo: "Xin chào"}}, "officer", t1)
	if err != nil {
		t.Fatal(err)
	}
	db.Transition(ctx, m.ID, content.ActSubmit, "officer", "", t1)
	if _, err := db.Transition(ctx, m.ID, content.ActApprove, "leader", "", t1); err != nil {
		t.Fatal(err)
	}
	subs := []residents.Subscriber{
		{Channel: content.Zalo, ExternalID: "u-family", Topics: []content.Topic{content.TopicFamily}, ConsentAt: t1},
		{Channel: content.Zalo, ExternalID: "u-violence", Topics: []content.Topic{content.TopicViolence}, Phone: "84911111111", ConsentAt: t1},
		{Channel: content.Zalo, ExternalID: "u-none", ConsentAt: t1}, // consented, picked no topic yet
		{Channel: content.Zalo, ExternalID: "phone:84922222222", Phone: "84922222222", Topics: content.Topics, ConsentAt: t1},
	}
	if err := db.AddSubscribers(ctx, subs, "test", t1); err != nil {
		t.Fatal(err)
	}
	if _, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindAt, Spec: t1.In(content.Zone).Format("2006-01-02 15:04"),
		Channels: []content.Channel{content.Zalo}, Audience: "all", Mode: mode, MessageIDs: []int64{m.ID}}, "officer", t1.Add(-time.Hour)); err != nil {
		t.Fatal(err)
	}
	sched := scheduler.New(db, scheduler.Config{Renderer: content.Renderer{Ward: "phường Lưu Kiếm"}, Groups: map[content.Channel]map[string]string{content.Zalo: {"TDP 1": "to-truong-1"}}},
		slog.New(slog.NewTextHandler(io.Discard, nil)), nil, nil)
	if _, err := sched.RunOnce(ctx, t1); err != nil {
		t.Fatal(err)
	}
	ds, err := db.Deliveries(ctx, scheduler.DeliveryFilter{Channel: content.Zalo})
	if err != nil {
		t.Fatal(err)
	}
	var to []string
	for _, d := range ds {
		to = append(to, d.Recipient)
	}
	slices.Sort(to)
	return to
}

func TestEachResidentGetsTheirTopicsOnTheirKindOfAddress(t *testing.T) {
	tests := []struct {
		name  string
		topic content.Topic
		mode  string
		want  string
	}{
		// "all" reaches those who chose the message's topic; a phone number
		// is not a Zalo user id, so a promotion never goes to one. A
		// promotion is also a post for each block's Zalo group.
		{"violence promotion", content.TopicViolence, "", "group:TDP 1,u-violence"},
		{"family promotion", content.TopicFamily, "", "group:TDP 1,u-family"},
		{"no topic promotion", content.TopicUnassigned, "", "group:TDP 1,u-family,u-none,u-violence"},
		// A consultation message is personal: no group post.
		{"violence consultation", content.TopicViolence, "cs", "u-violence"},
		// ZNS reaches phone numbers, of those who chose the topic.
		{"violence by ZNS", content.TopicViolence, "zns:123", "84911111111,84922222222"},
		{"family by ZNS", content.TopicFamily, "zns:123", "84922222222"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := strings.Join(recipients(t, tt.topic, tt.mode), ","); got != tt.want {
				t.Errorf("sent to %s, want %s", got, tt.want)
			}
		})
	}
}

func TestDatabaseFilesArePrivate(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loa.db")
	db := storetest.OpenAt(t, path, t1)
	if err := db.Backup(context.Background(), path+".bak", t1); err != nil {
		t.Fatal(err)
	}
	for _, f := range []string{path, path + "-wal", path + ".bak"} {
		st, err := os.Stat(f)
		if err != nil {
			t.Fatal(err)
		}
		if st.Mode().Perm() != 0o600 {
			t.Errorf("%s is %v, want -rw-------", filepath.Base(f), st.Mode().Perm())
		}
	}
}

// An interrupted backup leaves nothing that starts as a database: the copy
// is only ever under its name once complete and marked.
func TestInterruptedBackupLeavesNoDatabase(t *testing.T) {
	path := filepath.Join(t.TempDir(), "loa.db")
	db := storetest.OpenAt(t, path, t1)
	if err := db.GenerateSubscribers(context.Background(), content.Zalo, "z", 20000, t1); err != nil {
		t.Fatal(err)
	}
	dest := path + ".bak"
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if err := db.Backup(ctx, dest, t1); err == nil {
		t.Fatal("a cancelled backup succeeded")
	}
	for _, f := range []string{dest, dest + store.PartialSuffix} {
		if _, err := os.Stat(f); !os.IsNotExist(err) {
			t.Errorf("%s was left behind", filepath.Base(f))
		}
	}
	// What a kill -9 mid-copy leaves is refused by name.
	os.WriteFile(dest+store.PartialSuffix, []byte("SQLite format 3\x00"), 0o600)
	if _, err := store.Open(context.Background(), dest+store.PartialSuffix); err == nil || !strings.Contains(err.Error(), "unfinished backup") {
		t.Errorf("opening a partial backup: %v", err)
	}
	os.Remove(dest + store.PartialSuffix)
	// A finished one is marked as a copy.
	if err := db.Backup(context.Background(), dest, t1); err != nil {
		t.Fatal(err)
	}
	copyDB := storetest.OpenAt(t, dest, t1)
	if at, ok, err := copyDB.BackupTakenAt(context.Background()); err != nil || !ok || !at.Equal(t1) {
		t.Errorf("the copy's mark: %v %v %v", at, ok, err)
	}
}
