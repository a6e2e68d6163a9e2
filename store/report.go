package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

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
	rows, err := db.read.QueryContext(ctx, `SELECT s.campaign_id, v.title, v.loudspeaker
		FROM deliveries d JOIN runs r ON r.id = d.run_id JOIN schedules s ON s.id = r.schedule_id
		JOIN campaigns c ON c.id = s.campaign_id
		JOIN message_versions v ON v.message_id = r.message_id AND v.version = r.version
		WHERE c.year = ? AND d.channel = 'loudspeaker' AND d.state = 'done'`, year)
	if err != nil {
		return nil, fmt.Errorf("aired scripts: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (a report.AiredScript, err error) {
		err = r.Scan(&a.CampaignID, &a.Title, &a.Text)
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

// inList is "?, ?, ?" for n values and the values as args.
func inList(ids []int64) (string, []any) {
	marks := make([]string, len(ids))
	args := make([]any, len(ids))
	for i, id := range ids {
		marks[i], args[i] = "?", id
	}
	return strings.Join(marks, ", "), args
}

// ItemTallies counts the ledger of the campaigns' runs by channel, group
// or not, and state, with the distinct messages and the confirmed reach.
// A campaign in two sets (25/11 inside the Action Month) is counted once in
// each; a delivery is counted once in any set.
func (db *DB) ItemTallies(ctx context.Context, campaignIDs []int64) ([]report.ItemTally, []report.MonthTally, error) {
	if len(campaignIDs) == 0 {
		return nil, nil, nil
	}
	in, args := inList(campaignIDs)
	rows, err := db.read.QueryContext(ctx, `SELECT d.channel, d.recipient LIKE 'group:%', d.state, count(DISTINCT r.message_id), count(*), coalesce(sum(d.reach), 0)
		FROM deliveries d JOIN runs r ON r.id = d.run_id JOIN schedules s ON s.id = r.schedule_id
		WHERE s.campaign_id IN (`+in+`) GROUP BY 1, 2, 3`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("tally items: %w", err)
	}
	tallies, err := collect(rows, func(r *sql.Rows) (t report.ItemTally, err error) {
		err = r.Scan(&t.Channel, &t.Group, &t.State, &t.Messages, &t.Deliveries, &t.Reach)
		return t, err
	})
	if err != nil {
		return nil, nil, fmt.Errorf("tally items: %w", err)
	}
	// Items by month: messages that reached someone, in the ward's zone (UTC+7, no summer time).
	rows, err = db.read.QueryContext(ctx, `SELECT strftime('%Y-%m', r.due_at, '+7 hours'), d.channel, d.recipient LIKE 'group:%', count(DISTINCT r.message_id)
		FROM deliveries d JOIN runs r ON r.id = d.run_id JOIN schedules s ON s.id = r.schedule_id
		WHERE s.campaign_id IN (`+in+`) AND d.state IN ('sent', 'done') GROUP BY 1, 2, 3`, args...)
	if err != nil {
		return nil, nil, fmt.Errorf("tally months: %w", err)
	}
	months, err := collect(rows, func(r *sql.Rows) (m report.MonthTally, err error) {
		err = r.Scan(&m.Month, &m.Channel, &m.Group, &m.Messages)
		return m, err
	})
	return tallies, months, err
}

// AiredIn returns the scripts of the campaigns' aired slots, one a slot.
func (db *DB) AiredIn(ctx context.Context, campaignIDs []int64) ([]report.AiredScript, error) {
	if len(campaignIDs) == 0 {
		return nil, nil
	}
	in, args := inList(campaignIDs)
	rows, err := db.read.QueryContext(ctx, `SELECT s.campaign_id, v.title, v.loudspeaker
		FROM deliveries d JOIN runs r ON r.id = d.run_id JOIN schedules s ON s.id = r.schedule_id
		JOIN message_versions v ON v.message_id = r.message_id AND v.version = r.version
		WHERE s.campaign_id IN (`+in+`) AND d.channel = 'loudspeaker' AND d.state = 'done'`, args...)
	if err != nil {
		return nil, fmt.Errorf("aired scripts: %w", err)
	}
	return collect(rows, func(r *sql.Rows) (a report.AiredScript, err error) {
		err = r.Scan(&a.CampaignID, &a.Title, &a.Text)
		return a, err
	})
}

// SubscribersAt counts the residents each channel had with consent (and
// not blocked) at the end of each month of year, until upTo: a withdrawal
// counts from its time, so a resident who withdrew still counts in the
// months before (a consent given again after one counts from then on).
func (db *DB) SubscribersAt(ctx context.Context, year int, upTo time.Time) ([]report.Month, error) {
	var out []report.Month
	for m := time.January; m <= time.December; m++ {
		end := time.Date(year, m+1, 1, 0, 0, 0, 0, content.Zone)
		if end.After(upTo) {
			end = upTo
		}
		month := report.Month{Month: fmt.Sprintf("%d-%02d", year, int(m)), Counts: map[string]int{}, Until: content.DateOf(end.Add(-time.Second))}
		rows, err := db.read.QueryContext(ctx, `SELECT channel, count(*) FROM subscribers
			WHERE consented_at IS NOT NULL AND consented_at <= ?1 AND (withdrawn_at IS NULL OR withdrawn_at > ?1)
			AND (consent_at IS NOT NULL OR withdrawn_at IS NOT NULL) AND (blocked_at IS NULL OR blocked_at > ?1) GROUP BY channel`, ts(end))
		if err != nil {
			return nil, fmt.Errorf("subscribers at %s: %w", month.Month, err)
		}
		for rows.Next() {
			var ch string
			var n int
			if err := rows.Scan(&ch, &n); err != nil {
				rows.Close()
				return nil, err
			}
			month.Counts[ch] = n
		}
		rows.Close()
		out = append(out, month)
		if !end.Before(upTo) {
			break
		}
	}
	return out, nil
}
