package store

import (
	"context"
	"database/sql"
	"embed"
	"fmt"
	"io/fs"
	"path"
	"strconv"
	"strings"
	"time"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// Migration is one numbered schema change.
type Migration struct {
	Version int
	Name    string // file name without the number and extension, e.g. "content"
	SQL     string
}

// Migrations returns the embedded migrations in version order. Numbers must
// run 1, 2, 3, … without gaps.
func Migrations() ([]Migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []Migration
	for i, e := range entries {
		num, name, ok := strings.Cut(strings.TrimSuffix(e.Name(), ".sql"), "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil || v != i+1 {
			return nil, fmt.Errorf("migration %s: want number %04d first", e.Name(), i+1)
		}
		body, err := fs.ReadFile(migrationFiles, path.Join("migrations", e.Name()))
		if err != nil {
			return nil, err
		}
		ms = append(ms, Migration{Version: v, Name: name, SQL: string(body)})
	}
	return ms, nil
}

// Version returns the schema version of the database, 0 when empty.
func (db *DB) Version(ctx context.Context) (int, error) {
	var n int
	err := db.write.QueryRowContext(ctx,
		`SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`).Scan(&n)
	if err != nil || n == 0 {
		return 0, err
	}
	err = db.write.QueryRowContext(ctx, `SELECT coalesce(max(version), 0) FROM schema_migrations`).Scan(&n)
	return n, err
}

// Migrate applies the migrations the database lacks, each in a transaction,
// and returns those it applied. A database newer than this program is an
// error: an older Loa must not write to it.
func (db *DB) Migrate(ctx context.Context, now time.Time) ([]Migration, error) {
	return db.MigrateTo(ctx, -1, now)
}

// MigrateTo is Migrate up to version target (-1 for the newest).
func (db *DB) MigrateTo(ctx context.Context, target int, now time.Time) ([]Migration, error) {
	all, err := Migrations()
	if err != nil {
		return nil, err
	}
	if target < 0 {
		target = len(all)
	}
	_, err = db.write.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version    INTEGER PRIMARY KEY,
		name       TEXT NOT NULL,
		applied_at TEXT NOT NULL)`)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	current, err := db.Version(ctx)
	if err != nil {
		return nil, fmt.Errorf("migrate: %w", err)
	}
	if current > len(all) {
		return nil, fmt.Errorf("migrate: the database is at version %d but this loa knows only up to %d: use a newer loa", current, len(all))
	}
	var applied []Migration
	for _, m := range all[current:target] {
		err := db.tx(ctx, func(tx *sql.Tx) error {
			if _, err := tx.ExecContext(ctx, m.SQL); err != nil {
				return err
			}
			_, err := tx.ExecContext(ctx, `INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)`,
				m.Version, m.Name, ts(now))
			return err
		})
		if err != nil {
			return applied, fmt.Errorf("migrate to version %d (%s): %w", m.Version, m.Name, err)
		}
		applied = append(applied, m)
	}
	return applied, nil
}
