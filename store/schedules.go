package store

import (
	"cmp"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

// AddSchedule stores sc (its MessageIDs in order) and returns its ID.
func (db *DB) AddSchedule(ctx context.Context, sc scheduler.Schedule, actor string, now time.Time) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		id, err = insertSchedule(ctx, tx, sc, actor, now)
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "create", "schedule", id, fmt.Sprintf("%s %s → %s", sc.Kind, sc.Spec, joinList(sc.Channels)))
	})
	return id, err
}

func insertSchedule(ctx context.Context, tx *sql.Tx, sc scheduler.Schedule, actor string, now time.Time) (int64, error) {
	grace := sql.NullInt64{Int64: int64(sc.Grace / time.Second), Valid: sc.Grace > 0}
	res, err := tx.ExecContext(ctx, `INSERT INTO schedules (campaign_id, kind, spec, channels, audience, mode, grace_seconds, quiet_hours, source, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		sc.CampaignID, sc.Kind, sc.Spec, joinList(sc.Channels), sc.Audience, sc.Mode, grace, sc.Quiet, cmpOr(sc.Source, "cli"), actor, ts(now))
	if err != nil {
		return 0, fmt.Errorf("add schedule: %w", err)
	}
	id, _ := res.LastInsertId()
	for i, m := range sc.MessageIDs {
		if _, err := tx.ExecContext(ctx, `INSERT INTO schedule_messages (schedule_id, position, message_id) VALUES (?, ?, ?)`, id, i+1, m); err != nil {
			return 0, fmt.Errorf("add schedule: message %d: %w", m, err)
		}
	}
	return id, nil
}

func cmpOr(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// joinList stores a list of names as "a,b,c".
func joinList[T ~string](xs []T) string {
	ss := make([]string, len(xs))
	for i, x := range xs {
		ss[i] = string(x)
	}
	return strings.Join(ss, ",")
}

// splitList reads a list stored by joinList.
func splitList[T ~string](s string) []T {
	var out []T
	for _, x := range strings.Split(s, ",") {
		if x != "" {
			out = append(out, T(x))
		}
	}
	return out
}

// RemoveSchedule removes schedule id: its runs not yet started are
// cancelled; runs that went out keep their ledger.
func (db *DB) RemoveSchedule(ctx context.Context, id int64, actor string, now time.Time) (cancelled int, err error) {
	err = db.tx(ctx, func(tx *sql.Tx) error {
		if cancelled, err = removeSchedule(ctx, tx, id, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "remove", "schedule", id, fmt.Sprintf("%d runs cancelled", cancelled))
	})
	return cancelled, err
}

// ReplaceSchedule puts sc in the place of schedule old in one transaction:
// old is removed (its runs not started are cancelled) and sc added, or
// neither. It returns sc's id.
func (db *DB) ReplaceSchedule(ctx context.Context, old int64, sc scheduler.Schedule, actor string, now time.Time) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		cancelled, err := removeSchedule(ctx, tx, old, now)
		if err != nil {
			return err
		}
		if id, err = insertSchedule(ctx, tx, sc, actor, now); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "edit", "schedule", id, fmt.Sprintf("replaces #%d (%d runs cancelled): %s %s → %s", old, cancelled, sc.Kind, sc.Spec, joinList(sc.Channels)))
	})
	return id, err
}

// removeSchedule marks schedule id removed and cancels its runs not
// started; it returns how many it cancelled.
func removeSchedule(ctx context.Context, tx *sql.Tx, id int64, now time.Time) (int, error) {
	res, err := tx.ExecContext(ctx, `UPDATE schedules SET removed_at = ? WHERE id = ? AND removed_at IS NULL`, ts(now), id)
	if err != nil {
		return 0, err
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return 0, fmt.Errorf("schedule %d: %w", id, ErrNotFound)
	}
	res, err = tx.ExecContext(ctx, `UPDATE runs SET state = 'cancelled', note = 'lịch gửi đã bỏ', finished_at = ?
		WHERE schedule_id = ? AND state IN ('planned', 'held')`, ts(now), id)
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

const scheduleColumns = `s.id, s.campaign_id, s.kind, s.spec, s.quiet_hours, s.channels, s.audience, s.mode, coalesce(s.grace_seconds, 0),
	s.source, coalesce(s.planned_until, ''), s.created_at`

// Schedules returns the schedules f selects that are not removed.
func (db *DB) Schedules(ctx context.Context, f scheduler.ScheduleFilter) ([]scheduler.ScheduleRow, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+scheduleColumns+`, c.observance_key, c.year FROM schedules s
		JOIN campaigns c ON c.id = s.campaign_id
		WHERE s.removed_at IS NULL AND (? = 0 OR c.year = ?) AND (? = 0 OR s.campaign_id = ?)
		  AND (? = 0 OR EXISTS (SELECT 1 FROM schedule_messages sm WHERE sm.schedule_id = s.id AND sm.message_id = ?))
		ORDER BY c.starts_on, s.id`, f.Year, f.Year, f.CampaignID, f.CampaignID, f.MessageID, f.MessageID)
	if err != nil {
		return nil, fmt.Errorf("list schedules: %w", err)
	}
	var out []scheduler.ScheduleRow
	for rows.Next() {
		var r scheduler.ScheduleRow
		var obs string
		var year int
		var channels, planned, created string
		var grace int64
		sc := &r.Schedule
		if err := rows.Scan(&sc.ID, &sc.CampaignID, &sc.Kind, &sc.Spec, &sc.Quiet, &channels, &sc.Audience, &sc.Mode, &grace, &sc.Source, &planned, &created, &obs, &year); err != nil {
			rows.Close()
			return nil, fmt.Errorf("list schedules: %w", err)
		}
		sc.Channels = splitList[content.Channel](channels)
		sc.Grace = time.Duration(grace) * time.Second
		sc.CreatedAt = parseTS(created)
		if planned != "" {
			sc.PlannedUntil = parseTS(planned)
		}
		r.Campaign = content.CampaignKey(obs, year)
		out = append(out, r)
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, err
	}
	for i := range out {
		if err := db.scheduleMessages(ctx, db.read, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func (db *DB) scheduleMessages(ctx context.Context, q queryer, r *scheduler.ScheduleRow) error {
	rows, err := q.QueryContext(ctx, `SELECT sm.message_id, m.key FROM schedule_messages sm JOIN messages m ON m.id = sm.message_id
		WHERE sm.schedule_id = ? ORDER BY sm.position`, r.ID)
	if err != nil {
		return fmt.Errorf("schedule %d messages: %w", r.ID, err)
	}
	defer rows.Close()
	r.MessageIDs, r.MessageKeys = nil, nil
	for rows.Next() {
		var id int64
		var key string
		if err := rows.Scan(&id, &key); err != nil {
			return err
		}
		r.MessageIDs = append(r.MessageIDs, id)
		r.MessageKeys = append(r.MessageKeys, key)
	}
	return rows.Err()
}

// SchedulesToPlan implements scheduler.PlanStore.
func (db *DB) SchedulesToPlan(ctx context.Context) ([]scheduler.PlanItem, error) {
	rows, err := db.Schedules(ctx, scheduler.ScheduleFilter{})
	if err != nil {
		return nil, err
	}
	campaigns := map[int64]content.Campaign{}
	out := make([]scheduler.PlanItem, 0, len(rows))
	for _, r := range rows {
		c, ok := campaigns[r.CampaignID]
		if !ok {
			c, err = scanCampaign(db.read.QueryRowContext(ctx, `SELECT `+campaignColumns+` FROM campaigns WHERE id = ?`, r.CampaignID))
			if err != nil {
				return nil, fmt.Errorf("campaign %d: %w", r.CampaignID, err)
			}
			campaigns[r.CampaignID] = c
		}
		out = append(out, scheduler.PlanItem{Schedule: r.Schedule, Campaign: c})
	}
	return out, nil
}

// PlanRuns implements scheduler.PlanStore.
func (db *DB) PlanRuns(ctx context.Context, scheduleID int64, runs []scheduler.NewRun, until, now time.Time) (int, error) {
	inserted := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		inserted = 0
		for _, r := range runs {
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO runs (schedule_id, due_at, message_id, state) VALUES (?, ?, ?, 'planned')`,
				scheduleID, ts(r.DueAt), r.MessageID)
			if err != nil {
				return fmt.Errorf("plan run of schedule %d at %s: %w", scheduleID, r.DueAt, err)
			}
			n, _ := res.RowsAffected()
			inserted += int(n)
		}
		_, err := tx.ExecContext(ctx, `UPDATE schedules SET planned_until = ? WHERE id = ?`, ts(until), scheduleID)
		return err
	})
	return inserted, err
}

const runSelect = `
	SELECT r.id, r.schedule_id, s.campaign_id, r.due_at, r.message_id, coalesce(r.version, 0), r.state, r.note, r.fanned_out,
		s.channels, s.audience, s.mode, coalesce(s.grace_seconds, 0),
		m.key, m.state, coalesce(m.approved_version, 0), s.removed_at IS NOT NULL
	FROM runs r
	JOIN schedules s ON s.id = r.schedule_id
	JOIN messages m ON m.id = r.message_id`

func scanDueRun(row interface{ Scan(...any) error }) (scheduler.DueRun, error) {
	var r scheduler.DueRun
	var due, channels string
	var grace int64
	err := row.Scan(&r.ID, &r.ScheduleID, &r.CampaignID, &due, &r.MessageID, &r.Version, &r.State, &r.Note, &r.FannedOut,
		&channels, &r.Audience, &r.Mode, &grace, &r.MessageKey, &r.MessageState, &r.ApprovedVersion, &r.ScheduleRemoved)
	r.DueAt = parseTS(due)
	r.Channels = splitList[content.Channel](channels)
	r.Grace = time.Duration(grace) * time.Second
	return r, err
}

func (db *DB) runsWhere(ctx context.Context, where string, args ...any) ([]scheduler.DueRun, error) {
	rows, err := db.read.QueryContext(ctx, runSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (scheduler.DueRun, error) { return scanDueRun(r) })
	if err != nil {
		return nil, fmt.Errorf("read runs: %w", err)
	}
	return out, nil
}

// DueRuns implements scheduler.PlanStore.
func (db *DB) DueRuns(ctx context.Context, now time.Time) ([]scheduler.DueRun, error) {
	return db.runsWhere(ctx, `(r.state IN ('planned', 'held') AND r.due_at <= ?) OR (r.state = 'running' AND r.fanned_out = 0)
		ORDER BY r.due_at, r.id`, ts(now))
}

// Substitute implements scheduler.PlanStore.
func (db *DB) Substitute(ctx context.Context, runID int64) (scheduler.DueRun, bool, error) {
	var scheduleID, messageID int64
	err := db.write.QueryRowContext(ctx, `SELECT r.schedule_id, r.message_id FROM runs r JOIN schedules s ON s.id = r.schedule_id
		WHERE r.id = ? AND s.kind = 'rotation' AND r.state IN ('planned', 'held')`, runID).Scan(&scheduleID, &messageID)
	if errors.Is(err, sql.ErrNoRows) {
		return scheduler.DueRun{}, false, nil
	}
	if err != nil {
		return scheduler.DueRun{}, false, fmt.Errorf("run %d: substitute: %w", runID, err)
	}
	next, ok, err := nextApproved(ctx, db.write, scheduleID, messageID)
	if err != nil || !ok {
		return scheduler.DueRun{}, false, err
	}
	if _, err := db.write.ExecContext(ctx, `UPDATE runs SET message_id = ? WHERE id = ?`, next, runID); err != nil {
		return scheduler.DueRun{}, false, fmt.Errorf("run %d: substitute: %w", runID, err)
	}
	runs, err := db.runsWhere(ctx, `r.id = ?`, runID)
	if err != nil || len(runs) != 1 {
		return scheduler.DueRun{}, false, cmp.Or(err, fmt.Errorf("run %d: gone after substitution", runID))
	}
	return runs[0], true, nil
}

// NextApproved is the message that would take messageID's turn in the
// rotation scheduleID if it is still not approved when due (Substitute),
// for previews; false when none is approved.
func (db *DB) NextApproved(ctx context.Context, scheduleID, messageID int64) (int64, bool, error) {
	return nextApproved(ctx, db.read, scheduleID, messageID)
}

// nextApproved is the first approved message after messageID, going round
// the rotation.
func nextApproved(ctx context.Context, q interface {
	QueryRowContext(context.Context, string, ...any) *sql.Row
}, scheduleID, messageID int64) (int64, bool, error) {
	var next int64
	err := q.QueryRowContext(ctx, `
		SELECT sm.message_id FROM schedule_messages sm JOIN messages m ON m.id = sm.message_id AND m.state = 'approved'
		WHERE sm.schedule_id = ?1 AND sm.message_id != ?2
		ORDER BY (sm.position - coalesce((SELECT min(position) FROM schedule_messages WHERE schedule_id = ?1 AND message_id = ?2), -1)
			+ (SELECT count(*) FROM schedule_messages WHERE schedule_id = ?1)) % (SELECT count(*) FROM schedule_messages WHERE schedule_id = ?1),
			sm.position
		LIMIT 1`, scheduleID, messageID).Scan(&next)
	if errors.Is(err, sql.ErrNoRows) {
		return 0, false, nil
	}
	if err != nil {
		return 0, false, fmt.Errorf("schedule %d: next approved message: %w", scheduleID, err)
	}
	return next, true, nil
}

// Runs returns the runs f selects, by due time.
func (db *DB) Runs(ctx context.Context, f scheduler.RunFilter) ([]scheduler.DueRun, error) {
	where := []string{"1 = 1"}
	var args []any
	if !f.From.IsZero() {
		where, args = append(where, "r.due_at >= ?"), append(args, ts(f.From))
	}
	if !f.To.IsZero() {
		where, args = append(where, "r.due_at < ?"), append(args, ts(f.To))
	}
	if f.ID != 0 {
		where, args = append(where, "r.id = ?"), append(args, f.ID)
	}
	if len(f.States) > 0 {
		marks := strings.TrimSuffix(strings.Repeat("?,", len(f.States)), ",")
		where = append(where, "r.state IN ("+marks+")")
		for _, s := range f.States {
			args = append(args, string(s))
		}
	}
	return db.runsWhere(ctx, strings.Join(where, " AND ")+" ORDER BY r.due_at, r.id", args...)
}

// UpdateRun implements scheduler.PlanStore.
func (db *DB) UpdateRun(ctx context.Context, id int64, state scheduler.RunState, version int, note string, now time.Time) error {
	final := state == scheduler.RunDone || state == scheduler.RunMissed || state == scheduler.RunCancelled
	_, err := db.write.ExecContext(ctx, `UPDATE runs SET state = ?, version = CASE WHEN ? > 0 THEN ? ELSE version END, note = ?,
			started_at = CASE WHEN ? = 'running' THEN ? ELSE started_at END,
			finished_at = CASE WHEN ? THEN ? ELSE finished_at END
		WHERE id = ?`, state, version, version, note, state, ts(now), final, ts(now), id)
	if err != nil {
		return fmt.Errorf("run %d → %s: %w", id, state, err)
	}
	return nil
}

// MarkFannedOut implements scheduler.PlanStore.
func (db *DB) MarkFannedOut(ctx context.Context, runID int64, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE runs SET fanned_out = 1 WHERE id = ?`, runID)
	return err
}

// FinishRuns implements scheduler.PlanStore.
func (db *DB) FinishRuns(ctx context.Context, now time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE runs SET state = 'done', finished_at = ?
		WHERE state = 'running' AND fanned_out = 1
		  AND NOT EXISTS (SELECT 1 FROM deliveries d WHERE d.run_id = runs.id AND d.state IN ('queued', 'sending'))`, ts(now))
	if err != nil {
		return 0, fmt.Errorf("finish runs: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// RunContent implements scheduler.PlanStore.
func (db *DB) RunContent(ctx context.Context, runID int64) (scheduler.RunContent, error) {
	var rc scheduler.RunContent
	var due, at string
	v := &rc.Version
	vs := &v.Variants
	row := db.read.QueryRowContext(ctx, `
		SELECT r.due_at, s.mode, `+prefixed("c", campaignColumns)+`,
			v.message_id, v.version, m.key, v.title, v.topic, v.image, v.telegram, v.zalo, v.loudspeaker, v.banner, v.created_by, v.created_at
		FROM runs r
		JOIN schedules s ON s.id = r.schedule_id
		JOIN messages m ON m.id = r.message_id
		JOIN campaigns c ON c.id = m.campaign_id
		JOIN message_versions v ON v.message_id = r.message_id AND v.version = coalesce(r.version, m.approved_version, m.version)
		WHERE r.id = ?`, runID)
	var c content.Campaign
	var starts, ends, from, to string
	err := row.Scan(&due, &rc.Mode, &c.ID, &c.ObservanceKey, &c.Year, &c.Name, &starts, &ends, &from, &to,
		&v.MessageID, &v.Number, &v.Key, &v.Title, &v.Topic, &v.Image, &vs.Telegram, &vs.Zalo, &vs.Loudspeaker, &vs.Banner, &v.CreatedBy, &at)
	if errors.Is(err, sql.ErrNoRows) {
		return rc, fmt.Errorf("run %d: %w", runID, ErrNotFound)
	}
	if err != nil {
		return rc, fmt.Errorf("run %d content: %w", runID, err)
	}
	c.Starts, _ = content.ParseDate(starts)
	c.Ends, _ = content.ParseDate(ends)
	c.From, _ = content.ParseDate(from)
	c.To, _ = content.ParseDate(to)
	rc.DueAt, rc.Campaign, v.CreatedAt = parseTS(due), c, parseTS(at)
	return rc, nil
}

func prefixed(table, columns string) string {
	parts := strings.Split(columns, ",")
	for i, p := range parts {
		parts[i] = table + "." + strings.TrimSpace(p)
	}
	return strings.Join(parts, ", ")
}
