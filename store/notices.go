package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/notify"
)

const noticeColumns = `id, user_id, kind, topic, text, created_at, sent_via, coalesce(sent_at, ''), coalesce(tried_at, ''), note`

func scanNotice(r interface{ Scan(...any) error }) (notify.Notice, error) {
	var n notify.Notice
	var created, sent, tried string
	err := r.Scan(&n.ID, &n.UserID, &n.Kind, &n.Topic, &n.Text, &created, &n.SentVia, &sent, &tried, &n.Note)
	n.Created = parseTS(created)
	if sent != "" {
		n.SentAt = parseTS(sent)
	}
	if tried != "" {
		n.Tried = parseTS(tried)
	}
	return n, err
}

// AddNotice records a notice; false (and the one kept) when the person was
// told about its topic already.
func (db *DB) AddNotice(ctx context.Context, n notify.Notice) (notify.Notice, bool, error) {
	res, err := db.write.ExecContext(ctx, `INSERT INTO notices (user_id, kind, topic, text, created_at) VALUES (?, ?, ?, ?, ?)
		ON CONFLICT (user_id, topic) DO NOTHING`, n.UserID, n.Kind, n.Topic, n.Text, ts(n.Created))
	if err != nil {
		return n, false, fmt.Errorf("add notice: %w", err)
	}
	if k, _ := res.RowsAffected(); k == 0 {
		kept, err := scanNotice(db.write.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM notices WHERE user_id = ? AND topic = ?`, n.UserID, n.Topic))
		return kept, false, err
	}
	n.ID, _ = res.LastInsertId()
	return n, true, nil
}

// Notice returns a person's notice about topic, false when there is none.
func (db *DB) Notice(ctx context.Context, userID int64, topic string) (notify.Notice, bool, error) {
	n, err := scanNotice(db.read.QueryRowContext(ctx, `SELECT `+noticeColumns+` FROM notices WHERE user_id = ? AND topic = ?`, userID, topic))
	if errors.Is(err, sql.ErrNoRows) {
		return n, false, nil
	}
	return n, err == nil, err
}

// MarkNotice records how a notice went: by via at sent (zero: it has not
// gone out), tried at tried (zero: no channel was tried), and why not.
func (db *DB) MarkNotice(ctx context.Context, id int64, via, note string, sent, tried time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE notices SET sent_via = ?, note = ?, sent_at = ?, tried_at = coalesce(?, tried_at) WHERE id = ?`,
		via, note, nullTime(sent), nullTime(tried), id)
	return err
}

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: ts(t), Valid: true}
}

// Notices returns a person's latest notices, newest first.
func (db *DB) Notices(ctx context.Context, userID int64, limit int) ([]notify.Notice, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+noticeColumns+` FROM notices WHERE user_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`, userID, limit)
	if err != nil {
		return nil, fmt.Errorf("list notices: %w", err)
	}
	return collect(rows, func(r *sql.Rows) (notify.Notice, error) { return scanNotice(r) })
}

// SentSince counts the notices that went out to a person by a channel
// (not in a digest) since then.
func (db *DB) SentSince(ctx context.Context, userID int64, since time.Time) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM notices WHERE user_id = ? AND created_at >= ? AND sent_at IS NOT NULL
		AND sent_via NOT LIKE 'digest%'`, userID, ts(since)).Scan(&n)
	return n, err
}

// Waiting returns the notices held for the digest, oldest first.
func (db *DB) Waiting(ctx context.Context) ([]notify.Notice, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+noticeColumns+` FROM notices WHERE sent_at IS NULL AND note IN (?, ?) ORDER BY created_at, id`,
		notify.NoteDigest, notify.NoteHeld)
	if err != nil {
		return nil, fmt.Errorf("waiting notices: %w", err)
	}
	return collect(rows, func(r *sql.Rows) (notify.Notice, error) { return scanNotice(r) })
}

// LastInteraction is when Zalo user id last wrote to the OA or followed it.
func (db *DB) LastInteraction(ctx context.Context, zaloID string) (time.Time, bool, error) {
	var at sql.NullString
	err := db.read.QueryRowContext(ctx, `SELECT last_interaction_at FROM subscribers WHERE channel = 'zalo' AND external_id = ?`, zaloID).Scan(&at)
	if errors.Is(err, sql.ErrNoRows) || (err == nil && !at.Valid) {
		return time.Time{}, false, nil
	}
	if err != nil {
		return time.Time{}, false, err
	}
	return parseTS(at.String), true, nil
}
