package main

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"errors"
	"net"
	"strconv"
	"time"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/channels"
	"github.com/loa-ward/loa/channels/zalo"
	"github.com/loa-ward/loa/channels/zalo/zalotest"
	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/demo"
	"github.com/loa-ward/loa/store"
)

// zaloTokens keeps the OA's tokens in the database.
type zaloTokens struct{ db *store.DB }

func (t zaloTokens) LoadTokens(ctx context.Context) (zalo.Tokens, bool, error) {
	s, ok, err := t.db.ZaloTokens(ctx)
	return zalo.Tokens(s), ok, err
}

func (t zaloTokens) SaveTokens(ctx context.Context, z zalo.Tokens, now time.Time) error {
	return t.db.SaveZaloTokens(ctx, store.ZaloTokens(z), now)
}

func (t zaloTokens) MarkReauth(ctx context.Context, why string) error {
	return t.db.MarkZaloReauth(ctx, why)
}

func (t zaloTokens) BeginRefresh(ctx context.Context, refresh string, now time.Time, hold time.Duration) (bool, error) {
	return t.db.BeginZaloRefresh(ctx, refresh, now, hold)
}

// zaloEvents records webhook events in the database.
type zaloEvents struct{ db *store.DB }

func (e zaloEvents) Follow(ctx context.Context, id string, follows bool, now time.Time) error {
	return e.db.Follow(ctx, id, "", follows, "zalo:follow", now)
}

func (e zaloEvents) Interacted(ctx context.Context, id string, at time.Time) error {
	return e.db.Interacted(ctx, id, at)
}

func (e zaloEvents) FirstSeen(ctx context.Context, sig string, now time.Time, keep time.Duration) (bool, error) {
	return e.db.FirstSeen(ctx, sig, now, keep)
}

func (e zaloEvents) Unsee(ctx context.Context, sig string) error { return e.db.Unsee(ctx, sig) }

func (e zaloEvents) Received(ctx context.Context, msgID string, at time.Time) error {
	_, err := e.db.Received(ctx, content.Zalo, msgID, at)
	return err
}

// zaloClient is the OA's client; budget is the OA's rate budget (nil for
// a one-off command).
func (a *app) zaloClient(db *store.DB, budget *channels.Budget) *zalo.Client {
	z := a.cfg.Zalo
	return zalo.New(zalo.Config{AppID: z.AppID, AppSecret: z.AppSecret.Reveal(), OAuthBase: z.OAuthBase, APIBase: z.APIBase,
		ZNSBase: z.ZNSBase, Tokens: zaloTokens{db}, Now: a.now, Log: a.log, Budget: budget,
		SkipOverQuota: z.OverQuota == "skip"})
}

// Where a follower sync stands, in the database's meta table.
const (
	metaZaloSyncOffset = "zalo_sync_offset" // the next page of an unfinished sync
	metaZaloSyncedAt   = "zalo_synced_at"   // when the last full sync finished
)

// syncFollowers records the OA's followers, page by page, resuming where
// an interrupted sync stopped; details are fetched only for followers not
// yet known by name. It returns how many followers this pass recorded.
func (a *app) syncFollowers(ctx context.Context, db *store.DB, c *zalo.Client) (int, error) {
	from := 0
	if v, err := db.Meta(ctx, metaZaloSyncOffset); err != nil {
		return 0, err
	} else if v != "" {
		from, _ = strconv.Atoi(v)
	}
	n := 0
	err := c.Followers(ctx, zalo.Sync{From: from, Details: db.UnnamedFollowers,
		Page: func(fs []zalo.Follower, next int) error {
			seen := make([]store.FollowerSeen, len(fs))
			for i, f := range fs {
				seen[i] = store.FollowerSeen{UserID: f.UserID, Name: f.Name, LastInteraction: f.LastInteraction}
			}
			if err := db.RecordFollowers(ctx, seen, "zalo:follow", a.now()); err != nil {
				return err
			}
			n += len(fs)
			if next == 0 {
				if err := db.SetMeta(ctx, metaZaloSyncOffset, ""); err != nil {
					return err
				}
				return db.SetMeta(ctx, metaZaloSyncedAt, a.now().UTC().Format(time.RFC3339))
			}
			return db.SetMeta(ctx, metaZaloSyncOffset, strconv.Itoa(next))
		}})
	return n, err
}

// followersDue reports whether the daemon should sync followers now: a sync
// was interrupted, or the last full one is a day old (webhooks keep the list
// current in between).
func (a *app) followersDue(ctx context.Context, db *store.DB) (bool, error) {
	if v, err := db.Meta(ctx, metaZaloSyncOffset); err != nil || v != "" {
		return v != "", err
	}
	v, err := db.Meta(ctx, metaZaloSyncedAt)
	if err != nil {
		return false, err
	}
	at, perr := time.Parse(time.RFC3339, v)
	return perr != nil || a.now().Sub(at) >= 24*time.Hour, nil
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
			c := a.zaloClient(db, nil)
			if code == "" {
				b := make([]byte, 32)
				_, _ = rand.Read(b)
				verifier := base64.RawURLEncoding.EncodeToString(b)
				if err := db.SetMeta(cmd.Context(), "zalo_pkce_verifier", verifier); err != nil {
					return err
				}
				a.printf("Mở đường dẫn này, đăng nhập bằng tài khoản quản trị OA và đồng ý:\n%s\nRồi chạy: loa zalo auth --code MÃ\n",
					"Open this page, log in as an OA admin and agree:\n%s\nThen run: loa zalo auth --code CODE\n",
					c.AuthURL(redirect, verifier, "loa"))
				return nil
			}
			verifier, err := db.Meta(cmd.Context(), "zalo_pkce_verifier")
			if err != nil || verifier == "" {
				return content.Errorf("hãy chạy \"loa zalo auth\" không có --code trước", "run \"loa zalo auth\" without --code first")
			}
			if err := c.Exchange(cmd.Context(), code, verifier); err != nil {
				return err
			}
			_ = db.SetMeta(cmd.Context(), "zalo_pkce_verifier", "")
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
			t, ok, err := db.ZaloTokens(cmd.Context())
			if err != nil {
				return err
			}
			if !ok {
				return content.Errorf("OA chưa được cấp quyền: chạy loa zalo auth", "the OA was never authorized: run loa zalo auth")
			}
			name, err := a.zaloClient(db, nil).Check(cmd.Context())
			if errors.Is(err, zalo.ErrNeedsReauth) {
				return content.Errorf("cần cấp quyền lại (loa zalo auth): %s", "re-authorization needed (loa zalo auth): %s", t.NeedsReauth)
			}
			if err != nil {
				return err
			}
			t, _, _ = db.ZaloTokens(cmd.Context())
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
			n, err := a.syncFollowers(cmd.Context(), db, a.zaloClient(db, nil))
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
