package store

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"github.com/loa-ward/loa/banner"
)

// AddSlogans appends slogans to their lists, skipping texts a list already
// has, and returns how many it added.
func (db *DB) AddSlogans(ctx context.Context, ss []banner.Slogan, actor string, now time.Time) (int, error) {
	added := 0
	err := db.tx(ctx, func(tx *sql.Tx) error {
		added = 0
		for _, s := range ss {
			res, err := tx.ExecContext(ctx, `INSERT INTO slogans (year, observance_key, document, grp, position, text)
				SELECT ?, ?, ?, ?, coalesce(max(position), 0) + 1, ? FROM slogans WHERE year = ? AND observance_key = ?
				ON CONFLICT (year, observance_key, text) DO NOTHING`,
				s.Year, s.Observance, s.Document, s.Group, s.Text, s.Year, s.Observance)
			if err != nil {
				return fmt.Errorf("add slogan %q: %w", s.Text, err)
			}
			n, _ := res.RowsAffected()
			added += int(n)
		}
		if added > 0 {
			return audit(ctx, tx, now, actor, "add", "slogans", 0, fmt.Sprintf("%d slogans", added))
		}
		return nil
	})
	return added, err
}

// Slogans returns the list of observance in year, in list order.
func (db *DB) Slogans(ctx context.Context, year int, observance string) ([]banner.Slogan, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT year, observance_key, document, grp, text FROM slogans
		WHERE year = ? AND observance_key = ? ORDER BY position`, year, observance)
	if err != nil {
		return nil, fmt.Errorf("read slogans: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (s banner.Slogan, err error) {
		err = r.Scan(&s.Year, &s.Observance, &s.Document, &s.Group, &s.Text)
		return s, err
	})
	if err != nil {
		return nil, fmt.Errorf("read slogans: %w", err)
	}
	return out, nil
}
