package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"
	"golang.org/x/term"

	"github.com/loa-ward/loa/staff"
	"github.com/loa-ward/loa/store"
)

func (a *app) userCommand() *cobra.Command {
	cmd := group("user", "Tài khoản cán bộ / staff accounts")
	var u staff.User
	var role string
	var fromStdin bool
	add := &cobra.Command{
		Use:   "add NAME --role R --full-name \"…\" [--title \"…\"] [--password-stdin]",
		Short: "Tạo tài khoản / create an account",
		Long: `Vai trò / roles: officer (cán bộ VH-XH), leader (lãnh đạo, duyệt tin), operator (đài truyền thanh),
block-leader (tổ trưởng tổ dân phố), admin (quản trị). Họ tên và chức danh được in trên phiếu duyệt và báo cáo.
Mật khẩu được hỏi (không hiện) hoặc đọc từ dòng đầu stdin với --password-stdin; để trống: chưa đăng nhập web được.
Full name and title are what approval slips and reports print. The password is asked for (not echoed), or read
from stdin's first line with --password-stdin; empty: no dashboard sign-in yet.`,
		Args: args(1, "NAME"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			u.Name, u.Role = argv[0], staff.Role(role)
			password, err := a.readPassword(fromStdin, true)
			if err != nil {
				return err
			}
			created, err := a.accounts(db).Add(cmd.Context(), a.who(), u, password)
			if err != nil {
				return err
			}
			a.printf("Đã tạo tài khoản %s (%s, %s).\n", "Created the account %s (%s, %s).\n", created.Name, created.FullName, created.Role.Label(a.lang))
			if password == "" {
				a.printf("Chưa có mật khẩu: đặt bằng loa user passwd %s\n", "No password yet: set one with loa user passwd %s\n", created.Name)
			}
			return nil
		}),
	}
	add.Flags().StringVar(&role, "role", "", "officer, leader, operator, block-leader, admin")
	add.Flags().StringVar(&u.FullName, "full-name", "", "họ tên đầy đủ / full name, e.g. \"Nguyễn Thị Lan\"")
	add.Flags().StringVar(&u.Title, "title", "", "chức danh / title, e.g. \"Phó Chủ tịch UBND phường\"")
	add.Flags().StringVar(&u.TelegramChat, "telegram-chat", "", "chat Telegram của người này với bot (tuỳ chọn) / their Telegram chat with the bot (optional)")
	add.Flags().BoolVar(&fromStdin, "password-stdin", false, "đọc mật khẩu từ stdin / read the password from stdin")

	list := &cobra.Command{
		Use:   "list",
		Short: "Liệt kê tài khoản / list the accounts",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			us, err := a.accounts(db).List(cmd.Context(), a.who())
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("TÊN\tVAI TRÒ\tHỌ TÊN\tCHỨC DANH\tMẬT KHẨU\tTÌNH TRẠNG", "NAME\tROLE\tFULL NAME\tTITLE\tPASSWORD\tSTATUS"))
			for _, u := range us {
				pw, status := a.t("chưa có", "none"), a.t("hoạt động", "active")
				if !u.PasswordAt.IsZero() {
					pw = localTime(u.PasswordAt)
				}
				if !u.Active() {
					status = a.t("đã khoá", "disabled")
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\n", u.Name, u.Role.Label(a.lang), u.FullName, u.Title, pw, status)
			}
			tw.Flush()
			a.printf("%d tài khoản.\n", "%d accounts.\n", len(us))
			return nil
		}),
	}
	passwd := &cobra.Command{
		Use:   "passwd NAME [--password-stdin]",
		Short: "Đặt mật khẩu (đăng xuất mọi phiên) / set a password (ends every session)",
		Args:  args(1, "NAME"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			password, err := a.readPassword(fromStdin, false)
			if err != nil {
				return err
			}
			if err := a.accounts(db).SetPassword(cmd.Context(), a.who(), argv[0], password); err != nil {
				return err
			}
			a.printf("Đã đặt mật khẩu cho %s.\n", "Set the password of %s.\n", argv[0])
			return nil
		}),
	}
	passwd.Flags().BoolVar(&fromStdin, "password-stdin", false, "đọc mật khẩu từ stdin / read the password from stdin")
	var enable bool
	disable := &cobra.Command{
		Use:   "disable NAME [--enable]",
		Short: "Khoá tài khoản (hoặc mở lại với --enable) / disable an account (or enable it again)",
		Args:  args(1, "NAME"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			if err := a.accounts(db).Disable(cmd.Context(), a.who(), argv[0], !enable); err != nil {
				return err
			}
			if enable {
				a.printf("Đã mở lại tài khoản %s.\n", "Enabled the account %s.\n", argv[0])
			} else {
				a.printf("Đã khoá tài khoản %s; mọi phiên đăng nhập đã kết thúc.\n", "Disabled the account %s; its sessions have ended.\n", argv[0])
			}
			return nil
		}),
	}
	disable.Flags().BoolVar(&enable, "enable", false, "mở lại / enable again")
	cmd.AddCommand(add, list, passwd, disable)
	return cmd
}

// readPassword reads a password: stdin's first line with fromStdin, else
// asked twice on the terminal without echo. optional allows an empty one.
func (a *app) readPassword(fromStdin, optional bool) (string, error) {
	if fromStdin {
		line, err := bufio.NewReader(a.stdin).ReadString('\n')
		if err != nil && err != io.EOF {
			return "", err
		}
		return strings.TrimRight(line, "\r\n"), nil
	}
	fd := int(os.Stdin.Fd())
	if !term.IsTerminal(fd) {
		if optional {
			return "", nil
		}
		return "", usagef("không có terminal để hỏi mật khẩu: dùng --password-stdin", "no terminal to ask for the password: use --password-stdin")
	}
	ask := func(vi, en string) (string, error) {
		fmt.Fprint(a.stderr, a.pick(vi, en))
		b, err := term.ReadPassword(fd)
		fmt.Fprintln(a.stderr)
		return string(b), err
	}
	p1, err := ask("Mật khẩu (ít nhất 10 ký tự; Enter để bỏ qua): ", "Password (10 characters or more; Enter to skip): ")
	if err != nil || p1 == "" {
		return "", err
	}
	p2, err := ask("Nhập lại: ", "Again: ")
	if err != nil {
		return "", err
	}
	if p1 != p2 {
		return "", usagef("hai lần nhập không khớp", "the two entries differ")
	}
	return p1, nil
}
