package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/activities"
	"github.com/loa-ward/loa/content"
)

// AddActivities saves records in one transaction, each audited.
func (db *DB) AddActivities(ctx context.Context, rs []activities.Record, actor string, now time.Time) ([]int64, error) {
	ids := make([]int64, 0, len(rs))
	err := db.tx(ctx, func(tx *sql.Tx) error {
		ids = ids[:0]
		for _, r := range rs {
			res, err := tx.ExecContext(ctx, `INSERT INTO activities (campaign_id, kind, day, title, place, unit, number, count, participants, women, link, notes, created_by, created_at)
				VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, r.CampaignID, r.Kind, r.Date.String(), r.Title, r.Place, r.Unit, r.Number, r.Count,
				r.Participants, r.Women, r.Link, r.Notes, actor, ts(now))
			if err != nil {
				return fmt.Errorf("add activity: %w", err)
			}
			id, _ := res.LastInsertId()
			if err := audit(ctx, tx, now, actor, "create", "activity", id, r.Kind+" "+r.Date.String()); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return nil
	})
	return ids, err
}

// Activities returns the records f selects, by date, with their files
// (without content).
func (db *DB) Activities(ctx context.Context, f activities.Filter) ([]activities.Record, error) {
	q := `SELECT a.id, c.observance_key || '/' || c.year, a.campaign_id, a.kind, a.day, a.title, a.place, a.unit, a.number, a.count,
		a.participants, a.women, a.link, a.notes, a.created_by, a.created_at
		FROM activities a JOIN campaigns c ON c.id = a.campaign_id`
	var where []string
	var args []any
	if f.ID != 0 {
		where, args = append(where, "a.id = ?"), append(args, f.ID)
	}
	if f.CampaignID != 0 {
		where, args = append(where, "a.campaign_id = ?"), append(args, f.CampaignID)
	}
	if f.Year != 0 {
		where, args = append(where, "c.year = ?"), append(args, f.Year)
	}
	if len(where) > 0 {
		q += " WHERE " + strings.Join(where, " AND ")
	}
	rows, err := db.read.QueryContext(ctx, q+" ORDER BY a.day, a.id", args...)
	if err != nil {
		return nil, fmt.Errorf("list activities: %w", err)
	}
	rs, err := collect(rows, func(r *sql.Rows) (activities.Record, error) {
		var a activities.Record
		var day, created string
		err := r.Scan(&a.ID, &a.Campaign, &a.CampaignID, &a.Kind, &day, &a.Title, &a.Place, &a.Unit, &a.Number, &a.Count,
			&a.Participants, &a.Women, &a.Link, &a.Notes, &a.CreatedBy, &created)
		if err == nil {
			a.Date, err = content.ParseDate(day)
		}
		a.CreatedAt = parseTS(created)
		return a, err
	})
	if err != nil || len(rs) == 0 {
		return rs, err
	}
	byID := map[int64]int{}
	for i, a := range rs {
		byID[a.ID] = i
	}
	frows, err := db.read.QueryContext(ctx, `SELECT id, activity_id, name, type, length(data), created_by, created_at FROM activity_files ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer frows.Close()
	for frows.Next() {
		var file activities.File
		var owner int64
		var created string
		if err := frows.Scan(&file.ID, &owner, &file.Name, &file.Type, &file.Size, &file.By, &created); err != nil {
			return nil, err
		}
		file.Created = parseTS(created)
		if i, ok := byID[owner]; ok {
			rs[i].Files = append(rs[i].Files, file)
		}
	}
	return rs, frows.Err()
}

// DeleteActivity removes a record and its files, audited.
func (db *DB) DeleteActivity(ctx context.Context, id int64, actor string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `DELETE FROM activities WHERE id = ?`, id)
		if err != nil {
			return fmt.Errorf("delete activity: %w", err)
		}
		if n, _ := res.RowsAffected(); n == 0 {
			return activities.ErrNoActivity
		}
		return audit(ctx, tx, now, actor, "delete", "activity", id, "")
	})
}

// AddActivityFile keeps an attachment of an activity, audited.
func (db *DB) AddActivityFile(ctx context.Context, activity int64, f activities.File, actor string, now time.Time) (activities.File, error) {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `INSERT INTO activity_files (activity_id, name, type, data, created_by, created_at) VALUES (?, ?, ?, ?, ?, ?)`,
			activity, f.Name, f.Type, f.Data, actor, ts(now))
		if err != nil {
			return fmt.Errorf("attach: %w", err)
		}
		f.ID, _ = res.LastInsertId()
		f.By, f.Created = actor, now
		return audit(ctx, tx, now, actor, "attach", "activity", activity, f.Name)
	})
	return f, err
}

// ActivityFile returns an attachment with its content, or ErrNotFound.
func (db *DB) ActivityFile(ctx context.Context, id int64) (activities.File, error) {
	f := activities.File{ID: id}
	var created string
	err := db.read.QueryRowContext(ctx, `SELECT name, type, data, created_by, created_at FROM activity_files WHERE id = ?`, id).
		Scan(&f.Name, &f.Type, &f.Data, &f.By, &created)
	if errors.Is(err, sql.ErrNoRows) {
		return f, fmt.Errorf("file %d: %w", id, content.ErrNotFound)
	}
	f.Size, f.Created = len(f.Data), parseTS(created)
	return f, err
}
