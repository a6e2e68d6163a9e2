// Package demo holds a realistic 2026 content set for phường Lưu Kiếm
// (Hải Phòng), written from the ward's gender-equality plan: messages for
// every observance with all four variants, in a mix of approval states, and
// the year's slogan lists. `loa demo seed` loads it through the same importer
// a comms officer uses, so the demo exercises the real checks.
package demo

import (
	"bytes"
	"context"
	"embed"
	"encoding/csv"
	"fmt"
	"io"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"testing/fstest"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/scheduler"
	"github.com/loa-ward/loa/store"
)

//go:embed content
var files embed.FS

//go:embed slogans.csv
var slogansCSV []byte

// Year is the year of the demo content.
const Year = 2026

// states are where the demo leaves some messages; the rest are approved.
var states = map[string]struct {
	state  content.State
	reason string
}{
	"action-month/2026/tong-ket-thang-hanh-dong": {state: content.StateSubmitted},
	"action-month/2026/bao-luc-hoc-duong":        {state: content.StateSubmitted}, // waiting for the schools' part
	"vn-womens-day/2026/chuyen-doi-so":           {state: content.StateDraft},
	"dv-month/2026/to-giac-bao-luc":              {state: content.StateDraft},
	"womens-day/2026/phu-nu-lanh-dao": {state: content.StateRejected,
		reason: "Bổ sung số liệu cán bộ nữ của phường trước khi gửi."},
}

// Result says what Seed did.
type Result struct {
	Campaigns []content.Campaign // created
	Import    editorial.ImportReport
	Moved     int // messages moved to their demo state
	Slogans   int // slogans added
	Accounts  int // demo accounts added
	Skipped   []string
}

// Seed loads the demo into desk's database: the 2026 campaigns, the messages
// of every enabled observance, their approval states and the slogan lists.
// Seeding twice changes nothing the second time.
func Seed(ctx context.Context, db *store.DB, desk *editorial.Desk, now time.Time) (Result, error) {
	var r Result
	var err error
	if r.Accounts, err = seedAccounts(ctx, db, now); err != nil {
		return r, err
	}
	if r.Campaigns, err = desk.CreateYear(ctx, Year, Officer, now); err != nil {
		return r, err
	}
	fsys, skipped, err := enabledFiles(desk)
	if err != nil {
		return r, err
	}
	r.Skipped = skipped
	if r.Import, err = desk.Import(ctx, fsys, "demo", Officer, now); err != nil {
		return r, err
	}
	if len(r.Import.Errors) > 0 {
		return r, fmt.Errorf("demo content does not pass the checks: %v", r.Import.Errors[0])
	}
	if r.Moved, err = applyStates(ctx, db, now); err != nil {
		return r, err
	}
	slogans, err := Slogans()
	if err != nil {
		return r, err
	}
	var enabled []banner.Slogan
	for _, s := range slogans {
		if o, ok := desk.Observance(s.Observance); ok && o.Enabled {
			enabled = append(enabled, s)
		}
	}
	if r.Slogans, err = db.AddSlogans(ctx, enabled, Officer, now); err != nil {
		return r, err
	}
	if len(r.Campaigns) > 0 { // a fresh seed: residents and the radio rota too
		if err := seedAudience(ctx, db, now); err != nil {
			return r, err
		}
	}
	return r, nil
}

// seedAudience adds demo residents (clearly named demo-…, consent source
// "demo") and the action month's loudspeaker rota: the approved scripts in
// turn at 05:30 and 17:00, for the radio operator to air.
func seedAudience(ctx context.Context, db *store.DB, now time.Time) error {
	var subs []residents.Subscriber
	for i := 1; i <= 40; i++ {
		topics := content.Topics
		if i%4 == 0 {
			topics = []content.Topic{content.TopicFamily}
		}
		subs = append(subs, residents.Subscriber{Channel: content.Zalo, ExternalID: ZaloID(i), Topics: topics, ConsentAt: now, ConsentSource: "demo"})
		if i <= len(TelegramIDs()) {
			subs = append(subs, residents.Subscriber{Channel: content.Telegram, ExternalID: fmt.Sprint(TelegramIDs()[i-1]), Topics: topics, ConsentAt: now, ConsentSource: "demo"})
		}
	}
	if err := db.AddSubscribers(ctx, subs, "demo", now); err != nil {
		return err
	}
	c, err := db.Campaign(ctx, "action-month", Year)
	if err != nil {
		return nil // the action month is disabled here
	}
	ms, err := db.Messages(ctx, content.MessageFilter{CampaignID: c.ID, State: content.StateApproved})
	if err != nil || len(ms) == 0 {
		return err
	}
	scs, err := db.Schedules(ctx, scheduler.ScheduleFilter{CampaignID: c.ID})
	if err != nil {
		return err
	}
	closing := scheduler.Closings(scs, c) // after the month: never in the rota mid-month
	var ids []int64
	for _, m := range ms {
		if !closing[m.ID] {
			ids = append(ids, m.ID)
		}
	}
	// The default radio slots (loudspeaker.slots), each cycling through the scripts.
	for _, spec := range []string{"30 5 * * *", "0 17 * * *"} {
		if _, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindRotation, Spec: spec,
			Channels: []content.Channel{content.Loudspeaker}, Audience: "all", MessageIDs: ids}, Officer, now); err != nil {
			return err
		}
	}
	return nil
}

// ZaloID is the n-th demo resident's Zalo user id (n from 1 to 40); `loa dev
// zalo-server` knows the same followers.
func ZaloID(n int) string { return fmt.Sprintf("84000000%04d", n) }

// TelegramIDs are the demo residents' Telegram chat ids; `loa dev
// telegram-server` registers the same ones, so a demo can send to them.
func TelegramIDs() []int64 {
	ids := make([]int64, 24)
	for i := range ids {
		ids[i] = 7100000001 + int64(i)
	}
	return ids
}

// TestPost schedules the action month's opening message on Telegram and Zalo
// at the start of the next minute, so a demo shows a post going out. It
// returns the schedule and its time.
func TestPost(ctx context.Context, db *store.DB, now time.Time) (int64, time.Time, error) {
	c, err := db.Campaign(ctx, "action-month", Year)
	if err != nil {
		return 0, time.Time{}, err
	}
	ms, err := db.MessagesByKey(ctx, "phat-dong")
	if err != nil || len(ms) == 0 {
		return 0, time.Time{}, fmt.Errorf("demo test post: the demo message phat-dong is missing: %v", err)
	}
	at := now.In(content.Zone).Truncate(time.Minute).Add(time.Minute)
	id, err := db.AddSchedule(ctx, scheduler.Schedule{CampaignID: c.ID, Kind: scheduler.KindAt, Spec: at.Format("2006-01-02 15:04"),
		Channels: []content.Channel{content.Telegram, content.Zalo}, Audience: "all", MessageIDs: []int64{ms[0].ID}}, Officer, now)
	return id, at, err
}

// enabledFiles returns the demo files of enabled observances, and the
// observances left out.
func enabledFiles(desk *editorial.Desk) (fs.FS, []string, error) {
	out := fstest.MapFS{}
	var skipped []string
	dirs, err := fs.ReadDir(files, "content")
	if err != nil {
		return nil, nil, err
	}
	for _, d := range dirs {
		key := strings.TrimSuffix(d.Name(), "-"+strconv.Itoa(Year))
		if o, ok := desk.Observance(key); !ok || !o.Enabled {
			skipped = append(skipped, key)
			continue
		}
		entries, err := fs.ReadDir(files, path.Join("content", d.Name()))
		if err != nil {
			return nil, nil, err
		}
		for _, e := range entries {
			p := path.Join(d.Name(), e.Name())
			data, err := fs.ReadFile(files, path.Join("content", p))
			if err != nil {
				return nil, nil, err
			}
			out[p] = &fstest.MapFile{Data: data}
		}
	}
	return out, skipped, nil
}

// applyStates approves every fresh demo message except those states names,
// which it leaves as drafts, submits or rejects. Messages a person has
// already moved on are left alone.
func applyStates(ctx context.Context, db *store.DB, now time.Time) (int, error) {
	ms, err := db.Messages(ctx, content.MessageFilter{Year: Year})
	if err != nil {
		return 0, err
	}
	moved := 0
	for _, m := range ms {
		if m.State != content.StateDraft || m.Version != 1 {
			continue
		}
		want, ok := states[m.Campaign+"/"+m.Key]
		if !ok {
			want.state = content.StateApproved
		}
		steps := map[content.State][]content.Action{
			content.StateDraft:     nil,
			content.StateSubmitted: {content.ActSubmit},
			content.StateApproved:  {content.ActSubmit, content.ActApprove},
			content.StateRejected:  {content.ActSubmit, content.ActReject},
		}[want.state]
		for _, act := range steps {
			actor := Officer
			if act == content.ActApprove || act == content.ActReject {
				actor = Leader
			}
			if _, err := db.Transition(ctx, m.ID, act, actor, want.reason, now); err != nil {
				return moved, fmt.Errorf("demo state of %s: %w", m.Key, err)
			}
		}
		if len(steps) > 0 {
			moved++
		}
	}
	return moved, nil
}

// Slogans returns the demo slogan lists.
func Slogans() ([]banner.Slogan, error) {
	r := csv.NewReader(bytes.NewReader(slogansCSV))
	r.FieldsPerRecord = 5
	var out []banner.Slogan
	for line := 1; ; line++ {
		rec, err := r.Read()
		if err == io.EOF {
			return out, nil
		}
		if err != nil {
			return nil, fmt.Errorf("demo slogans: %w", err)
		}
		if line == 1 {
			continue // header
		}
		year, err := strconv.Atoi(rec[0])
		if err != nil {
			return nil, fmt.Errorf("demo slogans line %d: year %q", line, rec[0])
		}
		out = append(out, banner.Slogan{Year: year, Observance: rec[1], Document: rec[2], Group: rec[3], Text: content.Normalize(rec[4])})
	}
}
