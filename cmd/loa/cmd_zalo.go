package main

import (
	"net"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/store"
)

// zaloClient is the OA's client for a one-off command.
func (a *app) zaloClient(db *store.DB) *zalo.Client {
	return daemon.ZaloClient(a.cfg, db, a.now, a.log, nil, nil)
}

func (a *app) zaloCommand() *cobra.Command {
	cmd := group("zalo", "Kênh Zalo OA / the Zalo Official Account")
	needApp := func() error {
		if a.cfg.Zalo.AppID == "" {
			return content.Errorf("chưa đặt zalo.app_id và zalo.app_secret", "zalo.app_id and zalo.app_secret are not set")
		}
		return nil
	}
	var code, redirect string
	auth := &cobra.Command{
		Use:   "auth [--code CODE]",
		Short: "Cấp quyền cho Loa gửi tin qua OA / let Loa send through the OA (OAuth with PKCE)",
		Long: `Không có --code: in đường dẫn để quản trị viên OA bấm đồng ý. Có --code: đổi mã lấy token và lưu.
Without --code: print the page where an OA admin grants access. With --code: trade the code for tokens and keep them.`,
		Args: args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			if err := needApp(); err != nil {
				return err
			}
			z := daemon.ZaloAuth{DB: db, Client: a.zaloClient(db)}
			if code == "" {
				url, err := z.Begin(cmd.Context(), redirect)
				if err != nil {
					return err
				}
				a.printf("Mở đường dẫn này, đăng nhập bằng tài khoản quản trị OA và đồng ý:\n%s\nRồi chạy: loa zalo auth --code MÃ\n",
					"Open this page, log in as an OA admin and agree:\n%s\nThen run: loa zalo auth --code CODE\n", url)
				return nil
			}
			if err := z.Finish(cmd.Context(), code); err != nil {
				return err
			}
			a.printf("Đã lưu token của OA. Kiểm tra: loa zalo check\n", "The OA's tokens are saved. Check with: loa zalo check\n")
			return nil
		}),
	}
	auth.Flags().StringVar(&code, "code", "", "mã trả về sau khi đồng ý / the code from the callback")
	auth.Flags().StringVar(&redirect, "redirect", "https://loa.example.vn/zalo/callback", "redirect_uri đã khai báo trong ứng dụng Zalo / the app's redirect_uri")
	check := &cobra.Command{
		Use:   "check",
		Short: "Kiểm tra token của OA / check the OA's tokens",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			if err := needApp(); err != nil {
				return err
			}
			name, t, err := daemon.ZaloAuth{DB: db, Client: a.zaloClient(db)}.Check(cmd.Context())
			if err != nil {
				return err
			}
			a.printf("OA %q trả lời. Token truy cập còn hạn đến %s; token làm mới đến %s.\n", "OA %q answered. Access token valid until %s; refresh token until %s.\n",
				name, localTime(t.AccessExpires), localTime(t.RefreshExpires))
			return nil
		}),
	}
	sync := &cobra.Command{
		Use:   "sync",
		Short: "Cập nhật danh sách người theo dõi OA / record the OA's followers",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			if err := needApp(); err != nil {
				return err
			}
			n, err := daemon.NewResidents(a.cfg, db, a.now).SyncFollowers(cmd.Context(), a.zaloClient(db))
			if err != nil {
				return err
			}
			a.printf("Đã cập nhật %d người theo dõi.\n", "Recorded %d followers.\n", n)
			return nil
		}),
	}
	cmd.AddCommand(auth, check, sync)
	return cmd
}

// zaloDevServer runs the Zalo emulator for demos.
func (a *app) zaloDevServer() *cobra.Command {
	var addr string
	c := noConfig(&cobra.Command{
		Use:   "zalo-server",
		Short: "Máy chủ Zalo OA giả lập để chạy thử / a strict local Zalo OA API for demos",
		Long: `Runs the Zalo emulator on addr with app id 1234, app secret "demo-app-secret" and
the demo residents as followers. It prints a first access and refresh token pair;
an authorization code for "loa zalo auth --code" is printed too.`,
		Args: args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv := zalotest.New(zalotest.Options{AppID: "1234", AppSecret: "demo-app-secret", OASecret: "demo-oa-secret"})
			for i := 1; i <= 40; i++ {
				srv.AddUser(zalotest.User{ID: demo.ZaloID(i), Name: "Cư dân", Follower: true, LastInteraction: time.Now()})
			}
			return serveDev(cmd.Context(), addr, srv.Handler(), func(at net.Addr) {
				a.printf("Zalo OA giả lập ở http://%s (app_id 1234). Mã cấp quyền: %s\n",
					"Emulated Zalo OA at http://%s (app_id 1234). Authorization code: %s\n", at, srv.IssueCode())
			})
		},
	})
	c.Flags().StringVar(&addr, "addr", "127.0.0.1:8082", "địa chỉ / listen address")
	return c
}
