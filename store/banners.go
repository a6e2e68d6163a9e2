package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/banner"
	"github.com/loa-ward/loa/content"
)

// AddBanners saves a campaign's banner plan lines, all or none, each
// planned by actor.
func (db *DB) AddBanners(ctx context.Context, campaignID int64, lines []banner.Line, actor string, now time.Time) ([]int64, error) {
	var ids []int64
	err := db.tx(ctx, func(tx *sql.Tx) error {
		ids = ids[:0]
		for _, l := range lines {
			res, err := tx.ExecContext(ctx, `INSERT INTO banners (campaign_id, slogan, place, kind, size, count, hang_on, down_on,
				responsible, notes, state, updated_by, updated_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'planned', ?, ?)`,
				campaignID, l.Slogan, l.Place, l.Kind, l.Size, l.Count, l.HangOn.String(), l.DownOn.String(), l.Responsible, l.Notes, actor, ts(now))
			if err != nil {
				return fmt.Errorf("add banner %q at %q: %w", l.Slogan, l.Place, err)
			}
			id, _ := res.LastInsertId()
			if _, err := tx.ExecContext(ctx, `INSERT INTO banner_events (banner_id, state, actor, at) VALUES (?, 'planned', ?, ?)`, id, actor, ts(now)); err != nil {
				return err
			}
			ids = append(ids, id)
		}
		return audit(ctx, tx, now, actor, "add", "banners", campaignID, fmt.Sprintf("%d banner lines", len(lines)))
	})
	return ids, err
}

// Banners returns the lines f selects, in plan order (banner.Sort).
func (db *DB) Banners(ctx context.Context, f banner.Filter) ([]banner.Line, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT b.id, c.observance_key, c.year, b.slogan, b.place, b.kind, b.size, b.count, b.hang_on, b.down_on,
			b.responsible, b.notes, b.state, b.updated_by, b.updated_at, b.photo
		FROM banners b JOIN campaigns c ON c.id = b.campaign_id
		WHERE (? = 0 OR b.id = ?) AND (? = 0 OR b.campaign_id = ?) AND (? = 0 OR c.year = ?)`,
		f.ID, f.ID, f.CampaignID, f.CampaignID, f.Year, f.Year)
	if err != nil {
		return nil, fmt.Errorf("read banners: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (l banner.Line, err error) {
		var obs, hang, down, at string
		var year int
		if err = r.Scan(&l.ID, &obs, &year, &l.Slogan, &l.Place, &l.Kind, &l.Size, &l.Count, &hang, &down,
			&l.Responsible, &l.Notes, &l.State, &l.By, &at, &l.Photo); err != nil {
			return l, err
		}
		l.Campaign, l.At = content.CampaignKey(obs, year), parseTS(at)
		var e1, e2 error
		l.HangOn, e1 = content.ParseDate(hang)
		l.DownOn, e2 = content.ParseDate(down)
		return l, errors.Join(e1, e2)
	})
	if err != nil {
		return nil, fmt.Errorf("read banners: %w", err)
	}
	banner.Sort(out)
	return out, nil
}

// MarkBanner moves a line to state, recording who, when, an optional photo
// file and a note.
func (db *DB) MarkBanner(ctx context.Context, id int64, to banner.State, actor, photo, note string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var from banner.State
		if err := tx.QueryRowContext(ctx, `SELECT state FROM banners WHERE id = ?`, id).Scan(&from); errors.Is(err, sql.ErrNoRows) {
			return content.Errorf("không có dòng băng rôn %d", "there is no banner line %d", id)
		} else if err != nil {
			return err
		}
		if err := banner.CanMove(from, to); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `UPDATE banners SET state = ?, updated_by = ?, updated_at = ?,
				photo = CASE WHEN ? != '' THEN ? ELSE photo END WHERE id = ?`, to, actor, ts(now), photo, photo, id); err != nil {
			return err
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO banner_events (banner_id, state, actor, at, photo, note) VALUES (?, ?, ?, ?, ?, ?)`,
			id, to, actor, ts(now), photo, note); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, string(to), "banner", id, note)
	})
}
