package main

import (
	"fmt"
	"os"
	"path/filepath"
	"runtime/pprof"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/daemon"
)

func (a *app) benchCommand() *cobra.Command {
	cmd := group("bench", "Đo hiệu năng / measure performance")
	var n, workers, inFlight int
	var profile string
	fanout := noConfig(&cobra.Command{
		Use:   "fanout [--recipients N]",
		Short: "Gửi qua sổ gửi tới N người nhận bằng kênh không làm gì / push N deliveries through the ledger to a no-op channel",
		Args:  args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if n < 1 {
				return usagef("--recipients phải lớn hơn 0", "--recipients must be positive")
			}
			dir, err := os.MkdirTemp("", "loa-bench-")
			if err != nil {
				return err
			}
			defer os.RemoveAll(dir)
			if profile != "" {
				f, err := os.Create(profile)
				if err != nil {
					return err
				}
				defer f.Close()
				if err := pprof.StartCPUProfile(f); err != nil {
					return err
				}
				defer pprof.StopCPUProfile()
			}
			r, err := daemon.BenchFanout(cmd.Context(), filepath.Join(dir, "bench.db"), n, workers, inFlight)
			if err != nil {
				return err
			}
			fmt.Fprintf(a.stdout, "fanout: %d recipients, %.0f deliveries/s, peak RSS %d MB\n", r.Recipients, r.PerSecond, r.PeakRSS>>20)
			fmt.Fprintf(a.stdout, "  fan-out %s, send and record %s (workers %d, in flight %d)\n",
				r.FanOut.Round(time.Millisecond), r.Send.Round(time.Millisecond), workers, inFlight)
			return nil
		},
	})
	fanout.Flags().IntVar(&n, "recipients", 100000, "số người nhận / recipients")
	fanout.Flags().IntVar(&workers, "workers", 4, "luồng gửi / send workers")
	fanout.Flags().IntVar(&inFlight, "in-flight", 512, "số lượt đang gửi tối đa / deliveries in flight")
	fanout.Flags().StringVar(&profile, "cpuprofile", "", "ghi hồ sơ CPU vào tệp / write a CPU profile to this file (go tool pprof)")
	cmd.AddCommand(fanout)
	return cmd
}
