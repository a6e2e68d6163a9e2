package store

import (
	"context"
	"database/sql"
	"fmt"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/report"
)

// Tallies counts a year's deliveries by campaign, channel and state.
func (db *DB) Tallies(ctx context.Context, year int) ([]report.Tally, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.campaign_id, d.channel, d.state, count(*), coalesce(sum(d.reach), 0)
		FROM deliveries d JOIN runs r ON r.id = d.run_id JOIN schedules s ON s.id = r.schedule_id
		JOIN campaigns c ON c.id = s.campaign_id
		WHERE c.year = ? GROUP BY s.campaign_id, d.channel, d.state`, year)
	if err != nil {
		return nil, fmt.Errorf("tally deliveries: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (t report.Tally, err error) {
		err = r.Scan(&t.CampaignID, &t.Channel, &t.State, &t.Count, &t.Reach)
		return t, err
	})
	if err != nil {
		return nil, fmt.Errorf("tally deliveries: %w", err)
	}
	return out, nil
}

// AiredScripts returns a year's aired loudspeaker scripts.
func (db *DB) AiredScripts(ctx context.Context, year int) ([]report.AiredScript, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT s.campaign_id, v.loudspeaker
		FROM deliveries d JOIN runs r ON r.id = d.run_id JOIN schedules s ON s.id = r.schedule_id
		JOIN campaigns c ON c.id = s.campaign_id
		JOIN message_versions v ON v.message_id = r.message_id AND v.version = r.version
		WHERE c.year = ? AND d.channel = 'loudspeaker' AND d.state = 'done'`, year)
	if err != nil {
		return nil, fmt.Errorf("aired scripts: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (a report.AiredScript, err error) {
		err = r.Scan(&a.CampaignID, &a.Text)
		return a, err
	})
	if err != nil {
		return nil, fmt.Errorf("aired scripts: %w", err)
	}
	return out, nil
}

// Reachable counts ch's subscribers who consented and have not blocked Loa.
func (db *DB) Reachable(ctx context.Context, ch content.Channel) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM subscribers
		WHERE channel = ? AND consent_at IS NOT NULL AND blocked_at IS NULL`, ch).Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("count subscribers: %w", err)
	}
	return n, nil
}
