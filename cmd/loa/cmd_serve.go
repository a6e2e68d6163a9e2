package main

import (
	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/store"
)

func (a *app) serveCommand() *cobra.Command {
	var demoMode, afterRestore bool
	cmd := &cobra.Command{
		Use:   "serve",
		Short: "Chạy dịch vụ: tự gửi tin đúng lịch / run the daemon that sends on the dates",
		Long: `Chạy dịch vụ: lập lịch, gửi tin đúng giờ, ghi sổ từng lượt gửi; /healthz và /metrics trên http.addr.
Runs the daemon: plans runs, sends them on time and records every delivery; /healthz and /metrics on http.addr.

--demo nạp dữ liệu mẫu nếu cơ sở dữ liệu trống và hẹn một tin thử một phút sau khi chạy.
--demo loads the demo into an empty database and schedules a test post a minute after start.`,
		Args: args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			d := &daemon.Daemon{Config: a.cfg, DB: db, Now: a.now, Log: a.log, Actor: a.who(), Demo: demoMode, AfterRestore: afterRestore}
			return d.Run(cmd.Context())
		}),
	}
	cmd.Flags().BoolVar(&demoMode, "demo", false, "dữ liệu mẫu và tin thử / demo content and a test post")
	cmd.Flags().BoolVar(&afterRestore, "after-restore", false, "đưa bản sao lưu vào dùng / put a restored backup into service")
	return cmd
}
