package main

import (
	"context"
	"errors"
	"net"
	"net/http"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/channels/telegram"
	"github.com/loa-ward/loa/channels/telegram/telegramtest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/demo"
)

func (a *app) telegramCommand() *cobra.Command {
	cmd := group("telegram", "Kênh Telegram / the Telegram channel")
	cmd.AddCommand(&cobra.Command{
		Use:   "check",
		Short: "Gọi getMe và in tên bot / call getMe and print the bot's name",
		Args:  args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			if !a.cfg.Telegram.Token.IsSet() {
				return content.Errorf("chưa đặt telegram.token (hoặc LOA_TELEGRAM_TOKEN)", "telegram.token (or LOA_TELEGRAM_TOKEN) is not set")
			}
			c, err := telegram.New(telegram.Config{Token: a.cfg.Telegram.Token.Reveal(), Endpoint: a.cfg.Telegram.APIEndpoint,
				HTTP: &http.Client{Timeout: 15 * time.Second}, Log: a.log})
			if err != nil {
				return content.Errorf("không kết nối được Telegram: %s", "cannot reach Telegram: %s", err)
			}
			a.printf("Bot @%s trả lời; mã bot hợp lệ.\n", "Bot @%s answered; the token works.\n", c.Username())
			return nil
		},
	})
	return cmd
}

func (a *app) devCommand() *cobra.Command {
	cmd := group("dev", "Công cụ cho thử nghiệm / tools for tests and demos")
	var addr, token string
	server := noConfig(&cobra.Command{
		Use:   "telegram-server",
		Short: "Máy chủ Bot API giả lập, chặt chẽ, để chạy thử / a strict local Bot API for demos",
		Long: `Runs the strict Bot API emulator on addr. The demo residents are registered as
users who pressed Start. Point Loa at it:

  loa dev telegram-server --addr 127.0.0.1:8081 --token 123456:TEST-TOKEN-FOR-THE-DEMO-ONLY-xxxxxx &
  LOA_TELEGRAM_TOKEN=123456:TEST-TOKEN-FOR-THE-DEMO-ONLY-xxxxxx \
  LOA_TELEGRAM_API_ENDPOINT=http://127.0.0.1:8081/bot%s/%s loa serve --demo`,
		Args: args(0, ""),
		RunE: func(cmd *cobra.Command, _ []string) error {
			srv := telegramtest.New(telegramtest.Options{Token: token})
			for _, id := range demo.TelegramIDs() {
				srv.AddUser(id, "Cư dân", "vi")
				srv.Say(id, "/start")
			}
			return serveDev(cmd.Context(), addr, srv.Handler(), func(at net.Addr) {
				a.printf("Bot API giả lập ở http://%s/bot<token>/<method> (%d cư dân mẫu đã bấm Start)\n",
					"Emulated Bot API at http://%s/bot<token>/<method> (%d demo residents pressed Start)\n", at, len(demo.TelegramIDs()))
			})
		},
	})
	server.Flags().StringVar(&addr, "addr", "127.0.0.1:8081", "địa chỉ / listen address")
	server.Flags().StringVar(&token, "token", "123456:TEST-TOKEN-FOR-THE-DEMO-ONLY-xxxxxx", "mã bot chấp nhận / the token it accepts")
	cmd.AddCommand(server, a.zaloDevServer())
	return cmd
}

// serveDev serves an emulator on addr until ctx ends, after saying where.
func serveDev(ctx context.Context, addr string, h http.Handler, ready func(net.Addr)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	hs := &http.Server{Handler: h, ReadHeaderTimeout: 10 * time.Second}
	go func() {
		<-ctx.Done()
		stop, cancel := context.WithTimeout(context.Background(), 2*time.Second)
		defer cancel()
		hs.Shutdown(stop)
	}()
	ready(ln.Addr())
	if err := hs.Serve(ln); err != nil && !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}
