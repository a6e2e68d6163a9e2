package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"net/url"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/loa-ward/loa/content"
)

// DB is the open database.
type DB struct {
	path  string
	write *sql.DB // one connection: all writes, in immediate transactions
	read  *sql.DB // read-only connections
	// lastWrite is the failure of the last write transaction, nil after a
	// commit: a full disk shows in /healthz while nothing can be recorded.
	lastWrite atomic.Pointer[error]
}

// ErrNotFound is returned when a looked-up row does not exist.
var ErrNotFound = content.ErrNotFound

// Open opens (creating if needed) the database at path and its directory.
// It does not migrate; call Migrate.
func Open(ctx context.Context, path string) (*DB, error) {
	if path == "" || path == ":memory:" {
		return nil, fmt.Errorf("open database: a file path is required (an in-memory database cannot be shared by the pool)")
	}
	if strings.HasSuffix(path, PartialSuffix) {
		return nil, content.Errorf("%s là bản sao lưu chưa xong (bị ngắt giữa chừng), không phải cơ sở dữ liệu dùng được: hãy xóa nó và sao lưu lại",
			"%s is an unfinished backup (it was interrupted), not a usable database: delete it and back up again", path)
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	// The file (and so its -wal and -shm, which SQLite creates with the
	// same mode) is private to Loa's user: it holds residents' ids and phones.
	f, err := os.OpenFile(path, os.O_CREATE|os.O_RDWR, 0o600)
	if err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	f.Close()
	if err := os.Chmod(path, 0o600); err != nil {
		return nil, fmt.Errorf("open database: %w", err)
	}
	write, err := sql.Open("sqlite3", dsn(path, false))
	if err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	write.SetMaxOpenConns(1)
	write.SetConnMaxIdleTime(0)
	db := &DB{path: path, write: write}
	if err := write.PingContext(ctx); err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	var mode string
	if err := write.QueryRowContext(ctx, "PRAGMA journal_mode").Scan(&mode); err != nil || mode != "wal" {
		write.Close()
		return nil, fmt.Errorf("open database %s: journal mode is %q, want wal: %v", path, mode, err)
	}
	db.read, err = sql.Open("sqlite3", dsn(path, true))
	if err != nil {
		write.Close()
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	db.read.SetMaxOpenConns(4)
	return db, nil
}

func dsn(path string, readOnly bool) string {
	q := url.Values{}
	q.Set("_journal_mode", "WAL")
	q.Set("_foreign_keys", "on")
	q.Set("_busy_timeout", "5000")
	if readOnly {
		q.Set("_query_only", "true")
	} else {
		q.Set("_txlock", "immediate")
		// FULL: a commit is on disk before it returns, so a delivery marked
		// sending before its network call is still sending after a power
		// cut (NORMAL in WAL mode survives a crash of the process only).
		q.Set("_synchronous", "FULL")
		// Deleted content is overwritten with zeros: a resident deleted at
		// their request leaves nothing in the file (free pages included).
		q.Set("_secure_delete", "on")
	}
	return "file:" + path + "?" + q.Encode()
}

// Path returns the database file's path.
func (db *DB) Path() string { return db.path }

// Close closes every connection.
func (db *DB) Close() error {
	return errors.Join(db.read.Close(), db.write.Close())
}

// tx runs fn in a write transaction, committed when fn returns nil.
func (db *DB) tx(ctx context.Context, fn func(*sql.Tx) error) error {
	err := db.runTx(ctx, fn)
	var se sqlite3.Error
	switch {
	case err == nil:
		db.lastWrite.Store(nil)
	case errors.As(err, &se) && (se.Code == sqlite3.ErrFull || se.Code == sqlite3.ErrIoErr || se.Code == sqlite3.ErrReadonly || se.Code == sqlite3.ErrCantOpen):
		db.lastWrite.Store(&err)
	}
	return err
}

func (db *DB) runTx(ctx context.Context, fn func(*sql.Tx) error) error {
	tx, err := db.write.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	if err := fn(tx); err != nil {
		_ = tx.Rollback()
		return err
	}
	return tx.Commit()
}

// WriteError returns why the last write transaction could not be written
// (a full disk, an I/O error), nil when the last one committed.
func (db *DB) WriteError() error {
	if p := db.lastWrite.Load(); p != nil {
		return *p
	}
	return nil
}

// collect scans every row of rows with scan, closes rows and reports the
// first error, rows.Err() included.
func collect[T any](rows *sql.Rows, scan func(*sql.Rows) (T, error)) ([]T, error) {
	defer rows.Close()
	var out []T
	for rows.Next() {
		x, err := scan(rows)
		if err != nil {
			return nil, err
		}
		out = append(out, x)
	}
	return out, rows.Err()
}

const timeLayout = "2006-01-02 15:04:05"

// ts formats an instant for storage.
func ts(t time.Time) string { return t.UTC().Format(timeLayout) }

// parseTS reads a stored instant.
func parseTS(s string) time.Time {
	t, err := time.ParseInLocation(timeLayout, s, time.UTC)
	if err != nil {
		return time.Time{}
	}
	return t
}

// isConstraint reports whether err is a UNIQUE or CHECK violation.
func isConstraint(err error) bool {
	var se sqlite3.Error
	return errors.As(err, &se) && se.Code == sqlite3.ErrConstraint
}
