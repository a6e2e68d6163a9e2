package store

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"

	"github.com/mattn/go-sqlite3"
)

// Backup copies the database to dest with SQLite's online backup API, a few
// hundred pages at a time, so the daemon keeps writing meanwhile. dest must
// not exist. The copy is checked for integrity before Backup returns.
func (db *DB) Backup(ctx context.Context, dest string) error {
	if _, err := os.Stat(dest); err == nil {
		return fmt.Errorf("backup: %s already exists", dest)
	}
	target, err := sql.Open("sqlite3", "file:"+dest)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer target.Close()
	dconn, err := target.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
	}
	defer dconn.Close()
	sconn, err := db.read.Conn(ctx)
	if err != nil {
		return fmt.Errorf("backup: %w", err)
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
		os.Remove(dest)
		return fmt.Errorf("backup to %s: %w", dest, err)
	}
	if problems, err := integrity(ctx, target); err != nil || len(problems) > 0 {
		return fmt.Errorf("backup to %s: the copy fails its integrity check: %v %v", dest, problems, err)
	}
	return nil
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
