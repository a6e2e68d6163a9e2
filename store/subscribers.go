package store

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/residents"
)

// AddSubscribers inserts or updates subscribers by (channel, external id).
func (db *DB) AddSubscribers(ctx context.Context, subs []residents.Subscriber, actor string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		stmt, err := tx.PrepareContext(ctx, `INSERT INTO subscribers (channel, external_id, display_name, language, topics, phone, consent_at, consent_source, created_at, address,
				consented_at, evidence)
			VALUES (?, ?, ?, ?, ?, ?, ?7, ?, ?, CASE WHEN ?2 LIKE 'phone:%' THEN 'phone' ELSE 'user' END, ?7, ?10)
			ON CONFLICT (channel, external_id) DO UPDATE SET display_name = excluded.display_name, language = excluded.language,
				topics = excluded.topics, phone = excluded.phone, consent_at = excluded.consent_at, consent_source = excluded.consent_source,
				consented_at = coalesce(excluded.consented_at, consented_at), evidence = excluded.evidence,
				withdrawn_at = CASE WHEN excluded.consent_at IS NULL THEN withdrawn_at END`)
		if err != nil {
			return err
		}
		defer stmt.Close()
		for _, s := range subs {
			var consent sql.NullString
			if !s.ConsentAt.IsZero() {
				consent = sql.NullString{String: ts(s.ConsentAt), Valid: true}
			}
			if _, err := stmt.ExecContext(ctx, s.Channel, s.ExternalID, s.Name, cmpOr(s.Language, "vi"), joinList(s.Topics), s.Phone,
				consent, s.ConsentSource, ts(now), s.Evidence); err != nil {
				return fmt.Errorf("add subscriber %s/%s: %w", s.Channel, s.ExternalID, err)
			}
			if consent.Valid {
				detail := fmt.Sprintf("%s via %s, consent given %s", s.Channel, s.ConsentSource, consent.String)
				if err := audit(ctx, tx, now, actor, "consent", "subscriber", subscriberID(ctx, tx, s.Channel, s.ExternalID), detail); err != nil {
					return err
				}
			}
		}
		if len(subs) == 0 {
			return nil
		}
		return audit(ctx, tx, now, actor, "import", "subscribers", 0, fmt.Sprintf("%d subscribers", len(subs)))
	})
}

// GenerateSubscribers adds n consenting subscribers on ch named prefix1 …
// prefixN, all topics, in SQL: for load tests and `loa bench`.
func (db *DB) GenerateSubscribers(ctx context.Context, ch content.Channel, prefix string, n int, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `WITH RECURSIVE seq(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM seq WHERE i < ?)
		INSERT OR IGNORE INTO subscribers (channel, external_id, topics, consent_at, consent_source, created_at)
		SELECT ?, ? || i, 'family,gender-equality,violence-prevention', ?, 'generated', ? FROM seq`, n, ch, prefix, ts(now), ts(now))
	if err != nil {
		return fmt.Errorf("generate subscribers: %w", err)
	}
	return nil
}

// CountAudience returns how many subscribers on ch would receive a message of
// topic ("" for all): consenting and not blocked.
func (db *DB) CountAudience(ctx context.Context, ch content.Channel, topic content.Topic) (int, error) {
	var n int
	err := db.read.QueryRowContext(ctx, `SELECT count(*) FROM subscribers WHERE channel = ? AND consent_at IS NOT NULL AND blocked_at IS NULL
		AND address = 'user' AND (? = '' OR ',' || topics || ',' LIKE '%,' || ? || ',%')`, ch, topic, topic).Scan(&n)
	return n, err
}

// aliasPrefix keys the meta rows that remember a chat's new id.
const aliasPrefix = "chat_alias:"

// RenameChat records that chat old on ch is now new (a Telegram group became
// a supergroup): subscribers follow, and the alias is remembered for
// schedules that name the old id.
func (db *DB) RenameChat(ctx context.Context, ch content.Channel, old, new string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET external_id = ? WHERE channel = ? AND external_id = ?`, new, ch, old); err != nil {
			return fmt.Errorf("rename chat %s: %w", old, err)
		}
		if _, err := tx.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`,
			aliasPrefix+string(ch)+":"+old, new); err != nil {
			return err
		}
		return audit(ctx, tx, now, "loa", "migrate", "chat", 0, fmt.Sprintf("%s %s → %s", ch, old, new))
	})
}

// ChatAliases returns the chats on ch known under a new id, old → new.
func (db *DB) ChatAliases(ctx context.Context, ch content.Channel) (map[string]string, error) {
	prefix := aliasPrefix + string(ch) + ":"
	rows, err := db.read.QueryContext(ctx, `SELECT key, value FROM meta WHERE key LIKE ? || '%'`, prefix)
	if err != nil {
		return nil, fmt.Errorf("read chat aliases: %w", err)
	}
	defer rows.Close()
	out := map[string]string{}
	for rows.Next() {
		var k, v string
		if err := rows.Scan(&k, &v); err != nil {
			return nil, err
		}
		out[strings.TrimPrefix(k, prefix)] = v
	}
	return out, rows.Err()
}

// Subscribers lists the subscribers of ch, oldest first.
func (db *DB) Subscribers(ctx context.Context, ch content.Channel) ([]residents.Subscriber, error) {
	return db.subscribersWhere(ctx, `channel = ? ORDER BY id`, ch)
}

func (db *DB) subscribersWhere(ctx context.Context, where string, args ...any) ([]residents.Subscriber, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT id, channel, external_id, display_name, language, topics, phone,
		coalesce(consent_at, ''), consent_source, coalesce(blocked_at, ''), coalesce(consented_at, ''), coalesce(withdrawn_at, ''),
		evidence, coalesce(followed_at, '') FROM subscribers WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("list subscribers: %w", err)
	}
	defer rows.Close()
	var out []residents.Subscriber
	for rows.Next() {
		var s residents.Subscriber
		var topics, consent, blocked, consented, withdrawn, followed string
		if err := rows.Scan(&s.ID, &s.Channel, &s.ExternalID, &s.Name, &s.Language, &topics, &s.Phone, &consent, &s.ConsentSource, &blocked,
			&consented, &withdrawn, &s.Evidence, &followed); err != nil {
			return nil, err
		}
		s.Topics = splitList[content.Topic](topics)
		s.ConsentAt, s.BlockedAt, s.ConsentedAt, s.WithdrawnAt, s.FollowedAt = optTS(consent), optTS(blocked), optTS(consented), optTS(withdrawn), optTS(followed)
		out = append(out, s)
	}
	return out, rows.Err()
}

// SubscriberCounts counts the subscribers of each channel by status and, of
// those receiving, by topic.
func (db *DB) SubscriberCounts(ctx context.Context) (map[content.Channel]residents.Counts, error) {
	rows, err := db.read.QueryContext(ctx, `SELECT channel,
		CASE WHEN blocked_at IS NOT NULL THEN 'blocked' WHEN consent_at IS NULL AND consented_at IS NULL THEN 'waiting'
			WHEN consent_at IS NULL THEN 'stopped' ELSE 'receives' END, topics, count(*)
		FROM subscribers GROUP BY 1, 2, 3`)
	if err != nil {
		return nil, fmt.Errorf("count subscribers: %w", err)
	}
	defer rows.Close()
	out := map[content.Channel]residents.Counts{}
	for rows.Next() {
		var ch content.Channel
		var status, topics string
		var n int
		if err := rows.Scan(&ch, &status, &topics, &n); err != nil {
			return nil, err
		}
		c, ok := out[ch]
		if !ok {
			c = residents.Counts{ByStatus: map[string]int{}, ByTopic: map[content.Topic]int{}}
		}
		c.ByStatus[status] += n
		if status == "receives" {
			for _, t := range splitList[content.Topic](topics) {
				c.ByTopic[t] += n
			}
		}
		out[ch] = c
	}
	return out, rows.Err()
}

// FindSubscribers returns the subscribers whose id or phone is q, at most 20.
func (db *DB) FindSubscribers(ctx context.Context, q string) ([]residents.Subscriber, error) {
	return db.subscribersWhere(ctx, `(external_id = ? OR (phone != '' AND phone = ?)) ORDER BY id LIMIT 20`, q, q)
}

// optTS reads an optional timestamp: zero for "".
func optTS(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	return parseTS(s)
}
