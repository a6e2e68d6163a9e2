package web

import (
	"context"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

type fakeCounts struct{}

func (fakeCounts) RunCounts(context.Context) (map[scheduler.RunState]int, error) {
	return map[scheduler.RunState]int{scheduler.RunDone: 3, scheduler.RunMissed: 1}, nil
}

func (fakeCounts) DeliveryCounts(context.Context, int64) (map[content.Channel]map[scheduler.DeliveryState]int, error) {
	return map[content.Channel]map[scheduler.DeliveryState]int{content.Zalo: {scheduler.Sent: 40, scheduler.Queued: 7}}, nil
}

func TestMetricsAndHealth(t *testing.T) {
	m := NewMetrics(fakeCounts{}, slog.New(slog.NewTextHandler(io.Discard, nil)))
	m.ObserveSend(content.Zalo, 20*time.Millisecond, nil)
	m.Tick()
	status := "ok"
	srv := httptest.NewServer(Handler(m, func() Health { return Health{Status: status, Instance: "vm pid 1"} }, nil))
	defer srv.Close()

	body := get(t, srv.URL+"/metrics", 200)
	for _, want := range []string{
		`loa_runs{state="done"} 3`, `loa_runs{state="missed"} 1`,
		`loa_deliveries{channel="zalo",state="sent"} 40`, `loa_queue_depth{channel="zalo"} 7`,
		`loa_send_seconds_count{channel="zalo",outcome="ok"} 1`, `loa_scheduler_ticks_total 1`,
	} {
		if !strings.Contains(body, want) {
			t.Errorf("/metrics lacks %s", want)
		}
	}
	if h := get(t, srv.URL+"/healthz", 200); !strings.Contains(h, `"status":"ok"`) {
		t.Errorf("/healthz: %s", h)
	}
	status = "degraded"
	get(t, srv.URL+"/healthz", 503)
}

func get(t *testing.T, url string, want int) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	if resp.StatusCode != want {
		t.Errorf("GET %s: %d, want %d", url, resp.StatusCode, want)
	}
	return string(b)
}
