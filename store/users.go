package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/staff"
)

const (
	userColumns = `u.id, u.login, u.full_name, u.title, u.role, u.telegram_chat_id, u.email, u.zalo_user_id, u.notify, u.digest,
	u.created_at, coalesce(u.password_at, ''), coalesce(u.disabled_at, '')`
	userSelect = `SELECT ` + userColumns + ` FROM users u`
)

// scanUser reads userColumns, then into extra the columns after them.
func scanUser(r interface{ Scan(...any) error }, extra ...any) (staff.User, error) {
	var u staff.User
	var created, pw, disabled, notify string
	err := r.Scan(append([]any{&u.ID, &u.Name, &u.FullName, &u.Title, &u.Role, &u.TelegramChat, &u.Email, &u.ZaloID, &notify, &u.Digest,
		&created, &pw, &disabled}, extra...)...)
	u.Notify = splitList[string](notify)
	u.CreatedAt = parseTS(created)
	if pw != "" {
		u.PasswordAt = parseTS(pw)
	}
	if disabled != "" {
		u.DisabledAt = parseTS(disabled)
	}
	return u, err
}

// AddUser creates an account (hash "" for none yet); ErrExists when the
// login is taken, whatever its case.
func (db *DB) AddUser(ctx context.Context, u staff.User, hash, actor string, now time.Time) (staff.User, error) {
	err := db.tx(ctx, func(tx *sql.Tx) error {
		var taken int
		if err := tx.QueryRowContext(ctx, `SELECT count(*) FROM users WHERE login = ?`, u.Name).Scan(&taken); err != nil {
			return err
		}
		if taken > 0 {
			return fmt.Errorf("user %s: %w", u.Name, ErrExists)
		}
		var pwAt sql.NullString
		if hash != "" {
			pwAt = sql.NullString{String: ts(now), Valid: true}
		}
		if u.Notify == nil {
			u.Notify = staff.NotifyChannels
		}
		res, err := tx.ExecContext(ctx, `INSERT INTO users (login, full_name, title, role, password_hash, telegram_chat_id, email, zalo_user_id, notify, digest, created_at, password_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`, u.Name, u.FullName, u.Title, u.Role, hash, u.TelegramChat, u.Email, u.ZaloID, strings.Join(u.Notify, ","), u.Digest, ts(now), pwAt)
		if err != nil {
			return fmt.Errorf("add user %s: %w", u.Name, err)
		}
		u.ID, _ = res.LastInsertId()
		u.CreatedAt = now
		if hash != "" {
			u.PasswordAt = now
		}
		return audit(ctx, tx, now, actor, "create", "user", u.ID, fmt.Sprintf("%s (%s)", u.Name, u.Role))
	})
	return u, err
}

// Users lists the accounts, by login.
func (db *DB) Users(ctx context.Context) ([]staff.User, error) {
	rows, err := db.read.QueryContext(ctx, userSelect+` ORDER BY u.login`)
	if err != nil {
		return nil, fmt.Errorf("list users: %w", err)
	}
	return collect(rows, func(r *sql.Rows) (staff.User, error) { return scanUser(r) })
}

// User returns the account with login name (any case), or ErrNotFound.
func (db *DB) User(ctx context.Context, name string) (staff.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, userSelect+` WHERE u.login = ?`, name))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("user %s: %w", name, content.ErrNotFound)
	}
	return u, err
}

// SetContact replaces how notices reach an account: its e-mail, Telegram
// chat, Zalo user id, the order of its channels and the digest choice.
func (db *DB) SetContact(ctx context.Context, u staff.User, actor string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET email = ?, telegram_chat_id = ?, zalo_user_id = ?, notify = ?, digest = ? WHERE id = ?`,
			u.Email, u.TelegramChat, u.ZaloID, strings.Join(u.Notify, ","), u.Digest, u.ID); err != nil {
			return fmt.Errorf("set contact: %w", err)
		}
		return audit(ctx, tx, now, actor, "contact", "user", u.ID, strings.Join(u.Notify, ","))
	})
}

// UserByZalo returns the active account that follows the OA as zaloID, or
// ErrNotFound.
func (db *DB) UserByZalo(ctx context.Context, zaloID string) (staff.User, error) {
	u, err := scanUser(db.read.QueryRowContext(ctx, userSelect+` WHERE u.zalo_user_id = ? AND u.zalo_user_id != '' AND u.disabled_at IS NULL`, zaloID))
	if errors.Is(err, sql.ErrNoRows) {
		return u, fmt.Errorf("zalo user: %w", content.ErrNotFound)
	}
	return u, err
}

// PasswordHash returns the account's password hash, "" when it has none.
func (db *DB) PasswordHash(ctx context.Context, id int64) (string, error) {
	var h string
	err := db.read.QueryRowContext(ctx, `SELECT password_hash FROM users WHERE id = ?`, id).Scan(&h)
	return h, err
}

// SetPassword replaces an account's password hash and ends its sessions.
func (db *DB) SetPassword(ctx context.Context, id int64, hash, actor string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `UPDATE users SET password_hash = ?, password_at = ? WHERE id = ?`, hash, ts(now), id); err != nil {
			return fmt.Errorf("set password: %w", err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "password", "user", id, "")
	})
}

// DisableUser disables an account (or enables it again) and ends its
// sessions.
func (db *DB) DisableUser(ctx context.Context, id int64, disable bool, actor string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		at, action := sql.NullString{String: ts(now), Valid: true}, "disable"
		if !disable {
			at, action = sql.NullString{}, "enable"
		}
		if _, err := tx.ExecContext(ctx, `UPDATE users SET disabled_at = ? WHERE id = ?`, at, id); err != nil {
			return fmt.Errorf("%s user: %w", action, err)
		}
		if _, err := tx.ExecContext(ctx, `DELETE FROM sessions WHERE user_id = ?`, id); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, action, "user", id, "")
	})
}

// StartSession records a session by its token's hash.
func (db *DB) StartSession(ctx context.Context, tokenHash string, u staff.User, address string, now time.Time) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		if _, err := tx.ExecContext(ctx, `INSERT INTO sessions (token_hash, user_id, created_at, seen_at, address) VALUES (?, ?, ?, ?, ?)`,
			tokenHash, u.ID, ts(now), ts(now), address); err != nil {
			return fmt.Errorf("start session: %w", err)
		}
		return audit(ctx, tx, now, u.Name, "login", "user", u.ID, address)
	})
}

// Session returns the account of the session with tokenHash and when the
// session started and was last seen; ErrNotFound when there is none.
func (db *DB) Session(ctx context.Context, tokenHash string) (u staff.User, started, seen time.Time, err error) {
	var s1, s2 string
	u, err = scanUser(db.read.QueryRowContext(ctx, `SELECT `+userColumns+`, s.created_at, s.seen_at
		FROM sessions s JOIN users u ON u.id = s.user_id WHERE s.token_hash = ?`, tokenHash), &s1, &s2)
	if errors.Is(err, sql.ErrNoRows) {
		return u, started, seen, fmt.Errorf("session: %w", content.ErrNotFound)
	}
	if err != nil {
		return u, started, seen, err
	}
	return u, parseTS(s1), parseTS(s2), nil
}

// TouchSession records that a session was used at now.
func (db *DB) TouchSession(ctx context.Context, tokenHash string, now time.Time) error {
	_, err := db.write.ExecContext(ctx, `UPDATE sessions SET seen_at = ? WHERE token_hash = ?`, ts(now), tokenHash)
	return err
}

// EndSession deletes a session (logging out, or one that expired).
func (db *DB) EndSession(ctx context.Context, tokenHash string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE token_hash = ?`, tokenHash)
	return err
}

// EndSessionsBefore deletes sessions last seen before idle or started
// before started: expired ones, whose rows are of no use.
func (db *DB) EndSessionsBefore(ctx context.Context, idle, started time.Time) (int, error) {
	res, err := db.write.ExecContext(ctx, `DELETE FROM sessions WHERE seen_at < ? OR created_at < ?`, ts(idle), ts(started))
	if err != nil {
		return 0, err
	}
	n, _ := res.RowsAffected()
	return int(n), nil
}
