package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/privacy"
)

// logRequest records a resident's request.
func logRequest(ctx context.Context, tx *sql.Tx, r privacy.Request) error {
	var done sql.NullString
	if !r.DoneAt.IsZero() {
		done = sql.NullString{String: ts(r.DoneAt), Valid: true}
	}
	_, err := tx.ExecContext(ctx, `INSERT INTO privacy_requests (kind, via, subject, received_at, due_at, done_at, done_by, note)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?)`, r.Kind, r.Via, r.Subject, ts(r.ReceivedAt), ts(r.DueAt), done, r.DoneBy, r.Note)
	if err != nil {
		return fmt.Errorf("record a request: %w", err)
	}
	return nil
}

// AddRequest records a request received outside the bots (at the office,
// on paper), still to be done, and returns its id.
func (db *DB) AddRequest(ctx context.Context, r privacy.Request, actor string, now time.Time) (int64, error) {
	var id int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := logRequest(ctx, tx, r); err != nil {
			return err
		}
		if err := tx.QueryRowContext(ctx, `SELECT last_insert_rowid()`).Scan(&id); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "add", "request", id, r.Kind+" via "+r.Via)
	})
	return id, err
}

// FinishRequest marks request id done by actor at now.
func (db *DB) FinishRequest(ctx context.Context, id int64, actor, note string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE privacy_requests SET done_at = ?, done_by = ?, note = CASE WHEN ? != '' THEN ? ELSE note END
			WHERE id = ? AND done_at IS NULL`, ts(now), actor, note, note, id)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return ErrNotFound
		}
		return audit(ctx, tx, now, actor, "finish", "request", id, "")
	})
}

// Requests lists the requests received since (all when zero), newest first.
func (db *DB) Requests(ctx context.Context, since time.Time) ([]privacy.Request, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, kind, via, subject, received_at, due_at, coalesce(done_at, ''), done_by, note
		FROM privacy_requests WHERE received_at >= ? ORDER BY received_at DESC, id DESC`, ts(since))
	if err != nil {
		return nil, fmt.Errorf("list requests: %w", err)
	}
	return collect(rows, func(r *sql.Rows) (privacy.Request, error) {
		var q privacy.Request
		var received, due, done string
		err := r.Scan(&q.ID, &q.Kind, &q.Via, &q.Subject, &received, &due, &done, &q.DoneBy, &q.Note)
		q.ReceivedAt, q.DueAt, q.DoneAt = parseTS(received), parseTS(due), optTS(done)
		return q, err
	})
}

// Retention is what ApplyRetention removed.
type Retention struct {
	Pseudonymized int // ledger rows whose resident id was replaced
	Withdrawn     int // residents deleted long after withdrawing
	Unanswered    int // followers deleted who never answered the welcome
}

// ApplyRetention carries out the retention rules (privacy.retention_months,
// privacy.unanswered_days): the residents' ids in the ledger rows of
// campaigns of years before ledgerYear are replaced (the counts stay);
// residents who withdrew before withdrawnBefore, and followers who followed
// before unansweredBefore and never consented, are deleted as a deletion
// request deletes them. Only residents' ids are replaced (a chat id, a Zalo
// user id, a phone): a channel, a group and a person's task keep their
// names. The write-ahead log is then truncated.
func (db *DB) ApplyRetention(ctx context.Context, ledgerYear int, withdrawnBefore, unansweredBefore, now time.Time) (Retention, error) {
	var r Retention
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET recipient = 'forgotten-' || id, subscriber_id = NULL, provider_id = ''
			WHERE channel IN ('telegram', 'zalo') AND assignee = '' AND (recipient GLOB '[0-9]*' OR recipient GLOB 'phone:*')
			AND run_id IN (SELECT r.id FROM runs r JOIN schedules s ON s.id = r.schedule_id JOIN campaigns c ON c.id = s.campaign_id WHERE c.year < ?)`, ledgerYear)
		if err != nil {
			return fmt.Errorf("retention: pseudonymize the ledger: %w", err)
		}
		n, _ := res.RowsAffected()
		r.Pseudonymized = int(n)
		type who struct {
			ch content.Channel
			id string
		}
		pick := func(where string, args ...any) ([]who, error) {
			rows, err := tx.QueryContext(ctx, `SELECT channel, external_id FROM subscribers WHERE `+where, args...)
			if err != nil {
				return nil, err
			}
			return collect(rows, func(r *sql.Rows) (who, error) {
				var w who
				return w, r.Scan(&w.ch, &w.id)
			})
		}
		withdrawn, err := pick(`consent_at IS NULL AND withdrawn_at IS NOT NULL AND withdrawn_at < ?`, ts(withdrawnBefore))
		if err != nil {
			return err
		}
		unanswered, err := pick(`consent_at IS NULL AND consented_at IS NULL AND followed_at IS NOT NULL AND followed_at < ?`, ts(unansweredBefore))
		if err != nil {
			return err
		}
		for _, w := range append(withdrawn, unanswered...) {
			if err := forget(ctx, tx, w.ch, w.id); err != nil {
				return err
			}
		}
		r.Withdrawn, r.Unanswered = len(withdrawn), len(unanswered)
		if r == (Retention{}) {
			return nil
		}
		return audit(ctx, tx, now, "loa", "retention", "subscribers", 0,
			fmt.Sprintf("%d ledger ids replaced, %d withdrawn and %d unanswered residents deleted", r.Pseudonymized, r.Withdrawn, r.Unanswered))
	})
	if err != nil {
		return r, err
	}
	return r, db.Checkpoint(ctx) // also what a busy deletion left
}
