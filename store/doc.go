// Package store keeps Loa's state in one SQLite file and is the only package
// that speaks SQL.
//
// The file is opened deliberately: WAL (readers never wait for the writer),
// foreign keys on, a busy timeout, and a single writer connection beside a
// pool of read-only ones, so writes are serialized in Go rather than fought
// over in SQLite. The schema is a sequence of numbered .sql migrations
// embedded in the binary, each applied in its own transaction with its version
// recorded in schema_migrations.
//
// Time comes from outside: every method that writes takes now, and stores it
// as UTC text "YYYY-MM-DD HH:MM:SS"; civil dates are stored as "YYYY-MM-DD".
// SQL never calls datetime('now').
package store
