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
	add.Flags().StringVar(&u.TelegramChat, "telegram-chat", "", "chat Telegram của người này với bot (tùy chọn) / their Telegram chat with the bot (optional)")
	add.Flags().BoolVar(&fromStdin, "password-stdin", false, "đọc mật khẩu từ stdin / read the password from stdin")
	contactFlags(add, &u)

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
					status = a.t("đã khóa", "disabled")
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
		Short: "Khóa tài khoản (hoặc mở lại với --enable) / disable an account (or enable it again)",
		Args:  args(1, "NAME"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			if err := a.accounts(db).Disable(cmd.Context(), a.who(), argv[0], !enable); err != nil {
				return err
			}
			if enable {
				a.printf("Đã mở lại tài khoản %s.\n", "Enabled the account %s.\n", argv[0])
			} else {
				a.printf("Đã khóa tài khoản %s; mọi phiên đăng nhập đã kết thúc.\n", "Disabled the account %s; its sessions have ended.\n", argv[0])
			}
			return nil
		}),
	}
	disable.Flags().BoolVar(&enable, "enable", false, "mở lại / enable again")
	var c staff.User
	contact := &cobra.Command{
		Use:   "contact NAME [--email E] [--zalo-id ID] [--telegram-chat ID] [--notify zalo,telegram,email] [--digest]",
		Short: "Cách báo việc cho người này / how notices reach this person",
		Long: `Thông báo (việc mới, sự cố) luôn có trên trang Hôm nay; ngoài ra gửi qua kênh đầu tiên đến được người này theo --notify.
Zalo: mã người dùng Zalo của người này với OA của phường (họ phải quan tâm OA và nhắn cho OA trong 7 ngày qua).
--digest: gom thông báo thành một tin mỗi sáng. Các cờ không nêu giữ nguyên.
Notices (new tasks, problems) are always on the Today page, and go by the first of --notify that reaches the person.
Zalo: the person's Zalo user id with the ward's OA (they must follow it and have written to it within 7 days).
--digest: one message a morning instead. Flags not given keep their value.`,
		Args: args(1, "NAME"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			dir := a.accounts(db)
			cur, err := dir.Find(cmd.Context(), argv[0])
			if err != nil {
				return err
			}
			for _, f := range []struct {
				name string
				dst  *string
				val  string
			}{{"email", &cur.Email, c.Email}, {"zalo-id", &cur.ZaloID, c.ZaloID}, {"telegram-chat", &cur.TelegramChat, c.TelegramChat}} {
				if cmd.Flags().Changed(f.name) {
					*f.dst = f.val
				}
			}
			if cmd.Flags().Changed("notify") {
				cur.Notify = c.Notify
			}
			if cmd.Flags().Changed("digest") {
				cur.Digest = c.Digest
			}
			u, err := dir.SetContact(cmd.Context(), a.who(), cur.Name, cur)
			if err != nil {
				return err
			}
			order := strings.Join(u.Notify, ", ")
			if order == "" {
				order = strings.Join(staff.NotifyChannels, ", ")
			}
			digest := ""
			if u.Digest {
				digest = a.t(", gom mỗi sáng", ", as a morning digest")
			}
			a.printf("%s: e-mail %q, Zalo %q, Telegram %q; báo theo thứ tự %s%s.\n", "%s: e-mail %q, Zalo %q, Telegram %q; notices by %s%s.\n",
				u.Name, u.Email, u.ZaloID, u.TelegramChat, order, digest)
			return nil
		}),
	}
	contactFlags(contact, &c)
	contact.Flags().StringVar(&c.TelegramChat, "telegram-chat", "", "chat Telegram với bot / Telegram chat with the bot")
	cmd.AddCommand(add, list, passwd, disable, contact)
	return cmd
}

// contactFlags are the flags of how notices reach a person.
func contactFlags(cmd *cobra.Command, u *staff.User) {
	cmd.Flags().StringVar(&u.Email, "email", "", "địa chỉ e-mail nhận thông báo / e-mail address for notices")
	cmd.Flags().StringVar(&u.ZaloID, "zalo-id", "", "mã người dùng Zalo với OA của phường / Zalo user id with the ward's OA")
	cmd.Flags().StringSliceVar(&u.Notify, "notify", nil, "thứ tự kênh báo / notice channels in order (zalo,telegram,email)")
	cmd.Flags().BoolVar(&u.Digest, "digest", false, "gom thông báo thành một tin mỗi sáng / a morning digest instead")
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
