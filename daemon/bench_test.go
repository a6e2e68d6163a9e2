package daemon

import (
	"context"
	"path/filepath"
	"testing"
)

// BenchmarkFanout pushes b.N deliveries through the real scheduler,
// dispatcher and SQLite ledger to a channel that does nothing.
func BenchmarkFanout(b *testing.B) {
	n := max(b.N, 1000)
	r, err := BenchFanout(context.Background(), filepath.Join(b.TempDir(), "bench.db"), n, 4, 512)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportMetric(r.PerSecond, "deliveries/s")
	b.ReportMetric(float64(r.PeakRSS>>20), "peakRSS-MB")
}
