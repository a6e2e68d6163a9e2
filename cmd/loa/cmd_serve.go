package main

import (
	"context"
	"errors"
	"fmt"
	"net"
	"os"
	"os/signal"
	"syscall"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/staff"
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
			users, err := a.accounts(db).List(cmd.Context(), staff.Local("loa"))
			if err != nil {
				return stopped(cmd.Context(), err)
			}
			d := &daemon.Daemon{Config: a.cfg, DB: db, Now: a.now, Log: a.log, Actor: a.who(), Demo: demoMode, AfterRestore: afterRestore,
				Listening: func(addr net.Addr) {
					a.printWelcome(addr, demoMode, len(users) == 0)
					for _, n := range daemon.Needs(cmd.Context(), a.cfg, db) {
						a.printf("Cần: %s\n", "Needs: %s\n", n.In(a.lang))
					}
				}}
			// The configuration is read once: a SIGHUP (what "reload" sends)
			// changes nothing half-way, it says to restart.
			hup := make(chan os.Signal, 1)
			signal.Notify(hup, syscall.SIGHUP)
			defer func() { signal.Stop(hup); close(hup) }()
			go func() {
				for range hup {
					a.log.Warn("SIGHUP: nothing was reloaded; Loa reads its configuration at start: restart it to apply changes (systemctl restart loa)")
				}
			}()
			return stopped(cmd.Context(), d.Run(cmd.Context()))
		}),
	}
	cmd.Flags().BoolVar(&demoMode, "demo", false, "dữ liệu mẫu và tin thử / demo content and a test post")
	cmd.Flags().BoolVar(&afterRestore, "after-restore", false, "đưa bản sao lưu vào dùng / put a restored backup into service")
	return cmd
}

// printWelcome says where the dashboard is and how to sign in.
func (a *app) printWelcome(addr net.Addr, demoMode, noUsers bool) {
	url := "http://" + addr.String() + "/"
	if tcp, ok := addr.(*net.TCPAddr); ok && tcp.IP.IsUnspecified() {
		url = fmt.Sprintf("http://127.0.0.1:%d/", tcp.Port)
	}
	if a.cfg.HTTP.PublicURL != "" {
		url = a.cfg.HTTP.PublicURL + "/"
	}
	a.printf("Bảng điều khiển: %s\n", "Dashboard: %s\n", url)
	switch {
	case demoMode:
		a.printf("Tài khoản DEMO (mật khẩu %s, chỉ để thử, không dùng cho công việc thật):\n", "DEMO accounts (password %s, for trying only, never for real work):\n", demo.Password)
		for _, u := range demo.Accounts() {
			fmt.Fprintf(a.stdout, "  %-18s %s\n", u.Name, u.Role.Label(a.lang))
		}
	case noUsers:
		a.printf("Chưa có tài khoản nào. Tạo quản trị viên đầu tiên:\n  loa user add TEN --role admin --full-name \"Họ tên\"\n",
			"No accounts yet. Create the first administrator:\n  loa user add NAME --role admin --full-name \"Full Name\"\n")
	}
}

// stopped is err, unless it is only that a stop was asked for (Ctrl-C, a
// SIGTERM) while serve was still starting: that is a clean stop, not a failure.
func stopped(ctx context.Context, err error) error {
	if err != nil && ctx.Err() != nil && errors.Is(err, context.Canceled) {
		return nil
	}
	return err
}
