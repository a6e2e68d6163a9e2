// Package storetest opens real SQLite stores for other packages' tests: a
// migrated file with the built-in calendar, closed when the test ends.
package storetest

import (
	"context"
	"path/filepath"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/store"
)

// Open returns a migrated store in the test's temporary directory.
func Open(t testing.TB, now time.Time) *store.DB {
	t.Helper()
	return OpenAt(t, filepath.Join(t.TempDir(), "loa.db"), now)
}

// OpenAt is Open with the file at path, for tests that hand it to a process.
func OpenAt(t testing.TB, path string, now time.Time) *store.DB {
	t.Helper()
	ctx := context.Background()
	db, err := store.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	if _, err := db.Migrate(ctx, now); err != nil {
		t.Fatal(err)
	}
	if err := db.SyncObservances(ctx, content.Builtin(), now); err != nil {
		t.Fatal(err)
	}
	return db
}

// ActionMonth creates the 2026 action-month campaign.
func ActionMonth(t testing.TB, db *store.DB, now time.Time) content.Campaign {
	t.Helper()
	for _, o := range content.Builtin() {
		if o.Key == "action-month" {
			c, err := db.CreateCampaign(context.Background(), o.CampaignFor(2026), "test", now)
			if err != nil {
				t.Fatal(err)
			}
			return c
		}
	}
	t.Fatal("no action month in the calendar")
	return content.Campaign{}
}

// Approved saves a message with key k and variants v in campaign c and
// approves it.
func Approved(t testing.TB, db *store.DB, c content.Campaign, k, title string, v content.Variants, now time.Time) content.Message {
	t.Helper()
	ctx := context.Background()
	m, _, err := db.SaveDraft(ctx, c.ID, content.Draft{Key: k, Title: title, Variants: v}, "test", now)
	if err != nil {
		t.Fatal(err)
	}
	for _, act := range []content.Action{content.ActSubmit, content.ActApprove} {
		if m, err = db.Transition(ctx, m.ID, act, "test", "", now); err != nil {
			t.Fatal(err)
		}
	}
	return m
}
