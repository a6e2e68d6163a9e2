package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/content"
)

// SyncObservances records the configured calendar, so campaigns can refer to
// it and the database describes itself. Observances no longer configured stay
// (old campaigns point at them) but are marked disabled.
func (db *DB) SyncObservances(ctx context.Context, cal []content.Observance, now time.Time) error {
	const upsert = `
		INSERT INTO observances (key, name, name_en, starts, ends, lead_days, tail_days, topic, enabled, updated_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
		ON CONFLICT (key) DO UPDATE SET name = excluded.name, name_en = excluded.name_en,
			starts = excluded.starts, ends = excluded.ends, lead_days = excluded.lead_days,
			tail_days = excluded.tail_days, topic = excluded.topic, enabled = excluded.enabled,
			updated_at = excluded.updated_at
		WHERE (name, name_en, starts, ends, lead_days, tail_days, topic, enabled) IS NOT
			(excluded.name, excluded.name_en, excluded.starts, excluded.ends, excluded.lead_days,
			 excluded.tail_days, excluded.topic, excluded.enabled)`
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE observances SET enabled = 0, updated_at = ? WHERE enabled = 1`, ts(now)); err != nil {
			return fmt.Errorf("sync observances: %w", err)
		}
		for _, o := range cal {
			_, err := tx.ExecContext(ctx, upsert, o.Key, o.Name, o.NameEN, monthDay(o.Starts), monthDay(o.Ends),
				o.LeadDays, o.TailDays, string(o.Topic), o.Enabled, ts(now))
			if err != nil {
				return fmt.Errorf("sync observance %s: %w", o.Key, err)
			}
		}
		return nil
	})
}

func monthDay(md content.MonthDay) string { return fmt.Sprintf("%02d-%02d", int(md.Month), md.Day) }

// ErrExists is returned when creating something that is already there.
var ErrExists = content.ErrExists

// CreateCampaign stores c (an observance's campaign for a year) and returns
// it with its ID. It fails with ErrExists when the campaign is there already.
func (db *DB) CreateCampaign(ctx context.Context, c content.Campaign, actor string, now time.Time) (content.Campaign, error) {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		c.ID, err = insertCampaign(ctx, tx, c, 0, now)
		if err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "create", "campaign", c.ID, c.Key())
	})
	return c, err
}

func insertCampaign(ctx context.Context, tx *sql.Tx, c content.Campaign, copiedFrom int64, now time.Time) (int64, error) {
	res, err := tx.ExecContext(ctx, `
		INSERT INTO campaigns (observance_key, year, name, starts_on, ends_on, window_from, window_to, copied_from, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, nullif(?, 0), ?)`,
		c.ObservanceKey, c.Year, c.Name, c.Starts.String(), c.Ends.String(), c.From.String(), c.To.String(), copiedFrom, ts(now))
	if isConstraint(err) {
		return 0, fmt.Errorf("create campaign %s: %w", c.Key(), ErrExists)
	}
	if err != nil {
		return 0, fmt.Errorf("create campaign %s: %w", c.Key(), err)
	}
	return res.LastInsertId()
}

const campaignColumns = `id, observance_key, year, name, starts_on, ends_on, window_from, window_to`

func scanCampaign(row interface{ Scan(...any) error }) (content.Campaign, error) {
	var c content.Campaign
	var starts, ends, from, to string
	if err := row.Scan(&c.ID, &c.ObservanceKey, &c.Year, &c.Name, &starts, &ends, &from, &to); err != nil {
		return c, err
	}
	var errs [4]error
	c.Starts, errs[0] = content.ParseDate(starts)
	c.Ends, errs[1] = content.ParseDate(ends)
	c.From, errs[2] = content.ParseDate(from)
	c.To, errs[3] = content.ParseDate(to)
	return c, errors.Join(errs[:]...)
}

// Campaign returns the campaign of observance in year, or ErrNotFound.
func (db *DB) Campaign(ctx context.Context, observance string, year int) (content.Campaign, error) {
	c, err := scanCampaign(db.read.QueryRowContext(ctx,
		`SELECT `+campaignColumns+` FROM campaigns WHERE observance_key = ? AND year = ?`, observance, year))
	if errors.Is(err, sql.ErrNoRows) {
		return c, fmt.Errorf("campaign %s: %w", content.CampaignKey(observance, year), ErrNotFound)
	}
	return c, err
}

// Campaigns returns the campaigns of year (every year when year is 0) in
// date order.
func (db *DB) Campaigns(ctx context.Context, year int) ([]content.Campaign, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT `+campaignColumns+` FROM campaigns
		WHERE ? = 0 OR year = ? ORDER BY starts_on, observance_key`, year, year)
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (content.Campaign, error) { return scanCampaign(r) })
	if err != nil {
		return nil, fmt.Errorf("list campaigns: %w", err)
	}
	return out, nil
}

// MessageCounts returns, per campaign ID, how many messages are in each state.
func (db *DB) MessageCounts(ctx context.Context, year int) (map[int64]map[content.State]int, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT m.campaign_id, m.state, count(*) FROM messages m JOIN campaigns c ON c.id = m.campaign_id
		WHERE ? = 0 OR c.year = ? GROUP BY m.campaign_id, m.state`, year, year)
	if err != nil {
		return nil, fmt.Errorf("count messages: %w", err)
	}
	defer rows.Close()
	out := map[int64]map[content.State]int{}
	for rows.Next() {
		var id int64
		var state content.State
		var n int
		if err := rows.Scan(&id, &state, &n); err != nil {
			return nil, fmt.Errorf("count messages: %w", err)
		}
		if out[id] == nil {
			out[id] = map[content.State]int{}
		}
		out[id][state] = n
	}
	return out, rows.Err()
}
