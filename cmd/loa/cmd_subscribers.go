package main

import (
	"fmt"
	"os"
	"strings"
	"text/tabwriter"

	"github.com/spf13/cobra"

	"github.com/loa-ward/loa/content"
	"github.com/loa-ward/loa/daemon"
	"github.com/loa-ward/loa/residents"
	"github.com/loa-ward/loa/store"
)

func (a *app) subscribersCommand() *cobra.Command {
	cmd := group("subscribers", "Người nhận tin / subscribers")
	importCmd := &cobra.Command{
		Use:   "import FILE.csv",
		Short: "Nhập số điện thoại người dân đã đồng ý (cho Zalo ZNS) / import consenting residents' phone numbers (for Zalo ZNS)",
		Long: `Cột / columns: phone, name, topics (số trên phiếu 1–3 hoặc tên; để trống: chỉ thông báo chung / the form's numbers or names; empty: general notices only),
consent_date (dd/mm/yyyy), source, evidence (số phiếu đăng ký có chữ ký, mã biểu mẫu / the signed form's number, the web form's receipt).
Mọi lỗi được báo theo dòng và cột; có lỗi thì không nhập gì.
Every problem is reported by row and column; with any, nothing is imported.`,
		Args: args(1, "FILE.csv"),
		RunE: a.withStore(func(cmd *cobra.Command, argv []string, db *store.DB) error {
			f, err := os.Open(argv[0])
			if err != nil {
				return err
			}
			defer f.Close()
			subs, errs := residents.ReadPhones(argv[0], f, a.today())
			if err := a.refuseImport(errs); err != nil {
				return err
			}
			if err := daemon.NewResidents(a.cfg, db, a.now).Import(cmd.Context(), a.who(), subs); err != nil {
				return err
			}
			a.printf("Đã nhập %d người nhận có số điện thoại.\n", "Imported %d subscribers with phone numbers.\n", len(subs))
			return nil
		}),
	}
	var channel string
	list := &cobra.Command{
		Use:   "list [--channel zalo|telegram]",
		Short: "Liệt kê người nhận / list subscribers",
		Args:  args(0, ""),
		RunE: a.withStore(func(cmd *cobra.Command, _ []string, db *store.DB) error {
			if ch := content.ParseChannel(channel); ch != content.Zalo && ch != content.Telegram {
				return usagef("--channel là zalo hoặc telegram, không phải %q", "--channel is zalo or telegram, not %q", channel)
			}
			subs, err := daemon.NewResidents(a.cfg, db, a.now).List(cmd.Context(), content.ParseChannel(channel))
			if err != nil {
				return err
			}
			tw := tabwriter.NewWriter(a.stdout, 0, 0, 2, ' ', 0)
			fmt.Fprintln(tw, a.t("MÃ\tTÊN\tĐIỆN THOẠI\tCHỦ ĐỀ\tĐỒNG Ý\tNGUỒN\tTÌNH TRẠNG", "ID\tNAME\tPHONE\tTOPICS\tCONSENT\tSOURCE\tSTATUS"))
			for _, s := range subs {
				consent := "—"
				if !s.ConsentAt.IsZero() {
					consent = content.DateOf(s.ConsentAt).Short()
				}
				var topics []string
				for _, t := range s.Topics {
					topics = append(topics, t.Label(a.lang))
				}
				fmt.Fprintf(tw, "%s\t%s\t%s\t%s\t%s\t%s\t%s\n", s.ExternalID, s.Name, s.Phone, strings.Join(topics, "; "), consent, s.ConsentSource, s.StatusLabel(a.lang))
			}
			tw.Flush()
			a.printf("%d người.\n", "%d subscribers.\n", len(subs))
			return nil
		}),
	}
	list.Flags().StringVar(&channel, "channel", "zalo", "zalo hoặc/or telegram")
	cmd.AddCommand(importCmd, list)
	return cmd
}

// refuseImport prints every problem an import found and, with any, fails
// it as a whole.
func (a *app) refuseImport(errs []error) error {
	for _, e := range errs {
		fmt.Fprintln(a.stderr, localize(e, a.lang))
	}
	if len(errs) > 0 {
		return content.Errorf("%d lỗi; chưa nhập gì", "%d problems; nothing was imported", len(errs))
	}
	return nil
}
