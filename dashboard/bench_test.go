package dashboard_test

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/editorial"
	"github.com/loa-ward/loa/field"
	"github.com/loa-ward/loa/scheduler"
)

// BenchmarkPages measures each page's server time with 200,000 residents
// and 1,000,000 ledger rows (five runs to every resident), and reports the
// 95th percentile: go test -run '^$' -bench Pages -benchtime 50x ./dashboard
func BenchmarkPages(b *testing.B) {
	w := benchWard(b)
	c := w.client("canbo")
	cookie := c.http.Jar.Cookies(mustURL(w.srv.URL))
	h := w.srv.Config.Handler
	msg := w.message("action-month/2026/phat-dong").ID
	posts, err := w.db.Deliveries(context.Background(), scheduler.DeliveryFilter{Assignee: "to-truong-1", Limit: 1})
	if err != nil || len(posts) == 0 {
		b.Fatalf("no block post: %v", err)
	}
	task := "/t/" + w.link(field.Delivery, posts[0].ID, "to-truong-1").Token // a block leader's phone page
	for _, p := range []string{"/", "/calendar", "/calendar?day=2026-11-26", "/campaigns/action-month/2026", "/approvals",
		"/runs", "/runs/1", "/tasks", fmt.Sprintf("/messages/%d", msg), "/messages/new", "/residents", "/downloads", task} {
		name := p
		if p == task {
			name = "/t/TOKEN"
		}
		b.Run(name, func(b *testing.B) {
			var times []time.Duration
			for b.Loop() {
				req := httptest.NewRequest(http.MethodGet, p, nil)
				for _, ck := range cookie {
					req.AddCookie(ck)
				}
				rec := httptest.NewRecorder()
				start := time.Now()
				h.ServeHTTP(rec, req)
				times = append(times, time.Since(start))
				if rec.Code != http.StatusOK {
					b.Fatalf("%s: %d", p, rec.Code)
				}
			}
			slices.Sort(times)
			b.ReportMetric(float64(times[len(times)*95/100].Microseconds())/1000, "p95-ms")
		})
	}
}

func benchWard(b *testing.B) *ward {
	b.Helper()
	w := newWard(b)
	ctx := context.Background()
	if err := w.db.GenerateSubscribers(ctx, content.Zalo, "bench-", 200000, start); err != nil {
		b.Fatal(err)
	}
	for i := range 5 {
		sc := scheduler.Schedule{Kind: scheduler.KindAt, Spec: fmt.Sprintf("2026-11-25 09:%02d", i), Channels: []content.Channel{content.Zalo}, Audience: "all"}
		if _, err := w.desk.AddSchedule(ctx, officer, editorial.ScheduleRequest{Campaign: "action-month/2026", Keys: []string{"phat-dong"}, Schedule: sc, Force: true}); err != nil {
			b.Fatal(err)
		}
	}
	w.advance(5 * time.Minute)
	for range 20 { // fan-out goes in batches across passes
		if r := w.tick(); r == (scheduler.Report{}) {
			break
		}
	}
	counts, err := w.db.DeliveryCounts(ctx, 0)
	if err != nil {
		b.Fatal(err)
	}
	if n := counts[content.Zalo][scheduler.Queued]; n < 1_000_000 {
		b.Fatalf("%d ledger rows, want 1,000,000", n)
	}
	return w
}
