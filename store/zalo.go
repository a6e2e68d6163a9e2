package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/content"
)

// ZaloTokens are the OA's OAuth tokens. They are secrets: callers keep them
// out of logs.
type ZaloTokens struct {
	Access, Refresh               string
	AccessExpires, RefreshExpires time.Time
	NeedsReauth                   string // why refreshing failed for good; "" when fine
}

// ZaloTokens returns the stored tokens, ok false when Loa was never authorized.
func (db *DB) ZaloTokens(ctx context.Context) (ZaloTokens, bool, error) {
	var t ZaloTokens
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
func (db *DB) SaveZaloTokens(ctx context.Context, t ZaloTokens, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `INSERT INTO zalo_tokens (id, access_token, refresh_token, access_expires_at, refresh_expires_at, updated_at, needs_reauth)
		VALUES (1, ?, ?, ?, ?, ?, '')
		ON CONFLICT (id) DO UPDATE SET access_token = excluded.access_token, refresh_token = excluded.refresh_token,
			access_expires_at = excluded.access_expires_at, refresh_expires_at = excluded.refresh_expires_at,
			updated_at = excluded.updated_at, needs_reauth = ''`,
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

// Follow records a Zalo follower (following the OA is their choice to
// receive its messages), or their leaving when follows is false.
func (db *DB) Follow(ctx context.Context, userID, name string, follows bool, source string, now time.Time) error {
	if !follows {
		_, err := db.write.ExecContext(ctx, `UPDATE subscribers SET consent_at = NULL WHERE channel = 'zalo' AND external_id = ?`, userID)
		return err
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO subscribers (channel, external_id, display_name, topics, consent_at, consent_source, created_at)
		VALUES ('zalo', ?, ?, 'family,gender-equality,violence-prevention', ?, ?, ?)
		ON CONFLICT (channel, external_id) DO UPDATE SET display_name = CASE WHEN excluded.display_name != '' THEN excluded.display_name ELSE display_name END,
			consent_at = coalesce(consent_at, excluded.consent_at), consent_source = CASE WHEN consent_at IS NULL THEN excluded.consent_source ELSE consent_source END,
			blocked_at = NULL`, userID, name, ts(now), source, ts(now))
	return err
}

// Interacted records when a Zalo user last wrote to the OA.
func (db *DB) Interacted(ctx context.Context, userID string, at time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE subscribers SET last_interaction_at = ? WHERE channel = 'zalo' AND external_id = ?
		AND (last_interaction_at IS NULL OR last_interaction_at < ?)`, ts(at), userID, ts(at))
	return err
}

// Received records that Zalo reported the delivery with provider id msgID received.
func (db *DB) Received(ctx context.Context, ch content.Channel, msgID string, at time.Time) (bool, error) {
	res, err := db.write.ExecContext(ctx, `UPDATE deliveries SET delivered_at = ? WHERE channel = ? AND provider_id = ? AND delivered_at IS NULL`,
		ts(at), ch, msgID)
	if err != nil {
		return false, err
	}
	n, _ := res.RowsAffected()
	return n > 0, nil
}
