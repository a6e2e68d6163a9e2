package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/field"
)

// AddTaskLink records a task link by its token's hash.
func (db *DB) AddTaskLink(ctx context.Context, tokenHash string, l field.Link) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO task_links (token_hash, kind, target, user_id, created_at, expires_at) VALUES (?, ?, ?, ?, ?, ?)`,
		tokenHash, l.Kind, l.Target, l.User.ID, ts(l.Created), ts(l.Expires))
	if err != nil {
		return fmt.Errorf("add task link: %w", err)
	}
	return nil
}

// TaskLink returns the link with tokenHash and its account, or ErrNotFound.
func (db *DB) TaskLink(ctx context.Context, tokenHash string) (field.Link, error) {
	var l field.Link
	var created, expires, revoked string
	u, err := scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+`, l.kind, l.target, l.created_at, l.expires_at, coalesce(l.revoked_at, '')
		FROM task_links l JOIN users u ON u.id = l.user_id WHERE l.token_hash = ?`, tokenHash), &l.Kind, &l.Target, &created, &expires, &revoked)
	if errors.Is(err, sql.ErrNoRows) {
		return l, fmt.Errorf("task link: %w", content.ErrNotFound)
	}
	if err != nil {
		return l, err
	}
	l.User, l.Created, l.Expires = u, parseTS(created), parseTS(expires)
	if revoked != "" {
		l.Revoked = parseTS(revoked)
	}
	return l, nil
}

// RevokeTaskLinks revokes every live link to a task and says how many.
func (db *DB) RevokeTaskLinks(ctx context.Context, kind field.Kind, target int64, actor string, now time.Time) (int, error) {
	var n int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE task_links SET revoked_at = ? WHERE kind = ? AND target = ? AND revoked_at IS NULL`, ts(now), kind, target)
		if err != nil {
			return fmt.Errorf("revoke task links: %w", err)
		}
		if n, _ = res.RowsAffected(); n == 0 {
			return nil
		}
		return audit(ctx, tx, now, actor, "revoke-links", string(kind), target, fmt.Sprint(n))
	})
	return int(n), err
}

// SavePhoto keeps a photo; the same picture (by SHA-256) is kept once and
// the kept one returned.
func (db *DB) SavePhoto(ctx context.Context, p field.Photo) (field.Photo, error) {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		err := tx.QueryRowContext(ctx, `SELECT id, taken_by, created_at FROM photos WHERE sha256 = ?`, p.SHA256).Scan(&p.ID, &p.TakenBy, new(string))
		if err == nil {
			return nil
		}
		if !errors.Is(err, sql.ErrNoRows) {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO photos (sha256, type, data, taken_by, created_at) VALUES (?, ?, ?, ?, ?)`,
			p.SHA256, p.Type, p.Data, p.TakenBy, ts(p.Created))
		if err != nil {
			return fmt.Errorf("save photo: %w", err)
		}
		p.ID, _ = res.LastInsertId()
		return nil
	})
	return p, err
}

// Photo returns a kept photo, or ErrNotFound.
func (db *DB) Photo(ctx context.Context, id int64) (field.Photo, error) {
	p := field.Photo{ID: id}
	var created string
	err := db.read.QueryRowContext(ctx, `SELECT sha256, type, data, taken_by, created_at FROM photos WHERE id = ?`, id).
		Scan(&p.SHA256, &p.Type, &p.Data, &p.TakenBy, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return p, fmt.Errorf("photo %d: %w", id, content.ErrNotFound)
	}
	p.Created = parseTS(created)
	return p, err
}
