package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"time"
)

// Lease is who holds the right to send from this database.
type Lease struct {
	Name      string
	Holder    string // "host pid instance"
	Acquired  time.Time
	Heartbeat time.Time
	Expires   time.Time
}

// LeaseHeldError says another live process holds the lease.
type LeaseHeldError struct{ Lease Lease }

func (e *LeaseHeldError) Error() string {
	return fmt.Sprintf("another loa (%s) is running on this database: its lease was renewed at %s and runs until %s",
		e.Lease.Holder, e.Lease.Heartbeat.Format(time.RFC3339), e.Lease.Expires.Format(time.RFC3339))
}

// AcquireLease takes lease name for holder until now+ttl. It succeeds when
// nobody holds it, the holder's lease expired, or stale reports that the
// holder is gone (a process on this host that no longer exists); otherwise
// it returns a *LeaseHeldError.
func (db *DB) AcquireLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time, stale func(holder string) bool) error {
	return db.tx(ctx, func(tx *sql.Tx) error {
		var l Lease
		var acq, hb, exp string
		err := tx.QueryRowContext(ctx, `SELECT name, holder, acquired_at, heartbeat_at, expires_at FROM leases WHERE name = ?`, name).
			Scan(&l.Name, &l.Holder, &acq, &hb, &exp)
		switch {
		case errors.Is(err, sql.ErrNoRows):
		case err != nil:
			return fmt.Errorf("read lease: %w", err)
		default:
			l.Acquired, l.Heartbeat, l.Expires = parseTS(acq), parseTS(hb), parseTS(exp)
			if l.Holder != holder && now.Before(l.Expires) && (stale == nil || !stale(l.Holder)) {
				return &LeaseHeldError{l}
			}
		}
		_, err = tx.ExecContext(ctx, `INSERT INTO leases (name, holder, acquired_at, heartbeat_at, expires_at) VALUES (?, ?, ?, ?, ?)
			ON CONFLICT (name) DO UPDATE SET holder = excluded.holder, acquired_at = excluded.acquired_at,
				heartbeat_at = excluded.heartbeat_at, expires_at = excluded.expires_at`,
			name, holder, ts(now), ts(now), ts(now.Add(ttl)))
		return err
	})
}

// ErrLeaseLost is returned when renewing a lease another process took.
var ErrLeaseLost = errors.New("the lease was taken by another process")

// RenewLease extends holder's lease to now+ttl.
func (db *DB) RenewLease(ctx context.Context, name, holder string, ttl time.Duration, now time.Time) error {
	res, err := db.write.ExecContext(ctx, `UPDATE leases SET heartbeat_at = ?, expires_at = ? WHERE name = ? AND holder = ?`,
		ts(now), ts(now.Add(ttl)), name, holder)
	if err != nil {
		return fmt.Errorf("renew lease: %w", err)
	}
	if n, _ := res.RowsAffected(); n == 0 {
		return ErrLeaseLost
	}
	return nil
}

// ReleaseLease gives the lease up, if holder still has it.
func (db *DB) ReleaseLease(ctx context.Context, name, holder string) error {
	_, err := db.write.ExecContext(ctx, `DELETE FROM leases WHERE name = ? AND holder = ?`, name, holder)
	return err
}

// Meta returns a fact about the database, "" when unset.
func (db *DB) Meta(ctx context.Context, key string) (string, error) {
	var v string
	err := db.read.QueryRowContext(ctx, `SELECT value FROM meta WHERE key = ?`, key).Scan(&v)
	if errors.Is(err, sql.ErrNoRows) {
		return "", nil
	}
	return v, err
}

// SetMeta records a fact about the database; an empty value deletes it.
func (db *DB) SetMeta(ctx context.Context, key, value string) error {
	if value == "" {
		_, err := db.write.ExecContext(ctx, `DELETE FROM meta WHERE key = ?`, key)
		return err
	}
	_, err := db.write.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES (?, ?) ON CONFLICT (key) DO UPDATE SET value = excluded.value`, key, value)
	return err
}
