package store

import (
	"context"
	"fmt"
	"path/filepath"
	"testing"

	"github.com/loa-ward/loa/content"
)

func BenchmarkSaveDraft(b *testing.B) {
	ctx := context.Background()
	db, err := Open(ctx, filepath.Join(b.TempDir(), "loa.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer db.Close()
	db.Migrate(ctx, t0)
	db.SyncObservances(ctx, content.Builtin(), t0)
	c, _ := db.CreateCampaign(ctx, content.Builtin()[4].CampaignFor(2026), "o", t0)
	i := 0
	for b.Loop() {
		// a new version of one of 100 messages each time
		d := draft(fmt.Sprintf("m%d", i%100), fmt.Sprintf("văn bản %d", i))
		if _, _, err := db.SaveDraft(ctx, c.ID, d, "o", t0); err != nil {
			b.Fatal(err)
		}
		i++
	}
}
