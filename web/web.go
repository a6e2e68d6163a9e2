// Package web is Loa's HTTP side on http.addr: /healthz and /metrics now,
// webhooks and the dashboard later.
package web

import (
	"context"
	"encoding/json"
	"log/slog"
	"net/http"
	"time"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/collectors"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/scheduler"
)

// Counts is what the metrics read from the ledger at each scrape.
type Counts interface {
	RunCounts(ctx context.Context) (map[scheduler.RunState]int, error)
	DeliveryCounts(ctx context.Context, runID int64) (map[content.Channel]map[scheduler.DeliveryState]int, error)
}

// Health is what /healthz reports.
type Health struct {
	Status   string    `json:"status"` // "ok" or "degraded"
	Instance string    `json:"instance"`
	LastTick time.Time `json:"last_tick"`
	Problems []string  `json:"problems,omitempty"`
}

// Metrics holds the daemon's Prometheus metrics.
type Metrics struct {
	Registry *prometheus.Registry
	send     *prometheus.HistogramVec
	ticks    prometheus.Counter
}

// NewMetrics registers the ledger gauges (runs by state, deliveries by
// channel and state, queue depth), send latency and scheduler ticks.
func NewMetrics(counts Counts, log *slog.Logger) *Metrics {
	reg := prometheus.NewRegistry()
	m := &Metrics{
		Registry: reg,
		send: prometheus.NewHistogramVec(prometheus.HistogramOpts{
			Name: "loa_send_seconds", Help: "Time a channel took to accept one delivery.",
			Buckets: []float64{.001, .005, .02, .05, .1, .25, .5, 1, 2.5, 5, 10, 30},
		}, []string{"channel", "outcome"}),
		ticks: prometheus.NewCounter(prometheus.CounterOpts{Name: "loa_scheduler_ticks_total", Help: "Scheduler passes (RunOnce) completed."}),
	}
	reg.MustRegister(m.send, m.ticks, ledgerCollector{counts, log},
		collectors.NewGoCollector(), collectors.NewProcessCollector(collectors.ProcessCollectorOpts{}))
	return m
}

// ObserveSend records one send; the dispatcher calls it.
func (m *Metrics) ObserveSend(ch content.Channel, d time.Duration, err error) {
	outcome := "ok"
	if err != nil {
		outcome = "error"
	}
	m.send.WithLabelValues(string(ch), outcome).Observe(d.Seconds())
}

// Tick counts one scheduler pass.
func (m *Metrics) Tick() { m.ticks.Inc() }

var (
	runsDesc       = prometheus.NewDesc("loa_runs", "Runs by state.", []string{"state"}, nil)
	deliveriesDesc = prometheus.NewDesc("loa_deliveries", "Deliveries by channel and state.", []string{"channel", "state"}, nil)
	queueDesc      = prometheus.NewDesc("loa_queue_depth", "Deliveries waiting to be sent, by channel.", []string{"channel"}, nil)
)

// ledgerCollector reads the ledger's counts when Prometheus scrapes.
type ledgerCollector struct {
	counts Counts
	log    *slog.Logger
}

func (c ledgerCollector) Describe(ch chan<- *prometheus.Desc) {
	ch <- runsDesc
	ch <- deliveriesDesc
	ch <- queueDesc
}

func (c ledgerCollector) Collect(ch chan<- prometheus.Metric) {
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	runs, err := c.counts.RunCounts(ctx)
	if err != nil {
		c.log.Error("metrics: count runs", "err", err)
		return
	}
	for state, n := range runs {
		ch <- prometheus.MustNewConstMetric(runsDesc, prometheus.GaugeValue, float64(n), string(state))
	}
	ds, err := c.counts.DeliveryCounts(ctx, 0)
	if err != nil {
		c.log.Error("metrics: count deliveries", "err", err)
		return
	}
	for channel, states := range ds {
		for state, n := range states {
			ch <- prometheus.MustNewConstMetric(deliveriesDesc, prometheus.GaugeValue, float64(n), string(channel), string(state))
		}
		ch <- prometheus.MustNewConstMetric(queueDesc, prometheus.GaugeValue, float64(states[scheduler.Queued]), string(channel))
	}
}

// Handler serves /healthz and /metrics, and routes such as
// "POST /telegram/webhook" given by the channels.
func Handler(m *Metrics, health func() Health, routes map[string]http.Handler) http.Handler {
	mux := http.NewServeMux()
	for pattern, h := range routes {
		mux.Handle(pattern, h)
	}
	mux.Handle("GET /metrics", promhttp.HandlerFor(m.Registry, promhttp.HandlerOpts{}))
	mux.HandleFunc("GET /healthz", func(w http.ResponseWriter, _ *http.Request) {
		h := health()
		w.Header().Set("Content-Type", "application/json")
		if h.Status != "ok" {
			w.WriteHeader(http.StatusServiceUnavailable)
		}
		_ = json.NewEncoder(w).Encode(h)
	})
	return mux
}
