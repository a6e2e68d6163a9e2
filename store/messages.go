package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"

	"github.com/loa-ward/loa/content"
)

// SaveDraft stores d as the newest version of its message in campaign
// campaignID, creating the message if its key is new. Saving text identical
// to the newest version changes nothing and reports changed false. Saving
// over an approved message starts a new version that needs approval again;
// a submitted message must be withdrawn first (a *content.TransitionError).
// d must already have passed content.Check.
func (db *DB) SaveDraft(ctx context.Context, campaignID int64, d content.Draft, actor string, now time.Time) (m content.Message, changed bool, err error) {
	err = db.tx(ctx, func(tx *sql.Tx) error {
		m, changed, err = saveDraft(ctx, tx, campaignID, d, actor, now)
		return err
	})
	return m, changed, err
}

func saveDraft(ctx context.Context, tx *sql.Tx, campaignID int64, d content.Draft, actor string, now time.Time) (content.Message, bool, error) {
	m, err := messageWhere(ctx, tx, `m.campaign_id = ? AND m.key = ?`, campaignID, d.Key)
	if errors.Is(err, ErrNotFound) {
		res, err := tx.ExecContext(ctx, `INSERT INTO messages (campaign_id, key, state, version, created_at, updated_at)
			VALUES (?, ?, 'draft', 1, ?, ?)`, campaignID, d.Key, ts(now), ts(now))
		if err != nil {
			return m, false, fmt.Errorf("create message %s: %w", d.Key, err)
		}
		id, _ := res.LastInsertId()
		if err := insertVersion(ctx, tx, id, 1, d, actor, now); err != nil {
			return m, false, err
		}
		if err := audit(ctx, tx, now, actor, "create", "message", id, fmt.Sprintf("%s v1", d.Key)); err != nil {
			return m, false, err
		}
		m, err = messageWhere(ctx, tx, `m.id = ?`, id)
		return m, true, err
	}
	if err != nil {
		return m, false, err
	}
	if m.Draft == d {
		return m, false, nil
	}
	to, err := content.Next(m.State, content.ActEdit)
	if err != nil {
		return m, false, fmt.Errorf("save message %s: %w", d.Key, err)
	}
	next := m.Version + 1
	if err := insertVersion(ctx, tx, m.ID, next, d, actor, now); err != nil {
		return m, false, err
	}
	_, err = tx.ExecContext(ctx, `UPDATE messages SET state = ?, version = ?, reject_reason = '', submitted_by = '', updated_at = ? WHERE id = ?`,
		to, next, ts(now), m.ID)
	if err != nil {
		return m, false, fmt.Errorf("save message %s: %w", d.Key, err)
	}
	if err := audit(ctx, tx, now, actor, string(content.ActEdit), "message", m.ID, fmt.Sprintf("v%d, was %s", next, m.State)); err != nil {
		return m, false, err
	}
	m, err = messageWhere(ctx, tx, `m.id = ?`, m.ID)
	return m, true, err
}

func insertVersion(ctx context.Context, tx *sql.Tx, id int64, n int, d content.Draft, actor string, now time.Time) error {
	v := d.Variants
	_, err := tx.ExecContext(ctx, `INSERT INTO message_versions
		(message_id, version, title, topic, image, telegram, zalo, loudspeaker, banner, created_by, created_at)
		VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		id, n, d.Title, string(d.Topic), d.Image, v.Telegram, v.Zalo, v.Loudspeaker, v.Banner, actor, ts(now))
	if err != nil {
		return fmt.Errorf("save version %d of message %d: %w", n, id, err)
	}
	return nil
}

// ErrReasonRequired is returned when rejecting without saying why.
var ErrReasonRequired = errors.New("a reason is required to reject a message")

// Transition applies action (submit, withdraw, approve, reject, archive,
// restore) to message id, as content.Next allows, and writes it to the audit
// log with actor and now. Rejecting needs a reason; approving records the
// version approved. Editing goes through SaveDraft instead.
func (db *DB) Transition(ctx context.Context, id int64, action content.Action, actor, reason string, now time.Time) (content.Message, error) {
	var m content.Message
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var err error
		if m, err = messageWhere(ctx, tx, `m.id = ?`, id); err != nil {
			return err
		}
		if action == content.ActEdit {
			return fmt.Errorf("message %d: edit with SaveDraft", id)
		}
		to, err := content.Next(m.State, action)
		if err != nil {
			return fmt.Errorf("message %d: %w", id, err)
		}
		if action == content.ActReject && reason == "" {
			return fmt.Errorf("message %d: %w", id, ErrReasonRequired)
		}
		approved := sql.NullInt64{Int64: int64(m.ApprovedVersion), Valid: m.ApprovedVersion > 0}
		if action == content.ActApprove {
			approved = sql.NullInt64{Int64: int64(m.Version), Valid: true}
		}
		submitter := m.SubmittedBy
		switch action {
		case content.ActSubmit:
			submitter = actor
		case content.ActWithdraw, content.ActReject:
			submitter = ""
		}
		_, err = tx.ExecContext(ctx, `UPDATE messages SET state = ?, approved_version = ?, reject_reason = ?, submitted_by = ?, updated_at = ? WHERE id = ?`,
			to, approved, reason, submitter, ts(now), id)
		if err != nil {
			return fmt.Errorf("message %d: %s: %w", id, action, err)
		}
		detail := fmt.Sprintf("v%d: %s → %s", m.Version, m.State, to)
		if reason != "" {
			detail += ": " + reason
		}
		if err := audit(ctx, tx, now, actor, string(action), "message", id, detail); err != nil {
			return err
		}
		m, err = messageWhere(ctx, tx, `m.id = ?`, id)
		return err
	})
	return m, err
}

const messageSelect = `
	SELECT m.id, m.campaign_id, c.observance_key, c.year, m.key, m.state, m.version,
		coalesce(m.approved_version, 0), m.reject_reason, m.updated_at, v.created_by, m.submitted_by,
		v.title, v.topic, v.image, v.telegram, v.zalo, v.loudspeaker, v.banner
	FROM messages m
	JOIN campaigns c ON c.id = m.campaign_id
	JOIN message_versions v ON v.message_id = m.id AND v.version = m.version`

type queryer interface {
	QueryContext(ctx context.Context, query string, args ...any) (*sql.Rows, error)
}

func scanMessage(row interface{ Scan(...any) error }) (content.Message, error) {
	var m content.Message
	var observance, updated string
	var year int
	v := &m.Variants
	err := row.Scan(&m.ID, &m.CampaignID, &observance, &year, &m.Key, &m.State, &m.Version,
		&m.ApprovedVersion, &m.RejectReason, &updated, &m.Author, &m.SubmittedBy,
		&m.Title, &m.Topic, &m.Image, &v.Telegram, &v.Zalo, &v.Loudspeaker, &v.Banner)
	m.Campaign = content.CampaignKey(observance, year)
	m.UpdatedAt = parseTS(updated)
	return m, err
}

func messageWhere(ctx context.Context, q queryer, where string, args ...any) (content.Message, error) {
	ms, err := messagesWhere(ctx, q, where+` LIMIT 1`, args...)
	if err != nil {
		return content.Message{}, err
	}
	if len(ms) == 0 {
		return content.Message{}, fmt.Errorf("message: %w", ErrNotFound)
	}
	return ms[0], nil
}

func messagesWhere(ctx context.Context, q queryer, where string, args ...any) ([]content.Message, error) {
	rows, err := q.QueryContext(ctx, messageSelect+` WHERE `+where, args...)
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	out, err := collect(rows, func(r *sql.Rows) (content.Message, error) { return scanMessage(r) })
	if err != nil {
		return nil, fmt.Errorf("read messages: %w", err)
	}
	return out, nil
}

// Message returns message id with its newest version, or ErrNotFound.
func (db *DB) Message(ctx context.Context, id int64) (content.Message, error) {
	return messageWhere(ctx, db.read, `m.id = ?`, id)
}

// MessagesByKey returns the messages with key in any campaign, newest campaign first.
func (db *DB) MessagesByKey(ctx context.Context, key string) ([]content.Message, error) {
	return messagesWhere(ctx, db.read, `m.key = ? ORDER BY c.year DESC, c.starts_on`, key)
}

// Messages returns the messages f selects, by campaign date then key.
func (db *DB) Messages(ctx context.Context, f content.MessageFilter) ([]content.Message, error) {
	return messagesWhere(ctx, db.read, `(? = 0 OR c.year = ?) AND (? = 0 OR m.campaign_id = ?) AND (? = '' OR m.state = ?)
		ORDER BY c.starts_on, c.observance_key, m.key`, f.Year, f.Year, f.CampaignID, f.CampaignID, f.State, f.State)
}

// Versions returns every version of message id, oldest first.
func (db *DB) Versions(ctx context.Context, id int64) ([]content.Version, error) {
	rows, err := db.read.QueryContext(ctx, `
		SELECT v.message_id, v.version, m.key, v.title, v.topic, v.image, v.telegram, v.zalo, v.loudspeaker, v.banner,
			v.created_by, v.created_at
		FROM message_versions v JOIN messages m ON m.id = v.message_id
		WHERE v.message_id = ? ORDER BY v.version`, id)
	if err != nil {
		return nil, fmt.Errorf("read versions of message %d: %w", id, err)
	}
	defer rows.Close()
	var out []content.Version
	for rows.Next() {
		var v content.Version
		var at string
		vs := &v.Variants
		if err := rows.Scan(&v.MessageID, &v.Number, &v.Key, &v.Title, &v.Topic, &v.Image,
			&vs.Telegram, &vs.Zalo, &vs.Loudspeaker, &vs.Banner, &v.CreatedBy, &at); err != nil {
			return nil, fmt.Errorf("read versions of message %d: %w", id, err)
		}
		v.CreatedAt = parseTS(at)
		out = append(out, v)
	}
	if err := rows.Err(); err != nil {
		return nil, err
	}
	if len(out) == 0 {
		return nil, fmt.Errorf("message %d: %w", id, ErrNotFound)
	}
	return out, nil
}
