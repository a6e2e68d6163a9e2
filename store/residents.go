package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/content"
)

// Residents is the subscribers of one channel as a bot sees them: stored
// only with consent, forgotten on request.
type Residents struct {
	db *DB
	ch content.Channel
}

// Residents returns the subscribers of ch for a bot.
func (db *DB) Residents(ch content.Channel) Residents { return Residents{db, ch} }

// residents.Subscriber returns a resident's topics and whether they consented.
func (r Residents) Subscriber(ctx context.Context, chatID string) ([]content.Topic, bool, bool, error) {
	var topics string
	var consent sql.NullString
	err := r.db.read.QueryRowContext(ctx, `SELECT topics, consent_at FROM subscribers WHERE channel = ? AND external_id = ?`, r.ch, chatID).
		Scan(&topics, &consent)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, false, false, nil
	}
	if err != nil {
		return nil, false, false, fmt.Errorf("read subscriber: %w", err)
	}
	return splitList[content.Topic](topics), consent.Valid, true, nil
}

// Subscribe records consent, its time and source, with topics.
func (r Residents) Subscribe(ctx context.Context, chatID, name, lang, source string, topics []content.Topic, now time.Time) error {
	return r.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscribers (channel, external_id, display_name, language, topics, consent_at, consent_source, created_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?)
			ON CONFLICT (channel, external_id) DO UPDATE SET display_name = excluded.display_name, language = excluded.language,
				topics = excluded.topics, consent_at = excluded.consent_at, consent_source = excluded.consent_source, blocked_at = NULL`,
			r.ch, chatID, name, lang, joinList(topics), ts(now), source, ts(now))
		if err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
		return audit(ctx, tx, now, "resident", "consent", "subscriber", subscriberID(ctx, tx, r.ch, chatID), fmt.Sprintf("%s via %s", r.ch, source))
	})
}

// SetTopics replaces a resident's topics.
func (r Residents) SetTopics(ctx context.Context, chatID string, topics []content.Topic) error {
	_, err := r.db.write.ExecContext(ctx, `UPDATE subscribers SET topics = ? WHERE channel = ? AND external_id = ?`, joinList(topics), r.ch, chatID)
	return err
}

// Reachable clears a resident's blocked mark: they wrote to the bot, so it
// may write to them again.
func (r Residents) Reachable(ctx context.Context, chatID string) error {
	_, err := r.db.write.ExecContext(ctx, `UPDATE subscribers SET blocked_at = NULL WHERE channel = ? AND external_id = ? AND blocked_at IS NOT NULL`, r.ch, chatID)
	if err != nil {
		return fmt.Errorf("mark subscriber reachable: %w", err)
	}
	return nil
}

// Unsubscribe withdraws consent; nothing more is sent.
func (r Residents) Unsubscribe(ctx context.Context, chatID string, now time.Time) error {
	return r.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE subscribers SET consent_at = NULL WHERE channel = ? AND external_id = ? AND consent_at IS NOT NULL`, r.ch, chatID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			return audit(ctx, tx, now, "resident", "withdraw", "subscriber", subscriberID(ctx, tx, r.ch, chatID), string(r.ch))
		}
		return nil
	})
}

// Forget deletes a resident and replaces their id in the ledger, so counts
// stay right and nothing identifies them.
func (r Residents) Forget(ctx context.Context, chatID string) error {
	return r.db.tx(ctx, func(tx *sql.Tx) error { return forget(ctx, tx, r.ch, chatID) })
}

func forget(ctx context.Context, tx *sql.Tx, ch content.Channel, id string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET recipient = 'forgotten-' || id, subscriber_id = NULL, provider_id = ''
		WHERE channel = ? AND recipient = ?`, ch, id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE channel = ? AND external_id = ?`, ch, id)
	return err
}

// ForgetSubscriber is Forget for a resident of ch, done by a person of the
// office at the resident's request, and recorded (without the id).
func (db *DB) ForgetSubscriber(ctx context.Context, ch content.Channel, id, actor string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if err := forget(ctx, tx, ch, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "delete", "subscriber", 0, string(ch)+": at the resident's request")
	})
}

// subscriberID is the row id of a subscriber, for the audit log (0 when
// there is none): a person's consent history is the log of that id.
func subscriberID(ctx context.Context, tx *sql.Tx, ch content.Channel, externalID string) int64 {
	var id int64
	_ = tx.QueryRowContext(ctx, `SELECT id FROM subscribers WHERE channel = ? AND external_id = ?`, ch, externalID).Scan(&id)
	return id
}
