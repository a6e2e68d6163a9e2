package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
)

// ZaloTokens returns the stored tokens, ok false when Loa was never authorized.
func (db *DB) ZaloTokens(ctx context.Context) (zalo.Tokens, bool, error) {
	var t zalo.Tokens
	var ae, re string
	err := db.write.QueryRowContext(ctx, `SELECT access_token, refresh_token, access_expires_at, refresh_expires_at, needs_reauth
		FROM zalo_tokens WHERE id = 1`).Scan(&t.Access, &t.Refresh, &ae, &re, &t.NeedsReauth)
	if errors.Is(err, sql.ErrNoRows) {
		return t, false, nil
	}
	if err != nil {
		return t, false, fmt.Errorf("read zalo tokens: %w", err)
	}
	t.AccessExpires, t.RefreshExpires = parseTS(ae), parseTS(re)
	return t, true, nil
}

// SaveZaloTokens stores a new access token together with the new refresh
// token in one transaction: the old refresh token is already spent.
func (db *DB) SaveZaloTokens(ctx context.Context, t zalo.Tokens, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO zalo_tokens (id, access_token, refresh_token, access_expires_at, refresh_expires_at, updated_at, needs_reauth)
		VALUES (1, ?, ?, ?, ?, ?, '')
		ON CONFLICT (id) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
			access_expires_at = excluded.access_expires_at, refresh_expires_at = excluded.refresh_expires_at,
			updated_at = excluded.updated_at, needs_reauth = '', refreshing_until = NULL`,
		t.Access, t.Refresh, ts(t.AccessExpires), ts(t.RefreshExpires), ts(now))
	if err != nil {
		return fmt.Errorf("save zalo tokens: %w", err)
	}
	return nil
}

// MarkZaloReauth records that the tokens can no longer be refreshed.
func (db *DB) MarkZaloReauth(ctx context.Context, why string) error {
	_, err := db.write.ExecContext(ctx, `UPDATE zalo_tokens SET needs_reauth = ? WHERE id = 1`, why)
	return err
}

// Follow records a Zalo follower, or their leaving when follows is false.
// Following the OA is not consent: a follower receives nothing until they
// answer the welcome with their choice. Leaving withdraws a consent given
// (its record stays, as evidence).
func (db *DB) Follow(ctx context.Context, userID, name string, follows bool, source string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		action := "follow"
		if !follows {
			action = "unfollow"
			if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET followed_at = NULL,
				withdrawn_at = CASE WHEN consent_at IS NOT NULL THEN ?2 ELSE withdrawn_at END, consent_at = NULL
				WHERE channel = 'zalo' AND external_id = ?1`, userID, ts(now)); err != nil {
				return err
			}
		} else if _, err := tx.ExecContext(ctx, followSQL, userID, name, ts(now)); err != nil {
			return err
		}
		if id := subscriberID(ctx, tx, content.Zalo, userID); id != 0 {
			return audit(ctx, tx, now, "resident", action, "subscriber", id, "zalo via "+source)
		}
		return nil
	})
}

// RecordFollowers records a page of a follower sync in one transaction: as
// Follow does for each, the name only of one who consented, and the last
// interaction when known.
func (db *DB) RecordFollowers(ctx context.Context, fs []residents.Follower, source string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		for _, f := range fs {
			if _, err := tx.ExecContext(ctx, followSQL, f.UserID, "", ts(now)); err != nil {
				return fmt.Errorf("record follower %s: %w", f.UserID, err)
			}
			if f.Name != "" { // kept only for a follower who consented
				if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET display_name = ? WHERE channel = 'zalo' AND external_id = ? AND consent_at IS NOT NULL`,
					f.Name, f.UserID); err != nil {
					return fmt.Errorf("record follower %s: %w", f.UserID, err)
				}
			}
			if !f.LastInteraction.IsZero() {
				if _, err := tx.ExecContext(ctx, interactedSQL, ts(f.LastInteraction), f.UserID, ts(f.LastInteraction)); err != nil {
					return fmt.Errorf("record follower %s: %w", f.UserID, err)
				}
			}
		}
		return nil
	})
}

// FollowersToAsk returns which of ids a sync fetches details (name, last
// interaction) for: followers who consented and are not known by name yet,
// and the staff who follow the OA (their last message opens Zalo's window
// for notices). A follower who has not consented is recorded by id only:
// their name is not needed, so it is not asked for.
func (db *DB) FollowersToAsk(ctx context.Context, ids []string) (map[string]bool, error) {
	want := make(map[string]bool, len(ids))
	if len(ids) == 0 {
		return want, nil
	}
	args := make([]any, 0, 2*len(ids))
	for range 2 {
		for _, id := range ids {
			args = append(args, id)
		}
	}
	in := strings.TrimSuffix(strings.Repeat("?,", len(ids)), ",")
	rows, err := db.read.QueryContext(ctx, `SELECT external_id FROM subscribers WHERE channel = 'zalo' AND consent_at IS NOT NULL AND display_name = ''
		AND external_id IN (`+in+`) UNION SELECT zalo_user_id FROM users WHERE zalo_user_id IN (`+in+`)`, args...)
	if err != nil {
		return nil, fmt.Errorf("followers to ask: %w", err)
	}
	asked, err := collect(rows, func(r *sql.Rows) (string, error) {
		var id string
		return id, r.Scan(&id)
	})
	for _, id := range asked {
		want[id] = true
	}
	return want, err
}

const interactedSQL = `UPDATE subscribers SET last_interaction_at = ? WHERE channel = 'zalo' AND external_id = ?
		AND (last_interaction_at IS NULL OR last_interaction_at < ?)`

// followSQL records a follower without consent: topics and consent are
// what they answer, never assumed.
const followSQL = `INSERT INTO subscribers (channel, external_id, display_name, topics, created_at, followed_at)
		VALUES ('zalo', ?1, ?2, '', ?3, ?3)
		ON CONFLICT (channel, external_id) DO UPDATE SET display_name = CASE WHEN excluded.display_name != '' THEN excluded.display_name ELSE display_name END,
			followed_at = coalesce(followed_at, excluded.followed_at), blocked_at = NULL`

// Interacted records when a Zalo user last wrote to the OA.
func (db *DB) Interacted(ctx context.Context, userID string, at time.Time) error {
	_, err := db.write.ExecContext(ctx, interactedSQL, ts(at), userID, ts(at))
	return err
}

// BeginZaloRefresh claims the right to spend refresh, the refresh token
// the caller holds, until now + hold: it reports false when the stored pair
// is no longer refresh (another process refreshed: reload it) or another
// process holds the claim. SaveZaloTokens ends the claim.
func (db *DB) BeginZaloRefresh(ctx context.Context, refresh string, now time.Time, hold time.Duration) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE zalo_tokens SET refreshing_until = ?
		WHERE id = 1 AND refresh_token = ? AND (refreshing_until IS NULL OR refreshing_until < ?)`, ts(now.Add(hold)), refresh, ts(now))
	if err != nil {
		return false, fmt.Errorf("claim the zalo refresh: %w", err)
	}
	n, _ := res.RowsAffected()
	return n == 1, nil
}

// Received records that Zalo reported the delivery with provider id msgID
// received, and reports whether the delivery was found. A receipt for a
// delivery whose outcome is not recorded yet (the event raced the answer)
// is kept and applied when the outcome is (see Record).
func (db *DB) Received(ctx context.Context, ch content.Channel, msgID string, at time.Time) (bool, error) {
	var found bool
	err := db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET delivered_at = ? WHERE channel = ? AND provider_id = ? AND delivered_at IS NULL`,
			ts(at), ch, msgID)
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		if found = n > 0; found {
			return nil
		}
		var exists bool
		if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM deliveries WHERE channel = ? AND provider_id = ?)`, ch, msgID).Scan(&exists); err != nil || exists {
			return err // already marked received
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM receipts WHERE at < ?`, ts(at.Add(-48*time.Hour))); err != nil {
			return err
		}
		_, err = tx.ExecContext(ctx, `INSERT OR IGNORE INTO receipts (channel, provider_id, at) VALUES (?, ?, ?)`, ch, msgID, ts(at))
		return err
	})
	return found, err
}

// applyReceipts marks received the deliveries whose receipts arrived before
// their outcome was recorded, in the recording transaction.
func applyReceipts(ctx context.Context, tx *sql.Tx) error {
	var waiting bool
	if err := tx.QueryRowContext(ctx, `SELECT EXISTS (SELECT 1 FROM receipts)`).Scan(&waiting); err != nil || !waiting {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET delivered_at = r.at FROM receipts r
		WHERE deliveries.channel = r.channel AND deliveries.provider_id = r.provider_id AND deliveries.provider_id != ''
			AND deliveries.delivered_at IS NULL`); err != nil {
		return fmt.Errorf("apply receipts: %w", err)
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM receipts WHERE EXISTS (SELECT 1 FROM deliveries d
		WHERE d.channel = receipts.channel AND d.provider_id = receipts.provider_id AND d.provider_id != '')`)
	return err
}

// FirstSeen reports whether a webhook event's signature is new, and
// remembers it for keep (the time an event's timestamp is accepted): a
// replay is refused across restarts too.
func (db *DB) FirstSeen(ctx context.Context, signature string, now time.Time, keep time.Duration) (bool, error) {
	var first bool
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `DELETE FROM webhook_events WHERE seen_at < ?`, ts(now.Add(-keep))); err != nil {
			return err
		}
		res, err := tx.ExecContext(ctx, `INSERT OR IGNORE INTO webhook_events (signature, seen_at) VALUES (?, ?)`, signature, ts(now))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		first = n > 0
		return nil
	})
	return first, err
}

// Unsee forgets a signature whose event could not be handled, so Zalo's
// retry of it is not refused as a replay.
func (db *DB) Unsee(ctx context.Context, signature string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM webhook_events WHERE signature = ?`, signature)
	return err
}
