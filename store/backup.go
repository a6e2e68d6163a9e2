package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"time"

	"github.com/mattn/go-sqlite3"

	"github.com/loa-ward/loa/content"
)

// PartialSuffix ends the name of a backup being written. Such a file is
// never a usable database: Open refuses it, and it is renamed to its final
// name only once it is complete, checked, marked as a copy and on disk.
const PartialSuffix = ".partial"

// Backup copies the database to dest with SQLite's online backup API, a few
// hundred pages at a time, so the daemon keeps writing meanwhile. dest must
// not exist. The copy is written to dest+PartialSuffix (mode 0600: it holds
// residents' ids and phone numbers), checked for integrity, marked as a
// backup (so a daemon started on it knows what it lacks), synced to disk
// and only then renamed to dest: an interrupted backup leaves no file that
// looks like a database.
func (db *DB) Backup(ctx context.Context, dest string, now time.Time) (err error) {
	if _, err := os.Stat(dest); err == nil {
		return content.Errorf("sao lưu: %s đã có; hãy chọn tên khác", "backup: %s already exists; choose another name", dest)
	}
	partial := dest + PartialSuffix
	f, err := os.OpenFile(partial, os.O_CREATE|os.O_EXCL|os.O_WRONLY, 0o600)
	if errors.Is(err, os.ErrExist) {
		return content.Errorf("sao lưu: %s còn lại từ một lần sao lưu bị ngắt giữa chừng; hãy xóa nó rồi sao lưu lại",
			"backup: %s is left from an interrupted backup; delete it and back up again", partial)
	}
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	f.Close()
	defer func() {
		if err != nil {
			os.Remove(partial)
			os.Remove(partial + "-journal")
		}
	}()
	if err := db.copyTo(ctx, partial, now); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := syncFile(partial); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if err := os.Rename(partial, dest); err != nil {
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	return syncFile(filepath.Dir(dest)) // the rename itself on disk
}

// copyTo writes the copy at path, checks and marks it.
func (db *DB) copyTo(ctx context.Context, path string, now time.Time) error {
	target, err := sql.Open("sqlite3", "file:"+path+"?_synchronous=FULL")
	if err != nil {
		return err
	}
	defer target.Close()
	dconn, err := target.Conn(ctx)
	if err != nil {
		return err
	}
	defer dconn.Close()
	sconn, err := db.read.Conn(ctx)
	if err != nil {
		return err
	}
	defer sconn.Close()
	err = dconn.Raw(func(d any) error {
		return sconn.Raw(func(s any) error {
			bk, err := d.(*sqlite3.SQLiteConn).Backup("main", s.(*sqlite3.SQLiteConn), "main")
			if err != nil {
				return err
			}
			for {
				if err := ctx.Err(); err != nil {
					return errors.Join(err, bk.Close())
				}
				done, err := bk.Step(256)
				if err != nil {
					return errors.Join(err, bk.Close())
				}
				if done {
					return bk.Finish()
				}
			}
		})
	})
	if err != nil {
		return err
	}
	if problems, err := integrity(ctx, target); err != nil || len(problems) > 0 {
		return fmt.Errorf("the copy fails its integrity check: %v %v", problems, err)
	}
	// Mark the copy: a daemon started on it must know that what the original
	// sent after this moment is not in it (see AfterRestore).
	if _, err := dconn.ExecContext(ctx, `INSERT INTO meta (key, value) VALUES ('backup_taken_at', ?)
		ON CONFLICT (key) DO UPDATE SET value = excluded.value`, ts(now)); err != nil {
		return fmt.Errorf("mark the copy: %w", err)
	}
	if _, err := dconn.ExecContext(ctx, `DELETE FROM leases`); err != nil {
		return err
	}
	return nil
}

func syncFile(path string) error {
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	defer f.Close()
	return f.Sync()
}

// BackupTakenAt returns when this database was copied by Backup, if it is
// such a copy that has not been put back into service yet.
func (db *DB) BackupTakenAt(ctx context.Context) (time.Time, bool, error) {
	v, err := db.Meta(ctx, "backup_taken_at")
	if err != nil || v == "" {
		return time.Time{}, false, err
	}
	return parseTS(v), true, nil
}

// AfterRestore puts a restored backup into service without sending twice:
// whatever was queued or sending may have gone out from the original after
// the backup, so it becomes unknown; runs due since the backup was taken
// become missed for the same reason. Then the copy's mark is removed.
func (db *DB) AfterRestore(ctx context.Context, actor string, now time.Time) (deliveries, runs int, err error) {
	since, ok, err := db.BackupTakenAt(ctx)
	if err != nil || !ok {
		return 0, 0, err
	}
	err = db.tx(ctx, func(tx *sql.Tx) error {
		res, err := tx.ExecContext(ctx, `UPDATE deliveries SET state = 'unknown', updated_at = ?,
			error = 'restored from a backup: the original may have sent it' WHERE state IN ('queued', 'sending')`, ts(now))
		if err != nil {
			return err
		}
		n, _ := res.RowsAffected()
		deliveries = int(n)
		res, err = tx.ExecContext(ctx, `UPDATE runs SET state = 'missed', finished_at = ?,
			note = 'due after the backup was taken: the original may have sent it'
			WHERE state IN ('planned', 'held') AND due_at >= ? AND due_at <= ?`, ts(now), ts(since), ts(now))
		if err != nil {
			return err
		}
		n, _ = res.RowsAffected()
		runs = int(n)
		if _, err := tx.ExecContext(ctx, `DELETE FROM meta WHERE key = 'backup_taken_at'`); err != nil {
			return err
		}
		return audit(ctx, tx, now, actor, "restore", "database", 0,
			fmt.Sprintf("backup of %s: %d deliveries unknown, %d runs missed", since.Format(time.RFC3339), deliveries, runs))
	})
	return deliveries, runs, err
}

// Check runs SQLite's integrity and foreign-key checks and returns what they
// found; an empty list means the file is sound.
func (db *DB) Check(ctx context.Context) ([]string, error) {
	return integrity(ctx, db.read)
}

func integrity(ctx context.Context, q *sql.DB) ([]string, error) {
	var problems []string
	rows, err := q.QueryContext(ctx, `PRAGMA integrity_check`)
	if err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	for rows.Next() {
		var line string
		if err := rows.Scan(&line); err != nil {
			rows.Close()
			return nil, fmt.Errorf("integrity check: %w", err)
		}
		if line != "ok" {
			problems = append(problems, line)
		}
	}
	rows.Close()
	if err := rows.Err(); err != nil {
		return nil, fmt.Errorf("integrity check: %w", err)
	}
	fk, err := q.QueryContext(ctx, `PRAGMA foreign_key_check`)
	if err != nil {
		return nil, fmt.Errorf("foreign key check: %w", err)
	}
	defer fk.Close()
	for fk.Next() {
		var table, parent string
		var rowid sql.NullInt64
		var index int
		if err := fk.Scan(&table, &rowid, &parent, &index); err != nil {
			return nil, fmt.Errorf("foreign key check: %w", err)
		}
		problems = append(problems, fmt.Sprintf("%s row %d points at a missing %s", table, rowid.Int64, parent))
	}
	return problems, fk.Err()
}
