package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/loa-ward/loa/staff"
)

func audit(ctx context.Context, tx *sql.Tx, now time.Time, actor, action, entity string, id int64, detail string) error {
	_, err := tx.ExecContext(ctx, `INSERT INTO audit_log (at, actor, action, entity, entity_id, detail) VALUES (?, ?, ?, ?, ?, ?)`,
		ts(now), actor, action, entity, id, detail)
	if err != nil {
		return fmt.Errorf("audit %s %s %d: %w", action, entity, id, err)
	}
	return nil
}

// Audit returns the audit log of one entity ("message", 12), oldest first.
func (db *DB) Audit(ctx context.Context, entity string, id int64) ([]staff.AuditEntry, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT at, actor, action, entity, entity_id, detail FROM audit_log
		WHERE entity = ? AND entity_id = ? ORDER BY id`, entity, id)
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (e staff.AuditEntry, err error) {
		var at string
		err = r.Scan(&at, &e.Actor, &e.Action, &e.Entity, &e.EntityID, &e.Detail)
		e.At = parseTS(at)
		return e, err
	})
	if err != nil {
		return nil, fmt.Errorf("read audit log: %w", err)
	}
	return out, nil
}

// Approver returns who last approved message id, by the full name of their
// account when they have one, "" if nobody did.
func (db *DB) Approver(ctx context.Context, id int64) (string, error) {
	var who string
	err := db.read.QueryRowContext(ctx, `SELECT coalesce(nullif(u.full_name, ''), a.actor) FROM audit_log a LEFT JOIN users u ON u.login = a.actor
		WHERE a.entity = 'message' AND a.entity_id = ? AND a.action = 'approve' ORDER BY a.id DESC LIMIT 1`, id).Scan(&who)
	if err == sql.ErrNoRows {
		return "", nil
	}
	return who, err
}
