package store

import (
	"context"
	"database/sql"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

var _ scheduler.Store = (*DB)(nil)

// fanOutFilter selects a batch's subscribers: channel, consent, not blocked,
// topic, after a rowid; the caller adds the kind of address (a user id, or a
// phone number for ZNS). The unary + keeps SQLite from choosing the (channel,
// external_id) index, which would sort the whole channel for every batch;
// walking the rowid range keeps fan-out linear.
const fanOutFilter = `+channel = ? AND consent_at IS NOT NULL AND blocked_at IS NULL
	AND (? = '' OR ',' || topics || ',' LIKE '%,' || ? || ',%') AND id > ?`

// FanOut implements scheduler.PlanStore. Subscribers are read and written in
// SQL, batch by batch, so no recipient list is ever held in memory.
func (db *DB) FanOut(ctx context.Context, runID int64, ch content.Channel, aud scheduler.Audience, assignee string, batch int, now time.Time) (int, error) {
	insert := func(tx *sql.Tx, recipient, state, assignee string) (int64, error) {
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO deliveries (run_id, channel, recipient, state, assignee, updated_at)
			VALUES (?, ?, ?, ?, ?, ?)`, runID, ch, recipient, state, assignee, ts(now))
		if err != nil {
			return 0, err
		}
		return res.RowsAffected()
	}
	if assignee != "" { // a person completes it
		var n int64
		err := db.tx(ctx, func(tx *sql.Tx) (err error) {
			n, err = insert(tx, assignee, string(scheduler.Assigned), assignee)
			return err
		})
		return int(n), err
	}
	if len(aud.Chats) > 0 {
		var total int64
		err := db.tx(ctx, func(tx *sql.Tx) error {
			for _, chat := range aud.Chats {
				n, err := insert(tx, chat, string(scheduler.Queued), "")
				if err != nil {
					return err
				}
				total += n
			}
			return nil
		})
		return int(total), err
	}
	const filter = fanOutFilter
	// Recipients are typed: a phone number is not a user id. ZNS reaches the
	// numbers, every other mode only the platform's own ids.
	address := "address = 'user'"
	if aud.ByPhone {
		address = "phone != ''"
	}
	total, after := 0, int64(0)
	for {
		var last sql.NullInt64
		err := db.tx(ctx, func(tx *sql.Tx) error {
			err := tx.QueryRowContext(ctx, `SELECT max(id) FROM (SELECT id FROM subscribers WHERE `+filter+` AND `+address+` ORDER BY id LIMIT ?)`,
				ch, aud.Topic, aud.Topic, after, batch).Scan(&last)
			if err != nil || !last.Valid {
				return err
			}
			recipient := "external_id"
			if aud.ByPhone {
				recipient = "phone"
			}
			res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO deliveries (run_id, channel, recipient, subscriber_id, state, updated_at)
				SELECT ?, ?, `+recipient+`, id, 'queued', ? FROM subscribers WHERE `+filter+` AND id <= ? AND `+address+` ORDER BY id`,
				runID, ch, ts(now), ch, aud.Topic, aud.Topic, after, last.Int64)
			if err != nil {
				return err
			}
			n, _ := res.RowsAffected()
			total += int(n)
			return nil
		})
		if err != nil {
			return total, fmt.Errorf("fan out run %d on %s: %w", runID, ch, err)
		}
		if !last.Valid {
			return total, nil
		}
		after = last.Int64
	}
}

// Assign implements scheduler.PlanStore.
func (db *DB) Assign(ctx context.Context, runID int64, ch content.Channel, recipient, assignee string, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `INSERT OR IGNORE INTO deliveries (run_id, channel, recipient, state, assignee, updated_at)
		VALUES (?, ?, ?, 'assigned', ?, ?)`, runID, ch, recipient, assignee, ts(now))
	return err
}

// RecoverSending turns deliveries left sending by a crash into unknown (the daemon calls it at start).
func (db *DB) RecoverSending(ctx context.Context, now time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE deliveries SET state = 'unknown', updated_at = ?,
		error = 'in flight when Loa stopped: it may or may not have gone out'
		WHERE state = 'sending'`, ts(now))
	if err != nil {
		return 0, fmt.Errorf("recover deliveries: %w", err)
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}

// Claim implements scheduler.Ledger.
func (db *DB) Claim(ctx context.Context, ch content.Channel, limit int, now time.Time) ([]scheduler.Claimed, error) {
	rows, err := db.write.QueryContext(ctx, `UPDATE deliveries SET state = 'sending', attempts = attempts + 1, updated_at = ?
		WHERE id IN (SELECT id FROM deliveries WHERE channel = ? AND state = 'queued'
			AND (next_attempt_at IS NULL OR next_attempt_at <= ?) ORDER BY id LIMIT ?)
		RETURNING id, run_id, recipient, attempts, parts_sent, provider_id`, ts(now), ch, ts(now), limit)
	if err != nil {
		return nil, fmt.Errorf("claim %s deliveries: %w", ch, err)
	}
	defer rows.Close()
	out := make([]scheduler.Claimed, 0, limit)
	for rows.Next() {
		c := scheduler.Claimed{Channel: ch}
		if err := rows.Scan(&c.ID, &c.RunID, &c.Recipient, &c.Attempts, &c.Progress.Parts, &c.Progress.IDs); err != nil {
			return nil, fmt.Errorf("claim %s deliveries: %w", ch, err)
		}
		out = append(out, c)
	}
	return out, rows.Err()
}

// recordChunk is how many outcomes one UPDATE … FROM (VALUES …) writes:
// 8 parameters each, well under SQLite's limit of 32,766.
const recordChunk = 400

// Record implements scheduler.Ledger. Outcomes are written a chunk per
// statement (one call into SQLite for hundreds of rows, not one each), all
// in one transaction. A queued outcome keeps the parts already sent and
// their ids; a sent one has every id.
func (db *DB) Record(ctx context.Context, outcomes []scheduler.Outcome) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for start := 0; start < len(outcomes); start += recordChunk {
			chunk := outcomes[start:min(start+recordChunk, len(outcomes))]
			args := make([]any, 0, 8*len(chunk))
			for _, o := range chunk {
				var next sql.NullString
				if o.State == scheduler.Queued {
					next = sql.NullString{String: ts(o.NextTry), Valid: true}
				}
				uncount := 0
				if o.RateLimit {
					uncount = 1 // waiting out a rate limit is not a failed attempt
				}
				provider := o.ProviderID
				if o.State != scheduler.Sent {
					provider = o.Progress.IDs
				}
				args = append(args, o.ID, string(o.State), provider, o.Error, next, uncount, ts(o.At), o.Progress.Parts)
			}
			values := strings.TrimSuffix(strings.Repeat("(?, ?, ?, ?, ?, ?, ?, ?),", len(chunk)), ",")
			if _, err := tx.ExecContext(ctx, `WITH o (id, state, provider, error, next, uncount, at, parts) AS (VALUES `+values+`)
				UPDATE deliveries SET state = o.state, error = o.error,
					provider_id = CASE WHEN o.state = 'sent' OR o.parts > 0 THEN o.provider ELSE deliveries.provider_id END,
					parts_sent = CASE WHEN o.parts > 0 THEN o.parts ELSE deliveries.parts_sent END,
					next_attempt_at = o.next, attempts = deliveries.attempts - o.uncount,
					sent_at = CASE WHEN o.state = 'sent' THEN o.at ELSE deliveries.sent_at END, updated_at = o.at
				FROM o WHERE deliveries.id = o.id AND deliveries.state = 'sending'`, args...); err != nil {
				return fmt.Errorf("record %d outcomes: %w", len(chunk), err)
			}
		}
		if err := applyReceipts(ctx, tx); err != nil {
			return err
		}
		for _, o := range outcomes {
			if o.State == scheduler.Blocked {
				if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET blocked_at = ?
					WHERE id = (SELECT subscriber_id FROM deliveries WHERE id = ?) AND blocked_at IS NULL`, ts(o.At), o.ID); err != nil {
					return fmt.Errorf("mark subscriber of delivery %d blocked: %w", o.ID, err)
				}
			}
		}
		return nil
	})
}

// NextAttempt implements scheduler.Ledger.
func (db *DB) NextAttempt(ctx context.Context, ch content.Channel) (time.Time, bool, error) {
	var now int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM (SELECT 1 FROM deliveries
		WHERE channel = ? AND state = 'queued' AND next_attempt_at IS NULL LIMIT 1)`, ch).Scan(&now)
	if err != nil || now > 0 {
		return time.Time{}, now > 0, err // never tried: due now
	}
	var next sql.NullString
	err = db.read.QueryRowContext(ctx, `SELECT min(next_attempt_at) FROM deliveries
		WHERE channel = ? AND state = 'queued' AND next_attempt_at IS NOT NULL`, ch).Scan(&next)
	if err != nil || !next.Valid {
		return time.Time{}, false, err
	}
	return parseTS(next.String), true, nil
}

// DeliveryCounts returns, per channel, how many deliveries of run (every run
// when 0) are in each state.
func (db *DB) DeliveryCounts(ctx context.Context, runID int64) (map[content.Channel]map[scheduler.DeliveryState]int, error) {
	// run_counts is kept by triggers on deliveries (migration 0009).
	rows, err := db.read.QueryContext(ctx, `SELECT channel, state, sum(n) FROM run_counts WHERE (? = 0 OR run_id = ?) AND n > 0
		GROUP BY channel, state`, runID, runID)
	if err != nil {
		return nil, fmt.Errorf("count deliveries: %w", err)
	}
	defer rows.Close()
	out := map[content.Channel]map[scheduler.DeliveryState]int{}
	for rows.Next() {
		var ch content.Channel
		var st scheduler.DeliveryState
		var n int
		if err := rows.Scan(&ch, &st, &n); err != nil {
			return nil, err
		}
		if out[ch] == nil {
			out[ch] = map[scheduler.DeliveryState]int{}
		}
		out[ch][st] = n
	}
	return out, rows.Err()
}

// RunCounts returns how many runs are in each state.
func (db *DB) RunCounts(ctx context.Context) (map[scheduler.RunState]int, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT state, count(*) FROM runs GROUP BY state`)
	if err != nil {
		return nil, fmt.Errorf("count runs: %w", err)
	}
	defer rows.Close()
	out := map[scheduler.RunState]int{}
	for rows.Next() {
		var st scheduler.RunState
		var n int
		if err := rows.Scan(&st, &n); err != nil {
			return nil, err
		}
		out[st] = n
	}
	return out, rows.Err()
}

// attention are the states of the partial index deliveries_attention, and
// attentionSQL its WHERE term exactly as migration 0009 writes it.
var attention = []scheduler.DeliveryState{scheduler.Failed, scheduler.Dead, scheduler.Blocked, scheduler.Unknown, scheduler.NotDone, scheduler.Assigned, scheduler.Done}

const attentionSQL = `d.state IN ('failed', 'dead', 'blocked', 'unknown', 'not_done', 'assigned', 'done')`

// Deliveries returns the deliveries f selects, oldest run first.
func (db *DB) Deliveries(ctx context.Context, f scheduler.DeliveryFilter) ([]scheduler.Delivery, error) {
	where := []string{"1 = 1"}
	var args []any
	if f.ID != 0 {
		where, args = append(where, "d.id = ?"), append(args, f.ID)
	}
	if f.RunID != 0 {
		where, args = append(where, "d.run_id = ?"), append(args, f.RunID)
	}
	if f.Assignee != "" {
		where, args = append(where, "d.assignee = ?"), append(args, f.Assignee)
	}
	if !f.DueTo.IsZero() {
		where, args = append(where, "r.due_at < ?"), append(args, ts(f.DueTo))
	}
	if !f.DueFrom.IsZero() {
		where, args = append(where, "r.due_at >= ?"), append(args, ts(f.DueFrom))
	}
	if f.Channel != "" {
		where, args = append(where, "d.channel = ?"), append(args, f.Channel)
	}
	if len(f.States) > 0 {
		// The states are written into the query (they are our own words,
		// checked here), so the planner can use the partial index
		// deliveries_attention, which bound parameters would hide.
		var quoted []string
		for _, s := range f.States {
			if !slices.Contains(scheduler.DeliveryStates, s) {
				return nil, fmt.Errorf("list deliveries: unknown state %q", s)
			}
			quoted = append(quoted, "'"+string(s)+"'")
		}
		where = append(where, "d.state IN ("+strings.Join(quoted, ", ")+")")
		if !slices.ContainsFunc(f.States, func(s scheduler.DeliveryState) bool { return !slices.Contains(attention, s) }) {
			where = append(where, attentionSQL) // the index's own term, so the planner knows it applies
		}
	}
	limit := f.Limit
	if limit <= 0 {
		limit = -1
	}
	args = append(args, limit)
	rows, err := db.read.QueryContext(ctx, `SELECT d.id, d.run_id, d.channel, d.recipient, d.state, d.attempts, d.provider_id, d.error,
			d.assignee, d.confirmed_by, d.note, coalesce(d.reach, 0), d.updated_at, r.due_at, m.key, v.title
		FROM deliveries d JOIN runs r ON r.id = d.run_id JOIN messages m ON m.id = r.message_id
		JOIN message_versions v ON v.message_id = m.id AND v.version = coalesce(r.version, m.version)
		WHERE `+strings.Join(where, " AND ")+` ORDER BY r.due_at, d.id LIMIT ?`, args...)
	if err != nil {
		return nil, fmt.Errorf("list deliveries: %w", err)
	}
	defer rows.Close()
	var out []scheduler.Delivery
	for rows.Next() {
		var d scheduler.Delivery
		var updated, due string
		if err := rows.Scan(&d.ID, &d.RunID, &d.Channel, &d.Recipient, &d.State, &d.Attempts, &d.ProviderID, &d.Error,
			&d.Assignee, &d.ConfirmedBy, &d.Note, &d.Reach, &updated, &due, &d.MessageKey, &d.Title); err != nil {
			return nil, fmt.Errorf("list deliveries: %w", err)
		}
		d.UpdatedAt, d.DueAt = parseTS(updated), parseTS(due)
		out = append(out, d)
	}
	return out, rows.Err()
}

// Resend puts run's deliveries in state (unknown or dead) back in the
// queue with fresh attempts, because a person decided they should go
// (again): after an outage, dead ones may be worth another try. It returns
// how many.
func (db *DB) Resend(ctx context.Context, runID int64, state scheduler.DeliveryState, actor string, now time.Time) (int, error) {
	if state != scheduler.Unknown && state != scheduler.Dead {
		return 0, fmt.Errorf("resend: only unknown or dead deliveries are resent, not %s", state)
	}
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'queued', next_attempt_at = NULL, attempts = 0, updated_at = ?,
			error = 'resent by ' || ? WHERE run_id = ? AND state = ?`, ts(now), actor, runID, state)
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		if n == 0 {
			return nil
		}
		if _, err := tx.ExecContext(ctx, `UPDATE runs SET state = 'running', finished_at = NULL WHERE id = ? AND state = 'done'`, runID); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "resend", "run", runID, fmt.Sprintf("%d %s deliveries", n, state))
	})
	return int(n), err
}

// CompleteTask records that a person did (done) or did not do a delivery
// assigned to them, with who and a note (the reason when not done).
func (db *DB) CompleteTask(ctx context.Context, id int64, done bool, who, note string, now time.Time) (scheduler.Delivery, error) {
	return db.CompleteTaskReach(ctx, id, done, who, note, 0, now)
}

// CompleteTaskReach is CompleteTask recording how many people the task
// reached (a group's members); 0 leaves it unknown.
func (db *DB) CompleteTaskReach(ctx context.Context, id int64, done bool, who, note string, reach int, now time.Time) (scheduler.Delivery, error) {
	state := scheduler.Done
	if !done {
		state = scheduler.NotDone
	}
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = ?, confirmed_by = ?, note = ?, reach = nullif(?, 0), updated_at = ?
			WHERE id = ? AND state = 'assigned'`, state, who, note, reach, ts(now), id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			var current string
			err := tx.QueryRowContext(ctx, `SELECT state FROM deliveries WHERE id = ?`, id).Scan(&current)
			if err == sql.ErrNoRows {
				return fmt.Errorf("task %d: %w", id, ErrNotFound)
			}
			return content.Errorf("việc %d đang ở trạng thái %s, không còn chờ xác nhận", "task %d is %s, not waiting for confirmation", id, current)
		}
		return audit(ctx, tx, now, who, string(state), "delivery", id, note)
	})
	if err != nil {
		return scheduler.Delivery{}, err
	}
	ds, err := db.Deliveries(ctx, scheduler.DeliveryFilter{ID: id})
	if err != nil || len(ds) == 0 {
		return scheduler.Delivery{}, err
	}
	return ds[0], nil
}

// Reach returns, per channel, how many people confirmed person-completed
// deliveries of run (every run when 0) reached.
func (db *DB) Reach(ctx context.Context, runID int64) (map[content.Channel]int, error) {
	q, args := `SELECT channel, sum(reach) FROM deliveries WHERE reach IS NOT NULL GROUP BY channel`, []any{}
	if runID != 0 { // by run_id, so the index is used
		q, args = `SELECT channel, sum(reach) FROM deliveries WHERE run_id = ? AND reach IS NOT NULL GROUP BY channel`, []any{runID}
	}
	rows, err := db.read.QueryContext(ctx, q, args...)
	if err != nil {
		return nil, fmt.Errorf("sum reach: %w", err)
	}
	defer rows.Close()
	out := map[content.Channel]int{}
	for rows.Next() {
		var ch content.Channel
		var n int
		if err := rows.Scan(&ch, &n); err != nil {
			return nil, err
		}
		out[ch] = n
	}
	return out, rows.Err()
}
