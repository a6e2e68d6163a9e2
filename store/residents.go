package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/privacy"
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

// Subscribe records consent, its time and source, with topics. A person
// who had withdrawn consents again; the time they withdrew is cleared.
func (r Residents) Subscribe(ctx context.Context, chatID, name, lang, source string, topics []content.Topic, now time.Time) error {
	return r.db.tx(ctx, func(tx *sql.Tx) error {
		_, err := tx.ExecContext(ctx, `INSERT INTO subscribers (channel, external_id, display_name, language, topics, consent_at, consent_source, created_at, consented_at)
			VALUES (?, ?, ?, ?, ?, ?6, ?, ?, ?6)
			ON CONFLICT (channel, external_id) DO UPDATE SET display_name = CASE WHEN excluded.display_name != '' THEN excluded.display_name ELSE display_name END,
				language = excluded.language, topics = excluded.topics, consent_at = excluded.consent_at, consent_source = excluded.consent_source,
				consented_at = excluded.consented_at, withdrawn_at = NULL, blocked_at = NULL`,
			r.ch, chatID, name, lang, joinList(topics), ts(now), source, ts(now))
		if err != nil {
			return fmt.Errorf("subscribe: %w", err)
		}
		return audit(ctx, tx, now, "resident", "consent", "subscriber", subscriberID(ctx, tx, r.ch, chatID), fmt.Sprintf("%s via %s", r.ch, source))
	})
}

// SetTopics replaces a resident's topics: a request to change, done at once
// and recorded.
func (r Residents) SetTopics(ctx context.Context, chatID string, topics []content.Topic, now time.Time) error {
	return r.db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE subscribers SET topics = ? WHERE channel = ? AND external_id = ?`, joinList(topics), r.ch, chatID); err != nil {
			return err
		}
		return r.done(ctx, tx, privacy.Change, chatID, now)
	})
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

// Unsubscribe withdraws consent: nothing more is sent. The consent's time
// and source stay, as the evidence, with the time it was withdrawn; the
// request is recorded as done.
func (r Residents) Unsubscribe(ctx context.Context, chatID string, now time.Time) error {
	return r.db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE subscribers SET consent_at = NULL, withdrawn_at = ? WHERE channel = ? AND external_id = ? AND consent_at IS NOT NULL`,
			ts(now), r.ch, chatID)
		if err != nil {
			return err
		}
		if n, _ := res.RowsAffected(); n > 0 {
			if err := audit(ctx, tx, now, "resident", "withdraw", "subscriber", subscriberID(ctx, tx, r.ch, chatID), string(r.ch)); err != nil {
				return err
			}
			return r.done(ctx, tx, privacy.Withdraw, chatID, now)
		}
		return nil
	})
}

// Record returns what is held about a resident, for them to see (a
// request to see, recorded as done); false when nothing is.
func (r Residents) Record(ctx context.Context, chatID string, now time.Time) (privacy.Held, bool, error) {
	subs, err := r.db.subscribersWhere(ctx, `channel = ? AND external_id = ?`, r.ch, chatID)
	if err != nil || len(subs) == 0 {
		return privacy.Held{}, false, err
	}
	s := subs[0]
	h := privacy.Held{Channel: s.Channel, ID: s.ExternalID, Name: s.Name, Language: s.Language, Topics: s.Topics, Phone: s.Phone,
		ConsentAt: s.ConsentAt, ConsentedAt: s.ConsentedAt, ConsentSource: s.ConsentSource, Evidence: s.Evidence,
		WithdrawnAt: s.WithdrawnAt, FollowedAt: s.FollowedAt}
	if err := r.db.read.QueryRowContext(ctx, `SELECT count(*) FROM deliveries WHERE channel = ? AND recipient = ?`, r.ch, chatID).Scan(&h.Deliveries); err != nil {
		return h, true, err
	}
	err = r.db.tx(ctx, func(tx *sql.Tx) error { return r.done(ctx, tx, privacy.See, chatID, now) })
	return h, true, err
}

// Forget deletes a resident at their own request (the bot, the OA): see
// DB.ForgetSubscriber.
func (r Residents) Forget(ctx context.Context, chatID string, now time.Time) error {
	return r.db.ForgetSubscriber(ctx, r.ch, chatID, "resident", string(r.ch), now)
}

// done records a request of kind the resident made on the bot or the OA,
// carried out at once.
func (r Residents) done(ctx context.Context, tx *sql.Tx, kind, chatID string, now time.Time) error {
	return logRequest(ctx, tx, privacy.Request{Kind: kind, Via: string(r.ch), Subject: string(r.ch) + ":" + chatID,
		ReceivedAt: now, DueAt: now, DoneAt: now, DoneBy: "resident"})
}

// forget deletes the subscriber and replaces their id in the ledger with
// one that names nobody, so the counts stay right; their requests keep no
// subject.
func forget(ctx context.Context, tx *sql.Tx, ch content.Channel, id string) error {
	if _, err := tx.ExecContext(ctx, `UPDATE deliveries SET recipient = 'forgotten-' || id, subscriber_id = NULL, provider_id = ''
		WHERE channel = ? AND recipient = ?`, ch, id); err != nil {
		return err
	}
	if _, err := tx.ExecContext(ctx, `UPDATE privacy_requests SET subject = '' WHERE subject = ?`, string(ch)+":"+id); err != nil {
		return err
	}
	_, err := tx.ExecContext(ctx, `DELETE FROM subscribers WHERE channel = ? AND external_id = ?`, ch, id)
	return err
}

// ForgetSubscriber deletes a resident of ch at their request, by actor
// (the resident themselves, or a person of the office), received by via,
// and records it without the id. Nothing of them stays in the database
// file: the database deletes securely (its pages are zeroed), and the
// write-ahead log, which still holds the old pages, is checkpointed and
// truncated.
func (db *DB) ForgetSubscriber(ctx context.Context, ch content.Channel, id, actor, via string, now time.Time) error {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		if err := forget(ctx, tx, ch, id); err != nil {
			return err
		}
		if err := logRequest(ctx, tx, privacy.Request{Kind: privacy.Delete, Via: via, ReceivedAt: now, DueAt: now, DoneAt: now, DoneBy: actor}); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "delete", "subscriber", 0, string(ch)+": at the resident's request")
	})
	if err != nil {
		return err
	}
	// The deletion is done; a reader holding the log only delays the
	// truncation (the next one, the daily retention or the clean stop does it).
	if err := db.Checkpoint(ctx); err != nil && !errors.Is(err, errBusyLog) {
		return err
	}
	return nil
}

// errBusyLog is a checkpoint that readers kept from truncating the log.
var errBusyLog = errors.New("checkpoint: readers kept the write-ahead log busy")

// Checkpoint copies the write-ahead log into the database file and
// truncates it, so deleted rows' old pages are gone from the log too.
func (db *DB) Checkpoint(ctx context.Context) error {
	var busy, frames, done int
	for range 3 {
		if err := db.write.QueryRowContext(ctx, `PRAGMA wal_checkpoint(TRUNCATE)`).Scan(&busy, &frames, &done); err != nil {
			return fmt.Errorf("checkpoint: %w", err)
		}
		if busy == 0 {
			return nil
		}
	}
	return errBusyLog
}

// subscriberID is the row id of a subscriber, for the audit log (0 when
// there is none): a person's consent history is the log of that id.
func subscriberID(ctx context.Context, tx *sql.Tx, ch content.Channel, externalID string) int64 {
	var id int64
	_ = tx.QueryRowContext(ctx, `SELECT id FROM subscribers WHERE channel = ? AND external_id = ?`, ch, externalID).Scan(&id)
	return id
}
