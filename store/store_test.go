package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
)

var t0 = time.Date(2026, 11, 1, 2, 0, 0, 0, time.UTC)

func openTest(t *testing.T) *DB {
	t.Helper()
	db, err := Open(context.Background(), filepath.Join(t.TempDir(), "loa.db"))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(context.Background(), t0); err != nil {
		t.Fatal(err)
	}
	if err := db.SyncObservances(context.Background(), content.Builtin(), t0); err != nil {
		t.Fatal(err)
	}
	return db
}

func observance(key string) content.Observance {
	for _, o := range content.Builtin() {
		if o.Key == key {
			return o
		}
	}
	panic(key)
}

func schema(t *testing.T, db *DB) string {
	t.Helper()
	rows, err := db.read.Query(`SELECT type || ' ' || name || ': ' || coalesce(sql, '') FROM sqlite_master ORDER BY type, name`)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var lines []string
	for rows.Next() {
		var s string
		rows.Scan(&s)
		lines = append(lines, s)
	}
	return strings.Join(lines, "\n")
}

func TestMigrateFromEveryVersion(t *testing.T) {
	ctx := context.Background()
	all, err := Migrations()
	if err != nil || len(all) < 3 {
		t.Fatalf("migrations: %d, %v", len(all), err)
	}
	fresh := openTest(t)
	want := schema(t, fresh)
	for from := 0; from <= len(all); from++ {
		t.Run(fmt.Sprintf("from %d", from), func(t *testing.T) {
			db, err := Open(ctx, filepath.Join(t.TempDir(), "old.db"))
			if err != nil {
				t.Fatal(err)
			}
			defer db.Close()
			if _, err := db.MigrateTo(ctx, from, t0); err != nil {
				t.Fatal(err)
			}
			if from >= 1 { // data written by an older version survives
				if _, err := db.write.Exec(`INSERT INTO observances (key, name, starts, ends, updated_at) VALUES ('x', 'X', '01-01', '01-01', '')`); err != nil {
					t.Fatal(err)
				}
			}
			applied, err := db.Migrate(ctx, t0)
			if err != nil {
				t.Fatal(err)
			}
			if len(applied) != len(all)-from {
				t.Errorf("applied %d migrations, want %d", len(applied), len(all)-from)
			}
			if v, _ := db.Version(ctx); v != len(all) {
				t.Errorf("version %d, want %d", v, len(all))
			}
			if got := schema(t, db); got != want {
				t.Errorf("schema differs from a fresh database:\n%s\nwant\n%s", got, want)
			}
			if from >= 1 {
				var n int
				db.read.QueryRow(`SELECT count(*) FROM observances WHERE key = 'x'`).Scan(&n)
				if n != 1 {
					t.Error("migration lost data")
				}
			}
			if again, err := db.Migrate(ctx, t0); err != nil || len(again) != 0 {
				t.Errorf("second Migrate applied %d, %v", len(again), err)
			}
		})
	}
	t.Run("newer database", func(t *testing.T) {
		if _, err := fresh.write.Exec(`INSERT INTO schema_migrations VALUES (99, 'future', '')`); err != nil {
			t.Fatal(err)
		}
		_, err := fresh.Migrate(ctx, t0)
		if err == nil || !strings.Contains(err.Error(), "version 99") {
			t.Fatalf("err = %v", err)
		}
	})
}

func TestOpenSettings(t *testing.T) {
	db := openTest(t)
	var mode string
	var fk, busy int
	db.write.QueryRow(`PRAGMA journal_mode`).Scan(&mode)
	db.write.QueryRow(`PRAGMA foreign_keys`).Scan(&fk)
	db.write.QueryRow(`PRAGMA busy_timeout`).Scan(&busy)
	if mode != "wal" || fk != 1 || busy != 5000 {
		t.Errorf("journal %s, foreign keys %d, busy timeout %d", mode, fk, busy)
	}
	if n := db.write.Stats().MaxOpenConnections; n != 1 {
		t.Errorf("writer pool allows %d connections", n)
	}
	if _, err := db.read.Exec(`DELETE FROM observances`); err == nil {
		t.Error("the read pool could write")
	}
	if _, err := Open(context.Background(), ":memory:"); err == nil {
		t.Error("a bare :memory: database was accepted")
	}
	// Foreign keys are enforced: a campaign of an unknown observance fails.
	c := observance("family-day").CampaignFor(2026)
	c.ObservanceKey = "nope"
	if _, err := db.CreateCampaign(context.Background(), c, "t", t0); err == nil {
		t.Error("campaign with unknown observance accepted")
	}
}

func draft(key, text string) content.Draft {
	return content.Draft{Key: key, Title: "Tiêu đề " + key, Topic: content.TopicFamily, Variants: content.Variants{Zalo: text}}
}

func TestMessageLifecycle(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c, err := db.CreateCampaign(ctx, observance("family-day").CampaignFor(2026), "officer", t0)
	if err != nil {
		t.Fatal(err)
	}
	at := func(min int) time.Time { return t0.Add(time.Duration(min) * time.Minute) }
	m, changed, err := db.SaveDraft(ctx, c.ID, draft("bua-com", "một"), "officer", at(1))
	if err != nil || !changed || m.Version != 1 || m.State != content.StateDraft || m.Campaign != "family-day/2026" {
		t.Fatalf("create: %+v %v %v", m, changed, err)
	}
	if _, changed, _ := db.SaveDraft(ctx, c.ID, draft("bua-com", "một"), "officer", at(2)); changed {
		t.Error("identical save made a version")
	}
	step := func(act content.Action, actor, reason string, want content.State) content.Message {
		t.Helper()
		m, err := db.Transition(ctx, m.ID, act, actor, reason, at(10))
		if err != nil || m.State != want {
			t.Fatalf("%s: %v, state %s want %s", act, err, m.State, want)
		}
		return m
	}
	step(content.ActSubmit, "officer", "", content.StateSubmitted)
	// A submitted message cannot change under the leader's eyes.
	_, _, err = db.SaveDraft(ctx, c.ID, draft("bua-com", "hai"), "officer", at(11))
	var te *content.TransitionError
	if !errors.As(err, &te) {
		t.Errorf("edit while submitted: %v", err)
	}
	if _, err := db.Transition(ctx, m.ID, content.ActReject, "leader", "", at(12)); !errors.Is(err, ErrReasonRequired) {
		t.Errorf("reject without reason: %v", err)
	}
	m = step(content.ActReject, "leader", "Sai ngày", content.StateRejected)
	if m.RejectReason != "Sai ngày" {
		t.Errorf("reason %q", m.RejectReason)
	}
	m, _, _ = db.SaveDraft(ctx, c.ID, draft("bua-com", "hai"), "officer", at(13))
	if m.State != content.StateDraft || m.Version != 2 || m.RejectReason != "" {
		t.Errorf("edit after reject: %+v", m)
	}
	step(content.ActSubmit, "officer", "", content.StateSubmitted)
	m = step(content.ActApprove, "leader", "", content.StateApproved)
	if m.ApprovedVersion != 2 {
		t.Errorf("approved version %d", m.ApprovedVersion)
	}
	// Editing an approved message makes version 3, a draft; version 2 stays the approved one.
	m, _, _ = db.SaveDraft(ctx, c.ID, draft("bua-com", "ba"), "officer", at(20))
	if m.State != content.StateDraft || m.Version != 3 || m.ApprovedVersion != 2 || m.Variants.Zalo != "ba" {
		t.Errorf("edit approved: %+v", m)
	}
	if _, err := db.Transition(ctx, m.ID, content.ActApprove, "leader", "", at(21)); !errors.As(err, &te) {
		t.Errorf("approve a draft: %v", err)
	}
	step(content.ActArchive, "officer", "", content.StateArchived)
	step(content.ActRestore, "officer", "", content.StateDraft)

	vs, err := db.Versions(ctx, m.ID)
	if err != nil || len(vs) != 3 || vs[0].Variants.Zalo != "một" || vs[2].Variants.Zalo != "ba" || vs[1].CreatedBy != "officer" {
		t.Errorf("versions: %+v %v", vs, err)
	}
	log, err := db.Audit(ctx, "message", m.ID)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, e := range log {
		got = append(got, e.Actor+" "+e.Action)
	}
	want := []string{"officer create", "officer submit", "leader reject", "officer edit", "officer submit", "leader approve", "officer edit", "officer archive", "officer restore"}
	if !slices.Equal(got, want) {
		t.Errorf("audit log:\n got %v\nwant %v", got, want)
	}
	if log[2].Detail != "v1: submitted → rejected: Sai ngày" || !log[2].At.Equal(at(10)) {
		t.Errorf("reject entry: %+v", log[2])
	}
	if _, err := db.Message(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Errorf("missing message: %v", err)
	}
}

func TestImportIsAllOrNothing(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	fd := observance("family-day").CampaignFor(2026)
	r, err := db.Import(ctx, []scheduler.ImportItem{{Campaign: fd, Draft: draft("a", "1")}, {Campaign: fd, Draft: draft("b", "1")}}, "officer", t0)
	if err != nil || r != (scheduler.ImportResult{Campaigns: 1, Created: 2}) {
		t.Fatalf("first import: %+v %v", r, err)
	}
	ms, _ := db.Messages(ctx, content.MessageFilter{Year: 2026})
	if _, err := db.Transition(ctx, ms[1].ID, content.ActSubmit, "officer", "", t0); err != nil {
		t.Fatal(err)
	}
	// a changes, a new campaign and message appear, then b (submitted) cannot change: nothing happens.
	em := observance("evaw-day").CampaignFor(2026)
	_, err = db.Import(ctx, []scheduler.ImportItem{{Campaign: fd, Draft: draft("a", "2")}, {Campaign: em, Draft: draft("c", "1")}, {Campaign: fd, Draft: draft("b", "2")}}, "officer", t0)
	if err == nil {
		t.Fatal("import over a submitted message succeeded")
	}
	after, _ := db.Messages(ctx, content.MessageFilter{})
	cs, _ := db.Campaigns(ctx, 0)
	if len(after) != 2 || after[0].Version != 1 || len(cs) != 1 {
		t.Errorf("failed import changed things: %d messages, a v%d, %d campaigns", len(after), after[0].Version, len(cs))
	}
	r, err = db.Import(ctx, []scheduler.ImportItem{{Campaign: fd, Draft: draft("a", "2")}, {Campaign: fd, Draft: draft("b", "1")}}, "officer", t0)
	if err != nil || r != (scheduler.ImportResult{Updated: 1, Unchanged: 1}) {
		t.Errorf("re-import: %+v %v", r, err)
	}
}

func TestCopyCampaign(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	o := observance("action-month")
	c26, _ := db.CreateCampaign(ctx, o.CampaignFor(2026), "officer", t0)
	var ids []int64
	for _, k := range []string{"a", "b", "c"} {
		m, _, err := db.SaveDraft(ctx, c26.ID, draft(k, "text "+k), "officer", t0)
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, m.ID)
	}
	db.Transition(ctx, ids[0], content.ActSubmit, "officer", "", t0)
	db.Transition(ctx, ids[0], content.ActApprove, "leader", "", t0)
	db.Transition(ctx, ids[2], content.ActArchive, "officer", "", t0)
	// Schedules: a fixed time, a relative one, and a rotation over all three messages.
	mustExec := func(q string, args ...any) int64 {
		res, err := db.write.Exec(q, args...)
		if err != nil {
			t.Fatal(err)
		}
		id, _ := res.LastInsertId()
		return id
	}
	sAt := mustExec(`INSERT INTO schedules (campaign_id, kind, spec, channels, created_by, created_at) VALUES (?, 'at', '2026-11-25 07:30', 'zalo', 'o', '')`, c26.ID)
	mustExec(`INSERT INTO schedule_messages VALUES (?, 1, ?)`, sAt, ids[0])
	sRel := mustExec(`INSERT INTO schedules (campaign_id, kind, spec, channels, created_by, created_at) VALUES (?, 'relative', 'D-3 08:00', 'telegram', 'o', '')`, c26.ID)
	mustExec(`INSERT INTO schedule_messages VALUES (?, 1, ?)`, sRel, ids[1])
	sRot := mustExec(`INSERT INTO schedules (campaign_id, kind, spec, channels, created_by, created_at) VALUES (?, 'rotation', '0 17 * * *', 'loudspeaker', 'o', '')`, c26.ID)
	for i, id := range ids {
		mustExec(`INSERT INTO schedule_messages VALUES (?, ?, ?)`, sRot, i+1, id)
	}

	c27, nm, ns, err := db.CopyCampaign(ctx, c26, o.CampaignFor(2027), "officer", t0)
	if err != nil || nm != 2 || ns != 3 {
		t.Fatalf("copy: %d messages, %d schedules, %v", nm, ns, err)
	}
	if c27.From != content.NewDate(2027, 11, 15) || c27.Year != 2027 {
		t.Errorf("new campaign %+v", c27)
	}
	ms, _ := db.Messages(ctx, content.MessageFilter{CampaignID: c27.ID})
	if len(ms) != 2 || ms[0].Key != "a" || ms[0].State != content.StateDraft || ms[0].Version != 1 || ms[0].Variants.Zalo != "text a" {
		t.Errorf("copied messages: %+v", ms)
	}
	rows, _ := db.read.Query(`SELECT s.kind, s.spec, group_concat(m.key, ',') FROM schedules s
		JOIN schedule_messages sm ON sm.schedule_id = s.id JOIN messages m ON m.id = sm.message_id
		WHERE s.campaign_id = ? GROUP BY s.id ORDER BY s.id`, c27.ID)
	defer rows.Close()
	var got []string
	for rows.Next() {
		var kind, spec, keys string
		rows.Scan(&kind, &spec, &keys)
		got = append(got, kind+" "+spec+" "+keys)
	}
	want := []string{"at 2027-11-25 07:30 a", "relative D-3 08:00 b", "rotation 0 17 * * * a,b"}
	if !slices.Equal(got, want) {
		t.Errorf("copied schedules:\n got %q\nwant %q", got, want)
	}
	// The 2026 campaign is untouched and cannot be copied twice.
	old, _ := db.Messages(ctx, content.MessageFilter{CampaignID: c26.ID})
	if len(old) != 3 || old[0].State != content.StateApproved {
		t.Errorf("source changed: %+v", old)
	}
	if _, _, _, err := db.CopyCampaign(ctx, c26, o.CampaignFor(2027), "officer", t0); !errors.Is(err, ErrExists) {
		t.Errorf("second copy: %v", err)
	}
}

func TestBackupWhileWriting(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c, _ := db.CreateCampaign(ctx, observance("family-day").CampaignFor(2026), "o", t0)
	for i := range 200 {
		db.SaveDraft(ctx, c.ID, draft(fmt.Sprintf("m%d", i), strings.Repeat("chữ ", 200)), "o", t0)
	}
	var wg sync.WaitGroup
	stop := make(chan struct{})
	wg.Add(1)
	go func() { // a daemon keeps writing during the backup
		defer wg.Done()
		for i := 0; ; i++ {
			select {
			case <-stop:
				return
			default:
				db.SaveDraft(ctx, c.ID, draft(fmt.Sprintf("w%d", i), "x"), "o", t0)
			}
		}
	}()
	dest := filepath.Join(t.TempDir(), "backup.db")
	err := db.Backup(ctx, dest, t0)
	close(stop)
	wg.Wait()
	if err != nil {
		t.Fatal(err)
	}
	copyDB, err := Open(ctx, dest)
	if err != nil {
		t.Fatal(err)
	}
	defer copyDB.Close()
	ms, err := copyDB.Messages(ctx, content.MessageFilter{})
	if err != nil || len(ms) < 200 {
		t.Errorf("backup has %d messages, %v", len(ms), err)
	}
	if problems, err := copyDB.Check(ctx); err != nil || len(problems) != 0 {
		t.Errorf("backup check: %v %v", problems, err)
	}
	if at, ok, err := copyDB.BackupTakenAt(ctx); !ok || !at.Equal(t0) || err != nil {
		t.Errorf("the copy is not marked as a backup: %v %v %v", at, ok, err)
	}
	if _, ok, _ := db.BackupTakenAt(ctx); ok {
		t.Error("the original is marked as a backup")
	}
	if err := db.Backup(ctx, dest, t0); err == nil || !strings.Contains(err.Error(), "already exists") {
		t.Errorf("backup over an existing file: %v", err)
	}
}

func TestCheckFindsBrokenForeignKeys(t *testing.T) {
	db := openTest(t)
	if p, err := db.Check(context.Background()); err != nil || len(p) != 0 {
		t.Fatalf("fresh database: %v %v", p, err)
	}
	db.write.Exec(`PRAGMA foreign_keys = off`)
	db.write.Exec(`INSERT INTO campaigns (observance_key, year, name, starts_on, ends_on, window_from, window_to, created_at)
		VALUES ('gone', 2026, 'x', '2026-01-02', '2026-01-02', '2026-01-01', '2026-01-03', '')`)
	db.write.Exec(`PRAGMA foreign_keys = on`)
	p, err := db.Check(context.Background())
	if err != nil || len(p) != 1 || !strings.Contains(p[0], "campaigns row 1 points at a missing observances") {
		t.Errorf("check: %v %v", p, err)
	}
}

func TestSlogans(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	s := func(group, text string) banner.Slogan {
		return banner.Slogan{Year: 2026, Observance: "action-month", Document: "CV 1", Group: group, Text: text}
	}
	ss := []banner.Slogan{s("", "Hưởng ứng năm 2026"), s("Nhóm 1", "Hai"), s("", "Hưởng ứng năm 2026")}
	if n, err := db.AddSlogans(ctx, ss, "o", t0); err != nil || n != 2 {
		t.Fatalf("added %d, %v", n, err)
	}
	got, _ := db.Slogans(ctx, 2026, "action-month")
	if len(got) != 2 || got[0].Text != "Hưởng ứng năm 2026" || got[1].Group != "Nhóm 1" {
		t.Errorf("slogans %+v", got)
	}
}

// TestFanOutWalksSubscribersByRowid guards fan-out's speed: each batch must
// read subscribers by rowid range, not sort a whole channel (which made a
// million recipients take minutes instead of seconds).
func TestFanOutWalksSubscribersByRowid(t *testing.T) {
	db := openTest(t)
	rows, err := db.read.Query(`EXPLAIN QUERY PLAN SELECT max(id) FROM (SELECT id FROM subscribers WHERE `+fanOutFilter+
		` AND (? = 0 OR phone != '') ORDER BY id LIMIT 1000)`, "zalo", "", "", 0, false)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var plan []string
	for rows.Next() {
		var a, b, c int
		var d string
		rows.Scan(&a, &b, &c, &d)
		plan = append(plan, d)
	}
	got := strings.Join(plan, "; ")
	if !strings.Contains(got, "INTEGER PRIMARY KEY") || strings.Contains(got, "TEMP B-TREE") {
		t.Errorf("fan-out query plan: %s", got)
	}
}

// chatRuns makes a Zalo schedule to chats with runs due at each of due, and
// fans the first one out; it returns the runs.
func chatRuns(t *testing.T, db *DB, due []time.Time, chats ...string) []scheduler.DueRun {
	t.Helper()
	ctx := context.Background()
	c, _ := db.CreateCampaign(ctx, observance("action-month").CampaignFor(2026), "o", t0)
	m, _, _ := db.SaveDraft(ctx, c.ID, draft("a", "x"), "o", t0)
	sid, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindCron, Spec: "0 * * * *",
		Channels: []content.Channel{content.Zalo}, Audience: "chats:" + strings.Join(chats, ","), MessageIDs: []int64{m.ID}}, "o", t0)
	if err != nil {
		t.Fatal(err)
	}
	var nr []scheduler.NewRun
	for _, at := range due {
		nr = append(nr, scheduler.NewRun{DueAt: at, MessageID: m.ID})
	}
	if _, err := db.PlanRuns(ctx, sid, nr, due[len(due)-1].Add(time.Hour), t0); err != nil {
		t.Fatal(err)
	}
	runs, _ := db.Runs(ctx, scheduler.RunFilter{})
	if _, err := db.FanOut(ctx, runs[0].ID, content.Zalo, scheduler.Audience{Chats: chats}, "", 10, t0); err != nil {
		t.Fatal(err)
	}
	return runs
}

// TestAfterRestore: in a restored copy, what was queued or sending may have
// gone out from the original after the backup, and runs due since then may
// have run: they become unknown and missed, never sent again on their own.
func TestAfterRestore(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	chatRuns(t, db, []time.Time{t0.Add(time.Hour), t0.Add(5 * time.Hour)}, "a", "b", "c")
	db.Claim(ctx, content.Zalo, 1, t0) // one in flight

	dest := filepath.Join(t.TempDir(), "copy.db")
	if err := db.Backup(ctx, dest, t0.Add(30*time.Minute)); err != nil {
		t.Fatal(err)
	}
	cp, _ := Open(ctx, dest)
	defer cp.Close()
	d, r, err := cp.AfterRestore(ctx, "admin", t0.Add(2*time.Hour))
	if err != nil || d != 3 || r != 1 {
		t.Fatalf("AfterRestore: %d deliveries, %d runs, %v", d, r, err)
	}
	counts, _ := cp.DeliveryCounts(ctx, 0)
	if counts[content.Zalo][scheduler.Unknown] != 3 {
		t.Errorf("deliveries after restore: %v", counts)
	}
	after, _ := cp.Runs(ctx, scheduler.RunFilter{})
	// The 03:00 run was due after the backup (02:30) and before now (04:00):
	// missed. The 07:00 run is still ahead: planned.
	if after[0].State != scheduler.RunMissed || after[1].State != scheduler.RunPlanned {
		t.Errorf("runs after restore: %s, %s", after[0].State, after[1].State)
	}
	if _, marked, _ := cp.BackupTakenAt(ctx); marked {
		t.Error("the copy is still marked as a backup")
	}
	if d, r, _ := cp.AfterRestore(ctx, "admin", t0.Add(3*time.Hour)); d+r != 0 {
		t.Error("AfterRestore acted twice")
	}
}

// A full disk is remembered until a write succeeds again, so /healthz can
// say nothing can be recorded. SQLite's max_page_count makes the database
// "full" without filling a real disk.
func TestWriteErrorReportsAFullDatabase(t *testing.T) {
	db := openTest(t)
	ctx := context.Background()
	if db.WriteError() != nil {
		t.Fatal("a fresh database reports a write error")
	}
	var pages int
	if err := db.write.QueryRowContext(ctx, `PRAGMA page_count`).Scan(&pages); err != nil {
		t.Fatal(err)
	}
	if _, err := db.write.ExecContext(ctx, fmt.Sprintf(`PRAGMA max_page_count = %d`, pages)); err != nil {
		t.Fatal(err)
	}
	err := db.AddSubscribers(ctx, []residents.Subscriber{{Channel: content.Zalo, ExternalID: strings.Repeat("x", 5000), ConsentAt: t0}}, "test", t0)
	if err == nil || db.WriteError() == nil {
		t.Fatalf("a write to a full database: %v; WriteError %v", err, db.WriteError())
	}
	if _, err := db.write.ExecContext(ctx, `PRAGMA max_page_count = 1073741823`); err != nil {
		t.Fatal(err)
	}
	if err := db.AddSubscribers(ctx, []residents.Subscriber{{Channel: content.Zalo, ExternalID: "z1", ConsentAt: t0}}, "test", t0); err != nil {
		t.Fatal(err)
	}
	if err := db.WriteError(); err != nil {
		t.Errorf("still reported after a successful write: %v", err)
	}
}

// A "received" event that comes before the send's outcome is recorded is
// kept and applied when it is; dead deliveries can be resent with fresh
// attempts.
func TestReceiptRacingItsSendAndResendDead(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	runs := chatRuns(t, db, []time.Time{t0}, "a", "b")
	claimed, err := db.Claim(ctx, content.Zalo, 2, t0)
	if err != nil || len(claimed) != 2 {
		t.Fatalf("claim: %v %v", claimed, err)
	}
	// Zalo tells of the receipt before Loa has recorded the answer.
	if found, err := db.Received(ctx, content.Zalo, "zmsg-1", t0.Add(time.Second)); err != nil || found {
		t.Fatalf("early receipt: found %v, %v", found, err)
	}
	if err := db.Record(ctx, []scheduler.Outcome{
		{ID: claimed[0].ID, State: scheduler.Sent, ProviderID: "zmsg-1", At: t0.Add(2 * time.Second)},
		{ID: claimed[1].ID, State: scheduler.Dead, Error: "502", At: t0.Add(2 * time.Second)},
	}); err != nil {
		t.Fatal(err)
	}
	var delivered sql.NullString
	db.read.QueryRowContext(ctx, `SELECT delivered_at FROM deliveries WHERE id = ?`, claimed[0].ID).Scan(&delivered)
	if !delivered.Valid {
		t.Error("the early receipt was lost")
	}
	var waiting int
	db.read.QueryRowContext(ctx, `SELECT count(*) FROM receipts`).Scan(&waiting)
	if waiting != 0 {
		t.Errorf("%d receipts still waiting after they were applied", waiting)
	}
	if n, err := db.Resend(ctx, runs[0].ID, scheduler.Dead, "officer", t0.Add(time.Hour)); err != nil || n != 1 {
		t.Fatalf("resend dead: %d, %v", n, err)
	}
	again, _ := db.Claim(ctx, content.Zalo, 5, t0.Add(time.Hour))
	if len(again) != 1 || again[0].ID != claimed[1].ID || again[0].Attempts != 1 {
		t.Errorf("after resend --dead: %+v; want the dead one with fresh attempts", again)
	}
	if _, err := db.Resend(ctx, runs[0].ID, scheduler.Sent, "officer", t0); err == nil {
		t.Error("sent deliveries were resent")
	}
}

func TestReplaceScheduleIsOneStep(t *testing.T) {
	ctx := context.Background()
	db := openTest(t)
	c, err := db.CreateCampaign(ctx, content.Builtin()[4].CampaignFor(2026), "o", t0)
	if err != nil {
		t.Fatal(err)
	}
	m, _, err := db.SaveDraft(ctx, c.ID, content.Draft{Key: "a", Title: "A", Variants: content.Variants{Zalo: "x"}}, "o", t0)
	if err != nil {
		t.Fatal(err)
	}
	sc := scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindCron, Spec: "0 19 * * 1", Channels: []content.Channel{content.Zalo}, Audience: "all", MessageIDs: []int64{m.ID}}
	id, err := db.AddSchedule(ctx, sc, "o", t0)
	if err != nil {
		t.Fatal(err)
	}
	// A replacement that cannot be inserted leaves the old schedule.
	bad := sc
	bad.MessageIDs = []int64{999}
	if _, err := db.ReplaceSchedule(ctx, id, bad, "o", t0); err == nil {
		t.Fatal("a schedule of a missing message was accepted")
	}
	if ss, _ := db.Schedules(ctx, scheduler.ScheduleFilter{CampaignID: c.ID}); len(ss) != 1 || ss[0].ID != id {
		t.Fatalf("after a failed replace: %+v", ss)
	}
	sc.Spec = "30 18 * * 1"
	newID, err := db.ReplaceSchedule(ctx, id, sc, "o", t0)
	if err != nil {
		t.Fatal(err)
	}
	if ss, _ := db.Schedules(ctx, scheduler.ScheduleFilter{CampaignID: c.ID}); len(ss) != 1 || ss[0].ID != newID || ss[0].Spec != "30 18 * * 1" {
		t.Errorf("after replace: %+v", ss)
	}
	if _, err := db.ReplaceSchedule(ctx, id, sc, "o", t0); !errors.Is(err, ErrNotFound) {
		t.Errorf("replacing a removed schedule: %v", err)
	}
}
