package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/report"
)

// ReportDraft returns the kept parts of the report of scope; false when
// none were written yet.
func (db *DB) ReportDraft(ctx context.Context, scope string) (report.Draft, bool, error) {
	d := report.Draft{Scope: scope}
	var day, recipients, updated string
	err := db.read.QueryRowContext(ctx, `SELECT number, day, subject, direction, strengths, limits, causes, directions, authority, deputy,
		signer_title, signer_name, recipients, updated_by, updated_at FROM reports WHERE scope = ?`, scope).Scan(&d.Number, &day, &d.Subject,
		&d.Text.Direction, &d.Text.Strengths, &d.Text.Limits, &d.Text.Causes, &d.Text.Directions, &d.Signer.Authority, &d.Signer.Deputy,
		&d.Signer.Title, &d.Signer.Name, &recipients, &d.UpdatedBy, &updated)
	if errors.Is(err, sql.ErrNoRows) {
		return d, false, nil
	}
	if err != nil {
		return d, false, fmt.Errorf("report draft: %w", err)
	}
	if day != "" {
		if d.Date, err = content.ParseDate(day); err != nil {
			return d, false, err
		}
	}
	if recipients != "" {
		d.Recipients = strings.Split(recipients, "\n")
	}
	d.UpdatedAt = parseTS(updated)
	return d, true, nil
}

// SaveReportDraft keeps a report's parts, audited.
func (db *DB) SaveReportDraft(ctx context.Context, d report.Draft, actor string, now time.Time) error {
	day := ""
	if !d.Date.IsZero() {
		day = d.Date.String()
	}
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO reports (scope, number, day, subject, direction, strengths, limits, causes, directions, authority,
			deputy, signer_title, signer_name, recipients, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (scope) DO UPDATE SET number = excluded.number, day = excluded.day, subject = excluded.subject, direction = excluded.direction,
			strengths = excluded.strengths, limits = excluded.limits, causes = excluded.causes, directions = excluded.directions,
			authority = excluded.authority, deputy = excluded.deputy, signer_title = excluded.signer_title, signer_name = excluded.signer_name,
			recipients = excluded.recipients, updated_by = excluded.updated_by, updated_at = excluded.updated_at`,
			d.Scope, d.Number, day, d.Subject, d.Text.Direction, d.Text.Strengths, d.Text.Limits, d.Text.Causes, d.Text.Directions,
			d.Signer.Authority, d.Signer.Deputy, d.Signer.Title, d.Signer.Name, strings.Join(d.Recipients, "\n"), actor, ts(now)); err != nil {
			return fmt.Errorf("save report draft: %w", err)
		}
		return audit(ctx, tx, now, actor, "edit", "report", 0, d.Scope)
	})
}
