package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

// Import saves every item in one transaction: all of them, or none when one
// fails.
func (db *DB) Import(ctx context.Context, items []scheduler.ImportItem, actor string, now time.Time) (scheduler.ImportResult, error) {
	var r scheduler.ImportResult
	err := db.tx(ctx, func(tx *sql.Tx) error {
		r = scheduler.ImportResult{}
		ids := map[string]int64{}
		for _, it := range items {
			key := it.Campaign.Key()
			id, ok := ids[key]
			if !ok {
				err := tx.QueryRowContext(ctx, `SELECT id FROM campaigns WHERE observance_key = ? AND year = ?`,
					it.Campaign.ObservanceKey, it.Campaign.Year).Scan(&id)
				if errors.Is(err, sql.ErrNoRows) {
					if id, err = insertCampaign(ctx, tx, it.Campaign, 0, now); err == nil {
						err = audit(ctx, tx, now, actor, "create", "campaign", id, key+" (import)")
					}
					r.Campaigns++
				}
				if err != nil {
					return fmt.Errorf("import into %s: %w", key, err)
				}
				ids[key] = id
			}
			_, err := messageWhere(ctx, tx, `m.campaign_id = ? AND m.key = ?`, id, it.Draft.Key)
			existed := err == nil
			m, changed, err := saveDraft(ctx, tx, id, it.Draft, actor, now)
			if err != nil {
				return fmt.Errorf("import %s/%s: %w", key, it.Draft.Key, err)
			}
			added, removed, err := syncFileSchedules(ctx, tx, id, m.ID, it.Schedules, actor, now)
			if err != nil {
				return fmt.Errorf("import %s/%s: %w", key, it.Draft.Key, err)
			}
			r.SchedulesAdded += added
			r.SchedulesRemoved += removed
			switch {
			case !existed:
				r.Created++
			case changed:
				r.Updated++
			default:
				r.Unchanged++
			}
		}
		return nil
	})
	return r, err
}

// CopyCampaign creates campaign to (another year of the same observance) from
// campaign from: every message that is not archived becomes a draft of the new
// campaign with the newest text (a new year's content is approved anew), and
// every schedule is copied with fixed dates moved by the same distance from
// the window's start. It returns the new campaign and how many messages and
// schedules it copied.
func (db *DB) CopyCampaign(ctx context.Context, from, to content.Campaign, actor string, now time.Time) (content.Campaign, int, int, error) {
	var messages, schedules int
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if to.ID, err = insertCampaign(ctx, tx, to, from.ID, now); err != nil {
			return err
		}
		if err := audit(ctx, tx, now, actor, "copy", "campaign", to.ID, "from "+from.Key()); err != nil {
			return err
		}
		ms, err := messagesWhere(ctx, tx, `m.campaign_id = ? AND m.state != 'archived' ORDER BY m.id`, from.ID)
		if err != nil {
			return err
		}
		newID := map[int64]int64{}
		for _, m := range ms {
			copied, _, err := saveDraft(ctx, tx, to.ID, m.Draft, actor, now)
			if err != nil {
				return fmt.Errorf("copy message %s: %w", m.Key, err)
			}
			newID[m.ID] = copied.ID
			if err := audit(ctx, tx, now, actor, "copy", "message", copied.ID,
				fmt.Sprintf("from message %d v%d (%s)", m.ID, m.Version, from.Key())); err != nil {
				return err
			}
		}
		schedules, err = copySchedules(ctx, tx, from, to, newID, now)
		messages = len(ms)
		return err
	})
	return to, messages, schedules, err
}

func copySchedules(ctx context.Context, tx *sql.Tx, from, to content.Campaign, newID map[int64]int64, now time.Time) (int, error) {
	rows, err := tx.QueryContext(ctx, `SELECT id, kind, spec, channels, audience, mode, grace_seconds, quiet_hours, source, created_by
		FROM schedules WHERE campaign_id = ? AND removed_at IS NULL ORDER BY id`, from.ID)
	if err != nil {
		return 0, fmt.Errorf("copy schedules: %w", err)
	}
	type schedule struct {
		id                                                          int64
		kind, spec, channels, audience, mode, quiet, source, author string
		grace                                                       sql.NullInt64
	}
	var ss []schedule
	for rows.Next() {
		var s schedule
		if err := rows.Scan(&s.id, &s.kind, &s.spec, &s.channels, &s.audience, &s.mode, &s.grace, &s.quiet, &s.source, &s.author); err != nil {
			rows.Close()
			return 0, fmt.Errorf("copy schedules: %w", err)
		}
		ss = append(ss, s)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, fmt.Errorf("copy schedules: %w", err)
	}
	for _, s := range ss {
		spec := s.spec
		if s.kind == "at" {
			if spec, err = shiftAt(s.spec, from, to); err != nil {
				return 0, fmt.Errorf("copy schedule %d: %w", s.id, err)
			}
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO schedules (campaign_id, kind, spec, channels, audience, mode, grace_seconds, quiet_hours, source, created_by, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, to.ID, s.kind, spec, s.channels, s.audience, s.mode, s.grace, s.quiet, s.source, s.author, ts(now))
		if err != nil {
			return 0, fmt.Errorf("copy schedule %d: %w", s.id, err)
		}
		id, _ := res.LastInsertId()
		if err := copyScheduleMessages(ctx, tx, s.id, id, newID); err != nil {
			return 0, fmt.Errorf("copy schedule %d: %w", s.id, err)
		}
	}
	return len(ss), nil
}

// shiftAt moves a fixed local time "2006-01-02 15:04" from one campaign's
// window to the other's.
func shiftAt(spec string, from, to content.Campaign) (string, error) {
	t, err := time.ParseInLocation("2006-01-02 15:04", spec, content.Zone)
	if err != nil {
		return "", fmt.Errorf("fixed time %q: %w", spec, err)
	}
	d := content.Shift(content.DateOf(t), from, to)
	return d.String() + t.Format(" 15:04"), nil
}

// copyScheduleMessages gives schedule to the messages of schedule from,
// each replaced by its copy. A message that was not copied (archived) is left
// out of the new rotation.
func copyScheduleMessages(ctx context.Context, tx *sql.Tx, from, to int64, newID map[int64]int64) error {
	rows, err := tx.QueryContext(ctx, `SELECT message_id FROM schedule_messages WHERE schedule_id = ? ORDER BY position`, from)
	if err != nil {
		return err
	}
	var ids []int64
	for rows.Next() {
		var id int64
		if err := rows.Scan(&id); err != nil {
			rows.Close()
			return err
		}
		if nu, ok := newID[id]; ok {
			ids = append(ids, nu)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return err
	}
	for i, id := range ids {
		if _, err := tx.ExecContext(ctx, `INSERT INTO schedule_messages (schedule_id, position, message_id) VALUES (?, ?, ?)`, to, i+1, id); err != nil {
			return err
		}
	}
	return nil
}

// syncFileSchedules makes the file-defined schedules of message equal want:
// identical ones stay (their runs too), others are removed (their runs not
// yet started cancelled) and new ones added.
func syncFileSchedules(ctx context.Context, tx *sql.Tx, campaignID, messageID int64, want []scheduler.Schedule, actor string, now time.Time) (added, removed int, err error) {
	rows, err := tx.QueryContext(ctx, `SELECT s.id, s.kind, s.spec, s.channels, s.audience, s.mode, coalesce(s.grace_seconds, 0), s.quiet_hours
		FROM schedules s JOIN schedule_messages sm ON sm.schedule_id = s.id
		WHERE s.source = 'file' AND s.removed_at IS NULL AND sm.message_id = ?`, messageID)
	if err != nil {
		return 0, 0, err
	}
	have := map[string]int64{}
	for rows.Next() {
		var id, grace int64
		var kind, spec, channels, audience, mode, quiet string
		if err := rows.Scan(&id, &kind, &spec, &channels, &audience, &mode, &grace, &quiet); err != nil {
			rows.Close()
			return 0, 0, err
		}
		have[signature(kind, spec, channels, audience, mode, grace, quiet)] = id
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return 0, 0, err
	}
	for _, sc := range want {
		sig := signature(string(sc.Kind), sc.Spec, joinList(sc.Channels), sc.Audience, sc.Mode, int64(sc.Grace/time.Second), sc.Quiet)
		if _, ok := have[sig]; ok {
			delete(have, sig)
			continue
		}
		sc.CampaignID, sc.MessageIDs, sc.Source = campaignID, []int64{messageID}, "file"
		id, err := insertSchedule(ctx, tx, sc, actor, now)
		if err != nil {
			return added, removed, err
		}
		if err := audit(ctx, tx, now, actor, "create", "schedule", id, fmt.Sprintf("%s %s (file)", sc.Kind, sc.Spec)); err != nil {
			return added, removed, err
		}
		added++
	}
	for _, id := range have { // in the database, no longer in the file
		if _, err := tx.ExecContext(ctx, `UPDATE schedules SET removed_at = ? WHERE id = ?`, ts(now), id); err != nil {
			return added, removed, err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET state = 'cancelled', note = 'lịch gửi đã bỏ khỏi tệp', finished_at = ?
			WHERE schedule_id = ? AND state IN ('planned', 'held')`, ts(now), id); err != nil {
			return added, removed, err
		}
		if err := audit(ctx, tx, now, actor, "remove", "schedule", id, "removed from the file"); err != nil {
			return added, removed, err
		}
		removed++
	}
	return added, removed, nil
}

func signature(kind, spec, channels, audience, mode string, grace int64, quiet string) string {
	return strings.Join([]string{kind, spec, channels, audience, mode, strconv.FormatInt(grace, 10), quiet}, "\x00")
}
