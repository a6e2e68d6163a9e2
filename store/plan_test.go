package store

import (
	"context"
	"strings"
	"testing"

	"github.com/loa-ward/loa/scheduler"
)

// TestAttentionListsUseTheIndex: the lists of failures and tasks read the
// partial index, not the million sent rows.
func TestAttentionListsUseTheIndex(t *testing.T) {
	db := openTest(t)
	rows, err := db.read.QueryContext(context.Background(), `EXPLAIN QUERY PLAN SELECT d.id FROM deliveries d JOIN runs r ON r.id = d.run_id
		WHERE d.state IN ('failed', 'dead') AND `+attentionSQL+` ORDER BY r.due_at, d.id`)
	if err != nil {
		t.Fatal(err)
	}
	var plan []string
	for rows.Next() {
		var a, b, c int
		var s string
		if err := rows.Scan(&a, &b, &c, &s); err != nil {
			t.Fatal(err)
		}
		plan = append(plan, s)
	}
	if !strings.Contains(strings.Join(plan, "\n"), "deliveries_attention") {
		t.Errorf("plan: %v", plan)
	}
	if _, err := db.Deliveries(context.Background(), scheduler.DeliveryFilter{States: []scheduler.DeliveryState{scheduler.Failed, scheduler.Assigned}}); err != nil {
		t.Errorf("attention list: %v", err)
	}
	if _, err := db.Deliveries(context.Background(), scheduler.DeliveryFilter{States: []scheduler.DeliveryState{"nope"}}); err == nil {
		t.Error("an unknown state was written into the query")
	}
}
