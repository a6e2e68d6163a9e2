package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

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
